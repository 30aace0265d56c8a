/* SPDX-License-Identifier: GPL-2.0 */
/* A bitmap font for the text of PNG pictures (font.c). */
#ifndef BUDDYVIEW_FONT_H
#define BUDDYVIEW_FONT_H

#define FONT_WIDTH	6
#define FONT_HEIGHT	10
#define FONT_FIRST	' '
#define FONT_LAST	'~'

extern const unsigned char font_6x10[FONT_LAST - FONT_FIRST + 1][FONT_HEIGHT];

#endif /* BUDDYVIEW_FONT_H */
