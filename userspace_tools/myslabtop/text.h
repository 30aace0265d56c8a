/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabtop's screen as lines of text: the summary, a blank line, the column
 * headings and one row per cache, formatted exactly as procps' slabtop
 * formats them. The once mode prints the lines; the live view draws them.
 */
#ifndef MYSLABTOP_TEXT_H
#define MYSLABTOP_TEXT_H

#include <stddef.h>

#include "slabinfo.h"
#include "stats.h"

/* Lines above the first cache row: 5 summary lines, a blank, the headings. */
#define TEXT_HEADER_LINES	7

enum text_line_kind {
	TEXT_SUMMARY,		/* a summary line, or the blank line after them */
	TEXT_HEADINGS,		/* the column headings (reverse video live) */
	TEXT_ROW,		/* one cache */
};

struct text_sink {
	/* Called once per line, in order; @text has no newline. */
	void (*line)(struct text_sink *sink, enum text_line_kind kind,
		     const char *text);
};

/*
 * Sends the summary, the headings and at most @max_rows cache rows (in the
 * order of @info) to @sink.
 */
void text_render(const struct slabinfo *info,
		 const struct slab_summary *summary, size_t max_rows,
		 struct text_sink *sink);

#endif /* MYSLABTOP_TEXT_H */
