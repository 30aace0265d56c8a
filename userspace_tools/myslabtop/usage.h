/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MYSLABTOP_USAGE_H
#define MYSLABTOP_USAGE_H

#include <stdio.h>

/* The --help text: options, sort keys, exit statuses. */
void usage_print(FILE *out);

#endif /* MYSLABTOP_USAGE_H */
