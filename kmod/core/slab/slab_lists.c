// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: the slabs, and the cache's lists of them.
 *
 *   one slab     its free list (links encoded, every link checked before it
 *                is followed), its free map and list map; populating a new
 *                slab; taking an object off its free list and putting one
 *                back; quarantining a slab whose free list is corrupted
 *   the cache    its empty, partial and full lists and their counts: pick
 *                the slab to take objects from, grow by a new slab, relist,
 *                trim the empty slabs and give them back to the buddy
 *
 * Below the magazines (slab_magazine.c), which refill from and flush to the
 * slabs, and below the debug paths (slab_debug.c), which take and return
 * objects here one at a time; above the reports and a debug object's red
 * zones and poison (slab_debug_object.c), the environment (slab_ops.c) and
 * the buddy allocator. Nothing here touches a magazine or calls back up.
 * The maps' rules: slab_internal.h; the lock order: kmod/DESIGN.md.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/swab.h>

#include "slab_internal.h"

/* === Free-list links === */

/*
 * A free object's link is stored encoded, as SLUB's FREELIST_HARDENED does:
 * next ^ secret ^ swab(address of the link). A stray write or a forged
 * pointer then decodes to garbage, which the checks below reject.
 */
static inline void myslab_set_link(const struct myslab_cache *cache,
				   void *obj, const void *next)
{
	unsigned long addr = (unsigned long)obj + cache->freeptr_offset;

	*(unsigned long *)addr = (unsigned long)next ^ cache->secret ^ swab(addr);
}

static inline void *myslab_get_link(const struct myslab_cache *cache,
				    const void *obj)
{
	unsigned long addr = (unsigned long)obj + cache->freeptr_offset;

	return (void *)(*(unsigned long *)addr ^ cache->secret ^ swab(addr));
}

/* Is @obj an object of @slab that is on its free list? */
static inline bool myslab_on_freelist(const struct myslab_cache *cache,
				      struct myslab_slab *slab, const void *obj)
{
	unsigned int idx;

	return myslab_slab_index(cache, slab, obj, &idx) &&
	       test_bit(idx, myslab_slab_list_map(cache, slab));
}

/*
 * Count the objects reachable on a healthy slab's free list, checking every
 * link without changing anything (validation, F). Returns UINT_MAX when a
 * link is bad or the list is longer than the slab's free count, and then
 * sets *@bad to the object whose link was bad (NULL: the head was).
 * Reads free objects: the caller has opened a meta window.
 */
unsigned int myslab_freelist_walk(struct myslab_cache *cache,
				  struct myslab_slab *slab, bool report,
				  void **bad)
	__must_hold(&cache->lock)
{
	unsigned int left = cache->objs_per_slab - slab->inuse, n = 0;
	void *obj = slab->freelist, *prev = NULL;

	lockdep_assert_held(&cache->lock);
	while (obj) {
		if (n == left || !myslab_on_freelist(cache, slab, obj)) {
			if (report)
				myslab_report(cache,
					      "free list of slab at region offset %#lx: bad link after %u objects",
					      myslab_region_offset(cache, slab), n);
			if (bad)
				*bad = prev;
			return UINT_MAX;
		}
		n++;
		prev = obj;
		obj = myslab_get_link(cache, obj);
	}
	return n;
}

/* === Slab lists === */

static void myslab_slab_move(struct myslab_cache *cache,
			     struct myslab_slab *slab, unsigned int to)
	__must_hold(&cache->lock)
{
	lockdep_assert_held(&cache->lock);
	cache->nr_slabs[slab->list_id]--;
	cache->nr_slabs[to]++;
	slab->list_id = to;
	list_move(&slab->list, &cache->lists[to]);
}

/* Put a healthy slab on the list its use count calls for. */
void myslab_slab_relist(struct myslab_cache *cache, struct myslab_slab *slab)
	__must_hold(&cache->lock)
{
	unsigned int to;

	lockdep_assert_held(&cache->lock);
	if (!slab->inuse)
		to = MYSLAB_LIST_EMPTY;
	else if (slab->inuse == cache->objs_per_slab)
		to = MYSLAB_LIST_FULL;
	else
		to = MYSLAB_LIST_PARTIAL;
	if (to != slab->list_id)
		myslab_slab_move(cache, slab, to);
}

