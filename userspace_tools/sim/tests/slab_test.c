// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the slab layer (kmod/core/slab/: slab.c, slab_alloc.c,
 * slab_magazine.c, slab_lists.c, slab_validate.c, cache_registry.c,
 * slabinfo_format.c; kmod/core/sizes/sizes.c): creation and its errors, geometry against the
 * documented policy, object placement, constructors, magazines, shrinking,
 * bulk operations, size classes, misuse and corruption detection with exact
 * counts, and threads freeing each other's objects.
 *
 * Allocations use GFP_ATOMIC unless a test is about the gfp mask: see
 * slab.gfp_kernel_alloc_is_not_atomic_sleep for why.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/swab.h>

#include "core/slab/slab_internal.h"
#include "core/slab/slabinfo_format.h"
#include "core/slab/slab_magazine.h"
#include "helpers.h"

#define ATOMIC		GFP_ATOMIC
#define NOWARN		(GFP_ATOMIC | __GFP_NOWARN)

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* === Creation === */

SIM_TEST(slab, create_and_destroy)
{
	struct myslab_region *r = t_region(256, 8, 8);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache_stats st;
	struct myslab_cache *c;

	c = t_cache(r, "objs", 100, 0, 0, NULL);
	EXPECT_STREQ(myslab_cache_name(c), "objs");
	EXPECT_PTR_EQ(myslab_cache_region(c), r);
	myslab_cache_stats(c, &st);
	EXPECT_STREQ(st.name, "objs");
	EXPECT_EQ(st.object_size, 100);
	EXPECT_EQ(st.num_slabs, 0);
	/* Objects up to a page: a barn of 8 batches, empty. */
	EXPECT_EQ(st.shared, 8);
	EXPECT_EQ(st.shared_avail, 0);
	/* Creating takes no memory from the region until the first alloc. */
	EXPECT_EQ(t_free_pages(r), free0);
	EXPECT_EQ(myslab_cache_destroy(c), 0);
	/* The name is free again at once. */
	c = t_cache(r, "objs", 100, 0, 0, NULL);
	t_cache_done(c);
	EXPECT_EQ(myslab_cache_destroy(NULL), 0);
	EXPECT_EQ(myslab_cache_destroy(ERR_PTR(-EINVAL)), 0);
	t_region_done(r);
}

/*
 * The environment is installed before the first cache or not at all: a
 * cache's hooks are fixed at its creation.
 */
SIM_TEST(slab, environment_refused_once_a_cache_exists)
{
	static const struct myslab_slab_ops late;
	struct myslab_region *r = t_region(256, 8, 8);
	struct myslab_cache *c = t_cache(r, "objs", 100, 0, 0, NULL);

	sim_expect_errors(1);
	EXPECT_EQ(myslab_slab_set_ops(&late), -EBUSY);
	EXPECT_PTR_EQ(myslab_slab_ops, NULL);
	EXPECT_EQ(c->hooks, 0);
	t_cache_done(c);
	/* With no cache left, installing is allowed again. */
	EXPECT_EQ(myslab_slab_set_ops(NULL), 0);
	t_region_done(r);
}

SIM_TEST(slab, create_rejects_bad_arguments)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "taken", 64, 0, 0, NULL);
	char long_name[MYSLAB_CACHE_NAME_LEN + 1];
	struct {
		const char *name;
		unsigned int size, align, flags;
		long err;
	} cases[] = {
		{ NULL, 64, 0, 0, -EINVAL },
		{ "", 64, 0, 0, -EINVAL },
		{ "has space", 64, 0, 0, -EINVAL },
		{ "tab\there", 64, 0, 0, -EINVAL },
		{ "high\x80", 64, 0, 0, -EINVAL },
		{ long_name, 64, 0, 0, -EINVAL },
		{ "zero", 0, 0, 0, -EINVAL },
		{ "align3", 64, 3, 0, -EINVAL },
		{ "align8k", 64, 8192, 0, -EINVAL },
		{ "flags", 64, 0, 0x80, -EINVAL },
		{ "huge", 140000, 0, 0, -E2BIG },
		{ "taken", 64, 0, 0, -EEXIST },
	};
	unsigned int i;

	memset(long_name, 'n', MYSLAB_CACHE_NAME_LEN);
	long_name[MYSLAB_CACHE_NAME_LEN] = '\0';
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct myslab_cache *bad = myslab_cache_create(r, cases[i].name,
							       cases[i].size,
							       cases[i].align,
							       cases[i].flags, NULL);

		if (PTR_ERR(bad) != cases[i].err)
			sim_test_fail(__FILE__, __LINE__, "case %u (%s): %ld, expected %ld",
				      i, cases[i].name ? cases[i].name : "NULL",
				      PTR_ERR(bad), cases[i].err);
		if (!IS_ERR(bad))
			myslab_cache_destroy(bad);
	}
	EXPECT_EQ(PTR_ERR(myslab_cache_create(NULL, "noregion", 64, 0, 0, NULL)), -EINVAL);
	/* A name of exactly MYSLAB_CACHE_NAME_LEN - 1 characters is fine. */
	long_name[MYSLAB_CACHE_NAME_LEN - 1] = '\0';
	t_cache_done(t_cache(r, long_name, 64, 0, 0, NULL));
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, create_fails_cleanly_without_metadata)
{
	struct myslab_region *r = t_region(64, 6, 0);
	long live = sim_kmalloc_live();
	unsigned int nth;

	/* The descriptor, the barn's array, the magazines. */
	for (nth = 2; nth <= 4; nth++) {
		struct myslab_cache *c;

		sim_fail_kmalloc(nth);
		c = myslab_cache_create(r, "nomem", 64, 0, 0, NULL);
		sim_fail_kmalloc(0);
		EXPECT_EQ(PTR_ERR(c), -ENOMEM);
		EXPECT_EQ(sim_kmalloc_live(), live);
	}
	t_cache_done(t_cache(r, "nomem", 64, 0, 0, NULL));
	t_region_done(r);
}

/*
 * myslab_cache_create() reads the region's max_order through a kzalloc'ed
 * statistics buffer; when that allocation fails it must fail the creation
 * (-ENOMEM), not silently plan the slabs for max_order 0.
 */
SIM_TEST(slab, create_metadata_failure_is_enomem_not_other_geometry)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache_stats want, got;
	struct myslab_cache *c;

	c = t_cache(r, "big", 5000, 0, 0, NULL);
	myslab_cache_stats(c, &want);
	t_cache_done(c);

	sim_fail_kmalloc(1);
	c = myslab_cache_create(r, "big", 5000, 0, 0, NULL);
	sim_fail_kmalloc(0);
	if (IS_ERR(c)) {
		EXPECT_EQ(PTR_ERR(c), -ENOMEM);
	} else {
		myslab_cache_stats(c, &got);
		EXPECT_EQ(got.order, want.order);
		EXPECT_EQ(got.objs_per_slab, want.objs_per_slab);
		t_cache_done(c);
	}
	t_region_done(r);
}

/* === Geometry === */

/*
 * The policy of myslab_slab_geometry()'s kernel-doc, re-derived here
 * independently: header = fixed part + a free byte per object in whole words
 * + a list bit per object in whole words, objects after the header
 * at their alignment, the smallest order whose leftover is at most 1/16,
 * then 1/8, then 1/4 of the slab while holding min(8, most) objects, fewer
 * objects only when nothing else works, and as a last resort the smallest
 * order that holds one object.
 */
static unsigned int ref_fit(unsigned int bytes, unsigned int slot,
			    unsigned int align, unsigned int *header,
			    unsigned int *first)
{
	unsigned int n;

	for (n = bytes / slot + 1; n-- > 0; ) {
		*header = MYSLAB_SLAB_HEADER_FIXED + ALIGN(n, sizeof(long)) +
			  BITS_TO_LONGS(n) * sizeof(long);
		*first = ALIGN(*header, align);
		if (*first + n * slot <= bytes)
			return n;
	}
	return 0;
}

static void ref_geometry(unsigned int size, unsigned int align, unsigned int flags,
			 bool ctor, unsigned int max_order,
			 struct myslab_slab_geometry *g, int *err)
{
	const unsigned int fractions[] = { 16, 8, 4 };
	unsigned int a = align, order, most, want, f, header, first, n;

	memset(g, 0, sizeof(*g));
	*err = 0;
	if (!size || (align & (align - 1)) || align > PAGE_SIZE || (flags & ~MYSLAB_CACHE_FLAGS)) {
		*err = -EINVAL;
		return;
	}
	if (max_order > MYSLAB_SLAB_MAX_ORDER_LARGE)
		max_order = MYSLAB_SLAB_MAX_ORDER_LARGE;
	if (flags & MYSLAB_HWCACHE_ALIGN) {
		unsigned int ra = 64;

		while (size <= ra / 2)
			ra /= 2;
		a = a > ra ? a : ra;
	}
	g->align = a > 8 ? a : 8;
	g->freeptr_offset = ctor ? ALIGN(size, 8) : 0;
	g->slot_size = ALIGN(ctor ? g->freeptr_offset + 8 : size, g->align);
	g->colour_step = g->align > 64 ? g->align : 64;
	/* Slabs of more than 8 pages only for slots of a page or more. */
	if (g->slot_size < PAGE_SIZE && max_order > MYSLAB_SLAB_MAX_ORDER)
		max_order = MYSLAB_SLAB_MAX_ORDER;
	most = ref_fit(PAGE_SIZE << max_order, g->slot_size, g->align, &header, &first);
	if (size > (PAGE_SIZE << max_order) || !most) {
		*err = -E2BIG;
		return;
	}
	for (want = most < 8 ? most : 8; want; want--)
		for (f = 0; f < 3; f++)
			for (order = 0; order <= max_order; order++) {
				unsigned int bytes = PAGE_SIZE << order;

				n = ref_fit(bytes, g->slot_size, g->align, &header, &first);
				if (n >= want && (bytes - header - n * g->slot_size) * fractions[f] <= bytes)
					goto found;
			}
	/* Last resort: the smallest order that holds one object. */
	for (order = 0; order <= max_order; order++) {
		n = ref_fit(PAGE_SIZE << order, g->slot_size, g->align, &header, &first);
		if (n)
			goto found;
	}
	*err = -E2BIG;
	return;
found:
	g->order = order;
	g->objs_per_slab = n;
	g->header_size = header;
	g->first_offset = first;
	g->waste = (PAGE_SIZE << order) - header - n * g->slot_size;
	g->colour_range = 1 + ((PAGE_SIZE << order) - first - n * g->slot_size) / g->colour_step;
}

SIM_TEST(slab, geometry_follows_documented_policy)
{
	const unsigned int aligns[] = { 0, 8, 16, 64, 256, 4096, 8192 };
	unsigned int size, ai, flags, ctor, mismatches = 0, checked = 0;

	for (size = 1; size <= 132000; size += size < 512 ? 1 : size < 4096 ? 7 : 97) {
		for (ai = 0; ai < sizeof(aligns) / sizeof(aligns[0]); ai++) {
			for (flags = 0; flags <= MYSLAB_HWCACHE_ALIGN; flags++) {
				for (ctor = 0; ctor < 2; ctor++) {
					struct myslab_slab_geometry got, want;
					int err, werr;

					err = myslab_slab_geometry(size, aligns[ai], flags, ctor, 10, &got);
					ref_geometry(size, aligns[ai], flags, ctor, 10, &want, &werr);
					checked++;
					if (err != werr || (!err && memcmp(&got, &want, sizeof(got)))) {
						if (mismatches++ < 5)
							sim_test_fail(__FILE__, __LINE__,
								      "size %u align %u flags %u ctor %u: err %d/%d order %u/%u objs %u/%u slot %u/%u first %u/%u waste %u/%u colours %u/%u",
								      size, aligns[ai], flags, ctor, err, werr,
								      got.order, want.order, got.objs_per_slab,
								      want.objs_per_slab, got.slot_size, want.slot_size,
								      got.first_offset, want.first_offset,
								      got.waste, want.waste, got.colour_range,
								      want.colour_range);
						continue;
					}
					if (err)
						continue;
					/* The layout fits and every object is aligned. */
					EXPECT_EQ(got.first_offset % got.align, 0);
					EXPECT_EQ(got.slot_size % got.align, 0);
					EXPECT_GE(got.slot_size, size);
					EXPECT_LE(got.first_offset + (got.colour_range - 1) * got.colour_step +
						  got.objs_per_slab * got.slot_size, PAGE_SIZE << got.order);
				}
			}
		}
	}
	EXPECT_EQ(mismatches, 0);
	EXPECT_GT(checked, 10000);
}

SIM_TEST(slab, geometry_known_values)
{
	struct myslab_slab_geometry g;

	/*
	 * 64-byte objects: one page, header 56 + 64 free bytes (62 in whole
	 * words) + 8 bytes of list bits, 62 objects, nothing left over.
	 */
	EXPECT_EQ(myslab_slab_geometry(64, 0, 0, false, 10, &g), 0);
	EXPECT_EQ(g.order, 0);
	EXPECT_EQ(g.objs_per_slab, 62);
	EXPECT_EQ(g.header_size, 128);
	EXPECT_EQ(g.first_offset, 128);
	EXPECT_EQ(g.waste, 0);
	/* With a constructor the link goes past the object. */
	EXPECT_EQ(myslab_slab_geometry(100, 0, 0, true, 10, &g), 0);
	EXPECT_EQ(g.freeptr_offset, 104);
	EXPECT_EQ(g.slot_size, 112);
	/* Cache-line alignment shrinks to a fraction of a line for small objects. */
	EXPECT_EQ(myslab_slab_geometry(20, 0, MYSLAB_HWCACHE_ALIGN, false, 10, &g), 0);
	EXPECT_EQ(g.align, 32);
	EXPECT_EQ(myslab_slab_geometry(33, 0, MYSLAB_HWCACHE_ALIGN, false, 10, &g), 0);
	EXPECT_EQ(g.align, 64);
	/* Limited by the region's max_order. */
	EXPECT_EQ(myslab_slab_geometry(5000, 0, 0, false, 0, &g), -E2BIG);
	EXPECT_EQ(myslab_slab_geometry(5000, 0, 0, false, 1, &g), 0);
	EXPECT_EQ(g.order, 1);
	EXPECT_EQ(myslab_slab_geometry(0, 0, 0, false, 10, &g), -EINVAL);
}

