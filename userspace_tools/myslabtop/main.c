// SPDX-License-Identifier: GPL-2.0
/*
 * myslabtop: slabtop for myslab. What procps' slabtop is for /proc/slabinfo,
 * this is for /proc/myslabinfo: the same options, screen and sort keys, plus
 * a JSON mode that adds the buddy allocator's free lists and fragmentation.
 */
#include <stdio.h>

#include "live.h"
#include "once.h"
#include "options.h"
#include "usage.h"
#include "version.h"

static enum exit_status run(const struct options *opts, struct problem *problem)
{
	switch (opts->mode) {
	case MODE_HELP:
		usage_print(stdout);
		return EXIT_OK;
	case MODE_VERSION:
		puts("myslabtop " MYSLABTOP_VERSION);
		return EXIT_OK;
	case MODE_ONCE:
		return once_text(opts, problem);
	case MODE_JSON:
		return once_json(opts, problem);
	case MODE_LIVE:
		break;
	}
	return live_run(opts, problem);
}

int main(int argc, char **argv)
{
	struct problem problem = { EXIT_OK, "" };
	struct options opts;
	enum exit_status status;

	status = options_parse(argc, argv, &opts, &problem);
	if (status == EXIT_OK)
		status = run(&opts, &problem);
	if (status != EXIT_OK)
		fprintf(stderr, "myslabtop: %s\n", problem.message);
	if (status == EXIT_USAGE)
		usage_print(stderr);
	return status;
}
