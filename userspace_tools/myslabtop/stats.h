/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The numbers slabtop derives from /proc/slabinfo, derived the same way
 * (procps library/slabinfo.c parse_slabinfo20()), so that both tools agree on
 * every figure they show.
 */
#ifndef MYSLABTOP_STATS_H
#define MYSLABTOP_STATS_H

#include "slabinfo.h"

/* Totals over all caches; sums are unsigned long where procps' wrap at 2^32. */
struct slab_summary {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned long active_caches;	/* caches with at least one object */
	unsigned long nr_caches;
	unsigned long active_size;	/* bytes: active_objs * objsize, summed */
	unsigned long total_size;	/* bytes: num_objs * objsize, summed */
	unsigned long pages;		/* num_slabs * pagesperslab, summed */
	unsigned int min_objsize;	/* 0 when there are no caches */
	unsigned int avg_objsize;	/* total_size / num_objs, 0 without objects */
	unsigned int max_objsize;
};

/* Fills in each cache's use_percent and cache_size. */
void slabinfo_derive(struct slabinfo *info, unsigned long page_size);

void slab_summary_compute(const struct slabinfo *info,
			  struct slab_summary *summary);

/* 100 * part / whole, and 0 (not NaN, as slabtop prints) for an empty whole. */
double percent_of(unsigned long part, unsigned long whole);

#endif /* MYSLABTOP_STATS_H */
