// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite myslab_buddy_debug: the buddy allocator's debugging, each case
 * on a private region (test_helpers.h) checked and destroyed when it ends.
 *
 *  fault injection	a seam hook failing every n-th allocation, and the
 *			kernel's fault_attr at several probabilities: every
 *			failure is counted as injected, and once everything is
 *			freed the accounting is exactly balanced
 *  page poisoning	planted writes after free are found on allocation and
 *			by validation, with the exact count, once each
 *  KASAN shadow	free pages are poisoned in KASAN's shadow, handed-out
 *			ones are not (generic KASAN with KASAN_VMALLOC only)
 *  tracking hooks	page blocks, and only they, are reported to the leak
 *			tracker; kmemleak itself accepts them
 *  racing frees	two CPUs freeing one block: one free claims it and
 *			alone untracks, poisons and releases it, the other is
 *			a double free that touches nothing; a block half
 *			freed still counts, and shows, as allocated
 *  extfrag		the kernel's fragmentation formulas on hand-built free
 *			lists and on a region
 *  page map		its exact text for a known map, and full coverage
 *  counters, actions	names, reset, and every rejected debugfs write
 *
 * Planted damage is reported in myslab's own words ("poison overwritten"),
 * never as a splat; planted writes into free pages run with KASAN reports
 * off (kasan_disable_current()), since the pages are poisoned in its shadow.
 * Maps in comments: Fk free block of order k, Ak allocated, Sk slab, P a
 * page in a per-CPU page list.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/fault-inject.h>
#include <linux/irqflags.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/kasan.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <myslab/buddy.h>
#include "kernel/debugfs/debugfs_buddy.h"
#include "kernel/hooks/buddy_hooks.h"
#include "core/buddy/buddy_internal.h"
#include "test_helpers.h"

/* === Helpers === */

static void *page_at(const struct myslab_test_region *tr, unsigned long page)
{
	return tr->base + page * PAGE_SIZE;
}

static void get_stats(struct myslab_test_region *tr, struct myslab_buddy_stats *s)
{
	myslab_buddy_stats(tr->region, s);
}

/* A write into a free page: a use after free the allocator must catch. */
static void plant_byte(void *addr, u8 value)
{
	kasan_disable_current();
	WRITE_ONCE(*(u8 *)addr, value);
	kasan_enable_current();
}

/* Does free memory still hold its poison? (KASAN may call it inaccessible.) */
static bool holds_poison(const void *addr, size_t size)
{
	bool intact;

	kasan_disable_current();
	intact = !memchr_inv(addr, MYSLAB_PAGE_POISON, size);
	kasan_enable_current();
	return intact;
}

/* Poisoning, with KASAN watching the free pages when this kernel can. */
static void poison_debug(struct myslab_region_debug *debug)
{
	memset(debug, 0, sizeof(*debug));
	debug->flags = MYSLAB_DEBUG_POISON;
	myslab_kasan_hooks(debug);
}

/* === Fault injection === */

/* A seam hook failing every @n-th allocation it is asked about. */
struct every_nth {
	unsigned int n;
	unsigned int calls;
	unsigned int failed;
};

static bool fail_every_nth(void *data, unsigned int order, gfp_t gfp)
{
	struct every_nth *e = data;
	bool fail = !(++e->calls % e->n);

	e->failed += fail;
	return fail;
}

#define FAULT_SIZE	SZ_8M
#define FAULT_ROUNDS	256

/* Blocks a fault workload holds. */
struct held_block {
	void *addr;
	u8 order;
	bool slab;
};

static int free_held(struct myslab_test_region *tr, struct held_block *b)
{
	if (b->slab)
		return myslab_free_slab_block(tr->region, b->addr, b->order);
	return myslab_free_pages(tr->region, b->addr, b->order);
}

/*
 * FAULT_ROUNDS allocations of orders 0-2, every fifth a slab block, with a
 * third of the held blocks freed along the way. At most 1024 of the
 * region's 2048 pages are ever out, so every failure is an injected one.
 * Returns the number of NULL returns; everything is freed at the end.
 */
static unsigned int fault_workload(struct kunit *test,
				   struct myslab_test_region *tr)
{
	struct held_block *held = kunit_kcalloc(test, FAULT_ROUNDS, sizeof(*held),
						GFP_KERNEL);
	unsigned int i, nr = 0, nulls = 0, victim;
	struct held_block b;

	KUNIT_ASSERT_NOT_NULL(test, held);
	for (i = 0; i < FAULT_ROUNDS; i++) {
		b.order = get_random_u32_below(3);
		b.slab = !(i % 5);
		if (b.slab)
			b.addr = myslab_alloc_slab_block(tr->region, b.order,
							 GFP_KERNEL | __GFP_NOWARN, tr);
		else
			b.addr = myslab_alloc_pages(tr->region, b.order,
						    GFP_KERNEL | __GFP_NOWARN);
		if (!b.addr) {
			nulls++;
			continue;
		}
		held[nr++] = b;
		if (nr && !get_random_u32_below(3)) {
			victim = get_random_u32_below(nr);
			KUNIT_EXPECT_EQ(test, free_held(tr, &held[victim]), 0);
			held[victim] = held[--nr];
		}
	}
	while (nr)
		KUNIT_EXPECT_EQ(test, free_held(tr, &held[--nr]), 0);
	return nulls;
}

/* After a workload: everything back, counters agreeing with what was seen. */
static void expect_balanced(struct kunit *test, struct myslab_test_region *tr,
			    const struct myslab_buddy_stats *initial,
			    unsigned int nulls)
{
	struct myslab_buddy_stats s;
	unsigned long allocs = 0, frees = 0;
	unsigned int k;

	myslab_drain_pcp(tr->region);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.faults_injected, (unsigned long)nulls);
	KUNIT_EXPECT_EQ(test, s.failed, (unsigned long)nulls);
	KUNIT_EXPECT_EQ(test, s.alloc_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, s.free_pages, s.nr_pages);
	for (k = 0; k <= s.max_order; k++) {
		KUNIT_EXPECT_EQ_MSG(test, s.nr_free[k], initial->nr_free[k], "order %u", k);
		allocs += s.allocs[k];
		frees += s.frees[k];
	}
	KUNIT_EXPECT_EQ(test, allocs, frees);
	KUNIT_EXPECT_EQ(test, allocs, (unsigned long)FAULT_ROUNDS - nulls);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
}

static const unsigned int fault_intervals[] = { 1, 2, 3, 7 };

static void interval_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "every %u", *n);
}

KUNIT_ARRAY_PARAM(fault_intervals, fault_intervals, interval_desc);

/*
 * The seam alone: a hook failing every n-th allocation (n = 1: all of
 * them). The region counts exactly the hook's failures, with and without
 * per-CPU page lists, and ends exactly as it started.
 */
static void fault_seam_every_nth_balanced(struct kunit *test)
{
	unsigned int n = *(const unsigned int *)test->param_value, batch;
	struct myslab_buddy_stats initial;
	struct myslab_region_debug debug = { .should_fail = fail_every_nth };
	struct myslab_test_region *tr;
	struct every_nth e = { .n = n };
	unsigned int nulls;

	debug.data = &e;
	for (batch = 0; batch <= 8; batch += 8) {
		e.calls = 0;
		e.failed = 0;
		tr = myslab_test_region_create_debug(test, FAULT_SIZE, 10, batch, &debug);
		get_stats(tr, &initial);
		nulls = fault_workload(test, tr);
		KUNIT_EXPECT_EQ(test, e.calls, (unsigned int)FAULT_ROUNDS);
		KUNIT_EXPECT_EQ(test, e.failed, (unsigned int)FAULT_ROUNDS / n);
		KUNIT_EXPECT_EQ(test, nulls, e.failed);
		expect_balanced(test, tr, &initial, nulls);
	}
}

/* Orders the region cannot serve fail as before, without asking the hook. */
static void fault_not_asked_above_max_order(struct kunit *test)
{
	struct every_nth e = { .n = 1 };
	struct myslab_region_debug debug = {
		.should_fail = fail_every_nth,
		.data = &e,
	};
	struct myslab_test_region *tr =
		myslab_test_region_create_debug(test, SZ_1M, 8, 0, &debug);
	struct myslab_buddy_stats s;

	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 9, GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, e.calls, 0U);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.failed, 1UL);
	KUNIT_EXPECT_EQ(test, s.faults_injected, 0UL);

	/* Everything else is refused while the hook says so. */
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_ATOMIC | __GFP_NOWARN));
	KUNIT_EXPECT_NULL(test, myslab_alloc_slab_block(tr->region, 1,
							GFP_KERNEL | __GFP_NOWARN, tr));
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, e.calls, 2U);
	KUNIT_EXPECT_EQ(test, s.faults_injected, 2UL);
	KUNIT_EXPECT_EQ(test, s.failed, 3UL);
	KUNIT_EXPECT_EQ(test, s.free_pages, s.nr_pages);
}

#ifdef CONFIG_FAULT_INJECTION
/* Static: the ratelimit lock inside wants a static lockdep key. */
static DECLARE_FAULT_ATTR(test_fail_attr);
#endif

struct fault_rate {
	unsigned int probability;
	unsigned int pcp_batch;
};

static const struct fault_rate fault_rates[] = {
	{ 0, 0 }, { 10, 0 }, { 10, 8 }, { 50, 8 }, { 90, 0 }, { 100, 8 },
};

static void rate_desc(const struct fault_rate *r, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "probability %u%%, pcp_batch %u",
		 r->probability, r->pcp_batch);
}

KUNIT_ARRAY_PARAM(fault_rates, fault_rates, rate_desc);

/*
 * The kernel's fault_attr, through the hook the module gives the main
 * region, at several probabilities: 0% injects nothing, 100% fails every
 * allocation, and whatever happens in between, every NULL is counted as an
 * injected fault and the region ends balanced.
 */
static void fault_attr_rates_balanced(struct kunit *test)
{
#ifdef CONFIG_FAULT_INJECTION
	const struct fault_rate *rate = test->param_value;
	struct myslab_region_debug debug = {
		.should_fail = myslab_fault_should_fail,
		.data = &test_fail_attr,
	};
	struct myslab_buddy_stats initial;
	struct myslab_test_region *tr;
	unsigned int nulls;

	test_fail_attr.probability = rate->probability;
	test_fail_attr.interval = 1;
	test_fail_attr.verbose = 0;
	test_fail_attr.task_filter = false;
	atomic_set(&test_fail_attr.times, -1);
	atomic_set(&test_fail_attr.space, 0);

	tr = myslab_test_region_create_debug(test, FAULT_SIZE, 10, rate->pcp_batch, &debug);
	get_stats(tr, &initial);
	nulls = fault_workload(test, tr);
	if (rate->probability == 0)
		KUNIT_EXPECT_EQ(test, nulls, 0U);
	if (rate->probability == 100)
		KUNIT_EXPECT_EQ(test, nulls, (unsigned int)FAULT_ROUNDS);
	expect_balanced(test, tr, &initial, nulls);
	kunit_info(test, "%u of %u allocations failed by injection\n", nulls,
		   FAULT_ROUNDS);
	test_fail_attr.probability = 0;
#else
	kunit_skip(test, "kernel built without CONFIG_FAULT_INJECTION");
#endif
}

