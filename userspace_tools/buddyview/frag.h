/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a page map says about fragmentation: free blocks per order, pages
 * per state, and the kernel's two fragmentation indices (mm/vmstat.c, the
 * same integer arithmetic as kmod/core/buddy/buddy_frag.c), in thousandths.
 */
#ifndef BUDDYVIEW_FRAG_H
#define BUDDYVIEW_FRAG_H

#include <stdio.h>

#include "pagemap.h"

struct frag {
	unsigned int max_order;
	unsigned long nr_free[PM_MAX_ORDER + 1];
	unsigned long state_pages[PM_NR_STATES];
	int unusable[PM_MAX_ORDER + 1];
	int fragmentation[PM_MAX_ORDER + 1];
};

void frag_compute(const struct page_map *map, struct frag *frag);
int frag_unusable_index(const unsigned long *nr_free, unsigned int max_order,
			unsigned int order);
int frag_fragmentation_index(const unsigned long *nr_free, unsigned int max_order,
			     unsigned int order);
/* "%d.%03d" with the sign in front and the integer part @width wide. */
void frag_format(char *buf, size_t size, int thousandths, int width);
void frag_print_table(FILE *out, const struct page_map *map, const struct frag *frag);

/*
 * Compare with the module's own files in @dir (free_blocks, extfrag_unusable,
 * extfrag_index) where they exist; warn about each difference. Returns the
 * number of files that disagree.
 */
int frag_cross_check(const char *dir, const struct page_map *map,
		     const struct frag *frag);

#endif /* BUDDYVIEW_FRAG_H */
