// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite myslab_sizes: size classes on a private region per case —
 * every class boundary, size 0, large sizes from the buddy allocator, usable
 * sizes, free by pointer alone and its misuse.
 */
#include <kunit/test.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "slab_fixture.h"

/* Size sets are KUnit resources too: an aborted case still destroys its set. */
static int sizes_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void sizes_res_free(struct kunit_resource *res)
{
	if (res->data)
		myslab_sizes_destroy(res->data);
}

static bool sizes_res_match(struct kunit *test, struct kunit_resource *res,
			    void *match_data)
{
	return res->free == sizes_res_free && res->data == match_data;
}

static struct myslab_sizes *sizes_create(struct kunit *test, const char *prefix)
{
	struct myslab_sizes *sizes;
	void *res;

	sizes = myslab_sizes_create(slab_fixture_region(test), prefix);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sizes), "size set %s: %ld", prefix,
			       PTR_ERR(sizes));
	res = kunit_alloc_resource(test, sizes_res_init, sizes_res_free,
				   GFP_KERNEL, sizes);
	if (!res)
		myslab_sizes_destroy(sizes);
	KUNIT_ASSERT_NOT_NULL(test, res);
	return sizes;
}

/* Destroy a set the case created, returning what it leaked. */
static unsigned long sizes_destroy(struct kunit *test, struct myslab_sizes *sizes)
{
	struct kunit_resource *res;

	res = kunit_find_resource(test, sizes_res_match, sizes);
	if (res) {
		res->data = NULL;
		kunit_put_resource(res);
	}
	return myslab_sizes_destroy(sizes);
}

static void sizes_done(struct kunit *test, struct myslab_sizes *sizes)
{
	KUNIT_EXPECT_EQ(test, sizes_destroy(test, sizes), 0);
}

/* The class a size lands in, as seen from the object it gets. */
static void expect_class(struct kunit *test, struct myslab_sizes *sizes,
			 size_t size, size_t class)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_block_info info;
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void *p;

	cache = myslab_sizes_cache(sizes, size);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ_MSG(test, st.object_size, class, "size %zu", size);

	p = myslab_sizes_alloc(sizes, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ_MSG(test, myslab_sizes_usable_size(sizes, p), class,
			    "size %zu", size);
	KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)p,
					       !is_power_of_2(class) ? 8 :
					       min_t(size_t, class, PAGE_SIZE)),
			      "size %zu", size);
	KUNIT_ASSERT_EQ(test, myslab_block_lookup(region, p, &info), 0);
	KUNIT_EXPECT_EQ(test, info.state, MYSLAB_BLOCK_SLAB);
	memset(p, 0x5a, class);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, p), 0);
}

static const unsigned int class_indices[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
};

static void class_desc(const unsigned int *i, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "class %zu",
		 myslab_sizes_class_size(*i));
}

KUNIT_ARRAY_PARAM(classes, class_indices, class_desc);

static void sizes_class_bounds(struct kunit *test)
{
	unsigned int i = *(const unsigned int *)test->param_value;
	size_t class = myslab_sizes_class_size(i);
	size_t prev = i ? myslab_sizes_class_size(i - 1) : 0;
	struct myslab_sizes *sizes;

	KUNIT_ASSERT_EQ(test, myslab_sizes_nr_classes(), ARRAY_SIZE(class_indices));
	KUNIT_ASSERT_GT(test, class, prev);
	sizes = sizes_create(test, "ts");
	/* Both ends of the class's range land in it ... */
	expect_class(test, sizes, prev + 1, class);
	expect_class(test, sizes, class, class);
	if (class - prev > 2)
		expect_class(test, sizes, (prev + class) / 2, class);
	/* ... and one byte more does not. */
	if (class < myslab_sizes_max_cached())
		expect_class(test, sizes, class + 1, myslab_sizes_class_size(i + 1));
	else
		KUNIT_EXPECT_NULL(test, myslab_sizes_cache(sizes, class + 1));
	sizes_done(test, sizes);
}

static void sizes_zero_size(struct kunit *test)
{
	struct myslab_sizes *sizes = sizes_create(test, "ts");
	void *p;

	p = myslab_sizes_alloc(sizes, 0, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, p, ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, myslab_sizes_usable_size(sizes, p), 0);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, p), 0);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, NULL), 0);
	KUNIT_EXPECT_NULL(test, myslab_sizes_cache(sizes, 0));
	sizes_done(test, sizes);
}

struct large_case {
	size_t size;
	unsigned int order;	/* expected block order */
};

