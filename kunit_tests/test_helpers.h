/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixtures shared by myslab's KUnit suites.
 *
 * myslab_test_region_create() builds a private region over freshly
 * vmalloc()ed memory for one test case. The region is a KUnit resource: when
 * the case ends (passed, failed or aborted by an assertion) it drains the
 * per-CPU page lists, expects myslab_region_check() to find nothing, expects no
 * page still allocated and no invalid free or poison error beyond the ones
 * the case planted (expected_invalid_frees, expected_poison_errors), then
 * destroys the region and frees the memory.
 * myslab_test_region_create_debug() does the same for a region with debug
 * options and hooks.
 */
#ifndef _MYSLAB_TEST_HELPERS_H
#define _MYSLAB_TEST_HELPERS_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/kmemleak.h>
#include <linux/preempt.h>
#include <linux/vmalloc.h>

#include <myslab/buddy.h>

/* === Contexts, the same test under PREEMPT_RT and without === */

/*
 * Stay on this CPU around myslab calls as tightly as the kernel allows:
 * preemption off without PREEMPT_RT; with it, migration off, since the
 * region's and the caches' spinlock_t sleep there and may not be taken with
 * preemption off.
 */
static inline void myslab_test_pin(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_disable();
	else
		preempt_disable();
}

static inline void myslab_test_unpin(void)
{
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_enable();
	else
		preempt_enable();
}

/*
 * The most atomic context a GFP_ATOMIC caller can be in: interrupts off
 * without PREEMPT_RT. With it no allocator may be called with interrupts
 * off; its atomic context is a spinlock_t's section, migration off, which
 * the caller adds with myslab_test_pin() when it needs it.
 */
static inline unsigned long myslab_test_irq_save(void)
{
	unsigned long flags = 0;

	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		local_irq_save(flags);
	return flags;
}

static inline void myslab_test_irq_restore(unsigned long flags)
{
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		local_irq_restore(flags);
}

/**
 * struct myslab_test_region - a private region owned by one test case
 * @test:	the case
 * @region:	the region
 * @base:	first byte of its memory
 * @size:	bytes of memory
 * @expected_invalid_frees: invalid frees the case commits on purpose; a case
 *		planting one increments this, and the end-of-case check expects
 *		exactly this many in the region's invalid_frees counter
 * @expected_poison_errors: likewise for damaged free pages the case plants
 *		(MYSLAB_DEBUG_POISON regions)
 */
struct myslab_test_region {
	struct kunit *test;
	struct myslab_region *region;
	void *base;
	size_t size;
	unsigned long expected_invalid_frees;
	unsigned long expected_poison_errors;
};

static inline void myslab_test_mem_release(struct myslab_mem *mem)
{
	vfree(mem->base);
}

static inline int myslab_test_region_res_init(struct kunit_resource *res,
					      void *context)
{
	res->data = context;
	return 0;
}

static inline void myslab_test_region_res_free(struct kunit_resource *res)
{
	struct myslab_test_region *tr = res->data;
	struct myslab_buddy_stats stats;

	myslab_drain_pcp(tr->region);
	KUNIT_EXPECT_EQ_MSG(tr->test, myslab_region_check(tr->region), 0,
			    "region inconsistent at the end of the case");
	myslab_buddy_stats(tr->region, &stats);
	KUNIT_EXPECT_EQ_MSG(tr->test, stats.alloc_pages, 0UL,
			    "pages still allocated at the end of the case");
	KUNIT_EXPECT_EQ_MSG(tr->test, stats.invalid_frees,
			    tr->expected_invalid_frees,
			    "invalid frees other than the planted ones");
	KUNIT_EXPECT_EQ_MSG(tr->test, stats.poison_errors,
			    tr->expected_poison_errors,
			    "poison errors other than the planted ones");
	myslab_region_destroy(tr->region);
}

/**
 * myslab_test_region_create_debug - a private region with debug options
 * @test:	the case
 * @size:	bytes, a multiple of PAGE_SIZE
 * @max_order:	the region's max_order
 * @pcp_batch:	per-CPU page list batch, 0 for none
 * @debug:	debug options and hooks, or NULL
 *
 * Aborts the case when the region cannot be made.
 *
 * Return: the fixture; destroyed and checked automatically when the case ends.
 */
static inline struct myslab_test_region *
myslab_test_region_create_debug(struct kunit *test, size_t size,
				unsigned int max_order, unsigned int pcp_batch,
				const struct myslab_region_debug *debug)
{
	struct myslab_test_region *tr;
	void *res;
	struct myslab_mem mem = {
		.size = size,
		.provider = "kunit",
		.release = myslab_test_mem_release,
	};

	tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tr);
	mem.base = vmalloc(size);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, mem.base);
	/* Region memory is untracked, as in the module (see region_main.c). */
	kmemleak_free(mem.base);

	tr->test = test;
	tr->base = mem.base;
	tr->size = size;
	tr->region = myslab_region_create_debug("kunit", &mem, max_order,
						pcp_batch, debug);
	if (IS_ERR(tr->region))
		vfree(mem.base);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tr->region);
	res = kunit_alloc_resource(test, myslab_test_region_res_init,
				   myslab_test_region_res_free, GFP_KERNEL, tr);
	if (!res)
		myslab_region_destroy(tr->region);
	KUNIT_ASSERT_NOT_NULL(test, res);
	return tr;
}

/**
 * myslab_test_region_create - a private region for the current test case
 * @test:	the case
 * @size:	bytes, a multiple of PAGE_SIZE
 * @max_order:	the region's max_order
 * @pcp_batch:	per-CPU page list batch, 0 for none
 *
 * Aborts the case when the region cannot be made.
 *
 * Return: the fixture; destroyed and checked automatically when the case ends.
 */
static inline struct myslab_test_region *
myslab_test_region_create(struct kunit *test, size_t size,
			  unsigned int max_order, unsigned int pcp_batch)
{
	return myslab_test_region_create_debug(test, size, max_order,
					       pcp_batch, NULL);
}

#endif /* _MYSLAB_TEST_HELPERS_H */