/* === Objects === */

SIM_TEST(slab, objects_aligned_inside_slabs_no_overlap)
{
	const struct { const char *name; unsigned int size, align, flags; } specs[] = {
		{ "s8", 8, 0, 0 }, { "s13", 13, 0, 0 }, { "s64a", 64, 64, 0 },
		{ "s100hw", 100, 0, MYSLAB_HWCACHE_ALIGN }, { "s300", 300, 0, 0 },
		{ "s1000a256", 1000, 256, 0 }, { "s3000", 3000, 0, 0 },
		{ "s4096a4k", 4096, 4096, 0 },
	};
	struct myslab_region *r = t_region(1024, 10, 8);
	struct myslab_cache *caches[8];
	unsigned long *addrs, *sorted;
	unsigned int n = 0, per = 40, i, c;

	addrs = calloc(8 * per, sizeof(*addrs));
	sorted = calloc(8 * per, sizeof(*sorted));
	ASSERT_TRUE(addrs && sorted);
	for (c = 0; c < 8; c++)
		caches[c] = t_cache(r, specs[c].name, specs[c].size, specs[c].align,
				    specs[c].flags, NULL);
	for (i = 0; i < per; i++) {
		for (c = 0; c < 8; c++) {
			struct myslab_cache_stats st;
			struct myslab_block_info info;
			void *p = myslab_cache_alloc(caches[c], ATOMIC);

			ASSERT_PTR_NE(p, NULL);
			myslab_cache_stats(caches[c], &st);
			EXPECT_EQ((unsigned long)p % st.align, 0);
			if (specs[c].align)
				EXPECT_EQ((unsigned long)p % specs[c].align, 0);
			EXPECT_EQ(myslab_block_lookup(r, p, &info), 0);
			EXPECT_EQ(info.state, MYSLAB_BLOCK_SLAB);
			EXPECT_EQ(info.order, st.order);
			/* Past the slab header, and the whole slot inside the slab. */
			EXPECT_GE((char *)p - (char *)info.base, st.header_size);
			EXPECT_LE((char *)p + st.slot_size,
				  (char *)info.base + (PAGE_SIZE << info.order));
			t_fill(p, myslab_cache_usable_size(caches[c]), c);
			addrs[n++] = (unsigned long)p;
		}
	}
	memcpy(sorted, addrs, n * sizeof(*addrs));
	qsort(sorted, n, sizeof(*sorted), cmp_ptr);
	for (i = 1; i < n; i++)
		EXPECT_GT(sorted[i], sorted[i - 1]);
	/* Every pattern intact: no object overlapped another. */
	for (i = 0; i < n; i++) {
		c = i % 8;
		t_check((void *)addrs[i], myslab_cache_usable_size(caches[c]), c);
		EXPECT_EQ(myslab_cache_free(caches[c], (void *)addrs[i]), 0);
	}
	for (c = 0; c < 8; c++) {
		EXPECT_GT(myslab_cache_shrink(caches[c]), 0);
		t_cache_done(caches[c]);
	}
	free(addrs);
	free(sorted);
	t_region_done(r);
}

static unsigned long ctor_calls;

static void ctor_pattern(void *obj)
{
	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);
	t_fill(obj, 100, 0xc7);
}

SIM_TEST(slab, constructor_runs_once_per_object)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "ctor", 100, 0, 0, ctor_pattern);
	struct myslab_cache_stats st;
	void *objs[300];
	unsigned int i, round;

	myslab_cache_stats(c, &st);
	EXPECT_EQ(myslab_cache_usable_size(c), 104);
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 300; i++) {
			objs[i] = myslab_cache_alloc(c, ATOMIC);
			ASSERT_PTR_NE(objs[i], NULL);
			/* Constructed, whether fresh or reused. */
			t_check(objs[i], 100, 0xc7);
		}
		myslab_cache_stats(c, &st);
		/* Once per object of each slab, when the slab was made. */
		EXPECT_EQ(ctor_calls, t_counter(c, MYSLAB_CACHE_SLABS_TAKEN) * st.objs_per_slab);
		for (i = 0; i < 300; i++)
			EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	}
	/* __GFP_ZERO discards the constructed state (as SLUB). */
	objs[0] = myslab_cache_alloc(c, ATOMIC | __GFP_ZERO);
	EXPECT_TRUE(t_is_zero(objs[0], 100));
	t_fill(objs[0], 100, 0xc7);
	EXPECT_EQ(myslab_cache_free(c, objs[0]), 0);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, gfp_zero)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "zero", 200, 0, 0, NULL);
	void *p;
	unsigned int i;

	for (i = 0; i < 50; i++) {
		p = myslab_cache_alloc(c, ATOMIC);
		memset(p, 0xee, 200);
		EXPECT_EQ(myslab_cache_free(c, p), 0);
		p = myslab_cache_alloc(c, ATOMIC | __GFP_ZERO);
		EXPECT_TRUE(t_is_zero(p, 200));
		EXPECT_EQ(myslab_cache_free(c, p), 0);
	}
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

/* __GFP_ZERO zeroes what myslab_cache_usable_size() reports, padding included. */
SIM_TEST(slab, gfp_zero_whole_usable_size)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "zeropad", 100, 0, MYSLAB_HWCACHE_ALIGN, NULL);
	unsigned int usable = myslab_cache_usable_size(c), i;
	void *p, *objs[40];

	EXPECT_EQ(usable, 128);
	p = myslab_cache_alloc(c, ATOMIC);
	memset(p, 0xee, usable);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	EXPECT_PTR_EQ(myslab_cache_alloc(c, ATOMIC | __GFP_ZERO), p);
	EXPECT_TRUE(t_is_zero(p, usable));
	EXPECT_EQ(myslab_cache_free(c, p), 0);

	/* Bulk, across refills: every object. */
	EXPECT_EQ(myslab_cache_tune(c, 10, 5, 0), 0);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 40, objs), 40);
	for (i = 0; i < 40; i++)
		memset(objs[i], 0xee, usable);
	myslab_cache_free_bulk(c, 40, objs);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC | __GFP_ZERO, 40, objs), 40);
	for (i = 0; i < 40; i++)
		EXPECT_TRUE(t_is_zero(objs[i], usable));
	myslab_cache_free_bulk(c, 40, objs);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

/* init_on_alloc: SLUB's rules (mm/slab.h, slab_want_init_on_alloc()). */
SIM_TEST(slab, init_on_alloc_policy)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "ioa", 100, 0, 0, NULL);
	struct myslab_cache *k = t_cache(r, "ioa-ctor", 100, 0, 0, ctor_pattern);
	struct myslab_cache *pz = t_cache(r, "ioa-poison", 100, 0, MYSLAB_POISON, NULL);
	unsigned int usable = myslab_cache_usable_size(c);
	void *p, *objs[8];
	unsigned int i;

	sim_init_on_alloc = true;
	/* Plain: zeroed without __GFP_ZERO, the whole usable size, bulk too. */
	p = myslab_cache_alloc(c, ATOMIC);
	memset(p, 0xee, usable);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	EXPECT_PTR_EQ(myslab_cache_alloc(c, ATOMIC), p);
	EXPECT_TRUE(t_is_zero(p, usable));
	memset(p, 0xee, usable);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 8, objs), 8);
	for (i = 0; i < 8; i++)
		EXPECT_TRUE(t_is_zero(objs[i], usable));
	myslab_cache_free_bulk(c, 8, objs);
	/* A constructor's state is never wiped, not even for __GFP_ZERO. */
	p = myslab_cache_alloc(k, ATOMIC | __GFP_ZERO);
	t_check(p, 100, 0xc7);
	EXPECT_EQ(myslab_cache_free(k, p), 0);
	/* A poisoned cache zeroes for __GFP_ZERO only. */
	p = myslab_cache_alloc(pz, ATOMIC);
	EXPECT_FALSE(t_is_zero(p, 100));
	memset(p, 0xee, 100);
	EXPECT_EQ(myslab_cache_free(pz, p), 0);
	p = myslab_cache_alloc(pz, ATOMIC | __GFP_ZERO);
	EXPECT_TRUE(t_is_zero(p, 100));
	EXPECT_EQ(myslab_cache_free(pz, p), 0);
	sim_init_on_alloc = false;

	myslab_cache_shrink(c);
	myslab_cache_shrink(k);
	myslab_cache_shrink(pz);
	t_cache_done(pz);
	t_cache_done(k);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * init_on_free: an object is zeroed when freed, and comes back zeroed
 * whether it waited in a magazine, on a slab's free list (where its link
 * was written into it since) or in a new slab made of a dirty block.
 */
SIM_TEST(slab, init_on_free_policy)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "iof", 100, 0, 0, NULL);
	struct myslab_cache *k = t_cache(r, "iof-ctor", 100, 0, 0, ctor_pattern);
	unsigned int usable = myslab_cache_usable_size(c), i;
	void *p, *objs[200];

	/* Leave dirty blocks in the region for the new slabs to come. */
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 200, objs), 200);
	for (i = 0; i < 200; i++)
		memset(objs[i], 0xee, usable);
	myslab_cache_free_bulk(c, 200, objs);
	EXPECT_GT(myslab_cache_shrink(c), 0);

	sim_init_on_free = true;
	p = myslab_cache_alloc(c, ATOMIC);
	EXPECT_TRUE(t_is_zero(p, usable));
	memset(p, 0xee, usable);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	/* Zeroed at free, in the magazine (the test may look). */
	EXPECT_TRUE(t_is_zero(p, usable));
	EXPECT_PTR_EQ(myslab_cache_alloc(c, ATOMIC), p);
	EXPECT_TRUE(t_is_zero(p, usable));
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	/* Through the slabs' free lists and back, in bulk. */
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 200, objs), 200);
	for (i = 0; i < 200; i++) {
		EXPECT_TRUE(t_is_zero(objs[i], usable));
		memset(objs[i], 0xee, usable);
	}
	myslab_cache_free_bulk(c, 200, objs);
	myslab_cache_drain_all(c);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 200, objs), 200);
	for (i = 0; i < 200; i++)
		EXPECT_TRUE(t_is_zero(objs[i], usable));
	myslab_cache_free_bulk(c, 200, objs);
	/* A constructor's state survives. */
	p = myslab_cache_alloc(k, ATOMIC);
	EXPECT_EQ(myslab_cache_free(k, p), 0);
	t_check(p, 100, 0xc7);
	sim_init_on_free = false;

	myslab_cache_shrink(c);
	myslab_cache_shrink(k);
	t_cache_done(k);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, colours_rotate_between_slabs)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "colour", 300, 0, 0, NULL);
	struct myslab_cache_stats st;
	struct myslab_slab *slabs[16];
	unsigned int used[16] = { 0 };
	void *objs[8 * 64];
	unsigned int i, n, s, nslabs = 0;

	myslab_cache_stats(c, &st);
	ASSERT_GE(st.colour_range, 2);
	n = 6 * st.objs_per_slab;
	ASSERT_LE(n, 8 * 64);
	for (i = 0; i < n; i++) {
		struct myslab_block_info info;
		struct myslab_slab *slab;

		objs[i] = myslab_cache_alloc(c, ATOMIC);
		ASSERT_PTR_NE(objs[i], NULL);
		myslab_block_lookup(r, objs[i], &info);
		slab = info.base;
		for (s = 0; s < nslabs && slabs[s] != slab; s++)
			;
		if (s == nslabs && nslabs < 16)
			slabs[nslabs++] = slab;
	}
	EXPECT_GE(nslabs, 6);
	/* Each slab's objects start at its colour's offset. */
	for (s = 0; s < nslabs; s++) {
		struct myslab_slab *slab = slabs[s];

		EXPECT_LT(slab->colour, st.colour_range);
		EXPECT_EQ((char *)slab->objects - (char *)slab,
			  ALIGN(st.header_size, st.align) + slab->colour * st.colour_step);
		used[slab->colour]++;
	}
	/* Successive slabs take successive colours: an even spread. */
	for (i = 0; i < st.colour_range; i++) {
		EXPECT_GE(used[i], nslabs / st.colour_range);
		EXPECT_LE(used[i], (nslabs + st.colour_range - 1) / st.colour_range);
	}
	for (i = 0; i < n; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

/* === Magazines === */

SIM_TEST(slab, magazine_refill_and_flush)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "mag", 64, 0, 0, NULL);
	struct myslab_cache_stats st;
	void *objs[200];
	unsigned int i, limit, batch;

	sim_set_cpu(0);
	myslab_cache_stats(c, &st);
	limit = st.limit;
	batch = st.batchcount;
	EXPECT_EQ(limit, 120);
	EXPECT_EQ(batch, 60);

	objs[0] = myslab_cache_alloc(c, ATOMIC);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_SLOW), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_REFILLS), 1);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.cpu_cached, batch - 1);
	EXPECT_EQ(st.active_objs, 1);
	for (i = 1; i < batch; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_FAST), batch - 1);
	objs[batch] = myslab_cache_alloc(c, ATOMIC);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_REFILLS), 2);
	for (i = batch + 1; i < 200; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 200);
	/* 200 objects out of 4 refills of 60: 40 left in the magazine. */
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_REFILLS), 4);
	EXPECT_EQ(st.cpu_cached, 40);
	/* Shrinking with objects out drains the magazines, frees no slab. */
	EXPECT_EQ(myslab_cache_shrink(c), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.cpu_cached, 0);
	EXPECT_EQ(st.active_objs, 200);
	/* The drain is counted, and its one batch as a flush. */
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_DRAINS), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FLUSHES), 1);

	/* Frees fill the magazine up to its limit, then flush a batch. */
	for (i = 0; i < limit; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FREE_SLOW), 0);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FREE_FAST), limit);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FLUSHES), 1);
	EXPECT_EQ(myslab_cache_free(c, objs[limit]), 0);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FREE_SLOW), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FLUSHES), 2);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.cpu_cached, limit - batch + 1);
	for (i = limit + 1; i < 200; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);

	/* Another CPU's magazine is separate: CPU 1 starts empty. */
	sim_set_cpu(1);
	i = t_counter(c, MYSLAB_CACHE_ALLOC_SLOW);
	objs[0] = myslab_cache_alloc(c, ATOMIC);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_SLOW), i + 1);
	EXPECT_EQ(myslab_cache_free(c, objs[0]), 0);

	/* Tuning: values checked, then every magazine takes them. */
	EXPECT_EQ(myslab_cache_tune(c, 0, 1, 0), -EINVAL);
	EXPECT_EQ(myslab_cache_tune(c, 10, 11, 0), -EINVAL);
	EXPECT_EQ(myslab_cache_tune(c, 10, 5, MYSLAB_SHARED_MAX + 1), -EINVAL);
	EXPECT_EQ(myslab_cache_tune(c, MYSLAB_MAGAZINE_MAX + 1, 5, 0), -EINVAL);
	EXPECT_EQ(myslab_cache_tune(c, 10, 5, 0), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.limit, 10);
	EXPECT_EQ(st.batchcount, 5);
	EXPECT_LE(st.cpu_cached, 2 * 10);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_GT(myslab_cache_shrink(c), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.cpu_cached, 0);
	EXPECT_EQ(st.num_slabs, 0);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * The barn between CPUs: what CPU 0 frees beyond its magazine waits in the
 * barn while there is room, and CPU 1's refills take it from there, newest
 * first, without the slabs seeing either; then to the slabs, as before.
 */