static void sizes_large_from_buddy(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	const struct large_case cases[] = {
		{ myslab_sizes_max_cached() + 1, 2 },	/* 8k + 1: 3 pages */
		{ 3 * PAGE_SIZE, 2 },
		{ 64 * PAGE_SIZE, 6 },
		{ PAGE_SIZE << SLAB_TEST_MAX_ORDER, SLAB_TEST_MAX_ORDER },
	};
	unsigned long free_before = slab_test_free_pages(region);
	struct myslab_block_info info;
	struct myslab_sizes *sizes;
	unsigned int i;
	void *p;

	sizes = sizes_create(test, "ts");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		p = myslab_sizes_alloc(sizes, cases[i].size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL_MSG(test, p, "size %zu", cases[i].size);
		KUNIT_ASSERT_EQ(test, myslab_block_lookup(region, p, &info), 0);
		KUNIT_EXPECT_EQ(test, info.state, MYSLAB_BLOCK_ALLOC);
		KUNIT_EXPECT_PTR_EQ(test, info.base, p);
		KUNIT_EXPECT_EQ_MSG(test, info.order, cases[i].order, "size %zu",
				    cases[i].size);
		KUNIT_EXPECT_EQ(test, myslab_sizes_usable_size(sizes, p),
				PAGE_SIZE << cases[i].order);
		KUNIT_EXPECT_EQ(test, slab_test_free_pages(region),
				free_before - (1UL << cases[i].order));
		KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, p), 0);
		KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	}
	/* Beyond the region's largest block, and absurd sizes: NULL. */
	KUNIT_EXPECT_NULL(test, myslab_sizes_alloc(sizes,
						   (PAGE_SIZE << SLAB_TEST_MAX_ORDER) + 1,
						   GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, myslab_sizes_alloc(sizes, SIZE_MAX, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	sizes_done(test, sizes);
}

static void sizes_gfp_zero(struct kunit *test)
{
	const size_t lens[] = { 100, 2048, 5000, 20000 };
	struct myslab_sizes *sizes = sizes_create(test, "ts");
	unsigned int i;
	size_t b, usable;
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		p = myslab_sizes_alloc(sizes, lens[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		usable = myslab_sizes_usable_size(sizes, p);
		memset(p, 0xaa, usable);
		myslab_sizes_free(sizes, p);
		p = myslab_sizes_alloc(sizes, lens[i], GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, p);
		for (b = 0; b < usable && !p[b]; b++)
			;
		KUNIT_EXPECT_EQ_MSG(test, b, usable, "size %zu", lens[i]);
		myslab_sizes_free(sizes, p);
	}
	sizes_done(test, sizes);
}

static void sizes_free_misuse(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_sizes *sizes, *other;
	struct myslab_cache *c100;
	unsigned long before;
	void *small, *large, *theirs;
	int on_stack;

	sizes = sizes_create(test, "ts");
	other = sizes_create(test, "tt");
	c100 = myslab_sizes_cache(sizes, 100);
	small = myslab_sizes_alloc(sizes, 100, GFP_KERNEL);
	large = myslab_sizes_alloc(sizes, 3 * PAGE_SIZE, GFP_KERNEL);
	theirs = myslab_sizes_alloc(other, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, large);
	KUNIT_ASSERT_NOT_NULL(test, theirs);

	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, &on_stack), -EFAULT);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, small + 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, large + PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, large + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, theirs), -EXDEV);
	KUNIT_EXPECT_EQ(test, myslab_sizes_usable_size(sizes, theirs), 0);
	KUNIT_EXPECT_EQ(test, myslab_sizes_usable_size(sizes, large + PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, myslab_sizes_usable_size(sizes, &on_stack), 0);

	before = slab_test_free_pages(region);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, small), 0);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, small), -EALREADY);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, large), 0);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, large), -EALREADY);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), before + 4);
	KUNIT_EXPECT_EQ(test, slab_test_counter(c100, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	KUNIT_EXPECT_EQ(test, slab_test_counter(c100, MYSLAB_CACHE_ERR_NOT_OBJECT), 1);
	KUNIT_EXPECT_EQ(test, slab_test_counter(myslab_sizes_cache(other, 100),
						MYSLAB_CACHE_ERR_WRONG_CACHE), 1);

	KUNIT_EXPECT_EQ(test, myslab_sizes_free(other, theirs), 0);
	sizes_done(test, other);
	sizes_done(test, sizes);
}

/* Frees each class cache counted: to the magazine, or flushing it first. */
static void sizes_frees(struct myslab_sizes *sizes, unsigned long *frees)
{
	struct myslab_cache *cache;
	unsigned int i;

	for (i = 0; i < myslab_sizes_nr_classes(); i++) {
		cache = myslab_sizes_cache(sizes, myslab_sizes_class_size(i));
		frees[i] = slab_test_counter(cache, MYSLAB_CACHE_FREE_FAST) +
			   slab_test_counter(cache, MYSLAB_CACHE_FREE_SLOW);
	}
}

/*
 * A free by pointer alone looks the owner up once and hands it to the
 * class cache's free: the free of an object of every class is counted
 * exactly once, in its own cache and no other, and a large block's free
 * gives its pages back exactly once and counts in no cache.
 */
static void sizes_free_counted_once(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long before[ARRAY_SIZE(class_indices)];
	unsigned long after[ARRAY_SIZE(class_indices)];
	unsigned int nr = myslab_sizes_nr_classes(), i, j;
	struct myslab_sizes *sizes;
	unsigned long free_before;
	size_t size;
	void *p;

	KUNIT_ASSERT_EQ(test, nr, ARRAY_SIZE(class_indices));
	sizes = sizes_create(test, "ts");
	for (i = 0; i < nr; i++) {
		size = myslab_sizes_class_size(i);
		p = myslab_sizes_alloc(sizes, size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		sizes_frees(sizes, before);
		KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, p), 0);
		sizes_frees(sizes, after);
		for (j = 0; j < nr; j++)
			KUNIT_EXPECT_EQ_MSG(test, after[j], before[j] + (i == j),
					    "class %zu freed, class %zu counts",
					    size, myslab_sizes_class_size(j));
		KUNIT_EXPECT_EQ(test, slab_test_errors(myslab_sizes_cache(sizes, size)), 0);
		KUNIT_EXPECT_EQ(test, myslab_cache_validate(myslab_sizes_cache(sizes, size)), 0);
	}

	free_before = slab_test_free_pages(region);
	p = myslab_sizes_alloc(sizes, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before - 4);
	sizes_frees(sizes, before);
	KUNIT_EXPECT_EQ(test, myslab_sizes_free(sizes, p), 0);
	sizes_frees(sizes, after);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	for (j = 0; j < nr; j++)
		KUNIT_EXPECT_EQ(test, after[j], before[j]);
	/* The set's own large-block count is exact too: destroy finds no leak. */
	sizes_done(test, sizes);
}

