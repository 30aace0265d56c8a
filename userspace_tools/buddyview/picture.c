// SPDX-License-Identifier: GPL-2.0
/* Layout and drawing of a page-map picture, on any canvas. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "frag.h"
#include "picture.h"

#define MARGIN		16
#define SWATCH		16
#define MIN_WIDTH	720
#define TARGET_MAP	768

static const struct rgb black = { 0, 0, 0 }, grey = { 0x55, 0x55, 0x55 };

/* Legend entries, in order: one per free order, pcp, alloc, names, unnamed. */
struct entry {
	struct rgb colour;
	char label[96];
};

static unsigned int entries(const struct page_map *map, struct entry *e, unsigned int max)
{
	unsigned int n = 0, o, i;

	for (o = 0; o <= map->max_order && n < max; o++, n++) {
		e[n].colour = palette_free(o, map->max_order);
		snprintf(e[n].label, sizeof(e[n].label), "free order %u", o);
	}
	if (n < max) {
		e[n].colour = palette_state(PM_PCP);
		snprintf(e[n++].label, sizeof(e->label), "per-CPU cached");
	}
	if (n < max) {
		e[n].colour = palette_state(PM_ALLOC);
		snprintf(e[n++].label, sizeof(e->label), "allocated");
	}
	for (i = 0; i < map->nr_names && n < max; i++, n++) {
		e[n].colour = palette_name(map->names[i]);
		snprintf(e[n].label, sizeof(e[n].label), "slab %.80s", map->names[i]);
	}
	if (n < max) {
		e[n].colour = palette_state(PM_SLAB);
		snprintf(e[n++].label, sizeof(e->label), "slab (no name)");
	}
	return n;
}

#define MAX_ENTRIES	(PM_MAX_ORDER + 1 + 3 + 64)

static unsigned int entry_width(const struct entry *e)
{
	return SWATCH + 8 + (unsigned int)strlen(e->label) * PIC_CHAR_W + 24;
}

/* Lays the legend out in lines of @width; returns its height. */
static unsigned int legend_lines(const struct entry *e, unsigned int n, unsigned int width,
				 const struct canvas *canvas, unsigned int y0)
{
	unsigned int x = MARGIN, y = y0, i, w;

	for (i = 0; i < n; i++) {
		w = entry_width(&e[i]);
		if (x > MARGIN && x + w > width - MARGIN) {
			x = MARGIN;
			y += PIC_CHAR_H + 8;
		}
		if (canvas) {
			canvas->rect(canvas->ctx, x, y + 2, SWATCH, SWATCH, black);
			canvas->rect(canvas->ctx, x + 1, y + 3, SWATCH - 2, SWATCH - 2,
				     e[i].colour);
			canvas->text(canvas->ctx, x + SWATCH + 8, y, e[i].label, black);
		}
		x += w;
	}
	return y + PIC_CHAR_H - y0;
}

static void title_lines(const struct page_map *map, const char *title, char *l1,
			char *l2, size_t size)
{
	struct frag frag;

	frag_compute(map, &frag);
	snprintf(l1, size, "myslab region %s: %lu pages of %lu KiB%s%s", map->region,
		 map->pages, map->page_size / 1024, title && *title ? " - " : "",
		 title ? title : "");
	snprintf(l2, size, "free %lu  per-CPU %lu  allocated %lu  slab %lu  (%lu blocks)",
		 frag.state_pages[PM_FREE], frag.state_pages[PM_PCP],
		 frag.state_pages[PM_ALLOC], frag.state_pages[PM_SLAB], map->nr_blocks);
}

void picture_layout(const struct page_map *map, unsigned int cell, const char *title,
		    struct picture_layout *l)
{
	struct entry e[MAX_ENTRIES];
	char l1[256], l2[256];
	unsigned int n, text_w;

	memset(l, 0, sizeof(*l));
	l->cols = 1;
	while (l->cols * l->cols < map->pages && l->cols < 256)
		l->cols *= 2;
	l->rows = (map->pages + l->cols - 1) / l->cols;
	l->cell = cell;
	if (!l->cell) {
		l->cell = TARGET_MAP / (unsigned int)l->cols;
		while (l->cell > 1 && l->rows * l->cell > 2 * TARGET_MAP)
			l->cell--;
	}
	if (l->cell < 1)
		l->cell = 1;
	if (l->cell > 32)
		l->cell = 32;

	title_lines(map, title, l1, l2, sizeof(l1));
	text_w = (unsigned int)(strlen(l1) > strlen(l2) ? strlen(l1) : strlen(l2)) * PIC_CHAR_W;
	l->width = (unsigned int)l->cols * l->cell + 2 * MARGIN;
	if (l->width < text_w + 2 * MARGIN)
		l->width = text_w + 2 * MARGIN;
	if (l->width < MIN_WIDTH)
		l->width = MIN_WIDTH;
	l->map_x = MARGIN;
	l->map_y = MARGIN + 2 * PIC_CHAR_H + 12;
	l->legend_y = l->map_y + (unsigned int)l->rows * l->cell + MARGIN;
	n = entries(map, e, MAX_ENTRIES);
	l->height = l->legend_y + legend_lines(e, n, l->width, NULL, l->legend_y) + MARGIN;
}

/* Draw one block: a rectangle per grid row it touches, its edges darker. */
static void draw_block(const struct page_map *map, const struct picture_layout *l,
		       const struct pm_block *b, const struct canvas *canvas)
{
	unsigned long page = b->first, end = b->first + (1UL << b->order), run;
	struct rgb fill = palette_block(map, b), edge = palette_darker(fill);
	unsigned int x, y, w, h = l->cell, edges = l->cell >= 4;
	bool first_row = true;

	while (page < end) {
		run = l->cols - page % l->cols;
		if (run > end - page)
			run = end - page;
		x = l->map_x + (unsigned int)(page % l->cols) * l->cell;
		y = l->map_y + (unsigned int)(page / l->cols) * l->cell;
		w = (unsigned int)run * l->cell;
		if (edges) {
			canvas->rect(canvas->ctx, x, y, w, h, edge);
			canvas->rect(canvas->ctx, x + 1, y + (first_row ? 1 : 0), w - 1,
				     h - (first_row ? 1 : 0), fill);
		} else {
			canvas->rect(canvas->ctx, x, y, w, h, fill);
		}
		if (canvas->block)
			canvas->block(canvas->ctx, map, b, x, y, w, h);
		first_row = false;
		page += run;
	}
}

void picture_draw(const struct page_map *map, const struct picture_layout *l,
		  const char *title, const struct canvas *canvas)
{
	struct entry e[MAX_ENTRIES];
	char l1[256], l2[256];
	unsigned long i;
	unsigned int n;

	title_lines(map, title, l1, l2, sizeof(l1));
	canvas->text(canvas->ctx, MARGIN, MARGIN, l1, black);
	canvas->text(canvas->ctx, MARGIN, MARGIN + PIC_CHAR_H + 4, l2, grey);
	/* A frame, then the blocks over it. */
	canvas->rect(canvas->ctx, l->map_x - 1, l->map_y - 1,
		     (unsigned int)l->cols * l->cell + 2, (unsigned int)l->rows * l->cell + 2,
		     grey);
	for (i = 0; i < map->nr_blocks; i++)
		draw_block(map, l, &map->blocks[i], canvas);
	n = entries(map, e, MAX_ENTRIES);
	legend_lines(e, n, l->width, canvas, l->legend_y);
}
