// SPDX-License-Identifier: GPL-2.0
/*
 * myslab magazines: each CPU's stack of free objects of a cache, between
 * the object paths (slab_alloc.c) and the slab lists (slab_lists.c).
 *
 *   pop     the newest object; when the magazine is empty, refill
 *           batchcount objects from partial, then empty, then new slabs
 *   push    an object already marked free; when the magazine is full,
 *           flush the batchcount oldest objects back to their slabs first
 *   bulk    as many pops and refills, or pushes and flushes, as needed under
 *           one hold of the magazine lock
 *   direct  this CPU's magazine is locked: one object straight from or to
 *           the barn or the slabs, under the cache lock
 *
 * A magazine is a per-CPU array behind a CPU lock (cpu_lock.h) that only
 * its own CPU takes: the object paths with a trylock, falling back to the
 * slabs under the cache lock when it fails (an interrupt inside this CPU's
 * magazine section, or with PREEMPT_RT a preempted holder). A free from
 * another CPU than the allocation simply goes to the freeing CPU's
 * magazine. What concerns every CPU's magazine (drain, retune, counters,
 * validation) is in slab_magazine_cpus.c, which flushes through this file.
 * Every access to a magazine is in these two files and in the fast paths
 * of slab_magazine.h, so that the lock can change there alone.
 * The maps' rules: slab_internal.h; the lock order: kmod/DESIGN.md.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "slab_magazine.h"

/* === Refill and flush (the slab lists below) === */

/*
 * Move the @nr oldest objects of a magazine to the barn while it has room
 * (when @to_barn), the rest back to their slabs, then give back the empty
 * slabs beyond the @keep most recently emptied; within a bulk free's @run
 * (non-NULL), leave every slab it empties or detaches to the run's end
 * instead (struct myslab_run). The caller holds the magazine's lock on its
 * CPU, or the CPU is dead, and has begun a change of the magazine
 * (myslab_mag_begin() or myslab_mag_held_begin()).
 */
static void __myslab_magazine_flush(struct myslab_cache *cache,
				    struct myslab_magazine *mag,
				    unsigned int nr, unsigned long keep,
				    bool to_barn, struct myslab_run *run)
{
	unsigned int i, stored = 0;
	LIST_HEAD(local);
	struct list_head *dispose = run ? &run->dispose : &local;
	unsigned long flags;
	bool meta;

	nr = min(nr, mag->count);
	if (!nr)
		return;
	/* An interrupt's direct path may take the cache lock on this CPU. */
	spin_lock_irqsave(&cache->lock, flags);
	if (to_barn)
		stored = myslab_barn_put(cache, mag->objs, nr);
	if (stored < nr) {
		meta = myslab_meta_begin(cache);
		for (i = stored; i < nr; i++)
			myslab_slab_push(cache, mag->objs[i], dispose);
		myslab_meta_end(meta);
		if (run)
			run->trim = true;
		else
			myslab_slabs_trim(cache, keep, dispose);
	}
	spin_unlock_irqrestore(&cache->lock, flags);
	mag->count -= nr;
	memmove(mag->objs, mag->objs + nr, mag->count * sizeof(void *));
	/* kmemleak scans magazines: leave no stale copy of a pointer behind. */
	if (READ_ONCE(cache->hooks) & MYSLAB_HOOK_KMEMLEAK)
		memset(mag->objs + mag->count, 0, nr * sizeof(void *));
	myslab_mag_count(mag, MYSLAB_CACHE_FLUSHES);
	if (stored)
		myslab_mag_count(mag, MYSLAB_CACHE_FLUSHES_BARN);
	myslab_slabs_give_back(cache, &local);
}

/* A flush of the object paths and of a retune: the barn first. */
void myslab_magazine_flush(struct myslab_cache *cache,
			   struct myslab_magazine *mag, unsigned int nr)
{
	__myslab_magazine_flush(cache, mag, nr, MYSLAB_EMPTY_SLABS_KEPT, true,
				NULL);
}

