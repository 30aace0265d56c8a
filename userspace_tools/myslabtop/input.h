/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading a /proc file (or a captured copy of one) whole, with the reasons it
 * can fail sorted into the exit statuses scripts rely on.
 */
#ifndef MYSLABTOP_INPUT_H
#define MYSLABTOP_INPUT_H

#include "problem.h"

/* Far above any real /proc/myslabinfo; a bigger file is not one. */
#define INPUT_MAX_BYTES		(16u << 20)

/*
 * Reads all of @path into a new NUL-terminated buffer (*@text, for the caller
 * to free). A file holding a NUL byte is not a text file and is refused.
 * Returns EXIT_OK or the problem's status.
 */
enum exit_status input_read_text(const char *path, char **text,
				 struct problem *problem);

#endif /* MYSLABTOP_INPUT_H */
