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
 *   drain   one CPU's magazine or every CPU's, back to the slabs; retune
 *   count   the per-CPU event counters, the objects cached, the objects in
 *           transit (struct myslab_magazine)
 *   check   each magazine's entries and generation, under its lock, for
 *           myslab_cache_validate()
 *
 * A magazine is a per-CPU array behind its own spinlock, taken with
 * interrupts disabled, so that any CPU can drain another's magazine (shrink,
 * tune, destroy) without an IPI, as the kernel's per-CPU page lists do. A free
 * from another CPU than the allocation simply goes to the freeing CPU's
 * magazine. Every access to a magazine is in this file and in the fast
 * paths of slab_magazine.h, so that the lock can change there alone. Lock
 * order and the bitmaps' rules: slab_internal.h.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "slab_magazine.h"

/* === Refill and flush (the slab lists below) === */

/*
 * Move the @nr oldest objects of a magazine back to their slabs, then give
 * back the empty slabs beyond the @keep most recently emptied.
 */
static void myslab_magazine_flush_keep(struct myslab_cache *cache,
				       struct myslab_magazine *mag,
				       unsigned int nr, unsigned long keep)
	__must_hold(&mag->lock)
{
	LIST_HEAD(dispose);
	unsigned int i;
	bool meta;

	lockdep_assert_held(&mag->lock);
	nr = min(nr, mag->count);
	if (!nr)
		return;
	mag->gen++;
	spin_lock(&cache->lock);
	meta = myslab_meta_begin(cache);
	for (i = 0; i < nr; i++)
		myslab_slab_push(cache, mag->objs[i], &dispose);
	myslab_meta_end(meta);
	myslab_slabs_trim(cache, keep, &dispose);
	spin_unlock(&cache->lock);
	mag->count -= nr;
	memmove(mag->objs, mag->objs + nr, mag->count * sizeof(void *));
	/* kmemleak scans magazines: leave no stale copy of a pointer behind. */
	if (READ_ONCE(cache->hooks) & MYSLAB_HOOK_KMEMLEAK)
		memset(mag->objs + mag->count, 0, nr * sizeof(void *));
	myslab_mag_count(mag, MYSLAB_CACHE_FLUSHES);
	myslab_slabs_give_back(cache, &dispose);
}

static void myslab_magazine_flush(struct myslab_cache *cache,
				  struct myslab_magazine *mag,
				  unsigned int nr)
	__must_hold(&mag->lock)
{
	myslab_magazine_flush_keep(cache, mag, nr, MYSLAB_EMPTY_SLABS_KEPT);
}

/*
 * Slow path of allocation: the magazine is empty. Refill it with batchcount
 * objects from the slabs, growing the cache when they run out, and return
 * one of them (or NULL when the buddy allocator has nothing left).
 */
void *myslab_magazine_alloc_slow(struct myslab_cache *cache,
				 struct myslab_magazine *mag, gfp_t gfp)
	__must_hold(&mag->lock)
{
	struct myslab_slab *slab;
	LIST_HEAD(dispose);
	void *obj;
	bool meta;

	lockdep_assert_held(&mag->lock);
	spin_lock(&cache->lock);
	while (mag->count < mag->batchcount) {
		slab = myslab_slab_pick(cache);
		if (!slab) {
			spin_unlock(&cache->lock);
			slab = myslab_slab_grow(cache, gfp);
			spin_lock(&cache->lock);
			if (!slab)
				break;
			myslab_slab_attach(cache, slab);
			continue;
		}
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
	spin_unlock(&cache->lock);
	myslab_slabs_give_back(cache, &dispose);

	if (!mag->count)
		return NULL;
	myslab_mag_count(mag, MYSLAB_CACHE_REFILLS);
	obj = mag->objs[--mag->count];
	mag->objs[mag->count] = NULL;
	return obj;
}

/* === The object paths (slab_alloc.c above) === */

/* Slow path of free: the magazine is full; flush a batch first. */
void myslab_magazine_free_slow(struct myslab_cache *cache,
			       struct myslab_magazine *mag)
	__must_hold(&mag->lock)
{
	myslab_magazine_flush(cache, mag, mag->batchcount);
	myslab_mag_count(mag, MYSLAB_CACHE_FREE_SLOW);
}

/*
 * The plain path of a bulk allocation: under one magazine lock. @hooked as
 * for myslab_magazine_alloc().
 */
int myslab_magazine_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			       size_t nr, void **objs, bool hooked)
{
	unsigned long fast = 0, slow = 0, flags;
	struct myslab_magazine *mag;
	size_t i;
	void *obj;

	local_irq_save(flags);
	mag = this_cpu_ptr(cache->mags);
	spin_lock(&mag->lock);
	mag->gen++;
	for (i = 0; i < nr; i++) {
		if (likely(mag->count)) {
			objs[i] = mag->objs[--mag->count];
			if (hooked)
				mag->objs[mag->count] = NULL;
			fast++;
			continue;
		}
		obj = myslab_magazine_alloc_slow(cache, mag, gfp);
		if (!obj)
			break;
		objs[i] = obj;
		slow++;
	}
	if (unlikely(i < nr)) {
		/* Undo: newest back on top, flushing when the magazine fills. */
		while (i-- > 0) {
			if (mag->count >= mag->limit)
				myslab_magazine_flush(cache, mag, mag->batchcount);
			mag->objs[mag->count++] = objs[i];
		}
		myslab_mag_count(mag, MYSLAB_CACHE_ALLOC_FAILED);
		spin_unlock(&mag->lock);
		local_irq_restore(flags);
		return 0;
	}
	mag->counters[MYSLAB_CACHE_ALLOC_FAST] += fast;
	mag->counters[MYSLAB_CACHE_ALLOC_SLOW] += slow;
	myslab_transit_add(cache, nr);
	spin_unlock(&mag->lock);
	local_irq_restore(flags);

	for (i = 0; i < nr; i++)
		__myslab_hand_out(cache, objs[i], gfp, !hooked);
	return nr;
}