/*
 * One NOFAIL allocation of each kind (order-0 and order-3 pages, through
 * the per-CPU page lists, an order-2 slab block) must be served; each is
 * freed again.
 */
static void expect_nofail_served(struct kunit *test, struct myslab_test_region *tr)
{
	void *a, *b, *s;

	a = myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOFAIL);
	b = myslab_alloc_pages(tr->region, 3, GFP_KERNEL | __GFP_NOFAIL);
	s = myslab_alloc_slab_block(tr->region, 2, GFP_KERNEL | __GFP_NOFAIL, tr);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NOT_NULL(test, b);
	KUNIT_EXPECT_NOT_NULL(test, s);
	if (a)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 0), 0);
	if (b)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 3), 0);
	if (s)
		KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, s, 2), 0);
}

/*
 * __GFP_NOFAIL is never failed on purpose, as the kernel's fail_page_alloc
 * exempts it: with a hook, then the kernel's fault_attr, failing every
 * allocation they are asked about, an ordinary allocation fails (injected),
 * and NOFAIL ones of every kind are served without the hook being asked
 * (its call count, the attr's remaining times, faults_injected unchanged).
 */
static void fault_nofail_never_injected(struct kunit *test)
{
	struct every_nth e = { .n = 1 };
	struct myslab_region_debug debug = {
		.should_fail = fail_every_nth,
		.data = &e,
	};
	struct myslab_test_region *tr;
	struct myslab_buddy_stats s;

	tr = myslab_test_region_create_debug(test, SZ_1M, 8, 4, &debug);
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, e.calls, 1U);
	expect_nofail_served(test, tr);
	KUNIT_EXPECT_EQ(test, e.calls, 1U);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.faults_injected, 1UL);
	KUNIT_EXPECT_EQ(test, s.failed, 1UL);
	KUNIT_EXPECT_EQ(test, s.nofail_failed, 0UL);

#ifdef CONFIG_FAULT_INJECTION
	test_fail_attr.probability = 100;
	test_fail_attr.interval = 1;
	test_fail_attr.verbose = 0;
	test_fail_attr.task_filter = false;
	atomic_set(&test_fail_attr.times, 3);
	atomic_set(&test_fail_attr.space, 0);
	debug.should_fail = myslab_fault_should_fail;
	debug.data = &test_fail_attr;
	tr = myslab_test_region_create_debug(test, SZ_1M, 8, 4, &debug);
	KUNIT_EXPECT_NULL(test, myslab_alloc_slab_block(tr->region, 1,
							GFP_KERNEL | __GFP_NOWARN, tr));
	KUNIT_EXPECT_EQ(test, atomic_read(&test_fail_attr.times), 2);
	expect_nofail_served(test, tr);
	KUNIT_EXPECT_EQ(test, atomic_read(&test_fail_attr.times), 2);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.faults_injected, 1UL);
	KUNIT_EXPECT_EQ(test, s.failed, 1UL);
	KUNIT_EXPECT_EQ(test, s.nofail_failed, 0UL);
	test_fail_attr.probability = 0;
#endif
}

/* === Page poisoning === */

/*
 * A write after free into a free block is found when the block is handed
 * out again, one report per damaged page, however many bytes changed:
 *
 *		 0   1   2   3   4   5   6   7
 * a = alloc 3	[              A3               ]	filled with 0x5a
 * free a	[              F3               ]	poisoned 0xaa
 * plant	[ x |   |   |x x|   |   |   | x ]	3 pages damaged
 * b = alloc 3	[              A3               ]	poison_errors 3, b == a
 */
static void poison_damage_found_on_alloc(struct kunit *test)
{
	struct myslab_region_debug debug;
	struct myslab_test_region *tr;
	struct myslab_buddy_stats s;
	void *a, *b;

	poison_debug(&debug);
	tr = myslab_test_region_create_debug(test, 8 * PAGE_SIZE, 3, 0, &debug);
	KUNIT_EXPECT_TRUE(test, holds_poison(tr->base, tr->size));

	a = myslab_alloc_pages(tr->region, 3, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, a, tr->base);
	/* Handed out as it was: poison, not zeroes (no __GFP_ZERO). */
	KUNIT_EXPECT_TRUE(test, holds_poison(a, 8 * PAGE_SIZE));
	memset(a, 0x5a, 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 3), 0);
	KUNIT_EXPECT_TRUE(test, holds_poison(tr->base, tr->size));

	plant_byte(page_at(tr, 0) + 0x10, 0x00);
	plant_byte(page_at(tr, 3), 0x11);
	plant_byte(page_at(tr, 3) + PAGE_SIZE - 1, 0x22);
	plant_byte(page_at(tr, 7) + 0x800, 0xab);

	b = myslab_alloc_pages(tr->region, 3, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, b, a);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.poison_errors, 3UL);
	tr->expected_poison_errors = 3;
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 3), 0);

	/* The next allocation finds clean poison: nothing more reported. */
	b = myslab_alloc_pages(tr->region, 2, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_NULL(test, memchr_inv(b, 0, 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 2), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.poison_errors, 3UL);
}

/*
 * A page freed into a per-CPU page list is poisoned before it gets there, and
 * checked when the cache hands it out again (same CPU, preemption off).
 */
static void poison_damage_found_through_pcp(struct kunit *test)
{
	struct myslab_region_debug debug;
	struct myslab_test_region *tr;
	struct myslab_buddy_stats s;
	void *a, *b;

	poison_debug(&debug);
	tr = myslab_test_region_create_debug(test, SZ_1M, 8, 4, &debug);
	myslab_test_pin();
	a = myslab_alloc_pages(tr->region, 0, GFP_ATOMIC);
	if (a) {
		memset(a, 0x5a, PAGE_SIZE);
		myslab_free_pages(tr->region, a, 0);
		plant_byte(a + 0x123, 0x77);
	}
	b = myslab_alloc_pages(tr->region, 0, GFP_ATOMIC);
	myslab_test_unpin();

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.poison_errors, 1UL);
	tr->expected_poison_errors = 1;
	if (b)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 0), 0);
}

/*
 * Validation checks every free page, listed or cached: a damaged one is
 * reported, counted and repaired, so a second validation and a later
 * allocation of the page find nothing.
 */
static void poison_damage_found_by_validate_once(struct kunit *test)
{
	struct myslab_region_debug debug;
	struct myslab_test_region *tr;
	struct myslab_buddy_stats s;
	void *cached, *all;

	poison_debug(&debug);
	tr = myslab_test_region_create_debug(test, SZ_1M, 8, 4, &debug);

	/* One page in a per-CPU page list, the rest on the free lists. */
	cached = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cached);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, cached, 0), 0);
	plant_byte(cached + 8, 0);
	plant_byte(page_at(tr, 200) + 100, 0);
	plant_byte(page_at(tr, 255) + PAGE_SIZE - 1, 0);

	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 3);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.poison_errors, 3UL);
	tr->expected_poison_errors = 3;
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
	KUNIT_EXPECT_TRUE(test, holds_poison(page_at(tr, 200), PAGE_SIZE));

	myslab_drain_pcp(tr->region);
	all = myslab_alloc_pages(tr->region, 8, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, all, tr->base);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.poison_errors, 3UL);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, all, 8), 0);
}

#define CLEAN_BLOCKS	64

/*
 * No false positives: random allocations written all over, zeroed ones,
 * slab blocks, frees in random order through the caches and the free
 * lists: not one poison error.
 */
static void poison_clean_use_reports_nothing(struct kunit *test)
{
	struct myslab_region_debug debug;
	struct myslab_test_region *tr;
	struct myslab_buddy_stats s;
	struct held_block *held;
	unsigned int round, i, j;
	gfp_t gfp;

	poison_debug(&debug);
	tr = myslab_test_region_create_debug(test, SZ_4M, 10, 8, &debug);
	held = kunit_kcalloc(test, CLEAN_BLOCKS, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	for (round = 0; round < 4; round++) {
		for (i = 0; i < CLEAN_BLOCKS; i++) {
			held[i].order = get_random_u32_below(4);
			held[i].slab = !(i % 3);
			gfp = GFP_KERNEL;
			if (i & 1)
				gfp |= __GFP_ZERO;
			if (held[i].slab)
				held[i].addr = myslab_alloc_slab_block(tr->region, held[i].order,
								       GFP_KERNEL, tr);
			else
				held[i].addr = myslab_alloc_pages(tr->region, held[i].order, gfp);
			KUNIT_ASSERT_NOT_NULL(test, held[i].addr);
			if (i & 1 && !held[i].slab)
				KUNIT_EXPECT_NULL(test, memchr_inv(held[i].addr, 0,
								   PAGE_SIZE << held[i].order));
			memset(held[i].addr, 0x5a + i, PAGE_SIZE << held[i].order);
		}
		for (i = CLEAN_BLOCKS; i > 0; i--) {
			j = get_random_u32_below(i);
			swap(held[j], held[i - 1]);
			KUNIT_EXPECT_EQ(test, free_held(tr, &held[i - 1]), 0);
		}
	}
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.poison_errors, 0UL);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
}

/* An invalid free of a poisoned region poisons nothing and changes nothing. */
static void poison_invalid_free_leaves_block_alone(struct kunit *test)
{
	struct myslab_region_debug debug;
	struct myslab_test_region *tr;
	void *a;

	poison_debug(&debug);
	tr = myslab_test_region_create_debug(test, 8 * PAGE_SIZE, 3, 0, &debug);
	a = myslab_alloc_pages(tr->region, 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	memset(a, 0x5a, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a + PAGE_SIZE, 0), -EINVAL);
	tr->expected_invalid_frees = 2;
	/* Still the caller's: contents untouched. */
	KUNIT_EXPECT_NULL(test, memchr_inv(a, 0x5a, 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 2), 0);
}

/* === KASAN shadow === */

