// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the buddy core's debug paths and views
 * (kmod/core/buddy/: buddy_debug.c, buddy_map.c, buddy_frag.c) and of the slab layer under injected page
 * allocation failures: page poisoning, the detector hooks (here: ASan's
 * shadow and a block counter), fault injection, the page map and the
 * fragmentation indices.
 */
#include <string.h>

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "core/buddy/buddy_internal.h"
#include "helpers.h"

#define NOWARN	(GFP_ATOMIC | __GFP_NOWARN)

static struct myslab_region *poison_region(size_t pages, unsigned int max_order,
					   unsigned int pcp_batch)
{
	struct myslab_region_debug debug = { .flags = MYSLAB_DEBUG_POISON };
	struct myslab_region *r;
	struct myslab_mem mem;

	ASSERT_EQ(sim_mem_alloc(&mem, pages * PAGE_SIZE, SIM_MEM_MMAP), 0);
	r = myslab_region_create_debug("poison", &mem, max_order, pcp_batch, &debug);
	if (IS_ERR(r))
		sim_mem_free(&mem);
	ASSERT_NOT_ERR_OR_NULL(r);
	return r;
}

static bool all_poison(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != MYSLAB_PAGE_POISON)
			return false;
	return true;
}

SIM_TEST(debug, create_rejects_unknown_flags)
{
	struct myslab_region_debug debug = { .flags = 0x80 };
	struct myslab_mem mem;

	ASSERT_EQ(sim_mem_alloc(&mem, 4 * PAGE_SIZE, SIM_MEM_MMAP), 0);
	EXPECT_EQ(PTR_ERR(myslab_region_create_debug("bad", &mem, 2, 0, &debug)), -EINVAL);
	sim_expect_errors(1);
	EXPECT_LOGGED("unknown debug flags");
	sim_mem_free(&mem);
}

SIM_TEST(debug, poison_fills_free_pages_and_catches_write_after_free)
{
	struct myslab_region *r = poison_region(16, 4, 0);
	struct myslab_buddy_stats st;
	unsigned char *p;

	EXPECT_TRUE(all_poison(myslab_region_mem(r)->base, 16 * PAGE_SIZE));
	p = myslab_alloc_pages(r, 1, NOWARN);
	ASSERT_PTR_NE(p, NULL);
	memset(p, 0x11, 2 * PAGE_SIZE);
	EXPECT_EQ(myslab_free_pages(r, p, 1), 0);
	EXPECT_TRUE(all_poison(p, 2 * PAGE_SIZE));
	/* A stray write into the free block ... */
	p[PAGE_SIZE + 100] = 0x42;
	/* ... is reported when the page is handed out again, which still works. */
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 1, NOWARN), p);
	sim_expect_errors(1);
	EXPECT_LOGGED("poison overwritten at +0x64 (0xaa -> 0x42)");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.poison_errors, 1);
	EXPECT_EQ(st.debug_flags, MYSLAB_DEBUG_POISON);
	/* __GFP_ZERO still zeroes. */
	EXPECT_EQ(myslab_free_pages(r, p, 1), 0);
	p = myslab_alloc_pages(r, 1, NOWARN | __GFP_ZERO);
	EXPECT_TRUE(t_is_zero(p, 2 * PAGE_SIZE));
	EXPECT_EQ(myslab_free_pages(r, p, 1), 0);
	t_region_done(r);
}

SIM_TEST(debug, validate_finds_damaged_poison_once)
{
	struct myslab_region *r = poison_region(16, 4, 2);
	struct myslab_buddy_stats st;
	unsigned char *p, *q;

	sim_set_cpu(0);
	p = myslab_alloc_pages(r, 0, NOWARN);	/* a second page stays cached */
	q = myslab_alloc_pages(r, 2, NOWARN);
	EXPECT_EQ(myslab_free_pages(r, q, 2), 0);
	q[3 * PAGE_SIZE + 7] = 0;		/* in a free block */
	p[PAGE_SIZE + 9] = 1;			/* in the per-CPU cached page */
	EXPECT_EQ(myslab_region_check(r), 2);
	sim_expect_errors(2);
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.poison_errors, 2);
	/* Repaired: the next validation is clean. */
	EXPECT_EQ(myslab_region_check(r), 0);
	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);
	t_region_done(r);
}

SIM_TEST(debug, shadow_hooks_make_free_pages_inaccessible)
{
	struct myslab_region *r = sim_region_create_debug("shadow", 16 * PAGE_SIZE, 4, 2, 0);
	int owner;
	void *p, *s;

	ASSERT_NOT_ERR_OR_NULL(r);
	if (sim_shadow_poisoned(myslab_region_mem(r)->base) < 0) {
		t_region_done(r);
		sim_test_skip("not an ASan build");
	}
	EXPECT_EQ(sim_shadow_poisoned(myslab_region_mem(r)->base), 1);
	p = myslab_alloc_pages(r, 0, NOWARN);
	s = myslab_alloc_slab_block(r, 1, NOWARN, &owner);
	EXPECT_EQ(sim_shadow_poisoned(p), 0);
	EXPECT_EQ(sim_shadow_poisoned((char *)p + PAGE_SIZE - 1), 0);
	EXPECT_EQ(sim_shadow_poisoned((char *)s + 2 * PAGE_SIZE - 1), 0);
	/* The page cached beside it on this CPU is free, hence poisoned. */
	EXPECT_EQ(sim_shadow_poisoned((char *)p + PAGE_SIZE), 1);
	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);
	EXPECT_EQ(sim_shadow_poisoned(p), 1);
	EXPECT_EQ(myslab_free_slab_block(r, s, 1), 0);
	EXPECT_EQ(sim_shadow_poisoned(s), 1);
	t_region_done(r);
}

