// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the buddy core (kmod/core/buddy/: buddy.c, buddy_pcp.c,
 * buddy_freelists.c, buddy_check.c), in the spirit of the KUnit suite: a private region per
 * test, ASCII maps of the blocks (see helpers.h for the legend), the
 * validator after every case, every invalid free refused with the region
 * unchanged.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>

#include "core/buddy/buddy_internal.h"
#include "core/cpu_lock.h"
#include "helpers.h"

#define NOWARN	(GFP_KERNEL | __GFP_NOWARN)

static void *page_at(struct myslab_region *region, unsigned long idx)
{
	return (char *)myslab_region_mem(region)->base + idx * PAGE_SIZE;
}

static unsigned long page_idx(struct myslab_region *region, const void *p)
{
	return ((unsigned long)p - (unsigned long)myslab_region_mem(region)->base) >> PAGE_SHIFT;
}

/* === Creation === */

SIM_TEST(buddy, create_rejects_bad_arguments)
{
	struct myslab_mem mem, bad;
	unsigned long releases;
	char long_name[MYSLAB_REGION_NAME_LEN + 1];
	struct {
		const char *name;
		size_t base_off, size;
		unsigned int max_order, pcp_batch;
		bool null_base;
	} cases[] = {
		{ NULL, 0, 0, 4, 0, false },
		{ "", 0, 0, 4, 0, false },
		{ "has space", 0, 0, 4, 0, false },
		{ long_name, 0, 0, 4, 0, false },
		{ "nobase", 0, 0, 4, 0, true },
		{ "unaligned", 8, 0, 4, 0, false },
		{ "zero", 0, 1, 4, 0, false },
		{ "ragged", 0, 2, 4, 0, false },
		{ "order", 0, 0, MYSLAB_MAX_ORDER_LIMIT + 1, 0, false },
		{ "batch", 0, 0, 4, MYSLAB_PCP_BATCH_MAX + 1, false },
	};
	unsigned int i;

	memset(long_name, 'x', MYSLAB_REGION_NAME_LEN);
	long_name[MYSLAB_REGION_NAME_LEN] = '\0';
	ASSERT_EQ(sim_mem_alloc(&mem, 16 * PAGE_SIZE, SIM_MEM_MMAP), 0);
	releases = sim_mem_releases();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct myslab_region *r;

		bad = mem;
		bad.base = cases[i].null_base ? NULL : (char *)mem.base + cases[i].base_off;
		if (cases[i].size == 1)
			bad.size = 0;
		else if (cases[i].size == 2)
			bad.size = 4 * PAGE_SIZE + 100;
		r = myslab_region_create(cases[i].name, &bad, cases[i].max_order,
					 cases[i].pcp_batch);
		sim_expect_errors(1);
		EXPECT_EQ(PTR_ERR(r), -EINVAL);
		EXPECT_LOGGED("not created");
	}
	EXPECT_EQ(sim_mem_releases(), releases);
	sim_mem_free(&mem);
}

SIM_TEST(buddy, create_fails_cleanly_without_metadata)
{
	struct myslab_mem mem;
	unsigned long releases;
	long live = sim_kmalloc_live();
	unsigned int nth;

	ASSERT_EQ(sim_mem_alloc(&mem, 64 * PAGE_SIZE, SIM_MEM_MMAP), 0);
	releases = sim_mem_releases();
	/* 1: the region, 2: page descriptors, 3: the per-CPU caches. */
	for (nth = 1; nth <= 3; nth++) {
		struct myslab_region *r;

		sim_fail_kmalloc(nth);
		r = myslab_region_create("nomem", &mem, 6, 4);
		sim_fail_kmalloc(0);
		EXPECT_EQ(PTR_ERR(r), -ENOMEM);
		EXPECT_EQ(sim_kmalloc_live(), live);
	}
	EXPECT_EQ(sim_mem_releases(), releases);
	sim_mem_free(&mem);
}

SIM_TEST(buddy, carve_power_of_two_region)
{
	struct myslab_region *r = t_region(16, 4, 0);
	struct myslab_buddy_stats st;

	EXPECT_MAP(r, "4---------------");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.nr_pages, 16);
	EXPECT_EQ(st.free_pages, 16);
	EXPECT_EQ(st.nr_free[4], 1);
	EXPECT_EQ(st.max_order, 4);
	EXPECT_LE(st.meta_bytes_per_page, 16);
	t_region_done(r);
}

SIM_TEST(buddy, carve_non_power_of_two_region)
{
	struct myslab_region *r;

	/* The largest aligned blocks that fit, left to right. */
	r = t_region(37, 5, 0);
	EXPECT_MAP_SPEC(r, "5 2 0");
	t_region_done(r);
	r = t_region(37, 3, 0);
	EXPECT_MAP_SPEC(r, "3 3 3 3 2 0");
	t_region_done(r);
	r = t_region(13, 4, 0);
	EXPECT_MAP(r, "3-------2---0");
	t_region_done(r);
	/* max_order beyond the region: the upper orders simply stay empty. */
	r = t_region(6, 10, 0);
	EXPECT_MAP(r, "2---1-");
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 3, NOWARN), NULL);
	t_region_done(r);
}

/* === Split and merge === */

SIM_TEST(buddy, split_and_merge_map)
{
	struct myslab_region *r = t_region(16, 4, 0);
	struct myslab_buddy_stats st;
	void *a, *b, *c, *d;

	a = myslab_alloc_pages(r, 0, GFP_KERNEL);
	EXPECT_MAP(r, "A01-2---3-------");
	b = myslab_alloc_pages(r, 0, GFP_KERNEL);
	EXPECT_MAP(r, "AA1-2---3-------");
	c = myslab_alloc_pages(r, 1, GFP_KERNEL);
	EXPECT_MAP(r, "AAA=2---3-------");
	d = myslab_alloc_pages(r, 2, GFP_KERNEL);
	EXPECT_MAP(r, "AAA=A===3-------");
	EXPECT_PTR_EQ(a, page_at(r, 0));
	EXPECT_PTR_EQ(b, page_at(r, 1));
	EXPECT_PTR_EQ(c, page_at(r, 2));
	EXPECT_PTR_EQ(d, page_at(r, 4));
	EXPECT_EQ(myslab_region_check(r), 0);

	EXPECT_EQ(myslab_free_pages(r, a, 0), 0);
	EXPECT_MAP(r, "0AA=A===3-------");
	/* Page 0 is free at order 0, not 1: the order-1 block at 2 stays. */
	EXPECT_EQ(myslab_free_pages(r, c, 1), 0);
	EXPECT_MAP(r, "0A1-A===3-------");
	/* 1 merges with 0, then with 2..3: an order-2 block. */
	EXPECT_EQ(myslab_free_pages(r, b, 0), 0);
	EXPECT_MAP(r, "2---A===3-------");
	EXPECT_EQ(myslab_free_pages(r, d, 2), 0);
	EXPECT_MAP(r, "4---------------");

	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.splits, 4);
	EXPECT_EQ(st.merges, 4);
	EXPECT_EQ(st.allocs[0], 2);
	EXPECT_EQ(st.allocs[1], 1);
	EXPECT_EQ(st.allocs[2], 1);
	EXPECT_EQ(st.frees[0], 2);
	EXPECT_EQ(st.high_water, 8);
	t_region_done(r);
}

