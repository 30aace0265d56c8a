// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: the object paths, the public alloc, free and bulk API.
 *
 *   alloc  pop the newest object of this CPU's magazine (slab_magazine.c),
 *          which refills from the slab lists when it is empty
 *   free   check the pointer (owner cache, object start, not already free),
 *          push it on this CPU's magazine, which flushes to the slab lists
 *          when it is full
 *   bulk   alloc: as many pops and refills as needed under one hold of the
 *          magazine lock; free: every pointer checked first, without a
 *          lock, then those that passed marked free and pushed under one
 *          hold
 *   zero   what myslab_cache_usable_size() reports, as __GFP_ZERO and the
 *          kernel's init_on_alloc and init_on_free ask, by SLUB's rules
 *
 * Calls go down only: to the magazines (slab_magazine.h), to the debug
 * paths (slab_debug.c), to the buddy allocator for the owner of a pointer;
 * nothing here touches a magazine or a slab list itself. The maps' rules:
 * slab_internal.h; the lock order: kmod/DESIGN.md.
 *
 * What is caught where:
 *   every free      pointer outside the region (-EFAULT), not in a slab or
 *                   not at an object start (-EINVAL), object of another cache
 *                   (-EXDEV) or of a destroyed one (-ESTALE), already free
 *                   (-EALREADY, by the free map, so a double free is
 *                   caught whether the first free went to a magazine or to
 *                   the slab; two frees of one object that overlap in time,
 *                   one of them plain, can both pass, see slab_internal.h)
 *   every refill    a free-list link that does not decode to NULL or to an
 *                   object of the same slab that is on its free list; the
 *                   slab is then quarantined, never followed further
 *   validation      everything else: myslab_cache_validate()
 *   debug caches    red zones, poison and the slab's whole free list on
 *                   every alloc and free (slab_debug.c)
 *
 * The fast paths test one word, cache->hooks: zero is the plain magazine
 * path; anything else (debug options, fault injection, kmemleak, KASAN)
 * takes a named, out-of-line path that wraps or replaces it.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "slab_internal.h"
#include "slab_magazine.h"

/* === Allocation === */

/* Fault injection for a MYSLAB_HOOK_FAILSLAB cache: fail this allocation? */
static bool myslab_inject_failure(struct myslab_cache *cache, unsigned int hooks,
				  gfp_t gfp)
{
	if (!(hooks & MYSLAB_HOOK_FAILSLAB) || (gfp & __GFP_NOFAIL) ||
	    !myslab_slab_ops || !myslab_slab_ops->should_fail(cache, gfp))
		return false;
	myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_FAILED);
	myslab_cache_count(cache, MYSLAB_CACHE_FAULTS_INJECTED);
	return true;
}

/* The object is the caller's now: tell the detectors, then zero it. */
static void myslab_alloc_hooks(struct myslab_cache *cache, unsigned int hooks,
			       void *obj, gfp_t gfp)
{
	if (hooks & (MYSLAB_HOOK_KMEMLEAK | MYSLAB_HOOK_KASAN))
		myslab_slab_ops->object_alloc(cache, obj, gfp);
	myslab_init_on_alloc(cache, obj, gfp);
}

/*
 * Allocation for a cache with hooks: fault injection first, then the debug
 * path or the plain one (zeroing left until the detectors have been told,
 * so that KASAN sees the object accessible before it is written).
 */
static noinline void *myslab_alloc_hooked(struct myslab_cache *cache,
					  gfp_t gfp, unsigned long caller)
{
	unsigned int hooks = READ_ONCE(cache->hooks);
	void *obj;

	might_sleep_if(gfpflags_allow_blocking(gfp));
	if (myslab_inject_failure(cache, hooks, gfp))
		return NULL;
	if (hooks & MYSLAB_HOOK_DEBUG)
		obj = myslab_debug_alloc(cache, gfp, caller);
	else
		obj = myslab_magazine_alloc(cache, gfp, true);
	if (likely(obj))
		myslab_alloc_hooks(cache, hooks, obj, gfp);
	return obj;
}