SIM_TEST(debug, track_hooks_see_page_blocks_not_slabs)
{
	struct myslab_region *r = sim_region_create_debug("track", 16 * PAGE_SIZE, 4, 0, 0);
	long base = sim_tracked_blocks();
	void *a, *b, *s;
	int owner;

	ASSERT_NOT_ERR_OR_NULL(r);
	a = myslab_alloc_pages(r, 0, NOWARN);
	b = myslab_alloc_pages(r, 2, NOWARN);
	s = myslab_alloc_slab_block(r, 1, NOWARN, &owner);
	EXPECT_EQ(sim_tracked_blocks(), base + 2);
	/* A refused free stops no tracking. */
	EXPECT_EQ(myslab_free_pages(r, b, 1), -ERANGE);
	sim_expect_errors(1);
	EXPECT_EQ(sim_tracked_blocks(), base + 2);
	EXPECT_EQ(myslab_free_pages(r, a, 0), 0);
	EXPECT_EQ(myslab_free_pages(r, b, 2), 0);
	EXPECT_EQ(myslab_free_slab_block(r, s, 1), 0);
	EXPECT_EQ(sim_tracked_blocks(), base);
	t_region_done(r);
}

SIM_TEST(debug, fault_injection_fails_and_counts)
{
	struct myslab_region *r = sim_region_create_debug("fail", 16 * PAGE_SIZE, 4, 2, 0);
	struct myslab_buddy_stats st;
	void *p;

	ASSERT_NOT_ERR_OR_NULL(r);
	sim_fail_pages(1, false, 0);
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 0, NOWARN), NULL);
	sim_fail_pages(2, false, 0);
	p = myslab_alloc_pages(r, 3, NOWARN);
	EXPECT_PTR_NE(p, NULL);
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 1, GFP_ATOMIC), NULL);
	sim_expect_warnings(1);
	EXPECT_LOGGED("fault injected");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.faults_injected, 2);
	EXPECT_EQ(st.failed, 2);
	EXPECT_EQ(st.alloc_pages, 8);
	EXPECT_EQ(myslab_free_pages(r, p, 3), 0);
	/* Counters can be reset; the gauges stay. */
	myslab_buddy_reset_counters(r);
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.faults_injected, 0);
	EXPECT_EQ(st.failed, 0);
	EXPECT_EQ(st.free_pages + st.pcp_pages, 16);
	EXPECT_STREQ(myslab_buddy_counter_name(MYSLAB_BUDDY_FAULTS_INJECTED), "faults_injected");
	t_region_done(r);
}

SIM_TEST(debug, slab_layer_survives_injected_page_failures)
{
	struct myslab_region *r = sim_region_create_debug("slabfail", 128 * PAGE_SIZE, 7, 4,
							  MYSLAB_DEBUG_POISON);
	struct myslab_cache_stats st;
	struct myslab_cache *c;
	struct myslab_sizes *s;
	unsigned long free0;
	void *objs[200];

	ASSERT_NOT_ERR_OR_NULL(r);
	free0 = t_free_pages(r);
	c = t_cache(r, "inject", 256, 0, 0, NULL);
	/* The first slab cannot be had: the allocation fails cleanly. */
	sim_fail_pages(1, false, 0);
	EXPECT_PTR_EQ(myslab_cache_alloc(c, NOWARN), NULL);
	EXPECT_EQ(t_counter(c, MYSLAB_CACHE_ALLOC_FAILED), 1);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.num_slabs, 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	/* A bulk allocation that gets one slab and no more takes nothing. */
	sim_fail_pages(2, true, 0);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, NOWARN, st.objs_per_slab * 3, objs), 0);
	myslab_cache_stats(c, &st);
	EXPECT_EQ(st.active_objs, 0);
	EXPECT_EQ(myslab_cache_validate(c), 0);
	EXPECT_EQ(st.num_slabs, 1);
	sim_fail_pages(0, false, 0);
	EXPECT_EQ(myslab_cache_alloc_bulk(c, NOWARN, st.objs_per_slab * 3, objs),
		  (int)st.objs_per_slab * 3);
	myslab_cache_free_bulk(c, st.objs_per_slab * 3, objs);
	myslab_cache_shrink(c);
	t_cache_done(c);
	/* Size classes: small and large requests both fail cleanly. */
	s = myslab_sizes_create(r, "inj");
	ASSERT_NOT_ERR_OR_NULL(s);
	sim_fail_pages(1, false, 0);
	EXPECT_PTR_EQ(myslab_sizes_alloc(s, 100, NOWARN), NULL);
	sim_fail_pages(1, false, 0);
	EXPECT_PTR_EQ(myslab_sizes_alloc(s, 3 * PAGE_SIZE, NOWARN), NULL);
	EXPECT_EQ(myslab_sizes_destroy(s), 0);
	sim_fail_pages(0, false, 0);
	EXPECT_EQ(t_free_pages(r), free0);
	t_region_done(r);
}