/* A drain's: straight to the slabs, keeping @keep empty ones. */
void myslab_magazine_flush_slabs(struct myslab_cache *cache,
				 struct myslab_magazine *mag, unsigned int nr,
				 unsigned long keep)
{
	__myslab_magazine_flush(cache, mag, nr, keep, false, NULL);
}

/*
 * The magazine is empty: refill it with batchcount objects, from the barn
 * when it has any (the newest, however few: one copy, as SLAB took what its
 * shared array had), else from the slabs, growing the cache when they run
 * out. False when the buddy allocator has nothing left.
 */
static bool myslab_magazine_refill(struct myslab_cache *cache,
				   struct myslab_magazine *mag, gfp_t gfp)
{
	struct myslab_slab *slab;
	unsigned int taken;
	unsigned long flags;
	LIST_HEAD(dispose);
	void *obj;
	bool meta;

	myslab_cpu_lock_assert_held(&mag->lock);
	spin_lock_irqsave(&cache->lock, flags);
	taken = myslab_barn_take(cache, mag->objs + mag->count,
				 mag->batchcount - mag->count);
	mag->count += taken;
	while (!taken && mag->count < mag->batchcount) {
		slab = myslab_slab_pick_or_grow(cache, gfp, &flags);
		if (!slab)
			break;
		meta = myslab_meta_begin(cache);
		while (mag->count < mag->batchcount &&
		       slab->inuse < cache->objs_per_slab) {
			obj = myslab_slab_pop(cache, slab, &dispose);
			if (!obj)
				break;
			mag->objs[mag->count++] = obj;
		}
		myslab_meta_end(meta);
		if (!slab->corrupted)
			myslab_slab_relist(cache, slab);
	}
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &dispose);

	if (!mag->count)
		return false;
	myslab_mag_count(mag, MYSLAB_CACHE_REFILLS);
	if (taken)
		myslab_mag_count(mag, MYSLAB_CACHE_REFILLS_BARN);
	return true;
}

/*
 * Slow path of allocation: the magazine is empty. Refill it and return one
 * of the objects (or NULL when the buddy allocator has nothing left).
 */
void *myslab_magazine_alloc_slow(struct myslab_cache *cache,
				 struct myslab_magazine *mag, gfp_t gfp)
{
	void *obj;

	if (!myslab_magazine_refill(cache, mag, gfp))
		return NULL;
	obj = mag->objs[--mag->count];
	mag->objs[mag->count] = NULL;
	return obj;
}

/* === The object paths (slab_alloc.c above) === */

/* Slow path of free: the magazine is full; flush a batch first. */
void myslab_magazine_free_slow(struct myslab_cache *cache,
			       struct myslab_magazine *mag)
{
	myslab_cpu_lock_assert_held(&mag->lock);
	myslab_magazine_flush(cache, mag, mag->batchcount);
	myslab_mag_count(mag, MYSLAB_CACHE_FREE_SLOW);
}

/*
 * myslab_magazine_alloc() popped @stale, a copy myslab_mag_take_out()
 * refused: drop it, report it, and pop again (refilling as needed) until an
 * object comes out or none is left. Called with the magazine's lock held,
 * inside its change.
 */
void *myslab_magazine_alloc_again(struct myslab_cache *cache,
				  struct myslab_magazine *mag, gfp_t gfp,
				  bool hooked, void *stale)
{
	enum myslab_cache_counter event = MYSLAB_CACHE_ALLOC_FAST;
	void *obj;

	myslab_stale_copies(cache, stale, 1);
	for (;;) {
		if (!mag->count) {
			if (!myslab_magazine_refill(cache, mag, gfp)) {
				myslab_mag_count(mag, MYSLAB_CACHE_ALLOC_FAILED);
				return NULL;
			}
			event = MYSLAB_CACHE_ALLOC_SLOW;
		}
		obj = mag->objs[--mag->count];
		if (hooked)
			mag->objs[mag->count] = NULL;
		if (myslab_mag_take_out(cache, obj))
			break;
		myslab_stale_copies(cache, obj, 1);
	}
	myslab_mag_count(mag, event);
	return obj;
}

