/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A myslab page map (debugfs myslab/buddy/page_map, format v1 as described
 * in kmod/core/buddy/buddy_map.c): a header line, then one line per block in address
 * order covering every page once:
 *
 *	myslab page_map v1 region=myslab pages=16384 max_order=10 page_size=4096 blocks=37
 *	<first page> <order> free|pcp|alloc|slab [<owner>]
 */
#ifndef BUDDYVIEW_PAGEMAP_H
#define BUDDYVIEW_PAGEMAP_H

#include <stdio.h>

#include "exit_status.h"

/* Largest order the module accepts (MYSLAB_MAX_ORDER_LIMIT). */
#define PM_MAX_ORDER	20

enum pm_state {
	PM_FREE,	/* on a buddy free list */
	PM_PCP,		/* in a per-CPU page cache */
	PM_ALLOC,	/* handed out by the page API */
	PM_SLAB,	/* a slab */
	PM_NR_STATES
};

struct pm_block {
	unsigned long first;
	unsigned int order;
	enum pm_state state;
	int name;		/* index into names[], or -1 */
};

struct page_map {
	char region[64];
	unsigned long pages;
	unsigned long page_size;
	unsigned int max_order;
	unsigned long nr_blocks;
	struct pm_block *blocks;
	unsigned int nr_names;
	char **names;		/* slab owner names, in order of appearance */
};

const char *pm_state_word(enum pm_state state);

/*
 * Read a page map from @f (@path for messages). Every rule of the format is
 * checked; on failure the reason is printed and EXIT_MALFORMED (or
 * EXIT_RUNTIME_ERROR) returned, with @map left empty.
 */
enum exit_status page_map_read(FILE *f, const char *path, struct page_map *map);
void page_map_free(struct page_map *map);

#endif /* BUDDYVIEW_PAGEMAP_H */
