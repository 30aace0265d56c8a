// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: validation of a live cache (myslab_cache_validate()).
 *
 * The magazines check their own entries and generations under their locks
 * (slab_magazine_cpus.c); this file checks the slabs and the cache's counts
 * under the cache lock, then the one identity that needs a quiet instant, then
 * the region under the cache. A debug cache's red zones and poison are checked
 * by slab_debug_object.c. Types and locking rules in slab_internal.h.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/bitops.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/processor.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "slab_internal.h"
#include "slab_magazine.h"

/*
 * What validation can check while the cache is in use, and what it cannot.
 *
 * Everything but the free map is changed under a lock: slab lists, use
 * counts, list maps and free lists under the cache lock; a magazine's
 * contents under its lock. The free map is not: a free sets an object's
 * byte before the object reaches a magazine or a slab, and an allocation
 * clears it after the object left them. So, with the right locks held,
 * these are exact whatever runs meanwhile, and are checked that way:
 *   - each magazine entry (its lock and the cache lock held), and each
 *     barn entry (the cache lock held), is an object start of this cache,
 *     free byte set, list bit clear;
 *   - each healthy slab (cache lock held) is on the list its use count
 *     calls for, its list map and free list agree with the count, and
 *     every object on its free list has its free byte set (a byte that is
 *     set stays set until the object has left the free list);
 *   - the per-list slab counts, free_objects and nr_corrupted;
 *   - on a debug cache, the red zones and poison of every object on a free
 *     list (nobody can take one while the cache lock is held), and the
 *     active red zones of every other object of a healthy slab: handed
 *     out, or between the caller and the cache, its red zones were made
 *     active under the cache lock and only a free, under the same lock,
 *     makes them inactive again.
 * The one identity that needs more is the free map against the rest:
 *   free bytes == free_objects + lost_objects + objects in magazines
 *                 + objects in the barn
 * which holds only at an instant when no object is in transit (struct
 * myslab_magazine) and is checked at one validation can prove quiet,
 * holding one lock at a time, never two magazine locks (a lock per
 * possible CPU would overflow the preemption count's 8 bits of nesting on
 * big machines, and stop every CPU's fast path for the whole count):
 *   1. each magazine, with no lock: its generation, then its count;
 *   2. under the cache lock alone: the transit sum, the free bytes of every
 *      slab, the transit sum again, free_objects, lost_objects and the
 *      barn's count;
 *   3. each magazine, with no lock: its generation again.
 * A magazine's generation is a sequence count: every path that may change its
 * count or contents makes it odd before the change and even again after it
 * (myslab_mag_begin() and myslab_mag_end(), on the magazine's CPU under its
 * lock, or on a dead CPU), with the stores of the change ordered between, as a
 * seqcount's writer does; steps 1 and 3 read it as a seqcount's reader does,
 * from the validating CPU. Without PREEMPT_RT the object paths save one of the
 * two stores: their whole section is marked by the magazine lock's held byte,
 * which steps 1 and 3 read too (after the generation at step 1, before it at
 * step 3), and the generation moves by 2 at the end of the change, before the
 * byte is released (myslab_mag_held_begin()). An odd generation or a held byte
 * at step 1 is a change under way: the try is busy; a held byte at step 3
 * counts as a moved generation. A generation even at step 1 and the same at
 * step 3, with the byte clear at both, means no change of that magazine that
 * these readings saw any store of was under way in between (a change under the
 * lock sets the byte before its first store, and releases it only after moving
 * the generation), so the count read at step 1 is the count throughout step 2,
 * exactly as when both steps held the magazine's lock. A magazine's lock is
 * taken only on its own CPU (slab_magazine.h), so the entry checks run on each
 * online CPU in turn (smp_call_on_cpu()) under the CPU hotplug lock; steps 1
 * and 3 need neither, and so add no wait to the interval a quiet instant must
 * fill. An allocation or free that finds its magazine's lock taken goes to the
 * slabs under the cache lock, as a debug cache's does, and changes no magazine.
 * The plain alloc and free, single and bulk, change every free byte they change
 * inside their magazine's change, and so open no window at all: during step 2
 * their magazine's generation moves, or its lock is seen held. A plain bulk
 * free runs its lock-free checks first and marks each object free only inside
 * that change, where a double free is found (and the change ends without
 * touching that object's byte or anything else of it). When every generation is
 * unchanged, no magazine changed from its step 1 to its step 3, an interval
 * that contains all of step 2: the counts of step 1 are the counts throughout
 * step 2, and no object entered or left a magazine then. The cache lock keeps
 * the slabs' lists, free lists, free_objects, lost_objects and the barn still
 * (an object enters or leaves the barn under that lock, and only inside a
 * magazine's change, from or to a slab, or out to a direct allocation that
 * opens its transit window in the same hold: slab_barn.h). So during step 2
 * only what needs no lock can happen: a free opening its window and then
 * setting its byte, an allocation clearing its byte and then closing its
 * window. Every other end of a window is inside a magazine's change (then its
 * generation moved) or under the cache lock (held): an allocation's window open
 * during step 2 opened before it, and a free's window opened during step 2 is
 * still open after it. A window adds 1 to a reading of the transit sum while it
 * is open and 0 otherwise, except that a reading goes CPU by CPU: a window that
 * opens and closes while one reading runs, its +1 on a CPU already read and its
 * -1 on a CPU not yet read, adds -1. That takes an open and a close without a
 * lock, which only a double free's window on the hooked and fallback paths has
 * (the plain paths open none), and it opens and closes on one CPU. So no window
 * adds less than 0, and a window that touched the count adds 1 to one of the
 * readings: an allocation whose byte the count saw set was open at the first, a
 * free whose byte the count saw set was open at the second. Two zero readings
 * prove the count exact. A busy cache may never offer such an instant: after
 * MYSLAB_VALIDATE_TRIES the identity is left unchecked and validation says so
 * (-EBUSY) rather than guess.
 *
 * Interrupts are off on a magazine's CPU while the cache lock is held for
 * its entries (its fast path meanwhile waits, or, from an interrupt, goes
 * to the slabs and waits for the cache lock), then for the slabs under the
 * cache lock: the per-slab checks and the free-byte count
 * are O(objects of the cache) and O(slabs) with interrupts off on the
 * validating CPU. Only that CPU, and any other CPU that needs the cache
 * lock meanwhile (a refill, a flush, a debug cache's alloc or free), wait;
 * the fast paths of the others do not. Cutting the walk into bounded holds
 * would need a cursor that survives the lock being dropped, which the
 * slab lists do not offer today: slabs move between them, and are detached
 * and given back, with no generation to tell.
 *
 * A repair writes only what the allocator owns and what no one else can
 * change meanwhile: the poison and inactive red zones of an object on a
 * free list, and the active red zones (never the bytes) of any other
 * object. Validation never writes an object's own bytes while it is
 * handed out or in transit.
 */

