/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --json: one JSON object for monitoring and scripts. The schema is in
 * README.md beside this file; keys are only ever added, never renamed.
 */
#ifndef MYSLABTOP_JSON_H
#define MYSLABTOP_JSON_H

#include <stdio.h>

#include "options.h"
#include "snapshot.h"

void json_write(FILE *out, const struct snapshot *snap,
		const struct options *opts);

#endif /* MYSLABTOP_JSON_H */
