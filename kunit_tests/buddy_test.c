// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the myslab buddy allocator, each case on a private
 * region (test_helpers.h) that is checked with myslab_region_check() and
 * destroyed when the case ends:
 *
 *  myslab_buddy		allocation, split/merge maps, alignment, the XOR
 *				buddy property, exhaustion, zeroing, lookup,
 *				every kind of invalid free, the validator
 *  myslab_buddy_pcp		per-CPU page lists (orders 0-3): batches, the high
 *				mark, draining (all CPUs, one remote CPU as
 *				CPU hotplug does), cross-CPU frees, two CPUs
 *				racing to free one page, an interrupt that
 *				finds its CPU's cache locked
 *  myslab_buddy_concurrency	kthreads on every CPU allocating and freeing
 *				at random, then the accounting identities
 *
 * Maps in comments show pages 0..N-1 of a region: Fk is a free block of
 * order k, Ak an allocated one.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <myslab/buddy.h>
#include "core/buddy/buddy_internal.h"
#include "core/cpu_lock.h"
#include "test_helpers.h"

/* === Helpers === */

#define MAX_MAP_BLOCKS	64

/* The blocks covering a region, in address order, as myslab_block_lookup() sees them. */
struct block_map {
	unsigned int nr;
	unsigned long head[MAX_MAP_BLOCKS];
	unsigned int order[MAX_MAP_BLOCKS];
	enum myslab_block_state state[MAX_MAP_BLOCKS];
};

static void *page_at(const struct myslab_test_region *tr, unsigned long page)
{
	return tr->base + page * PAGE_SIZE;
}

static unsigned long page_of(const struct myslab_test_region *tr, const void *p)
{
	return ((unsigned long)p - (unsigned long)tr->base) >> PAGE_SHIFT;
}

static void take_map(struct kunit *test, const struct myslab_test_region *tr,
		     struct block_map *map)
{
	unsigned long page = 0, nr_pages = tr->size >> PAGE_SHIFT;
	struct myslab_block_info info;

	map->nr = 0;
	while (page < nr_pages) {
		KUNIT_ASSERT_LT(test, map->nr, (unsigned int)MAX_MAP_BLOCKS);
		KUNIT_ASSERT_EQ(test, myslab_block_lookup(tr->region, page_at(tr, page), &info), 0);
		KUNIT_ASSERT_PTR_EQ(test, info.base, page_at(tr, page));
		map->head[map->nr] = page;
		map->order[map->nr] = info.order;
		map->state[map->nr] = info.state;
		map->nr++;
		page += 1UL << info.order;
	}
	KUNIT_ASSERT_EQ(test, page, nr_pages);
}

static void expect_same_map(struct kunit *test, const struct block_map *want,
			    const struct myslab_test_region *tr)
{
	struct block_map *now = kunit_kzalloc(test, sizeof(*now), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, now);
	take_map(test, tr, now);
	KUNIT_ASSERT_EQ(test, now->nr, want->nr);
	for (i = 0; i < want->nr; i++) {
		KUNIT_EXPECT_EQ(test, now->head[i], want->head[i]);
		KUNIT_EXPECT_EQ(test, now->order[i], want->order[i]);
		KUNIT_EXPECT_EQ(test, now->state[i], want->state[i]);
	}
}

/* Expect the block holding @page to start at @head with @order and @state. */
static void expect_block(struct kunit *test, const struct myslab_test_region *tr,
			 unsigned long page, unsigned long head,
			 unsigned int order, enum myslab_block_state state)
{
	struct myslab_block_info info;

	KUNIT_ASSERT_EQ(test, myslab_block_lookup(tr->region, page_at(tr, page), &info), 0);
	KUNIT_EXPECT_PTR_EQ(test, info.base, page_at(tr, head));
	KUNIT_EXPECT_EQ(test, info.order, order);
	KUNIT_EXPECT_EQ(test, info.state, state);
}

static void get_stats(struct myslab_test_region *tr, struct myslab_buddy_stats *s)
{
	myslab_buddy_stats(tr->region, s);
}

/* Expect the free-block counts of orders 0..max_order to be @want. */
static void expect_nr_free(struct kunit *test, struct myslab_test_region *tr,
			   const unsigned long *want, unsigned int max_order)
{
	struct myslab_buddy_stats s;
	unsigned int k;

	get_stats(tr, &s);
	for (k = 0; k <= max_order; k++)
		KUNIT_EXPECT_EQ_MSG(test, s.nr_free[k], want[k], "order %u", k);
}

/* Everything but invalid_frees is as in @before; invalid_frees grew by one. */
static void expect_only_invalid_free_counted(struct kunit *test,
					     struct myslab_test_region *tr,
					     const struct myslab_buddy_stats *before)
{
	struct myslab_buddy_stats after;
	unsigned int k;

	get_stats(tr, &after);
	KUNIT_EXPECT_EQ(test, after.invalid_frees, before->invalid_frees + 1);
	KUNIT_EXPECT_EQ(test, after.free_pages, before->free_pages);
	KUNIT_EXPECT_EQ(test, after.pcp_pages, before->pcp_pages);
	KUNIT_EXPECT_EQ(test, after.alloc_pages, before->alloc_pages);
	KUNIT_EXPECT_EQ(test, after.splits, before->splits);
	KUNIT_EXPECT_EQ(test, after.merges, before->merges);
	KUNIT_EXPECT_EQ(test, after.failed, before->failed);
	for (k = 0; k <= MYSLAB_MAX_ORDER_LIMIT; k++) {
		KUNIT_EXPECT_EQ(test, after.nr_free[k], before->nr_free[k]);
		KUNIT_EXPECT_EQ(test, after.allocs[k], before->allocs[k]);
		KUNIT_EXPECT_EQ(test, after.frees[k], before->frees[k]);
	}
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
}

/* The value a test stores at both ends of each page of a block it holds. */
static unsigned long stamp(const void *page)
{
	return (unsigned long)page ^ 0x6d79736c61623131UL;	/* "myslab11" */
}

static void stamp_block(void *block, unsigned int order)
{
	unsigned long i, *first, *last;

	for (i = 0; i < (1UL << order); i++) {
		first = block + i * PAGE_SIZE;
		last = (void *)first + PAGE_SIZE - sizeof(*last);
		*first = stamp(first);
		*last = stamp(first);
	}
}

static bool stamp_intact(const void *block, unsigned int order)
{
	const unsigned long *first, *last;
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		first = block + i * PAGE_SIZE;
		last = (const void *)first + PAGE_SIZE - sizeof(*last);
		if (*first != stamp(first) || *last != stamp(first))
			return false;
	}
	return true;
}

/* === Suite myslab_buddy: fixture 8 MiB, max_order 10, no per-CPU page lists === */

#define BUDDY_SIZE	SZ_8M
#define BUDDY_MAX_ORDER	10

static int buddy_test_init(struct kunit *test)
{
	test->priv = myslab_test_region_create(test, BUDDY_SIZE, BUDDY_MAX_ORDER, 0);
	return 0;
}

static const unsigned int all_orders[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static void order_desc(const unsigned int *order, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "order %u", *order);
}

KUNIT_ARRAY_PARAM(all_orders, all_orders, order_desc);

/*
 * An 8 MiB region with max_order 10 is two free order-10 blocks. Every
 * block of any order it hands out is aligned to its order, carries the
 * state and order lookup reports for each of its pages, and freeing them all
 * restores the two order-10 blocks.
 */
static void alloc_free_every_order(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	unsigned int order = *(const unsigned int *)test->param_value;
	unsigned long nr = (BUDDY_SIZE >> PAGE_SHIFT) >> order, i;
	struct myslab_buddy_stats s;
	struct block_map *initial;
	void **blocks;

	initial = kunit_kzalloc(test, sizeof(*initial), GFP_KERNEL);
	blocks = kunit_kcalloc(test, nr, sizeof(*blocks), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, initial);
	KUNIT_ASSERT_NOT_NULL(test, blocks);
	take_map(test, tr, initial);
	KUNIT_ASSERT_EQ(test, initial->nr, 2U);

	for (i = 0; i < nr; i++) {
		blocks[i] = myslab_alloc_pages(tr->region, order, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, blocks[i]);
		KUNIT_EXPECT_EQ(test, (blocks[i] - tr->base) % (PAGE_SIZE << order), 0UL);
		expect_block(test, tr, page_of(tr, blocks[i]) + (1UL << order) - 1,
			     page_of(tr, blocks[i]), order, MYSLAB_BLOCK_ALLOC);
		stamp_block(blocks[i], order);
	}
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.free_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, s.nr_pages);
	KUNIT_EXPECT_EQ(test, s.high_water, s.nr_pages);
	KUNIT_EXPECT_EQ(test, s.allocs[order], nr);
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOWARN));

	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_TRUE(test, stamp_intact(blocks[i], order));
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, blocks[i], order), 0);
	}
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.frees[order], nr);
	KUNIT_EXPECT_EQ(test, s.free_pages, s.nr_pages);
	KUNIT_EXPECT_EQ(test, s.splits, s.merges);
	expect_same_map(test, initial, tr);
}

/*
 * Split and merge on an 8-page region (max_order 3), step by step:
 *
 *		 0   1   2   3   4   5   6   7
 * create	[              F3               ]
 * a = alloc 0	[A0 |F0 |  F1   |      F2       ]	3 splits
 * b = alloc 1	[A0 |F0 |  A1   |      F2       ]	no split
 * c = alloc 0	[A0 |A0 |  A1   |      F2       ]	no split
 * free c	[A0 |F0 |  A1   |      F2       ]	buddy 0 busy: no merge
 * free a	[  F1   |  A1   |      F2       ]	0+1 merge
 * free b	[              F3               ]	0+2, then 0+4 merge
 */