/* The slab to take objects from: partial first (keep empties empty). */
struct myslab_slab *myslab_slab_pick(struct myslab_cache *cache)
	__must_hold(&cache->lock)
{
	struct myslab_slab *slab;

	lockdep_assert_held(&cache->lock);
	slab = list_first_entry_or_null(&cache->lists[MYSLAB_LIST_PARTIAL],
					struct myslab_slab, list);
	if (!slab)
		slab = list_first_entry_or_null(&cache->lists[MYSLAB_LIST_EMPTY],
						struct myslab_slab, list);
	return slab;
}

static void myslab_slab_detach(struct myslab_cache *cache,
			       struct myslab_slab *slab,
			       struct list_head *dispose)
	__must_hold(&cache->lock)
{
	lockdep_assert_held(&cache->lock);
	cache->nr_slabs[slab->list_id]--;
	list_move(&slab->list, dispose);
}

/* Give back slabs detached from the cache; called without the cache lock. */
unsigned long myslab_slabs_give_back(struct myslab_cache *cache,
				     struct list_head *dispose)
{
	struct myslab_slab *slab, *next;
	unsigned long n = 0;

	list_for_each_entry_safe(slab, next, dispose, list) {
		list_del(&slab->list);
		if (READ_ONCE(cache->hooks) & MYSLAB_HOOK_KASAN)
			myslab_slab_ops->slab_release(cache, slab);
		if (WARN_ON_ONCE(myslab_free_slab_block(cache->region, slab,
							cache->order)))
			continue;
		myslab_cache_count(cache, MYSLAB_CACHE_SLABS_GIVEN);
		n++;
	}
	return n;
}

/* Detach empty slabs beyond the @keep most recently emptied ones. */
void myslab_slabs_trim(struct myslab_cache *cache, unsigned long keep,
		       struct list_head *dispose)
	__must_hold(&cache->lock)
{
	struct myslab_slab *slab;

	lockdep_assert_held(&cache->lock);
	while (cache->nr_slabs[MYSLAB_LIST_EMPTY] > keep) {
		slab = list_last_entry(&cache->lists[MYSLAB_LIST_EMPTY],
				       struct myslab_slab, list);
		cache->free_objects -= cache->objs_per_slab;
		myslab_slab_detach(cache, slab, dispose);
	}
}

unsigned long myslab_cache_release_empty(struct myslab_cache *cache,
					 unsigned long keep)
{
	LIST_HEAD(dispose);
	unsigned long flags;

	spin_lock_irqsave(&cache->lock, flags);
	myslab_slabs_trim(cache, keep, &dispose);
	spin_unlock_irqrestore(&cache->lock, flags);
	return myslab_slabs_give_back(cache, &dispose);
}

/**
 * myslab_stale_copies() - count and report free copies of objects dropped
 * @cache:	the cache
 * @obj:	the last copy dropped
 * @copies:	how many were dropped, each counted as a double free
 *
 * Two frees of an object that overlapped, one of them on the plain path,
 * can both pass (slab_internal.h) and leave the object in two places where
 * only free objects are. The second copy is met late: by an allocation,
 * after the object has gone out through the first (its free byte says
 * handed out: myslab_mag_take_out(), the magazines' direct path), or by a
 * flush or free that finds it on its slab's free list already
 * (myslab_slab_push()). It is dropped there, so the object is not handed
 * out twice, and the double free is counted and reported here.
 */
void myslab_stale_copies(struct myslab_cache *cache, const void *obj,
			 unsigned int copies)
{
	atomic_long_add(copies, &cache->counters[MYSLAB_CACHE_ERR_DOUBLE_FREE]);
	if (copies == 1)
		myslab_report_object(cache, obj,
				     "double free found late: a second free copy of this object, dropped");
	else
		myslab_report_object(cache, obj,
				     "double free found late: %u second free copies of objects, dropped (the last one here)",
				     copies);
}

/**
 * myslab_stale_hand_out() - report an object handed out by two paths at once
 * @cache:	the cache
 * @obj:	the object, whose free byte said handed out already
 *
 * The late find that myslab_stale_copies() cannot make: both copies left
 * by overlapping frees went out at the same moment, one of them by a path
 * that clears the free byte outside any magazine's change (the fallback
 * and debug hand-out, __myslab_hand_out()), and that path lost the race for
 * the byte. The object is the caller's already; the double free is counted
 * and reported, not warned about, since it is the user's bug.
 */