#if IS_ENABLED(CONFIG_KASAN_GENERIC)
/* KASAN's shadow byte for @addr, read without instrumentation. */
static noinline __no_sanitize_address u8 shadow_byte(const void *addr)
{
	return READ_ONCE(*(u8 *)kasan_mem_to_shadow(addr));
}
#else
static u8 shadow_byte(const void *addr)
{
	return 0;
}
#endif

/* mm/kasan/kasan.h's KASAN_PAGE_FREE. */
#define SHADOW_PAGE_FREE	0xff

/* Expect every 8-byte granule at the ends of each page to have @value. */
static void expect_shadow(struct kunit *test, const void *addr,
			  unsigned long pages, u8 value)
{
	unsigned long i;

	for (i = 0; i < pages; i++) {
		KUNIT_EXPECT_EQ_MSG(test, shadow_byte(addr + i * PAGE_SIZE), value,
				    "page %lu first granule", i);
		KUNIT_EXPECT_EQ_MSG(test, shadow_byte(addr + (i + 1) * PAGE_SIZE - 8),
				    value, "page %lu last granule", i);
	}
}

/*
 * Free pages are poisoned in KASAN's shadow as the kernel's free pages are
 * (KASAN_PAGE_FREE), so a use after free of a myslab page is a KASAN
 * report; allocated pages and slab blocks are accessible.
 */
static void kasan_shadow_follows_free_pages(struct kunit *test)
{
	struct myslab_region_debug debug = {};
	struct myslab_test_region *tr;
	void *a, *s;

	if (!myslab_kasan_hooks(&debug))
		kunit_skip(test, "needs generic KASAN with CONFIG_KASAN_VMALLOC");
	tr = myslab_test_region_create_debug(test, 16 * PAGE_SIZE, 4, 2, &debug);
	expect_shadow(test, tr->base, 16, SHADOW_PAGE_FREE);

	a = myslab_alloc_pages(tr->region, 2, GFP_KERNEL);
	s = myslab_alloc_slab_block(tr->region, 1, GFP_KERNEL, tr);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, s);
	expect_shadow(test, a, 4, 0);
	expect_shadow(test, s, 2, 0);
	memset(a, 1, 4 * PAGE_SIZE);
	memset(s, 2, 2 * PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 2), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, s, 1), 0);
	expect_shadow(test, a, 4, SHADOW_PAGE_FREE);
	expect_shadow(test, s, 2, SHADOW_PAGE_FREE);

	/* Through a per-CPU page list too. */
	a = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	expect_shadow(test, a, 1, 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 0), 0);
	expect_shadow(test, a, 1, SHADOW_PAGE_FREE);
}

/* === Tracking hooks === */

static atomic_t tracked_allocs, tracked_frees;
static atomic_long_t tracked_bytes;

static void count_track_alloc(const void *addr, size_t size, gfp_t gfp)
{
	atomic_inc(&tracked_allocs);
	atomic_long_add(size, &tracked_bytes);
}

static void count_track_free(const void *addr)
{
	atomic_inc(&tracked_frees);
}

/*
 * Page blocks are reported to the tracker once on allocation and once on a
 * valid free; slab blocks (the slab layer tracks its objects) and invalid
 * frees are not.
 */
static void track_hooks_see_page_blocks_only(struct kunit *test)
{
	struct myslab_region_debug debug = {
		.track_alloc = count_track_alloc,
		.track_free = count_track_free,
	};
	struct myslab_test_region *tr =
		myslab_test_region_create_debug(test, SZ_1M, 8, 4, &debug);
	void *a, *b, *c, *s;

	atomic_set(&tracked_allocs, 0);
	atomic_set(&tracked_frees, 0);
	atomic_long_set(&tracked_bytes, 0);
	a = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	b = myslab_alloc_pages(tr->region, 1, GFP_KERNEL);
	c = myslab_alloc_pages(tr->region, 3, GFP_KERNEL);
	s = myslab_alloc_slab_block(tr->region, 2, GFP_KERNEL, tr);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, atomic_read(&tracked_allocs), 3);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&tracked_bytes), 11 * (long)PAGE_SIZE);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 0), -ERANGE);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, s, 2), -EBUSY);
	tr->expected_invalid_frees = 2;
	KUNIT_EXPECT_EQ(test, atomic_read(&tracked_frees), 0);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 0), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 1), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, c, 3), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, s, 2), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&tracked_frees), 3);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 0), -EALREADY);
	tr->expected_invalid_frees++;
	KUNIT_EXPECT_EQ(test, atomic_read(&tracked_frees), 3);
}

/*
 * kmemleak accepts blocks registered inside the (untracked) region: they
 * do not overlap any object it knows. Any complaint would show in the log.
 */
static void kmemleak_tracks_page_blocks(struct kunit *test)
{
	struct myslab_region_debug debug = {};
	struct myslab_test_region *tr;
	void *blocks[32];
	unsigned int i;

	if (!myslab_kmemleak_hooks(&debug))
		kunit_skip(test, "needs CONFIG_DEBUG_KMEMLEAK");
	tr = myslab_test_region_create_debug(test, SZ_1M, 8, 4, &debug);
	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		blocks[i] = myslab_alloc_pages(tr->region, i % 3, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, blocks[i]);
	}
	for (i = 0; i < ARRAY_SIZE(blocks); i++)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, blocks[i], i % 3), 0);
}

/* === Frees of one block racing === */

#define RACE_ROUNDS	1024
#define RACE_ORDERS	4		/* orders 0-3 */
#define RACE_PAGES	32		/* pages of the racing cases' regions */

/*
 * The hooks of the racing-free cases: they count their calls for the block
 * being freed and pass every call on to KASAN and kmemleak where this kernel
 * has them. One call (the @hold_call-th untrack or shadow poisoning of the
 * block) can be held in its hook until the test thread lets it go, so that
 * the test can look at the block or allocate it again while a free of it is
 * half done.
 */
struct race_racer {
	struct task_struct *task;
	struct completion go;		/* a round starts, or stop */
	int err;			/* this round's free */
};

struct debug_race {
	struct myslab_region *region;
	struct myslab_region_debug real; /* KASAN and kmemleak, where available */
	void *block;			/* the hooks count calls for it; or NULL */
	unsigned int order;
	bool slab;
	int hold_call;			/* the call to hold: 1st, 2nd, 0 none */
	int nr_racing;			/* racers freeing @block this round */
	atomic_t track_frees;		/* untracks of @block */
	atomic_t shadow_poisons;	/* shadow poisonings of @block */
	atomic_t held;			/* a call was held */
	bool release;			/* let it go */
	bool hold_timed_out;
	atomic_t arrived;		/* racers at the rendezvous */
	atomic_t finished;		/* racers done with this round */
	struct completion event;	/* a racer finished, or a call is held */
	bool stop;
	struct race_racer racer[2];
};

/* The hooks have no context: one case at a time uses this. */
static struct debug_race debug_race;

/* Let the test thread catch up, for two seconds at most (interrupts may be off). */
static void race_hook_call(struct debug_race *dr, const void *addr, atomic_t *calls)
{
	u64 deadline;

	if (addr != READ_ONCE(dr->block) ||
	    atomic_inc_return(calls) != READ_ONCE(dr->hold_call) ||
	    atomic_cmpxchg(&dr->held, 0, 1))
		return;
	complete(&dr->event);
	deadline = ktime_get_ns() + 2 * NSEC_PER_SEC;
	while (!READ_ONCE(dr->release)) {
		if (ktime_get_ns() > deadline) {
			WRITE_ONCE(dr->hold_timed_out, true);
			break;
		}
		cpu_relax();
	}
}

static void race_track_free(const void *addr)
{
	race_hook_call(&debug_race, addr, &debug_race.track_frees);
	if (debug_race.real.track_free)
		debug_race.real.track_free(addr);
}

static void race_shadow_poison(const void *addr, size_t size)
{
	race_hook_call(&debug_race, addr, &debug_race.shadow_poisons);
	if (debug_race.real.shadow_poison)
		debug_race.real.shadow_poison(addr, size);
}

/* A poisoned region of @pages pages with the counting hooks. */
static struct myslab_test_region *race_region(struct kunit *test,
					      struct debug_race *dr,
					      unsigned long pages,
					      unsigned int max_order)
{
	struct myslab_region_debug debug = {
		.flags = MYSLAB_DEBUG_POISON,
		.track_free = race_track_free,
		.shadow_poison = race_shadow_poison,
	};
	struct myslab_test_region *tr;

	memset(dr, 0, sizeof(*dr));
	init_completion(&dr->event);
	myslab_kasan_hooks(&dr->real);
	myslab_kmemleak_hooks(&dr->real);
	debug.track_alloc = dr->real.track_alloc;
	debug.shadow_unpoison = dr->real.shadow_unpoison;
	tr = myslab_test_region_create_debug(test, pages * PAGE_SIZE, max_order,
					     4, &debug);
	dr->region = tr->region;
	return tr;
}

static void *race_alloc(struct debug_race *dr, gfp_t gfp)
{
	if (dr->slab)
		return myslab_alloc_slab_block(dr->region, dr->order, gfp, dr);
	return myslab_alloc_pages(dr->region, dr->order, gfp);
}

static int race_free(struct debug_race *dr, void *addr)
{
	if (dr->slab)
		return myslab_free_slab_block(dr->region, addr, dr->order);
	return myslab_free_pages(dr->region, addr, dr->order);
}

/* Does live memory hold @pattern? (A buggy free may have poisoned its shadow.) */
static bool holds_pattern(const void *addr, size_t size, u8 pattern)
{
	bool intact;

	kasan_disable_current();
	intact = !memchr_inv(addr, pattern, size);
	kasan_enable_current();
	return intact;
}

/* One free of dr->block from a thread of its own, which the hooks may hold. */
static int race_free_fn(void *arg)
{
	struct race_racer *rr = arg;
	struct debug_race *dr = &debug_race;
	unsigned long flags;

	for (;;) {
		wait_for_completion(&rr->go);
		if (READ_ONCE(dr->stop))
			break;
		if (dr->nr_racing == 1) {
			/* Alone, preemptible: a hook may hold it for long. */
			rr->err = race_free(dr, dr->block);
		} else {
			/*
			 * Meet with interrupts on (a CPU spinning with them
			 * off cannot answer the other's IPI: a deadlock), then
			 * free with them off: nothing comes between the frees
			 * (with PREEMPT_RT, pinned: myslab_test_irq_save()).
			 */
			myslab_test_pin();
			atomic_inc(&dr->arrived);
			while (atomic_read(&dr->arrived) < dr->nr_racing)
				cpu_relax();
			flags = myslab_test_irq_save();
			rr->err = race_free(dr, dr->block);
			myslab_test_irq_restore(flags);
			myslab_test_unpin();
		}
		atomic_inc(&dr->finished);
		complete(&dr->event);
	}
	return 0;
}