/*
 * This CPU's magazine is locked (the caller interrupted its section, or,
 * with PREEMPT_RT, preempted its holder): one object straight from the barn
 * or the slabs under the cache lock, as a debug cache takes it, or NULL when
 * the buddy allocator has nothing left. Its transit window opens under the
 * cache lock it leaves by; the caller hands it out. Counted as a slow
 * allocation.
 */
void *myslab_magazine_alloc_direct(struct myslab_cache *cache, gfp_t gfp)
{
	void *obj = NULL, *dropped = NULL;
	unsigned int idx, stale = 0;
	struct myslab_slab *slab;
	unsigned long flags;
	LIST_HEAD(dispose);
	bool meta;

	spin_lock_irqsave(&cache->lock, flags);
	for (;;) {
		/* The barn first, as a refill takes from it. */
		if (!myslab_barn_take(cache, &obj, 1)) {
			slab = myslab_slab_pick_or_grow(cache, gfp, &flags);
			if (!slab)
				break;
			meta = myslab_meta_begin(cache);
			/* NULL: the slab was quarantined; pick another. */
			obj = myslab_slab_pop(cache, slab, &dispose);
			myslab_meta_end(meta);
			if (!slab->corrupted)
				myslab_slab_relist(cache, slab);
			if (!obj)
				continue;
		}
		/* A copy overlapping frees left (myslab_mag_take_out()). */
		slab = myslab_slab_of(cache, obj);
		idx = myslab_obj_index_of(cache, slab, obj);
		if (likely(myslab_obj_is_free(slab, idx)))
			break;
		dropped = obj;
		obj = NULL;
		stale++;
	}
	if (obj)
		myslab_transit_add(cache, 1);
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &dispose);
	if (unlikely(stale))
		myslab_stale_copies(cache, dropped, stale);
	myslab_cache_count(cache, obj ? MYSLAB_CACHE_ALLOC_SLOW
				      : MYSLAB_CACHE_ALLOC_FAILED);
	return obj;
}

/*
 * myslab_magazine_alloc() found this CPU's magazine locked: its whole road
 * out of line, so that the fast path, which only tail-calls it, keeps no
 * register alive across the call.
 */
void *myslab_magazine_alloc_busy(struct myslab_cache *cache, gfp_t gfp,
				 bool hooked)
{
	void *obj = myslab_magazine_alloc_direct(cache, gfp);

	if (likely(obj))
		__myslab_hand_out(cache, obj, gfp, !hooked);
	return obj;
}

/*
 * Give back an object taken by myslab_magazine_alloc_direct() and never
 * handed out (its free byte still set, its window open), or one already
 * marked free by myslab_take_back(): back on its slab under the cache lock,
 * which closes its window.
 */
static void myslab_magazine_put_direct(struct myslab_cache *cache, void *obj,
				       struct myslab_run *run)
{
	LIST_HEAD(local);
	struct list_head *dispose = run ? &run->dispose : &local;
	unsigned long flags;
	bool meta;

	spin_lock_irqsave(&cache->lock, flags);
	meta = myslab_meta_begin(cache);
	myslab_slab_push(cache, obj, dispose);
	myslab_meta_end(meta);
	myslab_transit_add(cache, -1);
	if (run)
		run->trim = true;
	else
		myslab_slabs_trim(cache, MYSLAB_EMPTY_SLABS_KEPT, dispose);
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &local);
}

/*
 * This CPU's magazine is locked: the object (already marked free) goes
 * straight back to its slab; within a bulk free's @run (non-NULL), the slabs
 * that empties wait for the run's end. Counted as a slow free.
 */
void myslab_magazine_free_direct(struct myslab_cache *cache, void *obj,
				 struct myslab_run *run)
{
	myslab_magazine_put_direct(cache, obj, run);
	myslab_cache_count(cache, MYSLAB_CACHE_FREE_SLOW);
}

