/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab magazines: the per-CPU layer of the slab caches, owned by
 * slab_magazine.c (one CPU's magazine) and slab_magazine_cpus.c (every
 * CPU's at once). The struct, the transit accounting that the free and
 * hand-out paths do without any lock, and what the layers above call:
 * slab_alloc.c (the object paths), slab.c (creation, tuning, shrinking,
 * statistics), slab_validate.c, slab_debug.c (transit and hand-out only), the
 * CPU hotplug callback and debugfs. The magazines call down into the barn
 * and the slab lists (slab_lists.c), never up. Lock order: kmod/DESIGN.md.
 *
 * The single-object push and pop are the whole plain fast path, so they are
 * here, inlined into slab_alloc.c's public functions, with their slow paths
 * in slab_magazine.c: a call into slab_magazine.c on every alloc and free
 * cost 25 more instructions per alloc+free pair (410 against 385, 64-byte
 * reuse, counted with callgrind on userspace_tools/bench). Every access
 * to a magazine, its lock included, is in this file, slab_magazine.c or
 * slab_magazine_cpus.c.
 *
 * A magazine's lock is a CPU lock (cpu_lock.h): only its own CPU takes it,
 * the fast paths with a trylock that disables only preemption (a per-CPU
 * sleeping lock with PREEMPT_RT). When the trylock fails, the allocation or
 * free goes to the slabs directly under the cache lock, as a debug cache's
 * does: this context interrupted its CPU's own magazine section, or (RT) a
 * task holding it was preempted.
 */
#ifndef _MYSLAB_SLAB_MAGAZINE_H
#define _MYSLAB_SLAB_MAGAZINE_H

#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "core/cpu_lock.h"
#include "slab_internal.h"

/**
 * struct myslab_magazine - one CPU's stack of free objects of a cache
 * @lock:	protects every other field; a CPU lock (cpu_lock.h), taken only
 *		on the magazine's own CPU: by the object paths there, and by the
 *		operations on every magazine (drain, retune, counter reset,
 *		validation's entry checks), which run on each CPU in turn
 *		(smp_call_on_cpu()); @gen is read without it.
 *		A dead CPU's magazine is drained by the hotplug callback without
 *		it, since nothing runs there.
 * @count:	objects in @objs
 * @limit:	capacity in use (the cache's limit tunable), <= MYSLAB_MAGAZINE_MAX
 * @batchcount:	objects moved per refill or flush
 * @gen:	generation, a sequence count: odd while a path that may change
 *		@count or @objs is under way (myslab_mag_begin() and
 *		myslab_mag_end(), on the magazine's CPU under @lock, or on a
 *		dead CPU), even otherwise, and moved by every such change;
 *		read from any CPU without @lock, so that validation can tell
 *		that a magazine stood still between two of its readings
 *		(myslab_cache_validate()). Without PREEMPT_RT the object paths
 *		leave it even and let @lock's held byte say "under way"
 *		(myslab_mag_held_begin())
 * @counters:	events counted under @lock (enum myslab_cache_counter)
 * @transit:	this CPU's share of the cache's objects in transit (see
 *		below); changed only with this_cpu ops, from any context and
 *		without @lock, so one CPU's share may be negative: only the
 *		sum over CPUs means anything
 * @objs:	@objs[0..@count) are free objects with their free byte set and
 *		their list bit clear, oldest first; alloc pops the newest (hot)
 *		one, a flush returns the oldest ones to their slabs
 *
 * In transit: an object between a caller and the cache, whose free byte
 * says free while it is neither in a magazine nor on a slab's free list.
 * The plain alloc and free, single and bulk, change the byte inside their
 * magazine's change (myslab_mag_take_out(), myslab_magazine_free(),
 * myslab_magazine_alloc_bulk(), myslab_magazine_free_bulk()) and open no
 * window. Elsewhere (hooked, debug, and fallback paths) it changes without
 * any lock (myslab_take_back() sets it before the object reaches a magazine
 * or a slab, the hand-out clears it after the object left them), so every
 * such window is counted in
 * @transit: opened before the free byte is set, or under the lock that takes
 * the object off a magazine or slab; closed under the lock that puts it on
 * one, or after the free byte is cleared. A window opened and closed without
 * any lock (a double free's, which sets no byte) is opened and closed on one
 * CPU. The
 * sum over CPUs is then never below the objects really in transit, and
 * myslab_cache_validate() can tell a quiet instant from a busy one exactly
 * (see there).
 */
struct myslab_magazine {
	struct myslab_cpu_lock lock;	/* see above: its own CPU only */
	unsigned int count;
	unsigned int limit;
	unsigned int batchcount;
	unsigned long gen;
	long transit;		/* this_cpu ops only, no lock */
	unsigned long counters[MYSLAB_CACHE_NR_COUNTERS];
	void *objs[MYSLAB_MAGAZINE_MAX];
};

/*
 * Open and close a transit window (struct myslab_magazine). Opening before
 * a free byte is set relies on the full barrier of the xchg() that follows
 * (myslab_obj_test_and_set_free()); closing after a free byte is cleared on
 * that of the xchg() before it.
 */
static inline void myslab_transit_add(struct myslab_cache *cache, long n)
{
	this_cpu_add(cache->mags->transit, n);
}

/*
 * An object leaves a magazine: its free byte is cleared inside the
 * magazine's change (between myslab_mag_held_begin() and
 * myslab_mag_held_end()), so that no transit window opens: a validation
 * running meanwhile sees the lock held or the generation move instead
 * (myslab_cache_validate()). Plain accesses: an object in this CPU's
 * magazine is no other path's, unless two frees of it overlapped (the
 * plain path's miss, slab_internal.h).
 *
 * Return: true; false, changing nothing, when the byte says handed out
 * already: this entry is a copy that two overlapping frees left behind
 * while the object went out through its other copy. The caller drops the
 * entry and reports it (myslab_stale_copies()), so that the object is
 * not handed out twice.
 */
static __always_inline bool myslab_mag_take_out(struct myslab_cache *cache,
						void *obj)
{
	struct myslab_slab *slab = myslab_slab_of(cache, obj);
	unsigned int idx = myslab_obj_index_of(cache, slab, obj);

	if (unlikely(!myslab_obj_is_free(slab, idx)))
		return false;
	myslab_obj_set_free(slab, idx, false);
	return true;
}

/* Undo myslab_mag_take_out(): the object goes back into the magazine. */
static inline void myslab_mag_put_back(struct myslab_cache *cache, void *obj)
{
	struct myslab_slab *slab = myslab_slab_of(cache, obj);

	myslab_obj_set_free(slab, myslab_obj_index_of(cache, slab, obj), true);
}

/*
 * An object leaves the allocator outside a magazine's change: clear its
 * free byte (already clear: a doubly freed object whose other copy went out
 * meanwhile, reported), close its transit window, then zero it as the
 * policy asks when @init (a constant: a cache with hooks zeroes only once
 * KASAN has made the object accessible, in myslab_alloc_hooks()).
 */
static __always_inline void __myslab_hand_out(struct myslab_cache *cache,
					      void *obj, gfp_t gfp, bool init)
{
	struct myslab_slab *slab = myslab_slab_of(cache, obj);
	unsigned int idx = myslab_obj_index_of(cache, slab, obj);

	if (unlikely(!myslab_obj_test_and_clear_free(slab, idx)))
		myslab_stale_hand_out(cache, obj);
	myslab_transit_add(cache, -1);
	if (init)
		myslab_init_on_alloc(cache, obj, gfp);
}

/* The same, for the debug paths (slab_debug.c); zeroing is their caller's. */
static inline void myslab_hand_out(struct myslab_cache *cache, void *obj)
{
	__myslab_hand_out(cache, obj, 0, false);
}

/*
 * A change of a magazine's contents: the generation is odd from
 * myslab_mag_begin() to myslab_mag_end(), and every store of the change
 * (@count, @objs, and the transit share of a window the change closes or
 * opens) is ordered between the two, as a seqcount writer orders them.
 */
static __always_inline void myslab_mag_begin(struct myslab_magazine *mag)
{
	WRITE_ONCE(mag->gen, mag->gen + 1);
	/* Odd before any store of the change: myslab_magazines_snapshot(). */
	smp_wmb();
}

static __always_inline void myslab_mag_end(struct myslab_magazine *mag)
{
	/* Every store of the change before even again: the same reader. */
	smp_wmb();
	WRITE_ONCE(mag->gen, mag->gen + 1);
}

/*
 * The same for a change made under the magazine's lock (the object paths).
 * Without PREEMPT_RT, another CPU can read the lock's held byte
 * (myslab_cpu_lock_seen_held()), which already says "a change may be under
 * way" for the whole section: the generation then only moves, by 2, once
 * the change is done. One store per alloc or free instead of two, 6
 * instructions per alloc+free pair, and the same two store barriers (the
 * unlock's store-release is the second). With RT the lock cannot be read
 * that way, and the change marks itself as myslab_mag_begin() does.
 */
static __always_inline void myslab_mag_held_begin(struct myslab_magazine *mag)
{
	if (!MYSLAB_CPU_LOCK_SEEN_HELD) {
		myslab_mag_begin(mag);
		return;
	}
	/* The held byte before any store of the change. */
	smp_wmb();
}

static __always_inline void myslab_mag_held_end(struct myslab_magazine *mag)
{
	if (!MYSLAB_CPU_LOCK_SEEN_HELD) {
		myslab_mag_end(mag);
		return;
	}
	/* Every store of the change before the generation moves ... */
	smp_wmb();
	/*
	 * A plain increment, as a seqcount writer's: only this CPU writes
	 * @gen, under the lock, and x86 makes it one instruction, not three.
	 */
	mag->gen += 2;
	/* ... and myslab_cpu_unlock() releases the held byte after both. */
}

/* === The fast paths (inline in slab_alloc.c) === */

static inline void myslab_mag_count(struct myslab_magazine *mag,
				    enum myslab_cache_counter counter)
{
	mag->counters[counter]++;
}

/* The slow paths (slab_magazine.c), called with the magazine's lock held. */
void *myslab_magazine_alloc_slow(struct myslab_cache *cache,
				 struct myslab_magazine *mag, gfp_t gfp);
void myslab_magazine_free_slow(struct myslab_cache *cache,
			       struct myslab_magazine *mag);
void *myslab_magazine_alloc_again(struct myslab_cache *cache,
				  struct myslab_magazine *mag, gfp_t gfp,
				  bool hooked, void *stale);
/* The same without the magazine, whose lock this CPU could not take. */
void *myslab_magazine_alloc_direct(struct myslab_cache *cache, gfp_t gfp);
void *myslab_magazine_alloc_busy(struct myslab_cache *cache, gfp_t gfp,
				 bool hooked);
struct myslab_run;
void myslab_magazine_free_direct(struct myslab_cache *cache, void *obj,
				 struct myslab_run *run);

/*
 * The plain path: this CPU's magazine, refilled from the slabs. @hooked (a
 * constant: the plain fast path does not pay for it) clears the slot the
 * object leaves, so that kmemleak, which scans magazines, never finds a
 * stale copy of a pointer handed out, and leaves zeroing to the caller.
 */
static __always_inline void *myslab_magazine_alloc(struct myslab_cache *cache,
						   gfp_t gfp, bool hooked)
{
	struct myslab_magazine *mag;
	void *obj;

	mag = myslab_cpu_trylock(cache->mags, lock);
	if (unlikely(!mag))
		return myslab_magazine_alloc_busy(cache, gfp, hooked);
	myslab_mag_held_begin(mag);
	if (likely(mag->count)) {
		obj = mag->objs[--mag->count];
		if (hooked)
			mag->objs[mag->count] = NULL;
		if (likely(myslab_mag_take_out(cache, obj)))
			myslab_mag_count(mag, MYSLAB_CACHE_ALLOC_FAST);
		else
			obj = myslab_magazine_alloc_again(cache, mag, gfp,
							  hooked, obj);
	} else {
		obj = myslab_magazine_alloc_slow(cache, mag, gfp);
		if (likely(obj) && unlikely(!myslab_mag_take_out(cache, obj)))
			obj = myslab_magazine_alloc_again(cache, mag, gfp,
							  hooked, obj);
		else
			myslab_mag_count(mag, obj ? MYSLAB_CACHE_ALLOC_SLOW
						  : MYSLAB_CACHE_ALLOC_FAILED);
	}
	myslab_mag_held_end(mag);
	myslab_cpu_unlock(&mag->lock);
	if (likely(obj) && !hooked)
		myslab_init_on_alloc(cache, obj, gfp);
	return obj;
}

/*
 * The plain free of @obj, object @idx of @slab, checked but for being
 * handed out: mark it free and push it on this CPU's magazine in one change
 * of the magazine, so that, as in myslab_magazine_alloc(), no transit
 * window opens. Zeroed by the policy before the push, which makes it
 * reachable (by an interrupt of this CPU, once the lock is dropped).
 *
 * Return: 0; -EALREADY when it is free already (nothing changed: the caller
 * reports the double free); -EAGAIN when this CPU's magazine is taken
 * (nothing done: the caller frees by the slow road).
 */
static __always_inline int myslab_magazine_free(struct myslab_cache *cache,
						void *obj,
						struct myslab_slab *slab,
						unsigned int idx)
{
	struct myslab_magazine *mag;

	mag = myslab_cpu_trylock(cache->mags, lock);
	if (unlikely(!mag))
		return -EAGAIN;
	myslab_mag_held_begin(mag);
	if (unlikely(myslab_obj_is_free(slab, idx))) {
		myslab_mag_held_end(mag);
		myslab_cpu_unlock(&mag->lock);
		return -EALREADY;
	}
	myslab_obj_set_free(slab, idx, true);
	myslab_init_on_free(cache, obj);
	if (unlikely(mag->count >= mag->limit))
		myslab_magazine_free_slow(cache, mag);
	else
		myslab_mag_count(mag, MYSLAB_CACHE_FREE_FAST);
	mag->objs[mag->count++] = obj;
	myslab_mag_held_end(mag);
	myslab_cpu_unlock(&mag->lock);
	return 0;
}

/*
 * Push an object already marked free, its transit window open
 * (myslab_take_back()), on this CPU's magazine: the hooked and slow frees.
 */
static __always_inline void myslab_magazine_push(struct myslab_cache *cache,
						 void *obj)
{
	struct myslab_magazine *mag;

	mag = myslab_cpu_trylock(cache->mags, lock);
	if (unlikely(!mag)) {
		myslab_magazine_free_direct(cache, obj, NULL);
		return;
	}
	myslab_mag_held_begin(mag);
	if (unlikely(mag->count >= mag->limit))
		myslab_magazine_free_slow(cache, mag);
	else
		myslab_mag_count(mag, MYSLAB_CACHE_FREE_FAST);
	mag->objs[mag->count++] = obj;
	myslab_transit_add(cache, -1);
	myslab_mag_held_end(mag);
	myslab_cpu_unlock(&mag->lock);
}

/**
 * struct myslab_magazine_fill - one magazine as debugfs shows it
 * @count:	objects it holds
 * @limit:	its capacity
 * @batchcount:	objects per refill or flush
 *
 * Each read once, without the magazine's lock: a snapshot that may be a
 * moment old.
 */
struct myslab_magazine_fill {
	unsigned int count;
	unsigned int limit;
	unsigned int batchcount;
};

/**
 * struct myslab_run - what a bulk free's run holds back until it is done
 * @dispose:	slabs its frees detached (a quarantined slab they emptied)
 * @trim:	its frees left empty slabs, maybe beyond the cache's reserve
 *
 * Every pointer of a run is checked before the first is freed, and a double
 * free among them reads its slab's header again when its turn comes: so no
 * slab that the run's own frees empty (or detach) goes back to the buddy
 * before the run is done (myslab_free_run()). Another CPU's trim may still
 * give such a slab back meanwhile: the race of a double free with the last
 * free of its slab, as for a single free, but over a run.
 */
struct myslab_run {
	struct list_head dispose;
	bool trim;
};

void myslab_run_finish(struct myslab_cache *cache, struct myslab_run *run);

static inline void myslab_run_done(struct myslab_cache *cache,
				   struct myslab_run *run)
{
	if (unlikely(run->trim || !list_empty(&run->dispose)))
		myslab_run_finish(cache, run);
}

/* The object paths (slab_alloc.c) */
int myslab_magazine_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			       size_t nr, void **objs, bool hooked);
int myslab_magazine_free_bulk(struct myslab_cache *cache, void **objs,
			      size_t span, size_t *done, struct myslab_run *run);
