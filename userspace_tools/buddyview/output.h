/* SPDX-License-Identifier: GPL-2.0 */
/* Picture files: SVG (always) and PNG (when built with libpng). */
#ifndef BUDDYVIEW_OUTPUT_H
#define BUDDYVIEW_OUTPUT_H

#include <stdbool.h>

#include "exit_status.h"
#include "pagemap.h"

enum exit_status svg_write(const char *path, const struct page_map *map,
			   unsigned int cell, const char *title);
enum exit_status png_write(const char *path, const struct page_map *map,
			   unsigned int cell, const char *title);
/* Whether png_write() can do anything. */
bool png_available(void);

#endif /* BUDDYVIEW_OUTPUT_H */
