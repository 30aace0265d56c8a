// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy poison check: is the poison of free pages intact, on a
 * region with MYSLAB_DEBUG_POISON? The debug free path (buddy_debug.c)
 * fills a block with poison and the debug allocation path checks it when
 * the block is handed out again; the validator checks free pages where they
 * lie, on the free lists (buddy_check.c) and in the per-CPU page lists
 * (buddy_pcp.c).
 *
 * A leaf: it calls no other buddy file, so that the per-CPU page lists and the
 * validator, which sit below the debug paths, can check poison without
 * calling up into them.
 *
 * This is a core file: no module glue.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "buddy_internal.h"

#define POISON_WORD	(~0UL / 0xff * MYSLAB_PAGE_POISON)

/*
 * Look for changed bytes in one page: return how many, and the offset and
 * value of the first. Word at a time while the page is intact.
 */
static unsigned int poison_scan(const void *page, unsigned int *first,
				u8 *found)
{
	const unsigned long *w = page;
	const u8 *b = page;
	unsigned int i, changed = 0;

	for (i = 0; i < PAGE_SIZE / sizeof(*w); i++)
		if (w[i] != POISON_WORD)
			break;
	for (i *= sizeof(*w); i < PAGE_SIZE; i++) {
		if (b[i] == MYSLAB_PAGE_POISON)
			continue;
		if (!changed++) {
			*first = i;
			*found = b[i];
		}
	}
	return changed;
}

/*
 * Check the poison of @nr free pages from page @idx, reporting each damaged
 * page once. @when says who found it. Returns the number of damaged pages.
 * The caller makes sure nobody else may use the pages meanwhile.
 */
static unsigned int check_poison(const struct myslab_region *r, u32 idx,
				 unsigned long nr, const char *when,
				 bool repair)
{
	unsigned int changed, first = 0, damaged = 0;
	unsigned long i;
	u8 found = 0;
	void *page;

	for (i = 0; i < nr; i++) {
		page = myslab_page_addr(r, idx + i);
		changed = poison_scan(page, &first, &found);
		if (!changed)
			continue;
		damaged++;
		pr_err_ratelimited("region %s: page %lu poison overwritten at +0x%x (0x%02x -> 0x%02x), %u of %lu bytes changed, found %s\n",
				   r->name, idx + i, first, MYSLAB_PAGE_POISON,
				   found, changed, PAGE_SIZE, when);
		if (repair)
			memset(page, MYSLAB_PAGE_POISON, PAGE_SIZE);
	}
	return damaged;
}

/**
 * myslab_buddy_poison_check_free - validate the poison of free pages
 * @r:		the region, with MYSLAB_DEBUG_POISON
 * @idx:	first page
 * @nr:		number of pages
 *
 * For the validator: the caller holds the lock that keeps the pages free
 * (the region's for listed blocks, the per-CPU page list's for cached pages).
 * Each damaged page is reported once and its poison restored; the caller
 * counts the returned number in poison_errors.
 *
 * Return: the number of damaged pages.
 */
unsigned int myslab_buddy_poison_check_free(const struct myslab_region *r,
					    u32 idx, unsigned long nr)
{
	void *addr = myslab_page_addr(r, idx);
	unsigned int damaged;

	if (r->debug.shadow_unpoison)
		r->debug.shadow_unpoison(addr, nr << PAGE_SHIFT);
	damaged = check_poison(r, idx, nr, "by validate", true);
	if (r->debug.shadow_poison)
		r->debug.shadow_poison(addr, nr << PAGE_SHIFT);
	return damaged;
}

/*
 * The poison of a block the debug allocation path just took, its shadow
 * already unpoisoned. Damage is reported but left as it is: the block is
 * handed out anyway and its contents are the new owner's (see
 * buddy_debug.c). Returns the number of damaged pages, which the caller
 * counts.
 */
unsigned int myslab_buddy_poison_check_alloc(const struct myslab_region *r,
					     u32 idx, unsigned int order)
{
	return check_poison(r, idx, 1UL << order, "on allocation", false);
}