/* Start racers on the first @nr online CPUs; returns how many started. */
static unsigned int race_start(struct debug_race *dr, unsigned int nr, int *cpus)
{
	unsigned int i, started = 0;
	int cpu = -1;

	for (i = 0; i < nr; i++) {
		struct race_racer *rr = &dr->racer[i];

		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			break;
		cpus[i] = cpu;
		init_completion(&rr->go);
		rr->task = kthread_create_on_cpu(race_free_fn, rr, cpu,
						 "myslab_dfree/%u");
		if (IS_ERR(rr->task)) {
			rr->task = NULL;
			break;
		}
		/* A racer exits on dr->stop, maybe before kthread_stop(). */
		get_task_struct(rr->task);
		wake_up_process(rr->task);
		started++;
	}
	return started;
}

static void race_stop(struct debug_race *dr, unsigned int started)
{
	unsigned int i;

	WRITE_ONCE(dr->stop, true);
	for (i = 0; i < started; i++) {
		complete(&dr->racer[i].go);
		kthread_stop(dr->racer[i].task);
		put_task_struct(dr->racer[i].task);
	}
}

/* Arm the hooks for a free of @block and let @nr racers go. */
static void race_go(struct debug_race *dr, void *block, unsigned int nr)
{
	unsigned int i;

	atomic_set(&dr->track_frees, 0);
	atomic_set(&dr->shadow_poisons, 0);
	atomic_set(&dr->held, 0);
	atomic_set(&dr->arrived, 0);
	atomic_set(&dr->finished, 0);
	WRITE_ONCE(dr->release, false);
	dr->nr_racing = nr;
	reinit_completion(&dr->event);
	WRITE_ONCE(dr->block, block);
	/*
	 * Both are woken before either runs: a racer sharing this CPU would
	 * otherwise spin at the rendezvous, interrupts off, before the other
	 * racer was ever woken.
	 */
	preempt_disable();
	for (i = 0; i < nr; i++)
		complete(&dr->racer[i].go);
	preempt_enable();
}

/*
 * Allocate @block again: the per-CPU page lists are drained, and the blocks of
 * its order handed out before it are given back. NULL if it never comes.
 */
static void *race_realloc(struct kunit *test, struct debug_race *dr, void *block)
{
	void *extra[RACE_PAGES];
	unsigned int n = 0;
	void *p;

	myslab_drain_pcp(dr->region);
	while ((p = race_alloc(dr, GFP_KERNEL | __GFP_NOWARN)) && p != block) {
		if (n == ARRAY_SIZE(extra)) {
			KUNIT_EXPECT_EQ(test, race_free(dr, p), 0);
			p = NULL;
			break;
		}
		extra[n++] = p;
	}
	while (n)
		KUNIT_EXPECT_EQ(test, race_free(dr, extra[--n]), 0);
	return p == block ? p : NULL;
}

/* What the rounds of a race saw. */
struct race_tally {
	unsigned long accepted;		/* frees that returned 0 */
	unsigned long reported;		/* frees refused as double frees */
	unsigned long other;		/* frees refused otherwise */
	unsigned long page_rounds;	/* rounds racing page (not slab) blocks */
	unsigned long track_frees;	/* untracks of the raced blocks */
	unsigned long shadow_poisons;	/* their shadow poisonings */
	unsigned long held;		/* rounds with a second hook call held */
	unsigned long poison_lost;	/* blocks allocated again not all poison */
	unsigned long pattern_lost;	/* blocks allocated again written over */
	unsigned long bad_rounds;
};

/*
 * Two CPUs freeing the same block at once, on a poisoned region with KASAN
 * and kmemleak watching where they can. The free claims the block before
 * it touches anything, so exactly one of the two untracks, poisons and
 * gives back the block, once, and the other is a double free that touches
 * nothing: not the memory, not the detectors, only invalid_frees.
 * RACE_ROUNDS rounds go through orders 0-3 (page blocks through the
 * per-CPU page lists) and page and slab blocks.
 *
 * After each round the block is allocated again: it must hold its poison,
 * all of it, and the pattern it is then filled with must still be there
 * once both frees have returned. A free that untracks or poisons before it
 * claims the block shows as a second hook call for the block in a round;
 * that call is held until the block is live again under the pattern, so
 * what that free does next lands on a live block, as it does when another
 * CPU allocates the block in between.
 */
static void double_free_race_claims_once(struct kunit *test)
{
	struct debug_race *dr = &debug_race;
	struct myslab_buddy_stats *s;
	struct myslab_test_region *tr;
	struct race_tally t = {};
	unsigned long invalid, invalid_before;
	unsigned int round, started;
	int cpus[2], e0, e1, tf, sp;
	void *block, *again;
	size_t size;
	u8 pattern;
	bool bad;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs to race two frees");
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	tr = race_region(test, dr, RACE_PAGES, RACE_ORDERS - 1);
	dr->hold_call = 2;
	started = race_start(dr, 2, cpus);
	get_stats(tr, s);
	invalid_before = s->invalid_frees;
	for (round = 0; started == 2 && round < RACE_ROUNDS; round++) {
		dr->order = round % RACE_ORDERS;
		dr->slab = round / RACE_ORDERS % 2;
		size = PAGE_SIZE << dr->order;
		pattern = 0x11 + round % 64;
		block = race_alloc(dr, GFP_KERNEL);
		if (!block) {
			KUNIT_FAIL(test, "round %u: order-%u allocation failed", round, dr->order);
			break;
		}
		memset(block, 0x5a, size);
		get_stats(tr, s);
		invalid = s->invalid_frees;

		race_go(dr, block, 2);
		again = NULL;
		while (atomic_read(&dr->finished) < 2) {
			wait_for_completion(&dr->event);
			/* A free held half done: put the block back in use under it. */
			if (atomic_read(&dr->held) && atomic_read(&dr->finished) &&
			    !READ_ONCE(dr->release)) {
				again = race_realloc(test, dr, block);
				if (again)
					memset(again, pattern, size);
				WRITE_ONCE(dr->release, true);
			}
		}
		WRITE_ONCE(dr->block, NULL);

		e0 = dr->racer[0].err;
		e1 = dr->racer[1].err;
		tf = atomic_read(&dr->track_frees);
		sp = atomic_read(&dr->shadow_poisons);
		get_stats(tr, s);
		invalid = s->invalid_frees - invalid;
		t.accepted += !e0 + !e1;
		t.reported += (e0 == -EALREADY) + (e1 == -EALREADY);
		t.other += (e0 && e0 != -EALREADY) + (e1 && e1 != -EALREADY);
		t.page_rounds += !dr->slab;
		t.track_frees += tf;
		t.shadow_poisons += sp;
		t.held += atomic_read(&dr->held);
		bad = !((!e0 && e1 == -EALREADY) || (!e1 && e0 == -EALREADY)) ||
		      invalid != 1 || tf != !dr->slab || sp != 1;

		if (!again) {
			again = race_realloc(test, dr, block);
			if (!again) {
				KUNIT_FAIL(test, "round %u: the block at %p never came back",
					   round, block);
				break;
			}
			/* Handed out as the one accepted free left it: all poison. */
			if (!holds_poison(again, size)) {
				t.poison_lost++;
				bad = true;
			}
			memset(again, pattern, size);
		}
		if (!holds_pattern(again, size, pattern)) {
			t.pattern_lost++;
			bad = true;
		}
		if (bad && !t.bad_rounds++)
			KUNIT_FAIL(test,
				   "round %u, order-%u %s block: frees on CPUs %d, %d returned %d, %d; invalid_frees +%lu; %d untracks, %d shadow poisonings; a free held half done: %s; allocated again: %s",
				   round, dr->order, dr->slab ? "slab" : "page",
				   cpus[0], cpus[1], e0, e1, invalid,
				   tf, sp, atomic_read(&dr->held) ? "yes" : "no",
				   holds_pattern(again, size, pattern) ?
				   "its pattern intact" : "its pattern overwritten");
		/* Both accepted: the second free gave it back under its holder. */
		if (!e0 && !e1)
			continue;
		KUNIT_EXPECT_EQ(test, race_free(dr, again), 0);
	}

	race_stop(dr, started);
	KUNIT_ASSERT_EQ_MSG(test, started, 2U, "racer threads not started");
	get_stats(tr, s);
	invalid = s->invalid_frees - invalid_before;
	/* Each round planted one double free: the fixture expects them all. */
	tr->expected_invalid_frees += round;

	kunit_info(test, "CPUs %d and %d: %u rounds (%lu of page blocks); frees: %lu accepted, %lu reported as double frees, %lu other errors; invalid_frees +%lu; %lu untracks, %lu shadow poisonings of the raced blocks; %lu frees held half done; blocks allocated again: %lu with poison lost, %lu with their pattern overwritten\n",
		   cpus[0], cpus[1], round, t.page_rounds, t.accepted, t.reported,
		   t.other, invalid, t.track_frees, t.shadow_poisons, t.held, t.poison_lost,
		   t.pattern_lost);
	KUNIT_EXPECT_EQ(test, round, (unsigned int)RACE_ROUNDS);
	KUNIT_EXPECT_EQ(test, t.accepted, (unsigned long)round);
	KUNIT_EXPECT_EQ(test, t.reported, (unsigned long)round);
	KUNIT_EXPECT_EQ(test, t.other, 0UL);
	KUNIT_EXPECT_EQ(test, invalid, (unsigned long)round);
	KUNIT_EXPECT_EQ(test, t.track_frees, t.page_rounds);
	KUNIT_EXPECT_EQ(test, t.shadow_poisons, (unsigned long)round);
	KUNIT_EXPECT_EQ(test, t.held, 0UL);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(dr->hold_timed_out));
	KUNIT_EXPECT_EQ(test, t.poison_lost, 0UL);
	KUNIT_EXPECT_EQ(test, t.pattern_lost, 0UL);
	KUNIT_EXPECT_EQ(test, s->poison_errors, 0UL);
}

/* The page map's entry for the block starting at @block, or NULL. */
static const struct myslab_map_block *map_find(const struct myslab_map *map,
					       const struct myslab_test_region *tr,
					       const void *block)
{
	unsigned long first = (block - tr->base) >> PAGE_SHIFT, i;

	for (i = 0; i < map->nr_blocks; i++)
		if (map->blocks[i].first == first)
			return &map->blocks[i];
	return NULL;
}

