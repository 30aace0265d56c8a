// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc/slabinfo 2.1 parser: the header check and the row format of
 * procps (library/slabinfo.c), so that a file slabtop reads, myslabtop reads
 * the same way. procps skips the tunables and sharedavail with "%*u"; they
 * are read here (the JSON output carries every field), which also refuses a
 * row cut short after num_slabs.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "slabinfo.h"

#define SLABINFO_HEADER		"slabinfo - version: 2.1"
#define SLABINFO_ROW_FORMAT \
	"%128s %u %u %u %u %u : tunables %u %u %u : slabdata %u %u %u"
#define SLABINFO_ROW_FIELDS	12	/* the name and eleven numbers */
_Static_assert(SLABINFO_NAME_MAX == 128, "the row format reads names with %128s");

static bool row_parse(const char *line, struct slab_cache *cache)
{
	return sscanf(line, SLABINFO_ROW_FORMAT, cache->name,
		      &cache->active_objs, &cache->num_objs, &cache->objsize,
		      &cache->objperslab, &cache->pagesperslab, &cache->limit,
		      &cache->batchcount, &cache->sharedfactor,
		      &cache->active_slabs, &cache->num_slabs,
		      &cache->sharedavail) == SLABINFO_ROW_FIELDS;
}

/* Makes room for one more cache; false when out of memory. */
static bool slabinfo_grow(struct slabinfo *info, size_t *capacity)
{
	struct slab_cache *bigger;
	size_t cap;

	if (info->nr_caches < *capacity)
		return true;
	cap = *capacity ? *capacity * 2 : 64;
	bigger = realloc(info->caches, cap * sizeof(*bigger));
	if (!bigger)
		return false;
	info->caches = bigger;
	*capacity = cap;
	return true;
}

static enum exit_status header_check(struct line_cursor *cursor, char *line,
				     const char *path, struct problem *problem)
{
	switch (line_next(cursor, line)) {
	case LINE_END:
		return problem_set(problem, EXIT_MALFORMED,
				   "%s: empty; expected \"%s\"", path, SLABINFO_HEADER);
	case LINE_TOO_LONG:
		return problem_set(problem, EXIT_MALFORMED,
				   "%s:1: expected \"%s\", found a line of %d bytes or more",
				   path, SLABINFO_HEADER, LINE_MAX_BYTES);
	case LINE_READ:
		break;
	}
	if (strcmp(line, SLABINFO_HEADER))
		return problem_set(problem, EXIT_MALFORMED,
				   "%s:1: expected \"%s\", found \"%.80s\"",
				   path, SLABINFO_HEADER, line);
	return EXIT_OK;
}

static enum exit_status rows_parse(struct line_cursor *cursor, char *line,
				   const char *path, struct slabinfo *info,
				   struct problem *problem)
{
	enum line_result got;
	size_t capacity = 0;

	while ((got = line_next(cursor, line)) != LINE_END) {
		struct slab_cache *cache;

		if (got == LINE_TOO_LONG)
			return problem_set(problem, EXIT_MALFORMED,
					   "%s:%u: line of %d bytes or more",
					   path, cursor->number, LINE_MAX_BYTES);
		if (line[0] == '#')
			continue;
		if (!slabinfo_grow(info, &capacity))
			return problem_set(problem, EXIT_RUNTIME_ERROR,
					   "out of memory reading %s", path);
		cache = &info->caches[info->nr_caches];
		memset(cache, 0, sizeof(*cache));
		if (!row_parse(line, cache))
			return problem_set(problem, EXIT_MALFORMED,
					   "%s:%u: not a slabinfo 2.1 row: \"%.80s\"",
					   path, cursor->number, line);
		cache->row = info->nr_caches++;
	}
	return EXIT_OK;
}

enum exit_status slabinfo_parse(const char *text, const char *path,
				struct slabinfo *info, struct problem *problem)
{
	struct line_cursor cursor;
	enum exit_status status;
	char *line;

	info->caches = NULL;
	info->nr_caches = 0;
	line = malloc(LINE_MAX_BYTES);
	if (!line)
		return problem_set(problem, EXIT_RUNTIME_ERROR,
				   "out of memory reading %s", path);
	line_cursor_init(&cursor, text);
	status = header_check(&cursor, line, path, problem);
	if (status == EXIT_OK)
		status = rows_parse(&cursor, line, path, info, problem);
	free(line);
	if (status != EXIT_OK)
		slabinfo_release(info);
	return status;
}

void slabinfo_release(struct slabinfo *info)
{
	free(info->caches);
	info->caches = NULL;
	info->nr_caches = 0;
}