/* Tries at a quiet instant for the free-map identity. */
#define MYSLAB_VALIDATE_TRIES	16
/* Polls of the transit count before a try. */
#define MYSLAB_VALIDATE_POLLS	1000

/*
 * Objects on the free list of a healthy slab whose free byte is clear. A free
 * byte is cleared only once its object has left the free list, and the list
 * map changes only under the cache lock, so this is exact at any time.
 */
static unsigned int myslab_listed_not_free(struct myslab_cache *cache,
					   struct myslab_slab *slab)
	__must_hold(&cache->lock)
{
	const unsigned long *list = myslab_slab_list_map(cache, slab);
	unsigned int i, n = 0;

	for_each_set_bit(i, list, cache->objs_per_slab)
		n += !myslab_obj_is_free(slab, i);
	return n;
}

static unsigned long myslab_validate_slab(struct myslab_cache *cache,
					  struct myslab_slab *slab, int l,
					  unsigned long *free_objects)
	__must_hold(&cache->lock)
{
	unsigned int n = cache->objs_per_slab, want_list, listed, walked, bad;
	unsigned long off = myslab_region_offset(cache, slab);
	unsigned long problems = 0;
	bool meta;

	if (slab->cache != cache ||
	    myslab_slab_owner(cache->region, slab) != cache ||
	    slab->list_id != l) {
		myslab_invalid(cache, "slab at region offset %#lx: wrong owner or list", off);
		problems++;
	}
	if (slab->corrupted)
		return problems + (l != MYSLAB_LIST_FULL);
	if (slab->inuse > n) {
		myslab_invalid(cache, "slab at region offset %#lx: inuse %u > %u",
			       off, slab->inuse, n);
		return problems + 1;
	}
	want_list = !slab->inuse ? MYSLAB_LIST_EMPTY :
		    slab->inuse == n ? MYSLAB_LIST_FULL : MYSLAB_LIST_PARTIAL;
	listed = myslab_bits_weight(myslab_slab_list_map(cache, slab), n);
	meta = myslab_meta_begin(cache);
	walked = myslab_freelist_walk(cache, slab, false, NULL);
	myslab_meta_end(meta);
	bad = myslab_listed_not_free(cache, slab);
	if (want_list != l || listed != n - slab->inuse ||
	    walked != n - slab->inuse) {
		if (walked == UINT_MAX)
			myslab_invalid(cache,
				       "slab at region offset %#lx: inuse %u, list %d, %u listed, free list broken",
				       off, slab->inuse, l, listed);
		else
			myslab_invalid(cache,
				       "slab at region offset %#lx: inuse %u, list %d, %u listed, %u linked",
				       off, slab->inuse, l, listed, walked);
		problems++;
	} else if (bad) {
		myslab_invalid(cache,
			       "slab at region offset %#lx: %u objects on its free list are marked handed out",
			       off, bad);
		problems++;
	} else if (cache->debug) {
		/* Red zones and poison only on a slab whose maps add up. */
		problems += myslab_debug_validate_slab(cache, slab);
	}
	*free_objects += n - slab->inuse;
	return problems;
}

