/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab buddy blocks: one block taken or given back, for the page API and
 * the slab seam (buddy.c) and for the debug paths (buddy_debug.c), which
 * both stand on it; the out-of-line part is buddy_block.c. A page block of
 * an order up to MYSLAB_PCP_MAX_ORDER goes through the calling CPU's page
 * lists (buddy_pcp.c) when the region has them, every other block through
 * the free lists (buddy_freelists.c); calls go down only.
 *
 * The allocation and its zeroing are here, inline, because they are the
 * whole way of an order-0 allocation from the page API to its per-CPU
 * list: out of line they cost it a call and a tail call (gcc compiled them
 * so while they were in buddy.c; clang inlined them there). The slow path
 * and the frees are out of line: the page API reaches a free by a tail call
 * either way, and the slow path is no place to spend every caller's code.
 */
#ifndef _MYSLAB_BUDDY_BLOCK_H
#define _MYSLAB_BUDDY_BLOCK_H

#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/types.h>

#include "buddy_internal.h"

/* Page blocks of the small orders go through the per-CPU page lists. */
static inline bool myslab_use_pcp(const struct myslab_region *r,
				  unsigned int order,
				  enum myslab_block_state state)
{
	return r->pcp && order <= MYSLAB_PCP_MAX_ORDER &&
	       state == MYSLAB_BLOCK_ALLOC;
}

u32 myslab_alloc_block_slowpath(struct myslab_region *r, unsigned int order,
				gfp_t gfp, enum myslab_block_state state,
				void *owner);

/**
 * myslab_alloc_block - take a block for the public allocation functions
 * @r:		the region
 * @order:	order wanted
 * @gfp:	the caller's flags (__GFP_NOWARN)
 * @state:	MYSLAB_BLOCK_ALLOC or MYSLAB_BLOCK_SLAB
 * @owner:	slab owner for MYSLAB_BLOCK_SLAB
 *
 * Return: the block's first page, marked @state, or MYSLAB_NIL (counted).
 */
static __always_inline u32 myslab_alloc_block(struct myslab_region *r,
					      unsigned int order, gfp_t gfp,
					      enum myslab_block_state state,
					      void *owner)
{
	u32 idx = MYSLAB_NIL;

	if (likely(order <= r->max_order))
		idx = myslab_use_pcp(r, order, state) ?
		      myslab_pcp_alloc(r, order) :
		      myslab_buddy_alloc(r, order, state, owner, false);
	if (unlikely(idx == MYSLAB_NIL))
		idx = myslab_alloc_block_slowpath(r, order, gfp, state, owner);
	return idx;
}

/*
 * Zero a page block being handed out? Always for __GFP_ZERO; under
 * init_on_alloc or init_on_free, every block, except on a region that
 * poisons free pages: poisoning takes precedence over both policies, as the
 * kernel's page poisoning does. Where the kernel's page allocator counts on
 * init_on_free having zeroed every free page, this zeroes again: a region
 * starts with memory nobody zeroed, and a slab block's free zeroes nothing.
 */
static inline bool myslab_want_zeroed_pages(const struct myslab_region *r,
					    gfp_t gfp)
{
	if (r->debug.flags & MYSLAB_DEBUG_POISON)
		return gfp & __GFP_ZERO;
	return want_init_on_alloc(gfp) || want_init_on_free();
}

/*
 * The first byte of a block just allocated, zeroed as @state and @gfp ask:
 * a page block by the kernel's policy for pages, a slab block only for
 * __GFP_ZERO (the slab layer applies the policy to its objects).
 */
static __always_inline void *myslab_prep_block(struct myslab_region *r, u32 idx,
					       unsigned int order, gfp_t gfp,
					       enum myslab_block_state state)
{
	void *addr = myslab_page_addr(r, idx);
	bool zero = state == MYSLAB_BLOCK_ALLOC ?
		    myslab_want_zeroed_pages(r, gfp) : !!(gfp & __GFP_ZERO);

	if (zero)
		memset(addr, 0, PAGE_SIZE << order);
	return addr;
}

int myslab_release_block(struct myslab_region *r, void *addr,
			 unsigned int order, enum myslab_block_state expect);
void myslab_release_claimed(struct myslab_region *r, u32 idx,
			    unsigned int order, enum myslab_block_state expect);

#endif /* _MYSLAB_BUDDY_BLOCK_H */