static __always_inline void *myslab_alloc(struct myslab_cache *cache,
					  gfp_t gfp, unsigned long caller)
{
	if (unlikely(READ_ONCE(cache->hooks)))
		return myslab_alloc_hooked(cache, gfp, caller);
	might_sleep_if(gfpflags_allow_blocking(gfp));
	return myslab_magazine_alloc(cache, gfp, false);
}

/* myslab_cache_alloc() on behalf of @caller (size classes, kmalloc). */
void *myslab_cache_alloc_caller(struct myslab_cache *cache, gfp_t gfp,
				unsigned long caller)
{
	return myslab_alloc(cache, gfp, caller);
}

/**
 * myslab_cache_alloc() - allocate an object
 * @cache: the cache
 * @gfp: allocation flags; __GFP_ZERO zeroes the object's whole usable size
 *	(myslab_cache_usable_size())
 *
 * Zeroing follows the kernel's policy as SLUB does: with init_on_alloc
 * every object is zeroed, __GFP_ZERO or not, except that a cache with a
 * constructor is then never zeroed and a poisoned (P) cache only for
 * __GFP_ZERO; without it, __GFP_ZERO zeroes any cache's object (for a
 * cache with a constructor, that discards the constructed state, as SLUB
 * does). With init_on_free, an object is zeroed when freed (not on a cache
 * with a constructor or poison) and comes back out zeroed.
 *
 * Context: never sleeps, but a @gfp that allows blocking asserts, as for
 * kmalloc(), that the caller could (might_sleep()); with GFP_ATOMIC or
 * GFP_NOWAIT, any context but NMI, hard interrupts and interrupts disabled
 * included. With PREEMPT_RT, as kmalloc()
 * there, only where a spinlock_t may be taken: not in hard interrupt
 * context, nor with a raw_spinlock_t held or interrupts or preemption
 * disabled (see <myslab/slab.h>).
 *
 * Return: an object aligned to the cache's alignment, in constructed state
 * when the cache has a constructor; NULL when the region is exhausted (or a
 * failure was injected, see MYSLAB_FAILSLAB). __GFP_NOFAIL keeps fault
 * injection away but cannot make a full region grow: the allocation then
 * returns NULL too, and the region reports it (myslab_alloc_pages()).
 */
void *myslab_cache_alloc(struct myslab_cache *cache, gfp_t gfp)
{
	return myslab_alloc(cache, gfp, MYSLAB_RET_IP);
}
EXPORT_SYMBOL_GPL(myslab_cache_alloc);

/* === Checking a pointer handed back === */

static int myslab_bad_free(struct myslab_cache *cache, const void *obj,
			   const void *owner)
{
	struct myslab_region *region = cache->region;
	const struct myslab_cache *other = owner;

	if (owner == cache) {
		myslab_cache_count(cache, MYSLAB_CACHE_ERR_WRONG_CACHE);
		myslab_report(cache,
			      "free of object at region offset %#lx after the cache was destroyed",
			      myslab_region_offset(cache, obj));
		return -ESTALE;
	}
	if (other) {
		myslab_cache_count(cache, MYSLAB_CACHE_ERR_WRONG_CACHE);
		myslab_report(cache,
			      "free of object at region offset %#lx that belongs to cache %s",
			      myslab_region_offset(cache, obj), other->name);
		return -EXDEV;
	}
	if (!myslab_region_contains(region, obj)) {
		myslab_cache_count(cache, MYSLAB_CACHE_ERR_OUTSIDE);
		myslab_report(cache, "free of %p: outside region %s",
			      obj, myslab_region_name(region));
		return -EFAULT;
	}
	myslab_cache_count(cache, MYSLAB_CACHE_ERR_NOT_OBJECT);
	myslab_report(cache, "free of region offset %#lx: not in a slab",
		      myslab_region_offset(cache, obj));
	return -EINVAL;
}

/* The rest of myslab_check_free(), once @obj is known to be in a slab of ours. */
static __always_inline int myslab_check_start(struct myslab_cache *cache,
					      const void *obj,
					      struct myslab_slab **slab,
					      unsigned int *idx)
{
	*slab = myslab_slab_of(cache, obj);
	if (unlikely(!myslab_slab_index(cache, *slab, obj, idx))) {
		myslab_cache_count(cache, MYSLAB_CACHE_ERR_NOT_OBJECT);
		myslab_report(cache,
			      "free of region offset %#lx: inside a slab but not at an object start (slot size %u)",
			      myslab_region_offset(cache, obj), cache->slot_size);
		return -EINVAL;
	}
	return 0;
}

