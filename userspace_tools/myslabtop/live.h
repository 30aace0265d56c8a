/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live view: slabtop's screen in curses, redrawn every delay, on a key
 * press and when the terminal is resized. The sort letters re-sort (either
 * case), q quits, and so do SIGINT, SIGTERM and SIGHUP, restoring the
 * terminal.
 */
#ifndef MYSLABTOP_LIVE_H
#define MYSLABTOP_LIVE_H

#include "options.h"
#include "problem.h"

/*
 * Runs until asked to stop (EXIT_OK) or a file cannot be read (its status).
 * Needs a terminal on stdin and stdout: EXIT_USAGE otherwise.
 */
enum exit_status live_run(const struct options *opts, struct problem *problem);

#endif /* MYSLABTOP_LIVE_H */
