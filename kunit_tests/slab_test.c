// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite myslab_slab: the slab cache layer on a private region per case.
 *
 * Every case ends with its caches destroyed and the fixture checks that the
 * region is sound and entirely free again: shrink and destroy give back
 * every slab, to the page.
 */
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/irq_work.h>
#include <linux/kasan.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/swab.h>
#include <linux/wait.h>

#include "slab_fixture.h"
#include "core/slab/slab_magazine.h"

/* === Helpers === */

/* An ERR_PTR with exactly @err; a cache created by mistake is destroyed. */
static void expect_create_err(struct kunit *test, struct myslab_cache *cache,
			      long err, const char *what)
{
	if (!IS_ERR(cache)) {
		KUNIT_FAIL(test, "%s: created, expected %ld", what, err);
		myslab_cache_destroy(cache);
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(cache), err, "%s", what);
}

static void expect_same_stats(struct kunit *test,
			      const struct myslab_cache_stats *a,
			      const struct myslab_cache_stats *b)
{
	KUNIT_EXPECT_EQ(test, a->active_objs, b->active_objs);
	KUNIT_EXPECT_EQ(test, a->num_objs, b->num_objs);
	KUNIT_EXPECT_EQ(test, a->active_slabs, b->active_slabs);
	KUNIT_EXPECT_EQ(test, a->num_slabs, b->num_slabs);
	KUNIT_EXPECT_EQ(test, a->empty_slabs, b->empty_slabs);
	KUNIT_EXPECT_EQ(test, a->partial_slabs, b->partial_slabs);
	KUNIT_EXPECT_EQ(test, a->full_slabs, b->full_slabs);
	KUNIT_EXPECT_EQ(test, a->cpu_cached, b->cpu_cached);
	KUNIT_EXPECT_EQ(test, a->corrupted_slabs, b->corrupted_slabs);
}

static unsigned long slab_bytes(const struct myslab_cache_stats *st)
{
	return PAGE_SIZE << st->order;
}

/* The slab block an object lies in, as the buddy allocator sees it. */
static void *slab_base_of(struct kunit *test, struct myslab_region *region,
			  const void *obj, unsigned int order)
{
	struct myslab_block_info info;

	KUNIT_ASSERT_EQ(test, myslab_block_lookup(region, obj, &info), 0);
	KUNIT_EXPECT_EQ(test, info.state, MYSLAB_BLOCK_SLAB);
	KUNIT_EXPECT_EQ(test, info.order, order);
	return info.base;
}

/* Write a free-list link the way the allocator encodes it. */
static void plant_link(struct myslab_cache *cache, void *obj, const void *next)
{
	unsigned long addr = (unsigned long)obj + cache->freeptr_offset;

	*(unsigned long *)addr = (unsigned long)next ^ cache->secret ^ swab(addr);
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* === Creation === */

static void slab_create_destroy(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_cache_stats st;
	struct myslab_cache *cache;

	cache = slab_test_cache(test, "t-create", 100, 0, 0, NULL);
	KUNIT_EXPECT_STREQ(test, myslab_cache_name(cache), "t-create");
	KUNIT_EXPECT_PTR_EQ(test, myslab_cache_region(cache), region);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_STREQ(test, st.name, "t-create");
	KUNIT_EXPECT_EQ(test, st.object_size, 100);
	KUNIT_EXPECT_EQ(test, st.slot_size, 104);
	KUNIT_EXPECT_EQ(test, st.align, 8);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 0);	/* slabs come with use */
	KUNIT_EXPECT_EQ(test, st.shared, 8);	/* a barn of 8 batches ... */
	KUNIT_EXPECT_EQ(test, st.shared_avail, 0);	/* ... empty */
	KUNIT_EXPECT_EQ(test, myslab_cache_usable_size(cache), 104);

	expect_create_err(test, myslab_cache_create(region, "t-create", 64, 0, 0, NULL),
			  -EEXIST, "duplicate name");
	expect_create_err(test, myslab_cache_create(region, "", 64, 0, 0, NULL),
			  -EINVAL, "empty name");
	expect_create_err(test, myslab_cache_create(region, NULL, 64, 0, 0, NULL),
			  -EINVAL, "NULL name");
	expect_create_err(test, myslab_cache_create(region, "has space", 64, 0, 0, NULL),
			  -EINVAL, "name with a space");
	expect_create_err(test, myslab_cache_create(region, "tab\tname", 64, 0, 0, NULL),
			  -EINVAL, "name with a tab");
	expect_create_err(test, myslab_cache_create(region, "ctl\x01", 64, 0, 0, NULL),
			  -EINVAL, "name with a control character");
	expect_create_err(test, myslab_cache_create(region, "high\x80", 64, 0, 0, NULL),
			  -EINVAL, "name with a non-ASCII byte");
	expect_create_err(test, myslab_cache_create(region,
						    "a-name-of-32-characters-is-long-", 64,
						    0, 0, NULL),
			  -EINVAL, "32-character name");
	expect_create_err(test, myslab_cache_create(region, "t-size0", 0, 0, 0, NULL),
			  -EINVAL, "size 0");
	expect_create_err(test, myslab_cache_create(region, "t-align3", 64, 3, 0, NULL),
			  -EINVAL, "alignment 3");
	expect_create_err(test, myslab_cache_create(region, "t-alignbig", 64,
						    2 * PAGE_SIZE, 0, NULL),
			  -EINVAL, "alignment above a page");
	expect_create_err(test, myslab_cache_create(region, "t-flags", 64, 0, 0x100, NULL),
			  -EINVAL, "unknown flag");
	expect_create_err(test, myslab_cache_create(region, "t-huge",
						    PAGE_SIZE << MYSLAB_SLAB_MAX_ORDER_LARGE,
						    0, 0, NULL),
			  -E2BIG, "object larger than the largest slab");
	expect_create_err(test, myslab_cache_create(NULL, "t-noregion", 64, 0, 0, NULL),
			  -EINVAL, "no region");

	KUNIT_EXPECT_EQ(test, slab_test_cache_destroy(test, cache), 0);
	/* The name is free again, and 31 characters are fine. */
	cache = slab_test_cache(test, "t-create", 64, 0, 0, NULL);
	slab_test_cache_done(test, cache);
	cache = slab_test_cache(test, "a-name-of-31-characters-is-fine", 64, 0, 0, NULL);
	slab_test_cache_done(test, cache);
	KUNIT_EXPECT_EQ(test, myslab_cache_destroy(NULL), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_destroy(ERR_PTR(-EINVAL)), 0);
}

/* === Geometry === */

struct geo_case {
	unsigned int size;
	unsigned int align;
	unsigned int flags;
	bool ctor;
	unsigned int order;	/* expected, when objs is non-zero */
	unsigned int objs;
};

static const struct geo_case geo_cases[] = {
	{ 1, 0, 0, false },
	{ 8, 0, 0, false },
	{ 13, 0, 0, false },
	{ 24, 8, 0, false },
	{ 40, 0, MYSLAB_HWCACHE_ALIGN, false },
	{ 64, 64, 0, false },
	{ 100, 0, MYSLAB_HWCACHE_ALIGN, false },
	{ 100, 0, 0, true },
	{ 192, 0, 0, false },
	{ 256, 256, 0, false },
	{ 500, 16, 0, true },
	{ 512, 512, 0, false, 1, 15 },
	{ 700, 0, 0, false, 1, 11 },
	{ 1000, 0, 0, false },
	{ 1024, 1024, 0, false, 2, 15 },
	{ 2048, 2048, 0, false, 3, 15 },
	{ 3000, 0, 0, false },
	{ 4096, 4096, 0, false, 4, 15 },	/* kmalloc-4k */
	{ 8192, 4096, 0, false, 5, 15 },	/* kmalloc-8k */
	{ 5000, 0, MYSLAB_HWCACHE_ALIGN, false },
	{ 9344, 64, 0, false, 5, 14 },	/* task_struct, debug 6.1 */
	{ 9792, 64, 0, false, 5, 13 },	/* task_struct, stock 6.1 */
	{ 16384, 0, 0, false },
	{ 20000, 0, 0, false },
	{ 32000, 0, 0, true },
};

static void geo_case_desc(const struct geo_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u align %u%s%s", c->size,
		 c->align, c->flags ? " hwcache" : "", c->ctor ? " ctor" : "");
}

KUNIT_ARRAY_PARAM(geo, geo_cases, geo_case_desc);

/* The slab header for @n objects: a free byte and a list bit each, in words. */
static unsigned int slab_header_bytes(unsigned int n)
{
	return MYSLAB_SLAB_HEADER_FIXED + ALIGN(n, sizeof(long)) +
	       BITS_TO_LONGS(n) * sizeof(long);
}

