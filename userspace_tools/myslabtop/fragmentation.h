/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's two fragmentation measures (mm/vmstat.c, the debugfs files
 * extfrag/unusable_index and extfrag/extfrag_index), computed from a buddy
 * line's free-block counts with the kernel's integer arithmetic. Both are
 * in thousandths, as the kernel computes them before printing "%d.%03d".
 */
#ifndef MYSLABTOP_FRAGMENTATION_H
#define MYSLABTOP_FRAGMENTATION_H

#include "buddyinfo.h"

/* mm/vmstat.c struct contig_page_info, for one requested order. */
struct contig_page_info {
	unsigned long free_pages;		/* sum of nr_free[o] << o */
	unsigned long free_blocks_total;	/* sum of nr_free[o] */
	unsigned long free_blocks_suitable;	/* blocks of @order a split yields */
};

void contig_page_info_fill(const struct buddy_zone *zone, unsigned int order,
			   struct contig_page_info *info);

/*
 * Unusable free space index: the share of free memory in blocks too small
 * for @order. 0 = none unusable, 1000 = all (and when nothing is free).
 */
int unusable_free_index(unsigned int order, const struct contig_page_info *info);

/*
 * Fragmentation index: -1000 when a block of @order is free; otherwise toward
 * 0 an allocation would fail for lack of memory, toward 1000 for
 * fragmentation; 0 when nothing is free. With very little free it goes
 * below 0 without meaning "suitable" (one free page, order 1: -500), in the
 * kernel too.
 */
int fragmentation_index(unsigned int order, const struct contig_page_info *info);

#endif /* MYSLABTOP_FRAGMENTATION_H */
