// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy blocks, out of line (the inline part and the declarations
 * are in buddy_block.h): the slow path of an allocation that found nothing,
 * which drains the per-CPU page lists and retries once, and the frees, a
 * validated one (myslab_release_block()) and the end of one the debug paths
 * have claimed (myslab_release_claimed()). A page block of an order up to
 * MYSLAB_PCP_MAX_ORDER goes to the calling CPU's page lists (buddy_pcp.c)
 * when the region has them, every other block to the free lists
 * (buddy_freelists.c).
 *
 * Below the page API (buddy.c) and the debug paths (buddy_debug.c), so that
 * both take and give back blocks by calling down; nothing here calls up
 * into either.
 *
 * This is a core file: no module glue, only the kernel primitives that
 * userspace_tools/sim/ also provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

#include "buddy_block.h"
#include "buddy_internal.h"

/*
 * myslab_alloc_block() found nothing: free pages may sit in per-CPU page lists,
 * so bring them all back (they merge on the way), retry once, and count the
 * failure. In interrupt context only the page lists whose locks are free are
 * drained (myslab_drain_pcp()): one may be held by the task interrupted.
 */
noinline u32 myslab_alloc_block_slowpath(struct myslab_region *r,
					 unsigned int order, gfp_t gfp,
					 enum myslab_block_state state,
					 void *owner)
{
	unsigned long flags, free_pages;
	bool nofail_report = false;
	u32 idx;

	if (order <= r->max_order && r->pcp) {
		myslab_drain_pcp(r);
		idx = myslab_use_pcp(r, order, state) ?
		      myslab_pcp_alloc(r, order) :
		      myslab_buddy_alloc(r, order, state, owner, false);
		if (idx != MYSLAB_NIL)
			return idx;
	}

	spin_lock_irqsave(&r->lock, flags);
	myslab_count(r, MYSLAB_BUDDY_FAILED);
	if (unlikely(gfp & __GFP_NOFAIL)) {
		myslab_count(r, MYSLAB_BUDDY_NOFAIL_FAILED);
		/* Counted where it is decided: exactly the reports printed. */
		nofail_report = !r->nofail_reports;
		r->nofail_reports += nofail_report;
	}
	free_pages = r->free_pages;
	spin_unlock_irqrestore(&r->lock, flags);

	/*
	 * A region cannot grow, nor serve an order above its max_order, so
	 * __GFP_NOFAIL cannot be honoured: say so, and why, once per region,
	 * whatever __GFP_NOWARN says (the kernel warns once too where it
	 * cannot honour it), and count every time. Not a WARN: the caller's
	 * bug deserves a report, not a splat with a stack.
	 */
	if (unlikely(nofail_report)) {
		if (order > r->max_order)
			pr_warn("region %s: order-%u __GFP_NOFAIL allocation failed: above max_order %u; returning NULL (reported once per region, counted in nofail_failed)\n",
				r->name, order, r->max_order);
		else
			pr_warn("region %s: order-%u __GFP_NOFAIL allocation failed: %lu of %lu pages free and a region cannot grow; returning NULL (reported once per region, counted in nofail_failed)\n",
				r->name, order, free_pages, r->nr_pages);
	} else if (!(gfp & (__GFP_NOFAIL | __GFP_NOWARN))) {
		if (order > r->max_order)
			pr_warn_ratelimited("region %s: order-%u allocation refused: above max_order %u\n",
					    r->name, order, r->max_order);
		else
			pr_warn_ratelimited("region %s: order-%u allocation failed: %lu of %lu pages free, none in a large enough block\n",
					    r->name, order, free_pages, r->nr_pages);
	}
	return MYSLAB_NIL;
}

/*
 * Validate and free a block through the free lists. What needs no
 * descriptor is checked before interrupts go off; under the lock, one
 * descriptor is read and the block freed.
 */
static int free_checked(struct myslab_region *r, void *addr,
			unsigned int order, enum myslab_block_state expect)
{
	struct myslab_bad_free bad;
	unsigned long flags;
	u32 idx;
	int err;

	err = myslab_check_free_addr(r, addr, order, &bad);
	if (likely(!err)) {
		idx = myslab_page_index(r, addr);
		spin_lock_irqsave(&r->lock, flags);
		err = myslab_check_free_block(r, idx, order, expect, &bad);
		/*
		 * A lock-free claim of the head (a stale per-CPU free on
		 * another CPU, or a debug free) can land between the check
		 * and the writes below, which would leave it holding a page
		 * this free turns into a tail: take the head by the same
		 * cmpxchg(), or look again and say what holds it now.
		 */
		while (likely(!err) &&
		       cmpxchg(&r->pages[idx].state, (u8)expect,
			       (u8)(expect | MYSLAB_PAGE_FREEING)) != (u8)expect)
			err = myslab_check_free_block(r, idx, order, expect, &bad);
		if (likely(!err))
			myslab_free_locked(r, idx, order, expect);
		spin_unlock_irqrestore(&r->lock, flags);
	}
	if (unlikely(err))
		myslab_report_invalid_free(r, addr, order, expect, &bad);
	return err;
}

/**
 * myslab_release_block - validate and free a block for the public functions
 * @r:		the region
 * @addr:	the block's first byte
 * @order:	the order the caller frees with
 * @expect:	MYSLAB_BLOCK_ALLOC (page API) or MYSLAB_BLOCK_SLAB
 *
 * Page blocks of orders up to MYSLAB_PCP_MAX_ORDER go to the calling CPU's
 * page list when the region has per-CPU page lists, everything else to the
 * free lists.
 *
 * Return: 0 or the errno of an invalid free (reported and counted).
 */
int myslab_release_block(struct myslab_region *r, void *addr,
			 unsigned int order, enum myslab_block_state expect)
{
	if (myslab_use_pcp(r, order, expect))
		return myslab_pcp_free(r, addr, order);
	return free_checked(r, addr, order, expect);
}

/**
 * myslab_release_claimed - give back a block its free has claimed
 * @r:		the region
 * @idx:	the block's first page, claimed (MYSLAB_PAGE_FREEING)
 * @order:	the block's order, as checked before the claim
 * @expect:	the kind of block claimed (MYSLAB_BLOCK_ALLOC or _SLAB)
 *
 * The end of the debug free path: the block was validated and claimed
 * before it was untracked and poisoned, so it is given back unchecked and
 * this cannot fail. Goes where myslab_release_block() would send it; the
 * head's state becomes FREE or PCP, which ends the claim.
 */
void myslab_release_claimed(struct myslab_region *r, u32 idx,
			    unsigned int order, enum myslab_block_state expect)
{
	unsigned long flags;

	if (myslab_use_pcp(r, order, expect)) {
		myslab_pcp_free_claimed(r, idx, order);
		return;
	}
	spin_lock_irqsave(&r->lock, flags);
	myslab_free_locked(r, idx, order, expect);
	spin_unlock_irqrestore(&r->lock, flags);
}