static void slab_geometry_identities(struct kunit *test)
{
	const struct geo_case *c = test->param_value;
	struct myslab_slab_geometry g;
	unsigned int bytes, min_align, payload;

	KUNIT_ASSERT_EQ(test, myslab_slab_geometry(c->size, c->align, c->flags,
						   c->ctor, 10, &g), 0);
	bytes = PAGE_SIZE << g.order;
	min_align = max_t(unsigned int, c->align, sizeof(void *));
	payload = c->ctor ? ALIGN(c->size, sizeof(void *)) + sizeof(void *) : c->size;

	KUNIT_EXPECT_LE(test, g.order, g.slot_size >= PAGE_SIZE ?
					MYSLAB_SLAB_MAX_ORDER_LARGE :
					MYSLAB_SLAB_MAX_ORDER);
	KUNIT_EXPECT_TRUE(test, is_power_of_2(g.align));
	KUNIT_EXPECT_GE(test, g.align, min_align);
	if (c->flags & MYSLAB_HWCACHE_ALIGN)
		KUNIT_EXPECT_GE(test, g.align,
				min_t(unsigned int, L1_CACHE_BYTES,
				      roundup_pow_of_two(c->size)));
	KUNIT_EXPECT_EQ(test, g.slot_size % g.align, 0);
	KUNIT_EXPECT_EQ(test, g.slot_size, ALIGN(payload, g.align));
	KUNIT_EXPECT_EQ(test, g.freeptr_offset,
			c->ctor ? ALIGN(c->size, sizeof(void *)) : 0);
	KUNIT_EXPECT_GE(test, g.objs_per_slab, 1);
	KUNIT_EXPECT_EQ(test, g.header_size, slab_header_bytes(g.objs_per_slab));
	KUNIT_EXPECT_EQ(test, g.first_offset, ALIGN(g.header_size, g.align));
	/* Header + slots + leftover cover the slab exactly. */
	KUNIT_EXPECT_EQ(test, g.header_size + g.objs_per_slab * g.slot_size + g.waste,
			bytes);
	/* One more object would not fit. */
	KUNIT_EXPECT_GT(test, ALIGN(slab_header_bytes(g.objs_per_slab + 1),
				    g.align) + (g.objs_per_slab + 1) * g.slot_size,
			bytes);
	KUNIT_EXPECT_EQ(test, g.colour_step, max_t(unsigned int, L1_CACHE_BYTES, g.align));
	KUNIT_EXPECT_EQ(test, g.colour_range,
			(bytes - g.first_offset - g.objs_per_slab * g.slot_size) /
			g.colour_step + 1);
	/* Leftover at most 1/4 of the slab, unless one object is all that fits. */
	if (g.objs_per_slab > 1)
		KUNIT_EXPECT_LE(test, g.waste * 4, bytes);
	if (c->objs) {
		KUNIT_EXPECT_EQ(test, g.order, c->order);
		KUNIT_EXPECT_EQ(test, g.objs_per_slab, c->objs);
	}
	/* Small objects get at least MYSLAB_SLAB_MIN_OBJECTS per slab. */
	if (g.slot_size <= PAGE_SIZE / MYSLAB_SLAB_MIN_OBJECTS)
		KUNIT_EXPECT_GE(test, g.objs_per_slab, MYSLAB_SLAB_MIN_OBJECTS);
}

static void slab_geometry_limits(struct kunit *test)
{
	struct myslab_slab_geometry g;

	KUNIT_EXPECT_EQ(test, myslab_slab_geometry(0, 0, 0, false, 10, &g), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_slab_geometry(64, 48, 0, false, 10, &g), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_slab_geometry(64, 0, 0x80, false, 10, &g), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_slab_geometry(UINT_MAX, 0, 0, false, 10, &g), -E2BIG);
	KUNIT_EXPECT_EQ(test, myslab_slab_geometry(PAGE_SIZE << MYSLAB_SLAB_MAX_ORDER_LARGE,
						   0, 0, false, 10, &g), -E2BIG);
	/* A region whose blocks stop at order 0 caps the slab order. */
	KUNIT_EXPECT_EQ(test, myslab_slab_geometry(5000, 0, 0, false, 0, &g), -E2BIG);
	KUNIT_EXPECT_EQ(test, myslab_slab_geometry(2048, 0, 0, false, 0, &g), 0);
	KUNIT_EXPECT_EQ(test, g.order, 0);
	KUNIT_EXPECT_EQ(test, g.objs_per_slab, 1);
}

/* === Objects: alignment, size, inside their slab, never overlapping === */

struct obj_case {
	unsigned int size;
	unsigned int align;
	unsigned int flags;
};

static const struct obj_case obj_cases[] = {
	{ 1, 0, 0 }, { 7, 0, 0 }, { 8, 8, 0 }, { 16, 16, 0 }, { 24, 0, 0 },
	{ 40, 8, MYSLAB_HWCACHE_ALIGN }, { 64, 64, 0 }, { 96, 32, 0 },
	{ 100, 0, MYSLAB_HWCACHE_ALIGN }, { 128, 128, 0 }, { 200, 0, 0 },
	{ 256, 256, 0 }, { 300, 16, 0 }, { 512, 512, 0 },
	{ 1000, 0, MYSLAB_HWCACHE_ALIGN }, { 1024, 1024, 0 }, { 2000, 64, 0 },
	{ 2048, 2048, 0 }, { 3000, 0, 0 }, { 4096, 4096, 0 },
	{ 5000, 0, MYSLAB_HWCACHE_ALIGN }, { 8192, 4096, 0 }, { 9792, 64, 0 },
	{ 20000, 0, 0 },
};

static void obj_case_desc(const struct obj_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u align %u%s", c->size,
		 c->align, c->flags ? " hwcache" : "");
}

KUNIT_ARRAY_PARAM(objs, obj_cases, obj_case_desc);

#define OBJ_TEST_MAX	1200

static void slab_objects_aligned_inside_disjoint(struct kunit *test)
{
	const struct obj_case *c = test->param_value;
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	unsigned long *sorted;
	unsigned int i, nr, usable;
	void **objs;

	cache = slab_test_cache(test, "t-objs", c->size, c->align, c->flags, NULL);
	myslab_cache_stats(cache, &st);
	usable = myslab_cache_usable_size(cache);
	KUNIT_EXPECT_GE(test, usable, c->size);
	nr = min_t(unsigned int, 3 * st.objs_per_slab + 1, OBJ_TEST_MAX);
	objs = kunit_kcalloc(test, nr, sizeof(void *), GFP_KERNEL);
	sorted = kunit_kcalloc(test, nr, sizeof(unsigned long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_ASSERT_NOT_NULL(test, sorted);

	for (i = 0; i < nr; i++) {
		void *base;

		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)objs[i], st.align),
				      "object %u misaligned for %u", i, st.align);
		if (c->align)
			KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)objs[i], c->align));
		base = slab_base_of(test, region, objs[i], st.order);
		KUNIT_EXPECT_GE(test, (unsigned long)objs[i],
				(unsigned long)base + st.header_size);
		KUNIT_EXPECT_LE(test, (unsigned long)objs[i] + st.slot_size,
				(unsigned long)base + slab_bytes(&st));
		memset(objs[i], i & 0xff, usable);
		sorted[i] = (unsigned long)objs[i];
	}
	/* Objects never overlap: sorted starts at least a slot apart ... */
	sort(sorted, nr, sizeof(*sorted), cmp_ptr, NULL);
	for (i = 1; i < nr; i++)
		KUNIT_EXPECT_GE(test, sorted[i] - sorted[i - 1], st.slot_size);
	/* ... and every object still holds exactly what was written in it. */
	for (i = 0; i < nr; i++) {
		u8 *p = objs[i];
		unsigned int b;

		for (b = 0; b < usable; b++)
			if (p[b] != (i & 0xff))
				break;
		KUNIT_EXPECT_EQ_MSG(test, b, usable, "object %u overwritten", i);
	}
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, nr);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 0);
	slab_test_cache_done(test, cache);
}

/* Successive slabs start their first object one colour step further. */
static void slab_colouring(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	void *bases[4] = { NULL }, *objs[4 * 11];
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	unsigned int i, nr_bases = 0, k;

	/* 700-byte objects: 704-byte slots, order 1, 11 per slab, 376 bytes left: 6 colours. */
	cache = slab_test_cache(test, "t-colour", 700, 0, 0, NULL);
	myslab_cache_stats(cache, &st);
	KUNIT_ASSERT_EQ(test, st.objs_per_slab, 11);
	KUNIT_ASSERT_EQ(test, st.colour_range, 6);
	/* One object per refill: slabs are met in the order they were made. */
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 1, 1, 0), 0);
	migrate_disable();
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
	migrate_enable();
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		void *base;

		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		base = slab_base_of(test, region, objs[i], st.order);
		for (k = 0; k < nr_bases && bases[k] != base; k++)
			;
		if (k == nr_bases) {
			KUNIT_ASSERT_LT(test, nr_bases, ARRAY_SIZE(bases));
			bases[nr_bases++] = base;
		}
		/* Slab k (in order of creation) has colour k. */
		KUNIT_EXPECT_EQ(test,
				(objs[i] - base - ALIGN(st.header_size, st.align)) %
				st.slot_size,
				(k % st.colour_range) * st.colour_step);
	}
	KUNIT_EXPECT_EQ(test, nr_bases, 4);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		myslab_cache_free(cache, objs[i]);
	slab_test_cache_done(test, cache);
}

/* === Constructor === */

#define CTOR_SIZE	120
#define CTOR_BYTE	0xc7

static atomic_t ctor_calls = ATOMIC_INIT(0);

static void test_ctor(void *obj)
{
	atomic_inc(&ctor_calls);
	memset(obj, CTOR_BYTE, CTOR_SIZE);
}

