/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslabtop's exit statuses. They are part of its interface: scripts and
 * monitoring test them, so a value never changes meaning.
 */
#ifndef MYSLABTOP_EXIT_STATUS_H
#define MYSLABTOP_EXIT_STATUS_H

enum exit_status {
	EXIT_OK			= 0,
	EXIT_USAGE		= 1,	/* bad option or argument */
	EXIT_NOT_LOADED		= 2,	/* a file is missing: module not loaded? */
	EXIT_NEED_ROOT		= 3,	/* a file is not readable by this user */
	EXIT_MALFORMED		= 4,	/* a file is not in the expected format */
	EXIT_RUNTIME_ERROR	= 5,	/* I/O error, no memory, no terminal */
};

#endif /* MYSLABTOP_EXIT_STATUS_H */
