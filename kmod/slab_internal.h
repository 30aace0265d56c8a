/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab slab layer: private types shared by slab.c, slab_alloc.c, sizes.c
 * and cache_registry.c.
 *
 * Layout of one slab (a block of 2^order pages the buddy marked
 * MYSLAB_BLOCK_SLAB, owner = the cache):
 *
 *   block base                                                   block end
 *   | header | pad | colour | obj 0 | obj 1 | ... | obj n-1 | leftover |
 *   |<---------- first_offset ->|
 *   header = struct myslab_slab + free map + list map (n bits each)
 *
 * From an object pointer to its slab and cache in O(1): the buddy's per-page
 * metadata gives the owner (the cache) of the block the pointer lies in, and
 * since a block of order k starts at a region offset that is a multiple of
 * 2^k pages, masking the pointer's region offset with the cache's slab size
 * gives the slab header. Pointers that come from callers are checked through
 * the buddy (myslab_slab_owner()) first; pointers the slab layer itself keeps
 * (magazine contents) are trusted and only masked.
 *
 * Two bitmaps per slab, one bit per object:
 *   free map  1 = the object is not handed out (on the slab's free list or
 *             in a magazine). Changed with atomic bitops without the cache
 *             lock: the free path sets it (test_and_set_bit catches every
 *             double free, wherever the first free went), the alloc path
 *             clears it. Chosen over an in-object marker because it is exact
 *             (no false positives from object contents), survives any write to
 *             the object, and costs one atomic op per alloc and per free.
 *   list map  1 = the object is on the slab's free list. Protected by the
 *             cache lock. Every decoded free-list link must point to an
 *             object whose list bit is set, so a forged or stale link (and a
 *             cycle) is caught before it is followed.
 *
 * Lock order (lockdep checks it):
 *   magazine lock (per CPU, irqsave)  ->  cache lock  ->  region lock (buddy)
 * The cache lock is always taken with interrupts disabled: either nested in a
 * magazine lock or with spin_lock_irqsave. Allocation and free never sleep.
 * The registry mutex and a cache's tune mutex are outermost (sleeping
 * contexts only): registry mutex -> tune mutex -> magazine lock.
 */
#ifndef _MYSLAB_SLAB_INTERNAL_H
#define _MYSLAB_SLAB_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "internal.h"

/* === Geometry policy === */

/* Objects a slab should hold at least, when the largest slab order allows. */
#define MYSLAB_SLAB_MIN_OBJECTS	8
/* Largest slab order: 8 pages, 32 KiB slabs. */
#define MYSLAB_SLAB_MAX_ORDER	3
/* Empty slabs a cache keeps rather than give back to the buddy allocator. */
#define MYSLAB_EMPTY_SLABS_KEPT	1

/* === Slab === */

enum myslab_slab_list {
	MYSLAB_LIST_EMPTY,	/* inuse == 0 */
	MYSLAB_LIST_PARTIAL,	/* 0 < inuse < objs_per_slab */
	MYSLAB_LIST_FULL,	/* inuse == objs_per_slab, or corrupted */
	MYSLAB_NR_LISTS,
};

/**
 * struct myslab_slab - slab header, at the start of the slab's block
 * @list:	on one of the cache's lists; protected by cache->lock
 * @cache:	the owning cache; set when the slab is populated
 * @objects:	first object (first_offset + colour); set when populated
 * @freelist:	first object on the free list, NULL when none; cache->lock
 * @inuse:	objects not on the free list (handed out or in a magazine);
 *		cache->lock
 * @colour:	colour index of this slab; set when populated
 * @list_id:	enum myslab_slab_list of @list; cache->lock
 * @corrupted:	the free list was found corrupted and abandoned; the slab
 *		hands out nothing more and goes back to the buddy allocator
 *		once every object still out has come back; cache->lock
 * @maps:	free map then list map, cache->map_longs words each (see the
 *		top of this file for who may change which)
 *
 * Identities (healthy slab, cache lock held):
 *   @inuse + length(@freelist) == cache->objs_per_slab
 *   weight(list map) == cache->objs_per_slab - @inuse
 *   list bit set => free bit set
 * The free list is threaded through the objects themselves: the link of an
 * object lives at object + cache->freeptr_offset, encoded as
 * next ^ cache->secret ^ swab(address of the link).
 */
struct myslab_slab {
	struct list_head list;
	struct myslab_cache *cache;
	void *objects;
	void *freelist;
	unsigned int inuse;
	unsigned int colour;
	u8 list_id;
	bool corrupted;
	unsigned long maps[];
};