/**
 * myslab_run_finish() - give back what a bulk free's run held back
 * @cache:	the cache
 * @run:	the run, done (myslab_run_done())
 */
void myslab_run_finish(struct myslab_cache *cache, struct myslab_run *run)
{
	myslab_slabs_give_back(cache, &run->dispose);
	if (run->trim)
		myslab_cache_release_empty(cache, MYSLAB_EMPTY_SLABS_KEPT);
}

/* A bulk allocation whose magazine is locked: all or nothing, directly. */
static int myslab_alloc_bulk_direct(struct myslab_cache *cache, gfp_t gfp,
				    size_t nr, void **objs, bool hooked)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		objs[i] = myslab_magazine_alloc_direct(cache, gfp);
		if (!objs[i])
			break;
	}
	if (unlikely(i < nr)) {
		while (i-- > 0)
			myslab_magazine_put_direct(cache, objs[i], NULL);
		return 0;
	}
	for (i = 0; i < nr; i++)
		__myslab_hand_out(cache, objs[i], gfp, !hooked);
	return nr;
}

/*
 * The plain path of a bulk allocation: under one magazine lock, in one
 * change of the magazine, the newest objects first, refilling as needed.
 * Each object's free byte is cleared as it is popped, inside that change, as
 * myslab_magazine_alloc() clears one, so no transit window opens; a failed
 * allocation's undo sets them again as it puts the objects back. A copy
 * that overlapping frees left is dropped (myslab_mag_take_out()).
 * @hooked as for myslab_magazine_alloc().
 */
int myslab_magazine_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			       size_t nr, void **objs, bool hooked)
{
	unsigned int top, stale = 0;
	struct myslab_magazine *mag;
	void *obj, *dropped = NULL;
	unsigned long slow = 0;
	size_t i, n, j, k;

	mag = myslab_cpu_trylock(cache->mags, lock);
	if (unlikely(!mag))
		return myslab_alloc_bulk_direct(cache, gfp, nr, objs, hooked);
	myslab_mag_held_begin(mag);
	for (i = 0; i < nr; i += n) {
		if (unlikely(!mag->count)) {
			if (!myslab_magazine_refill(cache, mag, gfp))
				break;
			slow++;
		}
		/* As many pops as the magazine holds, taken out as they come. */
		top = mag->count;
		n = min_t(size_t, nr - i, top);
		mag->count = top - n;
		for (j = k = 0; j < n; j++) {
			obj = mag->objs[top - 1 - j];
			if (likely(myslab_mag_take_out(cache, obj))) {
				objs[i + k++] = obj;
			} else {
				dropped = obj;
				stale++;
			}
		}
		if (hooked)
			memset(mag->objs + mag->count, 0, n * sizeof(void *));
		n = k;
	}
	if (unlikely(i < nr)) {
		/* Undo: newest back on top, flushing when the magazine fills. */
		while (i-- > 0) {
			myslab_mag_put_back(cache, objs[i]);
			if (mag->count >= mag->limit)
				myslab_magazine_flush(cache, mag, mag->batchcount);
			mag->objs[mag->count++] = objs[i];
		}
		myslab_mag_count(mag, MYSLAB_CACHE_ALLOC_FAILED);
		myslab_mag_held_end(mag);
		myslab_cpu_unlock(&mag->lock);
		if (unlikely(stale))
			myslab_stale_copies(cache, dropped, stale);
		return 0;
	}
	mag->counters[MYSLAB_CACHE_ALLOC_FAST] += nr - slow;
	mag->counters[MYSLAB_CACHE_ALLOC_SLOW] += slow;
	myslab_mag_held_end(mag);
	myslab_cpu_unlock(&mag->lock);
	if (unlikely(stale))
		myslab_stale_copies(cache, dropped, stale);

	/* A test per object only when the policy or @gfp may zero at all. */
	if (!hooked && (want_init_on_alloc(gfp) || want_init_on_free()))
		for (i = 0; i < nr; i++)
			myslab_init_on_alloc(cache, objs[i], gfp);
	return nr;
}