SIM_TEST(slab, barn_carries_frees_to_another_cpu)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "barn", 64, 0, 0, NULL);
	unsigned long free_on_slabs, barn_flushes, flushes;
	struct myslab_cache_stats st;
	void *objs[16], *got[8];
	unsigned int i;

	/* Magazines of 4, batches of 2, a barn of 3 batches (6 objects). */
	EXPECT_EQ(myslab_cache_tune(c, 4, 2, 3), 0);
	sim_set_cpu(0);
	for (i = 0; i < 16; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	/* Frees 5, 7, 9 flush into the barn; 11, 13, 15 to the slabs. */
	for (i = 0; i < 16; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FLUSHES), 6);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FLUSHES_BARN), 3);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared_avail, 6);
	EXPECT_EQ(st.cpu_cached, 4);
	EXPECT_EQ(st.active_objs, 0);
	free_on_slabs = st.num_objs - 10;
	EXPECT_EQ(myslab_cache_validate(c), 0);

	/* CPU 1 starts empty: three refills from the barn, then the slabs. */
	sim_set_cpu(1);
	for (i = 0; i < 8; i++)
		got[i] = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 6; i++)
		EXPECT_PTR_EQ(got[i], objs[5 - i]);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_REFILLS_BARN), 3);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared_avail, 0);
	EXPECT_EQ(st.active_objs, 8);
	EXPECT_EQ(st.num_objs - st.cpu_cached - 8, free_on_slabs - 2);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(myslab_cache_free(c, got[i]), 0);

	/* Everything back to the slabs: magazines and barn empty. */
	EXPECT_GT(myslab_cache_shrink(c), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared_avail, 0);
	EXPECT_EQ(st.num_slabs, 0);

	/* A smaller barn keeps its newest objects. */
	sim_set_cpu(0);
	for (i = 0; i < 16; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	EXPECT_EQ(myslab_cache_tune(c, 4, 2, 1), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared_avail, 2);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	sim_set_cpu(1);
	got[0] = myslab_cache_alloc(c, ATOMIC);
	got[1] = myslab_cache_alloc(c, ATOMIC);
	EXPECT_PTR_EQ(got[0], objs[5]);
	EXPECT_PTR_EQ(got[1], objs[4]);
	EXPECT_EQ(myslab_cache_free(c, got[0]), 0);
	EXPECT_EQ(myslab_cache_free(c, got[1]), 0);

	/* None at all: its objects go back to their slabs, so do flushes. */
	sim_set_cpu(0);
	for (i = 0; i < 16; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared_avail, 2);
	EXPECT_EQ(myslab_cache_tune(c, 4, 2, 0), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared, 0);
	EXPECT_EQ(st.shared_avail, 0);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	barn_flushes = t_counter(c, MYSLAB_CACHE_FLUSHES_BARN);
	flushes = t_counter(c, MYSLAB_CACHE_FLUSHES);
	for (i = 0; i < 16; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 16; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	/* From an empty magazine, frees 5, 7, ... 15 flush: 6, none kept. */
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FLUSHES_BARN), barn_flushes);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FLUSHES), flushes + 6);
	EXPECT_GT(myslab_cache_shrink(c), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.num_slabs, 0);
	EXPECT_EQ(t_cache_errors(c), 0);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * Validation checks each barn entry as it checks a magazine's, and counts
 * the barn's objects in the free-map identity (every validate of a cache
 * whose barn holds objects): an entry planted for an object handed out is
 * reported.
 */
SIM_TEST(slab, barn_entry_checked_by_validate)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "barn-check", 64, 0, 0, NULL);
	void *objs[8], *live, *entry;
	unsigned int i;

	EXPECT_EQ(myslab_cache_tune(c, 4, 2, 2), 0);
	sim_set_cpu(0);
	live = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 8; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	EXPECT_EQ(c->barn.count, 4);
	EXPECT_EQ(myslab_cache_validate(c), 0);

	/* The barn's newest entry replaced by the live object. */
	entry = c->barn.objs[3];
	c->barn.objs[3] = live;
	EXPECT_EQ(myslab_cache_validate(c), 1);
	sim_expect_errors(1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_INCONSISTENT), 1);
	c->barn.objs[3] = entry;
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(myslab_cache_free(c, live), 0);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * An allocation that finds its magazine locked (an interrupt of its own
 * CPU's section) takes from the barn before the slabs, as a refill does; a
 * tune that gets no memory for the barn's new array changes nothing.
 */
SIM_TEST(slab, barn_serves_the_direct_path)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "barn-direct", 64, 0, 0, NULL);
	struct myslab_cache_stats st, before;
	struct myslab_magazine *mag;
	void *objs[8], *p, *newest;
	unsigned long slow;
	unsigned int i;

	EXPECT_EQ(myslab_cache_tune(c, 4, 2, 2), 0);
	sim_set_cpu(0);
	for (i = 0; i < 8; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	ASSERT_EQ(c->barn.count, 4);
	newest = c->barn.objs[3];
	slow = t_counter(c, MYSLAB_CACHE_ALLOC_SLOW);

	mag = myslab_cpu_lock(c->mags, lock);
	p = myslab_cache_alloc(c, ATOMIC);
	myslab_cpu_unlock(&mag->lock);
	EXPECT_PTR_EQ(p, newest);
	EXPECT_EQ(c->barn.count, 3);
	EXPECT_EQ(mag->count, 4);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_SLOW), slow + 1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(myslab_cache_free(c, p), 0);

	myslab_cache_stats(c, &before);
	sim_fail_kmalloc(1);
	/* A smaller barn, which would give two objects back. */
	EXPECT_EQ(myslab_cache_tune(c, 4, 2, 1), -ENOMEM);
	sim_fail_kmalloc(0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.limit, before.limit);
	EXPECT_EQ(st.batchcount, before.batchcount);
	EXPECT_EQ(st.shared, before.shared);
	EXPECT_EQ(st.shared_avail, before.shared_avail);
	EXPECT_EQ(st.shared_avail, 4);
	EXPECT_EQ(c->barn.limit, 4);
	EXPECT_EQ(t_cache_errors(c), 0);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * A drain gives a barn of more than a magazine's worth back in several
 * holds of the cache lock, all of it.
 */
SIM_TEST(slab, barn_drained_whole_in_bounded_holds)
{
	struct myslab_region *r = t_region(256, 8, 0);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache *c = t_cache(r, "barn-drain", 64, 0, 0, NULL);
	struct myslab_cache_stats st;
	static void *objs[1400];
	unsigned int i;

	/* Magazines of 256, a barn of 4 such batches. */
	EXPECT_EQ(myslab_cache_tune(c, MYSLAB_MAGAZINE_MAX,
				    MYSLAB_MAGAZINE_MAX, 4), 0);
	sim_set_cpu(0);
	for (i = 0; i < 1400; i++)
		objs[i] = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < 1400; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared_avail, 4 * MYSLAB_MAGAZINE_MAX);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(myslab_cache_shrink(c), st.num_slabs << st.order);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.shared_avail, 0);
	EXPECT_EQ(st.cpu_cached, 0);
	EXPECT_EQ(st.num_slabs, 0);
	EXPECT_EQ(t_free_pages(r), free0);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, shrink_restores_buddy_free_count_exactly)
{
	struct myslab_region *r = t_region(512, 9, 8);
	unsigned long free0, pages;
	struct myslab_cache_stats st;
	struct myslab_cache *c;
	void *objs[1000];
	unsigned int i;

	sim_set_cpu(0);
	myslab_drain_pcp(r);
	free0 = t_free_pages(r);
	c = t_cache(r, "shrink", 700, 0, 0, NULL);
	for (i = 0; i < 1000; i++)
		ASSERT_PTR_NE(objs[i] = myslab_cache_alloc(c, ATOMIC), NULL);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(t_free_pages(r), free0 - (st.num_slabs << st.order));
	/* Free from two CPUs, so two magazines hold objects. */
	for (i = 0; i < 1000; i++) {
		sim_set_cpu(i & 1);
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	}
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 0);
	pages = myslab_cache_shrink(c);
	EXPECT_EQ(pages, st.num_slabs << st.order);
	EXPECT_EQ(t_free_pages(r), free0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.num_slabs, 0);
	EXPECT_EQ(st.cpu_cached, 0);
	EXPECT_EQ(myslab_cache_shrink(c), 0);
	t_cache_done(c);
	EXPECT_EQ(t_free_pages(r), free0);
	t_region_done(r);
}

/*
 * An "interrupt" on CPU 0 while CPU 0 is inside its magazine section: the
 * test takes the magazine's CPU lock itself, as the interrupted fast path
 * would hold it, then allocates and frees. The trylock fails, so every
 * operation goes to the slabs under the cache lock and leaves the magazine
 * exactly as it was (count, entries, generation).
 */
SIM_TEST(slab, magazine_locked_falls_back_to_slabs)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "mag-locked", 64, 0, 0, NULL);
	unsigned long slow_alloc, slow_free, gen, active;
	struct myslab_magazine *mag;
	struct myslab_cache_stats st;
	void *objs[20], *saved[MYSLAB_MAGAZINE_MAX];
	unsigned int i, j, count;
	void *p, *q;

	sim_set_cpu(0);
	/* Some objects in CPU 0's magazine, some handed out. */
	p = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(p, NULL);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	myslab_cache_stats(c, &st);
	active = st.active_objs;
	slow_alloc = t_counter(c, MYSLAB_CACHE_ALLOC_SLOW);
	slow_free = t_counter(c, MYSLAB_CACHE_FREE_SLOW);

	mag = myslab_cpu_lock(c->mags, lock);
	EXPECT_PTR_EQ(mag, per_cpu_ptr(c->mags, 0));
	count = mag->count;
	gen = mag->gen;
	ASSERT_GE(count, 1);
	memcpy(saved, mag->objs, count * sizeof(void *));

	q = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(q, NULL);
	for (i = 0; i < count; i++)
		EXPECT_PTR_NE(q, saved[i]);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_SLOW), slow_alloc + 1);
	EXPECT_EQ(myslab_cache_free(c, q), 0);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FREE_SLOW), slow_free + 1);
	/* A double free is still caught on the way. */
	sim_expect_errors(1);
	EXPECT_EQ(myslab_cache_free(c, q), -EALREADY);
	/* Bulk, both ways. */
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 20, objs), 20);
	for (i = 0; i < 20; i++)
		for (j = 0; j < count; j++)
			EXPECT_PTR_NE(objs[i], saved[j]);
	myslab_cache_free_bulk(c, 20, objs);
	/* So is one inside a bulk free: the same pointer twice in the array. */
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 2, objs), 2);
	objs[2] = objs[0];
	sim_expect_errors(1);
	myslab_cache_free_bulk(c, 3, objs);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 2);

	EXPECT_EQ(mag->count, count);
	EXPECT_EQ(mag->gen, gen);
	EXPECT_EQ(memcmp(saved, mag->objs, count * sizeof(void *)), 0);
	myslab_cpu_unlock(&mag->lock);

	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, active);
	EXPECT_EQ(st.cpu_cached, count);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	/* The lock is free again: the fast path uses the magazine. */
	p = myslab_cache_alloc(c, ATOMIC);
	EXPECT_PTR_EQ(p, saved[count - 1]);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	EXPECT_GT(myslab_cache_shrink(c), 0);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * The aftermath of two overlapping frees of one object, one of them on the
 * plain path, which reads and writes the free byte with plain accesses and
 * so may let both pass (kmod/DESIGN.md, "Double frees"): a stale copy, the
 * object where only free objects are while its free byte says it is handed
 * out, or in two such places. Planted here on one CPU, by writing the byte
 * and by freeing from a simulated interrupt while the magazine is locked.
 * Wherever a stale copy is met it must be dropped, counted and reported
 * once, never handed out nor put on a free list twice.
 */

