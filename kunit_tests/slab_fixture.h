/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixture of the slab-layer suites, on top of test_helpers.h: a private
 * region per case (checked at the end of the case: sound, every page free,
 * no invalid free at the buddy level), and caches that are KUnit resources,
 * so that a case aborted by a failed assertion still destroys its caches
 * before its region goes, and the next case starts clean. Also: counting
 * the slab layer's reports, and regions that fail allocations on purpose.
 */
#ifndef _MYSLAB_SLAB_FIXTURE_H
#define _MYSLAB_SLAB_FIXTURE_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/kmemleak.h>
#include <linux/vmalloc.h>

#include "test_helpers.h"
#include "core/slab/slab_internal.h"
#include "core/slab/slabinfo_format.h"

/* Default private region: 4 MiB, blocks up to order 10, per-CPU pages on. */
#define SLAB_TEST_REGION_BYTES	(4UL << 20)
#define SLAB_TEST_MAX_ORDER	10
#define SLAB_TEST_PCP_BATCH	8

static inline int slab_fixture_init(struct kunit *test)
{
	test->priv = myslab_test_region_create(test, SLAB_TEST_REGION_BYTES,
					       SLAB_TEST_MAX_ORDER,
					       SLAB_TEST_PCP_BATCH);
	return 0;
}

static inline struct myslab_region *slab_fixture_region(struct kunit *test)
{
	return ((struct myslab_test_region *)test->priv)->region;
}

/* Pages free in a region: on the buddy free lists or in per-CPU page lists. */
static inline unsigned long slab_test_free_pages(struct myslab_region *region)
{
	struct myslab_buddy_stats *st = kzalloc(sizeof(*st), GFP_KERNEL);
	unsigned long free;

	if (!st)
		return 0;
	myslab_buddy_stats(region, st);
	free = st->free_pages + st->pcp_pages;
	kfree(st);
	return free;
}

/* === Caches as resources === */

static inline int slab_test_cache_res_init(struct kunit_resource *res,
					   void *context)
{
	res->data = context;
	return 0;
}

static inline void slab_test_cache_res_free(struct kunit_resource *res)
{
	struct myslab_cache *cache = res->data;

	if (cache)	/* the case ended early: do not leave it registered */
		myslab_cache_destroy(cache);
}

static inline bool slab_test_cache_res_match(struct kunit *test,
					     struct kunit_resource *res,
					     void *match_data)
{
	return res->free == slab_test_cache_res_free && res->data == match_data;
}

/* Forget a cache the case destroyed itself. */
static inline void slab_test_cache_forget(struct kunit *test,
					  struct myslab_cache *cache)
{
	struct kunit_resource *res;

	res = kunit_find_resource(test, slab_test_cache_res_match, cache);
	if (res) {
		res->data = NULL;
		kunit_put_resource(res);
	}
}

/* Create a cache on @region; fails the case on error. */
static inline struct myslab_cache *
slab_test_cache_on(struct kunit *test, struct myslab_region *region,
		   const char *name, unsigned int size, unsigned int align,
		   unsigned int flags, void (*ctor)(void *))
{
	struct myslab_cache *cache;
	void *res;

	cache = myslab_cache_create(region, name, size, align, flags, ctor);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(cache), "cache %s: %ld", name,
			       PTR_ERR(cache));
	res = kunit_alloc_resource(test, slab_test_cache_res_init,
				   slab_test_cache_res_free, GFP_KERNEL, cache);
	if (!res)
		myslab_cache_destroy(cache);
	KUNIT_ASSERT_NOT_NULL(test, res);
	return cache;
}

/* Create a cache on the case's region; fails the case on error. */
static inline struct myslab_cache *
slab_test_cache(struct kunit *test, const char *name, unsigned int size,
		unsigned int align, unsigned int flags, void (*ctor)(void *))
{
	return slab_test_cache_on(test, slab_fixture_region(test), name, size,
				  align, flags, ctor);
}