void myslab_stale_hand_out(struct myslab_cache *cache, const void *obj)
{
	atomic_long_inc(&cache->counters[MYSLAB_CACHE_ERR_DOUBLE_FREE]);
	myslab_report_object(cache, obj,
			     "double free found late: handed out while another copy of it went out");
}

/* === Populating a slab === */

/* Every object free and on the free list; the tails of both maps clear. */
static void myslab_maps_init(struct myslab_cache *cache,
			     struct myslab_slab *slab)
{
	unsigned int n = cache->objs_per_slab, full = n / BITS_PER_LONG;
	unsigned long *list = myslab_slab_list_map(cache, slab);

	memset(myslab_slab_free_map(slab), 1, n);
	memset(myslab_slab_free_map(slab) + n, 0,
	       myslab_free_map_bytes(n) - n);
	memset(list, 0xff, full * sizeof(unsigned long));
	if (n % BITS_PER_LONG)
		list[full] = (1UL << (n % BITS_PER_LONG)) - 1;
}

/*
 * Take a block from the buddy allocator and make it a slab: header, colour,
 * maps, every object constructed (with its red zones, poison and empty
 * records on a debug cache) and linked in address order.
 * Called without the cache lock (the constructor may take its time).
 */
struct myslab_slab *myslab_slab_grow(struct myslab_cache *cache, gfp_t gfp)
{
	bool init = myslab_want_init_on_free(cache);
	struct myslab_slab *slab;
	unsigned int colour, i, n = cache->objs_per_slab;
	void *obj;

	/* Called under the magazine lock: never ask the buddy to block. */
	slab = myslab_alloc_slab_block(cache->region, cache->order,
				       gfp & ~(__GFP_ZERO | __GFP_DIRECT_RECLAIM),
				       cache);
	if (!slab)
		return NULL;
	colour = (unsigned int)atomic_inc_return(&cache->colour_next) - 1;
	colour %= cache->colour_range;

	INIT_LIST_HEAD(&slab->list);
	slab->cache = cache;
	slab->objects = (void *)slab + cache->first_offset +
			colour * cache->colour_step;
	slab->inuse = 0;
	slab->colour = colour;
	slab->list_id = MYSLAB_LIST_EMPTY;
	slab->corrupted = false;
	myslab_maps_init(cache, slab);
	for (i = 0; i < n; i++) {
		obj = myslab_obj_at(cache, slab, i);
		/*
		 * Under init_on_free every object handed out was zeroed since
		 * its last use. A new slab's objects have none, but the block
		 * holds what its last holder left: the kernel's page allocator
		 * zeroes a page when it is freed, the buddy allocator zeroes
		 * page blocks then but not slab blocks.
		 */
		if (unlikely(init))
			memset(obj, 0, myslab_usable(cache));
		/* Red zones first: a constructor that overruns is then caught. */
		if (unlikely(cache->debug))
			myslab_debug_init_object(cache, obj);
		if (cache->ctor)
			cache->ctor(obj);
		myslab_set_link(cache, obj,
				i + 1 < n ? myslab_obj_at(cache, slab, i + 1) : NULL);
	}
	slab->freelist = myslab_obj_at(cache, slab, 0);
	if (unlikely(READ_ONCE(cache->hooks) & MYSLAB_HOOK_KASAN))
		myslab_slab_ops->slab_init(cache, slab);
	return slab;
}

void myslab_slab_attach(struct myslab_cache *cache, struct myslab_slab *slab)
	__must_hold(&cache->lock)
{
	lockdep_assert_held(&cache->lock);
	list_add(&slab->list, &cache->lists[MYSLAB_LIST_EMPTY]);
	cache->nr_slabs[MYSLAB_LIST_EMPTY]++;
	cache->free_objects += cache->objs_per_slab;
	myslab_cache_count(cache, MYSLAB_CACHE_SLABS_TAKEN);
}

