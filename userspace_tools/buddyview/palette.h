/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Colours of the pictures and of the terminal rendering: free blocks in
 * shades of green by order (darker = larger), per-CPU cached pages gold,
 * allocated blocks red, slabs a stable colour per cache name (blues to
 * magentas, derived from a hash of the name, so a cache keeps its colour
 * from one picture to the next), unnamed slabs grey-violet.
 */
#ifndef BUDDYVIEW_PALETTE_H
#define BUDDYVIEW_PALETTE_H

#include "pagemap.h"

struct rgb {
	unsigned char r, g, b;
};

struct rgb palette_free(unsigned int order, unsigned int max_order);
struct rgb palette_state(enum pm_state state);
struct rgb palette_name(const char *name);
struct rgb palette_block(const struct page_map *map, const struct pm_block *b);
struct rgb palette_darker(struct rgb c);
/* The nearest colour of xterm's 256-colour cube (16 + 36r + 6g + b). */
int palette_xterm(struct rgb c);
/* Black or white, whichever reads better on @c. */
int palette_text_on(struct rgb c);

#endif /* BUDDYVIEW_PALETTE_H */