/*
 * The end of every stale-copy test: @double_frees counted, the cache valid
 * and empty, every slab given back by a shrink, the region whole again.
 */
static void stale_expect_settled(struct myslab_region *r,
				 struct myslab_cache *c, unsigned long free0,
				 unsigned long double_frees)
{
	struct myslab_cache_stats st;

	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), double_frees);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(myslab_cache_shrink(c), st.num_slabs << st.order);
	EXPECT_EQ(t_free_pages(r), free0);
	t_cache_done(c);
	t_region_done(r);
}

static void stale_set_free(struct myslab_cache *c, void *obj, bool free)
{
	struct myslab_slab *slab = myslab_slab_of(c, obj);

	myslab_obj_set_free(slab, myslab_obj_index_of(c, slab, obj), free);
}

static bool stale_is_free(struct myslab_cache *c, void *obj)
{
	struct myslab_slab *slab = myslab_slab_of(c, obj);

	return myslab_obj_is_free(slab, myslab_obj_index_of(c, slab, obj));
}

static bool stale_on_list(struct myslab_cache *c, void *obj)
{
	struct myslab_slab *slab = myslab_slab_of(c, obj);

	return test_bit(myslab_obj_index_of(c, slab, obj),
			myslab_slab_list_map(c, slab));
}

/*
 * X on top of CPU 0's magazine with its free byte 0, as if X's other copy
 * had been handed out meanwhile. Returns X.
 */
static void *stale_plant_in_magazine(struct myslab_cache *c)
{
	struct myslab_magazine *mag = per_cpu_ptr(c->mags, 0);
	void *x;

	x = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(x, NULL);
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	ASSERT_GE(mag->count, 1);
	ASSERT_TRUE(mag->objs[mag->count - 1] == x);
	EXPECT_TRUE(stale_is_free(c, x));
	stale_set_free(c, x, false);
	return x;
}

SIM_TEST(slab, stale_copy_in_magazine_dropped_by_alloc)
{
	struct myslab_region *r = t_region(256, 8, 0);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache *c = t_cache(r, "stale-alloc", 64, 0, 0, NULL);
	struct myslab_magazine *mag = per_cpu_ptr(c->mags, 0);
	struct myslab_cache_stats st;
	unsigned int count;
	void *x, *y, *below;

	sim_set_cpu(0);
	x = stale_plant_in_magazine(c);
	count = mag->count;
	ASSERT_GE(count, 2);
	below = mag->objs[count - 2];

	/* The stale copy on top is dropped; the next object is handed out. */
	sim_expect_errors(1);
	y = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(y, NULL);
	EXPECT_PTR_NE(y, x);
	EXPECT_PTR_EQ(y, below);
	EXPECT_EQ(mag->count, count - 2);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_FALSE(stale_is_free(c, x));
	EXPECT_FALSE(stale_is_free(c, y));
	myslab_cache_stats(c, &st);
	/* X (its other copy's holder) and Y are handed out. */
	EXPECT_EQ(st.active_objs, 2);
	EXPECT_EQ(st.cpu_cached, count - 2);

	/* The live copy comes back, once. */
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	EXPECT_EQ(myslab_cache_free(c, y), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.cpu_cached, count);
	stale_expect_settled(r, c, free0, 1);
}

SIM_TEST(slab, stale_copy_in_magazine_dropped_by_bulk_alloc)
{
	struct myslab_region *r = t_region(256, 8, 0);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache *c = t_cache(r, "stale-bulk", 64, 0, 0, NULL);
	struct myslab_cache_stats st;
	unsigned int i, j;
	void *x, *objs[8];

	sim_set_cpu(0);
	x = stale_plant_in_magazine(c);

	sim_expect_errors(1);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 8, objs), 8);
	for (i = 0; i < 8; i++) {
		EXPECT_PTR_NE(objs[i], NULL);
		EXPECT_PTR_NE(objs[i], x);
		EXPECT_FALSE(stale_is_free(c, objs[i]));
		for (j = 0; j < i; j++)
			EXPECT_PTR_NE(objs[i], objs[j]);
	}
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 9);

	myslab_cache_free_bulk(c, 8, objs);
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	stale_expect_settled(r, c, free0, 1);
}

/*
 * X both on top of CPU 0's magazine and at the head of its slab's free
 * list, its free byte 1: the aftermath of an interrupt's free overlapping a
 * plain free of X. The interrupt is simulated by holding the magazine's
 * lock (as magazine_locked_falls_back_to_slabs does), which sends the free
 * to the slabs. The cache has one slab. Returns X.
 */
static void *stale_plant_on_list(struct myslab_cache *c)
{
	struct myslab_magazine *mag;
	struct myslab_cache_stats st;
	unsigned long slow_free;
	void *x;

	x = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(x, NULL);
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	slow_free = t_counter(c, MYSLAB_CACHE_FREE_SLOW);

	mag = myslab_cpu_lock(c->mags, lock);
	EXPECT_PTR_EQ(mag, per_cpu_ptr(c->mags, 0));
	ASSERT_GE(mag->count, 1);
	ASSERT_TRUE(mag->objs[mag->count - 1] == x);
	stale_set_free(c, x, false);
	/* The fallback's xchg() finds the byte 0 and takes X. */
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FREE_SLOW), slow_free + 1);
	myslab_cpu_unlock(&mag->lock);

	myslab_cache_stats(c, &st);
	ASSERT_EQ(st.num_slabs, 1);
	ASSERT_TRUE(mag->objs[mag->count - 1] == x);
	ASSERT_TRUE(myslab_slab_of(c, x)->freelist == x);
	EXPECT_TRUE(stale_on_list(c, x));
	EXPECT_TRUE(stale_is_free(c, x));
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 0);
	return x;
}

SIM_TEST(slab, stale_copy_on_list_dropped_by_flush)
{
	struct myslab_region *r = t_region(256, 8, 0);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache *c = t_cache(r, "stale-flush", 64, 0, 0, NULL);
	struct myslab_cache_stats st;
	void *x;

	sim_set_cpu(0);
	x = stale_plant_on_list(c);
	myslab_cache_stats(c, &st);

	/* The drain meets X's copy in the magazine with its list bit set. */
	sim_expect_errors(1);
	EXPECT_EQ(myslab_cache_shrink(c), st.num_slabs << st.order);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.cpu_cached, 0);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(st.num_slabs, 0);
	EXPECT_EQ(t_free_pages(r), free0);

	/* X is free once: a second free of it is a plain double free. */
	x = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(x, NULL);
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	sim_expect_errors(1);
	EXPECT_EQ(myslab_cache_free(c, x), -EALREADY);
	stale_expect_settled(r, c, free0, 2);
}

/*
 * The one late find a hand-out makes itself: a path that clears the free
 * byte outside any magazine's change (here the debug path, F) finds it
 * clear already, as when X's two copies went out at the same moment on two
 * CPUs. Planted on one CPU: X freed to its slab, then its byte cleared as
 * the other copy's hand-out would. Reported and counted, never a warning;
 * X is then handed out once, and freed once.
 */
SIM_TEST(slab, stale_copy_handed_out_at_once_reported)
{
	struct myslab_region *r = t_region(256, 8, 0);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache *c = t_cache(r, "stale-handout", 64, 0,
					 MYSLAB_CONSISTENCY_CHECKS, NULL);
	void *x, *p;

	x = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(x, NULL);
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	EXPECT_TRUE(stale_on_list(c, x));
	stale_set_free(c, x, false);

	sim_expect_errors(1);
	p = myslab_cache_alloc(c, ATOMIC);
	EXPECT_PTR_EQ(p, x);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_FALSE(stale_is_free(c, x));
	EXPECT_FALSE(stale_on_list(c, x));
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	stale_expect_settled(r, c, free0, 1);
}

SIM_TEST(slab, stale_copy_on_list_dropped_by_direct_alloc)
{
	struct myslab_region *r = t_region(256, 8, 0);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache *c = t_cache(r, "stale-direct", 64, 0, 0, NULL);
	struct myslab_magazine *mag;
	struct myslab_cache_stats st;
	unsigned long slow_alloc;
	unsigned int i, j;
	void *x, *p, *objs[2];

	sim_set_cpu(0);
	x = stale_plant_on_list(c);

	/* The magazine's copy is handed out: the list's copy is now stale. */
	p = myslab_cache_alloc(c, ATOMIC);
	ASSERT_TRUE(p == x);
	EXPECT_FALSE(stale_is_free(c, x));
	EXPECT_TRUE(stale_on_list(c, x));
	ASSERT_TRUE(myslab_slab_of(c, x)->freelist == x);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 0);

	/* X and the two taken below: the one slab's last free objects. */
	myslab_cache_stats(c, &st);
	ASSERT_GE(st.objs_per_slab - myslab_slab_of(c, x)->inuse, 3);

	/* A simulated interrupt allocates from the one slab, X at its head. */
	slow_alloc = t_counter(c, MYSLAB_CACHE_ALLOC_SLOW);
	mag = myslab_cpu_lock(c->mags, lock);
	sim_expect_errors(1);
	for (i = 0; i < 2; i++) {
		objs[i] = myslab_cache_alloc(c, ATOMIC);
		ASSERT_PTR_NE(objs[i], NULL);
		EXPECT_PTR_NE(objs[i], x);
		EXPECT_FALSE(stale_is_free(c, objs[i]));
		EXPECT_FALSE(stale_on_list(c, objs[i]));
		for (j = 0; j < i; j++)
			EXPECT_PTR_NE(objs[i], objs[j]);
	}
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_SLOW), slow_alloc + 2);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_FALSE(stale_on_list(c, x));
	EXPECT_FALSE(stale_is_free(c, x));
	myslab_cpu_unlock(&mag->lock);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.num_slabs, 1);
	EXPECT_EQ(st.active_objs, 3);

	for (i = 0; i < 2; i++)
		EXPECT_EQ(myslab_cache_free(c, objs[i]), 0);
	EXPECT_EQ(myslab_cache_free(c, x), 0);
	stale_expect_settled(r, c, free0, 1);
}

struct remote_holder {
	struct myslab_cache *cache;
	int cpu;
	volatile int held, released;
};

/* Hold @cpu's magazine lock a while, as a task of that CPU would. */
static void *remote_holder(void *arg)
{
	struct remote_holder *h = arg;
	struct myslab_magazine *mag;

	sim_set_cpu(h->cpu);
	mag = myslab_cpu_lock(h->cache->mags, lock);
	__atomic_store_n(&h->held, 1, __ATOMIC_RELEASE);
	usleep(50 * 1000);
	__atomic_store_n(&h->released, 1, __ATOMIC_RELEASE);
	myslab_cpu_unlock(&mag->lock);
	return NULL;
}

/*
 * Draining, retuning and resetting every magazine run on each CPU in turn
 * (smp_call_on_cpu()): each CPU's magazine is emptied by its own CPU, under
 * its own lock, so a drain waits for a section that CPU is in; the caller
 * keeps its CPU.
 */
SIM_TEST(slab, remote_magazines_drained_on_their_cpu)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "mag-remote", 64, 0, 0, NULL);
	struct remote_holder h = { .cache = c, .cpu = 2 };
	struct myslab_magazine_fill fill;
	struct myslab_cache_stats st;
	unsigned int cpu;
	pthread_t th;
	void *p;

	ASSERT_GE(nr_cpu_ids, 4);
	for (cpu = 0; cpu < 4; cpu++) {
		sim_set_cpu(cpu);
		p = myslab_cache_alloc(c, ATOMIC);
		ASSERT_PTR_NE(p, NULL);
		EXPECT_EQ(myslab_cache_free(c, p), 0);
		myslab_magazine_fill(c, cpu, &fill);
		EXPECT_GT(fill.count, 0);
	}
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_DRAINS), 0);

	/* CPU 2 is inside its magazine section: the drain waits for it. */
	ASSERT_EQ(pthread_create(&th, NULL, remote_holder, &h), 0);
	while (!__atomic_load_n(&h.held, __ATOMIC_ACQUIRE))
		usleep(1000);
	sim_set_cpu(1);
	EXPECT_GT(myslab_cache_shrink(c), 0);
	EXPECT_TRUE(__atomic_load_n(&h.released, __ATOMIC_ACQUIRE));
	pthread_join(th, NULL);
	EXPECT_EQ(sim_cpu(), 1);
	for (cpu = 0; cpu < 4; cpu++) {
		myslab_magazine_fill(c, cpu, &fill);
		EXPECT_EQ(fill.count, 0);
		/* Counted in the drained CPU's own counters. */
		EXPECT_EQ(per_cpu_ptr(c->mags, cpu)->counters[MYSLAB_CACHE_DRAINS], 1);
	}
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.cpu_cached, 0);
	EXPECT_EQ(st.num_slabs, 0);

	/* Retune and counter reset reach every CPU's magazine the same way. */
	sim_set_cpu(3);
	EXPECT_EQ(myslab_cache_tune(c, 8, 4, 0), 0);
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		myslab_magazine_fill(c, cpu, &fill);
		EXPECT_EQ(fill.limit, 8);
		EXPECT_EQ(fill.batchcount, 4);
	}
	myslab_cache_reset_counters(c);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_DRAINS), 0);
	EXPECT_EQ(sim_cpu(), 3);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	t_cache_done(c);
	t_region_done(r);
}

