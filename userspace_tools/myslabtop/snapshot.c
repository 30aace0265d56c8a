// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <unistd.h>

#include "input.h"
#include "snapshot.h"

static enum exit_status slabinfo_take(struct snapshot *snap,
				      const struct options *opts,
				      struct problem *problem)
{
	enum exit_status status;
	char *text;

	status = input_read_text(opts->slabinfo_path, &text, problem);
	if (status != EXIT_OK)
		return status;
	status = slabinfo_parse(text, opts->slabinfo_path, &snap->slabinfo, problem);
	free(text);
	if (status != EXIT_OK)
		return status;
	slabinfo_derive(&snap->slabinfo, snap->page_size);
	slabinfo_sort(&snap->slabinfo, opts->sort);
	slab_summary_compute(&snap->slabinfo, &snap->summary);
	return EXIT_OK;
}

static bool is_absence(enum exit_status status)
{
	return status == EXIT_NOT_LOADED || status == EXIT_NEED_ROOT;
}

static enum exit_status buddyinfo_take(struct snapshot *snap,
				       const struct options *opts,
				       struct problem *problem)
{
	enum exit_status status;
	char *text;

	status = input_read_text(opts->buddyinfo_path, &text, problem);
	if (status != EXIT_OK)
		return is_absence(status) && !opts->buddyinfo_required ? EXIT_OK : status;
	status = buddyinfo_parse(text, opts->buddyinfo_path, &snap->buddyinfo, problem);
	free(text);
	snap->have_buddyinfo = status == EXIT_OK;
	return status;
}

enum exit_status snapshot_take(struct snapshot *snap, const struct options *opts,
			       bool want_buddyinfo, struct problem *problem)
{
	enum exit_status status;

	snap->page_size = (unsigned long)sysconf(_SC_PAGESIZE);
	snap->have_buddyinfo = false;
	status = slabinfo_take(snap, opts, problem);
	if (status != EXIT_OK || !want_buddyinfo || !opts->buddyinfo_path)
		return status;
	status = buddyinfo_take(snap, opts, problem);
	if (status != EXIT_OK)
		slabinfo_release(&snap->slabinfo);
	return status;
}

void snapshot_release(struct snapshot *snap)
{
	slabinfo_release(&snap->slabinfo);
	if (snap->have_buddyinfo)
		buddyinfo_release(&snap->buddyinfo);
	snap->have_buddyinfo = false;
}