static void split_and_merge_map(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, 8 * PAGE_SIZE, 3, 0);
	static const unsigned long created[] = { 0, 0, 0, 1 };
	static const unsigned long after_a[] = { 1, 1, 1, 0 };
	static const unsigned long after_b[] = { 1, 0, 1, 0 };
	static const unsigned long after_c[] = { 0, 0, 1, 0 };
	static const unsigned long after_free_a[] = { 0, 1, 1, 0 };
	struct myslab_buddy_stats s;
	void *a, *b, *c;

	expect_nr_free(test, tr, created, 3);
	expect_block(test, tr, 5, 0, 3, MYSLAB_BLOCK_FREE);

	a = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, a, page_at(tr, 0));
	expect_nr_free(test, tr, after_a, 3);
	expect_block(test, tr, 1, 1, 0, MYSLAB_BLOCK_FREE);
	expect_block(test, tr, 3, 2, 1, MYSLAB_BLOCK_FREE);
	expect_block(test, tr, 7, 4, 2, MYSLAB_BLOCK_FREE);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.splits, 3UL);

	b = myslab_alloc_pages(tr->region, 1, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, b, page_at(tr, 2));
	expect_nr_free(test, tr, after_b, 3);
	expect_block(test, tr, 3, 2, 1, MYSLAB_BLOCK_ALLOC);

	c = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, c, page_at(tr, 1));
	expect_nr_free(test, tr, after_c, 3);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.splits, 3UL);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, 4UL);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, c, 0), 0);
	expect_nr_free(test, tr, after_b, 3);
	expect_block(test, tr, 1, 1, 0, MYSLAB_BLOCK_FREE);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.merges, 0UL);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 0), 0);
	expect_nr_free(test, tr, after_free_a, 3);
	expect_block(test, tr, 1, 0, 1, MYSLAB_BLOCK_FREE);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.merges, 1UL);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 1), 0);
	expect_nr_free(test, tr, created, 3);
	expect_block(test, tr, 6, 0, 3, MYSLAB_BLOCK_FREE);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.merges, 3UL);
	KUNIT_EXPECT_EQ(test, s.high_water, 4UL);
}

/*
 * A region of 1 MiB + 12 KiB (259 pages) is carved into the largest aligned
 * blocks that fit, and blocks at its end have no buddy to merge with:
 *
 *	 0                              256    258 259
 *	[              F8              ][  F1  ][F0]
 */
static void non_power_of_two_region(struct kunit *test)
{
	struct myslab_test_region *tr =
		myslab_test_region_create(test, SZ_1M + 3 * PAGE_SIZE, 10, 0);
	static const unsigned long carved[] = { 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0 };
	struct block_map *initial = kunit_kzalloc(test, sizeof(*initial), GFP_KERNEL);
	unsigned long i, nr = 259;
	void **pages = kunit_kcalloc(test, nr, sizeof(*pages), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, initial);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	expect_nr_free(test, tr, carved, 10);
	expect_block(test, tr, 100, 0, 8, MYSLAB_BLOCK_FREE);
	expect_block(test, tr, 257, 256, 1, MYSLAB_BLOCK_FREE);
	expect_block(test, tr, 258, 258, 0, MYSLAB_BLOCK_FREE);
	take_map(test, tr, initial);

	/* Every page, one at a time, then nothing more. */
	for (i = 0; i < nr; i++) {
		pages[i] = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOWARN));
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, pages[nr - 1 - i], 0), 0);
	expect_same_map(test, initial, tr);
}

/* 8 MiB - 4 KiB: 2047 pages, one free block of every order 10..0. */
static void one_page_short_region(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, SZ_8M - PAGE_SIZE, 10, 0);
	static const unsigned long carved[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	void *p;

	expect_nr_free(test, tr, carved, 10);
	expect_block(test, tr, 2046, 2046, 0, MYSLAB_BLOCK_FREE);
	expect_block(test, tr, 1024, 1024, 9, MYSLAB_BLOCK_FREE);
	/* The order-10 block is the only one able to serve order 10. */
	p = myslab_alloc_pages(tr->region, 10, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, p, page_at(tr, 0));
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 10, GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 10), 0);
	expect_nr_free(test, tr, carved, 10);
}

static const unsigned int split_orders[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };

KUNIT_ARRAY_PARAM(split_orders, split_orders, order_desc);

/*
 * Two order-k blocks cut from the same order-10 block are buddies: their
 * offsets differ exactly in bit k (offset ^ (PAGE_SIZE << k)). The first
 * takes 10 - k splits, freeing both takes 10 - k merges back to order 10.
 */
static void xor_buddy_property(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	unsigned int k = *(const unsigned int *)test->param_value;
	unsigned long off_a, off_b;
	struct myslab_buddy_stats s;
	void *a, *b;

	a = myslab_alloc_pages(tr->region, k, GFP_KERNEL);
	b = myslab_alloc_pages(tr->region, k, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	off_a = a - tr->base;
	off_b = b - tr->base;
	KUNIT_EXPECT_EQ(test, off_a ^ off_b, PAGE_SIZE << k);
	KUNIT_EXPECT_EQ(test, off_a ^ (PAGE_SIZE << k), off_b);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.splits, (unsigned long)(BUDDY_MAX_ORDER - k));

	/* Freeing one: its buddy is allocated, so nothing merges. */
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, k), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.merges, 0UL);
	KUNIT_EXPECT_EQ(test, s.nr_free[k], 1UL);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, k), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.merges, (unsigned long)(BUDDY_MAX_ORDER - k));
	KUNIT_EXPECT_EQ(test, s.nr_free[BUDDY_MAX_ORDER], 2UL);
}

/*
 * Freeing every other page of a fully split block merges nothing (each
 * freed page's buddy is still allocated); freeing the rest merges all.
 */
static void alternate_frees_do_not_merge(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, 16 * PAGE_SIZE, 4, 0);
	struct myslab_buddy_stats s;
	void *pages[16];
	unsigned int i;

	for (i = 0; i < 16; i++) {
		pages[i] = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
		KUNIT_ASSERT_PTR_EQ(test, pages[i], page_at(tr, i));
	}
	for (i = 0; i < 16; i += 2)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, pages[i], 0), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.merges, 0UL);
	KUNIT_EXPECT_EQ(test, s.nr_free[0], 8UL);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);

	for (i = 1; i < 16; i += 2)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, pages[i], 0), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.nr_free[0], 0UL);
	KUNIT_EXPECT_EQ(test, s.nr_free[4], 1UL);
	KUNIT_EXPECT_EQ(test, s.merges, 15UL);
}

#define RANDOM_BLOCKS	512

/*
 * Random orders until the region is full: every block aligned to its order,
 * no two overlapping (each page's stamp survives all later allocations),
 * then freed in random order back to exactly the initial blocks.
 */
static void random_blocks_aligned_disjoint_and_merge_back(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct block_map *initial = kunit_kzalloc(test, sizeof(*initial), GFP_KERNEL);
	void **blocks = kunit_kcalloc(test, RANDOM_BLOCKS, sizeof(*blocks), GFP_KERNEL);
	unsigned int *orders = kunit_kcalloc(test, RANDOM_BLOCKS, sizeof(*orders), GFP_KERNEL);
	unsigned int n = 0, i, j, order, failures = 0;

	KUNIT_ASSERT_NOT_NULL(test, initial);
	KUNIT_ASSERT_NOT_NULL(test, blocks);
	KUNIT_ASSERT_NOT_NULL(test, orders);
	take_map(test, tr, initial);

	while (n < RANDOM_BLOCKS && failures < 16) {
		order = get_random_u32_below(BUDDY_MAX_ORDER + 1);
		order = order > 6 ? get_random_u32_below(3) : order;
		blocks[n] = myslab_alloc_pages(tr->region, order, GFP_KERNEL | __GFP_NOWARN);
		if (!blocks[n]) {
			failures++;
			continue;
		}
		KUNIT_EXPECT_EQ(test, (blocks[n] - tr->base) & ((PAGE_SIZE << order) - 1), 0UL);
		stamp_block(blocks[n], order);
		orders[n++] = order;
	}
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, stamp_intact(blocks[i], orders[i]),
				      "block %u (order %u) overwritten", i, orders[i]);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);

	/* Free in random order: swap a random survivor to the end, free it. */
	for (i = n; i > 0; i--) {
		j = get_random_u32_below(i);
		swap(blocks[j], blocks[i - 1]);
		swap(orders[j], orders[i - 1]);
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, blocks[i - 1],
							orders[i - 1]), 0);
	}
	expect_same_map(test, initial, tr);
}

/*
 * A 1 MiB region with max_order 4 holds 16 order-4 blocks: the 17th
 * allocation fails and is counted, smaller ones fail too, and one free
 * makes room again.
 */
static void exhaustion_returns_null_and_recovers(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, SZ_1M, 4, 0);
	struct myslab_buddy_stats s;
	void *blocks[16], *p;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		blocks[i] = myslab_alloc_pages(tr->region, 4, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, blocks[i]);
	}
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 4, GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_ATOMIC | __GFP_NOWARN));
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.failed, 2UL);
	KUNIT_EXPECT_EQ(test, s.free_pages, 0UL);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, blocks[7], 4), 0);
	p = myslab_alloc_pages(tr->region, 4, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, p, blocks[7]);
	blocks[7] = p;
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, blocks[i], 4), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.nr_free[4], 16UL);
	KUNIT_EXPECT_EQ(test, s.failed, 2UL);
}

/* Orders above max_order are refused and counted, not served. */
static void order_above_max_fails(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats s;

	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, BUDDY_MAX_ORDER + 1,
						   GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, MYSLAB_MAX_ORDER_LIMIT + 5,
						   GFP_KERNEL | __GFP_NOWARN));
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.failed, 2UL);
	KUNIT_EXPECT_EQ(test, s.free_pages, s.nr_pages);
}

/*
 * __GFP_ZERO zeroes the whole block; without it the allocator writes nothing
 * into the region (its metadata lives outside), so old contents survive,
 * unless the boot's policy (init_on_alloc, init_on_free) zeroes every block.
 */
static void zeroing_flag(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	bool policy = want_init_on_alloc(0) || want_init_on_free();
	void *dirty, *zeroed;

	memset(tr->base, 0xa5, tr->size);
	dirty = myslab_alloc_pages(tr->region, 3, GFP_KERNEL);
	zeroed = myslab_alloc_pages(tr->region, 3, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, dirty);
	KUNIT_ASSERT_NOT_NULL(test, zeroed);
	KUNIT_EXPECT_NULL(test, memchr_inv(dirty, policy ? 0 : 0xa5, PAGE_SIZE << 3));
	KUNIT_EXPECT_NULL(test, memchr_inv(zeroed, 0, PAGE_SIZE << 3));

	memset(zeroed, 0x5a, PAGE_SIZE << 3);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, zeroed, 3), 0);
	zeroed = myslab_alloc_pages(tr->region, 3, GFP_ATOMIC | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, zeroed);
	KUNIT_EXPECT_NULL(test, memchr_inv(zeroed, 0, PAGE_SIZE << 3));
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, zeroed, 3), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, dirty, 3), 0);
}

/* Allocation and free with interrupts off, as callers in IRQ context do. */
static void alloc_free_with_irqs_disabled(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	unsigned long flags;
	void *a, *b;

	myslab_test_pin();
	flags = myslab_test_irq_save();
	a = myslab_alloc_pages(tr->region, 0, GFP_ATOMIC);
	b = myslab_alloc_pages(tr->region, 5, GFP_ATOMIC | __GFP_ZERO);
	if (a)
		myslab_free_pages(tr->region, a, 0);
	if (b)
		myslab_free_pages(tr->region, b, 5);
	myslab_test_irq_restore(flags);
	myslab_test_unpin();
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NOT_NULL(test, b);
}