static bool constructed(const void *obj)
{
	const u8 *p = obj;
	unsigned int i;

	for (i = 0; i < CTOR_SIZE; i++)
		if (p[i] != CTOR_BYTE)
			return false;
	return true;
}

static void slab_ctor_runs_at_populate(struct kunit *test)
{
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	unsigned int i, n;
	void **objs;

	atomic_set(&ctor_calls, 0);
	cache = slab_test_cache(test, "t-ctor", CTOR_SIZE, 0, 0, test_ctor);
	myslab_cache_stats(cache, &st);
	n = st.objs_per_slab;
	KUNIT_EXPECT_EQ(test, st.slot_size, ALIGN(CTOR_SIZE, 8) + 8);
	KUNIT_EXPECT_EQ(test, myslab_cache_usable_size(cache), ALIGN(CTOR_SIZE, 8));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), 0);
	/* Every free goes back to its slab's free list at once. */
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 1, 1, 0), 0);
	objs = kunit_kcalloc(test, n, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	objs[0] = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs[0]);
	/* Populating the slab constructed all of its objects, once. */
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), n);
	for (i = 1; i < n; i++) {
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, constructed(objs[i]), "object %u", i);

	/* Through the slab's free list and back: still constructed. */
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
	for (i = 0; i < n; i++) {
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_TRUE_MSG(test, constructed(objs[i]), "object %u", i);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), n);
	for (i = 0; i < n; i++)
		myslab_cache_free(cache, objs[i]);

	/* A slab given back and taken again is populated again. */
	KUNIT_EXPECT_EQ(test, myslab_cache_shrink(cache), 1UL << st.order);
	objs[0] = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), 2 * n);
	KUNIT_EXPECT_TRUE(test, constructed(objs[0]));
	myslab_cache_free(cache, objs[0]);
	slab_test_cache_done(test, cache);
}

static void slab_gfp_zero(struct kunit *test)
{
	struct myslab_cache *cache;
	unsigned int i;
	u8 *p;

	cache = slab_test_cache(test, "t-zero", 200, 0, 0, NULL);
	migrate_disable();
	p = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xaa, 200);
	myslab_cache_free(cache, p);
	/* The same object comes back (newest of this CPU's magazine), zeroed. */
	KUNIT_EXPECT_PTR_EQ(test, myslab_cache_alloc(cache, GFP_KERNEL | __GFP_ZERO),
			    (void *)p);
	migrate_enable();
	for (i = 0; i < 200; i++)
		if (p[i])
			break;
	KUNIT_EXPECT_EQ(test, i, 200);
	myslab_cache_free(cache, p);
	slab_test_cache_done(test, cache);
}

/* Offset of the first byte of @p[0..@len) that is not zero, or @len. */
static unsigned int first_nonzero(const void *p, unsigned int len)
{
	const u8 *b = p;
	unsigned int i;

	for (i = 0; i < len && !b[i]; i++)
		;
	return i;
}

/*
 * __GFP_ZERO zeroes the whole usable size, padding included, and the
 * kernel's policy (init_on_alloc, init_on_free, as this kernel was booted)
 * decides the rest as SLUB's rules do: a constructed object is never wiped
 * under init_on_alloc.
 */
static void slab_init_on_alloc_whole_usable_size(struct kunit *test)
{
	bool policy = want_init_on_alloc(0) || want_init_on_free();
	struct myslab_cache *cache, *ctor_cache;
	unsigned int usable;
	u8 *p, *q;

	/* 100 bytes aligned to a cache line: padding the owner may use. */
	cache = slab_test_cache(test, "t-zero-pad", 100, 0, MYSLAB_HWCACHE_ALIGN,
				NULL);
	usable = myslab_cache_usable_size(cache);
	KUNIT_ASSERT_GT(test, usable, 100);

	migrate_disable();
	p = myslab_cache_alloc(cache, GFP_KERNEL);
	if (p) {
		memset(p, 0xaa, usable);
		myslab_cache_free(cache, p);
	}
	/* The same object comes back (newest of this CPU's magazine). */
	q = myslab_cache_alloc(cache, GFP_KERNEL | __GFP_ZERO);
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_EQ(test, first_nonzero(q, usable), usable);

	/* Without __GFP_ZERO: zeroed exactly when the policy says so. */
	memset(q, 0xaa, usable);
	migrate_disable();
	myslab_cache_free(cache, q);
	p = myslab_cache_alloc(cache, GFP_KERNEL);
	migrate_enable();
	KUNIT_ASSERT_PTR_EQ(test, p, q);
	if (policy)
		KUNIT_EXPECT_EQ(test, first_nonzero(p, usable), usable);
	else
		KUNIT_EXPECT_NULL(test, memchr_inv(p, 0xaa, usable));
	myslab_cache_free(cache, p);
	slab_test_cache_done(test, cache);

	/* A constructor's state survives init_on_alloc, not __GFP_ZERO alone. */
	ctor_cache = slab_test_cache(test, "t-zero-ctor", CTOR_SIZE, 0, 0,
				     test_ctor);
	usable = myslab_cache_usable_size(ctor_cache);
	KUNIT_ASSERT_GE(test, usable, CTOR_SIZE);
	p = myslab_cache_alloc(ctor_cache, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	if (want_init_on_alloc(0))
		KUNIT_EXPECT_TRUE(test, constructed(p));
	else
		KUNIT_EXPECT_EQ(test, first_nonzero(p, usable), usable);
	test_ctor(p);	/* freed in constructed state, as the contract asks */
	myslab_cache_free(ctor_cache, p);
	slab_test_cache_done(test, ctor_cache);
}

/*
 * Allocation works with interrupts off and from atomic context (with
 * PREEMPT_RT: pinned, myslab_test_irq_save()).
 */
static void slab_alloc_irqs_disabled(struct kunit *test)
{
	struct myslab_cache *cache;
	unsigned long flags;
	void *objs[40];
	bool irqs_off;
	unsigned int i;
	int err = 0;

	cache = slab_test_cache(test, "t-irqoff", 512, 0, 0, NULL);
	myslab_test_pin();
	flags = myslab_test_irq_save();
	irqs_off = irqs_disabled();
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		objs[i] = myslab_cache_alloc(cache, GFP_ATOMIC);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		err |= myslab_cache_free(cache, objs[i]);
	myslab_test_irq_restore(flags);
	myslab_test_unpin();
	KUNIT_EXPECT_EQ(test, irqs_off, !IS_ENABLED(CONFIG_PREEMPT_RT));
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		KUNIT_EXPECT_NOT_NULL(test, objs[i]);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_GT(test, myslab_cache_shrink(cache), 0);
	slab_test_cache_done(test, cache);
}

/* === Magazines === */

static void slab_magazine_refill_flush(struct kunit *test)
{
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void *objs[12];
	unsigned int i;

	cache = slab_test_cache(test, "t-magazine", 64, 0, 0, NULL);
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 8, 4, 0), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.limit, 8);
	KUNIT_EXPECT_EQ(test, st.batchcount, 4);
	KUNIT_ASSERT_GE(test, st.objs_per_slab, 16);

	migrate_disable();
	/* Empty magazine: the first allocation refills 4 and takes one. */
	objs[0] = myslab_cache_alloc(cache, GFP_KERNEL);
	myslab_cache_counters(cache, c);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_ALLOC_SLOW], 1);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_ALLOC_FAST], 0);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_REFILLS], 1);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_SLABS_TAKEN], 1);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 3);
	KUNIT_EXPECT_EQ(test, st.active_objs, 1);
	/* 11 more: 3 fast, refill, 3 fast, refill, 3 fast... */
	for (i = 1; i < 12; i++)
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
	myslab_cache_counters(cache, c);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_ALLOC_SLOW], 3);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_ALLOC_FAST], 9);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_REFILLS], 3);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 0);
	KUNIT_EXPECT_EQ(test, st.active_objs, 12);

	/* Free 12: 8 fill the magazine, the 9th flushes the 4 oldest first. */
	for (i = 0; i < 12; i++)
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
	myslab_cache_counters(cache, c);
	myslab_cache_stats(cache, &st);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_FREE_FAST], 11);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_FREE_SLOW], 1);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_FLUSHES], 1);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 8);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 1);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);

	/* Retuning below the fill level flushes the excess. */
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 2, 1, 0), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 2);
	KUNIT_EXPECT_EQ(test, st.limit, 2);
	KUNIT_EXPECT_EQ(test, st.batchcount, 1);

	/* Shrink drains the magazine and gives the slab back. */
	KUNIT_EXPECT_EQ(test, myslab_cache_shrink(cache), 1UL << st.order);
	myslab_cache_counters(cache, c);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 0);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 0);
	KUNIT_EXPECT_GE(test, c[MYSLAB_CACHE_DRAINS], 1);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_SLABS_GIVEN], 1);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 0);
	slab_test_cache_done(test, cache);
}

/*
 * The barn between the magazines and the slabs: a flush goes there while it
 * has room, a refill takes from there first (the newest objects), and the
 * slabs see neither; a smaller barn, and a shrink, give its objects back to
 * their slabs. Validation counts the barn's objects as free.
 */
