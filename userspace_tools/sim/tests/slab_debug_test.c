// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the slab layer's debug options (kmod/core/slab/slab_debug*.c): red
 * zones (Z), poisoning (P), owner records (U), consistency checks (F). Each
 * planted bug must be found, counted once in the right error counter,
 * reported (a report spans several lines: at least one), repaired, and leave
 * a cache that validates and gives every page back.
 */
#include <string.h>

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "core/slab/slab_internal.h"
#include "helpers.h"

#define ATOMIC	GFP_ATOMIC
#define ALL_DEBUG (MYSLAB_CONSISTENCY_CHECKS | MYSLAB_RED_ZONE | MYSLAB_POISON | \
		   MYSLAB_STORE_USER)

/* At least one error message since @before; they become expected. */
static void expect_some_reports(unsigned long before)
{
	unsigned long n = sim_errors() - before;

	EXPECT_GE(n, 1);
	sim_expect_errors(n);
}

static void finish(struct myslab_region *r, struct myslab_cache *c)
{
	myslab_cache_shrink(c);
	t_cache_done(c);
	t_region_done(r);
}

SIM_TEST(slab_debug, usable_size_and_layout)
{
	struct myslab_region *r = t_region(128, 7, 0);
	unsigned int flags[] = { MYSLAB_RED_ZONE, MYSLAB_POISON, MYSLAB_STORE_USER,
				 MYSLAB_CONSISTENCY_CHECKS, ALL_DEBUG };
	char buf[64];
	unsigned int i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct myslab_cache *c = t_cache(r, "layout", 40, 16, flags[i], NULL);
		struct myslab_cache_stats st;
		void *objs[50];
		unsigned int n;

		EXPECT_EQ(myslab_cache_debug_flags(c), flags[i]);
		myslab_cache_stats(c, &st);
		EXPECT_GE(st.slot_size, 40);
		if (flags[i] & (MYSLAB_RED_ZONE | MYSLAB_POISON | MYSLAB_STORE_USER))
			EXPECT_EQ(myslab_cache_usable_size(c), 40);
		EXPECT_EQ(myslab_cache_alloc_bulk(c, ATOMIC, 50, objs), 50);
		for (n = 0; n < 50; n++) {
			EXPECT_EQ((unsigned long)objs[n] % 16, 0);
			t_fill(objs[n], myslab_cache_usable_size(c), n);
		}
		for (n = 0; n < 50; n++)
			t_check(objs[n], myslab_cache_usable_size(c), n);
		EXPECT_EQ(myslab_cache_validate(c), 0);
		myslab_cache_free_bulk(c, 50, objs);
		/* Debug caches keep no magazines. */
		myslab_cache_stats(c, &st);
		EXPECT_EQ(st.cpu_cached, 0);
		EXPECT_EQ(st.active_objs, 0);
		myslab_cache_shrink(c);
		t_cache_done(c);
	}
	EXPECT_GT(myslab_debug_flags_string(ALL_DEBUG, buf, sizeof(buf)), 0);
	EXPECT_STREQ(buf, "FZPU");
	t_region_done(r);
}

static void redzone_case(int where)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "rz", 40, 0, MYSLAB_RED_ZONE, NULL);
	unsigned long before;
	unsigned char *p, saved;

	p = myslab_cache_alloc(c, ATOMIC);
	ASSERT_PTR_NE(p, NULL);
	saved = p[where];
	p[where] ^= 0x5a;	/* one byte past either end */
	before = sim_errors();
	/* The free goes on; the red zone is restored. */
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	expect_some_reports(before);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_REDZONE), 1);
	EXPECT_EQ(t_cache_errors(c), 1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	(void)saved;
	finish(r, c);
}

SIM_TEST(slab_debug, redzone_overflow_found_on_free)
{
	redzone_case(40);
}

SIM_TEST(slab_debug, redzone_underflow_found_on_free)
{
	redzone_case(-1);
}