/* Lookup of any byte, and the slab owner seam. */
static void lookup_and_slab_owner(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_block_info info;
	int owner_a, owner_b;
	void *pages, *slab;

	pages = myslab_alloc_pages(tr->region, 3, GFP_KERNEL);
	slab = myslab_alloc_slab_block(tr->region, 2, GFP_KERNEL, &owner_a);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_ASSERT_NOT_NULL(test, slab);

	KUNIT_EXPECT_EQ(test, myslab_block_lookup(tr->region, pages + 5 * PAGE_SIZE + 17,
						  &info), 0);
	KUNIT_EXPECT_PTR_EQ(test, info.base, pages);
	KUNIT_EXPECT_EQ(test, info.order, 3U);
	KUNIT_EXPECT_EQ(test, info.state, MYSLAB_BLOCK_ALLOC);
	KUNIT_EXPECT_EQ(test, myslab_block_lookup(tr->region, slab + 3 * PAGE_SIZE, &info), 0);
	KUNIT_EXPECT_PTR_EQ(test, info.base, slab);
	KUNIT_EXPECT_EQ(test, info.state, MYSLAB_BLOCK_SLAB);
	KUNIT_EXPECT_EQ(test, myslab_block_lookup(tr->region, tr->base + tr->size, &info), -EFAULT);
	KUNIT_EXPECT_EQ(test, myslab_block_lookup(tr->region, NULL, &info), -EFAULT);

	KUNIT_EXPECT_PTR_EQ(test, myslab_slab_owner(tr->region, slab), (void *)&owner_a);
	KUNIT_EXPECT_PTR_EQ(test, myslab_slab_owner(tr->region, slab + 4 * PAGE_SIZE - 1),
			    (void *)&owner_a);
	KUNIT_EXPECT_NULL(test, myslab_slab_owner(tr->region, slab + 4 * PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, myslab_slab_owner(tr->region, pages + 100));
	KUNIT_EXPECT_NULL(test, myslab_slab_owner(tr->region, tr->base + tr->size - 1));
	KUNIT_EXPECT_NULL(test, myslab_slab_owner(tr->region, &owner_a));

	KUNIT_EXPECT_EQ(test, myslab_set_slab_owner(tr->region, slab, &owner_b), 0);
	KUNIT_EXPECT_PTR_EQ(test, myslab_slab_owner(tr->region, slab + PAGE_SIZE),
			    (void *)&owner_b);
	KUNIT_EXPECT_EQ(test, myslab_set_slab_owner(tr->region, slab + PAGE_SIZE, &owner_a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_set_slab_owner(tr->region, pages, &owner_a), -EINVAL);

	KUNIT_EXPECT_TRUE(test, myslab_region_contains(tr->region, tr->base));
	KUNIT_EXPECT_TRUE(test, myslab_region_contains(tr->region, tr->base + tr->size - 1));
	KUNIT_EXPECT_FALSE(test, myslab_region_contains(tr->region, tr->base + tr->size));
	KUNIT_EXPECT_FALSE(test, myslab_region_contains(tr->region, tr->base - 1));

	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, slab, 2), 0);
	KUNIT_EXPECT_NULL(test, myslab_slab_owner(tr->region, slab));
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, pages, 3), 0);
	/* Free memory is reported as the free block holding it. */
	expect_block(test, tr, 3, 0, BUDDY_MAX_ORDER, MYSLAB_BLOCK_FREE);
}

/* Expect myslab_region_create() to refuse these arguments with -EINVAL. */
static void expect_refused(struct kunit *test, const char *name, void *base,
			   size_t size, unsigned int max_order, unsigned int batch)
{
	struct myslab_mem mem = { .base = base, .size = size, .provider = "kunit" };
	struct myslab_region *r;

	r = myslab_region_create(name, &mem, max_order, batch);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(r), -EINVAL);
	if (!IS_ERR(r))
		myslab_region_destroy(r);
}

/* Bad arguments to myslab_region_create() are refused, nothing kept. */
static void create_rejects_bad_arguments(struct kunit *test)
{
	void *buf = kunit_kzalloc(test, 4 * PAGE_SIZE, GFP_KERNEL);
	struct myslab_mem mem = { .provider = "kunit" };
	struct myslab_region *r;
	void *base;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	base = PTR_ALIGN(buf, PAGE_SIZE);

	expect_refused(test, "kunit", base + 1, PAGE_SIZE, 0, 0);
	expect_refused(test, "kunit", NULL, PAGE_SIZE, 0, 0);
	expect_refused(test, "kunit", base, 0, 0, 0);
	expect_refused(test, "kunit", base, PAGE_SIZE + 1, 0, 0);
	expect_refused(test, "kunit", base, PAGE_SIZE, MYSLAB_MAX_ORDER_LIMIT + 1, 0);
	expect_refused(test, "kunit", base, PAGE_SIZE, 0, MYSLAB_PCP_BATCH_MAX + 1);
	expect_refused(test, "two words", base, PAGE_SIZE, 0, 0);
	expect_refused(test, "", base, PAGE_SIZE, 0, 0);
	expect_refused(test, NULL, base, PAGE_SIZE, 0, 0);

	/* A one-page region with max_order far above what it holds works. */
	mem.base = base;
	mem.size = PAGE_SIZE;
	r = myslab_region_create("kunit", &mem, MYSLAB_MAX_ORDER_LIMIT, 4);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);
	KUNIT_EXPECT_PTR_EQ(test, myslab_alloc_pages(r, 0, GFP_KERNEL), base);
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(r, 1, GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, myslab_free_pages(r, base, 0), 0);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);
	myslab_region_destroy(r);
}

/* --- Invalid frees: each is refused with its errno, counted, state intact --- */

static void invalid_free_outside_region(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	int local;

	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, tr->base + tr->size, 0), -EFAULT);
	expect_only_invalid_free_counted(test, tr, &before);

	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, tr->base - PAGE_SIZE, 0), -EFAULT);
	expect_only_invalid_free_counted(test, tr, &before);

	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, &local, 0), -EFAULT);
	expect_only_invalid_free_counted(test, tr, &before);

	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, NULL, 2), -EFAULT);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees += 4;
}

static void invalid_free_misaligned(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	void *p = myslab_alloc_pages(tr->region, 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	get_stats(tr, &before);
	/* One page in: not a multiple of two pages. */
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p + PAGE_SIZE, 1), -EINVAL);
	expect_only_invalid_free_counted(test, tr, &before);

	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p + 8, 0), -EINVAL);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees += 2;

	expect_block(test, tr, page_of(tr, p) + 1, page_of(tr, p), 1, MYSLAB_BLOCK_ALLOC);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 1), 0);
}

static void invalid_free_order_above_max(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;

	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, tr->base, BUDDY_MAX_ORDER + 1),
			-EINVAL);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees++;
}

static void invalid_free_double(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	void *keep = myslab_alloc_pages(tr->region, 2, GFP_KERNEL);
	void *p = myslab_alloc_pages(tr->region, 2, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, keep);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 2), 0);

	/* Immediately: p is a free order-2 block (its buddy, keep, is busy). */
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 2), -EALREADY);
	expect_only_invalid_free_counted(test, tr, &before);

	/* Delayed: after keep's free merged p into a larger block. */
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, keep, 2), 0);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 2), -EALREADY);
	expect_only_invalid_free_counted(test, tr, &before);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, keep, 2), -EALREADY);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees += 3;
}

static void invalid_free_wrong_order(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	void *p = myslab_alloc_pages(tr->region, 2, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 1), -ERANGE);
	expect_only_invalid_free_counted(test, tr, &before);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), -ERANGE);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees += 2;

	expect_block(test, tr, page_of(tr, p) + 3, page_of(tr, p), 2, MYSLAB_BLOCK_ALLOC);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 2), 0);
}

static void invalid_free_tail_page(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	void *p = myslab_alloc_pages(tr->region, 2, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p + PAGE_SIZE, 0), -EINVAL);
	expect_only_invalid_free_counted(test, tr, &before);
	/* Page 2 of the block is aligned to order 1 but still a tail. */
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p + 2 * PAGE_SIZE, 1), -EINVAL);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees += 2;

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 2), 0);
}

static void invalid_free_slab_block_via_page_api(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	void *slab = myslab_alloc_slab_block(tr->region, 1, GFP_KERNEL, tr);

	KUNIT_ASSERT_NOT_NULL(test, slab);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, slab, 1), -EBUSY);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees++;

	KUNIT_EXPECT_PTR_EQ(test, myslab_slab_owner(tr->region, slab), (void *)tr);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, slab, 1), 0);
}

static void invalid_free_page_block_via_slab_api(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	void *p = myslab_alloc_pages(tr->region, 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, p, 1), -EBUSY);
	expect_only_invalid_free_counted(test, tr, &before);
	tr->expected_invalid_frees++;

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 1), 0);
}

/*
 * Positive controls for the validator: plant one inconsistency at a time in
 * a quiet private region and expect exactly the number of reports it causes,
 * then repair it and expect none.
 */
static void region_check_detects_corruption(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_region *r = tr->region;
	struct myslab_page *tail, saved;
	unsigned long flags, count;
	void *p;

	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/* A free-list counter off by one: one report. */
	spin_lock_irqsave(&r->lock, flags);
	r->free_area[BUDDY_MAX_ORDER].count++;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 1);
	spin_lock_irqsave(&r->lock, flags);
	r->free_area[BUDDY_MAX_ORDER].count--;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/*
	 * A tail page of an allocated block claiming to be free: one report.
	 * Repaired by putting its descriptor back as it was: only the
	 * block's head describes the block, a tail page says it is one.
	 */
	p = myslab_alloc_pages(r, 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	tail = &r->pages[page_of(tr, p) + 1];
	spin_lock_irqsave(&r->lock, flags);
	saved = *tail;
	myslab_set_page_state(tail, MYSLAB_BLOCK_FREE);
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 1);
	spin_lock_irqsave(&r->lock, flags);
	*tail = saved;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/* A free block head that lost its mark: listed-but-unmarked, count. */
	spin_lock_irqsave(&r->lock, flags);
	r->pages[r->free_area[BUDDY_MAX_ORDER].first].flags &= ~MYSLAB_PAGE_BUDDY;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 2);
	spin_lock_irqsave(&r->lock, flags);
	r->pages[r->free_area[BUDDY_MAX_ORDER].first].flags |= MYSLAB_PAGE_BUDDY;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/*
	 * An empty order-0 list (p split the region down to order 2) whose
	 * ends name a page of p: the next order-0 allocation would hand out
	 * that page. No free block links to it, so only the list's ends
	 * against its counter tell: one report.
	 */
	spin_lock_irqsave(&r->lock, flags);
	count = r->free_area[0].count;
	r->free_area[0].first = page_of(tr, p) + 1;
	r->free_area[0].last = page_of(tr, p) + 1;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, count, 0UL);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 1);
	spin_lock_irqsave(&r->lock, flags);
	r->free_area[0].first = MYSLAB_NIL;
	r->free_area[0].last = MYSLAB_NIL;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(r, p, 2), 0);
}

