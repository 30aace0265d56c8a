// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing a page map, strictly: a file that breaks any rule of the format
 * is refused with the line and the rule, rather than drawn wrong.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pagemap.h"

/* Longer than any line the module writes (MYSLAB_MAP_LINE_MAX). */
#define LINE_MAX_LEN	256
#define HEADER_WORDS	"myslab page_map v1"

static const char *const state_words[PM_NR_STATES] = {
	[PM_FREE]	= "free",
	[PM_PCP]	= "pcp",
	[PM_ALLOC]	= "alloc",
	[PM_SLAB]	= "slab",
};

const char *pm_state_word(enum pm_state state)
{
	return state < PM_NR_STATES ? state_words[state] : "?";
}

/* A plain decimal number (no sign, no spaces) up to @max. */
static int parse_number(const char *s, unsigned long max, unsigned long *val)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*val = strtoul(s, &end, 10);
	if (errno || *end || *val > max)
		return -1;
	return 0;
}

static int name_index(struct page_map *map, const char *name)
{
	char **names;
	unsigned int i;

	for (i = 0; i < map->nr_names; i++)
		if (!strcmp(map->names[i], name))
			return (int)i;
	names = realloc(map->names, (map->nr_names + 1) * sizeof(*names));
	if (!names)
		return -1;
	map->names = names;
	names[map->nr_names] = strdup(name);
	if (!names[map->nr_names])
		return -1;
	return (int)map->nr_names++;
}

/* "key=value" fields after the header words. */
static enum exit_status parse_header(char *line, const char *path,
				     struct page_map *map)
{
	unsigned long value;
	unsigned int seen = 0;
	char *field, *eq, *save = NULL;

	if (strncmp(line, HEADER_WORDS " ", strlen(HEADER_WORDS) + 1))
		return fail(EXIT_MALFORMED,
			    "%s: not a myslab page map: the first line must start with \"%s\"",
			    path, HEADER_WORDS);
	for (field = strtok_r(line + strlen(HEADER_WORDS), " ", &save); field;
	     field = strtok_r(NULL, " ", &save)) {
		eq = strchr(field, '=');
		if (!eq)
			return fail(EXIT_MALFORMED, "%s: line 1: \"%s\" is not key=value",
				    path, field);
		*eq++ = '\0';
		if (!strcmp(field, "region")) {
			if (!*eq || strlen(eq) >= sizeof(map->region))
				return fail(EXIT_MALFORMED, "%s: line 1: bad region name", path);
			strcpy(map->region, eq);
			seen |= 1;
			continue;
		}
		if (!strcmp(field, "pages") || !strcmp(field, "page_size") ||
		    !strcmp(field, "blocks") || !strcmp(field, "max_order")) {
			if (parse_number(eq, 1UL << 40, &value))
				return fail(EXIT_MALFORMED, "%s: line 1: bad number in %s=%s",
					    path, field, eq);
			if (!strcmp(field, "pages")) {
				map->pages = value;
				seen |= 2;
			} else if (!strcmp(field, "page_size")) {
				map->page_size = value;
				seen |= 4;
			} else if (!strcmp(field, "blocks")) {
				map->nr_blocks = value;
				seen |= 8;
			} else {
				map->max_order = (unsigned int)value;
				seen |= 16;
			}
		}
		/* Unknown keys: a later version's additions, ignored. */
	}
	if (seen != 31)
		return fail(EXIT_MALFORMED,
			    "%s: line 1: region, pages, max_order, page_size and blocks are all required",
			    path);
	if (!map->pages || map->pages >= 1UL << 32 || map->max_order > PM_MAX_ORDER ||
	    map->page_size < 512 || (map->page_size & (map->page_size - 1)) ||
	    !map->nr_blocks || map->nr_blocks > map->pages)
		return fail(EXIT_MALFORMED, "%s: line 1: values out of range", path);
	return EXIT_OK;
}

static enum exit_status parse_block(char *line, unsigned long nr, const char *path,
				    struct page_map *map, unsigned long expect)
{
	char *word[5], *save = NULL;
	struct pm_block *b = &map->blocks[map->nr_blocks];
	unsigned long first, order;
	int n = 0, s;

