/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One reading of myslab's files: the caches (sorted, derived numbers filled
 * in), their summary, and the buddy free lists when they are wanted.
 */
#ifndef MYSLABTOP_SNAPSHOT_H
#define MYSLABTOP_SNAPSHOT_H

#include <stdbool.h>

#include "buddyinfo.h"
#include "options.h"
#include "slabinfo.h"
#include "stats.h"

struct snapshot {
	unsigned long page_size;
	struct slabinfo slabinfo;
	struct slab_summary summary;
	bool have_buddyinfo;
	struct buddyinfo buddyinfo;	/* valid when have_buddyinfo */
};

/*
 * Reads opts->slabinfo_path and, with @want_buddyinfo, opts->buddyinfo_path
 * (when there is one).
 * The buddy file is optional unless named on the command line: when it is
 * missing or unreadable the snapshot goes without it; a malformed one is an
 * error either way. Returns EXIT_OK or the problem's status; on failure there
 * is nothing to release.
 */
enum exit_status snapshot_take(struct snapshot *snap, const struct options *opts,
			       bool want_buddyinfo, struct problem *problem);

void snapshot_release(struct snapshot *snap);

#endif /* MYSLABTOP_SNAPSHOT_H */
