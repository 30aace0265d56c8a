// SPDX-License-Identifier: GPL-2.0
/*
 * myslab barn: each cache's stack of free objects shared by its CPUs'
 * magazines (struct myslab_barn), between them and the slab lists.
 *
 *   put     a magazine's flushed batch, as much of it as there is room for
 *   take    a magazine's refill, the newest objects first
 *   drain   every object back to its slab (shrink, destroy), or the oldest
 *           ones beyond a smaller capacity (retune)
 *   check   each entry, for myslab_cache_validate()
 *
 * Why a barn: without it, a CPU that frees more than its magazine holds
 * (a burst of frees, or the objects another CPU allocated) sends every
 * object back to its slab, one slab-list operation each, and the CPU that
 * allocates next takes them off the slabs again the same way. Through the
 * barn both are one copy of a batch of pointers under the cache lock that
 * the refill or flush takes anyway. The design is SLAB's shared array (the
 * slabinfo format's sharedfactor and sharedavail columns): SLUB's barn
 * exchanges whole sheaves by pointer, which needs the per-CPU array to be
 * reached through a pointer on every allocation and free; a magazine here
 * is inline in its per-CPU struct, and keeps it so at the price of a copy
 * per batch (kmod/DESIGN.md, "The barn").
 *
 * Put and take are called with the cache lock held; drain, resize and
 * validation take it, creation and destroy need it not (the cache is not
 * visible), and debugfs reads the fill levels without it. Lock order:
 * kmod/DESIGN.md.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "slab_internal.h"

/* === Refill and flush (the magazines above) === */

/**
 * myslab_barn_put() - store a flushed batch in the barn
 * @cache:	the cache, its lock held
 * @objs:	free objects in the magazine's state, oldest first
 * @nr:		how many
 *
 * Return: how many of @objs[0..@nr) the barn took, from the first: all of
 * them, or as many as there was room for (0 when it is full or has no
 * capacity).
 */
unsigned int myslab_barn_put(struct myslab_cache *cache, void *const *objs,
			     unsigned int nr)
	__must_hold(&cache->lock)
{
	struct myslab_barn *barn = &cache->barn;

	lockdep_assert_held(&cache->lock);
	/* Above its limit while a resize gives the excess back. */
	if (barn->count >= barn->limit)
		return 0;
	nr = min(nr, barn->limit - barn->count);
	memcpy(barn->objs + barn->count, objs, nr * sizeof(void *));
	WRITE_ONCE(barn->count, barn->count + nr);
	return nr;
}

/**
 * myslab_barn_take() - take a refill from the barn
 * @cache:	the cache, its lock held
 * @objs:	where the objects go, oldest first
 * @nr:		how many are wanted
 *
 * The newest objects go, in their order, so that the last one stored is
 * the last one of @objs, the one a magazine hands out first.
 *
 * Return: how many were taken, at most @nr (0 when the barn is empty).
 */
unsigned int myslab_barn_take(struct myslab_cache *cache, void **objs,
			      unsigned int nr)
	__must_hold(&cache->lock)
{
	struct myslab_barn *barn = &cache->barn;
	unsigned int left;

	lockdep_assert_held(&cache->lock);
	nr = min(nr, barn->count);
	if (!nr)
		return 0;
	left = barn->count - nr;
	memcpy(objs, barn->objs + left, nr * sizeof(void *));
	/* kmemleak scans the barn: leave no stale copy of a pointer behind. */
	if (READ_ONCE(cache->hooks) & MYSLAB_HOOK_KMEMLEAK)
		memset(barn->objs + left, 0, nr * sizeof(void *));
	WRITE_ONCE(barn->count, left);
	return nr;
}

/* === Draining and resizing === */

/*
 * Give the oldest objects back to their slabs, at most @nr of them and never
 * below @keep left, keeping every slab that empties (the caller gives back
 * what it wants to). Returns whether objects beyond @keep are left.
 */
static bool myslab_barn_cut(struct myslab_cache *cache, unsigned int keep,
			    unsigned int nr, struct list_head *dispose)
	__must_hold(&cache->lock)
{
	struct myslab_barn *barn = &cache->barn;
	unsigned int left, i;
	bool meta;

	if (barn->count <= keep)
		return false;
	nr = min(nr, barn->count - keep);
	left = barn->count - nr;
	meta = myslab_meta_begin(cache);
	for (i = 0; i < nr; i++)
		myslab_slab_push(cache, barn->objs[i], dispose);
	myslab_meta_end(meta);
	memmove(barn->objs, barn->objs + nr, left * sizeof(void *));
	/* Every vacated entry, kmemleak or not: they are few per cut. */
	memset(barn->objs + left, 0, nr * sizeof(void *));
	WRITE_ONCE(barn->count, left);
	return left > keep;
}

/*
 * The same down to @keep, a magazine's worth per hold of the cache lock,
 * which is taken with interrupts off: a flush never pushes more at once.
 * As many holds as the barn held objects at the start: flushes that refill
 * it meanwhile do not keep this going (a drain is a snapshot, as a shrink
 * of a cache in use is; a resize has lowered the limit first).
 */