/* --- Head-only descriptors: lookups, tail frees and the validator --- */

/*
 * Only a page block's head describes it: each of its tails still says it
 * is a tail (MYSLAB_PAGE_TAIL, naming itself, order 0), and a lookup of any
 * page of the block names the head. A slab's pages all name their head, for
 * the slab layer's owner lookup. Freed, every page is found in the free
 * block that holds it again.
 */
static void lookup_every_page_head_only(struct kunit *test)
{
	const unsigned int *order = test->param_value;
	struct myslab_test_region *tr = test->priv;
	struct myslab_region *r = tr->region;
	unsigned long n = 1UL << *order, i, pb, sb;
	const struct myslab_page *d;
	void *p, *slab;
	int owner;

	p = myslab_alloc_pages(r, *order, GFP_KERNEL);
	slab = myslab_alloc_slab_block(r, *order, GFP_KERNEL, &owner);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	pb = page_of(tr, p);
	sb = page_of(tr, slab);
	for (i = 0; i < n; i++) {
		d = &r->pages[pb + i];
		if (i) {
			KUNIT_EXPECT_EQ_MSG(test, d->state, (u8)MYSLAB_PAGE_TAIL, "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test, d->head, (u32)(pb + i), "page %lu", i);
			KUNIT_EXPECT_EQ_MSG(test, d->order, (u8)0, "page %lu", i);
		}
		expect_block(test, tr, pb + i, pb, *order, MYSLAB_BLOCK_ALLOC);
		d = &r->pages[sb + i];
		KUNIT_EXPECT_EQ_MSG(test, d->state, (u8)MYSLAB_BLOCK_SLAB, "slab page %lu", i);
		KUNIT_EXPECT_EQ_MSG(test, d->head, (u32)sb, "slab page %lu", i);
		expect_block(test, tr, sb + i, sb, *order, MYSLAB_BLOCK_SLAB);
		KUNIT_EXPECT_PTR_EQ(test, myslab_slab_owner(r, page_at(tr, sb + i) + 17),
				    (void *)&owner);
	}
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(r, slab, *order), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(r, p, *order), 0);
	/* Two free order-10 blocks again, every page in one of them. */
	for (i = 0; i < BUDDY_SIZE >> PAGE_SHIFT; i++)
		expect_block(test, tr, i, i & ~((1UL << BUDDY_MAX_ORDER) - 1),
			     BUDDY_MAX_ORDER, MYSLAB_BLOCK_FREE);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, r->pages[sb + i].state, (u8)MYSLAB_PAGE_TAIL,
				    "freed slab page %lu", i);
}

/*
 * Free blocks of every order: an order-0 page at the start of one of the two
 * order-10 blocks (at b, 0 or 1024, whichever the free list hands out)
 * splits it into free blocks of orders 0 to 9 at b + 1, b + 2, b + 4, ...,
 * b + 512, and every page of each, and of the other order-10 block, is found
 * in it from its head alone:
 *
 *	pages  b  b+1 b+2 b+4   b+8          b+512     b+1024
 *	      [A0][F0][F1][ F2 ][ F3 ]...[   F9   ]
 */
static void lookup_every_page_of_free_blocks(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	unsigned long i, b, head, block = 1UL << BUDDY_MAX_ORDER;
	void *p;

	p = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	b = page_of(tr, p);
	KUNIT_ASSERT_EQ(test, b % block, 0UL);
	expect_block(test, tr, b, b, 0, MYSLAB_BLOCK_ALLOC);
	for (i = 0; i < BUDDY_SIZE >> PAGE_SHIFT; i++) {
		if (i == b)
			continue;
		if (i < b || i >= b + block) {
			expect_block(test, tr, i, i & ~(block - 1), BUDDY_MAX_ORDER,
				     MYSLAB_BLOCK_FREE);
			continue;
		}
		head = b + rounddown_pow_of_two(i - b);
		expect_block(test, tr, i, head, ilog2(head - b), MYSLAB_BLOCK_FREE);
	}
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), 0);
}

static const unsigned int tail_orders[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

KUNIT_ARRAY_PARAM(tail_orders, tail_orders, order_desc);

/*
 * A free of a tail page of an order-k block, at every order the page is
 * aligned to, is refused as a tail page (-EINVAL, "a tail page of the
 * order-k block") though the page's descriptor says nothing of the block:
 * the refusal finds the block's head. Nothing changes, and the tails are
 * still plain tail pages.
 */
static void invalid_free_tail_pages_every_order(struct kunit *test)
{
	const unsigned int *order = test->param_value;
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	unsigned long pb, tail;
	unsigned int j;
	void *p;

	p = myslab_alloc_pages(tr->region, *order, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	pb = page_of(tr, p);
	for (j = 0; j < *order; j++) {
		/* The block's last page aligned to order j. */
		tail = pb + (1UL << *order) - (1UL << j);
		KUNIT_EXPECT_EQ(test, tr->region->pages[tail].state, (u8)MYSLAB_PAGE_TAIL);
		get_stats(tr, &before);
		KUNIT_EXPECT_EQ_MSG(test, myslab_free_pages(tr->region, page_at(tr, tail), j),
				    -EINVAL, "page %lu, order %u", tail - pb, j);
		expect_only_invalid_free_counted(test, tr, &before);
		expect_block(test, tr, tail, pb, *order, MYSLAB_BLOCK_ALLOC);
	}
	tr->expected_invalid_frees += *order;
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, *order), 0);
}

/*
 * Positive controls for the tail pages: a page block's tail naming its
 * head (as every tail did before heads alone described blocks), a slab's
 * tail that became a plain tail page, a free block's tail with an order,
 * and a tail claiming to head an order-0 block inside an allocated block.
 * Each is one report; put back, none.
 */
static void region_check_detects_damaged_tails(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_region *r = tr->region;
	struct myslab_page saved, *d;
	unsigned long flags, pb, sb;
	void *p, *slab;

	p = myslab_alloc_pages(r, 2, GFP_KERNEL);
	slab = myslab_alloc_slab_block(r, 2, GFP_KERNEL, tr);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	pb = page_of(tr, p);
	sb = page_of(tr, slab);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/* A page block's tail naming its head. */
	d = &r->pages[pb + 1];
	spin_lock_irqsave(&r->lock, flags);
	saved = *d;
	d->head = pb;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 1);
	spin_lock_irqsave(&r->lock, flags);
	*d = saved;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/* A slab's tail that no longer names the slab. */
	d = &r->pages[sb + 2];
	spin_lock_irqsave(&r->lock, flags);
	saved = *d;
	myslab_set_page_tail(d, sb + 2);
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 1);
	spin_lock_irqsave(&r->lock, flags);
	*d = saved;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/* A free order-10 block's tail with an order. */
	d = &r->pages[r->free_area[BUDDY_MAX_ORDER].first + 5];
	spin_lock_irqsave(&r->lock, flags);
	saved = *d;
	d->order = 3;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 1);
	spin_lock_irqsave(&r->lock, flags);
	*d = saved;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	/* A tail of the page block claiming to head allocated pages. */
	d = &r->pages[pb + 2];
	spin_lock_irqsave(&r->lock, flags);
	saved = *d;
	myslab_set_page_state(d, MYSLAB_BLOCK_ALLOC);
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 1);
	spin_lock_irqsave(&r->lock, flags);
	*d = saved;
	spin_unlock_irqrestore(&r->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(r), 0);

	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(r, slab, 2), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(r, p, 2), 0);
}

static struct kunit_case buddy_cases[] = {
	KUNIT_CASE_PARAM(alloc_free_every_order, all_orders_gen_params),
	KUNIT_CASE(split_and_merge_map),
	KUNIT_CASE(non_power_of_two_region),
	KUNIT_CASE(one_page_short_region),
	KUNIT_CASE_PARAM(xor_buddy_property, split_orders_gen_params),
	KUNIT_CASE(alternate_frees_do_not_merge),
	KUNIT_CASE(random_blocks_aligned_disjoint_and_merge_back),
	KUNIT_CASE(exhaustion_returns_null_and_recovers),
	KUNIT_CASE(order_above_max_fails),
	KUNIT_CASE(zeroing_flag),
	KUNIT_CASE(alloc_free_with_irqs_disabled),
	KUNIT_CASE(lookup_and_slab_owner),
	KUNIT_CASE(create_rejects_bad_arguments),
	KUNIT_CASE(invalid_free_outside_region),
	KUNIT_CASE(invalid_free_misaligned),
	KUNIT_CASE(invalid_free_order_above_max),
	KUNIT_CASE(invalid_free_double),
	KUNIT_CASE(invalid_free_wrong_order),
	KUNIT_CASE(invalid_free_tail_page),
	KUNIT_CASE(invalid_free_slab_block_via_page_api),
	KUNIT_CASE(invalid_free_page_block_via_slab_api),
	KUNIT_CASE(region_check_detects_corruption),
	KUNIT_CASE_PARAM(lookup_every_page_head_only, all_orders_gen_params),
	KUNIT_CASE(lookup_every_page_of_free_blocks),
	KUNIT_CASE_PARAM(invalid_free_tail_pages_every_order, tail_orders_gen_params),
	KUNIT_CASE(region_check_detects_damaged_tails),
	{}
};

static struct kunit_suite buddy_suite = {
	.name = "myslab_buddy",
	.init = buddy_test_init,
	.test_cases = buddy_cases,
};

/* === Suite myslab_buddy_pcp: fixture 4 MiB, max_order 10, batch 8 === */

#define PCP_SIZE	SZ_4M
#define PCP_BATCH	8
#define PCP_HIGH	(4 * PCP_BATCH)

static int pcp_test_init(struct kunit *test)
{
	test->priv = myslab_test_region_create(test, PCP_SIZE, 10, PCP_BATCH);
	return 0;
}

/*
 * The first order-0 allocation on a CPU moves a batch of pages into its
 * cache and hands out one; the free puts it back in the cache, not on the
 * free lists. Preemption stays off so that every step runs on one CPU.
 */