/*
 * A block whose free is half done, held in the free's first hook: a second
 * free of it is a double free that touches nothing; a lookup, the
 * validator, the statistics and the page map see an allocated block, as
 * the accounting still counts it; myslab_slab_owner() no longer names the
 * owner of a slab being freed. Once the free ends, the block is free and
 * poisoned. An order-2 page block, then an order-2 slab block.
 */
static void half_freed_block_seen_allocated(struct kunit *test)
{
	struct debug_race *dr = &debug_race;
	const struct myslab_map_block *mb;
	struct myslab_block_info info;
	struct myslab_test_region *tr;
	struct myslab_buddy_stats s;
	enum myslab_block_state state;
	struct myslab_map *map;
	unsigned int started, kind;
	void *block;
	int cpu[1];

	tr = race_region(test, dr, RACE_PAGES, RACE_ORDERS - 1);
	dr->hold_call = 1;
	dr->order = 2;
	started = race_start(dr, 1, cpu);
	KUNIT_ASSERT_EQ_MSG(test, started, 1U, "freeing thread not started");
	for (kind = 0; kind < 2; kind++) {
		dr->slab = kind;
		state = dr->slab ? MYSLAB_BLOCK_SLAB : MYSLAB_BLOCK_ALLOC;
		block = race_alloc(dr, GFP_KERNEL);
		if (!block) {
			KUNIT_FAIL(test, "order-2 allocation failed");
			break;
		}
		memset(block, 0x5a, 4 * PAGE_SIZE);
		if (dr->slab)
			KUNIT_EXPECT_PTR_EQ(test, myslab_slab_owner(dr->region, block), dr);

		race_go(dr, block, 1);
		wait_for_completion(&dr->event);
		KUNIT_EXPECT_EQ(test, atomic_read(&dr->held), 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&dr->finished), 0);

		/* Held in the untrack (pages) or the shadow poisoning (slabs). */
		KUNIT_EXPECT_EQ(test, myslab_block_lookup(dr->region, block + PAGE_SIZE, &info), 0);
		KUNIT_EXPECT_PTR_EQ(test, info.base, block);
		KUNIT_EXPECT_EQ(test, info.order, 2U);
		KUNIT_EXPECT_EQ(test, info.state, state);
		KUNIT_EXPECT_NULL(test, myslab_slab_owner(dr->region, block + PAGE_SIZE));
		get_stats(tr, &s);
		KUNIT_EXPECT_EQ(test, s.alloc_pages, 4UL);
		KUNIT_EXPECT_EQ(test, s.free_pages + s.pcp_pages, RACE_PAGES - 4UL);
		KUNIT_EXPECT_EQ(test, myslab_region_check(dr->region), 0);
		map = myslab_map_create(dr->region);
		KUNIT_EXPECT_NOT_NULL(test, map);
		if (map) {
			mb = map_find(map, tr, block);
			KUNIT_EXPECT_NOT_NULL(test, mb);
			if (mb) {
				KUNIT_EXPECT_EQ(test, mb->order, (u8)2);
				KUNIT_EXPECT_EQ(test, mb->state, (u8)state);
			}
			myslab_map_destroy(map);
		}

		KUNIT_EXPECT_EQ(test, race_free(dr, block), -EALREADY);
		tr->expected_invalid_frees++;
		KUNIT_EXPECT_EQ(test, atomic_read(&dr->track_frees), dr->slab ? 0 : 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&dr->shadow_poisons), dr->slab ? 1 : 0);
		/* A page block is not poisoned yet: the refused free left it alone. */
		if (!dr->slab)
			KUNIT_EXPECT_TRUE(test, holds_pattern(block, 4 * PAGE_SIZE, 0x5a));

		WRITE_ONCE(dr->release, true);
		while (!atomic_read(&dr->finished))
			wait_for_completion(&dr->event);
		WRITE_ONCE(dr->block, NULL);
		KUNIT_EXPECT_EQ(test, dr->racer[0].err, 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&dr->track_frees), dr->slab ? 0 : 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&dr->shadow_poisons), 1);
		KUNIT_EXPECT_EQ(test, myslab_block_lookup(dr->region, block, &info), 0);
		/* An order-2 page block lands in the freeing CPU's cache. */
		KUNIT_EXPECT_EQ(test, info.state,
				dr->slab ? MYSLAB_BLOCK_FREE : MYSLAB_BLOCK_PCP);
		KUNIT_EXPECT_TRUE(test, holds_poison(block, 4 * PAGE_SIZE));
	}
	race_stop(dr, started);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(dr->hold_timed_out));
}

/* === Fragmentation indices === */

#define FRAG_ORDERS	4

struct frag_case {
	const char *name;
	unsigned long nr_free[FRAG_ORDERS];
	int unusable[FRAG_ORDERS];
	int fragmentation[FRAG_ORDERS];
};

/*
 * Worked by hand from the kernel's formulas (buddy_frag.c), max_order 3.
 * E.g. "small blocks" {8,0,0,0}, order 2: 1000 - (1000 + 8000 / 4) / 8 = 625.
 */
static const struct frag_case frag_cases[] = {
	{ "nothing free", { 0, 0, 0, 0 },
	  { 1000, 1000, 1000, 1000 }, { 0, 0, 0, 0 } },
	{ "one max block", { 0, 0, 0, 1 },
	  { 0, 0, 0, 0 }, { -1000, -1000, -1000, -1000 } },
	{ "worked example", { 4, 2, 0, 0 },
	  { 0, 500, 1000, 1000 }, { -1000, -1000, 500, 667 } },
	{ "small blocks", { 8, 0, 0, 0 },
	  { 0, 1000, 1000, 1000 }, { -1000, 375, 625, 750 } },
	{ "one page", { 1, 0, 0, 0 },
	  { 0, 1000, 1000, 1000 }, { -1000, -500, -250, -125 } },
	{ "mixed", { 3, 1, 1, 0 },
	  { 0, 333, 555, 1000 }, { -1000, -1000, -1000, 575 } },
};

static void frag_case_desc(const struct frag_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(frag_cases, frag_cases, frag_case_desc);

static void extfrag_formulas(struct kunit *test)
{
	const struct frag_case *c = test->param_value;
	unsigned int k;

	for (k = 0; k < FRAG_ORDERS; k++) {
		KUNIT_EXPECT_EQ_MSG(test, myslab_unusable_index(c->nr_free, 3, k),
				    c->unusable[k], "unusable, order %u", k);
		KUNIT_EXPECT_EQ_MSG(test, myslab_fragmentation_index(c->nr_free, 3, k),
				    c->fragmentation[k], "fragmentation, order %u", k);
	}
}

/* Three decimals, the sign in front, the kernel's widths. */
static void extfrag_printing(struct kunit *test)
{
	static const struct {
		int value;
		unsigned int width;
		const char *text;
	} cases[] = {
		{ -1000, 2, "-1.000" }, { 500, 2, " 0.500" }, { 667, 2, " 0.667" },
		{ -500, 2, "-0.500" }, { 0, 2, " 0.000" }, { 1000, 0, "1.000" },
		{ 0, 0, "0.000" }, { 5, 0, "0.005" }, { -125, 0, "-0.125" },
	};
	char buf[16];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_EXPECT_EQ(test, myslab_frag_print(buf, sizeof(buf), cases[i].value,
							cases[i].width),
				(int)strlen(cases[i].text));
		KUNIT_EXPECT_STREQ(test, buf, cases[i].text);
	}
}

/*
 * On a region: 16 pages, every other one allocated, leaves 8 free order-0
 * blocks: nothing larger can be served, and the indices say fragmentation.
 */
static void extfrag_of_fragmented_region(struct kunit *test)
{
	static const int unusable[] = { 0, 1000, 1000, 1000, 1000 };
	static const int fragmentation[] = { -1000, 375, 625, 750, 813 };
	struct myslab_test_region *tr =
		myslab_test_region_create(test, 16 * PAGE_SIZE, 4, 0);
	struct myslab_buddy_stats s;
	void *pages[16];
	unsigned int i;

	for (i = 0; i < 16; i++) {
		pages[i] = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	for (i = 0; i < 16; i += 2)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, pages[i], 0), 0);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.nr_free[0], 8UL);
	for (i = 0; i <= 4; i++) {
		KUNIT_EXPECT_EQ_MSG(test, myslab_unusable_index(s.nr_free, 4, i),
				    unusable[i], "order %u", i);
		KUNIT_EXPECT_EQ_MSG(test, myslab_fragmentation_index(s.nr_free, 4, i),
				    fragmentation[i], "order %u", i);
	}
	for (i = 1; i < 16; i += 2)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, pages[i], 0), 0);
	get_stats(tr, &s);
	for (i = 0; i <= 4; i++)
		KUNIT_EXPECT_EQ(test, myslab_unusable_index(s.nr_free, 4, i), 0);
}

/* === Page map === */

static int owner_a, owner_b, owner_c;

static int test_owner_name(const void *owner, char *buf, size_t size)
{
	if (owner == &owner_a)
		return strscpy(buf, "kmalloc-64", size) < 0 ? -E2BIG : 0;
	if (owner == &owner_b)
		return strscpy(buf, "two words\t!", size) < 0 ? -E2BIG : 0;
	return -ENOENT;
}

/* The whole text of a page map. */
static char *map_text(struct kunit *test, struct myslab_region *region)
{
	struct myslab_map *map = myslab_map_create(region);
	size_t size = 4096, len;
	unsigned long i;
	char *text;

	KUNIT_ASSERT_NOT_NULL(test, map);
	text = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, text);
	len = myslab_map_header(map, text, size);
	for (i = 0; i < map->nr_blocks && len < size; i++)
		len += myslab_map_line(map, i, text + len, size - len);
	myslab_map_destroy(map);
	KUNIT_ASSERT_LT(test, len, size);
	return text;
}

/*
 * The exact text of a known map, 16 pages, max_order 4, pcp_batch 2:
 *
 *		 0   1   2   3   4   5   6   7   8   9  10  11  12 ... 15
 * a = alloc 0	[A0 |P  |  F1   |      F2       |          F3          ]
 *		(the cache took pages 0 and 1, handed out 0)
 * slab 1 (a)	[A0 |P  |  S1   |      F2       |          F3          ]
 * slab 2 (b)	[A0 |P  |  S1   |      S2       |          F3          ]
 * slab 0 (c)	[A0 |P  |  S1   |      S2       |S0 |F0 |  F1  |  F2   ]
 *
 * Owner a is named "kmalloc-64", b "two words\t!" (printed "two_words_!"),
 * c has no name; before a namer is registered no slab has one.
 */