SIM_TEST(buddy, every_order_alloc_free_aligned)
{
	const unsigned int max_order = 8;
	struct myslab_region *r = t_region(1u << max_order, max_order, 0);
	struct myslab_block_info info;
	char initial[1024];
	unsigned int order;

	t_region_map(r, initial, sizeof(initial));
	for (order = 0; order <= max_order; order++) {
		unsigned long n = 1UL << (max_order - order), i;
		void **blocks = calloc(n, sizeof(void *));

		ASSERT_TRUE(blocks);
		for (i = 0; i < n; i++) {
			blocks[i] = myslab_alloc_pages(r, order, GFP_KERNEL);
			ASSERT_PTR_NE(blocks[i], NULL);
			/* Aligned to its order relative to the region's base. */
			EXPECT_EQ(page_idx(r, blocks[i]) % (1UL << order), 0);
			EXPECT_EQ(myslab_block_lookup(r, (char *)blocks[i] +
						      (PAGE_SIZE << order) - 1, &info), 0);
			EXPECT_PTR_EQ(info.base, blocks[i]);
			EXPECT_EQ(info.order, order);
			EXPECT_EQ(info.state, MYSLAB_BLOCK_ALLOC);
			t_fill(blocks[i], PAGE_SIZE << order, order);
		}
		EXPECT_EQ(t_free_pages(r), 0);
		EXPECT_PTR_EQ(myslab_alloc_pages(r, 0, NOWARN), NULL);
		EXPECT_EQ(myslab_region_check(r), 0);
		for (i = 0; i < n; i++)
			t_check(blocks[i], PAGE_SIZE << order, order);
		for (i = 0; i < n; i++)
			EXPECT_EQ(myslab_free_pages(r, blocks[(i * 7) % n], order), 0);
		free(blocks);
		EXPECT_MAP(r, initial);
	}
	t_region_done(r);
}

SIM_TEST(buddy, random_sequence_merges_back_to_initial_blocks)
{
	/* 100 pages: carved 64 + 32 + 4; everything freed comes back to that. */
	struct myslab_region *r = t_region(100, 6, 0);
	unsigned long long s = sim_test_seed() | 1;
	void *blocks[200];
	unsigned int orders[200], n = 0, i, round;
	char initial[128];

	t_region_map(r, initial, sizeof(initial));
	EXPECT_MAP_SPEC(r, "6 5 2");
	for (round = 0; round < sim_scale(50); round++) {
		while (n < 200) {
			unsigned int order = t_rand(&s) % 4;
			void *p = myslab_alloc_pages(r, order, NOWARN);

			if (!p)
				break;
			t_fill(p, PAGE_SIZE << order, 7);
			blocks[n] = p;
			orders[n++] = order;
		}
		/* Free a random half, keep the rest. */
		for (i = 0; i < n; ) {
			if (t_rand(&s) & 1) {
				t_check(blocks[i], PAGE_SIZE << orders[i], 7);
				EXPECT_EQ(myslab_free_pages(r, blocks[i], orders[i]), 0);
				blocks[i] = blocks[--n];
				orders[i] = orders[n];
			} else {
				i++;
			}
		}
		ASSERT_EQ(myslab_region_check(r), 0);
	}
	while (n--)
		EXPECT_EQ(myslab_free_pages(r, blocks[n], orders[n]), 0);
	EXPECT_MAP(r, initial);
	t_region_done(r);
}

SIM_TEST(buddy, xor_buddy_property)
{
	const unsigned int max_order = 6, pages = 1u << max_order;
	struct myslab_region *r = t_region(pages, max_order, 0);
	struct myslab_block_info info;
	unsigned long long s = sim_test_seed() | 1;
	unsigned int k;

	for (k = 0; k < max_order; k++) {
		unsigned int n = pages >> k, i, j, perm[64];
		bool freed[64] = { false };
		void *blk[64];

		for (i = 0; i < n; i++) {
			blk[i] = myslab_alloc_pages(r, k, GFP_KERNEL);
			ASSERT_PTR_NE(blk[i], NULL);
			perm[i] = i;
		}
		for (i = n - 1; i > 0; i--) {
			j = t_rand(&s) % (i + 1);
			unsigned int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
		}
		for (i = 0; i < n; i++) {
			unsigned long off = page_idx(r, blk[perm[i]]);
			unsigned long buddy = off ^ (1UL << k);
			bool buddy_free = false;

			for (j = 0; j < n; j++)
				if (page_idx(r, blk[j]) == buddy)
					buddy_free = freed[j];
			EXPECT_EQ(myslab_free_pages(r, blk[perm[i]], k), 0);
			freed[perm[i]] = true;
			EXPECT_EQ(myslab_block_lookup(r, blk[perm[i]], &info), 0);
			EXPECT_EQ(info.state, MYSLAB_BLOCK_FREE);
			if (buddy_free) {
				/* Merged: now part of a block holding both halves. */
				EXPECT_GT(info.order, k);
				EXPECT_EQ(page_idx(r, info.base),
					  off & ~((1UL << info.order) - 1));
				EXPECT_LE(page_idx(r, info.base), buddy);
				EXPECT_GT(page_idx(r, info.base) + (1UL << info.order), buddy);
			} else {
				EXPECT_EQ(info.order, k);
				EXPECT_PTR_EQ(info.base, blk[perm[i]]);
			}
			ASSERT_EQ(myslab_region_check(r), 0);
		}
		EXPECT_MAP_SPEC(r, "6");
	}
	t_region_done(r);
}

