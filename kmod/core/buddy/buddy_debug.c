// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy debug paths: page poisoning, fault injection and the hooks
 * that let the kernel's detectors (KASAN, kmemleak) watch a region's blocks.
 *
 * A region created with debug options or hooks (struct myslab_region_debug)
 * has debug_on set, and its public allocation and free functions then take
 * the paths below instead of their normal ones: one predictable branch when
 * debugging is off. The hooks themselves are module glue (buddy_hooks.c);
 * this file only calls them, so it compiles unmodified in userspace.
 *
 * Calls go down only: blocks are taken and given back through the block
 * level (buddy_block.h, buddy_block.c), as the page API's plain paths do,
 * and free validation is the free lists' (buddy_freelists.c); the poison is
 * checked in buddy_poison.c, a leaf, which the validator and the per-CPU
 * page lists use too without calling up here. Only buddy.c calls this file.
 *
 * Order of operations, so that no detector sees the allocator touch memory
 * it has declared inaccessible:
 *
 *   free:  validate and claim the block (lock-free, one cmpxchg)
 *          -> stop leak tracking -> fill with poison -> poison shadow
 *          -> give the block back (the claim ends)
 *   alloc: ask should_fail (not for __GFP_NOFAIL) -> take a block
 *          -> unpoison shadow -> check the poison -> start leak tracking
 *          -> zero if asked
 *
 * The claim comes first so that a free of a block is done once: of two
 * frees of one block racing on two CPUs, the one that claims it untracks,
 * poisons and gives it back, and the other is a double free that touches
 * nothing, neither the memory nor the detectors. While it is claimed, the
 * block is on no free list and in no per-CPU page list, so nobody can allocate
 * it before its poison is complete; and the poisoning runs with no lock
 * held and interrupts as the caller had them.
 *
 * On a poison error the allocation still succeeds: like SLUB after its
 * "FIX" line, the damage is reported (region, page, offset, bytes) and
 * counted, and the block is handed out, its contents being the new owner's
 * business from now on. Leaking it as the kernel's "Bad page state" does
 * would need a fourth term in the accounting identity and would make every
 * region with a planted error impossible to tear down cleanly.
 *
 * This is a core file: no module glue.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "buddy_block.h"
#include "buddy_internal.h"

/* === Region setup === */

/* The region was just carved: every page is free. */
void myslab_buddy_debug_init(struct myslab_region *r)
{
	if (r->debug.flags & MYSLAB_DEBUG_POISON)
		memset(r->base, MYSLAB_PAGE_POISON, r->mem.size);
	if (r->debug.shadow_poison)
		r->debug.shadow_poison(r->base, r->mem.size);
}

/* The region is being destroyed, every page free: hand the memory back as it came. */
void myslab_buddy_debug_exit(struct myslab_region *r)
{
	if (r->debug.shadow_unpoison)
		r->debug.shadow_unpoison(r->base, r->mem.size);
}

/* === Allocation === */

/*
 * A __GFP_NOFAIL allocation is never failed on purpose, and the hook is not
 * even asked (a fault_attr's times and interval are not spent on it), as
 * the kernel's fail_page_alloc exempts it: its caller has no failure path
 * for an injected failure to exercise.
 */
static bool inject_fault(struct myslab_region *r, unsigned int order, gfp_t gfp)
{
	unsigned long flags;

	if (!r->debug.should_fail || order > r->max_order ||
	    (gfp & __GFP_NOFAIL) ||
	    !r->debug.should_fail(r->debug.data, order, gfp))
		return false;

	spin_lock_irqsave(&r->lock, flags);
	myslab_count(r, MYSLAB_BUDDY_FAULTS_INJECTED);
	myslab_count(r, MYSLAB_BUDDY_FAILED);
	spin_unlock_irqrestore(&r->lock, flags);
	if (!(gfp & __GFP_NOWARN))
		pr_warn_ratelimited("region %s: order-%u allocation failed: fault injected\n",
				    r->name, order);
	return true;
}

