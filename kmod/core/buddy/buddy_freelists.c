// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy free lists: the bottom of the buddy core, which the block
 * level (buddy_block.c), the per-CPU page lists (buddy_pcp.c), the debug
 * paths and the page API (buddy.c) stand on. It splits and merges blocks on
 * the free lists, links pages into the index-linked lists the free lists
 * and the per-CPU page lists are made of, finds the block a page lies in,
 * validates a free (and claims its block for the paths that free with no
 * lock held) and reports a refused one, and takes or gives back one block
 * under the region's lock.
 *
 * Locking: the free lists, the region's counters and the descriptors of
 * free blocks are protected by region->lock (struct myslab_region).
 * myslab_rmqueue(), myslab_free_block(), myslab_note_high_water() and
 * myslab_free_locked() expect it held; myslab_buddy_alloc(),
 * myslab_count_unlocked() and the _pcp_busy pair take it, irqsave. The list
 * helpers run under whichever lock protects the list: region->lock for a
 * free list, a per-CPU page list's lock for its lists. Free validation and
 * myslab_claim_free() need no lock.
 *
 * Calls go down only: nothing here calls another buddy file.
 *
 * This is a core file: no module glue, only the kernel primitives that
 * userspace_tools/sim/ also provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

#include "buddy_internal.h"

/*
 * === The buddy of a block ===
 *
 * Page offsets count pages from the region's base, so only the base's page
 * alignment matters. A block of order k starts at a multiple of 2^k and is
 * one half of the order k+1 block that starts at off & ~(2^(k+1) - 1): bit k
 * of off says which half (0: lower, 1: upper). The other half, its buddy, is
 * therefore off with bit k flipped:
 *
 *	buddy(off, k) = off ^ (1 << k)		(in bytes: off ^ (PAGE_SIZE << k))
 *
 * and the pair merges into the order k+1 block at off & ~(1 << k).
 *
 * Worked example, order 2 (4 pages), block at page 12 = 0b1100: bit 2 is set,
 * so it is the upper half of the order-3 block at 8 = 0b1000, and its buddy
 * is 12 ^ 4 = 8. From the other side, page 8 = 0b1000 has bit 2 clear and its
 * buddy is 8 ^ 4 = 12. Merged, they make the order-3 block at 12 & ~4 = 8. In
 * bytes with 4 KiB pages: 0xc000 ^ 0x4000 = 0x8000.
 *
 *	pages  0   4   8   12  16
 *	       |       |[B][A] |	A = order 2 at 12, B = buddy(12, 2) = 8
 *	       |       [  A+B  ]	merged: order 3 at 8
 *
 * A block whose buddy would run past the end of a region that is not a power
 * of two pages long has no buddy and never merges: the region is carved at
 * creation into the largest aligned blocks that fit, which is also exactly
 * what freeing everything merges back to.
 */

static const char *const state_names[] = {
	[MYSLAB_BLOCK_FREE]	= "free",
	[MYSLAB_BLOCK_PCP]	= "free in a per-CPU page list",
	[MYSLAB_BLOCK_ALLOC]	= "allocated pages",
	[MYSLAB_BLOCK_SLAB]	= "a slab",
};

static_assert(ARRAY_SIZE(state_names) == MYSLAB_BLOCK_SLAB + 1);

const char *myslab_state_name(enum myslab_block_state state)
{
	return state < ARRAY_SIZE(state_names) ? state_names[state] : "corrupt";
}

/* === Counting from outside the lock === */

/* Count @n events from a path that does not hold the region's lock. */
void myslab_count_unlocked(struct myslab_region *r,
			   enum myslab_buddy_counter counter, unsigned long n)
{
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	r->counters[counter] += n;
	spin_unlock_irqrestore(&r->lock, flags);
}

/* === Index-linked lists of pages === */

void myslab_list_add(struct myslab_region *r, struct myslab_list *list, u32 idx)
{
	struct myslab_page *p = &r->pages[idx];

	p->free.prev = MYSLAB_NIL;
	p->free.next = list->first;
	if (list->first != MYSLAB_NIL)
		r->pages[list->first].free.prev = idx;
	else
		list->last = idx;
	list->first = idx;
	list->count++;
}