static void slab_barn_refill_flush(struct kunit *test)
{
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS], free_on_slabs;
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void *objs[12], *again[9];
	unsigned int i;

	cache = slab_test_cache(test, "t-barn", 64, 0, 0, NULL);
	/* Magazines of 4, batches of 2, a barn of 2 batches (4 objects). */
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 4, 2, 2), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.shared, 2);
	KUNIT_ASSERT_GE(test, st.objs_per_slab, 32);

	migrate_disable();
	for (i = 0; i < 12; i++)
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
	/*
	 * 12 frees: the 5th and 7th flush their 2 oldest into the barn,
	 * which is then full; the 9th and 11th flush to the slabs.
	 */
	for (i = 0; i < 12; i++)
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
	myslab_cache_counters(cache, c);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_REFILLS], 6);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_REFILLS_BARN], 0);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_FLUSHES], 4);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_FLUSHES_BARN], 2);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 4);
	KUNIT_EXPECT_EQ(test, st.shared_avail, 4);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	free_on_slabs = st.num_objs - st.cpu_cached - st.shared_avail;

	/*
	 * 9 allocations: 4 from the magazine, then two refills from the barn
	 * (objects 2 and 3, then 0 and 1, each pair newest first), then one
	 * from the slabs.
	 */
	for (i = 0; i < 9; i++)
		again[i] = myslab_cache_alloc(cache, GFP_KERNEL);
	myslab_cache_counters(cache, c);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_PTR_EQ(test, again[4], objs[3]);
	KUNIT_EXPECT_PTR_EQ(test, again[5], objs[2]);
	KUNIT_EXPECT_PTR_EQ(test, again[6], objs[1]);
	KUNIT_EXPECT_PTR_EQ(test, again[7], objs[0]);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_REFILLS], 9);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_REFILLS_BARN], 2);
	KUNIT_EXPECT_EQ(test, st.shared_avail, 0);
	KUNIT_EXPECT_EQ(test, st.active_objs, 9);
	/* Only the last refill came from the slabs. */
	KUNIT_EXPECT_EQ(test, st.num_objs - st.cpu_cached - 9, free_on_slabs - 2);

	/* 9 frees: the barn fills again, the magazine ends full. */
	for (i = 0; i < 9; i++)
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, again[i]), 0);
	migrate_enable();
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.shared_avail, 4);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 4);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);

	/* No barn: its objects go back to their slabs. */
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 4, 2, 0), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.shared, 0);
	KUNIT_EXPECT_EQ(test, st.shared_avail, 0);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);

	/* A barn again, filled, then shrunk: every slab goes back. */
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 4, 2, 2), 0);
	migrate_disable();
	for (i = 0; i < 12; i++)
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
	for (i = 0; i < 12; i++)
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
	myslab_cache_stats(cache, &st);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, st.shared_avail, 4);
	KUNIT_EXPECT_GT(test, myslab_cache_shrink(cache), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.shared_avail, 0);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 0);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 0);
	slab_test_cache_done(test, cache);
}

/*
 * An interrupt that finds its CPU's magazine locked (it interrupted that
 * CPU's own fast path) goes to the slabs under the cache lock and leaves the
 * magazine alone: the lock is a CPU lock with no interrupt toggling, so the
 * interrupt really does arrive inside the section. The irq_work runs in hard
 * interrupt context without PREEMPT_RT and in its CPU's irq_work thread with
 * it; either way on this CPU, while the case holds the magazine's lock.
 */
struct mag_irq_ctx {
	struct irq_work work;
	struct myslab_cache *cache;
	void *saved[MYSLAB_MAGAZINE_MAX];
	unsigned int count;
	void *one, *bulk[8], *pair[3];
	int bulk_nr, pair_nr, free_err, double_free_err;
	bool hardirq;
	int cpu;
	bool done;
};

static void mag_irq_fn(struct irq_work *work)
{
	struct mag_irq_ctx *ctx = container_of(work, struct mag_irq_ctx, work);
	struct myslab_cache *cache = ctx->cache;

	ctx->cpu = smp_processor_id();
	ctx->hardirq = in_hardirq();
	ctx->one = myslab_cache_alloc(cache, GFP_ATOMIC);
	if (ctx->one) {
		ctx->free_err = myslab_cache_free(cache, ctx->one);
		ctx->double_free_err = myslab_cache_free(cache, ctx->one);
	}
	ctx->bulk_nr = myslab_cache_alloc_bulk(cache, GFP_ATOMIC,
					       ARRAY_SIZE(ctx->bulk), ctx->bulk);
	/* A bulk free naming one object twice: one free and one double free. */
	ctx->pair_nr = myslab_cache_alloc_bulk(cache, GFP_ATOMIC, 2, ctx->pair);
	if (ctx->pair_nr == 2) {
		ctx->pair[2] = ctx->pair[0];
		myslab_cache_free_bulk(cache, ARRAY_SIZE(ctx->pair), ctx->pair);
	}
	/* The case reads the results once this is seen. */
	smp_store_release(&ctx->done, true);
}

static void slab_magazine_locked_irq_falls_back(struct kunit *test)
{
	unsigned long before[MYSLAB_CACHE_NR_COUNTERS];
	unsigned long after[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache_stats st_before, st;
	struct myslab_magazine *mag;
	struct myslab_cache *cache;
	struct mag_irq_ctx *ctx;
	unsigned long deadline, gen;
	unsigned int i, j, count;
	bool same = true;
	void *p;
	int cpu;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	cache = slab_test_cache(test, "t-mag-irq", 64, 0, 0, NULL);
	ctx->cache = cache;
	ctx->cpu = -1;
	init_irq_work(&ctx->work, mag_irq_fn);

	migrate_disable();
	cpu = smp_processor_id();
	/* Objects in this CPU's magazine. */
	p = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, p), 0);
	myslab_cache_stats(cache, &st_before);
	myslab_cache_counters(cache, before);

	mag = myslab_cpu_lock(cache->mags, lock);
	count = mag->count;
	gen = READ_ONCE(mag->gen);
	memcpy(ctx->saved, mag->objs, count * sizeof(void *));
	irq_work_queue(&ctx->work);
	deadline = jiffies + 10 * HZ;
	/* Pairs with mag_irq_fn()'s release: its results are visible. */
	while (!smp_load_acquire(&ctx->done) && time_before(jiffies, deadline))
		cpu_relax();
	/* Nothing of the magazine moved while the interrupt ran. */
	same = mag->count == count && READ_ONCE(mag->gen) == gen &&
	       !memcmp(ctx->saved, mag->objs, count * sizeof(void *));
	myslab_cpu_unlock(&mag->lock);
	migrate_enable();
	irq_work_sync(&ctx->work);

	/* irq_work_sync() waited for it: a plain read is enough. */
	KUNIT_ASSERT_TRUE_MSG(test, READ_ONCE(ctx->done),
			      "the irq_work never ran");
	KUNIT_EXPECT_GE(test, count, 1U);
	KUNIT_EXPECT_TRUE(test, same);
	KUNIT_EXPECT_EQ(test, ctx->cpu, cpu);
	KUNIT_EXPECT_EQ(test, ctx->hardirq, !IS_ENABLED(CONFIG_PREEMPT_RT));
	KUNIT_ASSERT_NOT_NULL(test, ctx->one);
	KUNIT_EXPECT_EQ(test, ctx->free_err, 0);
	KUNIT_EXPECT_EQ(test, ctx->double_free_err, -EALREADY);
	KUNIT_EXPECT_EQ(test, ctx->bulk_nr, (int)ARRAY_SIZE(ctx->bulk));
	KUNIT_EXPECT_EQ(test, ctx->pair_nr, 2);
	/* Served by the slabs: none of them came from the magazine. */
	for (i = 0; i < count; i++) {
		KUNIT_EXPECT_PTR_NE(test, ctx->one, ctx->saved[i]);
		for (j = 0; j < ctx->bulk_nr; j++)
			KUNIT_EXPECT_PTR_NE(test, ctx->bulk[j], ctx->saved[i]);
	}
	myslab_cache_counters(cache, after);
	KUNIT_EXPECT_EQ(test, after[MYSLAB_CACHE_ALLOC_FAST],
			before[MYSLAB_CACHE_ALLOC_FAST]);
	KUNIT_EXPECT_EQ(test, after[MYSLAB_CACHE_FREE_FAST],
			before[MYSLAB_CACHE_FREE_FAST]);
	/* One slow allocation per object: the single one and the bulks'. */
	KUNIT_EXPECT_EQ(test, after[MYSLAB_CACHE_ALLOC_SLOW],
			before[MYSLAB_CACHE_ALLOC_SLOW] + 1 + ctx->bulk_nr +
			ctx->pair_nr);
	KUNIT_EXPECT_EQ(test, after[MYSLAB_CACHE_FREE_SLOW],
			before[MYSLAB_CACHE_FREE_SLOW] + 1 + ctx->pair_nr);
	/* The single one's and the bulk free's, caught on the slow road. */
	KUNIT_EXPECT_EQ(test, after[MYSLAB_CACHE_ERR_DOUBLE_FREE],
			before[MYSLAB_CACHE_ERR_DOUBLE_FREE] + 2);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs,
			st_before.active_objs + ctx->bulk_nr);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, st_before.cpu_cached);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	myslab_cache_free_bulk(cache, ctx->bulk_nr, ctx->bulk);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, st_before.active_objs);
	KUNIT_EXPECT_GT(test, myslab_cache_shrink(cache), 0);
	slab_test_cache_done(test, cache);
}

