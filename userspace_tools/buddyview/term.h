/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal rendering of a page map: one character per group of pages,
 * rows of a fixed width, each row led by its first page number, then a
 * legend. A character shows the state that holds most of its pages:
 *
 *	0-9, a-k	free: the order of the largest free block in it
 *	p		free page in a per-CPU cache
 *	#		allocated block
 *	A-Z		slab of the cache listed in the legend (* beyond 26)
 *	s		slab whose cache has no name in the map
 */
#ifndef BUDDYVIEW_TERM_H
#define BUDDYVIEW_TERM_H

#include <stdbool.h>
#include <stdio.h>

#include "pagemap.h"

struct term_options {
	unsigned int width;	/* characters per row */
	unsigned long group;	/* pages per character, 0: choose */
	unsigned int max_rows;	/* when choosing the group */
	bool colour;		/* ANSI 256-colour backgrounds */
};

/* The smallest power-of-two group that fits the map in max_rows rows. */
unsigned long term_auto_group(const struct page_map *map, const struct term_options *o);
int term_render(FILE *out, const struct page_map *map, const struct term_options *o);

#endif /* BUDDYVIEW_TERM_H */