/*
 * The slab to take objects from (myslab_slab_pick()), growing the cache by a
 * new slab when no slab has a free object. Called with the cache lock held,
 * taken by spin_lock_irqsave() with *@flags.
 *
 * Returns with the cache lock held on every path, but not necessarily held
 * throughout: when no slab had a free object, the lock was dropped (and
 * *@flags restored) around myslab_slab_grow(), which may take its time and
 * runs constructors, then retaken with spin_lock_irqsave() into *@flags, so
 * anything the caller read under it before may have changed. Returns NULL
 * (the lock held again) when the buddy allocator had no block; otherwise
 * a slab with a free object, partial ones first again, since another CPU
 * may have left one while the lock was dropped.
 */
struct myslab_slab *myslab_slab_pick_or_grow(struct myslab_cache *cache,
					     gfp_t gfp, unsigned long *flags)
	__must_hold(&cache->lock)
{
	struct myslab_slab *slab;

	lockdep_assert_held(&cache->lock);
	slab = myslab_slab_pick(cache);
	if (slab)
		return slab;
	spin_unlock_irqrestore(&cache->lock, *flags);
	slab = myslab_slab_grow(cache, gfp);
	spin_lock_irqsave(&cache->lock, *flags);
	if (!slab)
		return NULL;
	myslab_slab_attach(cache, slab);
	return myslab_slab_pick(cache);
}

/* === Slab free lists === */

/*
 * Abandon a slab's free list (the objects on it are lost until the slab is
 * given back) and park the slab on the full list, so that nothing is ever
 * handed out of it again: a free-list link did not check out (reported
 * here; @obj is the object whose link was bad, NULL when the head in the
 * slab header was), or a debug check found a free object damaged (@obj
 * NULL, reported by the caller). A slab with nothing handed out goes to
 * @dispose at once, to be given back by the caller.
 */
void myslab_slab_abandon(struct myslab_cache *cache, struct myslab_slab *slab,
			 struct list_head *dispose)
	__must_hold(&cache->lock)
{
	unsigned int lost = cache->objs_per_slab - slab->inuse;

	lockdep_assert_held(&cache->lock);
	slab->corrupted = true;
	slab->freelist = NULL;
	cache->free_objects -= lost;
	cache->lost_objects += lost;
	cache->nr_corrupted++;
	myslab_slab_move(cache, slab, MYSLAB_LIST_FULL);
	if (!slab->inuse) {
		cache->lost_objects -= cache->objs_per_slab;
		cache->nr_corrupted--;
		myslab_slab_detach(cache, slab, dispose);
	}
}

void myslab_slab_quarantine(struct myslab_cache *cache,
			    struct myslab_slab *slab, const void *obj,
			    struct list_head *dispose)
	__must_hold(&cache->lock)
{
	unsigned int lost = cache->objs_per_slab - slab->inuse;

	lockdep_assert_held(&cache->lock);
	if (obj)
		myslab_report_object(cache, obj,
				     "corrupted free-list pointer: slab at region offset %#lx quarantined, %u free objects lost",
				     myslab_region_offset(cache, slab), lost);
	else
		myslab_report(cache,
			      "corrupted free-list head in slab at region offset %#lx: slab quarantined, %u free objects lost",
			      myslab_region_offset(cache, slab), lost);
	myslab_cache_count(cache, MYSLAB_CACHE_ERR_FREELIST);
	myslab_slab_abandon(cache, slab, dispose);
}

/*
 * Take the first object off a slab's free list, which must be non-empty by
 * the slab's count. The head and the decoded link are both checked: the link
 * must be NULL exactly when this is the last free object, and otherwise
 * point at another object of this slab that is on the free list. A bad one
 * quarantines the slab (and may put it on @dispose) and returns NULL.
 */
void *myslab_slab_pop(struct myslab_cache *cache, struct myslab_slab *slab,
		      struct list_head *dispose)
	__must_hold(&cache->lock)
{
	unsigned int left = cache->objs_per_slab - slab->inuse, idx;
	void *obj = slab->freelist, *next;
	bool bad;

	lockdep_assert_held(&cache->lock);
	if (unlikely(!myslab_slab_index(cache, slab, obj, &idx) ||
		     !test_bit(idx, myslab_slab_list_map(cache, slab)))) {
		myslab_slab_quarantine(cache, slab, NULL, dispose);
		return NULL;
	}
	next = myslab_get_link(cache, obj);
	if (next)
		bad = left == 1 || next == obj ||
		      !myslab_on_freelist(cache, slab, next);
	else
		bad = left != 1;
	if (unlikely(bad)) {
		myslab_slab_quarantine(cache, slab, obj, dispose);
		return NULL;
	}
	__clear_bit(idx, myslab_slab_list_map(cache, slab));
	slab->freelist = next;
	slab->inuse++;
	cache->free_objects--;
	return obj;
}

