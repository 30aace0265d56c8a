// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "stats.h"

/*
 * Truncated, and through a float, exactly as procps computes it, so that
 * the USE column and sorting by 'u' match slabtop to the digit.
 */
static unsigned int use_percent(const struct slab_cache *cache)
{
	if (!cache->num_objs)
		return 0;
	return (unsigned int)(100 * ((float)cache->active_objs / cache->num_objs));
}

void slabinfo_derive(struct slabinfo *info, unsigned long page_size)
{
	size_t i;

	for (i = 0; i < info->nr_caches; i++) {
		struct slab_cache *cache = &info->caches[i];

		cache->use_percent = use_percent(cache);
		cache->cache_size = (unsigned long)cache->num_slabs *
				    cache->pagesperslab * page_size;
	}
}

static void summary_add(struct slab_summary *summary,
			const struct slab_cache *cache)
{
	if (cache->objsize < summary->min_objsize || !summary->nr_caches)
		summary->min_objsize = cache->objsize;
	if (cache->objsize > summary->max_objsize)
		summary->max_objsize = cache->objsize;
	if (cache->num_objs)
		summary->active_caches++;
	summary->active_objs += cache->active_objs;
	summary->num_objs += cache->num_objs;
	summary->active_slabs += cache->active_slabs;
	summary->num_slabs += cache->num_slabs;
	summary->active_size += (unsigned long)cache->active_objs * cache->objsize;
	summary->total_size += (unsigned long)cache->num_objs * cache->objsize;
	summary->pages += (unsigned long)cache->num_slabs * cache->pagesperslab;
	summary->nr_caches++;
}

void slab_summary_compute(const struct slabinfo *info,
			  struct slab_summary *summary)
{
	size_t i;

	memset(summary, 0, sizeof(*summary));
	for (i = 0; i < info->nr_caches; i++)
		summary_add(summary, &info->caches[i]);
	if (summary->num_objs)
		summary->avg_objsize = summary->total_size / summary->num_objs;
}

double percent_of(unsigned long part, unsigned long whole)
{
	return whole ? 100.0 * part / whole : 0.0;
}