/*
 * Check that @obj, which lies in a block of @owner (myslab_slab_owner(),
 * looked up once per free by the caller), is the start of an object of
 * @cache, a live one, and find its slab and index. Whether it is handed
 * out is the free byte's to say, when the free sets it.
 */
static __always_inline int myslab_check_free(struct myslab_cache *cache,
					     const void *obj, const void *owner,
					     struct myslab_slab **slab,
					     unsigned int *idx)
{
	/* Never 0: the compiler must see *slab and *idx set when it is. */
	if (unlikely(owner != cache || READ_ONCE(cache->dead)))
		return myslab_bad_free(cache, obj, owner) ?: -EINVAL;
	return myslab_check_start(cache, obj, slab, idx);
}

static noinline int myslab_double_free(struct myslab_cache *cache,
				       const void *obj)
{
	myslab_cache_count(cache, MYSLAB_CACHE_ERR_DOUBLE_FREE);
	myslab_report_object(cache, obj, "double free");
	return -EALREADY;
}

/*
 * Mark @obj, object @idx of @slab, free (atomically: of two racing frees of
 * one object, exactly one wins), outside any magazine: the hooked and
 * slow frees, single and bulk, which put it somewhere later.
 *
 * The transit window opens before the free byte is set. When the byte was
 * set already (a double free), the window closes again at once, without
 * any lock: preemption stays off in between so that both happen on one
 * CPU. Otherwise the +1 could land on one CPU's count and the -1 on
 * another's, and validation, which reads the CPUs' counts one after the
 * other, could see the -1 without the +1: it would cancel another window's
 * +1, and a busy instant would read as a quiet one (see "What validation
 * can check" in slab_validate.c).
 */
static __always_inline int myslab_mark_free(struct myslab_cache *cache,
					    const void *obj,
					    struct myslab_slab *slab,
					    unsigned int idx)
{
	preempt_disable();
	myslab_transit_add(cache, 1);
	if (unlikely(myslab_obj_test_and_set_free(slab, idx))) {
		myslab_transit_add(cache, -1);
		preempt_enable();
		return myslab_double_free(cache, obj);
	}
	preempt_enable();
	return 0;
}

/* Check @obj and mark it free, as one step (hooked bulk free). */
static __always_inline int myslab_take_back(struct myslab_cache *cache,
					    const void *obj, const void *owner)
{
	struct myslab_slab *slab;
	unsigned int idx;
	int err;

	err = myslab_check_free(cache, obj, owner, &slab, &idx);
	if (unlikely(err))
		return err;
	return myslab_mark_free(cache, obj, slab, idx);
}

/* === Free === */

/*
 * Free for a cache with hooks: the detectors first (the object is no longer
 * the caller's, and no allocation can reach it yet), then the debug path or
 * this CPU's magazine.
 */
static noinline void myslab_free_hooked(struct myslab_cache *cache, void *obj,
					unsigned long caller)
{
	unsigned int hooks = READ_ONCE(cache->hooks);

	if (hooks & (MYSLAB_HOOK_KMEMLEAK | MYSLAB_HOOK_KASAN))
		myslab_slab_ops->object_free(cache, obj);
	if (hooks & MYSLAB_HOOK_DEBUG)
		myslab_debug_free(cache, obj, caller);
	else
		myslab_magazine_push(cache, obj);
}

