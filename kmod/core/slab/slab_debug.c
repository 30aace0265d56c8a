// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: the debug paths.
 *
 * A cache with any of F, Z, P or U (struct myslab_cache.debug) takes these
 * paths instead of the magazines: an allocation pops an object straight off
 * a slab's free list and a free pushes it back, both under the cache lock,
 * so that every object is checked and recorded where it changes hands.
 *
 *   alloc  (F) walk the slab's free list; pop an object; check that its red
 *          zones are inactive (Z) and its poison intact (P); mark the red
 *          zones active; record the caller (U)
 *   free   check that the red zones are active (Z); record the caller (U);
 *          poison the object (P); mark the red zones inactive; push it;
 *          (F) walk the slab's free list
 *
 * What is found is reported once (myslab_report_object() and friends: the
 * object, what changed, a dump of the bytes around it, the last owners),
 * counted in the cache's error counters, and repaired: a red zone of an
 * object in use is restored and the free goes on; damage in a free object
 * (a write after free, or into its red zone) is restored and its slab
 * quarantined, as a corrupted free list is: nothing more is handed out of
 * it, and it goes back to the buddy allocator once every object still out
 * has come back. Validation, which may run while objects change hands,
 * repairs only what it can prove nobody else touches (see
 * myslab_debug_validate_slab()) and leaves the slabs where they are.
 *
 * Above the slab lists (slab_lists.c), which they take objects from and
 * return them to, and above what debugging keeps around an object
 * (slab_debug_object.c: red zones, poison, owner records, their checks and
 * the reports), which the slab lists use too; called only by the object
 * paths (slab_alloc.c). The environment (clock, pid, stacks, KUnit's report
 * counting) comes through struct myslab_slab_ops (slab_ops.c).
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>

#include "slab_debug_object.h"
#include "slab_internal.h"
#include "slab_magazine.h"

/*
 * Take one object off @slab for an allocation, checking as the options
 * say; NULL when the slab had to be quarantined (the caller tries another).
 */
static void *myslab_debug_take(struct myslab_cache *cache,
			       struct myslab_slab *slab,
			       struct list_head *dispose)
	__must_hold(&cache->lock)
{
	void *obj, *bad = NULL;

	lockdep_assert_held(&cache->lock);
	if ((cache->debug & MYSLAB_CONSISTENCY_CHECKS) &&
	    myslab_freelist_walk(cache, slab, false, &bad) == UINT_MAX) {
		myslab_slab_quarantine(cache, slab, bad, dispose);
		return NULL;
	}
	obj = myslab_slab_pop(cache, slab, dispose);
	if (!obj)
		return NULL;
	myslab_slab_relist(cache, slab);
	if (myslab_check_object(cache, obj, true, MYSLAB_CHECK_ALLOC)) {
		/* Back among the slab's free objects, all of them lost now. */
		slab->inuse--;
		cache->free_objects++;
		myslab_slab_abandon(cache, slab, dispose);
		return NULL;
	}
	return obj;
}

/*
 * One object for an allocation, or NULL when the region has no slab left.
 * Not yet handed out (its free byte is still set) nor counted.
 */
static void *myslab_debug_get(struct myslab_cache *cache, gfp_t gfp,
			      const struct myslab_track *track)
{
	struct myslab_slab *slab;
	unsigned long flags;
	LIST_HEAD(dispose);
	void *obj = NULL;
	bool meta;

	spin_lock_irqsave(&cache->lock, flags);
	while (!obj) {
		slab = myslab_slab_pick_or_grow(cache, gfp, &flags);
		if (!slab)
			break;
		meta = myslab_meta_begin(cache);
		obj = myslab_debug_take(cache, slab, &dispose);
		if (obj)
			myslab_transit_add(cache, 1);
		if (obj && (cache->debug & MYSLAB_RED_ZONE))
			myslab_set_redzones(cache, obj, MYSLAB_RED_ACTIVE);
		if (obj && (cache->debug & MYSLAB_STORE_USER))
			*myslab_track_of(cache, obj, MYSLAB_TRACK_ALLOC) = *track;
		myslab_meta_end(meta);
	}
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &dispose);
	return obj;
}

/*
 * An object (marked free in the free map) goes back to its slab. @track is
 * the free record, or NULL to leave the records alone (undoing a failed bulk
 * allocation). @check: its red zones must be active.
 */
static void myslab_debug_put(struct myslab_cache *cache, void *obj,
			     const struct myslab_track *track, bool check)
{
	struct myslab_slab *slab = myslab_slab_of(cache, obj);
	void *bad = NULL;
	unsigned long flags;
	LIST_HEAD(dispose);
	bool meta;

	spin_lock_irqsave(&cache->lock, flags);
	meta = myslab_meta_begin(cache);
	if (check)
		myslab_check_object(cache, obj, false, MYSLAB_CHECK_FREE);
	if (track && (cache->debug & MYSLAB_STORE_USER))
		*myslab_track_of(cache, obj, MYSLAB_TRACK_FREE) = *track;
	if (myslab_poisons(cache))
		myslab_set_poison(cache, obj);
	if (cache->debug & MYSLAB_RED_ZONE)
		myslab_set_redzones(cache, obj, MYSLAB_RED_INACTIVE);
	myslab_slab_push(cache, obj, &dispose);
	myslab_transit_add(cache, -1);
	if ((cache->debug & MYSLAB_CONSISTENCY_CHECKS) && !slab->corrupted &&
	    myslab_freelist_walk(cache, slab, false, &bad) == UINT_MAX)
		myslab_slab_quarantine(cache, slab, bad, &dispose);
	myslab_meta_end(meta);
	myslab_slabs_trim(cache, MYSLAB_EMPTY_SLABS_KEPT, &dispose);
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &dispose);
}

/* The debug path of myslab_cache_alloc(); zeroing is the caller's. */
void *myslab_debug_alloc(struct myslab_cache *cache, gfp_t gfp,
			 unsigned long caller)
{
	struct myslab_track track;
	void *obj;

	myslab_track_prepare(&track, caller);
	obj = myslab_debug_get(cache, gfp, &track);
	if (!obj) {
		myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_FAILED);
		return NULL;
	}
	myslab_hand_out(cache, obj);
	myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_SLOW);
	return obj;
}

/* The debug path of myslab_cache_free(), after the pointer checked out. */
void myslab_debug_free(struct myslab_cache *cache, void *obj,
		       unsigned long caller)
{
	struct myslab_track track;

	myslab_track_prepare(&track, caller);
	myslab_debug_put(cache, obj, &track, true);
	myslab_cache_count(cache, MYSLAB_CACHE_FREE_SLOW);
}

/* The debug path of myslab_cache_alloc_bulk(): all or nothing. */
int myslab_debug_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			    size_t nr, void **objs, unsigned long caller)
{
	struct myslab_track track;
	size_t i;

	myslab_track_prepare(&track, caller);
	for (i = 0; i < nr; i++) {
		objs[i] = myslab_debug_get(cache, gfp, &track);
		if (!objs[i])
			break;
	}
	if (i < nr) {
		while (i-- > 0)
			myslab_debug_put(cache, objs[i], NULL, false);
		myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_FAILED);
		return 0;
	}
	for (i = 0; i < nr; i++) {
		myslab_hand_out(cache, objs[i]);
		myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_SLOW);
	}
	return nr;
}