static void pcp_refills_in_batches(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats *s = kunit_kcalloc(test, 3, sizeof(*s), GFP_KERNEL);
	void *p;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, s);
	myslab_test_pin();
	p = myslab_alloc_pages(tr->region, 0, GFP_ATOMIC);
	get_stats(tr, &s[0]);
	err = p ? myslab_free_pages(tr->region, p, 0) : -ENOMEM;
	get_stats(tr, &s[1]);
	myslab_test_unpin();

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, s[0].pcp_pages, PCP_BATCH - 1UL);
	KUNIT_EXPECT_EQ(test, s[0].alloc_pages, 1UL);
	KUNIT_EXPECT_EQ(test, s[0].free_pages, s[0].nr_pages - PCP_BATCH);
	KUNIT_EXPECT_EQ(test, s[0].allocs[0], 1UL);
	KUNIT_EXPECT_EQ(test, s[1].pcp_pages, (unsigned long)PCP_BATCH);
	KUNIT_EXPECT_EQ(test, s[1].alloc_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s[1].frees[0], 1UL);
	KUNIT_EXPECT_EQ(test, s[1].pcp_high, (unsigned int)PCP_HIGH);

	/* Draining brings the pages back and they merge to the initial map. */
	myslab_drain_pcp(tr->region);
	get_stats(tr, &s[2]);
	KUNIT_EXPECT_EQ(test, s[2].pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s[2].free_pages, s[2].nr_pages);
	KUNIT_EXPECT_EQ(test, s[2].nr_free[10], 1UL);
	KUNIT_EXPECT_EQ(test, s[2].merges, s[2].splits);
}

#define PCP_HELD	(PCP_HIGH + 2 * PCP_BATCH)

/*
 * A cache never holds more than pcp_high pages: freeing PCP_HELD pages on
 * one CPU drains a batch each time the cache passes the mark. A model of
 * the rule tracks the expected size after every free.
 */
static void pcp_drains_above_high(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	unsigned long *seen = kunit_kcalloc(test, PCP_HELD, sizeof(*seen), GFP_KERNEL);
	void **pages = kunit_kcalloc(test, PCP_HELD, sizeof(*pages), GFP_KERNEL);
	unsigned long model = 0, got = 0;
	struct myslab_buddy_stats s;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	myslab_test_pin();
	for (i = 0; i < PCP_HELD; i++) {
		pages[i] = myslab_alloc_pages(tr->region, 0, GFP_ATOMIC);
		if (!pages[i])
			break;
		got++;
	}
	for (i = 0; i < got; i++) {
		myslab_free_pages(tr->region, pages[i], 0);
		get_stats(tr, &s);
		seen[i] = s.pcp_pages;
	}
	myslab_test_unpin();

	KUNIT_ASSERT_EQ(test, got, (unsigned long)PCP_HELD);
	/* PCP_HELD is a multiple of the batch: the refills left the cache empty. */
	for (i = 0; i < got; i++) {
		model++;
		if (model > PCP_HIGH)
			model -= PCP_BATCH;
		KUNIT_EXPECT_EQ_MSG(test, seen[i], model, "after free %u", i);
		KUNIT_EXPECT_LE(test, seen[i], (unsigned long)PCP_HIGH);
	}
}

static int alloc_and_free_a_few(void *arg)
{
	struct myslab_region *r = arg;
	void *pages[3];
	int i, err = 0;

	for (i = 0; i < 3; i++)
		pages[i] = myslab_alloc_pages(r, 0, GFP_KERNEL);
	for (i = 0; i < 3; i++)
		if (!pages[i] || myslab_free_pages(r, pages[i], 0))
			err = -EINVAL;
	return err;
}

/* Every CPU's cache holds pages; one drain empties them all remotely. */
static void pcp_drain_empties_every_cpu(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats s;
	unsigned int cpus = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		KUNIT_EXPECT_EQ(test, smp_call_on_cpu(cpu, alloc_and_free_a_few, tr->region,
						      false), 0);
		cpus++;
	}
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.pcp_pages, (unsigned long)cpus * PCP_BATCH);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.allocs[0], 3UL * cpus);

	myslab_drain_pcp(tr->region);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.free_pages, s.nr_pages);
	KUNIT_EXPECT_EQ(test, s.nr_free[10], 1UL);
}

/* Work run on one CPU: allocate @allocs order-0 pages, free the first @frees. */
struct pcp_work {
	struct myslab_region *region;
	unsigned int allocs;
	unsigned int frees;
	void *pages[PCP_BATCH];
	int err;
};

static int pcp_work_fn(void *arg)
{
	struct pcp_work *w = arg;
	unsigned int i;

	for (i = 0; i < w->allocs; i++) {
		w->pages[i] = myslab_alloc_pages(w->region, 0, GFP_KERNEL);
		if (!w->pages[i])
			w->err = -ENOMEM;
	}
	for (i = 0; i < w->frees; i++)
		if (w->pages[i] && myslab_free_pages(w->region, w->pages[i], 0))
			w->err = -EINVAL;
	return 0;
}

/*
 * The seam CPU hotplug uses for a dead CPU: myslab_pcp_drain_cpu() called
 * from the test thread on two other CPUs' caches, filled by work on those
 * CPUs, empties exactly the one named and keeps its accounting: CPU b holds
 * 7 cached pages and has one page out, CPU a 8 cached pages.
 */
static void pcp_drain_cpu_remote(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct pcp_work *wa = kunit_kzalloc(test, sizeof(*wa), GFP_KERNEL);
	struct pcp_work *wb = kunit_kzalloc(test, sizeof(*wb), GFP_KERNEL);
	struct myslab_buddy_stats *s = kunit_kcalloc(test, 3, sizeof(*s), GFP_KERNEL);
	int a, b;

	KUNIT_ASSERT_NOT_NULL(test, wa);
	KUNIT_ASSERT_NOT_NULL(test, wb);
	KUNIT_ASSERT_NOT_NULL(test, s);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	a = cpumask_first(cpu_online_mask);
	b = cpumask_next(a, cpu_online_mask);
	*wa = (struct pcp_work){ .region = tr->region, .allocs = 3, .frees = 3 };
	*wb = (struct pcp_work){ .region = tr->region, .allocs = 3, .frees = 2 };
	KUNIT_ASSERT_EQ(test, smp_call_on_cpu(a, pcp_work_fn, wa, false), 0);
	KUNIT_ASSERT_EQ(test, smp_call_on_cpu(b, pcp_work_fn, wb, false), 0);
	KUNIT_ASSERT_EQ(test, wa->err, 0);
	KUNIT_ASSERT_EQ(test, wb->err, 0);
	get_stats(tr, &s[0]);
	KUNIT_EXPECT_EQ(test, s[0].pcp_pages, 2UL * PCP_BATCH - 1);
	KUNIT_EXPECT_EQ(test, s[0].alloc_pages, 1UL);

	myslab_pcp_drain_cpu(tr->region, b);
	get_stats(tr, &s[1]);
	KUNIT_EXPECT_EQ(test, s[1].pcp_pages, (unsigned long)PCP_BATCH);
	KUNIT_EXPECT_EQ(test, s[1].alloc_pages, 1UL);
	KUNIT_EXPECT_EQ(test, s[1].free_pages, s[1].nr_pages - PCP_BATCH - 1);
	KUNIT_EXPECT_EQ(test, s[1].pcp_drains, s[0].pcp_drains + 1);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);

	/* Again: nothing left there, nothing done. Then CPU a's cache. */
	myslab_pcp_drain_cpu(tr->region, b);
	myslab_pcp_drain_cpu(tr->region, a);
	get_stats(tr, &s[2]);
	KUNIT_EXPECT_EQ(test, s[2].pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s[2].alloc_pages, 1UL);
	KUNIT_EXPECT_EQ(test, s[2].free_pages, s[2].nr_pages - 1);
	KUNIT_EXPECT_EQ(test, s[2].pcp_drains, s[1].pcp_drains + 1);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);

	/* The page CPU b handed out is freed anywhere; everything merges back. */
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, wb->pages[2], 0), 0);
	myslab_drain_pcp(tr->region);
	get_stats(tr, &s[2]);
	KUNIT_EXPECT_EQ(test, s[2].free_pages, s[2].nr_pages);
	KUNIT_EXPECT_EQ(test, s[2].nr_free[10], 1UL);
}

struct cross_cpu {
	struct myslab_region *region;
	void *pages[PCP_BATCH * 3];
	int err;
};

static int cross_alloc(void *arg)
{
	struct cross_cpu *x = arg;
	int i;

	for (i = 0; i < ARRAY_SIZE(x->pages); i++) {
		x->pages[i] = myslab_alloc_pages(x->region, 0, GFP_KERNEL);
		if (!x->pages[i])
			x->err = -ENOMEM;
	}
	return 0;
}

static int cross_free(void *arg)
{
	struct cross_cpu *x = arg;
	int i;

	for (i = 0; i < ARRAY_SIZE(x->pages); i++)
		if (x->pages[i] && myslab_free_pages(x->region, x->pages[i], 0))
			x->err = -EINVAL;
	return 0;
}

/*
 * Pages allocated on one CPU and freed on another: the caches' counters go
 * negative on one side and positive on the other, and still add up.
 */
static void pcp_cross_cpu_free(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct cross_cpu *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);
	struct myslab_buddy_stats s;
	int a, b;

	KUNIT_ASSERT_NOT_NULL(test, x);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	a = cpumask_first(cpu_online_mask);
	b = cpumask_next(a, cpu_online_mask);
	x->region = tr->region;

	KUNIT_ASSERT_EQ(test, smp_call_on_cpu(a, cross_alloc, x, false), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, (unsigned long)ARRAY_SIZE(x->pages));
	KUNIT_ASSERT_EQ(test, smp_call_on_cpu(b, cross_free, x, false), 0);
	KUNIT_EXPECT_EQ(test, x->err, 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.free_pages + s.pcp_pages, s.nr_pages);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);

	myslab_drain_pcp(tr->region);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.free_pages, s.nr_pages);
	KUNIT_EXPECT_EQ(test, s.nr_free[10], 1UL);
}

/* A page freed into a cache, freed again, is a double free. */
static void pcp_double_free_detected(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats before;
	void *p = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), 0);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), -EALREADY);
	expect_only_invalid_free_counted(test, tr, &before);

	/* Once drained, the page is on the free lists: still a double free. */
	myslab_drain_pcp(tr->region);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), -EALREADY);
	expect_only_invalid_free_counted(test, tr, &before);

	/* A tail page and a slab page through the cached path. */
	p = myslab_alloc_pages(tr->region, 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p + PAGE_SIZE, 0), -EINVAL);
	expect_only_invalid_free_counted(test, tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 1), 0);
	p = myslab_alloc_slab_block(tr->region, 0, GFP_KERNEL, tr);
	KUNIT_ASSERT_NOT_NULL(test, p);
	get_stats(tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), -EBUSY);
	expect_only_invalid_free_counted(test, tr, &before);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, p, 0), 0);
	tr->expected_invalid_frees += 4;
}