void myslab_list_add_tail(struct myslab_region *r, struct myslab_list *list,
			  u32 idx)
{
	struct myslab_page *p = &r->pages[idx];

	p->free.next = MYSLAB_NIL;
	p->free.prev = list->last;
	if (list->last != MYSLAB_NIL)
		r->pages[list->last].free.next = idx;
	else
		list->first = idx;
	list->last = idx;
	list->count++;
}

void myslab_list_del(struct myslab_region *r, struct myslab_list *list, u32 idx)
{
	struct myslab_page *p = &r->pages[idx];

	if (p->free.prev != MYSLAB_NIL)
		r->pages[p->free.prev].free.next = p->free.next;
	else
		list->first = p->free.next;
	if (p->free.next != MYSLAB_NIL)
		r->pages[p->free.next].free.prev = p->free.prev;
	else
		list->last = p->free.prev;
	p->free.next = MYSLAB_NIL;
	p->free.prev = MYSLAB_NIL;
	list->count--;
}

/* === Free lists: split and merge (region->lock held) === */

static inline void add_free(struct myslab_region *r, u32 idx, unsigned int order)
{
	struct myslab_page *p = &r->pages[idx];

	p->flags |= MYSLAB_PAGE_BUDDY;
	p->order = order;
	myslab_set_page_state(p, MYSLAB_BLOCK_FREE);
	myslab_list_add(r, &r->free_area[order], idx);
	r->gen++;
}

static inline void del_free(struct myslab_region *r, u32 idx, unsigned int order)
{
	myslab_list_del(r, &r->free_area[order], idx);
	r->pages[idx].flags &= ~MYSLAB_PAGE_BUDDY;
	r->gen++;
}

/* Is the block at page @buddy a free block of exactly @order? */
bool myslab_buddy_is_free(const struct myslab_region *r, u32 buddy,
			  unsigned int order)
{
	const struct myslab_page *p;

	/* Past the end of the region there is no buddy to merge with. */
	if (buddy >= r->nr_pages || r->nr_pages - buddy < (1UL << order))
		return false;
	p = &r->pages[buddy];
	return (p->flags & MYSLAB_PAGE_BUDDY) && p->order == order;
}

void myslab_note_high_water(struct myslab_region *r)
{
	unsigned long out = r->nr_pages - r->free_pages;

	lockdep_assert_held(&r->lock);
	if (out > r->high_water)
		r->high_water = out;
}

/**
 * myslab_rmqueue - take a free block of @order off the free lists
 * @r:		the region
 * @order:	order wanted, at most r->max_order
 *
 * Takes the first block of the smallest order >= @order that has one and
 * splits it down, keeping the lower half and putting each upper half back
 * one order lower (as the kernel's expand() does): O(max_order).
 *
 * Each upper half put back gets its head's descriptor; no other page is
 * written.
 *
 * Return: the block's first page index, or MYSLAB_NIL when none is free.
 * Its head keeps state FREE; the caller marks it.
 */
u32 myslab_rmqueue(struct myslab_region *r, unsigned int order)
	__must_hold(&r->lock)
{
	unsigned int cur;
	u32 idx;

	lockdep_assert_held(&r->lock);
	for (cur = order; cur <= r->max_order; cur++)
		if (r->free_area[cur].first != MYSLAB_NIL)
			break;
	if (cur > r->max_order)
		return MYSLAB_NIL;

	idx = r->free_area[cur].first;
	del_free(r, idx, cur);
	while (cur > order) {
		cur--;
		add_free(r, idx + (1u << cur), cur);
		myslab_count(r, MYSLAB_BUDDY_SPLITS);
	}
	r->free_pages -= 1UL << order;
	return idx;
}

/**
 * myslab_free_block - give a block back to the free lists, merging buddies
 * @r:		the region
 * @idx:	first page of the block, aligned to @order
 * @order:	the block's order
 *
 * The block's tail pages must be tail pages already (MYSLAB_PAGE_TAIL; a
 * slab block's are reset by its free). Merges with the buddy while the buddy
 * is a free block of the same order, up to r->max_order, and the upper half
 * of each pair becomes a tail page: O(max_order), whatever the order.
 */
