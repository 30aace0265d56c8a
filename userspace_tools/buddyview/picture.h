/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A picture of a page map: a title, the region drawn as a grid of pages
 * (rows of a power-of-two number of pages, so that every block smaller than
 * a row sits in one row and larger ones fill whole rows), each block in its
 * colour (palette.h) with a darker edge where it starts, and a legend.
 * Drawn through a canvas, so the SVG and PNG writers share the layout.
 */
#ifndef BUDDYVIEW_PICTURE_H
#define BUDDYVIEW_PICTURE_H

#include "palette.h"
#include "pagemap.h"

/* Text cells of the canvas: the 6x10 font at scale 2. */
#define PIC_CHAR_W	12
#define PIC_CHAR_H	20

struct canvas {
	void *ctx;
	void (*rect)(void *ctx, unsigned int x, unsigned int y, unsigned int w,
		     unsigned int h, struct rgb fill);
	void (*text)(void *ctx, unsigned int x, unsigned int y, const char *s,
		     struct rgb colour);
	/* Optional: what a block is, for viewers that show it on hover. */
	void (*block)(void *ctx, const struct page_map *map, const struct pm_block *b,
		      unsigned int x, unsigned int y, unsigned int w, unsigned int h);
};

struct picture_layout {
	unsigned long cols, rows;	/* pages per grid row, grid rows */
	unsigned int cell;		/* pixels per page side */
	unsigned int map_x, map_y;	/* top left of the grid */
	unsigned int legend_y;
	unsigned int width, height;	/* of the whole picture */
};

/* @cell: pixels per page, 0 to choose. @title: extra words for the title. */
void picture_layout(const struct page_map *map, unsigned int cell, const char *title,
		    struct picture_layout *l);
void picture_draw(const struct page_map *map, const struct picture_layout *l,
		  const char *title, const struct canvas *canvas);

#endif /* BUDDYVIEW_PICTURE_H */