/*
 * Push objects already marked free (myslab_take_back()) on this CPU's
 * magazine under one hold of its lock: @objs[0..@span) less its NULL
 * entries. Their transit windows close together, under the lock they arrive
 * by, as one push closes its own.
 */
void myslab_magazine_push_bulk(struct myslab_cache *cache, void **objs,
			       size_t span)
{
	unsigned long fast = 0, flags;
	struct myslab_magazine *mag;
	long pushed = 0;
	size_t i;

	if (!span)
		return;
	local_irq_save(flags);
	mag = this_cpu_ptr(cache->mags);
	spin_lock(&mag->lock);
	mag->gen++;
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
	spin_unlock(&mag->lock);
	local_irq_restore(flags);
}

/* === Draining and retuning (any CPU's magazine, no IPI) === */

/* Empty one CPU's magazine into the slabs, keeping every empty slab. */
static void myslab_magazine_drain(struct myslab_cache *cache, int cpu)
{
	struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);
	unsigned long flags;

	spin_lock_irqsave(&mag->lock, flags);
	if (mag->count) {
		/* Empty slabs stay: the caller gives them back itself. */
		myslab_magazine_flush_keep(cache, mag, mag->count, ULONG_MAX);
		myslab_mag_count(mag, MYSLAB_CACHE_DRAINS);
	}
	spin_unlock_irqrestore(&mag->lock, flags);
}

/*
 * Empty one CPU's magazine into the slabs and give back the empty slabs
 * beyond the reserve, as any flush does: the seam CPU hotplug uses once @cpu
 * is dead, when nothing can refill the magazine until the CPU comes back.
 * Its limit and batchcount stay, so the CPU finds it ready then. Any
 * context, with no magazine or cache lock held.
 */
void myslab_cache_drain_cpu(struct myslab_cache *cache, int cpu)
{
	struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);
	unsigned long flags;

	spin_lock_irqsave(&mag->lock, flags);
	if (mag->count) {
		myslab_magazine_flush(cache, mag, mag->count);
		myslab_mag_count(mag, MYSLAB_CACHE_DRAINS);
	}
	spin_unlock_irqrestore(&mag->lock, flags);
}

/* Every CPU's magazine; callers then give back the empty slabs. */
void myslab_cache_drain_all(struct myslab_cache *cache)
{
	int cpu;

	for_each_possible_cpu(cpu)
		myslab_magazine_drain(cache, cpu);
}

static void myslab_magazine_retune(struct myslab_cache *cache, int cpu,
				   unsigned int limit, unsigned int batchcount)
{
	struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);
	unsigned long flags;

	spin_lock_irqsave(&mag->lock, flags);
	mag->limit = limit;
	mag->batchcount = batchcount;
	if (mag->count > limit) {
		myslab_magazine_flush(cache, mag, mag->count - limit);
		myslab_mag_count(mag, MYSLAB_CACHE_DRAINS);
	}
	spin_unlock_irqrestore(&mag->lock, flags);
}

/*
 * Every CPU's magazine takes the new tunables under its own lock; one
 * holding more than @limit objects flushes the excess. The caller holds the
 * cache's tune mutex and has checked the values (myslab_cache_tune()).
 */
void myslab_magazines_retune(struct myslab_cache *cache, unsigned int limit,
			     unsigned int batchcount)
{
	int cpu;

	for_each_possible_cpu(cpu)
		myslab_magazine_retune(cache, cpu, limit, batchcount);
}

/* === Creation and destruction === */

/*
 * Every possible CPU's magazine, empty, with the cache's limit and
 * batchcount (set by the caller). Returns 0 or -ENOMEM.
 */
int myslab_magazines_create(struct myslab_cache *cache)
{
	int cpu;

	cache->mags = alloc_percpu(struct myslab_magazine);
	if (!cache->mags)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		spin_lock_init(&mag->lock);
		mag->count = 0;
		mag->gen = 0;
		mag->limit = cache->limit;
		mag->batchcount = cache->batchcount;
		memset(mag->counters, 0, sizeof(mag->counters));
	}
	return 0;
}