void myslab_free_block(struct myslab_region *r, u32 idx, unsigned int order)
	__must_hold(&r->lock)
{
	u32 buddy;

	lockdep_assert_held(&r->lock);
	r->free_pages += 1UL << order;

	while (order < r->max_order) {
		buddy = idx ^ (1u << order);
		if (!myslab_buddy_is_free(r, buddy, order))
			break;
		del_free(r, buddy, order);
		myslab_count(r, MYSLAB_BUDDY_MERGES);
		/*
		 * The upper half's head is a tail of the merged block now. It
		 * names itself already and has no flag left (del_free() took
		 * the buddy's): its order and state are all that change.
		 */
		r->pages[idx | (1u << order)].order = 0;
		WRITE_ONCE(r->pages[idx | (1u << order)].state, MYSLAB_PAGE_TAIL);
		idx &= ~(1u << order);
		order++;
	}
	add_free(r, idx, order);
}

/*
 * Carve a fresh region into the largest aligned blocks that fit: every page
 * starts as a tail page, then each block's head is marked. The only pass
 * over every descriptor, once per region.
 */
void myslab_carve(struct myslab_region *r)
{
	unsigned long idx;
	unsigned int order;

	for (idx = 0; idx < r->nr_pages; idx++)
		myslab_set_page_tail(&r->pages[idx], idx);
	idx = 0;
	while (idx < r->nr_pages) {
		order = r->max_order;
		while ((idx & ((1UL << order) - 1)) ||
		       r->nr_pages - idx < (1UL << order))
			order--;
		add_free(r, idx, order);
		r->free_pages += 1UL << order;
		idx += 1UL << order;
	}
}

/*
 * Mark a block just taken off the free lists as allocated: its head alone,
 * and for a slab every page, so that myslab_slab_owner() reads a pointer's
 * own page and then its head, whatever the slab's order.
 */
static void mark_allocated(struct myslab_region *r, u32 idx,
			   unsigned int order, enum myslab_block_state state,
			   void *owner)
{
	struct myslab_page *p = &r->pages[idx];
	unsigned long i;

	if (state == MYSLAB_BLOCK_SLAB) {
		for (i = idx + 1; i < (unsigned long)idx + (1UL << order); i++) {
			r->pages[i].head = idx;
			r->pages[i].order = order;
			myslab_set_page_state(&r->pages[i], state);
		}
	}
	p->order = order;
	WRITE_ONCE(p->owner, owner);
	myslab_set_page_state(p, state);
}

/* A slab block's tail pages become plain tail pages again. */
static void clear_slab_tails(struct myslab_region *r, u32 idx,
			     unsigned int order)
{
	unsigned long i;

	for (i = idx + 1; i < (unsigned long)idx + (1UL << order); i++)
		myslab_set_page_tail(&r->pages[i], i);
}

/* === The block holding a page === */

/**
 * myslab_find_head - the head of the block holding page @idx
 * @r:		the region
 * @idx:	a page of the region
 * @order:	where the block's order goes
 *
 * Blocks are aligned to their order, so the head of the block holding @idx
 * at order k is @idx with its low k bits cleared. Tries @idx itself (every
 * order up to its own alignment names it), then @idx with its lowest set
 * bit cleared, and so on while a block there could reach @idx within
 * max_order: at most max_order + 1 descriptors, the first that heads a
 * block reaching @idx being the one. Exact under region->lock; without it
 * (the report of a refused free) a block changing meanwhile may be missed.
 *
 * Return: the head's index, or MYSLAB_NIL when no head reaches @idx (a
 * damaged descriptor: never in a consistent region).
 */
u32 myslab_find_head(const struct myslab_region *r, u32 idx,
		     unsigned int *order)
{
	unsigned int k;
	u32 h;

	for (h = idx;; h &= h - 1) {
		if (myslab_page_is_head(r, h, &k) && idx - h < (1UL << k)) {
			*order = k;
			return h;
		}
		/* A block at the next candidate would be above max_order. */
		if (!h || (h & -h) >= (1UL << r->max_order))
			return MYSLAB_NIL;
	}
}

