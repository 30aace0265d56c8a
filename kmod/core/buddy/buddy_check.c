// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy validator: walks a region's page descriptors, free blocks and
 * per-CPU page lists and checks the accounting identities written in
 * buddy_internal.h. Tests run it after every case; root runs it through
 * debugfs, on a region in use.
 *
 * The walk goes MYSLAB_CHECK_CHUNK pages at a time, each chunk under the
 * region's lock, which is dropped in between: interrupts are never off for
 * more than one chunk, whatever the region's size. So the region may change
 * between chunks, and what is checked is split by what that allows:
 *
 *   exact per chunk	every page descriptor: every block head (aligned,
 *			inside the region; a free one's order, its two list
 *			links agree with its neighbours' or the list's ends,
 *			not left unmerged with its buddy), no head inside
 *			another block, every tail page of a free or page
 *			block a plain tail (MYSLAB_PAGE_TAIL, naming itself,
 *			order 0), every tail of a slab naming the slab (a
 *			block reaching into the chunk from an earlier one is
 *			looked up again under the lock, from its head), no
 *			page outside every block, and the poison of every
 *			free page (MYSLAB_DEBUG_POISON)
 *   exact at once	free + per-CPU held + allocated pages == region pages,
 *			the lists above max_order empty, and each list's ends
 *			agree with its counter: both unset when it counts no
 *			block, both set when it counts some (one short hold,
 *			O(max_order)). The walk checks every block's links
 *			from the blocks' side; an empty list has no block to
 *			check from, and a stale end there is what the next
 *			allocation of that order would hand out.
 *   quiet region	the sums over the whole walk: free block heads of each
 *			order == that list's counter, their pages ==
 *			free_pages, and the per-CPU page lists against pcp_held.
 *			They are compared only when the region's generation
 *			(bumped under the lock by every change of a free list)
 *			did not move during the walk; if it did, the region is
 *			walked again a few times, only counting (what the
 *			first walk found per page is not reported twice), and
 *			the first walk whose sums can be compared reports a
 *			mismatch like the first would have. Otherwise they are
 *			left unchecked: the result is then -EBUSY, not a guess.
 *
 * This is a core file: no module glue.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "buddy_internal.h"

/* === Validator === */

/*
 * Pages per hold of the region's lock. The per-page work is a descriptor or
 * two (and 4 KiB of poison with MYSLAB_DEBUG_POISON), so a chunk keeps
 * interrupts off for about as long as the kernel's own batch of 63 pages
 * takes through its free lists.
 */
#define MYSLAB_CHECK_CHUNK	1024UL
/* Walks counting the whole region when it changed during the first. */
#define MYSLAB_CHECK_RECOUNTS	2