void myslab_magazine_push_bulk(struct myslab_cache *cache, void **objs,
			       size_t span);

/*
 * The flushes of a retune and of a drain (slab_magazine_cpus.c): the @nr
 * oldest objects of a magazine to the barn, the rest back to their slabs;
 * or all straight to the slabs, keeping @keep empty ones. The magazine's
 * lock held on its CPU, or the CPU dead, inside a change of the magazine.
 */
void myslab_magazine_flush(struct myslab_cache *cache,
			   struct myslab_magazine *mag, unsigned int nr);
void myslab_magazine_flush_slabs(struct myslab_cache *cache,
				 struct myslab_magazine *mag, unsigned int nr,
				 unsigned long keep);

/*
 * Every CPU's magazine (slab_magazine_cpus.c). Creation, tuning, draining
 * (slab.c, CPU hotplug). The operations on every CPU's magazine run on each
 * online CPU in turn: process context, under the CPU hotplug lock
 * (cpus_read_lock()), held by the caller for retune and taken by the others.
 */
int myslab_magazines_create(struct myslab_cache *cache);
void myslab_magazines_destroy(struct myslab_cache *cache);
void myslab_magazines_retune(struct myslab_cache *cache, unsigned int limit,
			     unsigned int batchcount);
void myslab_cache_drain_cpu(struct myslab_cache *cache, int cpu);
void myslab_cache_drain_all(struct myslab_cache *cache);

/* Statistics (slab.c, debugfs) */
void myslab_magazines_add_counters(struct myslab_cache *cache,
				   unsigned long counters[MYSLAB_CACHE_NR_COUNTERS]);
void myslab_magazines_reset_counters(struct myslab_cache *cache);
unsigned long myslab_magazines_cached(struct myslab_cache *cache);
void myslab_magazine_fill(struct myslab_cache *cache, int cpu,
			  struct myslab_magazine_fill *fill);

/* Validation (slab_validate.c) */
unsigned long myslab_magazines_validate(struct myslab_cache *cache);
long myslab_magazines_snapshot(struct myslab_cache *cache, unsigned long *gen);
bool myslab_magazines_moved(struct myslab_cache *cache,
			    const unsigned long *gen);
long myslab_transit(struct myslab_cache *cache);

#endif /* _MYSLAB_SLAB_MAGAZINE_H */