struct vbusy_ctx {
	struct myslab_cache *cache;
	volatile int stop;
	unsigned long ops;
};

/* Allocate and free, as a user of the cache, pausing now and then. */
static void *vbusy_worker(void *arg)
{
	struct vbusy_ctx *v = arg;
	unsigned long n = 0;
	void *held[16];
	unsigned int i;

	while (!__atomic_load_n(&v->stop, __ATOMIC_ACQUIRE)) {
		__atomic_fetch_add(&v->ops, 1, __ATOMIC_RELAXED);
		for (i = 0; i < 16; i++)
			held[i] = myslab_cache_alloc(v->cache, ATOMIC);
		for (i = 0; i < 16; i++)
			if (held[i])
				myslab_cache_free(v->cache, held[i]);
		if (!(++n % 16))
			usleep(200);
	}
	return NULL;
}

/*
 * Without PREEMPT_RT the object paths change a magazine with its generation
 * left even and let its lock's held byte say a change is under way, then
 * move the generation by 2: the lock-free readings of validation (steps 1
 * and 3) take a held lock for a change under way, and see the generation
 * move once a fast path is done. With RT the paths mark the generation
 * odd themselves, and a held lock alone changes nothing.
 */
SIM_TEST(slab, magazine_held_lock_reads_as_change_under_way)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "mag-held", 64, 0, 0, NULL);
	unsigned long *gen = kcalloc(nr_cpu_ids, sizeof(*gen), GFP_KERNEL);
	struct myslab_magazine *mag;
	long n;
	void *p;

	ASSERT_PTR_NE(gen, NULL);
	sim_set_cpu(0);
	p = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(p, NULL);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	/* The refill's batch, now in CPU 0's magazine. */
	n = myslab_magazines_snapshot(c, gen);
	EXPECT_GE(n, 1);
	EXPECT_EQ(n, per_cpu_ptr(c->mags, 0)->count);
	EXPECT_FALSE(myslab_magazines_moved(c, gen));

	mag = myslab_cpu_lock(c->mags, lock);
	EXPECT_EQ(myslab_magazines_moved(c, gen), MYSLAB_CPU_LOCK_SEEN_HELD);
	EXPECT_EQ(myslab_magazines_snapshot(c, gen),
		  MYSLAB_CPU_LOCK_SEEN_HELD ? -EBUSY : n);
	myslab_cpu_unlock(&mag->lock);
	EXPECT_EQ(myslab_magazines_snapshot(c, gen), n);
	EXPECT_FALSE(myslab_magazines_moved(c, gen));

	/* A fast path's change moves the generation, and leaves it even. */
	p = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(p, NULL);
	EXPECT_TRUE(myslab_magazines_moved(c, gen));
	EXPECT_EQ(myslab_magazines_snapshot(c, gen), n - 1);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	EXPECT_TRUE(myslab_magazines_moved(c, gen));
	EXPECT_EQ(myslab_cache_validate(c), 0);

	kfree(gen);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * Validation while two CPUs allocate and free: the magazines' generations
 * are read without their locks (a sequence count), so each try either
 * proves a quiet instant and counts exactly, or says the cache was busy;
 * never a false report. The workers pause now and then, so some
 * validations must count.
 */
SIM_TEST(slab, validate_exact_while_magazines_change)
{
	struct myslab_region *r = t_region(512, 9, 0);
	struct vbusy_ctx v = { 0 };
	unsigned long done = 0, rounds = 0, want;
	pthread_t th[4];
	unsigned int i;
	long ret;

	v.cache = t_cache(r, "vbusy", 64, 0, 0, NULL);
	ASSERT_EQ(myslab_cache_tune(v.cache, 6, 3, 0), 0);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(pthread_create(&th[i], NULL, vbusy_worker, &v), 0);
	}
	/* Validate for as long as the workers make their rounds. */
	want = sim_scale(2000);
	while (__atomic_load_n(&v.ops, __ATOMIC_RELAXED) < want || rounds < 50) {
		ret = myslab_cache_validate(v.cache);
		rounds++;
		if (ret == 0)
			done++;
		else if (ret != -EBUSY)
			sim_test_fail(__FILE__, __LINE__, "validate returned %ld", ret);
	}
	__atomic_store_n(&v.stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	EXPECT_GT(done, 0);
	EXPECT_EQ(t_cache_errors(v.cache), 0);
	EXPECT_EQ(myslab_cache_validate(v.cache), 0);
	myslab_cache_shrink(v.cache);
	t_cache_done(v.cache);
	t_region_done(r);
}

/* === Bulk === */

SIM_TEST(slab, bulk_alloc_free)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "bulk", 128, 0, 0, NULL);
	struct myslab_cache_stats st;
	void *objs[500], *sorted[500];
	unsigned int i;

	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 0, objs), 0);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 500, objs), 500);
	memcpy(sorted, objs, sizeof(objs));
	qsort(sorted, 500, sizeof(void *), cmp_ptr);
	for (i = 1; i < 500; i++)
		EXPECT_GE((char *)sorted[i] - (char *)sorted[i - 1], 128);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 500);
	/* NULL entries are skipped. */
	objs[7] = NULL;
	myslab_cache_free_bulk(c, 500, objs);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 1);
	EXPECT_EQ(myslab_cache_free(c, sorted[0] == NULL ? sorted[1] : NULL), 0);
	for (i = 0; i < 500; i++)
		if (myslab_cache_free(c, sorted[i]) == 0)
			break;
	EXPECT_EQ(i < 500, true);
	sim_expect_errors(i);	/* the already freed ones before it */
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, bulk_alloc_zeroes)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "bulkzero", 200, 0, 0, NULL);
	void *objs[60];
	unsigned int i;

	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 60, objs), 60);
	for (i = 0; i < 60; i++)
		memset(objs[i], 0xee, 200);
	myslab_cache_free_bulk(c, 60, objs);
	/* The same objects come back (magazine), zeroed as asked. */
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC | __GFP_ZERO, 60, objs), 60);
	for (i = 0; i < 60; i++)
		EXPECT_TRUE(t_is_zero(objs[i], 200));
	myslab_cache_free_bulk(c, 60, objs);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * Bulk free of a batch holding refused pointers, longer than one magazine
 * lock hold: each refused one counted and reported once, the others freed
 * once, the accounting exact and the cache valid.
 */
SIM_TEST(slab, bulk_free_refuses_inside_batch)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "bulkbad", 64, 0, 0, NULL);
	struct myslab_cache *d = t_cache(r, "bulkother", 64, 0, 0, NULL);
	static void *objs[300], *batch[311];
	struct myslab_cache_stats st;
	unsigned int i, n = 0;
	void *theirs, *page;
	long on_stack;

	theirs = myslab_cache_alloc(d, ATOMIC);
	page = myslab_alloc_pages(r, 0, ATOMIC);
	ASSERT_PTR_NE(page, NULL);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 300, objs), 300);
	EXPECT_EQ(myslab_cache_free(c, objs[7]), 0);
	for (i = 0; i < 300; i++) {
		if (i == 0 || i == 50)	/* first, and after objects passed */
			batch[n++] = theirs;
		else if (i == 11)
			batch[n++] = objs[3];
		else if (i == 100)
			batch[n++] = (char *)objs[5] + 8;
		else if (i == 257)
			batch[n++] = page;
		else if (i == 299)
			batch[n++] = &on_stack;
		batch[n++] = objs[i];
	}
	batch[n++] = objs[280];
	batch[n++] = NULL;
	myslab_cache_free_bulk(c, n, batch);
	sim_expect_errors(8);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 3);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_WRONG_CACHE), 2);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_NOT_OBJECT), 2);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_OUTSIDE), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_FREE_FAST) + t_counter(c, MYSLAB_CACHE_FREE_SLOW), 300);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(t_cache_errors(d), 0);
	EXPECT_EQ(myslab_cache_free(d, theirs), 0);
	EXPECT_EQ(myslab_free_pages(r, page, 0), 0);
	myslab_cache_shrink(c);
	myslab_cache_shrink(d);
	t_cache_done(d);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * The bulk free's owner shortcut (an object in the block of the slab whose
 * object passed last) holds within one run of checks only: the run freed
 * before a refused entry may give that slab back. Planted: the batch's
 * frees empty slab T, which gives back the empty slab S kept before it,
 * and the entry after the refused one lies in S's block, now the buddy's.
 */
SIM_TEST(slab, bulk_free_looks_owners_up_afresh_after_a_run)
{
	struct myslab_region *r = t_region(256, 8, 0);
	struct myslab_cache *c = t_cache(r, "bulk-afresh", 64, 0, 0, NULL);
	struct myslab_cache *d = t_cache(r, "bulk-other", 64, 0, 0, NULL);
	static void *a[128], *b[128], *batch[260];
	struct myslab_cache_stats st;
	unsigned int per_slab, i, n = 0;
	unsigned long given;
	void *u, *theirs;

	/* A magazine of one and no barn: every free reaches the slabs. */
	EXPECT_EQ(myslab_cache_tune(c, 1, 1, 0), 0);
	sim_set_cpu(0);
	myslab_cache_stats(c, &st);
	per_slab = st.objs_per_slab;
	ASSERT_TRUE(per_slab <= 128);
	theirs = myslab_cache_alloc(d, ATOMIC);
	for (i = 0; i < per_slab; i++)
		a[i] = myslab_cache_alloc(c, ATOMIC);		/* slab S */
	for (i = 0; i < per_slab; i++)
		b[i] = myslab_cache_alloc(c, ATOMIC);		/* slab T */
	u = myslab_cache_alloc(c, ATOMIC);			/* slab U */
	for (i = 0; i < per_slab; i++)
		EXPECT_EQ(myslab_cache_free(c, a[i]), 0);
	EXPECT_EQ(myslab_cache_free(c, b[0]), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.empty_slabs, 1);				/* S, kept */
	given = t_counter(c, MYSLAB_CACHE_SLABS_GIVEN);

	for (i = 1; i < per_slab; i++)
		batch[n++] = b[i];	/* T empties: S goes back to the buddy */
	batch[n++] = u;
	batch[n++] = a[0];	/* double free: passes the checks, in S */
	batch[n++] = theirs;	/* refused: the run before it is freed */
	batch[n++] = a[1];	/* S's block: not a slab any more */
	myslab_cache_free_bulk(c, n, batch);
	sim_expect_errors(3);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_SLABS_GIVEN), given + 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_WRONG_CACHE), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_NOT_OBJECT), 1);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(myslab_cache_free(d, theirs), 0);
	EXPECT_EQ(t_cache_errors(d), 0);
	myslab_cache_shrink(c);
	t_cache_done(d);
	t_cache_done(c);
	t_region_done(r);
}

/*
 * The same hazard on the two other ways a run gives a slab back: a
 * quarantined slab its frees empty, and its direct frees while this CPU's
 * magazine is locked. In both the slab goes back once the run is done, not
 * before the double free in it is reached (which read a block given back,
 * caught by ASan on regions that poison free pages).
 */
static void *free_listed_object(struct myslab_cache *c, void **keep);