	for (word[n] = strtok_r(line, " ", &save); word[n] && n < 4;
	     word[++n] = strtok_r(NULL, " ", &save))
		;
	if (n < 3 || n > 4 || (n == 4 && word[4]))
		return fail(EXIT_MALFORMED, "%s: line %lu: expected <first page> <order> <state> [<owner>]",
			    path, nr);
	if (parse_number(word[0], map->pages - 1, &first) ||
	    parse_number(word[1], map->max_order, &order))
		return fail(EXIT_MALFORMED, "%s: line %lu: bad page or order", path, nr);
	if (first != expect)
		return fail(EXIT_MALFORMED,
			    "%s: line %lu: block at page %lu, expected page %lu (blocks must cover every page in order)",
			    path, nr, first, expect);
	if ((first & ((1UL << order) - 1)) || map->pages - first < (1UL << order))
		return fail(EXIT_MALFORMED,
			    "%s: line %lu: order-%lu block at page %lu is not aligned or runs past the end",
			    path, nr, order, first);
	for (s = 0; s < PM_NR_STATES; s++)
		if (!strcmp(word[2], state_words[s]))
			break;
	if (s == PM_NR_STATES)
		return fail(EXIT_MALFORMED, "%s: line %lu: unknown state \"%s\"", path, nr,
			    word[2]);
	if (s == PM_PCP && order)
		return fail(EXIT_MALFORMED, "%s: line %lu: a per-CPU cached block is one page",
			    path, nr);
	if (n == 4 && s != PM_SLAB)
		return fail(EXIT_MALFORMED, "%s: line %lu: only slab blocks have an owner",
			    path, nr);
	b->first = first;
	b->order = (unsigned int)order;
	b->state = (enum pm_state)s;
	b->name = -1;
	if (n == 4) {
		b->name = name_index(map, word[3]);
		if (b->name < 0)
			return fail(EXIT_RUNTIME_ERROR, "out of memory");
	}
	map->nr_blocks++;
	return EXIT_OK;
}

enum exit_status page_map_read(FILE *f, const char *path, struct page_map *map)
{
	unsigned long nr = 0, declared = 0, next = 0;
	enum exit_status status = EXIT_OK;
	size_t cap = 0;
	char *line = NULL;
	ssize_t len;

	memset(map, 0, sizeof(*map));
	while (status == EXIT_OK && (len = getline(&line, &cap, f)) > 0) {
		nr++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > LINE_MAX_LEN)
			status = fail(EXIT_MALFORMED, "%s: line %lu is too long", path, nr);
		else if (memchr(line, '\0', (size_t)len) || strpbrk(line, "\t\r"))
			status = fail(EXIT_MALFORMED, "%s: line %lu: unexpected characters",
				      path, nr);
		else if (nr == 1) {
			status = parse_header(line, path, map);
			if (status == EXIT_OK) {
				declared = map->nr_blocks;
				map->nr_blocks = 0;
				map->blocks = calloc(declared, sizeof(*map->blocks));
				if (!map->blocks)
					status = fail(EXIT_RUNTIME_ERROR, "out of memory");
			}
		} else if (map->nr_blocks == declared) {
			status = fail(EXIT_MALFORMED,
				      "%s: line %lu: more blocks than the header's blocks=%lu",
				      path, nr, declared);
		} else {
			status = parse_block(line, nr, path, map, next);
			if (status == EXIT_OK)
				next += 1UL << map->blocks[map->nr_blocks - 1].order;
		}
	}
	free(line);
	if (status == EXIT_OK && ferror(f))
		status = fail(EXIT_RUNTIME_ERROR, "%s: read error: %s", path, strerror(errno));
	if (status == EXIT_OK && !nr)
		status = fail(EXIT_MALFORMED, "%s: empty file", path);
	if (status == EXIT_OK && (map->nr_blocks != declared || next != map->pages))
		status = fail(EXIT_MALFORMED,
			      "%s: truncated: %lu of %lu blocks, pages 0-%lu of %lu covered",
			      path, map->nr_blocks, declared, next ? next - 1 : 0, map->pages);
	if (status != EXIT_OK)
		page_map_free(map);
	return status;
}

void page_map_free(struct page_map *map)
{
	unsigned int i;

	for (i = 0; i < map->nr_names; i++)
		free(map->names[i]);
	free(map->names);
	free(map->blocks);
	memset(map, 0, sizeof(*map));
}