/* Every slab and the cache's counts, under the cache lock: exact. */
static unsigned long myslab_validate_slabs(struct myslab_cache *cache)
{
	unsigned long counted[MYSLAB_NR_LISTS] = { 0 }, corrupted = 0;
	unsigned long problems = 0, free_objects = 0, flags;
	struct myslab_slab *slab;
	int l;

	spin_lock_irqsave(&cache->lock, flags);
	for (l = 0; l < MYSLAB_NR_LISTS; l++) {
		list_for_each_entry(slab, &cache->lists[l], list) {
			counted[l]++;
			corrupted += slab->corrupted;
			problems += myslab_validate_slab(cache, slab, l,
							 &free_objects);
		}
		if (counted[l] != cache->nr_slabs[l]) {
			myslab_invalid(cache, "list %d holds %lu slabs, counted %lu",
				       l, counted[l], cache->nr_slabs[l]);
			problems++;
		}
	}
	if (corrupted != cache->nr_corrupted ||
	    free_objects != cache->free_objects) {
		myslab_invalid(cache,
			       "%lu free objects on free lists, counted %lu; %lu/%lu corrupted",
			       free_objects, cache->free_objects, corrupted,
			       cache->nr_corrupted);
		problems++;
	}
	spin_unlock_irqrestore(&cache->lock, flags);
	return problems;
}

/*
 * One try at the free-map identity, one lock at a time (steps 1 to 3 of
 * "What validation can check" above), @gen room for every possible CPU's
 * magazine generation: 0 when it holds, 1 when it does not (reported),
 * -EBUSY when the cache was not quiet.
 */
static int myslab_validate_free_map(struct myslab_cache *cache,
				    unsigned long *gen)
{
	unsigned long flags, free_bytes = 0, free_objects, lost;
	struct myslab_slab *slab;
	int l, ret = 0;
	long cached;

	cached = myslab_magazines_snapshot(cache, gen);
	if (cached < 0)
		return cached;

	spin_lock_irqsave(&cache->lock, flags);
	if (myslab_transit(cache)) {
		ret = -EBUSY;
		goto unlock;
	}
	/* A window closed before that reading cleared its byte before it. */
	smp_rmb();
	for (l = 0; l < MYSLAB_NR_LISTS; l++)
		list_for_each_entry(slab, &cache->lists[l], list)
			free_bytes += myslab_free_weight(cache, slab);
	/* A window whose byte was counted was opened before this reading. */
	smp_rmb();
	if (myslab_transit(cache))
		ret = -EBUSY;
	free_objects = cache->free_objects;
	lost = cache->lost_objects;
	/* Exact here: the barn changes under this lock (slab_barn.h). */
	cached += cache->barn.count;
unlock:
	spin_unlock_irqrestore(&cache->lock, flags);
	if (ret)
		return ret;
	if (myslab_magazines_moved(cache, gen))
		return -EBUSY;

	if (free_bytes != free_objects + lost + (unsigned long)cached) {
		myslab_invalid(cache, "%lu free bytes, %lu free + %lu lost + %lu cached",
			       free_bytes, free_objects, lost, cached);
		return 1;
	}
	return 0;
}