/* === Exhaustion and zeroing === */

SIM_TEST(buddy, exhaustion_fails_and_counts)
{
	struct myslab_region *r = t_region(16, 4, 0);
	struct myslab_buddy_stats st;
	void *b[4];
	unsigned int i;

	for (i = 0; i < 4; i++)
		ASSERT_PTR_NE(b[i] = myslab_alloc_pages(r, 2, GFP_KERNEL), NULL);
	EXPECT_MAP(r, "A===A===A===A===");
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 0, NOWARN), NULL);
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 2, GFP_ATOMIC | __GFP_NOWARN), NULL);
	/* Without __GFP_NOWARN the failure is reported (rate-limited). */
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 1, GFP_KERNEL), NULL);
	sim_expect_warnings(1);
	EXPECT_LOGGED("order-1 allocation failed");
	/* Above max_order: refused, reported. */
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 5, GFP_KERNEL), NULL);
	sim_expect_warnings(1);
	EXPECT_LOGGED("above max_order");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.failed, 4);

	EXPECT_EQ(myslab_free_pages(r, b[1], 2), 0);
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 3, NOWARN), NULL);
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 2, NOWARN), b[1]);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(myslab_free_pages(r, b[i], 2), 0);
	t_region_done(r);
}

SIM_TEST(buddy, zeroing)
{
	struct myslab_region *r = t_region(64, 6, 4);
	unsigned int order, round;

	for (round = 0; round < 2; round++) {
		for (order = 0; order <= 4; order++) {
			void *p = myslab_alloc_pages(r, order, GFP_KERNEL);

			ASSERT_PTR_NE(p, NULL);
			memset(p, 0xa5, PAGE_SIZE << order);
			EXPECT_EQ(myslab_free_pages(r, p, order), 0);
			/* The same block comes back hot, and zeroed when asked. */
			p = myslab_alloc_pages(r, order, GFP_KERNEL | __GFP_ZERO);
			ASSERT_PTR_NE(p, NULL);
			EXPECT_TRUE(t_is_zero(p, PAGE_SIZE << order));
			EXPECT_EQ(myslab_free_pages(r, p, order), 0);
		}
	}
	t_region_done(r);
}

/*
 * The kernel's zeroing policy for pages: init_on_alloc zeroes every block
 * handed out, init_on_free every block accepted back (a refused free
 * zeroes nothing), and with neither a block keeps what it held: the
 * control that shows the policy, not luck, did the zeroing. A region that
 * poisons free pages poisons instead, as page poisoning turns both
 * policies off in the kernel; __GFP_ZERO zeroes always. Slab blocks are
 * zeroed for __GFP_ZERO only.
 */
SIM_TEST(buddy, init_on_alloc_and_free)
{
	struct myslab_region *r = t_region(64, 6, 4);
	struct myslab_buddy_stats st;
	unsigned int order;
	bool poisons;
	void *p, *q, *s;
	int owner;

	myslab_buddy_stats(r, &st);
	poisons = st.debug_flags & MYSLAB_DEBUG_POISON;
	for (order = 0; order <= 4; order++) {
		size_t size = PAGE_SIZE << order;

		p = myslab_alloc_pages(r, order, GFP_KERNEL);
		ASSERT_PTR_NE(p, NULL);
		t_fill(p, size, order);
		EXPECT_EQ(myslab_free_pages(r, p, order), 0);
		q = myslab_alloc_pages(r, order, GFP_KERNEL);
		EXPECT_PTR_EQ(q, p);
		EXPECT_TRUE(t_check(q, size, order));	/* no policy: kept */

		sim_init_on_alloc = true;
		EXPECT_EQ(myslab_free_pages(r, q, order), 0);
		q = myslab_alloc_pages(r, order, GFP_KERNEL);
		EXPECT_PTR_EQ(q, p);
		/* Poisoning turns the policy off, as in the kernel. */
		EXPECT_EQ(t_is_zero(q, size), !poisons);
		t_fill(q, size, order);
		EXPECT_EQ(myslab_free_pages(r, q, order), 0);
		q = myslab_alloc_pages(r, order, GFP_KERNEL | __GFP_ZERO);
		EXPECT_PTR_EQ(q, p);
		EXPECT_TRUE(t_is_zero(q, size));	/* asked: always */
		/* A slab block: zeroed for __GFP_ZERO only. */
		s = myslab_alloc_slab_block(r, order, GFP_KERNEL, &owner);
		ASSERT_PTR_NE(s, NULL);
		t_fill(s, size, order);
		EXPECT_EQ(myslab_free_slab_block(r, s, order), 0);
		EXPECT_PTR_EQ(myslab_alloc_slab_block(r, order, GFP_KERNEL, &owner), s);
		EXPECT_TRUE(t_check(s, size, order));
		EXPECT_EQ(myslab_free_slab_block(r, s, order), 0);
		sim_init_on_alloc = false;

		t_fill(q, size, order);
		sim_init_on_free = true;
		if (order) {
			EXPECT_EQ(myslab_free_pages(r, q, order - 1), -ERANGE);
			sim_expect_errors(1);
			EXPECT_TRUE(t_check(q, size, order));
		}
		EXPECT_EQ(myslab_free_pages(r, q, order), 0);
		EXPECT_EQ(myslab_free_pages(r, q, order), -EALREADY);
		sim_expect_errors(1);
		sim_init_on_free = false;
		/* Zeroed as it was freed, unless the region poisons it. */
		q = myslab_alloc_pages(r, order, GFP_KERNEL);
		EXPECT_PTR_EQ(q, p);
		EXPECT_EQ(t_is_zero(q, size), !poisons);
		EXPECT_EQ(myslab_free_pages(r, q, order), 0);
	}
	EXPECT_EQ(myslab_region_check(r), 0);
	t_region_done(r);
}

/* === Invalid frees: each refused, reported once, region unchanged === */

static void expect_refused(struct myslab_region *r, void *addr,
			   unsigned int order, int err, const char *what)
{
	struct t_snapshot before;

	t_snap(r, &before);
	EXPECT_EQ(myslab_free_pages(r, addr, order), err);
	sim_expect_errors(1);
	t_expect_unchanged(r, &before, 1, what);
}

