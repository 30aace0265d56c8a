// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy validator: walks a region's free lists, page descriptors and
 * per-CPU caches and checks the accounting identities written in
 * buddy_internal.h. Tests run it after every case.
 *
 * This is a core file: no module glue.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/export.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

#include "buddy_internal.h"

/* === Validator === */

#define check_err(r, fmt, ...) \
	pr_err("region %s: check: " fmt "\n", (r)->name, ##__VA_ARGS__)

/*
 * Check one block found on the order-@k free list; region->lock held. With
 * MYSLAB_DEBUG_POISON its pages' poison too: damaged pages are reported,
 * repaired, and added to *@poisoned as well as to the errors returned.
 */
static int check_free_block(const struct myslab_region *r,
			    const struct myslab_page *p, u32 idx,
			    unsigned int k, u32 prev, unsigned long *poisoned)
{
	unsigned int damaged;
	enum myslab_block_state state;
	int errors = 0;
	unsigned long i;

	if (p->free.prev != prev) {
		check_err(r, "order-%u free list: page %u links back to %u, expected %u",
			  k, idx, p->free.prev, prev);
		errors++;
	}
	if (!(p->flags & MYSLAB_PAGE_BUDDY) || p->order != k) {
		check_err(r, "block at page %u on the order-%u free list is marked %s order %u",
			  idx, k, p->flags & MYSLAB_PAGE_BUDDY ? "free" : "not free",
			  p->order);
		errors++;
	}
	if ((idx & ((1u << k) - 1)) || r->nr_pages - idx < (1UL << k)) {
		check_err(r, "free block at page %u is not an aligned order-%u block inside the region",
			  idx, k);
		return errors + 1;
	}
	for (i = idx; i < idx + (1UL << k); i++) {
		state = myslab_page_state(&r->pages[i]);
		if (state != MYSLAB_BLOCK_FREE) {
			check_err(r, "page %lu of the free order-%u block at page %u is %s",
				  i, k, idx, myslab_state_name(state));
			errors++;
			break;
		}
	}
	if (i == idx + (1UL << k) && (r->debug.flags & MYSLAB_DEBUG_POISON)) {
		damaged = myslab_buddy_debug_check_free(r, idx, 1UL << k);
		*poisoned += damaged;
		errors += damaged;
	}
	/* Report an unmerged pair once, from its lower half. */
	if (k < r->max_order && !(idx & (1u << k)) &&
	    myslab_buddy_is_free(r, idx ^ (1u << k), k)) {
		check_err(r, "buddies at pages %u and %u both free at order %u: not merged",
			  idx, idx ^ (1u << k), k);
		errors++;
	}
	return errors;
}

/* Walk one order's free list; region->lock held. */
static int check_free_list(const struct myslab_region *r, unsigned int k,
			   unsigned long *pages, unsigned long *blocks,
			   unsigned long *poisoned)
{
	const struct myslab_list *list = &r->free_area[k];
	const struct myslab_page *p;
	u32 idx, prev = MYSLAB_NIL;
	unsigned long n = 0;
	int errors = 0;

	idx = list->first;
	while (idx != MYSLAB_NIL) {
		if (idx >= r->nr_pages || ++n > r->nr_pages) {
			check_err(r, "order-%u free list broken at page %u", k, idx);
			return errors + 1;
		}
		p = &r->pages[idx];
		errors += check_free_block(r, p, idx, k, prev, poisoned);
		*pages += 1UL << k;
		prev = idx;
		idx = p->free.next;
	}
	if (list->last != prev) {
		check_err(r, "order-%u free list ends at page %u, its tail says %u",
			  k, prev, list->last);
		errors++;
	}
	if (n != list->count) {
		check_err(r, "order-%u free list holds %lu blocks, its counter says %lu",
			  k, n, list->count);
		errors++;
	}
	*blocks += n;
	return errors;
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

/* Walk every descriptor; region->lock held. */
static int check_descriptors(const struct myslab_region *r,
			     unsigned long listed_blocks)
{
	unsigned long i, buddy_heads = 0, free = 0;
	const struct myslab_page *p;
	enum myslab_block_state state;
	int errors = 0;

	for (i = 0; i < r->nr_pages; i++) {
		p = &r->pages[i];
		state = myslab_page_state(p);
		if (p->flags & MYSLAB_PAGE_BUDDY)
			buddy_heads++;
		if ((p->flags & MYSLAB_PAGE_BUDDY) && state != MYSLAB_BLOCK_FREE) {
			check_err(r, "page %lu heads a free block but is %s",
				  i, myslab_state_name(state));
			errors++;
		}
		switch (state) {
		case MYSLAB_BLOCK_FREE:
			free++;
			break;
		case MYSLAB_BLOCK_PCP:
			if (p->head != i || p->order != 0) {
				check_err(r, "page %lu in a per-CPU cache claims order %u at page %u",
					  i, p->order, p->head);
				errors++;
			}
			break;
		case MYSLAB_BLOCK_ALLOC:
		case MYSLAB_BLOCK_SLAB:
			if (!allocated_page_ok(r, i, state)) {
				check_err(r, "page %lu (%s) claims an order-%u block at page %u that does not match",
					  i, myslab_state_name(state), p->order, p->head);
				errors++;
			}
			break;
		default:
			check_err(r, "page %lu has state %u", i, state);
			errors++;
		}
	}
	if (buddy_heads != listed_blocks) {
		check_err(r, "%lu pages are marked as free block heads, the free lists hold %lu blocks",
			  buddy_heads, listed_blocks);
		errors++;
	}
	if (free != r->free_pages) {
		check_err(r, "%lu pages are free by their descriptors, the counter says %lu",
			  free, r->free_pages);
		errors++;
	}
	return errors;
}

/**
 * myslab_region_check - verify a region's lists, descriptors and identities
 * @region:	the region
 *
 * Checks: every free list is well linked and its counter matches; every
 * free block is aligned to its order, inside the region, made of FREE pages,
 * and not free at the same order as its buddy (merging is complete); the
 * pages marked as free block heads are exactly the listed blocks; the FREE
 * pages are exactly free_pages; allocated pages point at a consistent head;
 * free_pages + pcp_held + alloc_pages == nr_pages; and every per-CPU cache
 * is well linked, holds only PCP pages, and the caches account for pcp_held.
 * With MYSLAB_DEBUG_POISON, every free page (listed or cached) still holds
 * its poison: a damaged page is reported, counted in poison_errors and as
 * one inconsistency, and its poison restored, so that it is reported once.
 * Each inconsistency is logged.
 *
 * The region-wide checks run under the region's lock and are exact at any
 * time; the cross-CPU total is exact only when no allocation or free runs
 * concurrently (tests call this after their threads stopped).
 *
 * Context: any context; walks every page descriptor with interrupts off.
 * Return: the number of inconsistencies found, 0 when the region is sound.
 */
int myslab_region_check(struct myslab_region *region)
{
	unsigned long flags, pages = 0, blocks = 0, held, poisoned = 0;
	unsigned int k;
	int errors = 0;
	long pcp_total;

	spin_lock_irqsave(&region->lock, flags);
	for (k = 0; k <= MYSLAB_MAX_ORDER_LIMIT; k++) {
		if (k > region->max_order) {
			if (region->free_area[k].first != MYSLAB_NIL ||
			    region->free_area[k].count) {
				check_err(region, "order-%u free list above max_order %u is not empty",
					  k, region->max_order);
				errors++;
			}
			continue;
		}
		errors += check_free_list(region, k, &pages, &blocks, &poisoned);
	}
	region->counters[MYSLAB_BUDDY_POISON_ERRORS] += poisoned;
	if (pages != region->free_pages) {
		check_err(region, "the free lists hold %lu pages, free_pages says %lu",
			  pages, region->free_pages);
		errors++;
	}
	errors += check_descriptors(region, blocks);
	if (region->free_pages + region->pcp_held + region->alloc_pages !=
	    region->nr_pages) {
		check_err(region, "free %lu + per-CPU held %lu + allocated %lu != %lu pages",
			  region->free_pages, region->pcp_held,
			  region->alloc_pages, region->nr_pages);
		errors++;
	}
	held = region->pcp_held;
	spin_unlock_irqrestore(&region->lock, flags);

	if (!region->pcp) {
		if (held) {
			check_err(region, "%lu pages held per CPU without per-CPU caches", held);
			errors++;
		}
		return errors;
	}
	errors += myslab_pcp_check(region, &pcp_total);
	if (pcp_total != (long)held) {
		check_err(region, "per-CPU caches account for %ld pages, the region for %lu",
			  pcp_total, held);
		errors++;
	}
	return errors;
}
EXPORT_SYMBOL_GPL(myslab_region_check);