/* === Page map === */

static int namer(const void *owner, char *buf, size_t size)
{
	snprintf(buf, size, "%s", (const char *)owner);
	return 0;
}

SIM_TEST(debug, page_map_lists_every_block)
{
	struct myslab_region *r = t_region(8, 3, 2);
	char line[MYSLAB_MAP_LINE_MAX], all[512] = "";
	struct myslab_map *map;
	unsigned long i;
	void *p, *s;

	/* The example of buddy_map.c's header comment. */
	sim_set_cpu(0);
	myslab_region_set_owner_name(r, namer);
	p = myslab_alloc_pages(r, 0, NOWARN);
	s = myslab_alloc_slab_block(r, 1, NOWARN, "kmalloc 64");
	ASSERT_TRUE(p && s);
	map = myslab_map_create(r);
	ASSERT_PTR_NE(map, NULL);
	EXPECT_EQ(map->nr_blocks, 4);
	myslab_map_header(map, line, sizeof(line));
	EXPECT_STREQ(line, "myslab page_map v1 region=test pages=8 max_order=3 page_size=4096 blocks=4\n");
	for (i = 0; i < map->nr_blocks; i++) {
		EXPECT_LT(myslab_map_line(map, i, line, sizeof(line)), (int)sizeof(line));
		strcat(all, line);
	}
	/* Owner names lose their blanks. */
	EXPECT_STREQ(all, "0 0 alloc\n1 0 pcp\n2 1 slab kmalloc_64\n4 2 free\n");
	myslab_map_destroy(map);
	EXPECT_STREQ(myslab_map_state_word(7), "corrupt");
	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);
	EXPECT_EQ(myslab_free_slab_block(r, s, 1), 0);
	t_region_done(r);
}

/* A block of order above 0 in a per-CPU cache is one line, not its pages. */
SIM_TEST(debug, page_map_shows_cached_blocks_whole)
{
	struct myslab_region *r = t_region(16, 4, 4);
	char line[MYSLAB_MAP_LINE_MAX], all[512] = "";
	struct myslab_map *map;
	unsigned long i;
	void *p;

	sim_set_cpu(0);
	p = myslab_alloc_pages(r, 2, NOWARN);
	ASSERT_PTR_NE(p, NULL);
	EXPECT_EQ(myslab_free_pages(r, p, 2), 0);
	map = myslab_map_create(r);
	ASSERT_PTR_NE(map, NULL);
	EXPECT_EQ(map->nr_blocks, 3);
	for (i = 0; i < map->nr_blocks; i++) {
		EXPECT_LT(myslab_map_line(map, i, line, sizeof(line)), (int)sizeof(line));
		strcat(all, line);
	}
	EXPECT_STREQ(all, "0 2 pcp\n4 2 free\n8 3 free\n");
	myslab_map_destroy(map);
	myslab_drain_pcp(r);
	t_region_done(r);
}

/* === Fragmentation indices === */

SIM_TEST(debug, fragmentation_indices)
{
	const unsigned long example[4] = { 4, 2, 0, 0 }, none[4] = { 0 };
	const unsigned long one_page[2] = { 1, 0 };
	char buf[16];

	/* The worked example of buddy_frag.c. */
	EXPECT_EQ(myslab_unusable_index(example, 3, 0), 0);
	EXPECT_EQ(myslab_unusable_index(example, 3, 1), 500);
	EXPECT_EQ(myslab_unusable_index(example, 3, 2), 1000);
	EXPECT_EQ(myslab_fragmentation_index(example, 3, 1), -1000);
	EXPECT_EQ(myslab_fragmentation_index(example, 3, 2), 500);
	/* Nothing free. */
	EXPECT_EQ(myslab_unusable_index(none, 3, 0), 1000);
	EXPECT_EQ(myslab_fragmentation_index(none, 3, 2), 0);
	/* The kernel's formula dips below zero. */
	EXPECT_EQ(myslab_fragmentation_index(one_page, 1, 1), -500);
	myslab_frag_print(buf, sizeof(buf), -500, 0);
	EXPECT_STREQ(buf, "-0.500");
	myslab_frag_print(buf, sizeof(buf), -1000, 2);
	EXPECT_STREQ(buf, "-1.000");
	myslab_frag_print(buf, sizeof(buf), 500, 2);
	EXPECT_STREQ(buf, " 0.500");
	myslab_frag_print(buf, sizeof(buf), 1000, 0);
	EXPECT_STREQ(buf, "1.000");
}