static void invalid_frees(unsigned int pcp_batch)
{
	struct myslab_region *r = t_region(16, 4, pcp_batch);
	struct t_snapshot before;
	void *a, *b, *s;
	int owner;

	a = myslab_alloc_pages(r, 2, GFP_KERNEL);
	b = myslab_alloc_pages(r, 0, GFP_KERNEL);
	s = myslab_alloc_slab_block(r, 0, GFP_KERNEL, &owner);
	ASSERT_PTR_NE(a, NULL);
	ASSERT_PTR_NE(b, NULL);
	ASSERT_PTR_NE(s, NULL);
	EXPECT_PTR_EQ(myslab_slab_owner(r, (char *)s + 100), &owner);

	expect_refused(r, page_at(r, 0) - PAGE_SIZE, 0, -EFAULT, "before the region");
	EXPECT_LOGGED("outside the region");
	expect_refused(r, page_at(r, 16), 0, -EFAULT, "past the region");
	expect_refused(r, a, 5, -EINVAL, "order above max_order");
	expect_refused(r, (char *)a + 100, 0, -EINVAL, "not page aligned");
	expect_refused(r, (char *)a + 2 * PAGE_SIZE, 2, -EINVAL, "not aligned to the order");
	EXPECT_LOGGED("not aligned to its order");
	expect_refused(r, (char *)a + PAGE_SIZE, 0, -EINVAL, "tail page");
	EXPECT_LOGGED("tail page");
	expect_refused(r, a, 1, -ERANGE, "wrong order");
	EXPECT_LOGGED("expected order 2");
	expect_refused(r, page_at(r, 15), 0, -EALREADY, "never allocated");
	expect_refused(r, s, 0, -EBUSY, "slab block freed as pages");
	EXPECT_LOGGED("a slab");

	t_snap(r, &before);
	EXPECT_EQ(myslab_free_slab_block(r, a, 2), -EBUSY);
	sim_expect_errors(1);
	t_expect_unchanged(r, &before, 1, "pages freed as a slab block");

	EXPECT_EQ(myslab_free_pages(r, b, 0), 0);
	expect_refused(r, b, 0, -EALREADY, "double free");
	EXPECT_LOGGED("double free");

	EXPECT_EQ(myslab_free_pages(r, a, 2), 0);
	EXPECT_EQ(myslab_free_slab_block(r, s, 0), 0);
	EXPECT_EQ(t_invalid_frees(r), 11);
	t_region_done(r);
}

SIM_TEST(buddy, invalid_frees_refused_unchanged)
{
	invalid_frees(0);
}

SIM_TEST(buddy, invalid_frees_refused_unchanged_with_pcp)
{
	invalid_frees(2);
}

SIM_TEST(buddy, destroy_with_pages_allocated_leaks_region)
{
	struct myslab_region *r = t_region(8, 3, 2);
	unsigned long releases = sim_mem_releases();
	void *p = myslab_alloc_pages(r, 1, GFP_KERNEL);

	ASSERT_PTR_NE(p, NULL);
	myslab_region_destroy(r);
	sim_expect_errors(1);
	EXPECT_LOGGED("still allocated");
	EXPECT_EQ(sim_mem_releases(), releases);
	/*
	 * "Leaked" means left untouched: the region still works, and once
	 * the block is back it can be destroyed for real.
	 */
	EXPECT_EQ(myslab_region_check(r), 0);
	EXPECT_EQ(myslab_free_pages(r, p, 1), 0);
	t_region_done(r);
}

/* === Lookup === */

SIM_TEST(buddy, block_lookup_every_state)
{
	struct myslab_region *r = t_region(16, 4, 2);
	struct myslab_block_info info;
	void *a, *s;
	int owner;

	sim_set_cpu(0);
	a = myslab_alloc_pages(r, 0, GFP_KERNEL);	/* refills 2: one stays cached */
	s = myslab_alloc_slab_block(r, 2, GFP_KERNEL, &owner);
	ASSERT_PTR_NE(a, NULL);
	ASSERT_PTR_NE(s, NULL);
	EXPECT_MAP(r, "AP1-S~~~3-------");
	EXPECT_EQ(myslab_block_lookup(r, a, &info), 0);
	EXPECT_EQ(info.state, MYSLAB_BLOCK_ALLOC);
	EXPECT_EQ(myslab_block_lookup(r, page_at(r, 1), &info), 0);
	EXPECT_EQ(info.state, MYSLAB_BLOCK_PCP);
	EXPECT_EQ(info.order, 0);
	EXPECT_EQ(myslab_block_lookup(r, (char *)s + 3 * PAGE_SIZE + 5, &info), 0);
	EXPECT_EQ(info.state, MYSLAB_BLOCK_SLAB);
	EXPECT_PTR_EQ(info.base, s);
	EXPECT_EQ(info.order, 2);
	EXPECT_EQ(myslab_block_lookup(r, page_at(r, 13), &info), 0);
	EXPECT_EQ(info.state, MYSLAB_BLOCK_FREE);
	EXPECT_PTR_EQ(info.base, page_at(r, 8));
	EXPECT_EQ(info.order, 3);
	EXPECT_EQ(myslab_block_lookup(r, page_at(r, 16), &info), -EFAULT);
	EXPECT_PTR_EQ(myslab_slab_owner(r, a), NULL);
	EXPECT_PTR_EQ(myslab_slab_owner(r, page_at(r, 9)), NULL);
	EXPECT_PTR_EQ(myslab_slab_owner(r, (char *)s + PAGE_SIZE), &owner);
	EXPECT_EQ(myslab_set_slab_owner(r, s, r), 0);
	EXPECT_PTR_EQ(myslab_slab_owner(r, (char *)s + 2 * PAGE_SIZE), r);
	EXPECT_EQ(myslab_set_slab_owner(r, (char *)s + PAGE_SIZE, r), -EINVAL);
	EXPECT_EQ(myslab_set_slab_owner(r, a, r), -EINVAL);
	EXPECT_EQ(myslab_free_pages(r, a, 0), 0);
	EXPECT_EQ(myslab_free_slab_block(r, s, 2), 0);
	t_region_done(r);
}

/* === Per-CPU page caches === */