/* Header bytes before the bitmaps. */
#define MYSLAB_SLAB_HEADER_FIXED	offsetof(struct myslab_slab, maps)

/* === Magazine === */

/**
 * struct myslab_magazine - one CPU's stack of free objects of a cache
 * @lock:	protects every other field; taken with irqsave by the owning CPU
 *		(fast path) and by any CPU draining it (shrink, tune, destroy),
 *		so no IPI is ever needed
 * @count:	objects in @objs
 * @limit:	capacity in use (the cache's limit tunable), <= MYSLAB_MAGAZINE_MAX
 * @batchcount:	objects moved per refill or flush
 * @counters:	events counted under @lock (enum myslab_cache_counter)
 * @objs:	@objs[0..@count) are free objects with their free bit set and
 *		their list bit clear, oldest first; alloc pops the newest (hot)
 *		one, a flush returns the oldest ones to their slabs
 */
struct myslab_magazine {
	spinlock_t lock;	/* see above: irqsave, any CPU may drain */
	unsigned int count;
	unsigned int limit;
	unsigned int batchcount;
	unsigned long counters[MYSLAB_CACHE_NR_COUNTERS];
	void *objs[MYSLAB_MAGAZINE_MAX];
};

/* === Cache === */

/**
 * struct myslab_cache - a cache of objects of one size, alignment, constructor
 * @mags:		per-CPU magazines (NULL once destroyed)
 * @region:		region the slabs come from
 * @region_base:	first byte of @region, for the slab-of-object mask
 * @slab_mask:		~(slab bytes - 1)
 * @secret:		random key of the free-list pointer encoding
 * @object_size:	size the creator asked for
 * @slot_size:		bytes between object starts
 * @recip:		ceil(2^32 / @slot_size): object index by multiplication
 * @align:		object alignment
 * @freeptr_offset:	offset of a free object's link (0, or past the object
 *			when there is a constructor)
 * @order:		slab order
 * @objs_per_slab:	objects per slab
 * @map_longs:		words of each bitmap in a slab header
 * @header_size:	slab header bytes
 * @first_offset:	offset of object 0 at colour 0
 * @waste:		slab bytes covered by neither header nor slots
 * @colour_step:	bytes between colours
 * @colour_range:	number of colours
 * @ctor:		constructor, run once per object when a slab is populated
 * @flags:		MYSLAB_* creation flags
 * @sizes:		size set this cache belongs to, or NULL; set by sizes.c
 *			right after creation, cleared at destroy
 * @dead:		destroyed while objects were live: the struct stays as
 *			the owner of the leaked slabs so that late frees are
 *			recognised and refused (-ESTALE); set under the registry
 *			mutex, read locklessly
 * @colour_next:	colour of the next slab populated (modulo @colour_range)
 * @registry:		on the registry (or, once dead, the graveyard) list;
 *			protected by the registry mutex
 * @tune_mutex:		serialises myslab_cache_tune() callers
 * @limit:		magazine capacity tunable; written under @tune_mutex and
 *			every magazine lock, read with READ_ONCE
 * @batchcount:		refill/flush batch tunable; as @limit
 * @shared:		shared tunable, always 0
 * @lock:		protects the fields below it
 * @lists:		empty, partial and full slabs (enum myslab_slab_list)
 * @nr_slabs:		slabs on each list
 * @nr_corrupted:	corrupted slabs (all on the full list)
 * @free_objects:	objects on free lists of healthy slabs
 * @lost_objects:	free objects abandoned with a corrupted free list
 * @counters:		events counted outside any magazine lock (atomic)
 * @name:		NUL-terminated name, unique among registered caches
 *
 * Identities (cache lock held):
 *   Σ nr_slabs[i] == number of slabs on lists[i], summed == slabs held
 *   free_objects == Σ over healthy slabs (objs_per_slab - inuse)
 * and, when the cache is quiet (no alloc or free running):
 *   Σ over slabs weight(free map) == free_objects + lost_objects +
 *				      Σ over CPUs mags->count
 *   handed-out objects == slabs * objs_per_slab - free_objects -
 *			   lost_objects - Σ mags->count
 * myslab_cache_validate() checks all of them.
 */