/* === Free validation === */

/*
 * What a refused free of page @idx (aligned to @order, inside the region)
 * found: the block the page lies in, as the old per-page descriptors would
 * have said it. The slow path of myslab_check_free_block(); with no lock
 * held (the per-CPU and debug paths) the answer may mix two moments of a
 * block changing under it, as any unlocked look may.
 */
static noinline int bad_free_block(const struct myslab_region *r, u32 idx,
				   unsigned int order,
				   enum myslab_block_state expect,
				   struct myslab_bad_free *bad)
{
	const struct myslab_page *p = &r->pages[idx];
	unsigned int k;
	u32 head;
	u8 state;

	state = READ_ONCE(p->state);
	*bad = (struct myslab_bad_free){
		.state = state & ~MYSLAB_PAGE_FREEING,
		.freeing = state & MYSLAB_PAGE_FREEING,
		.head = READ_ONCE(p->head),
		.order = READ_ONCE(p->order),
	};
	if (state == MYSLAB_PAGE_TAIL) {
		/* A tail page: the block it lies in says what it is. */
		head = myslab_find_head(r, idx, &k);
		bad->state = MYSLAB_BLOCK_FREE;
		bad->head = idx;
		bad->order = 0;
		if (head != MYSLAB_NIL) {
			bad->state = myslab_page_state(&r->pages[head]);
			bad->head = head;
			bad->order = k;
		}
	}
	if (bad->freeing ||
	    (bad->state != MYSLAB_BLOCK_ALLOC && bad->state != MYSLAB_BLOCK_SLAB))
		return bad->err = -EALREADY;
	if (bad->head != idx)
		return bad->err = -EINVAL;
	if (bad->order != order)
		return bad->err = -ERANGE;
	if (bad->state != expect)
		return bad->err = -EBUSY;
	return bad->err = 0;
}

/**
 * myslab_check_free_block - is freeing page @idx with @order as @expect valid?
 * @r:		the region
 * @idx:	page being freed, inside the region and aligned to @order
 *		(myslab_check_free_addr() said so)
 * @order:	order the caller frees with
 * @expect:	MYSLAB_BLOCK_ALLOC (page API) or MYSLAB_BLOCK_SLAB (slab seam)
 * @bad:	what was found, for myslab_report_invalid_free(), on failure;
 *		not written on success
 *
 * A valid free names the head of a block of @expect and @order that no
 * other free has claimed: one descriptor, read with no lock needed. The
 * callers settle what it says atomically against every other free of the
 * block. The free-list path checks and frees under region->lock; the
 * per-CPU path and the debug path claim the block's head with a cmpxchg()
 * of its state after the check (myslab_claim_free()), so of two frees of
 * one block racing on two CPUs exactly one goes on and the other is a
 * double free (-EALREADY) that changes nothing. A block another free has
 * claimed and not yet given back (MYSLAB_PAGE_FREEING) is a double free too.
 * Anything else goes to the slow path, which finds the block a tail page
 * lies in (myslab_find_head()) to say why the free is refused.
 *
 * What no check can catch is a free racing a reallocation of the same
 * block: once the block has been freed and handed out again, a late second
 * free of the old pointer looks exactly like its new holder's valid free,
 * and without a tag per allocation (a generation number or memory tags
 * carried in the pointer) no allocator can tell the two apart. Such a free
 * frees the block under its new holder, with the accounting kept exact.
 *
 * Return: 0, or the errno documented in <myslab/buddy.h>.
 */
int myslab_check_free_block(const struct myslab_region *r, u32 idx,
			    unsigned int order, enum myslab_block_state expect,
			    struct myslab_bad_free *bad)
{
	const struct myslab_page *p = &r->pages[idx];

	if (likely(READ_ONCE(p->state) == expect && READ_ONCE(p->head) == idx &&
		   READ_ONCE(p->order) == order))
		return 0;
	return bad_free_block(r, idx, order, expect, bad);
}