SIM_TEST(buddy, pcp_refill_remote_free_and_drain)
{
	struct myslab_region *r = t_region(64, 6, 4);
	struct myslab_buddy_stats st;
	void *p;

	sim_set_cpu(0);
	p = myslab_alloc_pages(r, 0, GFP_KERNEL);
	EXPECT_PTR_EQ(p, page_at(r, 0));
	/* A batch of 4 pages moved to CPU 0's cache, in address order. */
	EXPECT_MAP_SPEC(r, "A0 P P P 2 3 4 5");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 3);
	EXPECT_EQ(st.alloc_pages, 1);
	EXPECT_EQ(st.free_pages, 60);
	EXPECT_EQ(st.pcp_batch, 4);
	EXPECT_EQ(st.pcp_high, 16);

	/* Freed on CPU 1: lands in CPU 1's cache. */
	sim_set_cpu(1);
	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 4);
	EXPECT_EQ(st.alloc_pages, 0);
	EXPECT_EQ(st.allocs[0], 1);
	EXPECT_EQ(st.frees[0], 1);
	EXPECT_EQ(myslab_region_check(r), 0);
	/* CPU 1 reuses its own hot page first. */
	p = myslab_alloc_pages(r, 0, GFP_KERNEL);
	EXPECT_PTR_EQ(p, page_at(r, 0));
	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);

	myslab_drain_pcp(r);
	EXPECT_MAP_SPEC(r, "6");
	t_region_done(r);
}

SIM_TEST(buddy, pcp_drains_above_high)
{
	struct myslab_region *r = t_region(64, 6, 4);
	struct myslab_buddy_stats st;
	void *p[24];
	unsigned int i;

	sim_set_cpu(2);
	for (i = 0; i < 24; i++)
		ASSERT_PTR_NE(p[i] = myslab_alloc_pages(r, 0, GFP_KERNEL), NULL);
	for (i = 0; i < 24; i++) {
		EXPECT_EQ(myslab_free_pages(r, p[i], 0), 0);
		myslab_buddy_stats(r, &st);
		EXPECT_LE(st.pcp_pages, st.pcp_high);
	}
	/* 24 frees into a cache that drains 4 when above 16. */
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 16);
	EXPECT_EQ(st.free_pages, 48);
	EXPECT_EQ(myslab_region_check(r), 0);
	t_region_done(r);
}

/*
 * Page blocks of orders 1 to 3 go through the per-CPU cache too: a batch's
 * worth of blocks (at least one) per refill, the hottest handed out first,
 * and the cache's size counted in pages whatever the orders, so a free that
 * takes it above pcp_high drains the coldest blocks from the order that grew
 * onwards until a batch has gone and it is back under the mark.
 */
SIM_TEST(buddy, pcp_keeps_orders_up_to_3)
{
	struct myslab_region *r = t_region(64, 6, 4);
	struct myslab_buddy_stats st;
	void *a, *b, *c;

	sim_set_cpu(0);
	a = myslab_alloc_pages(r, 1, GFP_KERNEL);	/* refills 2 blocks */
	EXPECT_PTR_EQ(a, page_at(r, 0));
	b = myslab_alloc_pages(r, 3, GFP_KERNEL);	/* refills 1 block */
	EXPECT_PTR_EQ(b, page_at(r, 8));
	EXPECT_MAP_SPEC(r, "A1 P1 2 A3 4 5");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 2);
	EXPECT_EQ(st.pcp_refills, 2);
	EXPECT_EQ(st.allocs[1], 1);
	EXPECT_EQ(st.allocs[3], 1);

	/* The block freed last comes back first, without a refill. */
	EXPECT_EQ(myslab_free_pages(r, a, 1), 0);
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 1, GFP_KERNEL), a);
	EXPECT_EQ(myslab_free_pages(r, a, 1), 0);
	EXPECT_EQ(myslab_free_pages(r, b, 3), 0);
	c = myslab_alloc_pages(r, 2, GFP_KERNEL);
	EXPECT_PTR_EQ(c, page_at(r, 4));
	EXPECT_EQ(myslab_free_pages(r, c, 2), 0);
	EXPECT_MAP_SPEC(r, "P1 P1 P2 P3 4 5");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 16);		/* at pcp_high, not above */
	EXPECT_EQ(st.pcp_refills, 3);
	EXPECT_EQ(st.pcp_drains, 0);
	EXPECT_EQ(st.frees[1], 2);
	EXPECT_EQ(st.frees[2], 1);
	EXPECT_EQ(st.frees[3], 1);
	EXPECT_EQ(myslab_region_check(r), 0);

	/*
	 * A full cache still refills one block; its free takes the cache to
	 * 17 pages: the order-0 page goes, then the order-1 blocks, coldest
	 * first, until 4 pages have gone (5 did), and they merge.
	 */
	c = myslab_alloc_pages(r, 0, GFP_KERNEL);
	EXPECT_PTR_EQ(c, page_at(r, 16));
	EXPECT_EQ(myslab_free_pages(r, c, 0), 0);
	EXPECT_MAP_SPEC(r, "2 P2 P3 4 5");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 12);
	EXPECT_EQ(st.pcp_drains, 1);
	EXPECT_EQ(st.free_pages, 52);
	EXPECT_EQ(myslab_region_check(r), 0);

	myslab_drain_pcp(r);
	EXPECT_MAP_SPEC(r, "6");
	t_region_done(r);
}

/*
 * An interrupt that arrives while its CPU's fast path holds the page cache
 * finds the lock taken and goes to the free lists under the region's lock.
 * The test takes CPU 0's cache lock itself, pinned, as the interrupted fast
 * path holds it, then allocates and frees blocks of orders 0 to 3: none
 * comes from the cache or goes to it, its lists and counts stay as they
 * were, a double free is still refused, and every page is accounted for.
 * Some blocks change path on the way: one taken from the cache is freed
 * while it is busy, two taken while it is busy are freed into it later, so
 * the region's per-CPU count ends below zero (the sums stay exact).
 */