static void myslab_barn_cut_to(struct myslab_cache *cache, unsigned int keep,
			       struct list_head *dispose)
{
	unsigned int holds = DIV_ROUND_UP(READ_ONCE(cache->barn.count),
					  MYSLAB_MAGAZINE_MAX);
	unsigned long flags;
	bool more = true;

	while (more && holds--) {
		spin_lock_irqsave(&cache->lock, flags);
		more = myslab_barn_cut(cache, keep, MYSLAB_MAGAZINE_MAX,
				       dispose);
		spin_unlock_irqrestore(&cache->lock, flags);
	}
}

/**
 * myslab_barn_drain() - give every object of the barn back to its slab
 * @cache:	the cache
 *
 * Empty slabs stay on the cache's lists: the caller (shrink, destroy) gives
 * them back itself.
 *
 * Context: process context; takes the cache lock; no magazine lock needed.
 */
void myslab_barn_drain(struct myslab_cache *cache)
{
	LIST_HEAD(dispose);

	myslab_barn_cut_to(cache, 0, &dispose);
	myslab_slabs_give_back(cache, &dispose);
}

/**
 * myslab_barn_create() - an empty barn for a new cache
 * @cache:	the cache, not yet visible to anyone
 * @limit:	its capacity (the shared tunable times batchcount), 0 for none
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int myslab_barn_create(struct myslab_cache *cache, unsigned int limit)
{
	void **objs = NULL;

	if (limit) {
		objs = kvcalloc(limit, sizeof(void *), GFP_KERNEL);
		if (!objs)
			return -ENOMEM;
	}
	cache->barn.objs = objs;
	cache->barn.limit = limit;
	cache->barn.count = 0;
	return 0;
}

/**
 * myslab_barn_resize() - give the barn a new capacity
 * @cache:	the cache; it may be in use meanwhile
 * @limit:	the new capacity, 0 for none
 *
 * The newest objects stay, as many as fit; the oldest beyond @limit go back
 * to their slabs, and empty slabs beyond the cache's reserve are given back.
 *
 * Context: process context, may sleep; the caller holds the cache's tune
 * mutex (myslab_cache_tune()).
 * Return: 0, or -ENOMEM (nothing changed).
 */
int myslab_barn_resize(struct myslab_cache *cache, unsigned int limit)
{
	struct myslab_barn *barn = &cache->barn;
	void **objs = NULL, **old;
	LIST_HEAD(dispose);
	unsigned long flags;

	lockdep_assert_held(&cache->tune_mutex);
	if (limit) {
		objs = kvcalloc(limit, sizeof(void *), GFP_KERNEL);
		if (!objs)
			return -ENOMEM;
	}
	/*
	 * A smaller limit first, so that flushes meanwhile add nothing beyond
	 * it; then the excess goes back in bounded holds, and the swap's hold
	 * finds none left.
	 */
	spin_lock_irqsave(&cache->lock, flags);
	WRITE_ONCE(barn->limit, min(barn->limit, limit));
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_barn_cut_to(cache, limit, &dispose);
	spin_lock_irqsave(&cache->lock, flags);
	myslab_barn_cut(cache, limit, UINT_MAX, &dispose);
	myslab_slabs_trim(cache, MYSLAB_EMPTY_SLABS_KEPT, &dispose);
	if (barn->count)
		memcpy(objs, barn->objs, barn->count * sizeof(void *));
	old = barn->objs;
	barn->objs = objs;
	WRITE_ONCE(barn->limit, limit);
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &dispose);
	kvfree(old);
	return 0;
}

/**
 * myslab_barn_destroy() - free a drained barn's array
 * @cache:	the cache, being destroyed (or never published)
 */
void myslab_barn_destroy(struct myslab_cache *cache)
{
	WARN_ON_ONCE(cache->barn.count);
	kvfree(cache->barn.objs);
	cache->barn.objs = NULL;
	cache->barn.limit = 0;
}

/* === Statistics and validation === */

/*
 * The barn as debugfs shows it: its objects and its capacity, each read once
 * without the cache lock (a snapshot that may be a moment old).
 */
void myslab_barn_fill(struct myslab_cache *cache, unsigned int *count,
		      unsigned int *limit)
{
	*count = READ_ONCE(cache->barn.count);
	*limit = READ_ONCE(cache->barn.limit);
}

/*
 * Every entry, as a magazine's is checked: an object start of this cache,
 * its free byte set, its list bit clear. Exact under the cache lock.
 * Returns the problems found.
 */
unsigned long myslab_barn_validate(struct myslab_cache *cache)
{
	unsigned long flags, problems;

	spin_lock_irqsave(&cache->lock, flags);
	problems = myslab_check_cached_objs(cache, cache->barn.objs,
					    cache->barn.count, "barn");
	spin_unlock_irqrestore(&cache->lock, flags);
	return problems;
}
