// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "lines.h"

void line_cursor_init(struct line_cursor *cursor, const char *text)
{
	cursor->next = *text ? text : NULL;
	cursor->number = 0;
}

enum line_result line_next(struct line_cursor *cursor, char *line)
{
	const char *start = cursor->next, *newline;
	size_t len;

	if (!start)
		return LINE_END;
	newline = strchr(start, '\n');
	len = newline ? (size_t)(newline - start) : strlen(start);
	cursor->number++;
	cursor->next = newline && newline[1] ? newline + 1 : NULL;
	if (len >= LINE_MAX_BYTES)
		return LINE_TOO_LONG;
	memcpy(line, start, len);
	line[len] = '\0';
	return LINE_READ;
}
