/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A problem: what went wrong, worded for the user, and the exit status it
 * ends the program with. Functions fill one in instead of printing, because
 * the live view must leave curses before anything reaches the terminal.
 */
#ifndef MYSLABTOP_PROBLEM_H
#define MYSLABTOP_PROBLEM_H

#include "exit_status.h"

struct problem {
	enum exit_status status;
	char message[512];
};

/* Records the problem and returns @status, so callers can return it. */
enum exit_status problem_set(struct problem *problem, enum exit_status status,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* MYSLABTOP_PROBLEM_H */
