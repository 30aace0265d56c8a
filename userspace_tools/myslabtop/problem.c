// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "problem.h"

enum exit_status problem_set(struct problem *problem, enum exit_status status,
			     const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(problem->message, sizeof(problem->message), fmt, args);
	va_end(args);
	problem->status = status;
	return status;
}
