/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddyview's exit statuses, the same as myslabtop's: part of the interface,
 * scripts test them, so a value never changes meaning.
 */
#ifndef BUDDYVIEW_EXIT_STATUS_H
#define BUDDYVIEW_EXIT_STATUS_H

enum exit_status {
	EXIT_OK			= 0,
	EXIT_USAGE		= 1,	/* bad option or argument */
	EXIT_NOT_LOADED		= 2,	/* a file is missing: module not loaded? */
	EXIT_NEED_ROOT		= 3,	/* a file is not readable by this user */
	EXIT_MALFORMED		= 4,	/* a file is not in the expected format */
	EXIT_RUNTIME_ERROR	= 5,	/* I/O error, no memory */
};

/*
 * Print "buddyview: <message>" on stderr and return @status, so callers can
 * write "return fail(EXIT_..., ...)".
 */
enum exit_status fail(enum exit_status status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The same, as a warning that does not change the exit status. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* BUDDYVIEW_EXIT_STATUS_H */
