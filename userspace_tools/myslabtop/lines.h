/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking a text one line at a time, with line numbers for error messages.
 * Lines are copied into a fixed buffer, as procps' fgets() reads them, so
 * sscanf() sees one NUL-terminated line without its newline.
 */
#ifndef MYSLABTOP_LINES_H
#define MYSLABTOP_LINES_H

#include <stddef.h>

/* procps reads /proc/slabinfo through a buffer of this size. */
#define LINE_MAX_BYTES	2048

struct line_cursor {
	const char *next;	/* start of the next line; NULL at the end */
	unsigned int number;	/* 1-based number of the line last read */
};

enum line_result {
	LINE_READ,		/* one line copied */
	LINE_END,		/* no more lines */
	LINE_TOO_LONG,		/* the line does not fit LINE_MAX_BYTES */
};

void line_cursor_init(struct line_cursor *cursor, const char *text);

/*
 * Copies the next line, newline stripped, into @line (LINE_MAX_BYTES long).
 * The last line may lack its newline; an empty text has no lines.
 */
enum line_result line_next(struct line_cursor *cursor, char *line);

#endif /* MYSLABTOP_LINES_H */