static void page_map_text(struct kunit *test)
{
	static const char *const without_names =
		"myslab page_map v1 region=kunit pages=16 max_order=4 page_size=4096 blocks=8\n"
		"0 0 alloc\n1 0 pcp\n2 1 slab\n4 2 slab\n8 0 slab\n"
		"9 0 free\n10 1 free\n12 2 free\n";
	static const char *const with_names =
		"myslab page_map v1 region=kunit pages=16 max_order=4 page_size=4096 blocks=8\n"
		"0 0 alloc\n1 0 pcp\n2 1 slab kmalloc-64\n4 2 slab two_words_!\n8 0 slab\n"
		"9 0 free\n10 1 free\n12 2 free\n";
	struct myslab_test_region *tr;
	void *a, *s1, *s2, *s3;

	if (PAGE_SIZE != 4096)
		kunit_skip(test, "the expected text assumes 4 KiB pages");
	tr = myslab_test_region_create(test, 16 * PAGE_SIZE, 4, 2);
	myslab_test_pin();
	a = myslab_alloc_pages(tr->region, 0, GFP_ATOMIC);
	myslab_test_unpin();
	s1 = myslab_alloc_slab_block(tr->region, 1, GFP_KERNEL, &owner_a);
	s2 = myslab_alloc_slab_block(tr->region, 2, GFP_KERNEL, &owner_b);
	s3 = myslab_alloc_slab_block(tr->region, 0, GFP_KERNEL, &owner_c);
	KUNIT_ASSERT_PTR_EQ(test, a, page_at(tr, 0));
	KUNIT_ASSERT_PTR_EQ(test, s1, page_at(tr, 2));
	KUNIT_ASSERT_PTR_EQ(test, s2, page_at(tr, 4));
	KUNIT_ASSERT_PTR_EQ(test, s3, page_at(tr, 8));

	KUNIT_EXPECT_STREQ(test, map_text(test, tr->region), without_names);
	myslab_region_set_owner_name(tr->region, test_owner_name);
	KUNIT_EXPECT_STREQ(test, map_text(test, tr->region), with_names);
	myslab_region_set_owner_name(tr->region, NULL);
	KUNIT_EXPECT_STREQ(test, map_text(test, tr->region), without_names);

	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 0), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, s1, 1), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, s2, 2), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_slab_block(tr->region, s3, 0), 0);
	myslab_drain_pcp(tr->region);
	KUNIT_EXPECT_STREQ(test, map_text(test, tr->region),
			   "myslab page_map v1 region=kunit pages=16 max_order=4 page_size=4096 blocks=1\n"
			   "0 4 free\n");
}

/*
 * After random traffic the map covers every page exactly once, in order,
 * and each block is what myslab_block_lookup() says it is.
 */
static void page_map_covers_region(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, SZ_2M, 9, 8);
	struct held_block *held = kunit_kcalloc(test, 48, sizeof(*held), GFP_KERNEL);
	struct myslab_block_info info;
	struct myslab_map_block *b;
	unsigned long next = 0, i;
	struct myslab_map *map;
	unsigned int n;

	KUNIT_ASSERT_NOT_NULL(test, held);
	for (n = 0; n < 48; n++) {
		held[n].order = get_random_u32_below(4);
		held[n].slab = !(n % 4);
		held[n].addr = held[n].slab ?
			myslab_alloc_slab_block(tr->region, held[n].order, GFP_KERNEL, tr) :
			myslab_alloc_pages(tr->region, held[n].order, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, held[n].addr);
	}
	for (n = 0; n < 48; n += 3)
		KUNIT_EXPECT_EQ(test, free_held(tr, &held[n]), 0);

	map = myslab_map_create(tr->region);
	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_EXPECT_EQ(test, map->nr_pages, 512UL);
	for (i = 0; i < map->nr_blocks; i++) {
		b = &map->blocks[i];
		KUNIT_EXPECT_EQ(test, (unsigned long)b->first, next);
		KUNIT_EXPECT_EQ(test, myslab_block_lookup(tr->region,
							  page_at(tr, b->first), &info), 0);
		KUNIT_EXPECT_PTR_EQ(test, info.base, page_at(tr, b->first));
		KUNIT_EXPECT_EQ(test, info.order, (unsigned int)b->order);
		KUNIT_EXPECT_EQ(test, info.state, (enum myslab_block_state)b->state);
		next = b->first + (1UL << b->order);
	}
	KUNIT_EXPECT_EQ(test, next, 512UL);
	myslab_map_destroy(map);

	for (n = 0; n < 48; n++)
		if (n % 3)
			KUNIT_EXPECT_EQ(test, free_held(tr, &held[n]), 0);
}

struct map_want {
	u32 first;
	u8 order;
	enum myslab_block_state state;
};

/*
 * The map of @tr is exactly @want: every block once, whole, in address
 * order, covering every page; and myslab_block_lookup() of each block's
 * first and last page names the block.
 */
static void expect_map(struct kunit *test, struct myslab_test_region *tr,
		       const struct map_want *want, unsigned long nr,
		       const char *when)
{
	struct myslab_map *map = myslab_map_create(tr->region);
	const struct myslab_map_block *b;
	struct myslab_block_info info;
	unsigned long i, next = 0, last;

	KUNIT_ASSERT_NOT_NULL(test, map);
	KUNIT_EXPECT_EQ_MSG(test, map->nr_pages, tr->size >> PAGE_SHIFT, "%s", when);
	KUNIT_EXPECT_EQ_MSG(test, map->nr_blocks, nr, "%s", when);
	for (i = 0; i < min(map->nr_blocks, nr); i++) {
		b = &map->blocks[i];
		KUNIT_EXPECT_EQ_MSG(test, b->first, want[i].first, "%s, block %lu", when, i);
		KUNIT_EXPECT_EQ_MSG(test, b->order, want[i].order, "%s, block %lu", when, i);
		KUNIT_EXPECT_EQ_MSG(test, b->state, (u8)want[i].state, "%s, block %lu",
				    when, i);
	}
	for (i = 0; i < map->nr_blocks; i++) {
		b = &map->blocks[i];
		KUNIT_EXPECT_EQ_MSG(test, (unsigned long)b->first, next, "%s, block %lu",
				    when, i);
		last = b->first + (1UL << b->order) - 1;
		KUNIT_EXPECT_EQ(test, myslab_block_lookup(tr->region,
							  page_at(tr, b->first), &info), 0);
		KUNIT_EXPECT_PTR_EQ(test, info.base, page_at(tr, b->first));
		KUNIT_EXPECT_EQ(test, info.order, (unsigned int)b->order);
		KUNIT_EXPECT_EQ(test, info.state, (enum myslab_block_state)b->state);
		KUNIT_EXPECT_EQ(test, myslab_block_lookup(tr->region, page_at(tr, last),
							  &info), 0);
		KUNIT_EXPECT_PTR_EQ_MSG(test, info.base, page_at(tr, b->first),
					"%s, last page %lu", when, last);
		next = last + 1;
	}
	KUNIT_EXPECT_EQ_MSG(test, next, tr->size >> PAGE_SHIFT, "%s", when);
	myslab_map_destroy(map);
}

/*
 * Blocks across the map's chunks (taken 1024 pages at a time): each is
 * listed whole with the chunk it starts in, once, and the next chunk starts
 * after it. 4096 pages, max_order 12, no per-CPU page lists; the page at 2048
 * splits the free order-11 block into it and its buddies of orders 0 to 10
 * (F0 at 2049, F1 at 2050, ... F9 at 2560, F10 at 3072):
 *
 *		0         1024      2048      3072      4096
 * fresh	[                  F12                  ]
 * a = alloc 11	[        A11        |        F11        ]
 * b = alloc 0	[        A11        |A0 F0..F9|   F10   ]
 * free a	[        F11        |A0 F0..F9|   F10   ]
 * free b	[                  F12                  ]
 */
static void page_map_across_chunks(struct kunit *test)
{
	static const struct map_want fresh[] = { { 0, 12, MYSLAB_BLOCK_FREE } };
	static const struct map_want halves[] = {
		{ 0, 11, MYSLAB_BLOCK_ALLOC }, { 2048, 11, MYSLAB_BLOCK_FREE },
	};
	struct map_want split[13] = {
		{ 0, 11, MYSLAB_BLOCK_ALLOC }, { 2048, 0, MYSLAB_BLOCK_ALLOC },
	};
	struct myslab_test_region *tr;
	unsigned int k;
	void *a, *b;

	/* The buddies of the page at 2048: 2049 (order 0), 2050 (order 1), ... */
	for (k = 0; k <= 10; k++)
		split[k + 2] = (struct map_want){ 2048 + (1U << k), k, MYSLAB_BLOCK_FREE };

	tr = myslab_test_region_create(test, 4096 * PAGE_SIZE, 12, 0);
	expect_map(test, tr, fresh, ARRAY_SIZE(fresh), "fresh");
	a = myslab_alloc_pages(tr->region, 11, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, a, page_at(tr, 0));
	expect_map(test, tr, halves, ARRAY_SIZE(halves), "order 11 at 0");
	b = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, b, page_at(tr, 2048));
	if (b == page_at(tr, 2048))
		expect_map(test, tr, split, ARRAY_SIZE(split), "and a page at 2048");
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, a, 11), 0);
	split[0].state = MYSLAB_BLOCK_FREE;
	if (b == page_at(tr, 2048))
		expect_map(test, tr, split, ARRAY_SIZE(split), "order 11 at 0 freed");
	if (b)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, b, 0), 0);
	expect_map(test, tr, fresh, ARRAY_SIZE(fresh), "all freed");
}

/* === Counters and debugfs actions === */

/* The counter names are an interface (debugfs stats); they never change. */
static void counter_names(struct kunit *test)
{
	static const char *const names[] = {
		"failed", "splits", "merges", "invalid_frees", "faults_injected",
		"poison_errors", "pcp_refills", "pcp_drains", "nofail_failed",
		"pcp_busy",
	};
	int i;

	KUNIT_ASSERT_EQ(test, ARRAY_SIZE(names), (size_t)MYSLAB_BUDDY_NR_COUNTERS);
	for (i = 0; i < MYSLAB_BUDDY_NR_COUNTERS; i++)
		KUNIT_EXPECT_STREQ(test, myslab_buddy_counter_name(i), names[i]);
	KUNIT_EXPECT_STREQ(test, myslab_buddy_counter_name(MYSLAB_BUDDY_NR_COUNTERS),
			   "unknown");
}

