// SPDX-License-Identifier: GPL-2.0
/*
 * SVG output, written by hand: rectangles and text. With few enough blocks
 * each one carries a <title> ("page 1024, order 3, slab kmalloc-64") that
 * SVG viewers show on hover.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "picture.h"

#define SVG_TITLES_MAX	4096	/* blocks; beyond, titles would bloat the file */

struct svg {
	FILE *f;
	bool titles;
};

static void svg_rect(void *ctx, unsigned int x, unsigned int y, unsigned int w,
		     unsigned int h, struct rgb fill)
{
	struct svg *svg = ctx;

	fprintf(svg->f, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%02x%02x%02x\"/>\n",
		x, y, w, h, fill.r, fill.g, fill.b);
}

static void svg_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

static void svg_text(void *ctx, unsigned int x, unsigned int y, const char *s,
		     struct rgb colour)
{
	struct svg *svg = ctx;

	/* y is the top of the text cell; SVG places the baseline. */
	fprintf(svg->f, "<text x=\"%u\" y=\"%u\" fill=\"#%02x%02x%02x\">", x,
		y + PIC_CHAR_H - 5, colour.r, colour.g, colour.b);
	svg_escaped(svg->f, s);
	fputs("</text>\n", svg->f);
}

static void svg_block(void *ctx, const struct page_map *map, const struct pm_block *b,
		      unsigned int x, unsigned int y, unsigned int w, unsigned int h)
{
	struct svg *svg = ctx;

	if (!svg->titles)
		return;
	fprintf(svg->f, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill-opacity=\"0\"><title>page %lu, order %u, %s",
		x, y, w, h, b->first, b->order, pm_state_word(b->state));
	if (b->name >= 0) {
		fputc(' ', svg->f);
		svg_escaped(svg->f, map->names[b->name]);
	}
	fputs("</title></rect>\n", svg->f);
}

enum exit_status svg_write(const char *path, const struct page_map *map,
			   unsigned int cell, const char *title)
{
	struct picture_layout l;
	struct svg svg = { .titles = map->nr_blocks <= SVG_TITLES_MAX };
	struct canvas canvas = {
		.ctx = &svg, .rect = svg_rect, .text = svg_text, .block = svg_block,
	};

	svg.f = fopen(path, "w");
	if (!svg.f)
		return fail(EXIT_RUNTIME_ERROR, "%s: %s", path, strerror(errno));
	picture_layout(map, cell, title, &l);
	fprintf(svg.f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" font-family=\"monospace\" font-size=\"18\" shape-rendering=\"crispEdges\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		l.width, l.height, l.width, l.height);
	picture_draw(map, &l, title, &canvas);
	fputs("</svg>\n", svg.f);
	if (ferror(svg.f) | fclose(svg.f))
		return fail(EXIT_RUNTIME_ERROR, "%s: write error", path);
	return EXIT_OK;
}
