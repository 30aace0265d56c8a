// SPDX-License-Identifier: GPL-2.0
/*
 * Fragmentation figures from a page map, and a cross-check against the
 * module's debugfs files captured at the same moment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frag.h"

int frag_unusable_index(const unsigned long *nr_free, unsigned int max_order,
			unsigned int order)
{
	unsigned long free_pages = 0, suitable = 0;
	unsigned int o;

	for (o = 0; o <= max_order; o++) {
		free_pages += nr_free[o] << o;
		if (o >= order)
			suitable += nr_free[o] << (o - order);
	}
	if (!free_pages)
		return 1000;
	return (int)((free_pages - (suitable << order)) * 1000UL / free_pages);
}

int frag_fragmentation_index(const unsigned long *nr_free, unsigned int max_order,
			     unsigned int order)
{
	unsigned long free_pages = 0, suitable = 0, total = 0;
	unsigned int o;

	for (o = 0; o <= max_order; o++) {
		total += nr_free[o];
		free_pages += nr_free[o] << o;
		if (o >= order)
			suitable += nr_free[o] << (o - order);
	}
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (int)((1000 + free_pages * 1000UL / (1UL << order)) / total);
}

void frag_format(char *buf, size_t size, int thousandths, int width)
{
	unsigned int abs = thousandths < 0 ? 0U - (unsigned int)thousandths :
					     (unsigned int)thousandths;
	char whole[16];

	snprintf(whole, sizeof(whole), "%s%u", thousandths < 0 ? "-" : "", abs / 1000);
	snprintf(buf, size, "%*s.%03u", width, whole, abs % 1000);
}

void frag_compute(const struct page_map *map, struct frag *frag)
{
	const struct pm_block *b;
	unsigned long i;
	unsigned int o;

	memset(frag, 0, sizeof(*frag));
	frag->max_order = map->max_order;
	for (i = 0; i < map->nr_blocks; i++) {
		b = &map->blocks[i];
		frag->state_pages[b->state] += 1UL << b->order;
		if (b->state == PM_FREE)
			frag->nr_free[b->order]++;
	}
	for (o = 0; o <= map->max_order; o++) {
		frag->unusable[o] = frag_unusable_index(frag->nr_free, map->max_order, o);
		frag->fragmentation[o] = frag_fragmentation_index(frag->nr_free,
								  map->max_order, o);
	}
}

static void print_pages(FILE *out, const char *what, unsigned long pages,
			unsigned long total)
{
	fprintf(out, " %lu %s (%.1f%%)", pages, what, total ? 100.0 * pages / total : 0.0);
}

void frag_print_table(FILE *out, const struct page_map *map, const struct frag *frag)
{
	char unusable[16], fragmentation[16];
	unsigned int o;

	fprintf(out, "region %s: %lu pages of %lu bytes (%lu KiB), max_order %u, %lu blocks\n",
		map->region, map->pages, map->page_size,
		map->pages * (map->page_size / 1024), map->max_order, map->nr_blocks);
	fprintf(out, "pages:");
	print_pages(out, "free", frag->state_pages[PM_FREE], map->pages);
	print_pages(out, "per-CPU cached", frag->state_pages[PM_PCP], map->pages);
	print_pages(out, "allocated", frag->state_pages[PM_ALLOC], map->pages);
	print_pages(out, "slab", frag->state_pages[PM_SLAB], map->pages);
	fprintf(out, "\n\n%5s %11s %10s %9s %13s\n", "order", "free blocks",
		"free pages", "unusable", "fragmentation");
	for (o = 0; o <= map->max_order; o++) {
		frag_format(unusable, sizeof(unusable), frag->unusable[o], 0);
		frag_format(fragmentation, sizeof(fragmentation), frag->fragmentation[o], 2);
		fprintf(out, "%5u %11lu %10lu %9s %13s\n", o, frag->nr_free[o],
			frag->nr_free[o] << o, unusable, fragmentation);
	}
	fprintf(out, "(unusable: share of free memory that cannot serve the order; fragmentation:\n"
		" -1.000 while a block of the order is free, else towards 1 when a request\n"
		" would fail from fragmentation rather than lack of memory)\n");
}

/* === Cross-check with the module's files === */

/* Read @dir/@name; NULL (no warning) when it does not exist. */
static char *slurp(const char *dir, const char *name)
{
	char path[4096], *buf;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	buf = calloc(1, 65536);
	if (buf) {
		len = fread(buf, 1, 65535, f);
		buf[len] = '\0';
	}
	fclose(f);
	return buf;
}

/* One extfrag line: "Node 0, zone <name> v0 v1 ..." against @values. */
static int check_extfrag(const char *dir, const char *name, const struct page_map *map,
			 const int *values, int width)
{
	char *text = slurp(dir, name), *p, *word, *save = NULL, want[16];
	unsigned int o = 0;
	int bad = 0;

	if (!text)
		return 0;
	p = strstr(text, map->region);
	if (strncmp(text, "Node 0, zone ", 13) || !p) {
		warn("%s/%s: not an extfrag line for region %s", dir, name, map->region);
		free(text);
		return 1;
	}
	for (word = strtok_r(p + strlen(map->region), " \n", &save); word;
	     word = strtok_r(NULL, " \n", &save), o++) {
		frag_format(want, sizeof(want), o <= map->max_order ? values[o] : 0, width);
		if (o > map->max_order || strcmp(word, want + strspn(want, " "))) {
			bad = 1;
			break;
		}
	}
	if (bad || o != map->max_order + 1) {
		warn("%s/%s differs from what page_map gives (captured at another moment?)",
		     dir, name);
		bad = 1;
	}
	free(text);
	return bad;
}

static int check_free_blocks(const char *dir, const struct page_map *map,
			     const struct frag *frag)
{
	char *text = slurp(dir, "free_blocks"), *line, *save = NULL;
	unsigned long order, blocks, pages;
	unsigned int seen = 0;
	int bad = 0;

	if (!text)
		return 0;
	for (line = strtok_r(text, "\n", &save); line && !bad;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%lu %lu %lu", &order, &blocks, &pages) != 3 ||
		    order > map->max_order || blocks != frag->nr_free[order] ||
		    pages != blocks << order)
			bad = 1;
		seen++;
	}
	if (bad || seen != map->max_order + 1) {
		warn("%s/free_blocks differs from what page_map gives (captured at another moment?)",
		     dir);
		bad = 1;
	}
	free(text);
	return bad;
}

int frag_cross_check(const char *dir, const struct page_map *map,
		     const struct frag *frag)
{
	return check_free_blocks(dir, map, frag) +
	       check_extfrag(dir, "extfrag_unusable", map, frag->unusable, 0) +
	       check_extfrag(dir, "extfrag_index", map, frag->fragmentation, 2);
}