SIM_TEST(slab_debug, write_after_free_found_by_poison_and_quarantined)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "uaf", 100, 0, MYSLAB_POISON, NULL);
	struct myslab_cache_stats st;
	unsigned long before, free0 = t_free_pages(r);
	unsigned char *p, *q, *keep;
	void *more[40];
	unsigned int i;

	keep = myslab_cache_alloc(c, ATOMIC);
	p = myslab_cache_alloc(c, ATOMIC);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	p[50] = 0;		/* write after free */
	before = sim_errors();
	/* Taking the objects out finds it; nothing damaged is handed out. */
	for (i = 0; i < 40; i++) {
		more[i] = myslab_cache_alloc(c, ATOMIC);
		ASSERT_PTR_NE(more[i], NULL);
		EXPECT_PTR_NE(more[i], p);
	}
	expect_some_reports(before);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_POISON), 1);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.corrupted_slabs, 1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	/* The quarantined slab goes back once its objects have come back. */
	q = keep;
	EXPECT_EQ(myslab_cache_free(c, q), 0);
	myslab_cache_free_bulk(c, 40, more);
	myslab_cache_shrink(c);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.corrupted_slabs, 0);
	EXPECT_EQ(st.num_slabs, 0);
	EXPECT_EQ(t_free_pages(r), free0);
	finish(r, c);
}

SIM_TEST(slab_debug, validate_repairs_poison)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "valp", 64, 0, MYSLAB_POISON, NULL);
	unsigned long before;
	unsigned char *a, *b;

	a = myslab_cache_alloc(c, ATOMIC);
	b = myslab_cache_alloc(c, ATOMIC);
	EXPECT_EQ(myslab_cache_free(c, b), 0);
	b[3] = 0x77;
	before = sim_errors();
	EXPECT_GE(myslab_cache_validate(c), 1);
	expect_some_reports(before);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_POISON), 1);
	/* Repaired: clean from now on. */
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(myslab_cache_free(c, a), 0);
	finish(r, c);
}

SIM_TEST(slab_debug, misuse_still_refused_with_every_option)
{
	struct myslab_region *r = t_region(64, 6, 0);
	struct myslab_cache *c = t_cache(r, "alldebug", 72, 0, ALL_DEBUG, NULL);
	unsigned long before;
	char *p;

	p = myslab_cache_alloc(c, ATOMIC | __GFP_ZERO);
	ASSERT_PTR_NE(p, NULL);
	EXPECT_TRUE(t_is_zero(p, 72));
	before = sim_errors();
	EXPECT_EQ(myslab_cache_free(c, p + 8), -EINVAL);
	expect_some_reports(before);
	EXPECT_EQ(myslab_cache_free(c, p), 0);
	before = sim_errors();
	EXPECT_EQ(myslab_cache_free(c, p), -EALREADY);
	expect_some_reports(before);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_DOUBLE_FREE), 1);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ERR_NOT_OBJECT), 1);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	finish(r, c);
}

/*
 * Objects smaller than a pointer: with red zones, a free object's free-list
 * link must not spill into the red zone after it (SLUB moves the link out
 * of the object in that case). Nothing is planted here: any report is the
 * allocator mistaking its own link for damage.
 */
SIM_TEST(slab_debug, redzone_of_tiny_objects_holds_no_link)
{
	struct myslab_region *r = t_region(64, 6, 0);
	unsigned int size;

	for (size = 1; size <= 16; size++) {
		struct myslab_cache *c = t_cache(r, "tiny", size, 0, MYSLAB_RED_ZONE, NULL);
		unsigned long before = sim_errors();
		int got1, got2 = 0;
		void *objs[8];

		got1 = myslab_cache_alloc_bulk(c, ATOMIC, 8, objs);
		if (got1) {
			myslab_cache_free_bulk(c, 8, objs);
			got2 = myslab_cache_alloc_bulk(c, ATOMIC, 8, objs);
			if (got2)
				myslab_cache_free_bulk(c, 8, objs);
		}
		myslab_cache_validate(c);
		if (sim_errors() != before || got1 != 8 || got2 != 8) {
			sim_test_fail(__FILE__, __LINE__,
				      "size %u: bulk allocs got %d and %d of 8; %lu reports, %lu red-zone errors",
				      size, got1, got2, sim_errors() - before,
				      t_counter(c, MYSLAB_CACHE_ERR_REDZONE));
			sim_expect_errors(sim_errors() - before);
		}
		myslab_cache_shrink(c);
		myslab_cache_validate(c);
		myslab_cache_destroy(c);
	}
	myslab_caches_reap();
	t_region_done(r);
}