/* Free @obj, a pointer into a slab of @cache, a live cache. */
static __always_inline int myslab_free_live(struct myslab_cache *cache,
					    void *obj, unsigned long caller)
{
	struct myslab_slab *slab;
	unsigned int idx;
	int err;

	err = myslab_check_start(cache, obj, &slab, &idx);
	if (unlikely(err))
		return err;
	if (likely(!READ_ONCE(cache->hooks))) {
		err = myslab_magazine_free(cache, obj, slab, idx);
		if (likely(!err))
			return 0;
		if (err == -EALREADY)
			return myslab_double_free(cache, obj);
		/* -EAGAIN: this CPU's magazine is taken; the slow road. */
	}
	err = myslab_mark_free(cache, obj, slab, idx);
	if (unlikely(err))
		return err;
	myslab_init_on_free(cache, obj);
	if (unlikely(READ_ONCE(cache->hooks)))
		myslab_free_hooked(cache, obj, caller);
	else
		myslab_magazine_free_direct(cache, obj, NULL);
	return 0;
}

/* Free @obj, a pointer into a block of @owner (which may not be @cache). */
static __always_inline int myslab_free_owned(struct myslab_cache *cache,
					     void *obj, const void *owner,
					     unsigned long caller)
{
	if (unlikely(owner != cache || READ_ONCE(cache->dead)))
		return myslab_bad_free(cache, obj, owner) ?: -EINVAL;
	return myslab_free_live(cache, obj, caller);
}

static __always_inline int myslab_free(struct myslab_cache *cache, void *obj,
				       unsigned long caller)
{
	if (unlikely(!obj))
		return 0;
	return myslab_free_owned(cache, obj,
				 myslab_slab_owner(cache->region, obj), caller);
}

/* myslab_cache_free() on behalf of @caller (size classes, kfree). */
int myslab_cache_free_caller(struct myslab_cache *cache, void *obj,
			     unsigned long caller)
{
	return myslab_free(cache, obj, caller);
}

/**
 * myslab_cache_free() - free an object
 * @cache: the cache it was allocated from
 * @obj: the object, or NULL (nothing happens)
 *
 * The object must be in its constructed state if the cache has a
 * constructor.
 *
 * Context: never sleeps; any context but NMI, hard interrupts and
 * interrupts disabled included. With PREEMPT_RT, as kmalloc() there, only
 * where a spinlock_t may be taken: not in hard interrupt context, nor with
 * a raw_spinlock_t held or interrupts or preemption disabled (see
 * <myslab/slab.h>).
 *
 * On a debug cache the object's red zones are checked first: an overwritten
 * one is reported, counted and restored, and the free goes on.
 *
 * Return: 0, or a negative errno for a refused free (see <myslab/slab.h>):
 * the misuse is reported and counted, and nothing changes.
 */
int myslab_cache_free(struct myslab_cache *cache, void *obj)
{
	return myslab_free(cache, obj, MYSLAB_RET_IP);
}
EXPORT_SYMBOL_GPL(myslab_cache_free);

/*
 * Free @obj, a pointer into @region, on behalf of size set @sizes when it
 * lies in a slab: look its owner up once and refuse an object of another
 * set's (or a destroyed) cache. The lookup is here, not in the set's inline
 * free, so that myslab_kfree() keeps no stack frame around it.
 *
 * Return: 0 or a negative errno as myslab_cache_free();
 * MYSLAB_NOT_IN_SLAB when @obj is in no slab, with nothing reported,
 * counted or changed (a large block, or the set's to refuse).
 */
int myslab_slab_free_sized(struct myslab_region *region, void *obj,
			   const struct myslab_sizes *sizes,
			   unsigned long caller)
{
	struct myslab_cache *cache = myslab_slab_owner(region, obj);

	if (!cache)
		return MYSLAB_NOT_IN_SLAB;
	if (unlikely(READ_ONCE(cache->dead)))
		return myslab_bad_free(cache, obj, cache);
	if (unlikely(READ_ONCE(cache->sizes) != sizes)) {
		myslab_cache_count(cache, MYSLAB_CACHE_ERR_WRONG_CACHE);
		myslab_report(cache,
			      "free of object at region offset %#lx through another size set",
			      myslab_region_offset(cache, obj));
		return -EXDEV;
	}
	return myslab_free_live(cache, obj, caller);
}

/* === Bulk === */