SIM_TEST(buddy, pcp_locked_falls_back_to_free_lists)
{
	struct myslab_region *r = t_region(256, 8, 4);
	struct myslab_list lists[MYSLAB_PCP_ORDERS];
	unsigned long pages, allocs[MYSLAB_PCP_ORDERS], frees[MYSLAB_PCP_ORDERS];
	void *hot[MYSLAB_PCP_ORDERS], *p[MYSLAB_PCP_ORDERS], *c, *q[2];
	struct myslab_buddy_stats before, st;
	struct myslab_pcp *pcp;
	unsigned int k;
	long delta;
	bool same;

	sim_set_cpu(0);
	/* One page out of CPU 0's cache; then a block of every order in it. */
	c = myslab_alloc_pages(r, 0, GFP_KERNEL);
	ASSERT_PTR_NE(c, NULL);
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		hot[k] = myslab_alloc_pages(r, k, GFP_KERNEL);
		ASSERT_PTR_NE(hot[k], NULL);
		EXPECT_EQ(myslab_free_pages(r, hot[k], k), 0);
	}
	myslab_buddy_stats(r, &before);
	ASSERT_GE(before.pcp_pages, 1);

	myslab_cpu_pin();
	pcp = this_cpu_ptr(r->pcp);
	EXPECT_PTR_EQ(pcp, per_cpu_ptr(r->pcp, 0));
	spin_lock(&pcp->lock);
	memcpy(lists, pcp->blocks, sizeof(lists));
	memcpy(allocs, pcp->allocs, sizeof(allocs));
	memcpy(frees, pcp->frees, sizeof(frees));
	pages = pcp->pages;
	delta = pcp->alloc_delta;

	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		p[k] = myslab_alloc_pages(r, k, GFP_ATOMIC);
		ASSERT_PTR_NE(p[k], NULL);
		EXPECT_PTR_NE(p[k], hot[k]);
	}
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++)
		EXPECT_EQ(myslab_free_pages(r, p[k], k), 0);
	/* Refused before the cache is tried: the claim finds it free. */
	sim_expect_errors(1);
	EXPECT_EQ(myslab_free_pages(r, p[0], 0), -EALREADY);
	EXPECT_EQ(myslab_free_pages(r, c, 0), 0);
	for (k = 0; k < 2; k++) {
		q[k] = myslab_alloc_pages(r, 0, GFP_ATOMIC);
		ASSERT_PTR_NE(q[k], NULL);
	}

	same = !memcmp(lists, pcp->blocks, sizeof(lists)) &&
	       !memcmp(allocs, pcp->allocs, sizeof(allocs)) &&
	       !memcmp(frees, pcp->frees, sizeof(frees)) &&
	       pcp->pages == pages && pcp->alloc_delta == delta;
	spin_unlock(&pcp->lock);
	myslab_cpu_unpin();
	EXPECT_TRUE(same);

	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_busy, before.pcp_busy + 2 * MYSLAB_PCP_ORDERS + 3);
	EXPECT_EQ(st.invalid_frees, before.invalid_frees + 1);
	EXPECT_EQ(st.pcp_pages, before.pcp_pages);
	EXPECT_EQ(st.free_pages, before.free_pages - 1);
	EXPECT_EQ(st.alloc_pages, before.alloc_pages + 1);
	EXPECT_EQ(st.pcp_refills, before.pcp_refills);
	EXPECT_EQ(st.pcp_drains, before.pcp_drains);
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		EXPECT_EQ(st.allocs[k], before.allocs[k] + 1 + 2 * !k);
		EXPECT_EQ(st.frees[k], before.frees[k] + 1 + !k);
	}
	EXPECT_EQ(myslab_region_check(r), 0);

	/* The lock is free again: the fast path uses the cache. */
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		EXPECT_PTR_EQ(myslab_alloc_pages(r, k, GFP_KERNEL), hot[k]);
		EXPECT_EQ(myslab_free_pages(r, hot[k], k), 0);
	}
	for (k = 0; k < 2; k++)
		EXPECT_EQ(myslab_free_pages(r, q[k], 0), 0);
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_busy, before.pcp_busy + 2 * MYSLAB_PCP_ORDERS + 3);
	EXPECT_EQ(st.alloc_pages, 0);
	/* Drained, the caches account for -1 page: c out, q[] in. */
	myslab_drain_pcp(r);
	EXPECT_EQ(myslab_region_check(r), 0);
	t_region_done(r);
}

struct pcp_holder {
	struct myslab_region *region;
	int cpu;
	int held, release;	/* __atomic */
};

/* Hold @cpu's cache lock, pinned, as a task of that CPU in its section. */
static void *pcp_holder(void *arg)
{
	struct pcp_holder *h = arg;
	struct myslab_pcp *pcp;

	sim_set_cpu(h->cpu);
	myslab_cpu_pin();
	pcp = this_cpu_ptr(h->region->pcp);
	spin_lock(&pcp->lock);
	__atomic_store_n(&h->held, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&h->release, __ATOMIC_ACQUIRE))
		sched_yield();
	spin_unlock(&pcp->lock);
	myslab_cpu_unpin();
	sim_leave_cpu();
	return NULL;
}

/*
 * With interrupts off a drain or a statistics read only tries another
 * CPU's cache: its holder may be stopped by a handler that needs what this
 * caller holds. A task with them on waits.
 */
SIM_TEST(buddy, pcp_busy_remote_cache_not_waited_for_with_irqs_off)
{
	struct myslab_region *r = t_region(256, 8, 4);
	struct pcp_holder h = { .region = r, .cpu = 1 };
	struct myslab_buddy_stats before, st;
	unsigned long flags;
	pthread_t th;
	void *p;

	/* A page in CPU 1's cache. */
	sim_set_cpu(1);
	p = myslab_alloc_pages(r, 0, GFP_KERNEL);
	ASSERT_PTR_NE(p, NULL);
	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);
	sim_set_cpu(0);
	myslab_buddy_stats(r, &before);
	ASSERT_GE(before.pcp_pages, 1);

	ASSERT_EQ(pthread_create(&th, NULL, pcp_holder, &h), 0);
	while (!__atomic_load_n(&h.held, __ATOMIC_ACQUIRE))
		sched_yield();
	local_irq_save(flags);
	/* Returns at once, CPU 1's cache left as it is. */
	myslab_drain_pcp(r);
	myslab_buddy_stats(r, &st);
	local_irq_restore(flags);
	EXPECT_EQ(st.pcp_pages, before.pcp_pages);
	EXPECT_EQ(st.free_pages, before.free_pages);
	__atomic_store_n(&h.release, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);

	myslab_drain_pcp(r);
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 0);
	EXPECT_EQ(st.free_pages, before.free_pages + before.pcp_pages);
	EXPECT_EQ(myslab_region_check(r), 0);
	t_region_done(r);
}

