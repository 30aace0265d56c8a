/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: slabtop's options (-d, -o, -s, --help, --version) and
 * myslabtop's own (--json, --file, --buddyinfo).
 */
#ifndef MYSLABTOP_OPTIONS_H
#define MYSLABTOP_OPTIONS_H

#include <stdbool.h>

#include "problem.h"
#include "sort.h"

#define DEFAULT_SLABINFO_PATH	"/proc/myslabinfo"
#define DEFAULT_BUDDYINFO_PATH	"/proc/mybuddyinfo"
#define DEFAULT_DELAY_SECONDS	3.0	/* slabtop's */
#define MAX_DELAY_SECONDS	86400.0

enum output_mode {
	MODE_LIVE,		/* curses, refreshed every delay */
	MODE_ONCE,		/* slabtop -o: plain text, once */
	MODE_JSON,		/* one JSON object, once */
	MODE_HELP,
	MODE_VERSION,
};

struct options {
	enum output_mode mode;
	double delay_seconds;
	const struct sort_key *sort;
	const char *slabinfo_path;
	const char *buddyinfo_path;	/* NULL: none (--file without --buddyinfo) */
	bool buddyinfo_required;	/* named on the command line */
};

/*
 * Fills @opts from the command line. Returns EXIT_OK or EXIT_USAGE (with the
 * reason in @problem).
 */
enum exit_status options_parse(int argc, char **argv, struct options *opts,
			       struct problem *problem);

#endif /* MYSLABTOP_OPTIONS_H */