/* Return a free object (from a magazine, or a debug free) to its slab. */
void myslab_slab_push(struct myslab_cache *cache, void *obj,
		      struct list_head *dispose)
	__must_hold(&cache->lock)
{
	struct myslab_slab *slab = myslab_slab_of(cache, obj);
	unsigned int idx;

	lockdep_assert_held(&cache->lock);
	if (WARN_ON_ONCE(!myslab_slab_index(cache, slab, obj, &idx)))
		return;
	slab->inuse--;
	if (unlikely(slab->corrupted)) {
		cache->lost_objects++;
		if (!slab->inuse) {
			cache->lost_objects -= cache->objs_per_slab;
			cache->nr_corrupted--;
			myslab_slab_detach(cache, slab, dispose);
		}
		return;
	}
	if (unlikely(__test_and_set_bit(idx, myslab_slab_list_map(cache, slab)))) {
		/* On the list already: a second free copy of @obj. */
		slab->inuse++;
		myslab_stale_copies(cache, obj, 1);
		return;
	}
	myslab_set_link(cache, obj, slab->freelist);
	slab->freelist = obj;
	cache->free_objects++;
	myslab_slab_relist(cache, slab);
}

/* === Checks for validation === */

/* What myslab_slab_check_cached() finds wrong with a cached object. */
enum myslab_cached_fault {
	MYSLAB_CACHED_OK,
	MYSLAB_CACHED_NOT_OURS,		/* not in a slab of this cache */
	MYSLAB_CACHED_NOT_START,	/* not at an object start */
	MYSLAB_CACHED_WRONG_BITS,	/* free byte clear, or on a free list */
};

/*
 * What is wrong, if anything, with @obj, an object a magazine or the barn
 * holds: it must be an object start of this cache, its free byte set and, on
 * a healthy slab, its list bit clear. Exact with the cache lock held (and,
 * for a magazine's, the lock of that magazine).
 */
static enum myslab_cached_fault
myslab_slab_check_cached(struct myslab_cache *cache, const void *obj)
	__must_hold(&cache->lock)
{
	struct myslab_slab *slab;
	unsigned int idx;

	if (myslab_slab_owner(cache->region, obj) != cache)
		return MYSLAB_CACHED_NOT_OURS;
	slab = myslab_slab_of(cache, obj);
	if (!myslab_slab_index(cache, slab, obj, &idx))
		return MYSLAB_CACHED_NOT_START;
	if (!myslab_obj_is_free(slab, idx) ||
	    (!slab->corrupted &&
	     test_bit(idx, myslab_slab_list_map(cache, slab))))
		return MYSLAB_CACHED_WRONG_BITS;
	return MYSLAB_CACHED_OK;
}

/**
 * myslab_check_cached_objs() - check the free objects a magazine or the
 * barn holds
 * @cache:	the cache, its lock held
 * @objs:	the holder's entries
 * @nr:		how many
 * @holder:	"magazine" or "barn", for the reports
 *
 * Return: the entries found wrong, each reported.
 */
unsigned long myslab_check_cached_objs(struct myslab_cache *cache,
				       void *const *objs, unsigned int nr,
				       const char *holder)
	__must_hold(&cache->lock)
{
	unsigned long problems = 0;
	unsigned int i;

	lockdep_assert_held(&cache->lock);
	for (i = 0; i < nr; i++) {
		const void *obj = objs[i];

		switch (myslab_slab_check_cached(cache, obj)) {
		case MYSLAB_CACHED_OK:
			continue;
		case MYSLAB_CACHED_NOT_OURS:
			myslab_invalid(cache, "%s entry %u is not one of its objects",
				       holder, i);
			break;
		case MYSLAB_CACHED_NOT_START:
			myslab_invalid(cache,
				       "%s entry at region offset %#lx is not an object start",
				       holder, myslab_region_offset(cache, obj));
			break;
		case MYSLAB_CACHED_WRONG_BITS:
			myslab_invalid(cache,
				       "%s object at region offset %#lx has wrong map bits",
				       holder, myslab_region_offset(cache, obj));
			break;
		}
		problems++;
	}
	return problems;
}
