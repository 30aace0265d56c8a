// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy validator: walks a region's page descriptors, free blocks and
 * per-CPU caches and checks the accounting identities written in
 * buddy_internal.h. Tests run it after every case; root runs it through
 * debugfs, on a region in use.
 *
 * The walk goes MYSLAB_CHECK_CHUNK pages at a time, each chunk under the
 * region's lock, which is dropped in between: interrupts are never off for
 * more than one chunk, whatever the region's size. So the region may change
 * between chunks, and what is checked is split by what that allows:
 *
 *   exact per chunk	every page descriptor (state, and for allocated pages
 *			the block they claim), every free block head (aligned,
 *			inside the region, order, its two list links agree
 *			with its neighbours' or the list's ends, not left
 *			unmerged with its buddy), every page of a free block
 *			is FREE (a block reaching into the chunk from an
 *			earlier one is looked up again under the lock), no
 *			FREE page outside a free block, and the poison of
 *			every free page (MYSLAB_DEBUG_POISON)
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
 *			free_pages, and the per-CPU caches against pcp_held.
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
 * @block:	head of the free block the current page lies in, or MYSLAB_NIL
 * @block_end:	the page after that block
 * @block_bad:	a page of that block was found not FREE (reported once)
 * @orphans:	first page of a run of FREE pages outside any free block, or
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
	bool block_bad;
	u32 orphans;
};

/* Report a run of FREE pages that no free block covers, once. */
static void check_end_orphans(const struct myslab_region *r,
			      struct check_walk *w, unsigned long end)
{
	if (w->orphans == MYSLAB_NIL)
		return;
	if (w->report) {
		check_err(r, "pages %u-%lu are free but in no free block",
			  w->orphans, end - 1);
		w->errors++;
	}
	w->orphans = MYSLAB_NIL;
}

/*
 * The free block that page @i lies in, as the descriptors say now (region
 * lock held), or MYSLAB_NIL: its head is the only page above or at @i,
 * aligned to the block's order, that is marked as a free block head.
 */