static void slab_tune_rejects(struct kunit *test)
{
	struct myslab_cache_stats before, after;
	struct myslab_cache *cache;

	cache = slab_test_cache(test, "t-tune", 64, 0, 0, NULL);
	myslab_cache_stats(cache, &before);
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 0, 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 8, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 8, 9, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, MYSLAB_MAGAZINE_MAX + 1, 1, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 8, 4, MYSLAB_SHARED_MAX + 1),
			-EINVAL);
	myslab_cache_stats(cache, &after);
	KUNIT_EXPECT_EQ(test, after.limit, before.limit);
	KUNIT_EXPECT_EQ(test, after.batchcount, before.batchcount);
	KUNIT_EXPECT_EQ(test, after.shared, before.shared);
	/* The largest magazines and barn. */
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, MYSLAB_MAGAZINE_MAX,
						MYSLAB_MAGAZINE_MAX,
						MYSLAB_SHARED_MAX), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, 1, 1, 0), 0);
	slab_test_cache_done(test, cache);
}

/* === Giving memory back === */

static void slab_shrink_returns_every_empty_slab(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region), given;
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	unsigned int i, nr;
	void **objs;

	cache = slab_test_cache(test, "t-shrink", 256, 0, 0, NULL);
	myslab_cache_stats(cache, &st);
	nr = 6 * st.objs_per_slab;
	objs = kunit_kcalloc(test, nr, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < nr; i++) {
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_GE(test, st.num_slabs, 6);
	KUNIT_EXPECT_EQ(test, free_before - slab_test_free_pages(region),
			st.num_slabs << st.order);
	for (i = 0; i < nr; i++)
		myslab_cache_free(cache, objs[i]);
	/* Freeing alone keeps at most the reserve plus what magazines pin. */
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_LE(test, st.empty_slabs, MYSLAB_EMPTY_SLABS_KEPT);

	given = myslab_cache_shrink(cache);
	KUNIT_EXPECT_EQ(test, given, st.num_slabs << st.order);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 0);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 0);
	/* The buddy allocator has every page back, exactly. */
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	myslab_cache_counters(cache, c);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_SLABS_TAKEN], c[MYSLAB_CACHE_SLABS_GIVEN]);
	KUNIT_EXPECT_EQ(test, myslab_cache_shrink(cache), 0);
	slab_test_cache_done(test, cache);
}

/* A 4-page region holds 4 order-0 slabs of 15 256-byte objects: 60 in all. */
static void slab_bulk_all_or_nothing(struct kunit *test)
{
	struct myslab_region *tiny;
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void **objs, *one;
	unsigned int i, j;

	tiny = myslab_test_region_create(test, 4 * PAGE_SIZE, 2, 0)->region;
	cache = slab_test_cache_on(test, tiny, "t-bulk", 256, 0, 0, NULL);
	myslab_cache_stats(cache, &st);
	KUNIT_ASSERT_EQ(test, st.order, 0);
	KUNIT_ASSERT_EQ(test, st.objs_per_slab, 15);
	objs = kunit_kcalloc(test, 61, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	KUNIT_EXPECT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL, 61, objs), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ALLOC_FAILED), 1);

	/* With 10 handed out, 51 more cannot be had, 50 can. */
	for (i = 0; i < 10; i++) {
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL, 51, objs + 10), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 10);
	KUNIT_EXPECT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL, 50, objs + 10), 50);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 60);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 4);
	/* All 60 distinct. */
	for (i = 0; i < 60; i++)
		for (j = i + 1; j < 60; j++)
			KUNIT_EXPECT_PTR_NE(test, objs[i], objs[j]);
	/* Exhausted: a single allocation fails and changes nothing. */
	one = myslab_cache_alloc(cache, GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NULL(test, one);
	KUNIT_EXPECT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL, 1, objs + 60), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 60);

	myslab_cache_free_bulk(cache, 60, objs);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_shrink(cache), 4);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(tiny), 4);
	slab_test_cache_done(test, cache);
}

/* A bulk allocation zeroes every object's usable size, refills included. */
static void slab_bulk_alloc_zeroes_every_object(struct kunit *test)
{
	struct myslab_cache *cache;
	unsigned int usable, i, bad = 0;
	void *objs[40];
	int got;

	cache = slab_test_cache(test, "t-bulk-zero", 100, 0, MYSLAB_HWCACHE_ALIGN,
				NULL);
	usable = myslab_cache_usable_size(cache);
	KUNIT_ASSERT_GT(test, usable, 100);
	/* Refills of 5: the batch crosses several of them. */
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 10, 5, 0), 0);
	migrate_disable();
	got = myslab_cache_alloc_bulk(cache, GFP_KERNEL, ARRAY_SIZE(objs), objs);
	if (got) {
		for (i = 0; i < ARRAY_SIZE(objs); i++)
			memset(objs[i], 0xaa, usable);
		myslab_cache_free_bulk(cache, ARRAY_SIZE(objs), objs);
		/* The newest 10 come back from the magazine, the rest refilled. */
		got = myslab_cache_alloc_bulk(cache, GFP_KERNEL | __GFP_ZERO,
					      ARRAY_SIZE(objs), objs);
	}
	migrate_enable();
	KUNIT_ASSERT_EQ(test, got, (int)ARRAY_SIZE(objs));
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		bad += first_nonzero(objs[i], usable) != usable;
	KUNIT_EXPECT_EQ(test, bad, 0);
	myslab_cache_free_bulk(cache, ARRAY_SIZE(objs), objs);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 0);
	slab_test_cache_done(test, cache);
}

/*
 * Bulk free of a batch that holds refused pointers: each is reported and
 * counted once, every other object is freed exactly once, and the cache
 * validates clean (the batched path keeps the transit and generation rules
 * validation relies on). The batch is longer than one magazine lock hold.
 */
#define BULK_BAD_NR	300

/* @n objects allocated and as many freed, each once; @reports reports. */
static void bulk_free_expect(struct kunit *test, struct myslab_cache *cache,
			     unsigned long n, int reports)
{
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache_stats st;

	myslab_cache_counters(cache, c);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_ALLOC_FAST] + c[MYSLAB_CACHE_ALLOC_SLOW], n);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_FREE_FAST] + c[MYSLAB_CACHE_FREE_SLOW], n);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, slab_test_reports(), reports);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
}

static void slab_bulk_free_double_free_inside(struct kunit *test)
{
	struct myslab_cache *cache;
	void **objs, **batch;
	unsigned int i;

	slab_test_count_reports(test);
	objs = kunit_kcalloc(test, BULK_BAD_NR, sizeof(void *), GFP_KERNEL);
	batch = kunit_kcalloc(test, BULK_BAD_NR + 3, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_ASSERT_NOT_NULL(test, batch);
	cache = slab_test_cache(test, "t-bulk-df", 64, 0, 0, NULL);
	KUNIT_ASSERT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL,
						      BULK_BAD_NR, objs),
			BULK_BAD_NR);
	/* objs[7] was freed already; objs[3] and objs[280] come twice. */
	KUNIT_ASSERT_EQ(test, myslab_cache_free(cache, objs[7]), 0);
	for (i = 0; i < 10; i++)
		batch[i] = objs[i];
	batch[10] = objs[3];
	for (i = 10; i < BULK_BAD_NR; i++)
		batch[i + 1] = objs[i];
	batch[BULK_BAD_NR + 1] = objs[280];
	batch[BULK_BAD_NR + 2] = NULL;
	myslab_cache_free_bulk(cache, BULK_BAD_NR + 3, batch);

	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_DOUBLE_FREE), 3);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 3);
	bulk_free_expect(test, cache, BULK_BAD_NR, 3);
	/*
	 * The newest ones are free in a magazine (older ones' slabs may have
	 * gone back to the buddy already): freeing them again is refused.
	 */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[BULK_BAD_NR - 2]),
			-EALREADY);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[BULK_BAD_NR - 1]),
			-EALREADY);
	KUNIT_EXPECT_EQ(test, slab_test_reports(), 5);
	slab_test_cache_done(test, cache);
}

static void slab_bulk_free_foreign_inside(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_cache_stats before, after;
	struct myslab_cache *cache, *other;
	unsigned long on_stack = 0;
	void **objs, **batch;
	void *theirs, *page;
	unsigned int i, n = 0;

	slab_test_count_reports(test);
	objs = kunit_kcalloc(test, BULK_BAD_NR, sizeof(void *), GFP_KERNEL);
	batch = kunit_kcalloc(test, BULK_BAD_NR + 4, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_ASSERT_NOT_NULL(test, batch);
	cache = slab_test_cache(test, "t-bulk-for", 64, 0, 0, NULL);
	other = slab_test_cache(test, "t-bulk-other", 64, 0, 0, NULL);
	theirs = myslab_cache_alloc(other, GFP_KERNEL);
	page = myslab_alloc_pages(region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, theirs);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL,
						      BULK_BAD_NR, objs),
			BULK_BAD_NR);
	myslab_cache_stats(other, &before);
	/* Another cache's object, an interior pointer, a page, the stack. */
	for (i = 0; i < BULK_BAD_NR; i++) {
		if (i == 0)
			batch[n++] = theirs;
		else if (i == 100)
			batch[n++] = objs[5] + 8;
		else if (i == 257)
			batch[n++] = page;
		else if (i == BULK_BAD_NR - 1)
			batch[n++] = &on_stack;
		batch[n++] = objs[i];
	}
	myslab_cache_free_bulk(cache, n, batch);

	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_WRONG_CACHE), 1);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_NOT_OBJECT), 2);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_OUTSIDE), 1);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 4);
	bulk_free_expect(test, cache, BULK_BAD_NR, 4);
	/* The other cache and the page are untouched. */
	myslab_cache_stats(other, &after);
	expect_same_stats(test, &before, &after);
	KUNIT_EXPECT_EQ(test, slab_test_errors(other), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(other, theirs), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(region, page, 0), 0);
	slab_test_cache_done(test, other);
	slab_test_cache_done(test, cache);
}

