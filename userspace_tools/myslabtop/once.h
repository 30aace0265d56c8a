/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one-shot modes for scripts: read once, print to stdout, exit. They need
 * no terminal.
 */
#ifndef MYSLABTOP_ONCE_H
#define MYSLABTOP_ONCE_H

#include "options.h"
#include "problem.h"

/* slabtop -o: the summary and every cache, as plain text. */
enum exit_status once_text(const struct options *opts, struct problem *problem);

/* --json */
enum exit_status once_json(const struct options *opts, struct problem *problem);

#endif /* MYSLABTOP_ONCE_H */
