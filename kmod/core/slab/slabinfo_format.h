/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rows and the tunables write of /proc/myslabinfo (slabinfo 2.1), made
 * and parsed apart from the file (kernel/procfs/procfs_slabinfo.c) so that
 * the tests can check them on any input. Not part of the public API:
 * exported in the MYSLAB_INTERNAL namespace for myslab's own test modules.
 */
#ifndef _MYSLAB_SLABINFO_FORMAT_H
#define _MYSLAB_SLABINFO_FORMAT_H

#include <linux/types.h>

#include <myslab/slab.h>

/* Longest write /proc/myslabinfo accepts, in bytes (as SLAB's). */
#define MYSLAB_SLABINFO_WRITE_MAX	128

/**
 * struct myslab_slabinfo_tune - a parsed /proc/myslabinfo write
 * @name:	cache name
 * @limit:	new magazine capacity
 * @batchcount:	new batch size
 * @shared:	new shared tunable
 */
struct myslab_slabinfo_tune {
	char name[MYSLAB_CACHE_NAME_LEN];
	unsigned int limit;
	unsigned int batchcount;
	unsigned int shared;
};

const char *myslab_slabinfo_header(void);
int myslab_slabinfo_format(char *buf, size_t size,
			   const struct myslab_cache_stats *st);
int myslab_slabinfo_parse(const char *buf, size_t len,
			  struct myslab_slabinfo_tune *req);

#endif /* _MYSLAB_SLABINFO_FORMAT_H */