/*
 * Every kind of refused free, through the per-CPU path where it is one:
 * checked before interrupts go off and before any lock, each is refused
 * with its errno and writes nothing, neither a page descriptor of the
 * region nor a cache (the page counts and the accounting).
 */
static void pcp_refused_frees_write_nothing(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_region *r = tr->region;
	size_t bytes = r->nr_pages * sizeof(*r->pages);
	struct myslab_buddy_stats before;
	void *p0, *cached, *p2, *slab;
	struct myslab_page *snap;
	unsigned int i;
	struct {
		void *addr;
		unsigned int order;
		int err;
	} bad[8];

	snap = kunit_kmalloc(test, bytes, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	p0 = myslab_alloc_pages(r, 0, GFP_KERNEL);
	cached = myslab_alloc_pages(r, 0, GFP_KERNEL);
	p2 = myslab_alloc_pages(r, 2, GFP_KERNEL);
	slab = myslab_alloc_slab_block(r, 0, GFP_KERNEL, tr);
	KUNIT_ASSERT_NOT_NULL(test, p0);
	KUNIT_ASSERT_NOT_NULL(test, cached);
	KUNIT_ASSERT_NOT_NULL(test, p2);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	KUNIT_ASSERT_EQ(test, myslab_free_pages(r, cached, 0), 0);

	bad[0] = (typeof(bad[0])){ tr->base + tr->size, 0, -EFAULT };
	bad[1] = (typeof(bad[0])){ tr->base - PAGE_SIZE, 0, -EFAULT };
	bad[2] = (typeof(bad[0])){ p0 + 8, 0, -EINVAL };
	bad[3] = (typeof(bad[0])){ p0, 11, -EINVAL };
	bad[4] = (typeof(bad[0])){ p2 + PAGE_SIZE, 0, -EINVAL };
	bad[5] = (typeof(bad[0])){ cached, 0, -EALREADY };
	bad[6] = (typeof(bad[0])){ p2, 0, -ERANGE };
	bad[7] = (typeof(bad[0])){ slab, 0, -EBUSY };
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(snap, r->pages, bytes);
		get_stats(tr, &before);
		KUNIT_EXPECT_EQ_MSG(test, myslab_free_pages(r, bad[i].addr, bad[i].order),
				    bad[i].err, "refused free %u", i);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(snap, r->pages, bytes), 0,
				    "refused free %u wrote a descriptor", i);
		expect_only_invalid_free_counted(test, tr, &before);
	}
	tr->expected_invalid_frees += ARRAY_SIZE(bad);

	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(r, slab, 0), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(r, p2, 2), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(r, p0, 0), 0);
}

/*
 * Two CPUs freeing the same block at once: each free checks the block's
 * state with no lock of the region held, so only an atomic claim of its
 * head keeps both from accepting it and listing it in two caches. Two
 * kthreads bound to two CPUs are released together RACE_ROUNDS times, each
 * round on a fresh block of the next order the caches keep (0 to
 * MYSLAB_PCP_MAX_ORDER in turn); they meet at a spinning rendezvous so that
 * their frees overlap.
 */
#define RACE_ROUNDS	2000

struct free_race;

struct race_racer {
	struct free_race *fr;
	struct task_struct *task;
	struct completion go;		/* a round starts, or fr->stop */
	int err;			/* this round's free */
};

struct free_race {
	struct myslab_region *region;
	void *page;			/* the block both free this round */
	unsigned int order;		/* its order */
	atomic_t arrived;		/* racers at the rendezvous */
	atomic_t finished;		/* racers done with this round */
	struct completion done;		/* both finished */
	bool stop;
	struct race_racer racer[2];
};

static int race_thread_fn(void *arg)
{
	struct race_racer *rr = arg;
	struct free_race *fr = rr->fr;
	unsigned long flags;

	for (;;) {
		wait_for_completion(&rr->go);
		if (READ_ONCE(fr->stop))
			break;
		/*
		 * The rendezvous spins with interrupts on: a racer spinning
		 * with them off while the other CPU waits for it to answer an
		 * IPI (a TLB flush) would deadlock the two. Off only for the
		 * free itself, so nothing comes between the two frees.
		 */
		myslab_test_pin();
		atomic_inc(&fr->arrived);
		while (atomic_read(&fr->arrived) < 2)
			cpu_relax();
		flags = myslab_test_irq_save();
		rr->err = myslab_free_pages(fr->region, fr->page, fr->order);
		myslab_test_irq_restore(flags);
		myslab_test_unpin();
		if (atomic_inc_return(&fr->finished) == 2)
			complete(&fr->done);
	}
	return 0;
}

static void pcp_double_free_race(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct free_race *fr = kunit_kzalloc(test, sizeof(*fr), GFP_KERNEL);
	unsigned long accepted = 0, reported = 0, other = 0;
	unsigned long by_order[MYSLAB_PCP_MAX_ORDER + 1] = {};
	struct myslab_buddy_stats before, after;
	unsigned int round, i, nr_started = 0;
	int cpu[2], e0, e1;

	KUNIT_ASSERT_NOT_NULL(test, fr);
	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs to race two frees");
	cpu[0] = cpumask_first(cpu_online_mask);
	cpu[1] = cpumask_next(cpu[0], cpu_online_mask);
	fr->region = tr->region;
	init_completion(&fr->done);
	for (i = 0; i < 2; i++) {
		struct race_racer *rr = &fr->racer[i];

		rr->fr = fr;
		init_completion(&rr->go);
		rr->task = kthread_create_on_cpu(race_thread_fn, rr, cpu[i],
						 "myslab_race/%u");
		if (IS_ERR(rr->task)) {
			rr->task = NULL;
			break;
		}
		/* A racer exits on fr->stop, maybe before kthread_stop(). */
		get_task_struct(rr->task);
		wake_up_process(rr->task);
		nr_started++;
	}

	get_stats(tr, &before);
	for (round = 0; nr_started == 2 && round < RACE_ROUNDS; round++) {
		fr->order = round % (MYSLAB_PCP_MAX_ORDER + 1);
		fr->page = myslab_alloc_pages(tr->region, fr->order, GFP_KERNEL);
		if (!fr->page)
			break;
		atomic_set(&fr->arrived, 0);
		atomic_set(&fr->finished, 0);
		reinit_completion(&fr->done);
		/*
		 * Both are woken before either runs: a racer sharing this CPU
		 * would otherwise spin at the rendezvous, interrupts off,
		 * before the other racer was ever woken.
		 */
		preempt_disable();
		complete(&fr->racer[0].go);
		complete(&fr->racer[1].go);
		preempt_enable();
		wait_for_completion(&fr->done);

		e0 = fr->racer[0].err;
		e1 = fr->racer[1].err;
		accepted += !e0 + !e1;
		by_order[fr->order] += !e0 + !e1;
		reported += (e0 == -EALREADY) + (e1 == -EALREADY);
		other += (e0 && e0 != -EALREADY) + (e1 && e1 != -EALREADY);
		/* Both accepted: the block is in two caches, stop here. */
		if (!!e0 == !!e1) {
			KUNIT_FAIL(test, "round %u: frees on CPUs %d, %d returned %d, %d",
				   round, cpu[0], cpu[1], e0, e1);
			round++;
			break;
		}
	}

	WRITE_ONCE(fr->stop, true);
	for (i = 0; i < nr_started; i++) {
		complete(&fr->racer[i].go);
		kthread_stop(fr->racer[i].task);
		put_task_struct(fr->racer[i].task);
	}
	KUNIT_ASSERT_EQ_MSG(test, nr_started, 2U, "racer threads not started");
	get_stats(tr, &after);
	/* Each round planted one double free: the fixture expects them all. */
	tr->expected_invalid_frees += round;

	kunit_info(test, "CPUs %d and %d: %u rounds, %lu frees accepted, %lu reported as double frees, %lu other errors, invalid_frees %lu\n",
		   cpu[0], cpu[1], round, accepted, reported, other,
		   after.invalid_frees - before.invalid_frees);
	KUNIT_EXPECT_EQ(test, round, (unsigned int)RACE_ROUNDS);
	KUNIT_EXPECT_EQ(test, accepted, (unsigned long)round);
	KUNIT_EXPECT_EQ(test, reported, (unsigned long)round);
	KUNIT_EXPECT_EQ(test, other, 0UL);
	KUNIT_EXPECT_EQ(test, after.invalid_frees - before.invalid_frees,
			(unsigned long)round);
	KUNIT_EXPECT_EQ(test, after.alloc_pages, 0UL);
	for (i = 0; i <= MYSLAB_PCP_MAX_ORDER; i++)
		KUNIT_EXPECT_EQ_MSG(test, after.frees[i] - before.frees[i],
				    by_order[i], "order %u", i);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
}

/*
 * An interrupt that finds its CPU's page cache locked (it interrupted that
 * CPU's own fast path) goes to the free lists under the region's lock and
 * leaves the cache alone: the cache's lock is only tried, with interrupts
 * on, so the interrupt really does arrive inside the section. The irq_work
 * runs in hard interrupt context without PREEMPT_RT and in its CPU's
 * irq_work thread with it; either way on this CPU, while the case holds the
 * cache's lock.
 */
struct pcp_irq_ctx {
	struct irq_work work;
	struct myslab_region *region;
	struct myslab_pcp saved;	/* the locked cache's lists and counts */
	void *pages[MYSLAB_PCP_ORDERS];
	int free_err[MYSLAB_PCP_ORDERS];
	int double_free_err;
	bool hardirq;
	int cpu;
	bool done;
};

static void pcp_irq_fn(struct irq_work *work)
{
	struct pcp_irq_ctx *ctx = container_of(work, struct pcp_irq_ctx, work);
	unsigned int k;

	ctx->cpu = smp_processor_id();
	ctx->hardirq = in_hardirq();
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++)
		ctx->pages[k] = myslab_alloc_pages(ctx->region, k, GFP_ATOMIC);
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++)
		ctx->free_err[k] = ctx->pages[k] ?
			myslab_free_pages(ctx->region, ctx->pages[k], k) : -ENOMEM;
	ctx->double_free_err = ctx->pages[0] ?
		myslab_free_pages(ctx->region, ctx->pages[0], 0) : -ENOMEM;
	/* The case reads the results once this is seen. */
	smp_store_release(&ctx->done, true);
}