/**
 * myslab_buddy_debug_alloc - allocation path of a region with debugging on
 * @r:		the region
 * @order:	order wanted
 * @gfp:	the caller's flags
 * @state:	MYSLAB_BLOCK_ALLOC or MYSLAB_BLOCK_SLAB
 * @owner:	slab owner for MYSLAB_BLOCK_SLAB
 *
 * Return: the block's first byte, or NULL (failure counted).
 */
void *myslab_buddy_debug_alloc(struct myslab_region *r, unsigned int order,
			       gfp_t gfp, enum myslab_block_state state,
			       void *owner)
{
	unsigned int damaged;
	size_t size;
	void *addr;
	u32 idx;

	if (inject_fault(r, order, gfp))
		return NULL;
	idx = myslab_alloc_block(r, order, gfp, state, owner);
	if (idx == MYSLAB_NIL)
		return NULL;

	addr = myslab_page_addr(r, idx);
	size = PAGE_SIZE << order;
	if (r->debug.shadow_unpoison)
		r->debug.shadow_unpoison(addr, size);
	if (r->debug.flags & MYSLAB_DEBUG_POISON) {
		damaged = myslab_buddy_poison_check_alloc(r, idx, order);
		if (damaged)
			myslab_count_unlocked(r, MYSLAB_BUDDY_POISON_ERRORS, damaged);
	}
	if (state == MYSLAB_BLOCK_ALLOC && r->debug.track_alloc)
		r->debug.track_alloc(addr, size, gfp);
	return myslab_prep_block(r, idx, order, gfp, state);
}

/* === Free === */

/**
 * myslab_buddy_debug_free - free path of a region with debugging on
 * @r:		the region
 * @addr:	the block's first byte
 * @order:	the order the caller frees with
 * @expect:	MYSLAB_BLOCK_ALLOC or MYSLAB_BLOCK_SLAB
 *
 * The block is validated and claimed (its head marked MYSLAB_PAGE_FREEING)
 * before anything touches it, then untracked, poisoned (or zeroed under
 * init_on_free) and given back. A free that fails the check or loses the
 * claim to another free of the same block is reported and counted, and
 * changes nothing else. Page blocks freed under init_on_free take this path
 * on any region, for that order: claimed first, so that a refused free
 * zeroes nothing, and zeroed with no lock held.
 *
 * Return: 0 or the errno of an invalid free.
 */
int myslab_buddy_debug_free(struct myslab_region *r, void *addr,
			    unsigned int order, enum myslab_block_state expect)
{
	struct myslab_bad_free bad;
	unsigned long flags;
	size_t size;
	u32 idx;
	int err;

	/*
	 * Claimed with interrupts off, so that a stale claim's window stays
	 * short (see myslab_pcp_free(), which claims pinned instead); the
	 * claim takes no lock, so this is fine with PREEMPT_RT too.
	 */
	local_irq_save(flags);
	err = myslab_claim_free(r, addr, order, expect,
				expect | MYSLAB_PAGE_FREEING, &idx, &bad);
	local_irq_restore(flags);
	if (unlikely(err)) {
		myslab_report_invalid_free(r, addr, order, expect, &bad);
		return err;
	}

	size = PAGE_SIZE << order;
	if (expect == MYSLAB_BLOCK_ALLOC && r->debug.track_free)
		r->debug.track_free(addr);
	/* Poison takes precedence over init_on_free, as in the kernel. */
	if (r->debug.flags & MYSLAB_DEBUG_POISON)
		memset(addr, MYSLAB_PAGE_POISON, size);
	else if (expect == MYSLAB_BLOCK_ALLOC && want_init_on_free())
		memset(addr, 0, size);
	if (r->debug.shadow_poison)
		r->debug.shadow_poison(addr, size);
	myslab_release_claimed(r, idx, order, expect);
	return 0;
}
