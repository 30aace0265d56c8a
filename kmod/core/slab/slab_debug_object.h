/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab slab caches: what the debug paths (slab_debug.c) use of
 * slab_debug_object.c besides what every slab file may (slab_internal.h):
 * setting an object's red zones and poison, checking them, and an owner
 * record of the current call. Private to those two files, so that nothing
 * else writes a debug object's bytes.
 */
#ifndef _MYSLAB_SLAB_DEBUG_OBJECT_H
#define _MYSLAB_SLAB_DEBUG_OBJECT_H

#include <linux/string.h>
#include <linux/types.h>

#include "slab_internal.h"

/* Where a check runs: it decides what the repair is and says so. */
enum myslab_check_site {
	MYSLAB_CHECK_ALLOC,	/* a free object about to be handed out */
	MYSLAB_CHECK_FREE,	/* an object in use being freed */
	MYSLAB_CHECK_VALIDATE,	/* validation, either state */
};

static inline void myslab_set_redzones(struct myslab_cache *cache, void *obj,
				       u8 value)
{
	memset(obj - cache->red_left, value, cache->red_left);
	memset(obj + cache->object_size, value,
	       cache->red_end - cache->object_size);
}

static inline void myslab_set_poison(struct myslab_cache *cache, void *obj)
{
	memset(obj, MYSLAB_POISON_FREE, cache->object_size - 1);
	*(u8 *)(obj + cache->object_size - 1) = MYSLAB_POISON_END;
}

unsigned int myslab_check_object(struct myslab_cache *cache, void *obj,
				 bool free, enum myslab_check_site site);
void myslab_track_prepare(struct myslab_track *t, unsigned long caller);

#endif /* _MYSLAB_SLAB_DEBUG_OBJECT_H */
