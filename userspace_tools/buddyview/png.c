// SPDX-License-Identifier: GPL-2.0
/*
 * PNG output through libpng: the picture is drawn into an RGB buffer (text
 * with the kernel's 6x10 font at twice its size) and written in one go.
 * Without libpng (BUDDYVIEW_PNG=0) only the message remains.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "output.h"
#include "picture.h"

#if BUDDYVIEW_PNG
#include <png.h>

struct raster {
	unsigned int width, height;
	unsigned char *pixels;	/* RGB, row after row */
};

static void raster_rect(void *ctx, unsigned int x, unsigned int y, unsigned int w,
			unsigned int h, struct rgb fill)
{
	struct raster *r = ctx;
	unsigned int i, j;
	unsigned char *p;

	for (j = y; j < y + h && j < r->height; j++) {
		p = r->pixels + ((size_t)j * r->width + x) * 3;
		for (i = x; i < x + w && i < r->width; i++) {
			*p++ = fill.r;
			*p++ = fill.g;
			*p++ = fill.b;
		}
	}
}

static void raster_text(void *ctx, unsigned int x, unsigned int y, const char *s,
			struct rgb colour)
{
	const unsigned int scale = PIC_CHAR_W / FONT_WIDTH;
	const unsigned char *glyph;
	unsigned int row, col;

	for (; *s; s++, x += PIC_CHAR_W) {
		if (*s < FONT_FIRST || *s > FONT_LAST)
			continue;
		glyph = font_6x10[*s - FONT_FIRST];
		for (row = 0; row < FONT_HEIGHT; row++)
			for (col = 0; col < FONT_WIDTH; col++)
				if (glyph[row] & (0x80 >> col))
					raster_rect(ctx, x + col * scale, y + row * scale,
						    scale, scale, colour);
	}
}

bool png_available(void)
{
	return true;
}

/* libpng reports errors with longjmp(): nothing live here to clobber. */
static bool write_png(png_structp png, png_infop info, FILE *f, const struct raster *r)
{
	unsigned int j;

	if (setjmp(png_jmpbuf(png)))
		return false;
	png_init_io(png, f);
	png_set_IHDR(png, info, r->width, r->height, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (j = 0; j < r->height; j++)
		png_write_row(png, r->pixels + (size_t)j * r->width * 3);
	png_write_end(png, NULL);
	return true;
}

enum exit_status png_write(const char *path, const struct page_map *map,
			   unsigned int cell, const char *title)
{
	struct raster r;
	struct canvas canvas = { .ctx = &r, .rect = raster_rect, .text = raster_text };
	struct picture_layout l;
	enum exit_status status = EXIT_OK;
	png_structp png;
	png_infop info = NULL;
	FILE *f;

	picture_layout(map, cell, title, &l);
	r.width = l.width;
	r.height = l.height;
	r.pixels = malloc((size_t)r.width * r.height * 3);
	if (!r.pixels)
		return fail(EXIT_RUNTIME_ERROR, "out of memory for a %ux%u picture",
			    r.width, r.height);
	memset(r.pixels, 0xff, (size_t)r.width * r.height * 3);
	picture_draw(map, &l, title, &canvas);

	f = fopen(path, "wb");
	if (!f) {
		free(r.pixels);
		return fail(EXIT_RUNTIME_ERROR, "%s: %s", path, strerror(errno));
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png)
		info = png_create_info_struct(png);
	if (!png || !info)
		status = fail(EXIT_RUNTIME_ERROR, "%s: libpng could not start", path);
	else if (!write_png(png, info, f, &r))
		status = fail(EXIT_RUNTIME_ERROR, "%s: libpng failed to write", path);
	png_destroy_write_struct(&png, &info);
	if (fclose(f) && status == EXIT_OK)
		status = fail(EXIT_RUNTIME_ERROR, "%s: write error", path);
	free(r.pixels);
	return status;
}
#else
bool png_available(void)
{
	return false;
}

enum exit_status png_write(const char *path, const struct page_map *map,
			   unsigned int cell, const char *title)
{
	(void)map;
	(void)cell;
	(void)title;
	return fail(EXIT_USAGE, "%s: this buddyview was built without libpng; use --svg",
		    path);
}
#endif
