// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "once.h"
#include "snapshot.h"
#include "text.h"

static void stdout_line(struct text_sink *sink, enum text_line_kind kind,
			const char *text)
{
	(void)sink;
	(void)kind;
	puts(text);
}

/* A full disk or a closed pipe must not pass for success. */
static enum exit_status stdout_check(struct problem *problem)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		return problem_set(problem, EXIT_RUNTIME_ERROR,
				   "write error on standard output: %s", strerror(errno));
	return EXIT_OK;
}

enum exit_status once_text(const struct options *opts, struct problem *problem)
{
	struct text_sink sink = { stdout_line };
	struct snapshot snap;
	enum exit_status status;

	status = snapshot_take(&snap, opts, false, problem);
	if (status != EXIT_OK)
		return status;
	text_render(&snap.slabinfo, &snap.summary, SIZE_MAX, &sink);
	snapshot_release(&snap);
	return stdout_check(problem);
}

enum exit_status once_json(const struct options *opts, struct problem *problem)
{
	struct snapshot snap;
	enum exit_status status;

	status = snapshot_take(&snap, opts, true, problem);
	if (status != EXIT_OK)
		return status;
	json_write(stdout, &snap, opts);
	snapshot_release(&snap);
	return stdout_check(problem);
}