SIM_TEST(slab, bulk_free_keeps_a_quarantined_slab_to_the_end)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "bulk-quarantine", 64, 0, 0, NULL);
	void *keep[2], *b, *p, *batch[4];
	unsigned long given;

	/* b free-listed on slab X (magazine of one), keep[] in use there. */
	b = free_listed_object(c, keep);
	*(unsigned long *)((char *)b + c->freeptr_offset) = 0x4141414141414141UL;
	sim_expect_errors(1);
	p = myslab_cache_alloc(c, ATOMIC);	/* quarantines X */
	ASSERT_PTR_NE(p, NULL);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_FREELIST), 1);
	given = t_counter(c, MYSLAB_CACHE_SLABS_GIVEN);

	batch[0] = keep[0];
	batch[1] = keep[1];	/* flushes keep[0] */
	batch[2] = p;		/* flushes keep[1]: X empty */
	batch[3] = keep[0];	/* double free on X */
	myslab_cache_free_bulk(c, 4, batch);
	sim_expect_errors(1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_SLABS_GIVEN), given + 1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, bulk_free_direct_run_keeps_emptied_slabs_to_the_end)
{
	struct myslab_region *r = t_region(256, 8, 0);
	unsigned long free0 = t_free_pages(r);
	struct myslab_cache *c = t_cache(r, "bulk-direct", 64, 0, 0, NULL);
	static void *a[128], *b[128], *batch[260];
	struct myslab_cache_stats st;
	struct myslab_magazine *mag;
	unsigned int per_slab, i, n = 0;
	unsigned long given;
	void *u;

	EXPECT_EQ(myslab_cache_tune(c, 1, 1, 0), 0);
	sim_set_cpu(0);
	myslab_cache_stats(c, &st);
	per_slab = st.objs_per_slab;
	ASSERT_TRUE(per_slab <= 128);
	for (i = 0; i < per_slab; i++)
		a[i] = myslab_cache_alloc(c, ATOMIC);		/* slab S */
	for (i = 0; i < per_slab; i++)
		b[i] = myslab_cache_alloc(c, ATOMIC);		/* slab T */
	u = myslab_cache_alloc(c, ATOMIC);
	for (i = 0; i < per_slab; i++)
		EXPECT_EQ(myslab_cache_free(c, a[i]), 0);
	EXPECT_EQ(myslab_cache_free(c, b[0]), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.empty_slabs, 1);				/* S, kept */
	given = t_counter(c, MYSLAB_CACHE_SLABS_GIVEN);

	for (i = 1; i < per_slab; i++)
		batch[n++] = b[i];	/* T empties */
	batch[n++] = u;
	batch[n++] = a[0];	/* double free on S */
	/* As if the bulk free interrupted this CPU's magazine section. */
	mag = myslab_cpu_lock(c->mags, lock);
	myslab_cache_free_bulk(c, n, batch);
	myslab_cpu_unlock(&mag->lock);
	sim_expect_errors(1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_SLABS_GIVEN), given + 1);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(st.empty_slabs, 1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(myslab_cache_shrink(c), st.num_slabs << st.order);
	EXPECT_EQ(t_free_pages(r), free0);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, bulk_alloc_is_all_or_nothing)
{
	struct myslab_region *r = t_region(16, 4, 0);
	struct myslab_cache *c = t_cache(r, "allornot", 1000, 0, 0, NULL);
	struct myslab_cache_stats st;
	unsigned int cap = 0, i;
	void *objs[128];

	/* How many fit in the region? */
	while (cap < 128 && (objs[cap] = myslab_cache_alloc(c, NOWARN)))
		cap++;
	ASSERT_LE(cap, 127);
	myslab_cache_free_bulk(c, cap, objs);
	myslab_cache_shrink(c);

	i = t_counter(c, MYSLAB_CACHE_ALLOC_FAILED);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, NOWARN, cap + 1, objs), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_FAILED), i + 1);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, NOWARN, cap, objs), cap);
	for (i = 0; i < cap; i++)
		t_fill(objs[i], 1000, i);
	for (i = 0; i < cap; i++)
		t_check(objs[i], 1000, i);
	myslab_cache_free_bulk(c, cap, objs);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, alloc_fails_when_region_exhausted)
{
	struct myslab_region *r = t_region(8, 3, 0);
	struct myslab_cache *c = t_cache(r, "exhaust", 512, 0, 0, NULL);
	void *objs[128];
	unsigned int n = 0;

	while (n < 128 && (objs[n] = myslab_cache_alloc(c, NOWARN)))
		n++;
	EXPECT_GT(n, 0);
	EXPECT_LT(n, 128);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_FAILED), 1);
	/* Without __GFP_NOWARN the buddy allocator reports the failure. */
	EXPECT_PTR_EQ(myslab_cache_alloc(c, ATOMIC), NULL);
	sim_expect_warnings(1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	myslab_cache_free_bulk(c, n, objs);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

/* === Misuse: refused, counted, reported, nothing changes === */

struct cache_snap {
	struct myslab_cache_stats st;
	struct t_snapshot region;
};

static void cache_snap(struct myslab_cache *c, struct cache_snap *s)
{
	myslab_cache_stats(c, &s->st);
	t_snap(myslab_cache_region(c), &s->region);
}

static void expect_cache_unchanged(struct myslab_cache *c, const struct cache_snap *s,
				   const char *what)
{
	struct myslab_cache_stats now;

	myslab_cache_stats(c, &now);
	if (memcmp(&now, &s->st, sizeof(now)))
		sim_test_fail(__FILE__, __LINE__, "%s: cache statistics changed", what);
	t_expect_unchanged(myslab_cache_region(c), &s->region, 0, what);
	EXPECT_EQ(myslab_cache_validate(c), 0);
}

static void expect_misuse(struct myslab_cache *c, void *obj, int err,
			  enum myslab_cache_counter counter, const char *what)
{
	unsigned long before = t_counter(c, counter), errors = t_cache_errors(c);
	struct cache_snap s;

	cache_snap(c, &s);
	if (myslab_cache_free(c, obj) != err)
		sim_test_fail(__FILE__, __LINE__, "%s: free did not return %d", what, err);
	sim_expect_errors(1);
	EXPECT_EQ(t_counter(c, counter), before + 1);
	EXPECT_EQ(t_cache_errors(c), errors + 1);
	expect_cache_unchanged(c, &s, what);
}

SIM_TEST(slab, misuse_detected_counted_refused)
{
	struct myslab_region *r = t_region(64, 6, 4);
	struct myslab_cache *c = t_cache(r, "victim", 96, 0, 0, NULL);
	struct myslab_cache *d = t_cache(r, "other", 96, 0, 0, NULL);
	void *a, *b, *x, *page;
	struct myslab_block_info info;
	long on_stack;

	sim_set_cpu(0);
	a = myslab_cache_alloc(c, ATOMIC);
	b = myslab_cache_alloc(c, ATOMIC);
	x = myslab_cache_alloc(d, ATOMIC);
	page = myslab_alloc_pages(r, 0, ATOMIC);
	ASSERT_TRUE(a && b && x && page);
	myslab_block_lookup(r, a, &info);

	expect_misuse(c, &on_stack, -EFAULT, MYSLAB_CACHE_ERR_OUTSIDE, "outside the region");
	EXPECT_LOGGED("outside region");
	expect_misuse(c, page, -EINVAL, MYSLAB_CACHE_ERR_NOT_OBJECT, "buddy page");
	EXPECT_LOGGED("not in a slab");
	expect_misuse(c, (char *)a + 1, -EINVAL, MYSLAB_CACHE_ERR_NOT_OBJECT, "inside an object");
	EXPECT_LOGGED("not at an object start");
	expect_misuse(c, (char *)a + 8, -EINVAL, MYSLAB_CACHE_ERR_NOT_OBJECT, "inside an object (word)");
	expect_misuse(c, info.base, -EINVAL, MYSLAB_CACHE_ERR_NOT_OBJECT, "slab header");
	expect_misuse(c, (char *)info.base + (PAGE_SIZE << info.order) - 8, -EINVAL,
		      MYSLAB_CACHE_ERR_NOT_OBJECT, "slab leftover");
	expect_misuse(c, x, -EXDEV, MYSLAB_CACHE_ERR_WRONG_CACHE, "object of another cache");
	EXPECT_LOGGED("belongs to cache other");
	/* An object of the slab never handed out (in the magazine). */
	expect_misuse(c, (char *)b + 96 * 2, -EALREADY, MYSLAB_CACHE_ERR_DOUBLE_FREE,
		      "never allocated");

	EXPECT_EQ(myslab_cache_free(c, a), 0);
	expect_misuse(c, a, -EALREADY, MYSLAB_CACHE_ERR_DOUBLE_FREE, "double free (magazine)");
	EXPECT_LOGGED("double free");
	/* Pushed back to the slab by a drain: still caught. */
	EXPECT_GT(myslab_cache_shrink(c) + 1, 0);
	expect_misuse(c, a, -EALREADY, MYSLAB_CACHE_ERR_DOUBLE_FREE, "double free (slab)");
	/* Double free from another CPU than the first free. */
	sim_set_cpu(1);
	EXPECT_EQ(myslab_cache_free(c, b), 0);
	sim_set_cpu(0);
	expect_misuse(c, b, -EALREADY, MYSLAB_CACHE_ERR_DOUBLE_FREE, "double free (other CPU)");

	EXPECT_EQ(myslab_cache_free(c, NULL), 0);
	EXPECT_EQ(myslab_cache_free(d, x), 0);
	EXPECT_EQ(myslab_free_pages(r, page, 0), 0);
	EXPECT_EQ(t_counter(d, MYSLAB_CACHE_ERR_WRONG_CACHE), 0);
	EXPECT_EQ(t_invalid_frees(r), 0);
	myslab_cache_shrink(c);
	myslab_cache_shrink(d);
	t_cache_done(c);
	t_cache_done(d);
	t_region_done(r);
}

SIM_TEST(slab, destroy_with_live_objects_keeps_slabs_and_refuses_late_frees)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "leaky", 128, 0, 0, NULL);
	struct myslab_block_info info;
	void *objs[5], *bases[5], *late[4] = { NULL };
	unsigned int i, j, nbases = 0;

	for (i = 0; i < 5; i++)
		ASSERT_PTR_NE(objs[i] = myslab_cache_alloc(c, ATOMIC), NULL);
	EXPECT_EQ(myslab_cache_free(c, objs[4]), 0);
	/* 4 leaked: one summary line and one line per sampled object. */
	EXPECT_EQ(myslab_cache_destroy(c), 4);
	sim_expect_errors(1 + 4);
	EXPECT_LOGGED("leaked object at region offset");
	/* The name is free; the slab stays allocated, owned by the dead cache. */
	t_cache_done(t_cache(r, "leaky", 128, 0, 0, NULL));
	EXPECT_EQ(myslab_cache_free(c, objs[0]), -ESTALE);
	sim_expect_errors(1);
	EXPECT_LOGGED("after the cache was destroyed");
	/*
	 * A bulk free is refused object by object, as each single free is,
	 * without reaching for the magazines, which are gone.
	 */
	late[0] = objs[1];
	late[2] = objs[2];
	late[3] = objs[3];
	myslab_cache_free_bulk(c, ARRAY_SIZE(late), late);
	sim_expect_errors(3);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_WRONG_CACHE), 4);
	EXPECT_EQ(myslab_region_check(r), 0);

	/* Clean up as module unload would: give the slabs back, reap. */
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(myslab_block_lookup(r, objs[i], &info), 0);
		EXPECT_EQ(info.state, MYSLAB_BLOCK_SLAB);
		for (j = 0; j < nbases && bases[j] != info.base; j++)
			;
		if (j == nbases)
			bases[nbases++] = info.base;
	}
	for (j = 0; j < nbases; j++)
		EXPECT_EQ(myslab_free_slab_block(r, bases[j], info.order), 0);
	EXPECT_EQ(myslab_caches_reap(), 1);
	t_region_done(r);
}

/* === Free-list corruption === */

static void ctor_64(void *obj);

/* One object of @c on a slab's free list (not in a magazine); returns it. */
static void *free_listed_object(struct myslab_cache *c, void **keep)
{
	void *a, *b;

	/* Magazine of one: the second free flushes the first to its slab. */
	EXPECT_EQ(myslab_cache_tune(c, 1, 1, 0), 0);
	a = myslab_cache_alloc(c, ATOMIC);
	b = myslab_cache_alloc(c, ATOMIC);
	*keep = myslab_cache_alloc(c, ATOMIC);
	EXPECT_EQ(myslab_cache_free(c, b), 0);
	EXPECT_EQ(myslab_cache_free(c, a), 0);	/* flushes b */
	EXPECT_PTR_EQ(myslab_slab_of(c, b)->freelist, b);
	/* a stays in the magazine: take it back so only b is free-listed. */
	EXPECT_PTR_EQ(myslab_cache_alloc(c, ATOMIC), a);
	keep[1] = a;
	return b;
}

static void corruption_case(const char *name, bool ctor, int how)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, name, 64, 0, 0, ctor ? ctor_64 : NULL);
	struct myslab_cache_stats st;
	void *keep[2], *b, *p, *q;
	unsigned long *link;

	b = free_listed_object(c, keep);
	link = (unsigned long *)((char *)b + c->freeptr_offset);
	switch (how) {
	case 0:	/* a stray write over the encoded link */
		*link = 0x4141414141414141UL;
		break;
	case 1:	/* a forged link, correctly encoded, to a live object */
		*link = (unsigned long)keep[0] ^ c->secret ^ swab((unsigned long)link);
		break;
	case 2:	/* a link to itself: a cycle */
		*link = (unsigned long)b ^ c->secret ^ swab((unsigned long)link);
		break;
	case 3:	/* the slab header's free-list head */
		myslab_slab_of(c, b)->freelist = (char *)b + 3;
		break;
	}
	/* The next refill finds it, quarantines the slab, grows a new one. */
	p = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(p, NULL);
	sim_expect_errors(1);
	EXPECT_LOGGED(how == 3 ? "corrupted free-list head" : "corrupted free-list pointer");
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_FREELIST), 1);
	EXPECT_PTR_NE(myslab_slab_of(c, p), myslab_slab_of(c, b));
	EXPECT_PTR_NE(p, keep[0]);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.corrupted_slabs, 1);
	EXPECT_EQ(st.lost_objs, st.objs_per_slab - 2);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	t_expect_cache_identities(c);
	/* Nothing more comes out of the quarantined slab. */
	q = myslab_cache_alloc(c, ATOMIC);
	EXPECT_PTR_NE(myslab_slab_of(c, q), myslab_slab_of(c, b));
	EXPECT_EQ(myslab_cache_free(c, q), 0);

	/* When its last objects come back the slab goes back to the buddy. */
	if (ctor)
		t_fill(keep[0], 64, 0xc7), t_fill(keep[1], 64, 0xc7);
	EXPECT_EQ(myslab_cache_free(c, keep[0]), 0);
	EXPECT_EQ(myslab_cache_free(c, keep[1]), 0);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	myslab_cache_shrink(c);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.corrupted_slabs, 0);
	EXPECT_EQ(st.lost_objs, 0);
	EXPECT_EQ(st.num_slabs, 0);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, freelist_stray_write_detected)
{
	corruption_case("stray", false, 0);
}

SIM_TEST(slab, freelist_forged_link_to_live_object_detected)
{
	corruption_case("forged", false, 1);
}

SIM_TEST(slab, freelist_cycle_detected)
{
	corruption_case("cycle", false, 2);
}

SIM_TEST(slab, freelist_bad_head_detected)
{
	corruption_case("head", false, 3);
}

SIM_TEST(slab, freelist_link_past_constructed_object)
{
	corruption_case("ctorlink", true, 0);
}

/* === Size classes === */

