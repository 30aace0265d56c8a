/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/mybuddyinfo as data. The module prints the kernel's /proc/buddyinfo
 * format, its region standing where the kernel names a zone:
 *
 *   Node 0, zone   myslab      1      0      2      0 ...
 *
 * one column per order 0..max_order, each the number of free blocks (not
 * pages) of that order.
 */
#ifndef MYSLABTOP_BUDDYINFO_H
#define MYSLABTOP_BUDDYINFO_H

#include <stddef.h>

#include "problem.h"

/* myslab regions go up to order 20; leave room. */
#define BUDDY_MAX_ORDERS	32
#define BUDDY_ZONE_NAME_MAX	31

struct buddy_zone {
	int node;
	char zone[BUDDY_ZONE_NAME_MAX + 1];
	unsigned int nr_orders;			/* columns: orders 0..nr_orders-1 */
	unsigned long nr_free[BUDDY_MAX_ORDERS];	/* free blocks per order */
};

struct buddyinfo {
	struct buddy_zone *zones;
	size_t nr_zones;	/* 0 when the module has no region */
};

/*
 * Parses @text, the contents of @path (named in error messages), into @info.
 * Returns EXIT_OK, EXIT_MALFORMED or EXIT_RUNTIME_ERROR (no memory); on
 * failure @info holds nothing to release.
 */
enum exit_status buddyinfo_parse(const char *text, const char *path,
				 struct buddyinfo *info, struct problem *problem);

void buddyinfo_release(struct buddyinfo *info);

#endif /* MYSLABTOP_BUDDYINFO_H */