/**
 * myslab_claim_free - validate a free and claim its block, with no lock held
 * @r:		the region
 * @addr:	address being freed
 * @order:	order the caller frees with
 * @expect:	MYSLAB_BLOCK_ALLOC or MYSLAB_BLOCK_SLAB
 * @claim:	the head state that claims the block: MYSLAB_BLOCK_PCP (the
 *		per-CPU path), or @expect | MYSLAB_PAGE_FREEING (the debug path)
 * @idxp:	where the block's first page index goes on success
 * @bad:	what was found, for myslab_report_invalid_free(), on failure
 *
 * myslab_check_free_addr() and myslab_check_free_block(), then a cmpxchg()
 * of the head's state from @expect to @claim: of two frees of one block
 * racing on two CPUs, exactly one claims it and the other, checking again,
 * finds a double free. Between the check and the claim the block may even
 * have been freed and allocated again with another geometry (a double free
 * racing a reallocation): once claimed, the descriptor cannot change, so it
 * is compared again, and a block that no longer matches is let go and
 * checked again, which refuses it as what it now is. The claimed block is
 * the caller's alone until its head becomes FREE or PCP. (That second look
 * relies on the allocation paths' stores of a block's order becoming
 * visible before its state, as x86 orders stores; a weakly ordered CPU
 * would need a release store of the state there.) Needs no lock and may
 * run with interrupts on.
 *
 * Return: 0, or the errno of an invalid free (not yet reported).
 */
int myslab_claim_free(struct myslab_region *r, const void *addr,
		      unsigned int order, enum myslab_block_state expect,
		      u8 claim, u32 *idxp, struct myslab_bad_free *bad)
{
	struct myslab_page *p;
	u32 idx;
	int err;

	err = myslab_check_free_addr(r, addr, order, bad);
	if (unlikely(err))
		return err;
	idx = myslab_page_index(r, addr);
	p = &r->pages[idx];
	for (;;) {
		err = myslab_check_free_block(r, idx, order, expect, bad);
		if (unlikely(err))
			return err;
		/* Lost to another free, or changed: look again. */
		if (cmpxchg(&p->state, (u8)expect, claim) != expect)
			continue;
		if (likely(READ_ONCE(p->head) == idx &&
			   READ_ONCE(p->order) == order)) {
			*idxp = idx;
			return 0;
		}
		/* Let go, unless a free of the block it is now part of ended it. */
		cmpxchg(&p->state, claim, (u8)expect);
	}
}

/**
 * myslab_report_invalid_free - count and report a refused free
 * @r:		the region
 * @addr:	address the caller freed
 * @order:	order the caller freed with
 * @expect:	kind of block the caller's API frees
 * @bad:	what myslab_check_free() found
 *
 * Must be called without any of the region's locks held.
 */
void myslab_report_invalid_free(struct myslab_region *r, const void *addr,
				unsigned int order,
				enum myslab_block_state expect,
				const struct myslab_bad_free *bad)
{
	unsigned long off = (unsigned long)addr - (unsigned long)r->base;

	myslab_count_unlocked(r, MYSLAB_BUDDY_INVALID_FREES, 1);

	switch (bad->err) {
	case -EFAULT:
		pr_err_ratelimited("region %s: invalid free of %p (order %u): outside the region, expected an address in its %zu bytes at %p\n",
				   r->name, addr, order, r->mem.size, r->base);
		break;
	case -EINVAL:
		if (order > r->max_order)
			pr_err_ratelimited("region %s: invalid free of %p (order %u): order above the region's max_order %u\n",
					   r->name, addr, order, r->max_order);
		else if (off & ((PAGE_SIZE << order) - 1))
			pr_err_ratelimited("region %s: invalid free of %p (offset %#lx, order %u): not aligned to its order, expected a multiple of %#lx\n",
					   r->name, addr, off, order,
					   PAGE_SIZE << order);
		else
			pr_err_ratelimited("region %s: invalid free of %p (offset %#lx, order %u): a tail page of the order-%u block at offset %#lx, expected the block's first page\n",
					   r->name, addr, off, order, bad->order,
					   (unsigned long)bad->head << PAGE_SHIFT);
		break;
	case -EALREADY:
		if (bad->freeing)
			pr_err_ratelimited("region %s: double free of %p (offset %#lx, order %u): the block is already being freed, expected an allocated block\n",
					   r->name, addr, off, order);
		else
			pr_err_ratelimited("region %s: double free of %p (offset %#lx, order %u): the page is %s, expected an allocated block\n",
					   r->name, addr, off, order,
					   myslab_state_name(bad->state));
		break;
	case -ERANGE:
		pr_err_ratelimited("region %s: invalid free of %p (offset %#lx): freed with order %u, expected order %u as allocated\n",
				   r->name, addr, off, order, bad->order);
		break;
	case -EBUSY:
		pr_err_ratelimited("region %s: invalid free of %p (offset %#lx, order %u): the block is %s, expected %s\n",
				   r->name, addr, off, order,
				   myslab_state_name(bad->state), myslab_state_name(expect));
		break;
	default:
		WARN_ON_ONCE(1);
	}
}