SIM_TEST(slab, size_classes_table_and_bounds)
{
	struct myslab_region *r = t_region(1024, 9, 8);
	struct myslab_sizes *s = myslab_sizes_create(r, "t");
	unsigned int i, nr = myslab_sizes_nr_classes();
	size_t size, cls, prev = 0;
	char name[32];

	ASSERT_NOT_ERR_OR_NULL(s);
	EXPECT_EQ(nr, 13);
	EXPECT_EQ(myslab_sizes_max_cached(), 8192);
	EXPECT_EQ(myslab_sizes_class_size(nr), 0);
	for (i = 0; i < nr; i++) {
		cls = myslab_sizes_class_size(i);
		EXPECT_GT(cls, prev);
		/* Named "<prefix>-<size>" ("-1k" ... "-8k"). */
		if (cls >= 1024)
			snprintf(name, sizeof(name), "t-%zuk", cls / 1024);
		else
			snprintf(name, sizeof(name), "t-%zu", cls);
		EXPECT_STREQ(myslab_cache_name(myslab_sizes_cache(s, cls)), name);
		/* Every size in (prev, cls] goes to this class. */
		for (size = prev + 1; size <= cls; size++) {
			struct myslab_cache *c = myslab_sizes_cache(s, size);
			struct myslab_cache_stats st;
			void *p;

			myslab_cache_stats(c, &st);
			EXPECT_EQ(st.object_size, cls);
			p = myslab_sizes_alloc(s, size, ATOMIC);
			ASSERT_PTR_NE(p, NULL);
			if (!(cls & (cls - 1)))
				EXPECT_EQ((unsigned long)p % (cls < PAGE_SIZE ? cls : PAGE_SIZE), 0);
			else
				EXPECT_EQ((unsigned long)p % 8, 0);
			EXPECT_GE(myslab_sizes_usable_size(s, p), size);
			t_fill(p, myslab_sizes_usable_size(s, p), 1);
			t_check(p, myslab_sizes_usable_size(s, p), 1);
			EXPECT_EQ(myslab_sizes_free(s, p), 0);
		}
		prev = cls;
	}
	EXPECT_PTR_EQ(myslab_sizes_cache(s, 0), NULL);
	EXPECT_PTR_EQ(myslab_sizes_cache(s, 8193), NULL);
	/* Above the classes: the smallest buddy block that fits. */
	for (size = 8193; size <= (PAGE_SIZE << 9); size = size * 3 / 2) {
		void *p = myslab_sizes_alloc(s, size, ATOMIC);
		struct myslab_block_info info;
		unsigned int order = 0;

		while ((PAGE_SIZE << order) < size)
			order++;
		ASSERT_PTR_NE(p, NULL);
		EXPECT_EQ((unsigned long)p % PAGE_SIZE, 0);
		EXPECT_EQ(myslab_block_lookup(r, p, &info), 0);
		EXPECT_EQ(info.state, MYSLAB_BLOCK_ALLOC);
		EXPECT_EQ(info.order, order);
		EXPECT_EQ(myslab_sizes_usable_size(s, p), PAGE_SIZE << order);
		EXPECT_EQ(myslab_sizes_free(s, p), 0);
	}
	/* Zero, too large, NULL. */
	EXPECT_PTR_EQ(myslab_sizes_alloc(s, 0, ATOMIC), ZERO_SIZE_PTR);
	EXPECT_EQ(myslab_sizes_free(s, ZERO_SIZE_PTR), 0);
	EXPECT_EQ(myslab_sizes_free(s, NULL), 0);
	EXPECT_EQ(myslab_sizes_usable_size(s, NULL), 0);
	EXPECT_EQ(myslab_sizes_usable_size(s, ZERO_SIZE_PTR), 0);
	EXPECT_PTR_EQ(myslab_sizes_alloc(s, (PAGE_SIZE << 9) + 1, NOWARN), NULL);
	EXPECT_PTR_EQ(myslab_sizes_alloc(s, SIZE_MAX, NOWARN), NULL);
	{
		void *z = myslab_sizes_alloc(s, 5000, ATOMIC | __GFP_ZERO);
		void *y = myslab_sizes_alloc(s, 100, ATOMIC | __GFP_ZERO);

		EXPECT_TRUE(t_is_zero(z, myslab_sizes_usable_size(s, z)));
		EXPECT_TRUE(t_is_zero(y, myslab_sizes_usable_size(s, y)));
		EXPECT_EQ(myslab_sizes_free(s, z), 0);
		EXPECT_EQ(myslab_sizes_free(s, y), 0);
	}
	for (i = 0; i < nr; i++)
		myslab_cache_shrink(myslab_sizes_cache(s, myslab_sizes_class_size(i)));
	EXPECT_EQ(myslab_sizes_destroy(s), 0);
	t_region_done(r);
}

/*
 * A region whose largest block cannot hold a class's slab serves that class
 * and the larger ones from the buddy: 8 KiB blocks hold one 4k object after
 * the header's page, not an 8k one; 4 KiB blocks not even the 4k one.
 */
SIM_TEST(slab, size_classes_shrink_to_small_region)
{
	const struct { unsigned int max_order; size_t largest; } cases[] = {
		{ 0, 2048 }, { 1, 4096 }, { 2, 8192 },
	};

	for (unsigned int c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct myslab_region *r = t_region(64, cases[c].max_order, 0);
		struct myslab_sizes *s = myslab_sizes_create(r, "small");
		struct myslab_block_info info;
		unsigned int i;

		ASSERT_NOT_ERR_OR_NULL(s);
		for (i = 0; i < myslab_sizes_nr_classes(); i++) {
			size_t cls = myslab_sizes_class_size(i);
			void *p = myslab_sizes_alloc(s, cls, NOWARN);

			if (cls > (PAGE_SIZE << cases[c].max_order)) {
				/* Larger than any block of the region. */
				EXPECT_PTR_EQ(p, NULL);
				EXPECT_PTR_EQ(myslab_sizes_cache(s, cls), NULL);
				continue;
			}
			ASSERT_PTR_NE(p, NULL);
			ASSERT_EQ(myslab_block_lookup(r, p, &info), 0);
			if (cls <= cases[c].largest) {
				EXPECT_PTR_NE(myslab_sizes_cache(s, cls), NULL);
				EXPECT_EQ(info.state, MYSLAB_BLOCK_SLAB);
				EXPECT_EQ(myslab_sizes_usable_size(s, p), cls);
			} else {
				EXPECT_PTR_EQ(myslab_sizes_cache(s, cls), NULL);
				EXPECT_EQ(info.state, MYSLAB_BLOCK_ALLOC);
				EXPECT_PTR_EQ(info.base, p);
				EXPECT_EQ(myslab_sizes_usable_size(s, p), cls);
			}
			EXPECT_EQ(myslab_sizes_free(s, p), 0);
		}
		for (i = 0; i < myslab_sizes_nr_classes(); i++) {
			struct myslab_cache *cache;

			cache = myslab_sizes_cache(s, myslab_sizes_class_size(i));
			if (cache)
				myslab_cache_shrink(cache);
		}
		EXPECT_EQ(myslab_sizes_destroy(s), 0);
		t_region_done(r);
	}
}

/* One owner lookup per free by pointer: each free counted once, in its class. */
SIM_TEST(slab, size_set_free_counted_once)
{
	struct myslab_region *r = t_region(128, 7, 0);
	struct myslab_sizes *s = myslab_sizes_create(r, "once");
	unsigned int nr = myslab_sizes_nr_classes(), i, j;
	unsigned long before[16], after[16], free0;
	struct myslab_cache *c;
	void *p;

	ASSERT_NOT_ERR_OR_NULL(s);
	ASSERT_LE(nr, 16);
	for (i = 0; i < nr; i++) {
		p = myslab_sizes_alloc(s, myslab_sizes_class_size(i), ATOMIC);
		ASSERT_PTR_NE(p, NULL);
		for (j = 0; j < nr; j++) {
			c = myslab_sizes_cache(s, myslab_sizes_class_size(j));
			before[j] = t_counter(c, MYSLAB_CACHE_FREE_FAST) +
				    t_counter(c, MYSLAB_CACHE_FREE_SLOW);
		}
		EXPECT_EQ(myslab_sizes_free(s, p), 0);
		for (j = 0; j < nr; j++) {
			c = myslab_sizes_cache(s, myslab_sizes_class_size(j));
			after[j] = t_counter(c, MYSLAB_CACHE_FREE_FAST) +
				   t_counter(c, MYSLAB_CACHE_FREE_SLOW);
			EXPECT_EQ(after[j], before[j] + (i == j));
			EXPECT_EQ(t_cache_errors(c), 0);
		}
	}
	free0 = t_free_pages(r);
	p = myslab_sizes_alloc(s, 3 * PAGE_SIZE, ATOMIC);
	ASSERT_PTR_NE(p, NULL);
	EXPECT_EQ(t_free_pages(r), free0 - 4);
	EXPECT_EQ(myslab_sizes_free(s, p), 0);
	EXPECT_EQ(t_free_pages(r), free0);
	EXPECT_EQ(myslab_sizes_destroy(s), 0);
	t_region_done(r);
}

SIM_TEST(slab, size_set_errors_and_misuse)
{
	struct myslab_region *r = t_region(128, 7, 0);
	struct myslab_sizes *s, *o;
	void *small, *large, *theirs, *page;
	long live;

	EXPECT_EQ(PTR_ERR(myslab_sizes_create(r, "bad prefix")), -EINVAL);
	EXPECT_EQ(PTR_ERR(myslab_sizes_create(r, "waytoolongprefix-xxxxxxxxxxx")), -EINVAL);
	EXPECT_EQ(PTR_ERR(myslab_sizes_create(NULL, "x")), -EINVAL);
	s = myslab_sizes_create(r, "mine");
	ASSERT_NOT_ERR_OR_NULL(s);
	/* A clash half way (the 2k class name) unwinds what was made. */
	myslab_cache_destroy(t_cache(r, "dup-2k", 8, 0, 0, NULL));
	{
		struct myslab_cache *clash = t_cache(r, "dup-2k", 8, 0, 0, NULL);

		live = sim_kmalloc_live();
		EXPECT_EQ(PTR_ERR(myslab_sizes_create(r, "dup")), -EEXIST);
		EXPECT_EQ(sim_kmalloc_live(), live);
		t_cache_done(clash);
	}
	o = myslab_sizes_create(r, "theirs");
	ASSERT_NOT_ERR_OR_NULL(o);
	small = myslab_sizes_alloc(s, 100, ATOMIC);
	large = myslab_sizes_alloc(s, 3 * PAGE_SIZE, ATOMIC);
	theirs = myslab_sizes_alloc(o, 100, ATOMIC);
	page = myslab_alloc_pages(r, 0, ATOMIC);
	ASSERT_TRUE(small && large && theirs && page);

	EXPECT_EQ(myslab_sizes_free(s, theirs), -EXDEV);
	sim_expect_errors(1);
	EXPECT_LOGGED("another size set");
	EXPECT_EQ(myslab_sizes_usable_size(s, theirs), 0);
	EXPECT_EQ(myslab_sizes_free(s, (char *)small + 4), -EINVAL);
	sim_expect_errors(1);
	EXPECT_EQ(myslab_sizes_free(s, (char *)large + PAGE_SIZE), -EINVAL);
	sim_expect_errors(1);
	EXPECT_LOGGED("not an object nor the start of an allocated block");
	EXPECT_EQ(myslab_sizes_usable_size(s, (char *)large + PAGE_SIZE), 0);
	{
		long local;

		EXPECT_EQ(myslab_sizes_free(s, &local), -EFAULT);
		sim_expect_errors(1);
	}
	EXPECT_EQ(myslab_sizes_free(s, large), 0);
	EXPECT_EQ(myslab_sizes_free(s, large), -EALREADY);
	sim_expect_errors(1);
	EXPECT_LOGGED("double free of block at region offset");
	EXPECT_EQ(myslab_sizes_free(s, small), 0);
	EXPECT_EQ(myslab_sizes_free(s, small), -EALREADY);
	sim_expect_errors(1);
	EXPECT_EQ(myslab_sizes_free(o, theirs), 0);
	EXPECT_EQ(myslab_free_pages(r, page, 0), 0);
	/* The size set reported each refused large free, the buddy none. */
	EXPECT_EQ(t_invalid_frees(r), 0);
	EXPECT_EQ(myslab_region_check(r), 0);
	EXPECT_EQ(myslab_sizes_destroy(o), 0);
	EXPECT_EQ(myslab_sizes_destroy(s), 0);
	EXPECT_EQ(myslab_sizes_destroy(NULL), 0);
	t_region_done(r);
}

/*
 * A large block's free finds its order in the block's head and frees with
 * it; what is not the start of an allocated page block is the size set's
 * to report, once, with the buddy refusing nothing itself: blocks of a
 * per-CPU order (PCP once freed) and of a free-list order (FREE).
 */
SIM_TEST(slab, size_set_large_frees_refused_once)
{
	struct myslab_region *r = t_region(128, 7, 8);
	struct myslab_sizes *s;
	unsigned long free0;
	void *cached, *listed;

	s = myslab_sizes_create(r, "lg");
	ASSERT_NOT_ERR_OR_NULL(s);
	free0 = t_free_pages(r);
	cached = myslab_sizes_alloc(s, 3 * PAGE_SIZE, ATOMIC);
	listed = myslab_sizes_alloc(s, 16 * PAGE_SIZE, ATOMIC);
	ASSERT_TRUE(cached && listed);
	EXPECT_EQ(t_free_pages(r), free0 - 4 - 16);

	EXPECT_EQ(myslab_sizes_free(s, (char *)listed + 4 * PAGE_SIZE), -EINVAL);
	sim_expect_errors(1);
	EXPECT_LOGGED("not an object nor the start of an allocated block");
	EXPECT_EQ(myslab_sizes_free(s, (char *)cached + 8), -EINVAL);
	sim_expect_errors(1);
	EXPECT_LOGGED("not an object nor the start of an allocated block");

	EXPECT_EQ(myslab_sizes_free(s, cached), 0);
	EXPECT_EQ(myslab_sizes_free(s, listed), 0);
	EXPECT_EQ(t_free_pages(r), free0);
	EXPECT_EQ(myslab_sizes_free(s, cached), -EALREADY);
	sim_expect_errors(1);
	EXPECT_LOGGED("double free of block at region offset");
	EXPECT_EQ(myslab_sizes_free(s, listed), -EALREADY);
	sim_expect_errors(1);
	EXPECT_LOGGED("double free of block at region offset");

	EXPECT_EQ(t_invalid_frees(r), 0);
	EXPECT_EQ(myslab_region_check(r), 0);
	EXPECT_EQ(myslab_sizes_destroy(s), 0);
	t_region_done(r);
}