static void pcp_locked_irq_falls_back(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct pcp_irq_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct myslab_buddy_stats *s = kunit_kcalloc(test, 2, sizeof(*s), GFP_KERNEL);
	void *hot[MYSLAB_PCP_ORDERS];
	struct myslab_pcp *pcp;
	unsigned long deadline;
	unsigned int k;
	bool same;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_NOT_NULL(test, s);
	ctx->region = tr->region;
	ctx->cpu = -1;
	init_irq_work(&ctx->work, pcp_irq_fn);

	migrate_disable();
	cpu = smp_processor_id();
	/* A block of every order in this CPU's cache, the hottest first. */
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		hot[k] = myslab_alloc_pages(tr->region, k, GFP_KERNEL);
		if (hot[k])
			myslab_free_pages(tr->region, hot[k], k);
	}
	get_stats(tr, &s[0]);

	/* Locked as the fast path locks it, and the interrupt comes. */
	myslab_cpu_pin();
	pcp = this_cpu_ptr(tr->region->pcp);
	spin_lock(&pcp->lock);
	memcpy(ctx->saved.blocks, pcp->blocks, sizeof(pcp->blocks));
	memcpy(ctx->saved.allocs, pcp->allocs, sizeof(pcp->allocs));
	memcpy(ctx->saved.frees, pcp->frees, sizeof(pcp->frees));
	ctx->saved.pages = pcp->pages;
	ctx->saved.alloc_delta = pcp->alloc_delta;
	irq_work_queue(&ctx->work);
	deadline = jiffies + 10 * HZ;
	/* Pairs with pcp_irq_fn()'s release: its results are visible. */
	while (!smp_load_acquire(&ctx->done) && time_before(jiffies, deadline))
		cpu_relax();
	/* Nothing of the cache moved while the interrupt ran. */
	same = !memcmp(ctx->saved.blocks, pcp->blocks, sizeof(pcp->blocks)) &&
	       !memcmp(ctx->saved.allocs, pcp->allocs, sizeof(pcp->allocs)) &&
	       !memcmp(ctx->saved.frees, pcp->frees, sizeof(pcp->frees)) &&
	       ctx->saved.pages == pcp->pages &&
	       ctx->saved.alloc_delta == pcp->alloc_delta;
	spin_unlock(&pcp->lock);
	myslab_cpu_unpin();
	migrate_enable();
	irq_work_sync(&ctx->work);

	/* irq_work_sync() waited for it: a plain read is enough. */
	KUNIT_ASSERT_TRUE_MSG(test, READ_ONCE(ctx->done), "the irq_work never ran");
	tr->expected_invalid_frees++;
	KUNIT_EXPECT_TRUE(test, same);
	KUNIT_EXPECT_EQ(test, ctx->cpu, cpu);
	KUNIT_EXPECT_EQ(test, ctx->hardirq, !IS_ENABLED(CONFIG_PREEMPT_RT));
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		KUNIT_ASSERT_NOT_NULL_MSG(test, hot[k], "order %u", k);
		KUNIT_ASSERT_NOT_NULL_MSG(test, ctx->pages[k], "order %u", k);
		/* Served by the free lists: not the cache's hottest block. */
		KUNIT_EXPECT_PTR_NE_MSG(test, ctx->pages[k], hot[k], "order %u", k);
		KUNIT_EXPECT_EQ_MSG(test, ctx->free_err[k], 0, "order %u", k);
	}
	KUNIT_EXPECT_EQ(test, ctx->double_free_err, -EALREADY);

	get_stats(tr, &s[1]);
	KUNIT_EXPECT_EQ(test, s[1].pcp_busy, s[0].pcp_busy + 2 * MYSLAB_PCP_ORDERS);
	KUNIT_EXPECT_EQ(test, s[1].invalid_frees, s[0].invalid_frees + 1);
	KUNIT_EXPECT_EQ(test, s[1].pcp_pages, s[0].pcp_pages);
	KUNIT_EXPECT_EQ(test, s[1].free_pages, s[0].free_pages);
	KUNIT_EXPECT_EQ(test, s[1].alloc_pages, s[0].alloc_pages);
	KUNIT_EXPECT_EQ(test, s[1].pcp_refills, s[0].pcp_refills);
	KUNIT_EXPECT_EQ(test, s[1].pcp_drains, s[0].pcp_drains);
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		KUNIT_EXPECT_EQ_MSG(test, s[1].allocs[k], s[0].allocs[k] + 1,
				    "order %u", k);
		KUNIT_EXPECT_EQ_MSG(test, s[1].frees[k], s[0].frees[k] + 1,
				    "order %u", k);
	}
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
}

/*
 * Pages sitting in a cache still count as free memory: an allocation that
 * needs them drains the caches and succeeds. A 1 MiB region with max_order 8
 * is one block; after one page went through a cache, only a drain can
 * rebuild it.
 */
static void pcp_exhaustion_drains_caches(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, SZ_1M, 8, PCP_BATCH);
	struct myslab_buddy_stats s;
	void *p, *all;

	p = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.pcp_pages, (unsigned long)PCP_BATCH);
	KUNIT_EXPECT_EQ(test, s.nr_free[8], 0UL);

	all = myslab_alloc_pages(tr->region, 8, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, all, tr->base);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.failed, 0UL);
	KUNIT_EXPECT_EQ(test, s.pcp_pages, 0UL);
	if (all)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, all, 8), 0);
}

/* Every page can be allocated one by one even with caches on all CPUs. */
static void pcp_order0_exhaustion(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, SZ_1M, 8, PCP_BATCH);
	void **pages = kunit_kcalloc(test, 256, sizeof(*pages), GFP_KERNEL);
	struct myslab_buddy_stats s;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < 256; i++) {
		pages[i] = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOWARN));
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, 256UL);
	KUNIT_EXPECT_EQ(test, s.failed, 1UL);
	for (i = 0; i < 256; i++)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, pages[i], 0), 0);
	myslab_drain_pcp(tr->region);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.nr_free[8], 1UL);
}

/*
 * Page blocks of orders 1 to 3 are cached per CPU too: a refill moves a
 * batch's worth of blocks (at least one), a free puts the block at the
 * head and the next allocation of that order takes it back without
 * touching the free lists; the cache counts pages whatever the orders.
 */
static void pcp_keeps_orders_up_to_3(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	struct myslab_buddy_stats *s = kunit_kcalloc(test, 3, sizeof(*s), GFP_KERNEL);
	void *a, *b, *c;
	int err = 0;

	KUNIT_ASSERT_NOT_NULL(test, s);
	myslab_test_pin();
	a = myslab_alloc_pages(tr->region, 3, GFP_ATOMIC);	/* one block */
	get_stats(tr, &s[0]);
	err |= a ? myslab_free_pages(tr->region, a, 3) : -ENOMEM;
	b = myslab_alloc_pages(tr->region, 3, GFP_ATOMIC);	/* the same, hot */
	c = myslab_alloc_pages(tr->region, 1, GFP_ATOMIC);	/* 4 blocks */
	get_stats(tr, &s[1]);
	err |= b ? myslab_free_pages(tr->region, b, 3) : -ENOMEM;
	err |= c ? myslab_free_pages(tr->region, c, 1) : -ENOMEM;
	get_stats(tr, &s[2]);
	myslab_test_unpin();

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	KUNIT_EXPECT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, s[0].pcp_refills, 1UL);
	KUNIT_EXPECT_EQ(test, s[0].pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s[0].free_pages, s[0].nr_pages - 8);
	KUNIT_EXPECT_EQ(test, s[0].allocs[3], 1UL);
	KUNIT_EXPECT_EQ(test, s[1].pcp_refills, 2UL);
	KUNIT_EXPECT_EQ(test, s[1].pcp_pages, 3 * 2UL);
	KUNIT_EXPECT_EQ(test, s[1].free_pages, s[1].nr_pages - 8 - 4 * 2);
	KUNIT_EXPECT_EQ(test, s[1].allocs[3], 2UL);
	KUNIT_EXPECT_EQ(test, s[1].frees[3], 1UL);
	KUNIT_EXPECT_EQ(test, s[2].pcp_pages, 8 + 4 * 2UL);
	KUNIT_EXPECT_EQ(test, s[2].alloc_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s[2].frees[1], 1UL);
	KUNIT_EXPECT_EQ(test, s[2].pcp_drains, 0UL);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);

	myslab_drain_pcp(tr->region);
	get_stats(tr, &s[0]);
	KUNIT_EXPECT_EQ(test, s[0].pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s[0].free_pages, s[0].nr_pages);
	KUNIT_EXPECT_EQ(test, s[0].nr_free[10], 1UL);
}

/*
 * Pages follow the kernel's zeroing policy of this boot: a dirty block
 * freed and taken back (the same block, hot in this CPU's cache) reads as
 * zero exactly when init_on_alloc or init_on_free is on, and __GFP_ZERO
 * zeroes it either way. make test boots one debug kernel with both
 * policies on and the other with both off.
 */
static void pcp_pages_follow_init_policy(struct kunit *test)
{
	struct myslab_test_region *tr = test->priv;
	bool policy = want_init_on_alloc(0) || want_init_on_free();
	const size_t size = PAGE_SIZE << 2;
	bool zero[2] = { false, false };
	void *p, *q[2];
	int err = 0;

	myslab_test_pin();
	p = myslab_alloc_pages(tr->region, 2, GFP_ATOMIC);
	if (p) {
		memset(p, 0xa5, size);
		err |= myslab_free_pages(tr->region, p, 2);
	}
	q[0] = myslab_alloc_pages(tr->region, 2, GFP_ATOMIC);
	if (q[0]) {
		zero[0] = !memchr_inv(q[0], 0, size);
		memset(q[0], 0xa5, size);
		err |= myslab_free_pages(tr->region, q[0], 2);
	}
	q[1] = myslab_alloc_pages(tr->region, 2, GFP_ATOMIC | __GFP_ZERO);
	if (q[1]) {
		zero[1] = !memchr_inv(q[1], 0, size);
		err |= myslab_free_pages(tr->region, q[1], 2);
	}
	myslab_test_unpin();

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, q[0], p);
	KUNIT_EXPECT_PTR_EQ(test, q[1], p);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ_MSG(test, zero[0], policy, "init_on_alloc %d, init_on_free %d",
			    want_init_on_alloc(0), want_init_on_free());
	KUNIT_EXPECT_TRUE(test, zero[1]);
}

static struct kunit_case pcp_cases[] = {
	KUNIT_CASE(pcp_refills_in_batches),
	KUNIT_CASE(pcp_drains_above_high),
	KUNIT_CASE(pcp_drain_empties_every_cpu),
	KUNIT_CASE(pcp_drain_cpu_remote),
	KUNIT_CASE(pcp_cross_cpu_free),
	KUNIT_CASE(pcp_double_free_detected),
	KUNIT_CASE(pcp_refused_frees_write_nothing),
	KUNIT_CASE(pcp_double_free_race),
	KUNIT_CASE(pcp_locked_irq_falls_back),
	KUNIT_CASE(pcp_exhaustion_drains_caches),
	KUNIT_CASE(pcp_order0_exhaustion),
	KUNIT_CASE(pcp_keeps_orders_up_to_3),
	KUNIT_CASE(pcp_pages_follow_init_policy),
	{}
};

