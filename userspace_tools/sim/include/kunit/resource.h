/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: KUnit's resources (include/kunit/resource.h, 6.1): data
 * a case owns, freed in reverse order of their adding when the case ends,
 * whether it passed, failed or was aborted; counted references, so that a
 * resource found with kunit_find_resource() stays until it is put; names,
 * so that code under test finds what its test left for it
 * (kunit_find_named_resource(current->kunit_test, ...)).
 */
#ifndef _SIM_KUNIT_RESOURCE_H
#define _SIM_KUNIT_RESOURCE_H

#include <linux/err.h>
#include <linux/list.h>
#include <linux/string.h>
#include <linux/types.h>

struct kunit;
struct kunit_resource;

typedef int (*kunit_resource_init_t)(struct kunit_resource *, void *);
typedef void (*kunit_resource_free_t)(struct kunit_resource *);
typedef bool (*kunit_resource_match_t)(struct kunit *test,
				       struct kunit_resource *res,
				       void *match_data);

/**
 * struct kunit_resource - a test's resource
 * @data:	what it holds (set by the init function, or the data given)
 * @name:	its name, or NULL
 * @free:	frees it, or NULL
 *
 * The rest is private to kunit/kunit.c.
 */
struct kunit_resource {
	void *data;
	const char *name;
	kunit_resource_free_t free;

	/* private: */
	int refcount;			/* under the test's lock */
	struct list_head node;		/* in the test's resources */
	bool should_kfree;		/* allocated by kunit_alloc_resource() */
};

int __kunit_add_resource(struct kunit *test, kunit_resource_init_t init,
			 kunit_resource_free_t free, struct kunit_resource *res,
			 void *data);
struct kunit_resource *kunit_find_resource(struct kunit *test,
					   kunit_resource_match_t match,
					   void *match_data);
void kunit_get_resource(struct kunit_resource *res);
void kunit_put_resource(struct kunit_resource *res);
void kunit_remove_resource(struct kunit *test, struct kunit_resource *res);

static inline int kunit_add_resource(struct kunit *test,
				     kunit_resource_init_t init,
				     kunit_resource_free_t free,
				     struct kunit_resource *res, void *data)
{
	res->should_kfree = false;
	return __kunit_add_resource(test, init, free, res, data);
}

static inline bool kunit_resource_name_match(struct kunit *test,
					     struct kunit_resource *res,
					     void *match_name)
{
	return res->name && strcmp(res->name, match_name) == 0;
}

static inline struct kunit_resource *
kunit_find_named_resource(struct kunit *test, const char *name)
{
	return kunit_find_resource(test, kunit_resource_name_match, (void *)name);
}

/* -EEXIST when the test has a resource of that name already. */
static inline int kunit_add_named_resource(struct kunit *test,
					   kunit_resource_init_t init,
					   kunit_resource_free_t free,
					   struct kunit_resource *res,
					   const char *name, void *data)
{
	struct kunit_resource *existing;

	if (!name)
		return -EINVAL;
	existing = kunit_find_named_resource(test, name);
	if (existing) {
		kunit_put_resource(existing);
		return -EEXIST;
	}
	res->name = name;
	res->should_kfree = false;
	return __kunit_add_resource(test, init, free, res, data);
}

/* The resource's data, or NULL when it could not be made. */
void *kunit_alloc_resource(struct kunit *test, kunit_resource_init_t init,
			   kunit_resource_free_t free, gfp_t internal_gfp,
			   void *context);

#endif /* _SIM_KUNIT_RESOURCE_H */
