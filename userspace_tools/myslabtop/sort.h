/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slabtop's sort keys, one letter each, case-insensitive: by name
 * ascending, everything else largest first. Equal caches keep the order of
 * the file, as slabtop's (stable) sort leaves them.
 */
#ifndef MYSLABTOP_SORT_H
#define MYSLABTOP_SORT_H

#include <stddef.h>

#include "slabinfo.h"

struct sort_key {
	char letter;
	const char *description;	/* for --help, as slabtop words it */
	int (*compare)(const struct slab_cache *a, const struct slab_cache *b);
};

/* The default key: number of objects. */
const struct sort_key *sort_key_default(void);

/* The key for @letter, either case; NULL when there is none. */
const struct sort_key *sort_key_find(int letter);

/* The keys in --help order; *count is set to their number. */
const struct sort_key *sort_keys(size_t *count);

void slabinfo_sort(struct slabinfo *info, const struct sort_key *key);

#endif /* MYSLABTOP_SORT_H */