#define check_err(r, fmt, ...) \
	pr_err("region %s: check: " fmt "\n", (r)->name, ##__VA_ARGS__)

/**
 * struct check_walk - the state of one walk over a region
 * @report:	check and report per page and block (the first walk), or
 *		only count (recounts: what the first walk found is not
 *		reported twice)
 * @errors:	inconsistencies reported
 * @poisoned:	free pages whose poison was damaged
 * @heads:	free block heads seen, per order
 * @block_pages: pages of those blocks
 * @block:	head of the block of order > 0 (free, allocated or a slab)
 *		the current page lies in, or MYSLAB_NIL
 * @block_end:	the page after that block
 * @block_state: that block's state
 * @block_order: that block's order
 * @block_bad:	a page of that block, when free, was found damaged (reported
 *		once per free block)
 * @orphans:	first page of a run of pages that no block holds (FREE
 *		pages without their mark, tail pages past every block), or
 *		MYSLAB_NIL
 */
struct check_walk {
	bool report;
	int errors;
	unsigned long poisoned;
	unsigned long heads[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long block_pages;
	u32 block;
	unsigned long block_end;
	enum myslab_block_state block_state;
	unsigned int block_order;
	bool block_bad;
	u32 orphans;
};

/* The word for a page's state in a report. */
static const char *page_word(unsigned int state)
{
	return state == MYSLAB_PAGE_TAIL ? "tail" : myslab_map_state_word(state);
}

/* Report a run of pages that no block holds, once. */
static void check_end_orphans(const struct myslab_region *r,
			      struct check_walk *w, unsigned long end)
{
	if (w->orphans == MYSLAB_NIL)
		return;
	if (w->report) {
		check_err(r, "pages %u-%lu lie in no block: free or tail pages without a head",
			  w->orphans, end - 1);
		w->errors++;
	}
	w->orphans = MYSLAB_NIL;
}

/* The walk is in the block at page @head, of @state and @order, from now. */
static void enter_block(struct check_walk *w, u32 head,
			enum myslab_block_state state, unsigned int order)
{
	w->block = head;
	w->block_end = head + (1UL << order);
	w->block_state = state;
	w->block_order = order;
	w->block_bad = false;
}

/* A free block head's list links against its neighbours' and the list's. */
static int check_links(const struct myslab_region *r,
		       const struct myslab_page *p, u32 idx, unsigned int k)
{
	const struct myslab_list *list = &r->free_area[k];
	u32 next = p->free.next, prev = p->free.prev;
	int errors = 0;

	if (next == MYSLAB_NIL ? list->last != idx :
	    next >= r->nr_pages || r->pages[next].free.prev != idx) {
		check_err(r, "free order-%u block at page %u: its next link %u does not link back",
			  k, idx, next);
		errors++;
	}
	if (prev == MYSLAB_NIL ? list->first != idx :
	    prev >= r->nr_pages || r->pages[prev].free.next != idx) {
		check_err(r, "free order-%u block at page %u: its previous link %u does not link to it",
			  k, idx, prev);
		errors++;
	}
	return errors;
}

/* Page @i carries a free block head mark; region lock held. */
static void check_head(const struct myslab_region *r, struct check_walk *w,
		       unsigned long i)
{
	const struct myslab_page *p = &r->pages[i];
	unsigned int k = p->order;

	if (k > r->max_order) {
		if (w->report) {
			check_err(r, "page %lu heads a free block of order %u, above max_order %u",
				  i, k, r->max_order);
			w->errors++;
		}
		return;
	}
	w->heads[k]++;
	w->block_pages += 1UL << k;
	if ((i & ((1UL << k) - 1)) || r->nr_pages - i < (1UL << k)) {
		if (w->report) {
			check_err(r, "free block at page %lu is not an aligned order-%u block inside the region",
				  i, k);
			w->errors++;
		}
		return;
	}
	enter_block(w, i, MYSLAB_BLOCK_FREE, k);
	if (!w->report)
		return;
	w->errors += check_links(r, p, i, k);
	/* Report an unmerged pair once, from its lower half. */
	if (k < r->max_order && !(i & (1UL << k)) &&
	    myslab_buddy_is_free(r, i ^ (1UL << k), k)) {
		check_err(r, "buddies at pages %lu and %lu both free at order %u: not merged",
			  i, i ^ (1UL << k), k);
		w->errors++;
	}
}

/*
 * Page @i heads an allocated block of order @k, or a per-CPU page listd one
 * (myslab_page_is_head() said so: @k is aligned and at most max_order);
 * region lock held.
 */
static void check_alloc_head(const struct myslab_region *r,
			     struct check_walk *w, unsigned long i,
			     enum myslab_block_state state, unsigned int k)
{
	if (state == MYSLAB_BLOCK_PCP && k > MYSLAB_PCP_MAX_ORDER) {
		if (w->report) {
			check_err(r, "page %lu in a per-CPU page list claims order %u at page %u",
				  i, k, r->pages[i].head);
			w->errors++;
		}
		return;
	}
	if (r->nr_pages - i < (1UL << k)) {
		if (w->report) {
			check_err(r, "page %lu (%s) claims an order-%u block at page %u that does not match",
				  i, myslab_state_name(state), k, r->pages[i].head);
			w->errors++;
		}
		return;
	}
	if (k)
		enter_block(w, i, state, k);
}

/*
 * Page @i lies in the block the walk is in and heads none: a slab's tail
 * names the slab; any other tail page names itself, with order 0. Returns
 * whether it is a sound page of a free block (its poison is checked).
 */
static bool check_tail(const struct myslab_region *r, struct check_walk *w,
		       unsigned long i, unsigned int state)
{
	const struct myslab_page *p = &r->pages[i];
	bool ok;

	if (w->block_state == MYSLAB_BLOCK_SLAB)
		ok = state == MYSLAB_BLOCK_SLAB && p->head == w->block &&
		     p->order == w->block_order && !p->flags;
	else
		ok = state == MYSLAB_PAGE_TAIL && p->head == i && !p->order &&
		     !p->flags;
	if (ok)
		return w->block_state == MYSLAB_BLOCK_FREE;
	/* A damaged free block is reported once, each allocated page. */
	if (!w->report || (w->block_state == MYSLAB_BLOCK_FREE && w->block_bad))
		return false;
	w->block_bad = true;
	check_err(r, "page %lu of the %s order-%u block at page %u is %s, names page %u, order %u",
		  i, myslab_map_state_word(w->block_state), w->block_order,
		  w->block, page_word(state), p->head, p->order);
	w->errors++;
	return false;
}

/* A page outside every block, neither free nor a tail; region lock held. */
static int check_page(const struct myslab_region *r, unsigned long i,
		      unsigned int state)
{
	const struct myslab_page *p = &r->pages[i];

	switch (state) {
	case MYSLAB_BLOCK_PCP:
		check_err(r, "page %lu in a per-CPU page list claims order %u at page %u",
			  i, p->order, p->head);
		return 1;
	case MYSLAB_BLOCK_ALLOC:
	case MYSLAB_BLOCK_SLAB:
		check_err(r, "page %lu (%s) claims an order-%u block at page %u that does not match",
			  i, myslab_state_name(state), p->order, p->head);
		return 1;
	default:
		check_err(r, "page %lu has state %u", i, state);
		return 1;
	}
}

/* The block reaching page @start from an earlier page, looked up again. */
static void resume_block(const struct myslab_region *r, struct check_walk *w,
			 unsigned long start)
{
	const struct myslab_page *h;
	unsigned int k;
	u32 head;

	w->block = MYSLAB_NIL;
	head = myslab_find_head(r, start, &k);
	if (head == MYSLAB_NIL || head == start)
		return;
	h = &r->pages[head];
	enter_block(w, head, (h->flags & MYSLAB_PAGE_BUDDY) ? MYSLAB_BLOCK_FREE :
			     myslab_page_state(h), k);
}

/*
 * Pages [@start, @end) of the region, under its lock: every check that the
 * lock makes exact, and the counts of the whole-region sums.
 */
static void check_chunk(struct myslab_region *r, struct check_walk *w,
			unsigned long start, unsigned long end)
	__must_hold(&r->lock)
{
	bool poison = w->report && (r->debug.flags & MYSLAB_DEBUG_POISON);
	unsigned long i, run = 0, run_start = 0;
	const struct myslab_page *p;
	unsigned int damaged, state, k;
	bool sound_free;

	lockdep_assert_held(&r->lock);
	/* The region may have changed since the last chunk: look again. */
	resume_block(r, w, start);
	for (i = start; i < end; i++) {
		p = &r->pages[i];
		state = myslab_page_state(p);
		sound_free = false;
		if (w->block != MYSLAB_NIL && i >= w->block_end)
			w->block = MYSLAB_NIL;
		if (p->flags & MYSLAB_PAGE_BUDDY) {
			if (state != MYSLAB_BLOCK_FREE && w->report) {
				check_err(r, "page %lu heads a free block but is %s",
					  i, page_word(state));
				w->errors++;
			}
			if (w->block != MYSLAB_NIL && w->report) {
				check_err(r, "page %lu heads a free block inside the %s block at page %u",
					  i, myslab_map_state_word(w->block_state),
					  w->block);
				w->errors++;
			}
			check_end_orphans(r, w, i);
			check_head(r, w, i);
			sound_free = w->block == i && state == MYSLAB_BLOCK_FREE;
		} else if (myslab_page_is_head(r, i, &k)) {
			if (w->block != MYSLAB_NIL && w->report) {
				check_err(r, "page %lu heads a block (%s) inside the %s block at page %u",
					  i, page_word(state),
					  myslab_map_state_word(w->block_state),
					  w->block);
				w->errors++;
			}
			check_end_orphans(r, w, i);
			check_alloc_head(r, w, i, state, k);
		} else if (w->block != MYSLAB_NIL) {
			sound_free = check_tail(r, w, i, state);
		} else if (state == MYSLAB_BLOCK_FREE || state == MYSLAB_PAGE_TAIL) {
			if (w->orphans == MYSLAB_NIL)
				w->orphans = i;
		} else {
			check_end_orphans(r, w, i);
			if (w->report)
				w->errors += check_page(r, i, state);
		}
		/* Poison is checked a run of sound free pages at once. */
		if (poison && sound_free) {
			if (!run++)
				run_start = i;
		} else if (run) {
			damaged = myslab_buddy_poison_check_free(r, run_start, run);
			w->poisoned += damaged;
			w->errors += damaged;
			run = 0;
		}
	}
	if (run) {
		damaged = myslab_buddy_poison_check_free(r, run_start, run);
		w->poisoned += damaged;
		w->errors += damaged;
	}
	check_end_orphans(r, w, end);
}

/*
 * Walk the whole region a chunk at a time. Returns the region's generation
 * before the walk in *@gen_before.
 */
static void check_walk(struct myslab_region *r, struct check_walk *w,
		       unsigned long *gen_before)
{
	unsigned long flags, start, end;

	for (start = 0; start < r->nr_pages; start = end) {
		end = min(start + MYSLAB_CHECK_CHUNK, r->nr_pages);
		spin_lock_irqsave(&r->lock, flags);
		if (!start)
			*gen_before = r->gen;
		check_chunk(r, w, start, end);
		spin_unlock_irqrestore(&r->lock, flags);
		cond_resched();
	}
	if (w->poisoned)
		myslab_count_unlocked(r, MYSLAB_BUDDY_POISON_ERRORS, w->poisoned);
}

/* A list end for a report: its page, or "none". */
static const char *list_end(u32 idx, char *buf, size_t size)
{
	if (idx == MYSLAB_NIL)
		return "none";
	snprintf(buf, size, "%u", idx);
	return buf;
}

/*
 * The order-@k list's ends against its counter, region lock held: both
 * unset exactly when it counts no block. One report per list.
 */
static int check_list_ends(const struct myslab_region *r, unsigned int k)
	__must_hold(&r->lock)
{
	const struct myslab_list *list = &r->free_area[k];
	bool no_first = list->first == MYSLAB_NIL;
	bool no_last = list->last == MYSLAB_NIL;
	bool empty = !list->count;
	char first[12], last[12];

	lockdep_assert_held(&r->lock);
	if (empty == no_first && empty == no_last)
		return 0;
	check_err(r, "order-%u free list counts %lu blocks, but its first block is %s and its last %s",
		  k, list->count, list_end(list->first, first, sizeof(first)),
		  list_end(list->last, last, sizeof(last)));
	return 1;
}

/* The identities that hold at any instant; one short hold of the lock. */
static int check_totals(struct myslab_region *r)
{
	unsigned long flags;
	unsigned int k;
	int errors = 0;

	spin_lock_irqsave(&r->lock, flags);
	for (k = 0; k <= r->max_order; k++)
		errors += check_list_ends(r, k);
	for (k = r->max_order + 1; k <= MYSLAB_MAX_ORDER_LIMIT; k++) {
		if (r->free_area[k].first != MYSLAB_NIL || r->free_area[k].count) {
			check_err(r, "order-%u free list above max_order %u is not empty",
				  k, r->max_order);
			errors++;
		}
	}
	if (r->free_pages + r->pcp_held + r->alloc_pages != r->nr_pages) {
		check_err(r, "free %lu + per-CPU held %lu + allocated %lu != %lu pages",
			  r->free_pages, r->pcp_held, r->alloc_pages, r->nr_pages);
		errors++;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return errors;
}

/*
 * The walk's sums against the lists' counters and free_pages, if the
 * region's generation says nothing changed during the walk: the number of
 * inconsistencies, each reported (a recount's too: this is the first time
 * they are compared), or -EBUSY when it did change.
 */
static int check_sums(struct myslab_region *r, const struct check_walk *w,
		      unsigned long gen_before)
{
	unsigned long flags;
	unsigned int k;
	int errors = 0;

	spin_lock_irqsave(&r->lock, flags);
	if (r->gen != gen_before) {
		spin_unlock_irqrestore(&r->lock, flags);
		return -EBUSY;
	}
	for (k = 0; k <= r->max_order; k++) {
		if (w->heads[k] != r->free_area[k].count) {
			check_err(r, "order-%u free list holds %lu blocks by its counter, %lu pages head one",
				  k, r->free_area[k].count, w->heads[k]);
			errors++;
		}
	}
	/* Pages follow from blocks: report them only when the blocks agree. */
	if (!errors && w->block_pages != r->free_pages) {
		check_err(r, "the free blocks hold %lu pages, free_pages says %lu",
			  w->block_pages, r->free_pages);
		errors++;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return errors;
}

/* The per-CPU page lists against pcp_held: errors, or -EBUSY. */
static int check_pcp(struct myslab_region *r)
{
	struct myslab_buddy_stats *stats;
	unsigned long flags, gen, held;
	bool still = false;
	unsigned int try;
	int errors;
	long total;

	/* Each cache's own checks, under its lock: exact. */
	errors = myslab_pcp_check(r, &total);
	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return errors ? errors : -ENOMEM;
	for (try = 0; try <= MYSLAB_CHECK_RECOUNTS && !still; try++) {
		/* Only refills and drains move pcp_held: both change a list. */
		spin_lock_irqsave(&r->lock, flags);
		gen = r->gen;
		spin_unlock_irqrestore(&r->lock, flags);
		memset(stats, 0, sizeof(*stats));
		total = myslab_pcp_stats(r, stats) + (long)stats->pcp_pages;
		spin_lock_irqsave(&r->lock, flags);
		/* Any value is valid: pcp_held may have wrapped (see its comment). */
		held = r->pcp_held;
		still = r->gen == gen;
		spin_unlock_irqrestore(&r->lock, flags);
	}
	kfree(stats);
	if (!still)
		return errors ? errors : -EBUSY;
	if (total != (long)held) {
		check_err(r, "per-CPU page lists account for %ld pages, the region for %ld",
			  total, (long)held);
		errors++;
	}
	return errors;
}

/**
 * myslab_region_check - verify a region's lists, descriptors and identities
 * @region:	the region; it may be in use meanwhile
 *
 * Checks: every page descriptor (every block's head is aligned to its
 * order and inside the region, per-CPU blocks are of orders up to
 * MYSLAB_PCP_MAX_ORDER, free block heads are FREE, no head lies inside
 * another block, the tails of free, per-CPU and page blocks are plain tail
 * pages and a slab's tails name the slab); every
 * free block is linked consistently with its neighbours on its list, and
 * not free at the same order as its buddy (merging is complete); no page
 * lies outside every block; free_pages + pcp_held + alloc_pages == nr_pages;
 * the lists above max_order are empty, and a list has ends exactly when
 * its counter is not 0; every per-CPU page list is well linked, holds only PCP
 * pages, and no more than pcp_high. With
 * MYSLAB_DEBUG_POISON, every free page (listed or cached) still holds its
 * poison: a damaged page is reported, counted in poison_errors and as one
 * inconsistency, and its poison restored, so that it is reported once.
 * Each inconsistency is logged.
 *
 * The walk takes the region's lock for MYSLAB_CHECK_CHUNK pages at a time,
 * so interrupts are never off for long, and each of the checks above is
 * exact under it. The sums over the whole region (each list's counter
 * against the free block heads of its order, free_pages against their
 * pages, the per-CPU page lists against pcp_held) are compared only when no
 * free list changed during a walk: the region is walked again, counting
 * only, up to MYSLAB_CHECK_RECOUNTS times when it did, and a mismatch is
 * reported from whichever walk stood still. A region in use may change
 * every time, and then they are left unchecked and the result says so.
 *
 * Context: process context; may sleep between chunks.
 * Return: the number of inconsistencies found, 0 when the region is sound,
 * -EBUSY when none was found but the region changed during every walk, so
 * its sums could not be compared (run it again when it is quiet), or
 * -ENOMEM when none was found but the walk's state could not be allocated.
 */
int myslab_region_check(struct myslab_region *region)
{
	struct check_walk *w;
	unsigned long gen;
	unsigned int try;
	int errors, sums, pcp = 0;

	might_sleep();
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->report = true;
	w->orphans = MYSLAB_NIL;
	check_walk(region, w, &gen);
	errors = w->errors + check_totals(region);
	sums = check_sums(region, w, gen);
	for (try = 0; try < MYSLAB_CHECK_RECOUNTS && sums == -EBUSY; try++) {
		memset(w, 0, sizeof(*w));
		w->orphans = MYSLAB_NIL;
		check_walk(region, w, &gen);
		sums = check_sums(region, w, gen);
	}
	kfree(w);
	if (sums > 0)
		errors += sums;

	if (region->pcp) {
		pcp = check_pcp(region);
		if (pcp > 0)
			errors += pcp;
	} else if (READ_ONCE(region->pcp_held)) {
		check_err(region, "%lu pages held per CPU without per-CPU page lists",
			  READ_ONCE(region->pcp_held));
		errors++;
	}
	if (!errors && (sums == -EBUSY || pcp == -EBUSY))
		return -EBUSY;
	if (!errors && pcp == -ENOMEM)
		return -ENOMEM;
	return errors;
}
EXPORT_SYMBOL_GPL(myslab_region_check);