/*
 * The plain bulk free: @objs[0..@span) less its NULL entries, each checked
 * but for being handed out (myslab_cache_free_bulk()). In one change of
 * this CPU's magazine, each is marked free, zeroed by the policy and pushed,
 * as myslab_magazine_free() does one, so that no transit window opens.
 * Stops at the first entry that is free already (a double free), which
 * ends the change: the caller reports it outside the lock and goes on with
 * the entries after it.
 *
 * A flush on the way leaves the slabs it empties to the end of @run (struct
 * myslab_run).
 *
 * Return: 0; -EALREADY when @objs[*@done] was free already (the entries
 * before it are freed, nothing else changed); -EAGAIN when this CPU's
 * magazine is taken (nothing done: the caller frees by the slow road).
 */
int myslab_magazine_free_bulk(struct myslab_cache *cache, void **objs,
			      size_t span, size_t *done, struct myslab_run *run)
{
	struct myslab_magazine *mag;
	unsigned int count, limit;
	struct myslab_slab *slab;
	unsigned long fast = 0;
	unsigned int idx;
	size_t i;
	int err = 0;
	void *obj;

	mag = myslab_cpu_trylock(cache->mags, lock);
	if (unlikely(!mag))
		return -EAGAIN;
	myslab_mag_held_begin(mag);
	/* In registers: a store through a u8 * below may alias *mag. */
	count = mag->count;
	limit = mag->limit;
	for (i = 0; i < span; i++) {
		obj = objs[i];
		if (!obj)
			continue;
		slab = myslab_slab_of(cache, obj);
		idx = myslab_obj_index_of(cache, slab, obj);
		if (unlikely(myslab_obj_is_free(slab, idx))) {
			*done = i;
			err = -EALREADY;
			break;
		}
		myslab_obj_set_free(slab, idx, true);
		myslab_init_on_free(cache, obj);
		if (unlikely(count >= limit)) {
			mag->count = count;
			__myslab_magazine_flush(cache, mag, mag->batchcount,
						ULONG_MAX, true, run);
			myslab_mag_count(mag, MYSLAB_CACHE_FREE_SLOW);
			count = mag->count;
		} else {
			fast++;
		}
		mag->objs[count++] = obj;
	}
	mag->count = count;
	mag->counters[MYSLAB_CACHE_FREE_FAST] += fast;
	myslab_mag_held_end(mag);
	myslab_cpu_unlock(&mag->lock);
	return err;
}

/*
 * The hooked bulk free: push objects already marked free
 * (myslab_take_back()) on this CPU's magazine under one hold of its lock,
 * @objs[0..@span) less its NULL entries. Their transit windows close
 * together, under the lock they arrive by, as one push closes its own. When
 * the lock is taken, each goes straight to its slab instead.
 */
void myslab_magazine_push_bulk(struct myslab_cache *cache, void **objs,
			       size_t span)
{
	struct myslab_magazine *mag;
	unsigned long fast = 0;
	long pushed = 0;
	size_t i;

	if (!span)
		return;
	mag = myslab_cpu_trylock(cache->mags, lock);
	if (unlikely(!mag)) {
		for (i = 0; i < span; i++)
			if (objs[i])
				myslab_magazine_free_direct(cache, objs[i],
							    NULL);
		return;
	}
	myslab_mag_held_begin(mag);
	for (i = 0; i < span; i++) {
		if (!objs[i])
			continue;
		if (unlikely(mag->count >= mag->limit))
			myslab_magazine_free_slow(cache, mag);
		else
			fast++;
		mag->objs[mag->count++] = objs[i];
		pushed++;
	}
	mag->counters[MYSLAB_CACHE_FREE_FAST] += fast;
	myslab_transit_add(cache, -pushed);
	myslab_mag_held_end(mag);
	myslab_cpu_unlock(&mag->lock);
}