/* === Destroy with live objects === */

static void slab_destroy_with_live_objects(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region);
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void *objs[20], *bases[2];
	unsigned int i, order;

	cache = slab_test_cache(test, "t-leak", 512, 0, 0, NULL);
	myslab_cache_stats(cache, &st);
	order = st.order;
	KUNIT_ASSERT_EQ(test, st.objs_per_slab, 15);
	migrate_disable();
	for (i = 0; i < 20; i++)
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
	migrate_enable();
	for (i = 0; i < 20; i++)
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	/* Keep objs[0], objs[1] and objs[19]: two slabs stay in use. */
	for (i = 2; i < 19; i++)
		myslab_cache_free(cache, objs[i]);
	bases[0] = slab_base_of(test, region, objs[0], order);
	bases[1] = slab_base_of(test, region, objs[19], order);
	KUNIT_ASSERT_PTR_NE(test, bases[0], bases[1]);
	KUNIT_EXPECT_PTR_EQ(test, slab_base_of(test, region, objs[1], order), bases[0]);

	KUNIT_EXPECT_EQ(test, slab_test_cache_destroy(test, cache), 3);
	/* The two slabs in use stay allocated; nothing else does. */
	KUNIT_EXPECT_EQ(test, free_before - slab_test_free_pages(region), 2UL << order);
	slab_base_of(test, region, objs[0], order);
	slab_base_of(test, region, objs[19], order);
	/* The name is free again. */
	slab_test_cache_done(test, slab_test_cache(test, "t-leak", 64, 0, 0, NULL));
	/* A late free of a leaked object is refused, nothing changes. */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[1]), -ESTALE);
	KUNIT_EXPECT_EQ(test, free_before - slab_test_free_pages(region), 2UL << order);

	/* The case's owner of the leak gives the slabs back by hand. */
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, myslab_free_slab_block(region, bases[i], order), 0);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
}

/* === Misuse: reported, counted, refused, nothing changes === */

struct misuse_ctx {
	struct myslab_cache *cache;
	void *objs[4];
	struct myslab_cache_stats before;
	unsigned long counters[MYSLAB_CACHE_NR_COUNTERS];
};

static void misuse_begin(struct kunit *test, struct misuse_ctx *m,
			 const char *name)
{
	unsigned int i;

	m->cache = slab_test_cache(test, name, 64, 0, 0, NULL);
	for (i = 0; i < ARRAY_SIZE(m->objs); i++) {
		m->objs[i] = myslab_cache_alloc(m->cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, m->objs[i]);
	}
	myslab_cache_stats(m->cache, &m->before);
	myslab_cache_counters(m->cache, m->counters);
}

/* Exactly @n more of @counter and no other error; state unchanged. */
static void misuse_end(struct kunit *test, struct misuse_ctx *m,
		       enum myslab_cache_counter counter, unsigned long n)
{
	unsigned long now[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache_stats after;
	unsigned int i;

	myslab_cache_stats(m->cache, &after);
	expect_same_stats(test, &m->before, &after);
	myslab_cache_counters(m->cache, now);
	for (i = MYSLAB_CACHE_ERR_OUTSIDE; i < MYSLAB_CACHE_NR_COUNTERS; i++)
		KUNIT_EXPECT_EQ_MSG(test, now[i] - m->counters[i], i == counter ? n : 0,
				    "counter %s", myslab_cache_counter_name(i));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(m->cache), 0);
	for (i = 0; i < ARRAY_SIZE(m->objs); i++)
		if (m->objs[i])
			KUNIT_EXPECT_EQ(test, myslab_cache_free(m->cache, m->objs[i]), 0);
	slab_test_cache_done(test, m->cache);
}

static void slab_misuse_null_is_noop(struct kunit *test)
{
	struct misuse_ctx m;

	misuse_begin(test, &m, "t-null");
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, NULL), 0);
	myslab_cache_free_bulk(m.cache, 0, NULL);
	misuse_end(test, &m, MYSLAB_CACHE_NR_COUNTERS, 0);
}

static void slab_misuse_double_free(struct kunit *test)
{
	struct misuse_ctx m;
	void *a, *b;

	misuse_begin(test, &m, "t-double");
	a = m.objs[0];
	b = m.objs[1];
	/* Immediate: the first free went to the magazine. */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, a), 0);
	m.objs[0] = NULL;
	myslab_cache_stats(m.cache, &m.before);
	myslab_cache_counters(m.cache, m.counters);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, a), -EALREADY);
	/* Delayed, after the object went back to its slab's free list. */
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(m.cache, 1, 1, 0), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, b), 0);
	m.objs[1] = NULL;
	KUNIT_EXPECT_EQ(test, myslab_cache_shrink(m.cache), 0);	/* drains */
	myslab_cache_stats(m.cache, &m.before);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, b), -EALREADY);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, a), -EALREADY);
	misuse_end(test, &m, MYSLAB_CACHE_ERR_DOUBLE_FREE, 3);
}

static void slab_misuse_outside_region(struct kunit *test)
{
	struct misuse_ctx m;
	unsigned long on_stack = 0;
	void *heap;

	misuse_begin(test, &m, "t-outside");
	heap = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, heap);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, &on_stack), -EFAULT);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, heap), -EFAULT);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, (void *)1), -EFAULT);
	misuse_end(test, &m, MYSLAB_CACHE_ERR_OUTSIDE, 3);
}

static void slab_misuse_not_in_slab(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct misuse_ctx m;
	void *page;

	misuse_begin(test, &m, "t-notslab");
	page = myslab_alloc_pages(region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, page), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, page + 64), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(region, page, 0), 0);
	misuse_end(test, &m, MYSLAB_CACHE_ERR_NOT_OBJECT, 2);
}

static void slab_misuse_not_object_start(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_cache_stats *st;
	struct misuse_ctx m;
	void *obj, *base;

	misuse_begin(test, &m, "t-interior");
	st = &m.before;
	obj = m.objs[2];
	base = slab_base_of(test, region, obj, st->order);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, obj + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, obj + st->slot_size / 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, obj - 8), -EINVAL);
	/* The slab header and the very end of the slab. */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, base), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, base + slab_bytes(st) - 8),
			-EINVAL);
	misuse_end(test, &m, MYSLAB_CACHE_ERR_NOT_OBJECT, 5);
}

static void slab_misuse_wrong_cache(struct kunit *test)
{
	struct myslab_cache_stats before, after;
	struct myslab_cache *other;
	struct misuse_ctx m;
	void *theirs;

	misuse_begin(test, &m, "t-mine");
	other = slab_test_cache(test, "t-theirs", 64, 0, 0, NULL);
	theirs = myslab_cache_alloc(other, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, theirs);
	myslab_cache_stats(other, &before);
	/* Their object freed to my cache: refused, both caches unchanged. */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(m.cache, theirs), -EXDEV);
	myslab_cache_stats(other, &after);
	expect_same_stats(test, &before, &after);
	KUNIT_EXPECT_EQ(test, slab_test_errors(other), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(other, theirs), 0);
	slab_test_cache_done(test, other);
	misuse_end(test, &m, MYSLAB_CACHE_ERR_WRONG_CACHE, 1);
}

/* === Free-list corruption === */

enum corruption {
	CORRUPT_GARBAGE,	/* a stray write of a pattern */
	CORRUPT_RAW_POINTER,	/* a plain pointer to a free object */
	CORRUPT_TO_LIVE,	/* well encoded, to an object handed out */
	CORRUPT_MISALIGNED,	/* well encoded, into the middle of an object */
	CORRUPT_OTHER_SLAB,	/* well encoded, past the end of the slab */
	CORRUPT_SELF,		/* well encoded, to itself */
	CORRUPT_EARLY_NULL,	/* well encoded NULL with objects still free */
};

static const enum corruption corruptions[] = {
	CORRUPT_GARBAGE, CORRUPT_RAW_POINTER, CORRUPT_TO_LIVE, CORRUPT_MISALIGNED,
	CORRUPT_OTHER_SLAB, CORRUPT_SELF, CORRUPT_EARLY_NULL,
};