static noinline int myslab_alloc_bulk_hooked(struct myslab_cache *cache,
					     gfp_t gfp, size_t nr, void **objs,
					     unsigned long caller)
{
	unsigned int hooks = READ_ONCE(cache->hooks);
	size_t i;
	int done;

	if (myslab_inject_failure(cache, hooks, gfp))
		return 0;
	if (hooks & MYSLAB_HOOK_DEBUG)
		done = myslab_debug_alloc_bulk(cache, gfp, nr, objs, caller);
	else
		done = myslab_magazine_alloc_bulk(cache, gfp, nr, objs, true);
	for (i = 0; i < (size_t)done; i++)
		myslab_alloc_hooks(cache, hooks, objs[i], gfp);
	return done;
}

/**
 * myslab_cache_alloc_bulk() - allocate several objects, all or nothing
 * @cache: the cache
 * @gfp: allocation flags, as for myslab_cache_alloc()
 * @nr: number of objects wanted
 * @objs: array of at least @nr pointers, filled on success
 *
 * Takes the objects under one magazine lock, refilling as needed. When the
 * region cannot provide them all, every object taken goes back and nothing
 * is handed out. Each object is zeroed as myslab_cache_alloc() zeroes one.
 *
 * Context: as myslab_cache_alloc().
 * Return: @nr on success, 0 on failure (the contents of @objs are then
 * undefined).
 */
int myslab_cache_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			    size_t nr, void **objs)
{
	might_sleep_if(gfpflags_allow_blocking(gfp));
	if (!nr)
		return 0;
	if (unlikely(READ_ONCE(cache->hooks)))
		return myslab_alloc_bulk_hooked(cache, gfp, nr, objs,
						MYSLAB_RET_IP);
	return myslab_magazine_alloc_bulk(cache, gfp, nr, objs, false);
}
EXPORT_SYMBOL_GPL(myslab_cache_alloc_bulk);

/*
 * A bulk free for a cache with hooks: each object checked and marked free
 * (its transit window open), zeroed and shown to the detectors without any
 * lock, then the run pushed under one hold of the magazine lock, which
 * closes the windows. A debug cache frees one object at a time, checked
 * under its cache lock; so does a destroyed cache, whose magazines are gone:
 * each object is refused.
 */
static noinline void myslab_free_bulk_slow(struct myslab_cache *cache,
					   unsigned int hooks, size_t nr,
					   void **objs, unsigned long caller)
{
	size_t i, start = 0;
	void *obj;

	if ((hooks & MYSLAB_HOOK_DEBUG) || READ_ONCE(cache->dead)) {
		for (i = 0; i < nr; i++)
			myslab_free(cache, objs[i], caller);
		return;
	}
	for (i = 0; i < nr; i++) {
		obj = objs[i];
		if (obj) {
			if (unlikely(myslab_take_back(cache, obj,
						      myslab_slab_owner(cache->region, obj)))) {
				/* Reported and counted: free the run before it. */
				myslab_magazine_push_bulk(cache, objs + start, i - start);
				start = i + 1;
				continue;
			}
			myslab_init_on_free(cache, obj);
			if (hooks & (MYSLAB_HOOK_KMEMLEAK | MYSLAB_HOOK_KASAN))
				myslab_slab_ops->object_free(cache, obj);
		}
		/* NULL entries count too: one hold walks at most this many. */
		if (unlikely(i + 1 - start == MYSLAB_MAGAZINE_MAX)) {
			myslab_magazine_push_bulk(cache, objs + start, i + 1 - start);
			start = i + 1;
		}
	}
	myslab_magazine_push_bulk(cache, objs + start, nr - start);
}

/*
 * This CPU's magazine is taken: each object of a checked run marked free
 * (a double free reported and counted), zeroed and put straight back on
 * its slab, as myslab_free_owned() does one.
 */
static noinline void myslab_free_run_direct(struct myslab_cache *cache,
					    void **objs, size_t span,
					    struct myslab_run *run)
{
	struct myslab_slab *slab;
	size_t i;
	void *obj;

	for (i = 0; i < span; i++) {
		obj = objs[i];
		if (!obj)
			continue;
		slab = myslab_slab_of(cache, obj);
		if (myslab_mark_free(cache, obj, slab,
				     myslab_obj_index_of(cache, slab, obj)))
			continue;
		myslab_init_on_free(cache, obj);
		myslab_magazine_free_direct(cache, obj, run);
	}
}