/*
 * The free-map identity at a quiet instant, if one comes soon enough: 0,
 * 1, -EBUSY, or -ENOMEM.
 */
static int myslab_validate_quiet(struct myslab_cache *cache)
{
	unsigned int try, poll;
	unsigned long *gen;
	int ret = -EBUSY;

	gen = kcalloc(nr_cpu_ids, sizeof(*gen), GFP_KERNEL);
	if (!gen)
		return -ENOMEM;
	for (try = 0; try < MYSLAB_VALIDATE_TRIES && ret == -EBUSY; try++) {
		poll = 0;
		while (myslab_transit(cache) && poll++ < MYSLAB_VALIDATE_POLLS)
			cpu_relax();
		ret = myslab_validate_free_map(cache, gen);
		if (ret == -EBUSY)
			cond_resched();
	}
	kfree(gen);
	return ret;
}

/**
 * myslab_cache_validate() - check a cache, its slabs and its region
 * @cache: the cache; it may be in use meanwhile
 *
 * Walks every magazine and every slab: list membership against each slab's
 * use count, both maps against the free list (whose every link is decoded
 * and checked), the per-list counts, and the identities written beside
 * struct myslab_cache. On a cache with red zones or poison, the red zones of
 * every object (active, or inactive on a free list) and the poison of every
 * object on a free list: damage is reported, counted and repaired (only
 * bytes the allocator owns: never an object's own bytes while it is handed
 * out). Last, the region's buddy allocator (myslab_region_check()), whose
 * findings count as well. Each inconsistency is reported once and counted
 * in err_inconsistent (damage in err_redzone and err_poison).
 *
 * Allocations and frees may run meanwhile: every check is made under the
 * locks that make it exact (see "What validation can check" above),
 * holding at most one magazine lock at a time, so a busy cache never yields
 * a false report, and a CPU's fast path waits at most for the check of its
 * own magazine, never for the slabs (only a refill or a flush, which takes
 * the cache lock, may). The one whole-cache count that needs a quiet
 * instant (free bytes against free, lost and cached objects) is made at the
 * first instant validation can prove quiet; when a busy cache offers none
 * within a few tries, that count, or the region's like it
 * (myslab_region_check()), is left unchecked and the result is -EBUSY
 * instead of 0. Validate again when the cache is quiet for a complete
 * check.
 *
 * Context: process context; may sleep. Each magazine is checked on its own
 * CPU (smp_call_on_cpu()), under the CPU hotplug lock; interrupts are off
 * on the validating CPU while the cache's slabs are checked.
 * Return: the number of problems found (0 for a healthy cache); or, when
 * none was found but a count was left unchecked, -EBUSY (the cache or its
 * region was busy) or -ENOMEM (no memory for the count's bookkeeping). The
 * last number of problems is kept for debugfs; an error leaves it as it was.
 */
long myslab_cache_validate(struct myslab_cache *cache)
{
	unsigned long problems;
	int quiet, region;

	might_sleep();
	cpus_read_lock();
	problems = myslab_magazines_validate(cache);
	cpus_read_unlock();
	problems += myslab_barn_validate(cache);
	problems += myslab_validate_slabs(cache);
	quiet = myslab_validate_quiet(cache);
	if (quiet > 0)
		problems += quiet;
	region = myslab_region_check(cache->region);
	if (region > 0)
		problems += region;
	if (!problems && (quiet == -EBUSY || region == -EBUSY))
		return -EBUSY;
	if (!problems && (quiet == -ENOMEM || region == -ENOMEM))
		return -ENOMEM;
	WRITE_ONCE(cache->last_validate, problems);
	return problems;
}
EXPORT_SYMBOL_GPL(myslab_cache_validate);