/* === One block off or onto the free lists, under the region's lock === */

/*
 * Take a block off the free lists under the region's lock; @pcp_busy: in
 * place of the calling CPU's page list, whose lock was held.
 */
u32 myslab_buddy_alloc(struct myslab_region *r, unsigned int order,
		       enum myslab_block_state state, void *owner, bool pcp_busy)
{
	unsigned long flags;
	u32 idx;

	spin_lock_irqsave(&r->lock, flags);
	if (pcp_busy)
		myslab_count(r, MYSLAB_BUDDY_PCP_BUSY);
	idx = myslab_rmqueue(r, order);
	if (likely(idx != MYSLAB_NIL)) {
		mark_allocated(r, idx, order, state, owner);
		r->alloc_pages += 1UL << order;
		r->allocs[order]++;
		myslab_note_high_water(r);
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return idx;
}

/**
 * myslab_alloc_pcp_busy - allocate a page block when the CPU's cache is busy
 * @r:		the region
 * @order:	at most MYSLAB_PCP_MAX_ORDER
 *
 * myslab_pcp_alloc() found its CPU's page list locked: the free lists serve
 * instead, and the event is counted (pcp_busy).
 *
 * Context: as myslab_alloc_pages() (with PREEMPT_RT, not in hard interrupt
 * context), the task pinned or not.
 * Return: the block's first page, marked ALLOC, or MYSLAB_NIL.
 */
u32 myslab_alloc_pcp_busy(struct myslab_region *r, unsigned int order)
{
	return myslab_buddy_alloc(r, order, MYSLAB_BLOCK_ALLOC, NULL, true);
}

/* Give a validated block of @state back to the free lists. */
void myslab_free_locked(struct myslab_region *r, u32 idx, unsigned int order,
			enum myslab_block_state state)
	__must_hold(&r->lock)
{
	if (state == MYSLAB_BLOCK_SLAB)
		clear_slab_tails(r, idx, order);
	myslab_free_block(r, idx, order);
	r->alloc_pages -= 1UL << order;
	r->frees[order]++;
}

/**
 * myslab_free_pcp_busy - free a claimed page block when the CPU's cache is busy
 * @r:		the region
 * @idx:	the block's first page, claimed for a per-CPU page list (PCP) or by
 *		the debug free path (ALLOC with MYSLAB_PAGE_FREEING)
 * @order:	the block's order, as checked before the claim
 *
 * The CPU's page list was locked when the free came to it: the free lists
 * take the block, which ends the claim, and the event is counted
 * (pcp_busy). Nothing else can hold a claimed block, so it needs no check.
 *
 * Context: as myslab_free_pages() (with PREEMPT_RT, not in hard interrupt
 * context), the task pinned or not.
 */
void myslab_free_pcp_busy(struct myslab_region *r, u32 idx, unsigned int order)
{
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	myslab_count(r, MYSLAB_BUDDY_PCP_BUSY);
	myslab_free_locked(r, idx, order, MYSLAB_BLOCK_ALLOC);
	spin_unlock_irqrestore(&r->lock, flags);
}