/*
 * Free a run of checked objects (NULL entries skipped) on the plain path:
 * in one change of this CPU's magazine, broken only where an object turns
 * out to be free already (reported and counted, the others still freed).
 * No slab the run's frees empty goes back before the run is done (struct
 * myslab_run).
 */
static void myslab_free_run(struct myslab_cache *cache, void **objs,
			    size_t span)
{
	struct myslab_run run = { .dispose = LIST_HEAD_INIT(run.dispose) };
	size_t done;
	int err;

	while (span) {
		err = myslab_magazine_free_bulk(cache, objs, span, &done, &run);
		if (likely(!err))
			break;
		if (err == -EAGAIN) {
			myslab_free_run_direct(cache, objs, span, &run);
			break;
		}
		/* -EALREADY: @objs[done] was free; those before it are freed. */
		myslab_double_free(cache, objs[done]);
		objs += done + 1;
		span -= done + 1;
	}
	myslab_run_done(cache, &run);
}

/**
 * myslab_cache_free_bulk() - free several objects
 * @cache: the cache they were allocated from
 * @nr: number of objects
 * @objs: the objects; NULL entries are skipped
 *
 * Each object is checked as by myslab_cache_free(); a refused one is
 * reported and counted, and the others are still freed. @objs is not
 * written to.
 *
 * The checks run first, without any lock; the objects that pass then go to
 * this CPU's magazine under one hold of its lock for up to
 * MYSLAB_MAGAZINE_MAX objects at a time (so preemption, with PREEMPT_RT
 * migration, is off for a bounded time whatever @nr), a refused object
 * ending the run before it. Whether an object is free already is known only
 * when it is marked free, under that hold: a double free found then ends
 * the hold, is reported, and the run goes on after it. A debug cache frees
 * one object at a time, checked under its cache lock.
 *
 * Context: as myslab_cache_free().
 */
void myslab_cache_free_bulk(struct myslab_cache *cache, size_t nr,
			    void **objs)
{
	unsigned int hooks = READ_ONCE(cache->hooks);
	struct myslab_slab *slab, *checked = NULL;
	size_t i, start, end;
	const void *owner;
	unsigned int idx;
	void *obj;

	/*
	 * A destroyed cache refuses each object as myslab_free() does. Read
	 * once: a cache destroyed while a free of its objects runs is the
	 * caller's bug, which no per-object reading would close either.
	 */
	if (unlikely(hooks || READ_ONCE(cache->dead))) {
		myslab_free_bulk_slow(cache, hooks, nr, objs, MYSLAB_RET_IP);
		return;
	}
	for (start = 0; start < nr; start = end) {
		/* NULL entries count too: one hold walks at most this many. */
		end = min_t(size_t, nr, start + MYSLAB_MAGAZINE_MAX);
		for (i = start; i < end; i++) {
			obj = objs[i];
			if (!obj)
				continue;
			/*
			 * In the block of the slab whose object passed last
			 * in this run of checks: ours, as long as that object
			 * is handed out (nothing of this call has freed it
			 * yet). Objects of a batch mostly share slabs, as
			 * SLUB's bulk free counts on: one owner lookup per
			 * slab, not per object. A double free among them
			 * widens the window of a race with the slab's last
			 * free on another CPU from one lookup to a run: the
			 * caller's bug either way.
			 */
			if (checked &&
			    !(((unsigned long)obj - (unsigned long)checked) &
			      cache->slab_mask))
				owner = cache;
			else
				owner = myslab_slab_owner(cache->region, obj);
			if (likely(owner == cache &&
				   !myslab_check_start(cache, obj, &slab, &idx))) {
				checked = slab;
				continue;
			}
			if (owner != cache)
				myslab_bad_free(cache, obj, owner);
			/*
			 * Reported and counted: free the run before it, which
			 * may give slabs back, so look owners up afresh.
			 */
			myslab_free_run(cache, objs + start, i - start);
			start = i + 1;
			checked = NULL;
		}
		myslab_free_run(cache, objs + start, end - start);
		checked = NULL;
	}
}
EXPORT_SYMBOL_GPL(myslab_cache_free_bulk);