struct myslab_cache {
	/* Read-mostly: set at creation. */
	struct myslab_magazine __percpu *mags;
	struct myslab_region *region;
	unsigned long region_base;
	unsigned long slab_mask;
	unsigned long secret;
	unsigned int object_size;
	unsigned int slot_size;
	u32 recip;
	unsigned int align;
	unsigned int freeptr_offset;
	unsigned int order;
	unsigned int objs_per_slab;
	unsigned int map_longs;
	unsigned int header_size;
	unsigned int first_offset;
	unsigned int waste;
	unsigned int colour_step;
	unsigned int colour_range;
	void (*ctor)(void *obj);
	unsigned int flags;
	struct myslab_sizes *sizes;
	bool dead;
	atomic_t colour_next;

	struct list_head registry;
	struct mutex tune_mutex;	/* serialises myslab_cache_tune() */
	unsigned int limit;
	unsigned int batchcount;
	unsigned int shared;

	spinlock_t lock ____cacheline_aligned_in_smp;
	struct list_head lists[MYSLAB_NR_LISTS];
	unsigned long nr_slabs[MYSLAB_NR_LISTS];
	unsigned long nr_corrupted;
	unsigned long free_objects;
	unsigned long lost_objects;

	atomic_long_t counters[MYSLAB_CACHE_NR_COUNTERS];
	char name[MYSLAB_CACHE_NAME_LEN];
};

/* === Object <-> slab arithmetic (trusted pointers only) === */

static inline struct myslab_slab *myslab_slab_of(const struct myslab_cache *cache,
						 const void *obj)
{
	unsigned long off = (unsigned long)obj - cache->region_base;

	return (struct myslab_slab *)(cache->region_base + (off & cache->slab_mask));
}

static inline unsigned long *myslab_slab_free_map(struct myslab_slab *slab)
{
	return slab->maps;
}

static inline unsigned long *myslab_slab_list_map(const struct myslab_cache *cache,
						  struct myslab_slab *slab)
{
	return slab->maps + cache->map_longs;
}

/*
 * Index of the object at byte @offset from slab->objects. Exact for every
 * multiple of slot_size below 32 KiB (the error term k * (recip * slot - 2^32)
 * stays below 2^32); callers check index * slot_size == offset.
 */
static inline unsigned int myslab_obj_index(const struct myslab_cache *cache,
					    unsigned long offset)
{
	return (unsigned int)(((u64)offset * cache->recip) >> 32);
}

static inline void *myslab_obj_at(const struct myslab_cache *cache,
				  struct myslab_slab *slab, unsigned int idx)
{
	return slab->objects + (unsigned long)idx * cache->slot_size;
}

/* Bits set among the first @nbits of @map (the tail bits are kept clear). */
static inline unsigned int myslab_bits_weight(const unsigned long *map,
					      unsigned int nbits)
{
	unsigned int i, w = 0;

	for (i = 0; i < BITS_TO_LONGS(nbits); i++)
		w += hweight_long(map[i]);
	return w;
}

static inline unsigned long myslab_region_offset(const struct myslab_cache *cache,
						 const void *ptr)
{
	return (unsigned long)ptr - cache->region_base;
}

/* === Shared between the slab files === */

/* slab_alloc.c */
void myslab_magazine_drain(struct myslab_cache *cache, int cpu);
void myslab_cache_drain_all(struct myslab_cache *cache);
void myslab_magazine_retune(struct myslab_cache *cache, int cpu,
			    unsigned int limit, unsigned int batchcount);
unsigned long myslab_cache_release_empty(struct myslab_cache *cache,
					 unsigned long keep);
int myslab_cache_free_sized(struct myslab_cache *cache, void *obj,
			    struct myslab_sizes *sizes);
unsigned int myslab_freelist_walk(struct myslab_cache *cache,
				  struct myslab_slab *slab, bool report);
void myslab_cache_count(struct myslab_cache *cache,
			enum myslab_cache_counter counter);

/* slab.c */
int myslab_tunables_check(unsigned int limit, unsigned int batchcount,
			  unsigned int shared);

/* cache_registry.c */
int myslab_cache_name_check(const char *name);
int myslab_registry_add(struct myslab_cache *cache);
void myslab_registry_del(struct myslab_cache *cache);
void myslab_registry_bury(struct myslab_cache *cache);
void myslab_registry_lock(void);
void myslab_registry_unlock(void);
struct list_head *myslab_registry_list(void);
struct myslab_cache *myslab_cache_find(const char *name);
bool myslab_cache_registered(const struct myslab_cache *cache);
unsigned long myslab_caches_reap(void);

/* The rate-limited report every refused free goes through. */
#define myslab_report(cache, fmt, ...)					\
	pr_err_ratelimited("cache %s: " fmt "\n", (cache)->name, ##__VA_ARGS__)

#endif /* _MYSLAB_SLAB_INTERNAL_H */