static u32 enclosing_block(const struct myslab_region *r, unsigned long i)
{
	const struct myslab_page *p;
	unsigned int k;
	u32 h;

	for (k = 0; k <= r->max_order; k++) {
		h = i & ~((1UL << k) - 1);
		p = &r->pages[h];
		if ((p->flags & MYSLAB_PAGE_BUDDY) && p->order >= k &&
		    p->order <= r->max_order && i - h < (1UL << p->order))
			return h;
	}
	return MYSLAB_NIL;
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
	w->block = i;
	w->block_end = i + (1UL << k);
	w->block_bad = false;
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

/* Is the descriptor of page @i, in allocated state @state, consistent? */
static bool allocated_page_ok(const struct myslab_region *r, unsigned long i,
			      enum myslab_block_state state)
{
	const struct myslab_page *p = &r->pages[i];
	u32 h = p->head;

	if (h > i || p->order > r->max_order || i - h >= (1UL << p->order) ||
	    (h & ((1u << p->order) - 1)))
		return false;
	if (h == i)
		return true;
	return r->pages[h].head == h && r->pages[h].order == p->order &&
	       myslab_page_state(&r->pages[h]) == state;
}

/* The descriptor of a page outside any free block; region lock held. */
static int check_page(const struct myslab_region *r, unsigned long i,
		      enum myslab_block_state state)
{
	const struct myslab_page *p = &r->pages[i];

	switch (state) {
	case MYSLAB_BLOCK_FREE:
		return 0;
	case MYSLAB_BLOCK_PCP:
		if (p->head == i && p->order == 0)
			return 0;
		check_err(r, "page %lu in a per-CPU cache claims order %u at page %u",
			  i, p->order, p->head);
		return 1;
	case MYSLAB_BLOCK_ALLOC:
	case MYSLAB_BLOCK_SLAB:
		if (allocated_page_ok(r, i, state))
			return 0;
		check_err(r, "page %lu (%s) claims an order-%u block at page %u that does not match",
			  i, myslab_state_name(state), p->order, p->head);
		return 1;
	default:
		check_err(r, "page %lu has state %u", i, state);
		return 1;
	}
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
	enum myslab_block_state state;
	const struct myslab_page *p;
	unsigned int damaged;

	lockdep_assert_held(&r->lock);
	/* The region may have changed since the last chunk: look again. */
	w->block = enclosing_block(r, start);
	if (w->block != MYSLAB_NIL && w->block < start) {
		w->block_end = w->block + (1UL << r->pages[w->block].order);
		w->block_bad = false;
	} else {
		w->block = MYSLAB_NIL;
	}
	for (i = start; i <= end; i++) {
		/* Poison is checked a run of FREE pages of one block at once. */
		if (run && (i == end || i >= w->block_end ||
			    (r->pages[i].flags & MYSLAB_PAGE_BUDDY) ||
			    myslab_page_state(&r->pages[i]) != MYSLAB_BLOCK_FREE)) {
			damaged = myslab_buddy_debug_check_free(r, run_start, run);
			w->poisoned += damaged;
			w->errors += damaged;
			run = 0;
		}
		if (i == end)
			break;
		p = &r->pages[i];
		state = myslab_page_state(p);
		if (w->block != MYSLAB_NIL && i >= w->block_end)
			w->block = MYSLAB_NIL;
		if (p->flags & MYSLAB_PAGE_BUDDY) {
			if (state != MYSLAB_BLOCK_FREE && w->report) {
				check_err(r, "page %lu heads a free block but is %s",
					  i, myslab_state_name(state));
				w->errors++;
			}
			if (w->block != MYSLAB_NIL && w->report) {
				check_err(r, "page %lu heads a free block inside the free block at page %u",
					  i, w->block);
				w->errors++;
			}
			check_end_orphans(r, w, i);
			check_head(r, w, i);
		}
		if (w->block == MYSLAB_NIL) {
			if (state == MYSLAB_BLOCK_FREE && w->orphans == MYSLAB_NIL)
				w->orphans = i;
			else if (state != MYSLAB_BLOCK_FREE)
				check_end_orphans(r, w, i);
			if (w->report)
				w->errors += check_page(r, i, state);
			continue;
		}
		if (state != MYSLAB_BLOCK_FREE) {
			if (w->report && !w->block_bad) {
				check_err(r, "page %lu of the free order-%u block at page %u is %s",
					  i, r->pages[w->block].order, w->block,
					  myslab_state_name(state));
				w->errors++;
			}
			w->block_bad = true;
		} else if (poison && !run++) {
			run_start = i;
		}
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

/* The per-CPU caches against pcp_held: errors, or -EBUSY. */
static int check_pcp(struct myslab_region *r)
{
	struct myslab_buddy_stats *stats;
	unsigned long flags, gen, held;
	unsigned int try;
	int errors;
	long total;

	/* Each cache's own checks, under its lock: exact. */
	errors = myslab_pcp_check(r, &total);
	stats = kzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return errors ? errors : -ENOMEM;
	for (try = 0; try <= MYSLAB_CHECK_RECOUNTS; try++) {
		/* Only refills and drains move pcp_held: both change a list. */
		spin_lock_irqsave(&r->lock, flags);
		gen = r->gen;
		spin_unlock_irqrestore(&r->lock, flags);
		memset(stats, 0, sizeof(*stats));
		total = myslab_pcp_stats(r, stats) + (long)stats->pcp_pages;
		spin_lock_irqsave(&r->lock, flags);
		held = r->pcp_held;
		if (r->gen != gen)
			held = ULONG_MAX;
		spin_unlock_irqrestore(&r->lock, flags);
		if (held != ULONG_MAX)
			break;
	}
	kfree(stats);
	if (held == ULONG_MAX)
		return errors ? errors : -EBUSY;
	if (total != (long)held) {
		check_err(r, "per-CPU caches account for %ld pages, the region for %lu",
			  total, held);
		errors++;
	}
	return errors;
}

/**
 * myslab_region_check - verify a region's lists, descriptors and identities
 * @region:	the region; it may be in use meanwhile
 *
 * Checks: every page descriptor (allocated pages point at a consistent
 * head, per-CPU pages are order-0 heads, free block heads are FREE); every
 * free block is aligned to its order, inside the region, made of FREE
 * pages, linked consistently with its neighbours on its list, and not free
 * at the same order as its buddy (merging is complete); no FREE page lies
 * outside a free block; free_pages + pcp_held + alloc_pages == nr_pages;
 * the lists above max_order are empty, and a list has ends exactly when
 * its counter is not 0; every per-CPU cache is well linked, holds only PCP
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
 * pages, the per-CPU caches against pcp_held) are compared only when no
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
		check_err(region, "%lu pages held per CPU without per-CPU caches",
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