/* Free the magazines, drained by the caller; cache->mags is NULL after. */
void myslab_magazines_destroy(struct myslab_cache *cache)
{
	free_percpu(cache->mags);
	cache->mags = NULL;
}

/* === Statistics === */

/*
 * Add every CPU's counters (enum myslab_cache_counter) to @counters, each
 * read once without its lock. Nothing once the cache is destroyed.
 */
void myslab_magazines_add_counters(struct myslab_cache *cache,
				   unsigned long counters[MYSLAB_CACHE_NR_COUNTERS])
{
	int cpu, i;

	if (!cache->mags)
		return;
	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
			counters[i] += READ_ONCE(mag->counters[i]);
	}
}

/* Clear every CPU's counters, each under its magazine's lock. */
void myslab_magazines_reset_counters(struct myslab_cache *cache)
{
	unsigned long flags;
	int cpu;

	if (!cache->mags)
		return;
	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		spin_lock_irqsave(&mag->lock, flags);
		memset(mag->counters, 0, sizeof(mag->counters));
		spin_unlock_irqrestore(&mag->lock, flags);
	}
}

/* Objects in every CPU's magazine, each count read once without its lock. */
unsigned long myslab_magazines_cached(struct myslab_cache *cache)
{
	unsigned long cached = 0;
	int cpu;

	if (!cache->mags)
		return 0;
	for_each_possible_cpu(cpu)
		cached += READ_ONCE(per_cpu_ptr(cache->mags, cpu)->count);
	return cached;
}

/* One CPU's magazine as debugfs shows it (struct myslab_magazine_fill). */
void myslab_magazine_fill(struct myslab_cache *cache, int cpu,
			  struct myslab_magazine_fill *fill)
{
	struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

	fill->count = READ_ONCE(mag->count);
	fill->limit = READ_ONCE(mag->limit);
	fill->batchcount = READ_ONCE(mag->batchcount);
}

/* === Validation (see "What validation can check" in slab_validate.c) === */

/*
 * Objects in transit (struct myslab_magazine), the CPUs' shares read one
 * after the other: never below the windows open throughout the reading.
 */
long myslab_transit(struct myslab_cache *cache)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(cache->mags, cpu)->transit);
	return sum;
}

/* Magazine contents: objects of this cache, free bit set, list bit clear. */
static unsigned long myslab_validate_magazine(struct myslab_cache *cache,
					      struct myslab_magazine *mag)
	__must_hold(&mag->lock) __must_hold(&cache->lock)
{
	unsigned long problems = 0;
	unsigned int i;

	for (i = 0; i < mag->count; i++) {
		void *obj = mag->objs[i];

		switch (myslab_slab_check_cached(cache, obj)) {
		case MYSLAB_CACHED_OK:
			continue;
		case MYSLAB_CACHED_NOT_OURS:
			myslab_invalid(cache, "magazine entry %u is not one of its objects", i);
			break;
		case MYSLAB_CACHED_NOT_START:
			myslab_invalid(cache,
				       "magazine entry at region offset %#lx is not an object start",
				       myslab_region_offset(cache, obj));
			break;
		case MYSLAB_CACHED_WRONG_BITS:
			myslab_invalid(cache,
				       "magazine object at region offset %#lx has wrong map bits",
				       myslab_region_offset(cache, obj));
			break;
		}
		problems++;
	}
	return problems;
}

/* Every magazine, each under its lock: exact per entry. */
unsigned long myslab_magazines_validate(struct myslab_cache *cache)
{
	unsigned long problems = 0, flags;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		spin_lock_irqsave(&mag->lock, flags);
		spin_lock(&cache->lock);
		problems += myslab_validate_magazine(cache, mag);
		spin_unlock(&cache->lock);
		spin_unlock_irqrestore(&mag->lock, flags);
	}
	return problems;
}

/*
 * Step 1 of the free-map identity: each magazine under its lock alone, its
 * generation into @gen (room for every possible CPU). Returns the objects
 * the magazines held.
 */
unsigned long myslab_magazines_snapshot(struct myslab_cache *cache,
					unsigned long *gen)
{
	unsigned long flags, cached = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		spin_lock_irqsave(&mag->lock, flags);
		cached += mag->count;
		gen[cpu] = mag->gen;
		spin_unlock_irqrestore(&mag->lock, flags);
	}
	return cached;
}

/*
 * Step 3: each magazine under its lock alone again. Returns whether one's
 * generation moved since myslab_magazines_snapshot() (then the count is
 * not to be trusted).
 */
bool myslab_magazines_moved(struct myslab_cache *cache,
			    const unsigned long *gen)
{
	unsigned long flags;
	bool moved = false;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		spin_lock_irqsave(&mag->lock, flags);
		if (mag->gen != gen[cpu])
			moved = true;
		spin_unlock_irqrestore(&mag->lock, flags);
		if (moved)
			return true;
	}
	return false;
}
