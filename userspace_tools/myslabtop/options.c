// SPDX-License-Identifier: GPL-2.0
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

enum long_only_option {
	OPT_JSON = 256,
	OPT_FILE,
	OPT_BUDDYINFO,
};

static const struct option long_options[] = {
	{ "delay",	required_argument,	NULL, 'd' },
	{ "once",	no_argument,		NULL, 'o' },
	{ "sort",	required_argument,	NULL, 's' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "json",	no_argument,		NULL, OPT_JSON },
	{ "file",	required_argument,	NULL, OPT_FILE },
	{ "buddyinfo",	required_argument,	NULL, OPT_BUDDYINFO },
	{ NULL,		0,			NULL, 0 },
};

static enum exit_status delay_parse(const char *arg, double *seconds,
				    struct problem *problem)
{
	char *end;

	*seconds = strtod(arg, &end);
	if (end == arg || *end || !isfinite(*seconds) || *seconds <= 0 ||
	    *seconds > MAX_DELAY_SECONDS)
		return problem_set(problem, EXIT_USAGE,
				   "illegal delay '%s': seconds, above 0 and at most %.0f",
				   arg, MAX_DELAY_SECONDS);
	return EXIT_OK;
}

static enum exit_status sort_parse(const char *arg, const struct sort_key **key,
				   struct problem *problem)
{
	*key = strlen(arg) == 1 ? sort_key_find((unsigned char)arg[0]) : NULL;
	if (!*key)
		return problem_set(problem, EXIT_USAGE,
				   "unknown sort key '%s': one of abclvnopsu", arg);
	return EXIT_OK;
}

/* slabtop refuses -d with -o; neither does a delay mean anything for JSON. */
static enum exit_status modes_check(const struct options *opts, bool delay_given,
				    struct problem *problem)
{
	if (delay_given && opts->mode == MODE_ONCE)
		return problem_set(problem, EXIT_USAGE, "cannot combine -d and -o options");
	if (delay_given && opts->mode == MODE_JSON)
		return problem_set(problem, EXIT_USAGE, "cannot combine -d and --json");
	return EXIT_OK;
}

static void options_default(struct options *opts)
{
	opts->mode = MODE_LIVE;
	opts->delay_seconds = DEFAULT_DELAY_SECONDS;
	opts->sort = sort_key_default();
	opts->slabinfo_path = DEFAULT_SLABINFO_PATH;
	opts->buddyinfo_path = DEFAULT_BUDDYINFO_PATH;
	opts->buddyinfo_required = false;
}

/* What the options said beyond struct options, for the checks at the end. */
struct option_flags {
	bool delay_given;
	bool file_given;
	bool help;
	bool version;
};

static enum exit_status option_unknown(int option, char **argv,
				       struct problem *problem)
{
	const char *arg = argv[optind - 1];

	if (option == ':')
		return problem_set(problem, EXIT_USAGE,
				   "option '%s' requires an argument", arg);
	if (optopt)
		return problem_set(problem, EXIT_USAGE, "invalid option -- '%c'", optopt);
	return problem_set(problem, EXIT_USAGE, "unrecognized option '%s'", arg);
}

/* One option; EXIT_OK or EXIT_USAGE. */
static enum exit_status option_apply(int option, char **argv,
				     struct options *opts,
				     struct option_flags *flags,
				     struct problem *problem)
{
	switch (option) {
	case 'd':
		flags->delay_given = true;
		return delay_parse(optarg, &opts->delay_seconds, problem);
	case 'o':
		if (opts->mode != MODE_JSON)
			opts->mode = MODE_ONCE;
		return EXIT_OK;
	case 's':
		return sort_parse(optarg, &opts->sort, problem);
	case 'h':
		flags->help = true;
		return EXIT_OK;
	case 'V':
		flags->version = true;
		return EXIT_OK;
	case OPT_JSON:
		opts->mode = MODE_JSON;
		return EXIT_OK;
	case OPT_FILE:
		flags->file_given = true;
		opts->slabinfo_path = optarg;
		return EXIT_OK;
	case OPT_BUDDYINFO:
		opts->buddyinfo_path = optarg;
		opts->buddyinfo_required = true;
		return EXIT_OK;
	default:
		return option_unknown(option, argv, problem);
	}
}

enum exit_status options_parse(int argc, char **argv, struct options *opts,
			       struct problem *problem)
{
	struct option_flags flags = { false, false, false, false };
	enum exit_status status;
	int option;

	options_default(opts);
	opterr = 0;	/* the messages are ours, and go out with the usage */
	while ((option = getopt_long(argc, argv, ":d:os:hV", long_options, NULL)) != -1) {
		status = option_apply(option, argv, opts, &flags, problem);
		if (status != EXIT_OK)
			return status;
	}
	if (optind < argc)
		return problem_set(problem, EXIT_USAGE,
				   "unexpected argument '%s'", argv[optind]);
	/* A captured slabinfo with the live buddy lists would mix two moments. */
	if (flags.file_given && !opts->buddyinfo_required)
		opts->buddyinfo_path = NULL;
	if (flags.help || flags.version) {
		opts->mode = flags.help ? MODE_HELP : MODE_VERSION;
		return EXIT_OK;
	}
	return modes_check(opts, flags.delay_given, problem);
}
