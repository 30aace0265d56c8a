// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc/buddyinfo line format (mm/vmstat.c frag_show_print()):
 * "Node %d, zone %8s " then "%6lu " per order.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buddyinfo.h"
#include "lines.h"

#define BUDDY_LINE_PREFIX	"Node %d, zone %31s%n"
_Static_assert(BUDDY_ZONE_NAME_MAX == 31, "the line prefix reads zones with %31s");

/* One count: decimal digits only, fitting an unsigned long. */
static bool count_parse(const char *token, size_t len, unsigned long *count)
{
	char digits[24];
	char *end;
	size_t i;

	if (!len || len >= sizeof(digits))
		return false;
	for (i = 0; i < len; i++)
		if (token[i] < '0' || token[i] > '9')
			return false;
	memcpy(digits, token, len);
	digits[len] = '\0';
	errno = 0;
	*count = strtoul(digits, &end, 10);
	return !errno && *end == '\0';
}

/* The free-block columns after the zone name; false when malformed. */
static bool counts_parse(const char *p, struct buddy_zone *zone)
{
	zone->nr_orders = 0;
	for (;;) {
		size_t len;

		p += strspn(p, " \t");
		if (!*p)
			break;
		len = strcspn(p, " \t");
		if (zone->nr_orders == BUDDY_MAX_ORDERS ||
		    !count_parse(p, len, &zone->nr_free[zone->nr_orders]))
			return false;
		zone->nr_orders++;
		p += len;
	}
	return zone->nr_orders > 0;
}

static bool zone_parse(const char *line, struct buddy_zone *zone)
{
	int consumed = -1;

	if (sscanf(line, BUDDY_LINE_PREFIX, &zone->node, zone->zone,
		   &consumed) != 2 || consumed < 0)
		return false;
	return counts_parse(line + consumed, zone);
}

static enum exit_status zones_parse(struct line_cursor *cursor, char *line,
				    const char *path, struct buddyinfo *info,
				    struct problem *problem)
{
	enum line_result got;

	while ((got = line_next(cursor, line)) != LINE_END) {
		struct buddy_zone *bigger;

		if (got == LINE_TOO_LONG)
			return problem_set(problem, EXIT_MALFORMED,
					   "%s:%u: line of %d bytes or more",
					   path, cursor->number, LINE_MAX_BYTES);
		bigger = realloc(info->zones, (info->nr_zones + 1) * sizeof(*bigger));
		if (!bigger)
			return problem_set(problem, EXIT_RUNTIME_ERROR,
					   "out of memory reading %s", path);
		info->zones = bigger;
		if (!zone_parse(line, &info->zones[info->nr_zones]))
			return problem_set(problem, EXIT_MALFORMED,
					   "%s:%u: not a buddyinfo line (\"Node N, zone NAME\" and 1 to %d counts): \"%.80s\"",
					   path, cursor->number, BUDDY_MAX_ORDERS, line);
		info->nr_zones++;
	}
	return EXIT_OK;
}

enum exit_status buddyinfo_parse(const char *text, const char *path,
				 struct buddyinfo *info, struct problem *problem)
{
	struct line_cursor cursor;
	enum exit_status status;
	char *line;

	info->zones = NULL;
	info->nr_zones = 0;
	line = malloc(LINE_MAX_BYTES);
	if (!line)
		return problem_set(problem, EXIT_RUNTIME_ERROR,
				   "out of memory reading %s", path);
	line_cursor_init(&cursor, text);
	status = zones_parse(&cursor, line, path, info, problem);
	free(line);
	if (status != EXIT_OK)
		buddyinfo_release(info);
	return status;
}

void buddyinfo_release(struct buddyinfo *info)
{
	free(info->zones);
	info->zones = NULL;
	info->nr_zones = 0;
}