SIM_TEST(buddy, pcp_drained_for_larger_blocks)
{
	struct myslab_region *r = t_region(64, 6, 4);
	void *p;

	sim_set_cpu(1);
	p = myslab_alloc_pages(r, 0, GFP_KERNEL);
	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);
	EXPECT_EQ(t_free_pages(r), 64);
	/* CPU 1 holds 4 free pages; the whole region is wanted on CPU 0. */
	sim_set_cpu(0);
	p = myslab_alloc_pages(r, 6, GFP_KERNEL);
	EXPECT_PTR_EQ(p, page_at(r, 0));
	EXPECT_EQ(myslab_free_pages(r, p, 6), 0);
	t_region_done(r);
}

SIM_TEST(buddy, pcp_exhaustion_takes_cached_pages_of_other_cpus)
{
	struct myslab_region *r = t_region(8, 3, 4);
	void *p[8];
	unsigned int i;

	/* CPU 0 caches 3 free pages; CPU 1 still gets all 8 pages. */
	sim_set_cpu(0);
	p[0] = myslab_alloc_pages(r, 0, GFP_KERNEL);
	sim_set_cpu(1);
	for (i = 1; i < 8; i++)
		ASSERT_PTR_NE(p[i] = myslab_alloc_pages(r, 0, GFP_KERNEL), NULL);
	EXPECT_PTR_EQ(myslab_alloc_pages(r, 0, NOWARN), NULL);
	EXPECT_MAP(r, "AAAAAAAA");
	for (i = 0; i < 8; i++)
		EXPECT_EQ(myslab_free_pages(r, p[i], 0), 0);
	t_region_done(r);
}

/* === Threads === */

#define MT_THREADS	4
#define MT_SLOTS	48
#define MT_SHARED	32
#define MT_STEP		4	/* worker iterations per drainer round */

struct mt_ctx {
	struct myslab_region *region;
	void *shared[MT_SHARED];	/* blocks handed between threads (xchg) */
	unsigned long iterations;
	struct t_pace pace;
	/* The drainer's rounds, and those that raced every worker. */
	unsigned long rounds, raced;
	long errors;
};

/* A block records its order in its first word, a pattern fills the rest. */
static void mt_stamp(void *p, unsigned int order)
{
	*(unsigned long *)p = order;
	t_fill((char *)p + 8, 56, order);
	t_fill((char *)p + (PAGE_SIZE << order) - 64, 64, order);
}

static bool mt_verify(void *p, unsigned int *order)
{
	*order = *(unsigned long *)p;
	return *order <= 3 && t_check((char *)p + 8, 56, *order) &&
	       t_check((char *)p + (PAGE_SIZE << *order) - 64, 64, *order);
}

static void mt_free(struct mt_ctx *c, void *p)
{
	unsigned int order;

	if (!mt_verify(p, &order) || myslab_free_pages(c->region, p, order))
		__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
}

static void *mt_worker(void *arg)
{
	struct mt_ctx *c = arg;
	unsigned int id = t_pace_worker_id(&c->pace);
	unsigned long long s = (unsigned long)pthread_self() | 1;
	void *mine[MT_SLOTS] = { NULL };
	unsigned long i;
	unsigned int k;

	for (i = 0; i < c->iterations; i++) {
		unsigned int slot = t_rand(&s) % MT_SLOTS;
		unsigned int op = t_rand(&s) % 4;

		t_pace_worker_step(&c->pace, id, i);
		if (op == 0 && mine[slot]) {
			/* Hand it over; free whatever another thread left. */
			void *other = __atomic_exchange_n(&c->shared[t_rand(&s) % MT_SHARED],
							  mine[slot], __ATOMIC_ACQ_REL);
			mine[slot] = NULL;
			if (other)
				mt_free(c, other);
		} else if (mine[slot]) {
			mt_free(c, mine[slot]);
			mine[slot] = NULL;
		} else {
			unsigned int order = (t_rand(&s) % 8) ? 0 : t_rand(&s) % 4;
			void *p = myslab_alloc_pages(c->region, order,
						     GFP_ATOMIC | __GFP_NOWARN);

			if (p) {
				mt_stamp(p, order);
				mine[slot] = p;
			}
		}
	}
	for (k = 0; k < MT_SLOTS; k++)
		if (mine[k])
			mt_free(c, mine[k]);
	t_pace_worker_done(&c->pace, id);
	return NULL;
}

/*
 * Drains the per-CPU caches while the workers run: a round per MT_STEP
 * iterations of the workers (see struct t_pace), so the rounds are bounded
 * by the work and race it.
 */
static void *mt_drainer(void *arg)
{
	struct mt_ctx *c = arg;
	struct myslab_buddy_stats st;
	unsigned long n, rounds = t_pace_rounds(&c->pace, c->iterations);

	for (n = 0; n < rounds; n++) {
		t_pace_round_begin(&c->pace, n);
		myslab_drain_pcp(c->region);
		myslab_buddy_stats(c->region, &st);
		if (st.nr_pages != 256)
			__atomic_fetch_add(&c->errors, 1, __ATOMIC_RELAXED);
		c->raced += t_pace_round_end(&c->pace);
	}
	c->rounds = n;
	return NULL;
}

