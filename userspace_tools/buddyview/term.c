// SPDX-License-Identifier: GPL-2.0
/* Terminal rendering of a page map. */
#include <stdlib.h>
#include <string.h>

#include "palette.h"
#include "term.h"

static const char order_chars[] = "0123456789abcdefghijk";

/* What the pages of one character hold. */
struct cell {
	unsigned long pages[PM_NR_STATES];
	int free_order;		/* largest free block overlapping, -1: none */
	int slab_name;		/* name of the slab covering most of it */
	unsigned long slab_best;
};

unsigned long term_auto_group(const struct page_map *map, const struct term_options *o)
{
	unsigned long group = 1, chars = (unsigned long)o->width * o->max_rows;

	while ((map->pages + group - 1) / group > chars)
		group *= 2;
	return group;
}

static void add_block(struct cell *cells, unsigned long group, const struct pm_block *b)
{
	unsigned long start = b->first, end = b->first + (1UL << b->order), c, lo, hi;
	struct cell *cell;

	for (c = start / group; c <= (end - 1) / group; c++) {
		cell = &cells[c];
		lo = start > c * group ? start : c * group;
		hi = end < (c + 1) * group ? end : (c + 1) * group;
		cell->pages[b->state] += hi - lo;
		if (b->state == PM_FREE && (int)b->order > cell->free_order)
			cell->free_order = (int)b->order;
		if (b->state == PM_SLAB && hi - lo > cell->slab_best) {
			cell->slab_best = hi - lo;
			cell->slab_name = b->name;
		}
	}
}

/* The state with most pages; ties go to the busier state. */
static enum pm_state dominant(const struct cell *cell)
{
	static const enum pm_state preference[] = { PM_SLAB, PM_ALLOC, PM_PCP, PM_FREE };
	enum pm_state best = PM_SLAB;
	unsigned int i;

	for (i = 1; i < PM_NR_STATES; i++)
		if (cell->pages[preference[i]] > cell->pages[best])
			best = preference[i];
	return best;
}

static char cell_char(const struct cell *cell, enum pm_state state, struct rgb *colour,
		      const struct page_map *map)
{
	switch (state) {
	case PM_FREE:
		*colour = palette_free((unsigned int)cell->free_order, map->max_order);
		return order_chars[cell->free_order];
	case PM_PCP:
		*colour = palette_state(PM_PCP);
		return 'p';
	case PM_ALLOC:
		*colour = palette_state(PM_ALLOC);
		return '#';
	default:
		if (cell->slab_name < 0) {
			*colour = palette_state(PM_SLAB);
			return 's';
		}
		*colour = palette_name(map->names[cell->slab_name]);
		return cell->slab_name < 26 ? (char)('A' + cell->slab_name) : '*';
	}
}

static void legend_item(FILE *out, bool colour, struct rgb c, const char *sym,
			const char *what, unsigned int *col)
{
	size_t len = 2 + strlen(sym) + 1 + strlen(what);

	if (*col > 7 && *col + len > 78) {
		fputs("\n       ", out);
		*col = 7;
	}
	if (colour)
		fprintf(out, "  \033[48;5;%dm\033[38;5;%dm%s\033[0m %s",
			palette_xterm(c), palette_text_on(c), sym, what);
	else
		fprintf(out, "  %s %s", sym, what);
	*col += (unsigned int)len;
}

static void legend(FILE *out, const struct page_map *map, bool colour)
{
	unsigned int col = 7, i;
	char sym[8];

	fputs("legend:", out);
	snprintf(sym, sizeof(sym), "0-%c", order_chars[map->max_order]);
	legend_item(out, colour, palette_free(map->max_order / 2, map->max_order), sym,
		    "free (order of the largest free block)", &col);
	legend_item(out, colour, palette_state(PM_PCP), "p", "per-CPU cached page", &col);
	legend_item(out, colour, palette_state(PM_ALLOC), "#", "allocated block", &col);
	for (i = 0; i < map->nr_names; i++) {
		snprintf(sym, sizeof(sym), "%c", i < 26 ? 'A' + i : '*');
		legend_item(out, colour, palette_name(map->names[i]), sym, map->names[i], &col);
	}
	legend_item(out, colour, palette_state(PM_SLAB), "s", "slab (cache not named)", &col);
	fputc('\n', out);
}

int term_render(FILE *out, const struct page_map *map, const struct term_options *o)
{
	unsigned long group = o->group ? o->group : term_auto_group(map, o);
	unsigned long nr_cells = (map->pages + group - 1) / group, i;
	struct cell *cells = calloc(nr_cells, sizeof(*cells));
	enum pm_state state;
	struct rgb colour;
	char ch;

	if (!cells)
		return -1;
	for (i = 0; i < nr_cells; i++) {
		cells[i].free_order = -1;
		cells[i].slab_name = -1;
	}
	for (i = 0; i < map->nr_blocks; i++)
		add_block(cells, group, &map->blocks[i]);

	fprintf(out, "page map of region %s: %lu pages, %lu page%s per character, %u per row\n",
		map->region, map->pages, group, group == 1 ? "" : "s", o->width);
	for (i = 0; i < nr_cells; i++) {
		if (!(i % o->width))
			fprintf(out, "%9lu ", i * group);
		state = dominant(&cells[i]);
		ch = cell_char(&cells[i], state, &colour, map);
		if (o->colour)
			fprintf(out, "\033[48;5;%dm\033[38;5;%dm%c", palette_xterm(colour),
				palette_text_on(colour), ch);
		else
			fputc(ch, out);
		if (i % o->width == o->width - 1 || i == nr_cells - 1)
			fputs(o->colour ? "\033[0m\n" : "\n", out);
	}
	legend(out, map, o->colour);
	free(cells);
	return 0;
}
