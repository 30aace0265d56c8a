/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/myslabinfo as data: one struct slab_cache per row of the kernel's
 * /proc/slabinfo version 2.1 format, which the module prints exactly:
 *
 *   slabinfo - version: 2.1
 *   # name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>
 *     : tunables <limit> <batchcount> <sharedfactor>
 *     : slabdata <active_slabs> <num_slabs> <sharedavail>
 *   kmalloc-64  5012  5056  64  64  1 : tunables  120  60  0 : slabdata  79  79  0
 */
#ifndef MYSLABTOP_SLABINFO_H
#define MYSLABTOP_SLABINFO_H

#include <stddef.h>

#include "problem.h"

/* procps reads cache names with "%128s". */
#define SLABINFO_NAME_MAX	128

struct slab_cache {
	/* The row's twelve fields, as the kernel prints them. */
	char name[SLABINFO_NAME_MAX + 1];
	unsigned int active_objs;
	unsigned int num_objs;
	unsigned int objsize;		/* slot size: object plus padding */
	unsigned int objperslab;
	unsigned int pagesperslab;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int sharedfactor;
	unsigned int active_slabs;
	unsigned int num_slabs;
	unsigned int sharedavail;

	/* Derived as procps derives them (stats.c). */
	unsigned int use_percent;	/* active_objs of num_objs, truncated */
	unsigned long cache_size;	/* bytes: num_slabs * pagesperslab pages */

	size_t row;			/* 0-based position in the file */
};

struct slabinfo {
	struct slab_cache *caches;
	size_t nr_caches;
};

/*
 * Parses @text, the contents of @path (named in error messages), into @info.
 * The first line must be "slabinfo - version: 2.1"; lines starting with '#'
 * are skipped; every other line must be a row as procps' sscanf() reads it.
 * Returns EXIT_OK, EXIT_MALFORMED or EXIT_RUNTIME_ERROR (no memory); on
 * failure @info holds nothing to release.
 */
enum exit_status slabinfo_parse(const char *text, const char *path,
				struct slabinfo *info, struct problem *problem);

void slabinfo_release(struct slabinfo *info);

#endif /* MYSLABTOP_SLABINFO_H */