static void corruption_desc(const enum corruption *c, char *desc)
{
	static const char *const names[] = {
		"garbage", "raw pointer", "link to a live object",
		"misaligned link", "link out of the slab", "link to itself",
		"early NULL",
	};

	strscpy(desc, names[*c], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(corruption, corruptions, corruption_desc);

static void slab_freelist_corruption_detected(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region);
	const enum corruption *kind = test->param_value;
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void *a, *b, *victim, *base;

	cache = slab_test_cache(test, "t-corrupt", 64, 0, 0, NULL);
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 1, 1, 0), 0);
	myslab_cache_stats(cache, &st);

	migrate_disable();
	a = myslab_cache_alloc(cache, GFP_KERNEL);	/* object 0 */
	KUNIT_ASSERT_NOT_NULL(test, a);
	base = slab_base_of(test, region, a, st.order);
	KUNIT_ASSERT_PTR_EQ(test, a, base + ALIGN(st.header_size, st.align));
	victim = a + st.slot_size;	/* object 1: head of the free list */
	/* A free object: KASAN watches it (kmod/kernel/hooks/slab_hooks.c). */
	kasan_disable_current();
	switch (*kind) {
	case CORRUPT_GARBAGE:
		*(unsigned long *)victim = 0x5a5a5a5a5a5a5a5aUL;
		break;
	case CORRUPT_RAW_POINTER:
		*(void **)victim = victim + 2 * st.slot_size;
		break;
	case CORRUPT_TO_LIVE:
		plant_link(cache, victim, a);
		break;
	case CORRUPT_MISALIGNED:
		plant_link(cache, victim, victim + st.slot_size + 8);
		break;
	case CORRUPT_OTHER_SLAB:
		plant_link(cache, victim, base + slab_bytes(&st));
		break;
	case CORRUPT_SELF:
		plant_link(cache, victim, victim);
		break;
	case CORRUPT_EARLY_NULL:
		plant_link(cache, victim, NULL);
		break;
	}
	kasan_enable_current();
	/* Taking the victim decodes its link: refused, the slab abandoned. */
	b = myslab_cache_alloc(cache, GFP_KERNEL);
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, slab_base_of(test, region, b, st.order), base);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_FREELIST), 1);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.corrupted_slabs, 1);
	KUNIT_EXPECT_EQ(test, st.lost_objs, st.objs_per_slab - 1);
	KUNIT_EXPECT_EQ(test, st.active_objs, st.objs_per_slab - 1 + 2);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);

	/* Once its last object comes back, the slab goes back to the buddy. */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, b), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_shrink(cache), 1UL << st.order);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.corrupted_slabs, 0);
	KUNIT_EXPECT_EQ(test, st.lost_objs, 0);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 0);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_FREELIST), 1);
	slab_test_cache_done(test, cache);
}

/* === Concurrency: kthreads on every CPU, cross-CPU frees === */

/*
 * Each thread makes STRESS_OPS operations, gives back what it holds, says it
 * is done and waits to be stopped: a case runs as long as its work takes,
 * never for a fixed time, so a slow or loaded machine makes it slower, not
 * weaker. When the case runs a loop of its own beside the threads (validate),
 * the threads go on until that loop has made sh->min_rounds rounds, so the
 * two always overlap. A thread still working after STRESS_STUCK_S is stuck:
 * the case fails rather than wait forever.
 */
#define STRESS_OPS		3000
#define STRESS_MIN_ROUNDS	8
#define STRESS_STUCK_S		300
#define STRESS_HELD		32
#define STRESS_RING		128
#define STRESS_SIZE		96
#define STRESS_PAUSE_EVERY	512
#define STRESS_PAUSE_US		200
#define STRESS_WORDS		(STRESS_SIZE / sizeof(unsigned long))

struct stress_shared {
	struct myslab_cache *cache;
	spinlock_t lock;		/* protects ring, head, count */
	void *ring[STRESS_RING];
	unsigned int head;
	unsigned int count;
	atomic_long_t allocs;
	atomic_long_t frees;
	atomic_long_t failures;
	atomic_long_t bad_content;
	long min_rounds;		/* rounds of the case's loop to overlap */
	atomic_long_t rounds;		/* rounds the case's loop has made */
	unsigned int pause_us;		/* a pause every STRESS_PAUSE_EVERY ops */
	bool bulk;			/* allocate and free in batches */
	atomic_t working;		/* threads not done with their work */
	wait_queue_head_t done;		/* woken when the last one is done */
};

struct stress_thread {
	struct stress_shared *sh;
	struct task_struct *task;
	unsigned long ops;
	int cpu;
};

static unsigned long stress_word(const void *obj, unsigned int i)
{
	return ((unsigned long)obj * 0x9e3779b97f4a7c15UL) ^ i;
}

static void stress_fill(void *obj)
{
	unsigned long *w = obj;
	unsigned int i;

	for (i = 0; i < STRESS_WORDS; i++)
		w[i] = stress_word(obj, i);
}

static void stress_free(struct stress_shared *sh, void *obj)
{
	unsigned long *w = obj;
	unsigned int i;

	for (i = 0; i < STRESS_WORDS; i++)
		if (w[i] != stress_word(obj, i)) {
			atomic_long_inc(&sh->bad_content);
			break;
		}
	if (myslab_cache_free(sh->cache, obj))
		atomic_long_inc(&sh->failures);
	atomic_long_inc(&sh->frees);
}

/* Free every object held in one bulk free, checked as stress_free() checks. */
static void stress_free_held(struct stress_shared *sh, void **held,
			     unsigned int nheld)
{
	unsigned int i, j;

	for (i = 0; i < nheld; i++)
		for (j = 0; j < STRESS_WORDS; j++)
			if (((unsigned long *)held[i])[j] != stress_word(held[i], j)) {
				atomic_long_inc(&sh->bad_content);
				break;
			}
	myslab_cache_free_bulk(sh->cache, nheld, held);
	atomic_long_add(nheld, &sh->frees);
}

/* Allocate up to 8 objects in one bulk allocation; returns how many. */
static unsigned int stress_alloc_bulk(struct stress_shared *sh, void **held,
				      unsigned int room)
{
	unsigned int n = min(room, 1 + get_random_u32_below(8)), i;

	if (!myslab_cache_alloc_bulk(sh->cache, GFP_KERNEL, n, held)) {
		atomic_long_inc(&sh->failures);
		return 0;
	}
	atomic_long_add(n, &sh->allocs);
	for (i = 0; i < n; i++)
		stress_fill(held[i]);
	return n;
}

/* Hand an object to whichever thread runs next; false when the ring is full. */
static bool stress_give(struct stress_shared *sh, void *obj)
{
	bool given = false;

	spin_lock(&sh->lock);
	if (sh->count < STRESS_RING) {
		sh->ring[(sh->head + sh->count++) % STRESS_RING] = obj;
		given = true;
	}
	spin_unlock(&sh->lock);
	return given;
}

static void *stress_take(struct stress_shared *sh)
{
	void *obj = NULL;

	spin_lock(&sh->lock);
	if (sh->count) {
		obj = sh->ring[sh->head];
		sh->head = (sh->head + 1) % STRESS_RING;
		sh->count--;
	}
	spin_unlock(&sh->lock);
	return obj;
}