/*
 * Reset zeroes the counters and leaves the accounting and identities.
 * Everything touching the per-CPU page lists runs on one CPU (preemption off,
 * expectations after), so that exactly one cache holds pages at the end.
 */
static void reset_counters_keeps_accounting(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, SZ_1M, 8, 4);
	struct myslab_buddy_stats *s = kunit_kcalloc(test, 3, sizeof(*s), GFP_KERNEL);
	int i, bad_free, free_a = -1, free_b = -1;
	void *a, *b, *none;

	KUNIT_ASSERT_NOT_NULL(test, s);
	myslab_test_pin();
	a = myslab_alloc_pages(tr->region, 0, GFP_ATOMIC);
	b = myslab_alloc_pages(tr->region, 3, GFP_ATOMIC);
	none = myslab_alloc_pages(tr->region, 9, GFP_ATOMIC | __GFP_NOWARN);
	bad_free = b ? myslab_free_pages(tr->region, b + PAGE_SIZE, 0) : 0;
	get_stats(tr, &s[0]);
	myslab_buddy_reset_counters(tr->region);
	get_stats(tr, &s[1]);
	if (a)
		free_a = myslab_free_pages(tr->region, a, 0);
	if (b)
		free_b = myslab_free_pages(tr->region, b, 3);
	myslab_test_unpin();
	myslab_drain_pcp(tr->region);
	get_stats(tr, &s[2]);

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_NULL(test, none);
	KUNIT_EXPECT_EQ(test, bad_free, -EINVAL);
	/* The order-0 and the order-3 list each refilled once. */
	KUNIT_EXPECT_EQ(test, s[0].pcp_refills, 2UL);
	KUNIT_EXPECT_EQ(test, s[0].failed, 1UL);
	KUNIT_EXPECT_EQ(test, s[0].invalid_frees, 1UL);
	KUNIT_EXPECT_GT(test, s[0].splits, 0UL);

	for (i = 0; i < MYSLAB_BUDDY_NR_COUNTERS; i++)
		KUNIT_EXPECT_EQ_MSG(test, s[1].counters[i], 0UL, "%s",
				    myslab_buddy_counter_name(i));
	for (i = 0; i <= 8; i++) {
		KUNIT_EXPECT_EQ(test, s[1].allocs[i], 0UL);
		KUNIT_EXPECT_EQ(test, s[1].frees[i], 0UL);
	}
	KUNIT_EXPECT_EQ(test, s[1].free_pages, s[0].free_pages);
	KUNIT_EXPECT_EQ(test, s[1].pcp_pages, s[0].pcp_pages);
	KUNIT_EXPECT_EQ(test, s[1].alloc_pages, s[0].alloc_pages);
	KUNIT_EXPECT_EQ(test, s[1].high_water, s[1].nr_pages - s[1].free_pages);

	KUNIT_EXPECT_EQ(test, free_a, 0);
	KUNIT_EXPECT_EQ(test, free_b, 0);
	KUNIT_EXPECT_EQ(test, s[2].pcp_drains, 1UL);
	KUNIT_EXPECT_EQ(test, s[2].frees[0], 1UL);
	KUNIT_EXPECT_EQ(test, s[2].frees[3], 1UL);
	KUNIT_EXPECT_EQ(test, s[2].invalid_frees, 0UL);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
}

struct bad_write {
	const char *what;
	const char *buf;
	size_t count;
};

static const struct bad_write bad_writes[] = {
	{ "empty", "", 0 },
	{ "newline only", "\n", 1 },
	{ "zero", "0", 1 },
	{ "two", "2", 1 },
	{ "eleven", "11", 2 },
	{ "two newlines", "1\n\n", 3 },
	{ "trailing space", "1 ", 2 },
	{ "leading space", " 1", 2 },
	{ "carriage return", "1\r", 2 },
	{ "NUL byte", "1\0", 2 },
	{ "binary", "\x01", 1 },
	{ "high byte", "\xff\n", 2 },
	{ "minus one", "-1", 2 },
	{ "plus one", "+1", 2 },
	{ "leading zero", "01", 2 },
	{ "hex", "0x1", 3 },
	{ "word", "yes", 3 },
	{ "action name", "validate", 8 },
};

/*
 * Every write an action file must refuse is refused with -EINVAL and
 * changes nothing, for every action; then "1" and "1\n" work. A region
 * with planted poison damage makes a validation visible (it would count
 * it), cached pages a drain, counters a reset.
 */
static void actions_reject_bad_writes(struct kunit *test)
{
	struct myslab_buddy_stats *before = kunit_kzalloc(test, sizeof(*before), GFP_KERNEL);
	struct myslab_buddy_stats *after = kunit_kzalloc(test, sizeof(*after), GFP_KERNEL);
	char *huge = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	struct myslab_region_debug debug;
	struct myslab_test_region *tr;
	enum myslab_buddy_action action;
	unsigned int i;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, before);
	KUNIT_ASSERT_NOT_NULL(test, after);
	KUNIT_ASSERT_NOT_NULL(test, huge);
	memset(huge, '1', PAGE_SIZE);
	poison_debug(&debug);
	tr = myslab_test_region_create_debug(test, SZ_1M, 8, 4, &debug);
	p = myslab_alloc_pages(tr->region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 0), 0);
	plant_byte(page_at(tr, 255) + 42, 0);

	KUNIT_EXPECT_EQ(test, myslab_buddy_action_parse("1", 1), 0);
	KUNIT_EXPECT_EQ(test, myslab_buddy_action_parse("1\n", 2), 0);
	KUNIT_EXPECT_EQ(test, myslab_buddy_action_parse(huge, PAGE_SIZE), -EINVAL);
	for (i = 0; i < ARRAY_SIZE(bad_writes); i++)
		KUNIT_EXPECT_EQ_MSG(test, myslab_buddy_action_parse(bad_writes[i].buf,
								    bad_writes[i].count),
				    -EINVAL, "%s", bad_writes[i].what);

	get_stats(tr, before);
	KUNIT_EXPECT_GT(test, before->pcp_pages, 0UL);
	for (action = 0; action < MYSLAB_BUDDY_NR_ACTIONS; action++) {
		for (i = 0; i < ARRAY_SIZE(bad_writes); i++)
			KUNIT_EXPECT_EQ_MSG(test,
					    myslab_buddy_action_run(tr->region, action,
								    bad_writes[i].buf,
								    bad_writes[i].count),
					    -EINVAL, "action %d, %s", action,
					    bad_writes[i].what);
		KUNIT_EXPECT_EQ(test, myslab_buddy_action_run(tr->region, action, huge,
							      PAGE_SIZE), -EINVAL);
		KUNIT_EXPECT_EQ(test, myslab_buddy_action_run(tr->region,
							      MYSLAB_BUDDY_NR_ACTIONS, "1", 1),
				-EINVAL);
		get_stats(tr, after);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(before, after, sizeof(*after)), 0,
				    "action %d changed the region", action);
	}

	/* Accepted: validation finds the planted page, once. */
	KUNIT_EXPECT_EQ(test, myslab_buddy_action_run(tr->region, MYSLAB_BUDDY_VALIDATE,
						      "1\n", 2), 1);
	KUNIT_EXPECT_EQ(test, myslab_buddy_action_run(tr->region, MYSLAB_BUDDY_VALIDATE,
						      "1", 1), 0);
	get_stats(tr, after);
	KUNIT_EXPECT_EQ(test, after->poison_errors, 1UL);
	KUNIT_EXPECT_EQ(test, myslab_buddy_action_run(tr->region, MYSLAB_BUDDY_DRAIN_PCP,
						      "1", 1), 0);
	get_stats(tr, after);
	KUNIT_EXPECT_EQ(test, after->pcp_pages, 0UL);
	KUNIT_EXPECT_EQ(test, after->free_pages, after->nr_pages);
	KUNIT_EXPECT_EQ(test, myslab_buddy_action_run(tr->region,
						      MYSLAB_BUDDY_RESET_COUNTERS, "1\n", 2), 0);
	get_stats(tr, after);
	KUNIT_EXPECT_EQ(test, after->poison_errors, 0UL);
	KUNIT_EXPECT_EQ(test, after->splits, 0UL);
	KUNIT_EXPECT_EQ(test,
			myslab_buddy_action_run(NULL, MYSLAB_BUDDY_VALIDATE, "1", 1),
			-EINVAL);
}

/* === __GFP_NOFAIL and a validator that drops its lock === */

/* Expect a region's NOFAIL reports printed and NOFAIL failures counted so far. */
static void expect_nofail(struct kunit *test, struct myslab_test_region *tr,
			  unsigned int reports, unsigned long failures,
			  unsigned long failed)
{
	struct myslab_buddy_stats s;

	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, READ_ONCE(tr->region->nofail_reports), reports);
	KUNIT_EXPECT_EQ(test, s.nofail_failed, failures);
	KUNIT_EXPECT_EQ(test, s.failed, failed);
}

/*
 * A region cannot grow: __GFP_NOFAIL on a full region still gets NULL. The
 * first such failure is reported, once per region (exactly one planted
 * line, "0 of 256 pages free and a region cannot grow"), every one is
 * counted: two failures, one report, two counted; then more of every kind
 * (with __GFP_NOWARN, of a higher order, a slab block), still one report.
 */
static void nofail_on_full_region_counted(struct kunit *test)
{
	struct myslab_test_region *tr;
	struct myslab_buddy_stats s;
	unsigned long failed, n = 0;
	void **held;

	tr = myslab_test_region_create(test, SZ_1M, 8, 4);
	held = kunit_kcalloc(test, SZ_1M / PAGE_SIZE, sizeof(*held), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	while (n < SZ_1M / PAGE_SIZE &&
	       (held[n] = myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOWARN)))
		n++;
	KUNIT_ASSERT_EQ(test, n, SZ_1M / PAGE_SIZE);
	get_stats(tr, &s);
	failed = s.failed;
	expect_nofail(test, tr, 0, 0, failed);

	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOFAIL));
	expect_nofail(test, tr, 1, 1, failed + 1);
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOFAIL));
	expect_nofail(test, tr, 1, 2, failed + 2);

	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 2,
						   GFP_KERNEL | __GFP_NOFAIL | __GFP_NOWARN));
	KUNIT_EXPECT_NULL(test, myslab_alloc_slab_block(tr->region, 1,
							GFP_KERNEL | __GFP_NOFAIL, tr));
	expect_nofail(test, tr, 1, 4, failed + 4);

	/* Once memory is back, NOFAIL is an ordinary allocation. */
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, held[--n], 0), 0);
	held[n] = myslab_alloc_pages(tr->region, 0, GFP_KERNEL | __GFP_NOFAIL);
	KUNIT_EXPECT_NOT_NULL(test, held[n]);
	if (held[n])
		n++;
	while (n)
		KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, held[--n], 0), 0);
	expect_nofail(test, tr, 1, 4, failed + 4);
}