SIM_TEST(slab, size_set_destroy_reports_leaks)
{
	struct myslab_region *r = t_region(128, 7, 0);
	struct myslab_sizes *s = myslab_sizes_create(r, "leak");
	struct myslab_block_info info;
	void *small, *large;

	ASSERT_NOT_ERR_OR_NULL(s);
	small = myslab_sizes_alloc(s, 64, ATOMIC);
	large = myslab_sizes_alloc(s, 3 * PAGE_SIZE, ATOMIC);
	EXPECT_EQ(myslab_sizes_destroy(s), 2);
	/* The 64 cache: summary + 1 sample; the large block: 1 line. */
	sim_expect_errors(3);
	EXPECT_EQ(myslab_block_lookup(r, small, &info), 0);
	EXPECT_EQ(myslab_free_slab_block(r, info.base, info.order), 0);
	EXPECT_EQ(myslab_free_pages(r, large, 2), 0);
	EXPECT_EQ(myslab_caches_reap(), 1);
	t_region_done(r);
}

/* === /proc/myslabinfo text === */

SIM_TEST(slab, slabinfo_row_parses_back)
{
	struct myslab_region *r = t_region(128, 7, 0);
	struct myslab_cache *c = t_cache(r, "info-cache", 200, 0, 0, NULL);
	struct myslab_cache_stats st;
	unsigned int active, num, objsize, perslab, pages, aslabs, nslabs;
	char row[256], name[129];
	void *objs[30];
	int len;

	EXPECT_STREQ(myslab_slabinfo_header(),
		     "slabinfo - version: 2.1\n"
		     "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 30, objs), 30);
	myslab_cache_stats(c, &st);
	len = myslab_slabinfo_format(row, sizeof(row), &st);
	EXPECT_EQ(len, (int)strlen(row));
	EXPECT_EQ(row[len - 1], '\n');
	/* procps' slabtop parser. */
	EXPECT_EQ(sscanf(row, "%128s %u %u %u %u %u : tunables %*u %*u %*u : slabdata %u %u %*u",
			 name, &active, &num, &objsize, &perslab, &pages, &aslabs, &nslabs), 8);
	EXPECT_STREQ(name, "info-cache");
	EXPECT_EQ(active, st.active_objs);
	EXPECT_EQ(num, st.num_objs);
	EXPECT_EQ(objsize, st.slot_size);
	EXPECT_EQ(perslab, st.objs_per_slab);
	EXPECT_EQ(pages, 1u << st.order);
	EXPECT_EQ(aslabs, st.active_slabs);
	EXPECT_EQ(nslabs, st.num_slabs);
	/* Truncation returns the full length, as snprintf. */
	EXPECT_EQ(myslab_slabinfo_format(row, 10, &st), len);
	myslab_cache_free_bulk(c, 30, objs);
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab, slabinfo_write_parser)
{
	struct myslab_slabinfo_tune req;
	char big[MYSLAB_SLABINFO_WRITE_MAX + 1];
	const struct { const char *in; int err; } cases[] = {
		{ "kmalloc-64 60 30 0\n", 0 },
		{ "  kmalloc-64\t60 30 0  \n", 0 },
		{ "kmalloc-64 256 256 0", 0 },
		{ "", -EINVAL },
		{ "\n", -EINVAL },
		{ "kmalloc-64 60 30", -EINVAL },
		{ "kmalloc-64 60 30 0 9", -EINVAL },
		{ "kmalloc-64 0 1 0", -EINVAL },
		{ "kmalloc-64 10 11 0", -EINVAL },
		{ "kmalloc-64 10 0 0", -EINVAL },
		{ "kmalloc-64 10 5 16", 0 },
		{ "kmalloc-64 10 5 17", -EINVAL },
		{ "kmalloc-64 257 5 0", -EINVAL },
		{ "kmalloc-64 -1 1 0", -EINVAL },
		{ "kmalloc-64 +5 1 0", -EINVAL },
		{ "kmalloc-64 0x10 1 0", -EINVAL },
		{ "kmalloc-64 99999999999 1 0", -EINVAL },
		{ "kmalloc-64 60 30 0\n\n", -EINVAL },
		{ "kmalloc-64 60\n30 0", -EINVAL },
		{ "kmal\001loc 60 30 0", -EINVAL },
		{ "kmalloc-\xff 60 30 0", -EINVAL },
		{ "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn 1 1 0", -EINVAL },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int err = myslab_slabinfo_parse(cases[i].in, strlen(cases[i].in), &req);

		if (err != cases[i].err)
			sim_test_fail(__FILE__, __LINE__, "\"%s\": %d, expected %d",
				      cases[i].in, err, cases[i].err);
	}
	EXPECT_EQ(myslab_slabinfo_parse("kmalloc-64 60 30 0\n", 19, &req), 0);
	EXPECT_STREQ(req.name, "kmalloc-64");
	EXPECT_EQ(req.limit, 60);
	EXPECT_EQ(req.batchcount, 30);
	EXPECT_EQ(req.shared, 0);
	/* A NUL byte inside the write. */
	EXPECT_EQ(myslab_slabinfo_parse("abc\0 1 1 0", 10, &req), -EINVAL);
	memset(big, 'a', sizeof(big));
	EXPECT_EQ(myslab_slabinfo_parse(big, sizeof(big), &req), -E2BIG);
}

/* === The gfp mask inside the allocator's atomic sections === */

/*
 * A caller in process context may pass GFP_KERNEL: growing the cache then
 * happens under the magazine's spinlock with interrupts off, and must not
 * pass a blocking mask down to the buddy allocator, whose might_sleep_if()
 * reports "sleeping function called from invalid context" (a splat under
 * CONFIG_DEBUG_ATOMIC_SLEEP).
 */
SIM_TEST(slab, gfp_kernel_alloc_is_not_atomic_sleep)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "kernel-gfp", 64, 0, 0, NULL);
	struct myslab_sizes *s = myslab_sizes_create(r, "kg");
	void *objs[4];

	ASSERT_NOT_ERR_OR_NULL(s);
	objs[0] = myslab_cache_alloc(c, GFP_KERNEL);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, GFP_KERNEL, 2, objs + 1), 2);
	objs[3] = myslab_sizes_alloc(s, 128, GFP_KERNEL);
	EXPECT_TRUE(objs[0] && objs[3]);
	myslab_cache_free_bulk(c, 3, objs);
	EXPECT_EQ(myslab_sizes_free(s, objs[3]), 0);
	myslab_cache_shrink(c);
	t_cache_done(c);
	for (unsigned int i = 0; i < myslab_sizes_nr_classes(); i++)
		myslab_cache_shrink(myslab_sizes_cache(s, myslab_sizes_class_size(i)));
	EXPECT_EQ(myslab_sizes_destroy(s), 0);
	t_region_done(r);
}

/* === Threads === */

#define ST_THREADS	4
#define ST_SHARED	64
#define ST_SLOTS	64
#define ST_STEP		4	/* worker iterations per meddler round */

struct st_ctx {
	struct myslab_region *region;
	struct myslab_cache *caches[2];
	struct myslab_sizes *sizes;
	void *shared[ST_SHARED];
	unsigned long iterations;
	struct t_pace pace;
	/* The meddler's rounds, and those that raced every worker. */
	unsigned long rounds, raced;
	long errors;
};

/* Each object starts with a tag word: kind (0, 1: caches, 2: sizes) and size. */
static void st_stamp(void *p, unsigned int kind, unsigned int size)
{
	*(unsigned long *)p = kind | (unsigned long)size << 8;
	t_fill((char *)p + 8, size - 8, kind);
}

static void st_free(struct st_ctx *c, void *p)
{
	unsigned long tag = *(unsigned long *)p;
	unsigned int kind = tag & 0xff, size = tag >> 8;
	int err;

	if (kind > 2 || !t_check((char *)p + 8, size - 8, kind)) {
		__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
		return;
	}
	if (kind == 1)
		t_fill(p, 64, 0xc7);	/* back to the constructed state */
	err = kind < 2 ? myslab_cache_free(c->caches[kind], p) :
			 myslab_sizes_free(c->sizes, p);
	if (err)
		__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
}

static void *st_worker(void *arg)
{
	struct st_ctx *c = arg;
	unsigned int id = t_pace_worker_id(&c->pace);
	unsigned long long s = (unsigned long)pthread_self() | 1;
	void *mine[ST_SLOTS] = { NULL };
	unsigned long i;
	unsigned int k;

	for (i = 0; i < c->iterations; i++) {
		unsigned int slot = t_rand(&s) % ST_SLOTS;

		t_pace_worker_step(&c->pace, id, i);
		if (mine[slot] && (t_rand(&s) & 1)) {
			void *other = __atomic_exchange_n(&c->shared[t_rand(&s) % ST_SHARED],
							  mine[slot], __ATOMIC_ACQ_REL);
			mine[slot] = NULL;
			if (other)
				st_free(c, other);
		} else if (mine[slot]) {
			st_free(c, mine[slot]);
			mine[slot] = NULL;
		} else {
			unsigned int kind = t_rand(&s) % 3;
			unsigned int size = kind == 0 ? 48 : kind == 1 ? 64 :
					    16 + t_rand(&s) % 3000;
			void *p = kind < 2 ? myslab_cache_alloc(c->caches[kind], NOWARN) :
					     myslab_sizes_alloc(c->sizes, size, NOWARN);

			if (p) {
				if (kind == 1 && !t_check(p, 64, 0xc7))
					__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
				st_stamp(p, kind, size);
				mine[slot] = p;
			}
		}
	}
	for (k = 0; k < ST_SLOTS; k++)
		if (mine[k])
			st_free(c, mine[k]);
	t_pace_worker_done(&c->pace, id);
	return NULL;
}

/*
 * Shrinks, retunes and drains while the workers run: a round per ST_STEP
 * iterations of the workers (see struct t_pace), so the rounds are bounded
 * by the work and race it.
 */
static void *st_meddler(void *arg)
{
	struct st_ctx *c = arg;
	unsigned long n, rounds = t_pace_rounds(&c->pace, c->iterations);

	for (n = 0; n < rounds; n++) {
		t_pace_round_begin(&c->pace, n);
		myslab_cache_shrink(c->caches[n & 1]);
		if (!(n % 8))
			myslab_cache_tune(c->caches[0], 8 + n % 100, 4, 0);
		myslab_drain_pcp(c->region);
		c->raced += t_pace_round_end(&c->pace);
	}
	c->rounds = n;
	return NULL;
}

static void ctor_64(void *obj)
{
	t_fill(obj, 64, 0xc7);
}

SIM_TEST(slab, multithreaded_cross_thread_frees)
{
	struct st_ctx c = { .iterations = sim_scale(30000) };
	pthread_t th[ST_THREADS], meddler;
	struct myslab_cache_stats st;
	unsigned long free0;
	unsigned int i;

	sim_set_nr_cpus(2);
	c.region = t_region(1024, 10, 8);
	free0 = t_free_pages(c.region);
	c.caches[0] = t_cache(c.region, "mt-48", 48, 0, 0, NULL);
	c.caches[1] = t_cache(c.region, "mt-ctor", 64, 0, MYSLAB_HWCACHE_ALIGN, ctor_64);
	c.sizes = myslab_sizes_create(c.region, "mt");
	ASSERT_NOT_ERR_OR_NULL(c.sizes);
	t_pace_init(&c.pace, ST_THREADS, ST_STEP);
	for (i = 0; i < ST_THREADS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, st_worker, &c), 0);
	ASSERT_EQ(pthread_create(&meddler, NULL, st_meddler, &c), 0);
	for (i = 0; i < ST_THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_join(meddler, NULL);
	for (i = 0; i < ST_SHARED; i++)
		if (c.shared[i])
			st_free(&c, c.shared[i]);

	EXPECT_EQ(c.errors, 0);
	EXPECT_EQ(c.rounds, t_pace_rounds(&c.pace, c.iterations));
	EXPECT_GT(c.rounds, 1);
	EXPECT_GE(c.raced, c.rounds - 1);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(myslab_cache_validate(c.caches[i]), 0);
		myslab_cache_stats(c.caches[i], &st);
		EXPECT_EQ(st.active_objs, 0);
		EXPECT_EQ(t_cache_errors(c.caches[i]), 0);
		EXPECT_GT(t_counter(c.caches[i], MYSLAB_CACHE_ALLOC_FAST), 0);
		myslab_cache_shrink(c.caches[i]);
		t_cache_done(c.caches[i]);
	}
	for (i = 0; i < myslab_sizes_nr_classes(); i++) {
		struct myslab_cache *sc = myslab_sizes_cache(c.sizes, myslab_sizes_class_size(i));

		EXPECT_EQ(myslab_cache_validate(sc), 0);
		myslab_cache_shrink(sc);
	}
	EXPECT_EQ(myslab_sizes_destroy(c.sizes), 0);
	EXPECT_EQ(myslab_region_check(c.region), 0);
	myslab_drain_pcp(c.region);
	EXPECT_EQ(t_free_pages(c.region), free0);
	t_region_done(c.region);
}