/* Destroy a cache, returning the objects it leaked. */
static inline unsigned long slab_test_cache_destroy(struct kunit *test,
						    struct myslab_cache *cache)
{
	slab_test_cache_forget(test, cache);
	return myslab_cache_destroy(cache);
}

/* Destroy a cache that must be clean, after validating it. */
static inline void slab_test_cache_done(struct kunit *test,
					struct myslab_cache *cache)
{
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	KUNIT_EXPECT_EQ(test, slab_test_cache_destroy(test, cache), 0);
}

/* === Counters === */

static inline unsigned long slab_test_counter(struct myslab_cache *cache,
					      enum myslab_cache_counter c)
{
	unsigned long counters[MYSLAB_CACHE_NR_COUNTERS];

	myslab_cache_counters(cache, counters);
	return counters[c];
}

/* Sum of the error counters: misuse refused and corruption found. */
static inline unsigned long slab_test_errors(struct myslab_cache *cache)
{
	unsigned long counters[MYSLAB_CACHE_NR_COUNTERS];

	myslab_cache_counters(cache, counters);
	return counters[MYSLAB_CACHE_ERR_OUTSIDE] +
	       counters[MYSLAB_CACHE_ERR_NOT_OBJECT] +
	       counters[MYSLAB_CACHE_ERR_WRONG_CACHE] +
	       counters[MYSLAB_CACHE_ERR_DOUBLE_FREE] +
	       counters[MYSLAB_CACHE_ERR_FREELIST] +
	       counters[MYSLAB_CACHE_ERR_REDZONE] +
	       counters[MYSLAB_CACHE_ERR_POISON] +
	       counters[MYSLAB_CACHE_ERR_INCONSISTENT];
}

/* === Reports, counted as lib/slub_kunit.c counts "slab_errors" === */

/*
 * Every report the slab layer prints from the test's own task while the
 * case runs is counted here (kmod/kernel/hooks/slab_hooks.c finds the
 * resource by name). Call from a suite's .init; read with
 * slab_test_reports().
 */
static struct kunit_resource slab_test_reports_res;
static int slab_test_reports_count;

static inline void slab_test_count_reports(struct kunit *test)
{
	slab_test_reports_count = 0;
	kunit_add_named_resource(test, NULL, NULL, &slab_test_reports_res,
				 "myslab_errors", &slab_test_reports_count);
}

static inline int slab_test_reports(void)
{
	return READ_ONCE(slab_test_reports_count);
}

/* === Regions whose buddy allocator fails on purpose === */

/*
 * A private region like myslab_test_region_create()'s, whose buddy
 * allocator asks @should_fail (with @data) before every allocation: fault
 * injection below the slab layer. Checked and destroyed when the case ends.
 */
static inline struct myslab_region *
slab_test_region_failing(struct kunit *test, size_t size,
			 bool (*should_fail)(void *data, unsigned int order,
					     gfp_t gfp),
			 void *data)
{
	struct myslab_region_debug debug = {
		.should_fail = should_fail,
		.data = data,
	};
	struct myslab_mem mem = {
		.size = size,
		.provider = "kunit",
		.release = myslab_test_mem_release,
	};
	struct myslab_test_region *tr;
	void *res;

	tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tr);
	mem.base = vmalloc(size);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem.base);
	kmemleak_free(mem.base);
	tr->test = test;
	tr->base = mem.base;
	tr->size = size;
	tr->region = myslab_region_create_debug("kunit-fail", &mem,
						SLAB_TEST_MAX_ORDER, 0, &debug);
	if (IS_ERR(tr->region))
		vfree(mem.base);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tr->region);
	res = kunit_alloc_resource(test, myslab_test_region_res_init,
				   myslab_test_region_res_free, GFP_KERNEL, tr);
	if (!res)
		myslab_region_destroy(tr->region);
	KUNIT_ASSERT_NOT_NULL(test, res);
	return tr->region;
}

#endif /* _MYSLAB_SLAB_FIXTURE_H */