/*
 * An order above max_order can never be served: a NOFAIL request for one is
 * reported as that ("above max_order 8", the planted line), not as a full
 * region, once per region like any NOFAIL failure, and counted every time;
 * an ordinary request for it (silenced) is counted as failed only.
 */
static void nofail_above_max_order_reported(struct kunit *test)
{
	struct myslab_test_region *tr = myslab_test_region_create(test, SZ_1M, 8, 4);

	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 9, GFP_KERNEL | __GFP_NOFAIL));
	expect_nofail(test, tr, 1, 1, 1);
	KUNIT_EXPECT_NULL(test, myslab_alloc_slab_block(tr->region, 10,
							GFP_KERNEL | __GFP_NOFAIL, tr));
	expect_nofail(test, tr, 1, 2, 2);
	KUNIT_EXPECT_NULL(test, myslab_alloc_pages(tr->region, 9, GFP_KERNEL | __GFP_NOWARN));
	expect_nofail(test, tr, 1, 2, 3);
}

/*
 * Free blocks larger than the validator's chunk: their pages are checked
 * across chunks, each chunk looking the block up again under the lock.
 * Damaged poison deep inside one is found once; a FREE page outside any
 * free block, in a later chunk, too.
 */
static void region_check_across_chunks(struct kunit *test)
{
	struct myslab_region_debug debug;
	struct myslab_test_region *tr;
	struct myslab_page *tail, saved;
	struct myslab_buddy_stats s;
	unsigned long flags;
	void *p;

	poison_debug(&debug);
	/* 4096 pages, one free order-12 block: four chunks of 1024 pages. */
	tr = myslab_test_region_create_debug(test, SZ_16M, 12, 0, &debug);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
	plant_byte(page_at(tr, 3000) + 17, 0);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 1);
	get_stats(tr, &s);
	KUNIT_EXPECT_EQ(test, s.poison_errors, 1UL);
	tr->expected_poison_errors = 1;
	KUNIT_EXPECT_TRUE(test, holds_poison(page_at(tr, 3000), PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);

	/*
	 * An allocated order-11 block whose tail in its second chunk says
	 * FREE; repaired by putting the tail's descriptor back.
	 */
	p = myslab_alloc_pages(tr->region, 11, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	tail = &tr->region->pages[((p - tr->base) >> PAGE_SHIFT) + 1500];
	spin_lock_irqsave(&tr->region->lock, flags);
	saved = *tail;
	myslab_set_page_state(tail, MYSLAB_BLOCK_FREE);
	spin_unlock_irqrestore(&tr->region->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 1);
	spin_lock_irqsave(&tr->region->lock, flags);
	*tail = saved;
	spin_unlock_irqrestore(&tr->region->lock, flags);
	KUNIT_EXPECT_EQ(test, myslab_region_check(tr->region), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(tr->region, p, 11), 0);
}

/*
 * The validator against allocating threads, bounded by its work as the
 * myslab_buddy_concurrency suite is: each thread makes BUSY_STEPS steps and
 * goes on until the test thread has made BUSY_MIN_ROUNDS checks, at least
 * one of which compared the sums (not -EBUSY), so that the two overlap; it
 * then frees what it holds, says it is done and waits to be stopped. A
 * thread still working after BUSY_STUCK_S is stuck: the case fails rather
 * than wait forever.
 */
#define BUSY_STEPS		4000
#define BUSY_MIN_ROUNDS		16
#define BUSY_STUCK_S		300
#define BUSY_HELD		16

struct busy_region;

struct busy_thread {
	struct busy_region *b;
	struct task_struct *task;
	unsigned long steps;
	unsigned long failures;		/* frees refused */
};

struct busy_region {
	struct myslab_region *region;
	struct busy_thread *threads;
	atomic_t working;		/* threads not done with their steps */
	atomic_t rounds;		/* checks the test thread has made */
	atomic_t compared;		/* of them, checks that were not -EBUSY */
	wait_queue_head_t done;		/* woken when the last one is done */
};

static int busy_region_fn(void *data)
{
	struct busy_thread *bt = data;
	struct busy_region *b = bt->b;
	void *held[BUSY_HELD] = { NULL };
	unsigned int order[BUSY_HELD] = { 0 };
	unsigned int i;

	while (bt->steps < BUSY_STEPS ||
	       atomic_read(&b->rounds) < BUSY_MIN_ROUNDS ||
	       !atomic_read(&b->compared)) {
		/* Only a case that gave up on a stuck thread stops one early. */
		if (kthread_should_stop())
			break;
		i = get_random_u32_below(BUSY_HELD);
		if (held[i]) {
			if (myslab_free_pages(b->region, held[i], order[i]))
				bt->failures++;
			held[i] = NULL;
		} else {
			order[i] = get_random_u32_below(4) ? 0 : get_random_u32_below(6);
			held[i] = myslab_alloc_pages(b->region, order[i],
						     GFP_KERNEL | __GFP_NOWARN);
		}
		if (!(++bt->steps % 64))
			cond_resched();
	}
	for (i = 0; i < BUSY_HELD; i++)
		if (held[i] && myslab_free_pages(b->region, held[i], order[i]))
			bt->failures++;
	if (atomic_dec_and_test(&b->working))
		wake_up(&b->done);

	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * The validator while a thread on every online CPU allocates and frees: it
 * drops the region's lock between chunks, so it must never report a
 * problem of a sound region in use; it may only say it could not compare
 * the sums (-EBUSY), and not every time.
 */
static void region_check_while_busy(struct kunit *test)
{
	unsigned long rounds = 0, busy = 0, steps = 0, failures = 0, give_up;
	struct myslab_test_region *tr;
	unsigned int nr = 0, i;
	int ret, problems = 0, other = 0, cpu;
	struct busy_region *b;

	tr = myslab_test_region_create(test, SZ_8M, 10, 8);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->region = tr->region;
	init_waitqueue_head(&b->done);
	b->threads = kunit_kcalloc(test, nr_cpu_ids, sizeof(*b->threads), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b->threads);

	for_each_online_cpu(cpu) {
		struct busy_thread *bt = &b->threads[nr++];

		bt->b = b;
		bt->task = kthread_create_on_cpu(busy_region_fn, bt, cpu,
						 "myslab_busy/%u");
		if (IS_ERR(bt->task))
			bt->task = NULL;
	}
	for (i = 0; i < nr; i++)
		if (b->threads[i].task)
			atomic_inc(&b->working);
	for (i = 0; i < nr; i++)
		if (b->threads[i].task)
			wake_up_process(b->threads[i].task);

	give_up = jiffies + BUSY_STUCK_S * HZ;
	while (atomic_read(&b->working) && time_before(jiffies, give_up)) {
		ret = myslab_region_check(tr->region);
		rounds++;
		if (ret == -EBUSY)
			busy++;
		else if (ret > 0)
			problems += ret;
		else if (ret < 0)
			other++;
		if (ret != -EBUSY)
			atomic_inc(&b->compared);
		atomic_inc(&b->rounds);
		cond_resched();
	}
	if (!wait_event_timeout(b->done, !atomic_read(&b->working),
				BUSY_STUCK_S * HZ))
		KUNIT_FAIL(test, "%d threads still working after %d s",
			   atomic_read(&b->working), BUSY_STUCK_S);
	for (i = 0; i < nr; i++)
		if (b->threads[i].task)
			kthread_stop(b->threads[i].task);

	for (i = 0; i < nr; i++) {
		struct busy_thread *bt = &b->threads[i];

		KUNIT_EXPECT_NOT_NULL_MSG(test, bt->task, "thread %u not started", i);
		KUNIT_EXPECT_GE_MSG(test, bt->steps, (unsigned long)BUSY_STEPS, "thread %u", i);
		steps += bt->steps;
		failures += bt->failures;
	}
	KUNIT_EXPECT_EQ(test, nr, num_online_cpus());
	KUNIT_EXPECT_EQ(test, problems, 0);
	KUNIT_EXPECT_EQ(test, other, 0);
	KUNIT_EXPECT_EQ(test, failures, 0UL);
	KUNIT_EXPECT_GE(test, rounds, (unsigned long)BUSY_MIN_ROUNDS);
	KUNIT_EXPECT_LT(test, busy, rounds);
	kunit_info(test, "%u threads, %lu steps, %lu checks while busy, %lu of them -EBUSY\n",
		   nr, steps, rounds, busy);
}

static struct kunit_case buddy_debug_cases[] = {
	KUNIT_CASE_PARAM(fault_seam_every_nth_balanced, fault_intervals_gen_params),
	KUNIT_CASE(fault_not_asked_above_max_order),
	KUNIT_CASE_PARAM(fault_attr_rates_balanced, fault_rates_gen_params),
	KUNIT_CASE(fault_nofail_never_injected),
	KUNIT_CASE(poison_damage_found_on_alloc),
	KUNIT_CASE(poison_damage_found_through_pcp),
	KUNIT_CASE(poison_damage_found_by_validate_once),
	KUNIT_CASE(poison_clean_use_reports_nothing),
	KUNIT_CASE(poison_invalid_free_leaves_block_alone),
	KUNIT_CASE(kasan_shadow_follows_free_pages),
	KUNIT_CASE(track_hooks_see_page_blocks_only),
	KUNIT_CASE(kmemleak_tracks_page_blocks),
	KUNIT_CASE(double_free_race_claims_once),
	KUNIT_CASE(half_freed_block_seen_allocated),
	KUNIT_CASE_PARAM(extfrag_formulas, frag_cases_gen_params),
	KUNIT_CASE(extfrag_printing),
	KUNIT_CASE(extfrag_of_fragmented_region),
	KUNIT_CASE(page_map_text),
	KUNIT_CASE(page_map_covers_region),
	KUNIT_CASE(page_map_across_chunks),
	KUNIT_CASE(counter_names),
	KUNIT_CASE(nofail_on_full_region_counted),
	KUNIT_CASE(nofail_above_max_order_reported),
	KUNIT_CASE(region_check_across_chunks),
	KUNIT_CASE(region_check_while_busy),
	KUNIT_CASE(reset_counters_keeps_accounting),
	KUNIT_CASE(actions_reject_bad_writes),
	{}
};

static struct kunit_suite buddy_debug_suite = {
	.name = "myslab_buddy_debug",
	.test_cases = buddy_debug_cases,
};

kunit_test_suites(&buddy_debug_suite);