static void multithreaded(unsigned int pcp_batch)
{
	struct mt_ctx c = { .iterations = sim_scale(40000) };
	struct myslab_buddy_stats st;
	pthread_t th[MT_THREADS], drainer;
	unsigned long allocs = 0, frees = 0;
	unsigned int i;

	/* More threads than CPUs: CPU numbers are shared, as on a busy box. */
	sim_set_nr_cpus(2);
	c.region = t_region(256, 6, pcp_batch);
	t_pace_init(&c.pace, MT_THREADS, MT_STEP);
	for (i = 0; i < MT_THREADS; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, mt_worker, &c), 0);
	ASSERT_EQ(pthread_create(&drainer, NULL, mt_drainer, &c), 0);
	for (i = 0; i < MT_THREADS; i++)
		pthread_join(th[i], NULL);
	pthread_join(drainer, NULL);
	for (i = 0; i < MT_SHARED; i++)
		if (c.shared[i])
			mt_free(&c, c.shared[i]);

	EXPECT_EQ(c.errors, 0);
	EXPECT_EQ(c.rounds, t_pace_rounds(&c.pace, c.iterations));
	EXPECT_GT(c.rounds, 1);
	EXPECT_GE(c.raced, c.rounds - 1);
	EXPECT_EQ(myslab_region_check(c.region), 0);
	myslab_buddy_stats(c.region, &st);
	EXPECT_EQ(st.alloc_pages, 0);
	EXPECT_EQ(st.invalid_frees, 0);
	for (i = 0; i <= 6; i++) {
		allocs += st.allocs[i];
		frees += st.frees[i];
		EXPECT_EQ(st.allocs[i], st.frees[i]);
	}
	EXPECT_EQ(allocs, frees);
	EXPECT_GT(allocs, 0);
	myslab_drain_pcp(c.region);
	EXPECT_MAP_SPEC(c.region, "6 6 6 6");
	t_region_done(c.region);
}

SIM_TEST(buddy, multithreaded_alloc_free_with_pcp)
{
	multithreaded(8);
}

SIM_TEST(buddy, multithreaded_alloc_free_without_pcp)
{
	multithreaded(0);
}

/* === The validator: planted inconsistencies are found === */

#include "core/buddy/buddy_internal.h"

/* Run the validator on a planted inconsistency, expect it found and reported. */
static void expect_found(struct myslab_region *r, const char *what)
{
	unsigned long before = sim_errors();
	int found = myslab_region_check(r);

	if (found < 1)
		sim_test_fail(__FILE__, __LINE__, "%s: not found", what);
	if (sim_errors() - before < 1)
		sim_test_fail(__FILE__, __LINE__, "%s: not reported", what);
	sim_expect_errors(sim_errors() - before);
}

SIM_TEST(buddy, validator_finds_planted_inconsistencies)
{
	struct myslab_region *r = t_region(16, 4, 2);
	struct myslab_page saved;
	unsigned long saved_count;
	void *p, *q;

	sim_set_cpu(0);
	p = myslab_alloc_pages(r, 0, GFP_KERNEL);	/* page 1 stays cached */
	EXPECT_MAP(r, "AP1-2---3-------");

	/* A free page that claims to be allocated. */
	saved = r->pages[9];
	r->pages[9].state = MYSLAB_BLOCK_ALLOC;
	expect_found(r, "allocated page inside a free block");
	r->pages[9] = saved;

	/* A free list whose counter is off. */
	saved_count = r->free_area[3].count;
	r->free_area[3].count++;
	expect_found(r, "free-list counter");
	r->free_area[3].count = saved_count;

	/* Free pages that do not add up. */
	r->free_pages--;
	expect_found(r, "free_pages");
	r->free_pages++;

	/* A block head that lost its free mark. */
	saved = r->pages[4];
	r->pages[4].flags = 0;
	expect_found(r, "free block without its mark");
	r->pages[4] = saved;

	/* A tail page of an allocated block pointing at the wrong head. */
	q = myslab_alloc_pages(r, 1, GFP_KERNEL);
	EXPECT_PTR_EQ(q, page_at(r, 2));
	saved = r->pages[3];
	r->pages[3].head = 0;
	expect_found(r, "tail page with a foreign head");
	r->pages[3] = saved;
	EXPECT_EQ(myslab_free_pages(r, q, 1), 0);

	/* A per-CPU list whose counter is off, then the cache's page count. */
	per_cpu_ptr(r->pcp, 0)->blocks[0].count++;
	expect_found(r, "per-CPU list counter");
	per_cpu_ptr(r->pcp, 0)->blocks[0].count--;
	per_cpu_ptr(r->pcp, 0)->pages++;
	expect_found(r, "per-CPU cache page count");
	per_cpu_ptr(r->pcp, 0)->pages--;

	EXPECT_EQ(myslab_free_pages(r, p, 0), 0);	/* to CPU 0's cache */
	myslab_drain_pcp(r);
	EXPECT_MAP(r, "4---------------");

	/* Everything back in place: clean again. */
	EXPECT_EQ(myslab_region_check(r), 0);
	t_region_done(r);
}

/*
 * Blocks of orders above 0 in the per-CPU caches: one of the wrong order on
 * its list, and a block above MYSLAB_PCP_MAX_ORDER claiming to be cached,
 * are found; a block allocated on one CPU and freed on another leaves the
 * first CPU's accounting negative and the sums exact.
 */
SIM_TEST(buddy, validator_checks_cached_blocks_of_every_order)
{
	struct myslab_region *r = t_region(32, 5, 2);
	struct myslab_buddy_stats st;
	void *q, *b, *c;

	sim_set_cpu(0);
	q = myslab_alloc_pages(r, 1, GFP_KERNEL);
	EXPECT_EQ(myslab_free_pages(r, q, 1), 0);
	EXPECT_MAP_SPEC(r, "P1 1 2 3 4");
	r->pages[0].order = 2;
	expect_found(r, "cached block of the wrong order");
	r->pages[0].order = 1;

	b = myslab_alloc_pages(r, 4, GFP_KERNEL);	/* from the free lists */
	EXPECT_PTR_EQ(b, page_at(r, 16));
	r->pages[16].state = MYSLAB_BLOCK_PCP;
	expect_found(r, "cached block above MYSLAB_PCP_MAX_ORDER");
	r->pages[16].state = MYSLAB_BLOCK_ALLOC;
	EXPECT_EQ(myslab_free_pages(r, b, 4), 0);

	sim_set_cpu(1);
	c = myslab_alloc_pages(r, 2, GFP_KERNEL);
	EXPECT_PTR_EQ(c, page_at(r, 4));
	sim_set_cpu(2);
	EXPECT_EQ(myslab_free_pages(r, c, 2), 0);
	EXPECT_MAP_SPEC(r, "P1 1 P2 3 4");
	myslab_buddy_stats(r, &st);
	EXPECT_EQ(st.pcp_pages, 6);
	EXPECT_EQ(st.alloc_pages, 0);
	EXPECT_EQ(st.free_pages, 26);
	EXPECT_EQ(myslab_region_check(r), 0);

	myslab_drain_pcp(r);
	EXPECT_MAP_SPEC(r, "5");
	t_region_done(r);
}