static struct kunit_suite pcp_suite = {
	.name = "myslab_buddy_pcp",
	.init = pcp_test_init,
	.test_cases = pcp_cases,
};

/* === Suite myslab_buddy_concurrency === */

/*
 * Each thread makes TORTURE_STEPS steps, frees what it holds, says it is
 * done and waits to be stopped: the case runs as long as its work takes,
 * never for a fixed time, so a slow or loaded machine makes it slower, not
 * weaker. Meanwhile the test thread drains the per-CPU page lists and reads the
 * counters, and the threads go on until it has done so TORTURE_MIN_ROUNDS
 * times, so the two always overlap. A thread still working after
 * TORTURE_STUCK_S is stuck: the case fails rather than wait forever.
 */
#define TORTURE_STEPS		2000
#define TORTURE_MIN_ROUNDS	8
#define TORTURE_STUCK_S		300
#define TORTURE_THREADS_PER_CPU	2
#define TORTURE_HELD		64
#define TORTURE_POOL		128
/* Small enough that the threads run it full now and then. */
#define TORTURE_SIZE		SZ_2M

struct torture;

/* One thread's private state and tallies. */
struct torture_thread {
	struct torture *t;
	struct task_struct *task;
	void *held[TORTURE_HELD];
	u8 held_order[TORTURE_HELD];
	unsigned long allocs[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long frees[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long failed;
	unsigned long corrupt;
	unsigned long bad_frees;
	unsigned long steps;
};

/* Blocks handed between threads, so that frees happen on other CPUs. */
struct torture {
	struct myslab_region *region;
	spinlock_t pool_lock;		/* protects the pool */
	void *pool[TORTURE_POOL];
	u8 pool_order[TORTURE_POOL];
	unsigned int pool_count;
	unsigned int nr_threads;
	struct torture_thread *threads;
	atomic_t working;		/* threads not done with their steps */
	atomic_t rounds;		/* drains the test thread has made */
	wait_queue_head_t done;		/* woken when the last one is done */
};

static unsigned int torture_order(void)
{
	u32 dice = get_random_u32_below(100);

	if (dice < 50)
		return 0;
	if (dice < 90)
		return 1 + get_random_u32_below(3);
	return 4 + get_random_u32_below(3);
}

static void torture_free(struct torture_thread *tt, void *block, unsigned int order)
{
	if (!stamp_intact(block, order))
		tt->corrupt++;
	if (myslab_free_pages(tt->t->region, block, order))
		tt->bad_frees++;
	else
		tt->frees[order]++;
}

static bool pool_put(struct torture *t, void *block, unsigned int order)
{
	bool done = false;

	spin_lock(&t->pool_lock);
	if (t->pool_count < TORTURE_POOL) {
		t->pool[t->pool_count] = block;
		t->pool_order[t->pool_count++] = order;
		done = true;
	}
	spin_unlock(&t->pool_lock);
	return done;
}

static void *pool_get(struct torture *t, unsigned int *order)
{
	void *block = NULL;

	spin_lock(&t->pool_lock);
	if (t->pool_count) {
		block = t->pool[--t->pool_count];
		*order = t->pool_order[t->pool_count];
	}
	spin_unlock(&t->pool_lock);
	return block;
}

static void torture_step(struct torture_thread *tt)
{
	struct torture *t = tt->t;
	unsigned int slot = get_random_u32_below(TORTURE_HELD), order;
	unsigned long flags;
	bool irqs_off;
	void *block;

	if (tt->held[slot]) {
		if (get_random_u32_below(4) ||
		    !pool_put(t, tt->held[slot], tt->held_order[slot]))
			torture_free(tt, tt->held[slot], tt->held_order[slot]);
		tt->held[slot] = NULL;
		return;
	}

	block = get_random_u32_below(4) ? NULL : pool_get(t, &order);
	if (block) {
		torture_free(tt, block, order);
		return;
	}

	order = torture_order();
	irqs_off = !get_random_u32_below(4);
	if (irqs_off) {
		myslab_test_pin();
		flags = myslab_test_irq_save();
		block = myslab_alloc_pages(t->region, order, GFP_ATOMIC | __GFP_NOWARN);
		myslab_test_irq_restore(flags);
		myslab_test_unpin();
	} else {
		block = myslab_alloc_pages(t->region, order, GFP_KERNEL | __GFP_NOWARN);
	}
	if (!block) {
		tt->failed++;
		return;
	}
	tt->allocs[order]++;
	stamp_block(block, order);
	tt->held[slot] = block;
	tt->held_order[slot] = order;
}

static int torture_thread_fn(void *arg)
{
	struct torture_thread *tt = arg;
	struct torture *t = tt->t;
	unsigned int i;

	while (tt->steps < TORTURE_STEPS ||
	       atomic_read(&t->rounds) < TORTURE_MIN_ROUNDS) {
		/* Only a case that gave up on a stuck thread stops one early. */
		if (kthread_should_stop())
			break;
		torture_step(tt);
		if (!(++tt->steps % 32))
			cond_resched();
	}
	for (i = 0; i < TORTURE_HELD; i++)
		if (tt->held[i])
			torture_free(tt, tt->held[i], tt->held_order[i]);
	if (atomic_dec_and_test(&t->working))
		wake_up(&t->done);

	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static const unsigned int torture_batches[] = { 0, PCP_BATCH };

static void batch_desc(const unsigned int *batch, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "pcp_batch %u", *batch);
}

KUNIT_ARRAY_PARAM(torture_batches, torture_batches, batch_desc);

/*
 * Two threads per online CPU, each bound to its CPU, allocate random orders
 * (a quarter with interrupts off), stamp every page, free their own blocks
 * or hand them to another thread through a shared pool, TORTURE_STEPS
 * steps each, while the test thread drains the per-CPU page lists and reads the
 * counters. Then: every thread did its steps, no stamp broken, no free
 * refused, the region's per-order counters equal the threads' tallies, and
 * everything merges back.
 */
static void concurrent_alloc_free_all_cpus(struct kunit *test)
{
	unsigned int batch = *(const unsigned int *)test->param_value;
	struct myslab_test_region *tr = myslab_test_region_create(test, TORTURE_SIZE, 10, batch);
	unsigned long allocs = 0, frees = 0, failed = 0, corrupt = 0, bad = 0;
	struct block_map *initial = kunit_kzalloc(test, sizeof(*initial), GFP_KERNEL);
	struct torture *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct myslab_buddy_stats s;
	unsigned long give_up;
	unsigned int i, k, n = 0, order;
	void *block;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, initial);
	KUNIT_ASSERT_NOT_NULL(test, t);
	take_map(test, tr, initial);
	t->region = tr->region;
	spin_lock_init(&t->pool_lock);
	init_waitqueue_head(&t->done);
	t->nr_threads = num_online_cpus() * TORTURE_THREADS_PER_CPU;
	t->threads = kunit_kcalloc(test, t->nr_threads, sizeof(*t->threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->threads);

	for_each_online_cpu(cpu) {
		for (i = 0; i < TORTURE_THREADS_PER_CPU && n < t->nr_threads; i++, n++) {
			struct torture_thread *tt = &t->threads[n];

			tt->t = t;
			tt->task = kthread_create_on_cpu(torture_thread_fn, tt, cpu,
							 "myslab_torture/%u");
			if (IS_ERR(tt->task))
				tt->task = NULL;
		}
	}
	for (i = 0; i < n; i++)
		if (t->threads[i].task)
			atomic_inc(&t->working);
	for (i = 0; i < n; i++)
		if (t->threads[i].task)
			wake_up_process(t->threads[i].task);

	/* Meanwhile: remote drains and counter reads race with the threads. */
	give_up = jiffies + TORTURE_STUCK_S * HZ;
	while (atomic_read(&t->working) && time_before(jiffies, give_up)) {
		myslab_drain_pcp(tr->region);
		get_stats(tr, &s);
		atomic_inc(&t->rounds);
		usleep_range(500, 1000);
	}
	if (!wait_event_timeout(t->done, !atomic_read(&t->working),
				TORTURE_STUCK_S * HZ))
		KUNIT_FAIL(test, "%d threads still working after %d s",
			   atomic_read(&t->working), TORTURE_STUCK_S);
	for (i = 0; i < n; i++)
		if (t->threads[i].task)
			kthread_stop(t->threads[i].task);
	while ((block = pool_get(t, &order)))
		torture_free(&t->threads[0], block, order);

	for (i = 0; i < n; i++) {
		struct torture_thread *tt = &t->threads[i];

		KUNIT_EXPECT_NOT_NULL_MSG(test, tt->task, "thread %u not started", i);
		KUNIT_EXPECT_GE_MSG(test, tt->steps, TORTURE_STEPS, "thread %u", i);
		failed += tt->failed;
		corrupt += tt->corrupt;
		bad += tt->bad_frees;
	}
	myslab_drain_pcp(tr->region);
	get_stats(tr, &s);
	for (k = 0; k <= 10; k++) {
		unsigned long a = 0, f = 0;

		for (i = 0; i < n; i++) {
			a += t->threads[i].allocs[k];
			f += t->threads[i].frees[k];
		}
		KUNIT_EXPECT_EQ_MSG(test, s.allocs[k], a, "order %u", k);
		KUNIT_EXPECT_EQ_MSG(test, s.frees[k], f, "order %u", k);
		allocs += a;
		frees += f;
	}
	KUNIT_EXPECT_EQ(test, corrupt, 0UL);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, allocs, frees);
	/* Work was done: most steps of an emptying region allocate. */
	KUNIT_EXPECT_GT(test, allocs, (unsigned long)n * TORTURE_STEPS / 8);
	KUNIT_EXPECT_GE(test, atomic_read(&t->rounds), TORTURE_MIN_ROUNDS);
	KUNIT_EXPECT_EQ(test, s.failed, failed);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.free_pages, s.nr_pages);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
	expect_same_map(test, initial, tr);
	kunit_info(test, "%u threads, %lu allocations, %lu failed (region full), %lu splits, %lu merges: End of test: %s\n",
		   n, allocs, failed, s.splits, s.merges,
		   corrupt || bad || allocs != frees ? "FAILURE" : "SUCCESS");
}

static struct kunit_case concurrency_cases[] = {
	KUNIT_CASE_PARAM(concurrent_alloc_free_all_cpus, torture_batches_gen_params),
	{}
};

static struct kunit_suite concurrency_suite = {
	.name = "myslab_buddy_concurrency",
	.test_cases = concurrency_cases,
};

kunit_test_suites(&buddy_suite, &pcp_suite, &concurrency_suite);

MODULE_DESCRIPTION("KUnit suites for myslab");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(MYSLAB_NS);