static void sizes_create_rejects(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_sizes *sizes, *dup;
	struct myslab_cache *taken;

	KUNIT_EXPECT_EQ(test, PTR_ERR(myslab_sizes_create(region, "has space")), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(myslab_sizes_create(region, "")), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(myslab_sizes_create(region, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(myslab_sizes_create(region,
							  "a-prefix-of-28-characters-xx")),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(myslab_sizes_create(NULL, "ts")), -EINVAL);

	sizes = sizes_create(test, "ts");
	dup = myslab_sizes_create(region, "ts");
	KUNIT_EXPECT_EQ(test, PTR_ERR(dup), -EEXIST);
	if (!IS_ERR(dup))
		myslab_sizes_destroy(dup);
	sizes_done(test, sizes);

	/* A name taken midway: the classes made so far are undone. */
	taken = slab_test_cache(test, "tu-1k", 64, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(myslab_sizes_create(region, "tu")), -EEXIST);
	slab_test_cache_done(test, taken);
	sizes = sizes_create(test, "tu");
	sizes_done(test, sizes);
}

static void sizes_destroy_with_live_allocations(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region);
	struct myslab_block_info info;
	struct myslab_sizes *sizes;
	void *small, *large;

	sizes = sizes_create(test, "ts");
	small = myslab_sizes_alloc(sizes, 64, GFP_KERNEL);
	large = myslab_sizes_alloc(sizes, 10000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_NOT_NULL(test, large);
	KUNIT_EXPECT_EQ(test, sizes_destroy(test, sizes), 2);

	/* Both stay allocated; the case gives them back by hand. */
	KUNIT_ASSERT_EQ(test, myslab_block_lookup(region, small, &info), 0);
	KUNIT_EXPECT_EQ(test, info.state, MYSLAB_BLOCK_SLAB);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(region, info.base, info.order), 0);
	KUNIT_ASSERT_EQ(test, myslab_block_lookup(region, large, &info), 0);
	KUNIT_EXPECT_EQ(test, info.state, MYSLAB_BLOCK_ALLOC);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(region, large, info.order), 0);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
}

static struct kunit_case myslab_sizes_cases[] = {
	KUNIT_CASE_PARAM(sizes_class_bounds, classes_gen_params),
	KUNIT_CASE(sizes_zero_size),
	KUNIT_CASE(sizes_large_from_buddy),
	KUNIT_CASE(sizes_gfp_zero),
	KUNIT_CASE(sizes_free_misuse),
	KUNIT_CASE(sizes_free_counted_once),
	KUNIT_CASE(sizes_create_rejects),
	KUNIT_CASE(sizes_destroy_with_live_allocations),
	{}
};

static struct kunit_suite myslab_sizes_suite = {
	.name = "myslab_sizes",
	.init = slab_fixture_init,
	.test_cases = myslab_sizes_cases,
};

kunit_test_suites(&myslab_sizes_suite);
