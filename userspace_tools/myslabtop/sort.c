// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "array_size.h"
#include "sort.h"

/* Largest first. */
#define DESCENDING(field)						\
static int by_##field(const struct slab_cache *a, const struct slab_cache *b) \
{									\
	return (a->field < b->field) - (a->field > b->field);		\
}

DESCENDING(active_objs)
DESCENDING(objperslab)
DESCENDING(cache_size)
DESCENDING(num_slabs)
DESCENDING(active_slabs)
DESCENDING(num_objs)
DESCENDING(pagesperslab)
DESCENDING(objsize)
DESCENDING(use_percent)

static int by_name(const struct slab_cache *a, const struct slab_cache *b)
{
	return strcmp(a->name, b->name);
}

static const struct sort_key keys[] = {
	{ 'a', "number of active objects", by_active_objs },
	{ 'b', "objects per slab", by_objperslab },
	{ 'c', "cache size", by_cache_size },
	{ 'l', "number of slabs", by_num_slabs },
	{ 'v', "(non display) number of active slabs", by_active_slabs },
	{ 'n', "name", by_name },
	{ 'o', "number of objects (the default)", by_num_objs },
	{ 'p', "(non display) pages per slab", by_pagesperslab },
	{ 's', "object size", by_objsize },
	{ 'u', "cache utilization", by_use_percent },
};

const struct sort_key *sort_key_default(void)
{
	return sort_key_find('o');
}

const struct sort_key *sort_key_find(int letter)
{
	size_t i;

	if (letter < 0 || letter > UCHAR_MAX)	/* curses KEY_* codes */
		return NULL;
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (keys[i].letter == tolower(letter))
			return &keys[i];
	return NULL;
}

const struct sort_key *sort_keys(size_t *count)
{
	*count = ARRAY_SIZE(keys);
	return keys;
}

/* qsort() has no context argument in C11: the key in use, for compare_rows(). */
static const struct sort_key *active_key;

static int compare_rows(const void *pa, const void *pb)
{
	const struct slab_cache *a = pa, *b = pb;
	int order = active_key->compare(a, b);

	if (order)
		return order;
	return (a->row > b->row) - (a->row < b->row);
}

void slabinfo_sort(struct slabinfo *info, const struct sort_key *key)
{
	if (info->nr_caches < 2)	/* qsort() of NULL is undefined, even for 0 */
		return;
	active_key = key;
	qsort(info->caches, info->nr_caches, sizeof(info->caches[0]), compare_rows);
	active_key = NULL;
}