static int stress_fn(void *data)
{
	struct stress_thread *t = data;
	struct stress_shared *sh = t->sh;
	void *held[STRESS_HELD], *obj;
	unsigned int nheld = 0;

	while (t->ops < STRESS_OPS ||
	       atomic_long_read(&sh->rounds) < sh->min_rounds) {
		/* Only a case that gave up on a stuck thread stops one early. */
		if (kthread_should_stop())
			break;
		switch (get_random_u32_below(4)) {
		case 0:
		case 1:
			if (nheld == STRESS_HELD)
				break;
			if (sh->bulk) {
				nheld += stress_alloc_bulk(sh, held + nheld,
							   STRESS_HELD - nheld);
				break;
			}
			obj = myslab_cache_alloc(sh->cache, GFP_KERNEL);
			if (!obj) {
				atomic_long_inc(&sh->failures);
				break;
			}
			atomic_long_inc(&sh->allocs);
			stress_fill(obj);
			held[nheld++] = obj;
			break;
		case 2:
			if (nheld && stress_give(sh, held[nheld - 1]))
				nheld--;
			break;
		default:
			obj = stress_take(sh);
			if (obj)
				stress_free(sh, obj);
			if (sh->bulk && nheld > 1) {
				stress_free_held(sh, held, nheld);
				nheld = 0;
			} else if (!obj && nheld) {
				stress_free(sh, held[--nheld]);
			}
			break;
		}
		if (!(++t->ops % 64))
			cond_resched();
		if (sh->pause_us && !(t->ops % STRESS_PAUSE_EVERY))
			usleep_range(sh->pause_us, 2 * sh->pause_us);
	}
	while (nheld)
		stress_free(sh, held[--nheld]);
	if (atomic_dec_and_test(&sh->working))
		wake_up(&sh->done);

	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Start a stress thread bound to every online CPU; returns how many. */
static unsigned int stress_start(struct stress_shared *sh,
				 struct stress_thread *threads)
{
	unsigned int nr = 0, i;
	int cpu;

	for_each_online_cpu(cpu) {
		struct stress_thread *t = &threads[nr];

		t->sh = sh;
		t->cpu = cpu;
		t->task = kthread_create(stress_fn, t, "myslab-stress/%d", cpu);
		if (IS_ERR(t->task))
			break;
		get_task_struct(t->task);
		kthread_bind(t->task, cpu);
		nr++;
	}
	init_waitqueue_head(&sh->done);
	atomic_set(&sh->working, nr);
	for (i = 0; i < nr; i++)
		wake_up_process(threads[i].task);
	return nr;
}

/* Has every thread done its work? Fails the case if one is stuck. */
static void stress_wait(struct kunit *test, struct stress_shared *sh)
{
	if (!wait_event_timeout(sh->done, !atomic_read(&sh->working),
				STRESS_STUCK_S * HZ))
		KUNIT_FAIL(test, "%d stress threads still working after %d s",
			   atomic_read(&sh->working), STRESS_STUCK_S);
}

/* Stop them and free what they handed to each other. */
static void stress_stop(struct stress_shared *sh,
			struct stress_thread *threads, unsigned int nr)
{
	unsigned int i;
	void *obj;

	for (i = 0; i < nr; i++) {
		kthread_stop(threads[i].task);
		put_task_struct(threads[i].task);
	}
	while ((obj = stress_take(sh)))
		stress_free(sh, obj);
}

static void slab_concurrent_cross_cpu(struct kunit *test)
{
	struct stress_thread *threads;
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache_stats st;
	struct stress_shared *sh;
	unsigned int nr, i;

	sh = kunit_kzalloc(test, sizeof(*sh), GFP_KERNEL);
	threads = kunit_kcalloc(test, nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sh);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	spin_lock_init(&sh->lock);
	sh->cache = slab_test_cache(test, "t-stress", STRESS_SIZE, 0, 0, NULL);
	/* Small magazines: refills and flushes happen all the time. */
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(sh->cache, 6, 3, 0), 0);

	nr = stress_start(sh, threads);
	stress_wait(test, sh);
	stress_stop(sh, threads, nr);

	KUNIT_EXPECT_EQ(test, nr, num_online_cpus());
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ_MSG(test, threads[i].ops, STRESS_OPS, "CPU %d", threads[i].cpu);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sh->failures), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sh->bad_content), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sh->allocs), atomic_long_read(&sh->frees));
	myslab_cache_counters(sh->cache, c);
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_ALLOC_FAST] + c[MYSLAB_CACHE_ALLOC_SLOW],
			atomic_long_read(&sh->allocs));
	KUNIT_EXPECT_EQ(test, c[MYSLAB_CACHE_FREE_FAST] + c[MYSLAB_CACHE_FREE_SLOW],
			atomic_long_read(&sh->frees));
	KUNIT_EXPECT_GT(test, c[MYSLAB_CACHE_REFILLS], 0);
	KUNIT_EXPECT_GT(test, c[MYSLAB_CACHE_FLUSHES], 0);
	KUNIT_EXPECT_EQ(test, slab_test_errors(sh->cache), 0);
	myslab_cache_stats(sh->cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(sh->cache), 0);
	kunit_info(test, "%u threads, %ld allocations, %lu refills, %lu flushes: End of test: %s\n",
		   nr, atomic_long_read(&sh->allocs), c[MYSLAB_CACHE_REFILLS],
		   c[MYSLAB_CACHE_FLUSHES],
		   test->status == KUNIT_FAILURE ? "FAILURE" : "SUCCESS");
	myslab_cache_shrink(sh->cache);
	slab_test_cache_done(test, sh->cache);
}

/*
 * Validation while every CPU allocates and frees: it must never report a
 * problem (the cache is sound), never change an object (each is filled with
 * a pattern and checked before it is freed), and never disturb a debug
 * cache's checks (no report, no error counted). Busy moments may make it
 * return -EBUSY, but not always: its whole-cache count waits for a quiet
 * instant instead of stopping the other CPUs, and the threads, like the
 * users of a real cache, pause now and then (STRESS_PAUSE_US every
 * STRESS_PAUSE_EVERY operations, so that a fast machine, where a thread
 * never idles otherwise, offers such instants too), so some validations
 * must make every count. Once the threads stop it must find the cache
 * sound.
 */
struct validate_busy_case {
	const char *name;
	unsigned int flags;
	bool bulk;
};

static const struct validate_busy_case validate_busy_cases[] = {
	{ "plain", 0 },
	{ "debug-FZP", MYSLAB_CONSISTENCY_CHECKS | MYSLAB_RED_ZONE | MYSLAB_POISON },
	/* Bulk frees keep the transit and generation rules as single ones do. */
	{ "plain-bulk", 0, true },
};

static void validate_busy_desc(const struct validate_busy_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(validate_busy, validate_busy_cases, validate_busy_desc);

static void slab_validate_while_busy(struct kunit *test)
{
	const struct validate_busy_case *c = test->param_value;
	unsigned long busy = 0, give_up;
	struct stress_thread *threads;
	struct stress_shared *sh;
	long problems = 0, ret;
	unsigned int nr, i;

	slab_test_count_reports(test);
	sh = kunit_kzalloc(test, sizeof(*sh), GFP_KERNEL);
	threads = kunit_kcalloc(test, nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sh);
	KUNIT_ASSERT_NOT_NULL(test, threads);
	spin_lock_init(&sh->lock);
	sh->cache = slab_test_cache(test, "t-vbusy", STRESS_SIZE, 0, c->flags,
				    NULL);
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(sh->cache, 6, 3, 0), 0);

	sh->min_rounds = STRESS_MIN_ROUNDS;
	sh->pause_us = STRESS_PAUSE_US;
	sh->bulk = c->bulk;
	nr = stress_start(sh, threads);
	/* Validate for as long as any thread works, and they wait for it. */
	give_up = jiffies + STRESS_STUCK_S * HZ;
	while (atomic_read(&sh->working) && time_before(jiffies, give_up)) {
		ret = myslab_cache_validate(sh->cache);
		atomic_long_inc(&sh->rounds);
		if (ret == -EBUSY)
			busy++;
		else if (ret)
			problems += ret;
		cond_resched();
	}
	stress_wait(test, sh);
	stress_stop(sh, threads, nr);

	KUNIT_EXPECT_EQ(test, nr, num_online_cpus());
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_GE_MSG(test, threads[i].ops, STRESS_OPS, "CPU %d", threads[i].cpu);
	KUNIT_EXPECT_EQ(test, problems, 0);
	KUNIT_EXPECT_GE(test, atomic_long_read(&sh->rounds), STRESS_MIN_ROUNDS);
	/* Some validations made every count while the threads worked. */
	KUNIT_EXPECT_LT(test, busy, (unsigned long)atomic_long_read(&sh->rounds));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sh->bad_content), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sh->failures), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sh->allocs),
			atomic_long_read(&sh->frees));
	KUNIT_EXPECT_EQ(test, slab_test_errors(sh->cache), 0);
	KUNIT_EXPECT_EQ(test, slab_test_reports(), 0);
	kunit_info(test, "%s: %u threads, %ld allocations, %lu validations while busy, %lu of them -EBUSY\n",
		   c->name, nr, atomic_long_read(&sh->allocs),
		   atomic_long_read(&sh->rounds), busy);
	myslab_cache_shrink(sh->cache);
	slab_test_cache_done(test, sh->cache);
}

static struct kunit_case myslab_slab_cases[] = {
	KUNIT_CASE(slab_create_destroy),
	KUNIT_CASE_PARAM(slab_geometry_identities, geo_gen_params),
	KUNIT_CASE(slab_geometry_limits),
	KUNIT_CASE_PARAM(slab_objects_aligned_inside_disjoint, objs_gen_params),
	KUNIT_CASE(slab_colouring),
	KUNIT_CASE(slab_ctor_runs_at_populate),
	KUNIT_CASE(slab_gfp_zero),
	KUNIT_CASE(slab_init_on_alloc_whole_usable_size),
	KUNIT_CASE(slab_alloc_irqs_disabled),
	KUNIT_CASE(slab_magazine_refill_flush),
	KUNIT_CASE(slab_barn_refill_flush),
	KUNIT_CASE(slab_magazine_locked_irq_falls_back),
	KUNIT_CASE(slab_tune_rejects),
	KUNIT_CASE(slab_shrink_returns_every_empty_slab),
	KUNIT_CASE(slab_bulk_all_or_nothing),
	KUNIT_CASE(slab_bulk_alloc_zeroes_every_object),
	KUNIT_CASE(slab_bulk_free_double_free_inside),
	KUNIT_CASE(slab_bulk_free_foreign_inside),
	KUNIT_CASE(slab_destroy_with_live_objects),
	KUNIT_CASE(slab_misuse_null_is_noop),
	KUNIT_CASE(slab_misuse_double_free),
	KUNIT_CASE(slab_misuse_outside_region),
	KUNIT_CASE(slab_misuse_not_in_slab),
	KUNIT_CASE(slab_misuse_not_object_start),
	KUNIT_CASE(slab_misuse_wrong_cache),
	KUNIT_CASE_PARAM(slab_freelist_corruption_detected, corruption_gen_params),
	KUNIT_CASE(slab_concurrent_cross_cpu),
	KUNIT_CASE_PARAM(slab_validate_while_busy, validate_busy_gen_params),
	{}
};

static struct kunit_suite myslab_slab_suite = {
	.name = "myslab_slab",
	.init = slab_fixture_init,
	.test_cases = myslab_slab_cases,
};

kunit_test_suites(&myslab_slab_suite);

MODULE_LICENSE("GPL");
