/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab slab layer: private types shared by its files. From the top down,
 * each calling only files below it:
 *   slab_alloc.c	the object paths: alloc, free, bulk, hooks
 *   slab_debug.c	beside the magazines: the debug paths, which bypass them
 *			and go straight to the slab lists
 *   slab_magazine_cpus.c  every CPU's magazine: drain, retune, counters
 *   slab_magazine.c	the per-CPU magazines (slab_magazine.h)
 *   slab_barn.c		the free objects the magazines share (slab_barn.h)
 *   slab_lists.c	one slab's free list and maps, the cache's slab lists
 *   slab_debug_object.c  red zones, poison, owner records; every report
 *   slab_ops.c		the environment (struct myslab_slab_ops)
 * beside them slab.c (create, tune, shrink, statistics, destroy),
 * slab_validate.c, sizes.c (size classes), slab_debug_options.c
 * (myslab_debug=) and cache_registry.c; under them the buddy allocator.
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
 * Two maps per slab:
 *   free map  a byte per object, 1 = the object is not handed out (on the
 *             slab's free list or in a magazine), changed without the cache
 *             lock: a free sets it (finding it set catches a double free,
 *             wherever the first free went), an allocation clears it.
 *             A byte, not a bit: bytes of one word are distinct memory
 *             locations, bits are not, so the plain paths read and write
 *             it with plain accesses inside the change of their own CPU's
 *             magazine, no locked instruction. Two frees of one object that
 *             overlap in time, one of them plain, can then both pass (on two
 *             CPUs, or an interrupt or, with RT, another task of the same
 *             CPU); the other paths (hooked, fallback, debug) use xchg(),
 *             exact among themselves (see "Double frees" in DESIGN.md).
 *             Chosen over an in-object marker because it is exact for frees
 *             ordered one after the other (no false positives from object
 *             contents), survives any write to the object, and the hand-out
 *             does not touch the object.
 *   list map  1 bit per object, 1 = the object is on the slab's free list.
 *             Protected by the cache lock. Every decoded free-list link must
 *             point to an object whose list bit is set, so a forged or stale
 *             link (and a cycle) is caught before it is followed.
 *
 * Debug caches (F, Z, P or U; slab_debug.c) take no magazine: their objects
 * go straight between the caller and the slab lists under the cache lock,
 * so every alloc and free is checked and recorded in one place. A cache's
 * hooks word (MYSLAB_HOOK_*) says whether an allocation or free leaves the
 * plain path at all: one predictable branch on the fast path.
 *
 * The order the locks nest in is written once, in kmod/DESIGN.md ("The
 * lock order"); lockdep checks it. The registry and tune mutexes are for
 * sleeping contexts only. The magazine lock (cpu_lock.h) disables
 * preemption but not interrupts, and only its own CPU takes it: the fast
 * paths by trylock, falling back to the slabs under the cache lock when it
 * is taken (an interrupt of this CPU's magazine section); whatever concerns
 * every magazine runs on each CPU in turn through smp_call_on_cpu() under
 * the CPU hotplug lock. The cache lock is reachable from interrupts (the
 * fallback) and is always taken with spin_lock_irqsave. Allocation and free
 * never sleep (with PREEMPT_RT, the magazine and cache locks are sleeping
 * locks there, as every spinlock_t is, so hard interrupt context may not
 * call them: see <myslab/slab.h>).
 */
#ifndef _MYSLAB_SLAB_INTERNAL_H
#define _MYSLAB_SLAB_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>

#include "core/internal.h"
#include "slab_barn.h"
#include "slab_geometry.h"

/* === Geometry policy === */

/* Objects a slab should hold at least, when the largest slab order allows. */
#define MYSLAB_SLAB_MIN_OBJECTS	8
/* Largest slab order: 8 pages, 32 KiB slabs ... */
#define MYSLAB_SLAB_MAX_ORDER	3
/*
 * ... and 32 pages, 128 KiB, for slots of a page or more: the on-slab header
 * then costs a whole slot, one in 16 rather than one in 8 or in 4.
 */
#define MYSLAB_SLAB_MAX_ORDER_LARGE	5
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
 * @maps:	free map (cache->free_map_longs words, a byte per object),
 *		then list map (a bit per object); see the top of this file for
 *		who may change which
 *
 * Identities (healthy slab, cache lock held):
 *   @inuse + length(@freelist) == cache->objs_per_slab
 *   weight(list map) == cache->objs_per_slab - @inuse
 *   list bit set => free byte set
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

/* Header bytes before the maps. */
#define MYSLAB_SLAB_HEADER_FIXED	offsetof(struct myslab_slab, maps)

/* Bytes of the free map of a slab of @objs objects: whole words. */
static inline unsigned int myslab_free_map_bytes(unsigned int objs)
{
	return ALIGN(objs, sizeof(unsigned long));
}

/* === Magazine === */

/* One CPU's stack of free objects of a cache: slab_magazine.h. */
struct myslab_magazine;

/* === Debugging and the seam to the kernel's facilities === */

/* Bits of cache->hooks: why an allocation or free leaves the plain path. */
#define MYSLAB_HOOK_DEBUG	0x1u	/* F, Z, P or U: the debug paths */
#define MYSLAB_HOOK_FAILSLAB	0x2u	/* allocations may be failed on purpose */
#define MYSLAB_HOOK_KMEMLEAK	0x4u	/* objects registered with kmemleak */
#define MYSLAB_HOOK_KASAN	0x8u	/* free objects' shadow is poisoned */

/* The options that give a cache the debug paths. */
#define MYSLAB_DEBUG_PATH_FLAGS	(MYSLAB_CONSISTENCY_CHECKS | MYSLAB_RED_ZONE | \
				 MYSLAB_POISON | MYSLAB_STORE_USER)

/**
 * struct myslab_track - who last allocated or freed an object (U)
 * @addr:	the caller of the myslab function (0: never happened)
 * @when:	ops->now() then (jiffies in the module)
 * @stack:	ops->save_stack() handle, 0 when none
 * @pid:	ops->pid() then
 * @cpu:	the CPU it ran on
 * @unused:	padding, 0
 *
 * Two records follow each object of a U cache (alloc, then free), at
 * cache->track_offset. They live in the slot, read and written under the
 * cache lock (or by the object's owner before it is handed back).
 */
struct myslab_track {
	unsigned long addr;
	unsigned long when;
	u32 stack;
	s32 pid;
	s32 cpu;
	u32 unused;
};

enum myslab_track_item {
	MYSLAB_TRACK_ALLOC,
	MYSLAB_TRACK_FREE,
};

/**
 * struct myslab_slab_ops - what the core asks of its environment
 * @cache_hooks:	which of MYSLAB_HOOK_KMEMLEAK and MYSLAB_HOOK_KASAN a
 *			new cache gets (they cannot change while it lives)
 * @cache_add:		a cache was created (debugfs directory); may sleep
 * @cache_del:		a cache is being destroyed, still whole: undo
 *			@cache_add before anything else happens; may sleep
 * @object_alloc:	an object was handed out (kmemleak_alloc(), KASAN
 *			unpoison); @obj is the caller's, no lock held
 * @object_free:	an object was given back and is not reachable by any
 *			allocation yet (kmemleak_free(), KASAN poison)
 * @object_forget:	an object was leaked by a destroy: stop tracking it
 *			(kmemleak_free()) without poisoning anything
 * @slab_init:		a new slab was built, every object free (KASAN: poison
 *			the slots, object areas as free, the rest as red zone)
 * @slab_release:	a slab goes back to the buddy allocator, or is left to
 *			it by a destroy: make the whole block accessible again
 * @meta_begin:		the allocator is about to read or write free objects,
 *			red zones or records (kasan_disable_current())
 * @meta_end:		and is done
 * @should_fail:	fault injection: fail this allocation of a cache with
 *			MYSLAB_HOOK_FAILSLAB (any context)
 * @now:		a clock for owner records (jiffies)
 * @age_ms:		milliseconds since a @now value
 * @pid:		the current task's pid (0 in interrupt context)
 * @save_stack:		a handle on the current stack (stack depot), 0 for none
 * @print_stack:	log the stack of a handle, one frame per line
 * @report_begin:	a report is about to be printed: count it (KUnit) and
 *			say whether to print it (rate limit)
 *
 * The module fills these in with the kernel's facilities
 * (kmod/kernel/hooks/slab_hooks.c) and installs them with myslab_slab_set_ops()
 * before the first cache exists; the userspace simulator may install its own or
 * none. Without ops the core uses no clock, pid or stack (records carry the
 * caller and CPU only), prints every report, and never sets
 * MYSLAB_HOOK_KMEMLEAK or MYSLAB_HOOK_KASAN. Every member must be set. Hooks
 * run in the caller's context, which may be any, and must not call back into
 * the cache; only @cache_add and @cache_del may sleep.
 */
struct myslab_slab_ops {
	unsigned int (*cache_hooks)(struct myslab_cache *cache);
	void (*cache_add)(struct myslab_cache *cache);
	void (*cache_del)(struct myslab_cache *cache);
	void (*object_alloc)(struct myslab_cache *cache, void *obj, gfp_t gfp);
	void (*object_free)(struct myslab_cache *cache, void *obj);
	void (*object_forget)(struct myslab_cache *cache, void *obj);
	void (*slab_init)(struct myslab_cache *cache, struct myslab_slab *slab);
	void (*slab_release)(struct myslab_cache *cache, struct myslab_slab *slab);
	void (*meta_begin)(void);
	void (*meta_end)(void);
	bool (*should_fail)(struct myslab_cache *cache, gfp_t gfp);
	unsigned long (*now)(void);
	unsigned long (*age_ms)(unsigned long then);
	int (*pid)(void);
	u32 (*save_stack)(void);
	void (*print_stack)(u32 handle);
	bool (*report_begin)(void);
};

/**
 * struct myslab_debug_rule - one cache name (or prefix) of myslab_debug=
 * @flags:	the MYSLAB_DEBUG_FLAGS options it gives
 * @prefix:	@name ended in '*': it matches every name starting with it
 * @name:	the name, without the '*'
 */
struct myslab_debug_rule {
	unsigned int flags;
	bool prefix;
	char name[MYSLAB_CACHE_NAME_LEN];
};

/**
 * struct myslab_debug_spec - a parsed myslab_debug= value
 * @global:	options of every cache that no rule names
 * @has_global:	a block without cache names was given
 * @nr_rules:	rules in @rules
 * @rules:	per-name options, first match wins
 */
struct myslab_debug_spec {
	unsigned int global;
	bool has_global;
	unsigned int nr_rules;
	struct myslab_debug_rule rules[MYSLAB_DEBUG_SPEC_RULES];
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
 * @free_map_longs:	words of a slab header's free map, before its list map
 * @header_size:	slab header bytes
 * @first_offset:	offset of object 0 at colour 0
 * @waste:		slab bytes covered by neither header nor slots
 * @colour_step:	bytes between colours
 * @colour_range:	number of colours
 * @ctor:		constructor, run once per object when a slab is populated
 * @flags:		MYSLAB_* creation flags, the myslab_debug= options of
 *			this name included
 * @debug:		@flags & MYSLAB_DEBUG_PATH_FLAGS
 * @hooks:		MYSLAB_HOOK_*; 0 means the plain fast paths. Only
 *			MYSLAB_HOOK_FAILSLAB changes while the cache lives
 *			(under @tune_mutex, read with READ_ONCE)
 * @red_left:		red zone bytes before each object (Z)
 * @red_end:		end of the right red zone, from the object start (Z),
 *			else the object size
 * @track_offset:	offset of the owner records from the object (U)
 * @glue:		the module glue's per-cache data (debugfs directory);
 *			protected by the glue's own lock
 * @last_validate:	problems the last myslab_cache_validate() found, -1
 *			before the first; WRITE_ONCE/READ_ONCE
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
 * @shared:		shared tunable: the barn holds @shared * @batchcount
 *			objects; as @limit, written under @tune_mutex alone
 * @lock:		protects the fields below it
 * @lists:		empty, partial and full slabs (enum myslab_slab_list)
 * @nr_slabs:		slabs on each list
 * @nr_corrupted:	corrupted slabs (all on the full list)
 * @free_objects:	objects on free lists of healthy slabs
 * @lost_objects:	free objects abandoned with a corrupted free list
 * @barn:		free objects the magazines share (slab_barn.h)
 * @counters:		events counted outside any magazine lock (atomic)
 * @name:		NUL-terminated name, unique among registered caches
 *
 * Identities (cache lock held):
 *   Σ nr_slabs[i] == number of slabs on lists[i], summed == slabs held
 *   free_objects == Σ over healthy slabs (objs_per_slab - inuse)
 * and, when the cache is quiet (no object in transit, see struct
 * myslab_magazine):
 *   Σ over slabs weight(free map) == free_objects + lost_objects +
 *				      Σ over CPUs mags->count + barn.count
 *   handed-out objects == slabs * objs_per_slab - free_objects -
 *			   lost_objects - Σ mags->count - barn.count
 * myslab_cache_validate() checks all of them.
 */
struct myslab_cache {
	/* Read-mostly: set at creation. The fast paths read the first line. */
	struct myslab_magazine __percpu *mags;
	unsigned int hooks;
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
	unsigned int free_map_longs;
	unsigned int header_size;
	unsigned int first_offset;
	unsigned int waste;
	unsigned int colour_step;
	unsigned int colour_range;
	void (*ctor)(void *obj);
	unsigned int flags;
	unsigned int debug;
	unsigned int red_left;
	unsigned int red_end;
	unsigned int track_offset;
	void *glue;
	long last_validate;
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
	struct myslab_barn barn;

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

static inline u8 *myslab_slab_free_map(struct myslab_slab *slab)
{
	return (u8 *)slab->maps;
}

static inline unsigned long *myslab_slab_list_map(const struct myslab_cache *cache,
						  struct myslab_slab *slab)
{
	return slab->maps + cache->free_map_longs;
}

/*
 * The free byte of object @idx (the top of this file). The plain accesses
 * are for the plain paths, inside the change of their CPU's magazine, which
 * is what validation watches for them; every other path uses the xchg()s,
 * whose full barrier orders the byte against its transit window.
 */
static __always_inline bool myslab_obj_is_free(struct myslab_slab *slab,
					       unsigned int idx)
{
	/*
	 * Races only with a free of the same object on another CPU (the
	 * double free the plain path may miss). Not a volatile load, so that
	 * x86 tests the byte in memory: one instruction less per alloc and
	 * per free.
	 */
	return data_race(myslab_slab_free_map(slab)[idx]);
}

static __always_inline void myslab_obj_set_free(struct myslab_slab *slab,
						unsigned int idx, bool free)
{
	WRITE_ONCE(myslab_slab_free_map(slab)[idx], free);
}

/* Of two racing calls on one object, exactly one returns false. */
static __always_inline bool myslab_obj_test_and_set_free(struct myslab_slab *slab,
							 unsigned int idx)
{
	return xchg(&myslab_slab_free_map(slab)[idx], 1);
}

static __always_inline bool myslab_obj_test_and_clear_free(struct myslab_slab *slab,
							   unsigned int idx)
{
	return xchg(&myslab_slab_free_map(slab)[idx], 0);
}

/*
 * Index of the object at byte @offset from slab->objects. Exact for every
 * multiple of slot_size below 4 GiB, far beyond the largest slab (128 KiB):
 * the error term k * (recip * slot - 2^32) stays below k * slot, the offset;
 * callers check index * slot_size == offset.
 */
static inline unsigned int myslab_obj_index(const struct myslab_cache *cache,
					    unsigned long offset)
{
	return (unsigned int)(((u64)offset * cache->recip) >> 32);
}

/* Index of @obj, known to be an object start of @slab. */
static inline unsigned int myslab_obj_index_of(const struct myslab_cache *cache,
					       const struct myslab_slab *slab,
					       const void *obj)
{
	return myslab_obj_index(cache, (unsigned long)obj -
				       (unsigned long)slab->objects);
}

static inline void *myslab_obj_at(const struct myslab_cache *cache,
				  struct myslab_slab *slab, unsigned int idx)
{
	return slab->objects + (unsigned long)idx * cache->slot_size;
}

/* Is @obj the start of an object of @slab? Sets its index when it is. */
static inline bool myslab_slab_index(const struct myslab_cache *cache,
				     const struct myslab_slab *slab,
				     const void *obj, unsigned int *idx)
{
	unsigned long off = (unsigned long)obj - (unsigned long)slab->objects;

	*idx = myslab_obj_index(cache, off);
	return *idx < cache->objs_per_slab &&
	       (unsigned long)*idx * cache->slot_size == off;
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

/*
 * Objects of @slab whose free byte is set, a word at a time: a byte is 0 or
 * 1 and the bytes past the last object stay 0 (myslab_maps_init()), so a
 * word's set bits are its set bytes (a damaged byte counts more, and the
 * identity it is checked against then fails, as it should).
 */
static inline unsigned int myslab_free_weight(const struct myslab_cache *cache,
					      struct myslab_slab *slab)
{
	unsigned int i, w = 0;

	for (i = 0; i < cache->free_map_longs; i++)
		/* One load: each byte old or new, as a byte read sees it. */
		w += hweight_long(READ_ONCE(slab->maps[i]));
	return w;
}

static inline unsigned long myslab_region_offset(const struct myslab_cache *cache,
						 const void *ptr)
{
	return (unsigned long)ptr - cache->region_base;
}

/* === Usable size and the kernel's zeroing policy === */

/*
 * Bytes of an object its owner may use: the whole slot, except where a
 * constructor's free-list link follows the object in the slot, or where red
 * zones, poison or owner records follow it (myslab_cache_usable_size()).
 * __GFP_ZERO, init_on_alloc and init_on_free zero exactly this much.
 */
static inline unsigned int myslab_usable(const struct myslab_cache *cache)
{
	if (unlikely(cache->debug & (MYSLAB_RED_ZONE | MYSLAB_POISON |
				     MYSLAB_STORE_USER)))
		return cache->object_size;
	return cache->ctor ? cache->freeptr_offset : cache->slot_size;
}

/*
 * Zero an object on allocation? SLUB's rule (slab_want_init_on_alloc() in
 * mm/slab.h of 6.1 and 6.12): under init_on_alloc every object, except
 * that a constructor's state is never wiped and a poisoned cache zeroes
 * only for __GFP_ZERO (its poison checks need the pattern); otherwise what
 * the caller asks. want_init_on_alloc(0) is the boot policy alone, a static
 * branch in the kernel.
 */
static __always_inline bool myslab_want_init_on_alloc(const struct myslab_cache *cache,
						      gfp_t gfp)
{
	if (likely(!want_init_on_alloc(0)))
		return gfp & __GFP_ZERO;
	if (cache->ctor)
		return false;
	if (cache->debug & MYSLAB_POISON)
		return gfp & __GFP_ZERO;
	return true;
}

/*
 * Zero an object on free? SLUB's slab_want_init_on_free(): under
 * init_on_free, unless a constructor's state must survive or the free
 * object must hold poison.
 */
static __always_inline bool myslab_want_init_on_free(const struct myslab_cache *cache)
{
	if (likely(!want_init_on_free()))
		return false;
	return !cache->ctor && !(cache->debug & MYSLAB_POISON);
}

/*
 * Zero an object being handed out as the kernel's policy and @gfp ask: its
 * whole usable size. Failing that, under init_on_free the object was zeroed
 * when freed, except the word its free-list link may have been written to
 * since (a link inside the object, at offset 0): wipe that word, as SLUB's
 * maybe_wipe_obj_freeptr() does.
 */
static __always_inline void myslab_init_on_alloc(struct myslab_cache *cache,
						 void *obj, gfp_t gfp)
{
	if (unlikely(myslab_want_init_on_alloc(cache, gfp)))
		memset(obj, 0, myslab_usable(cache));
	else if (unlikely(myslab_want_init_on_free(cache)) &&
		 !cache->freeptr_offset)
		/* A link of an object under 8 bytes runs into its padding. */
		memset(obj, 0, min_t(size_t, sizeof(void *), myslab_usable(cache)));
}

/*
 * Zero an object being freed under init_on_free. Called once the free is
 * accepted and before the detectors are told (KASAN poisons it then), while
 * the object is still out of every magazine and free list: its link is
 * written later, when it reaches a slab's free list.
 */
static __always_inline void myslab_init_on_free(struct myslab_cache *cache,
						void *obj)
{
	if (unlikely(myslab_want_init_on_free(cache)))
		memset(obj, 0, myslab_usable(cache));
}

/* === Debug helpers (trusted pointers, slab_debug_object.c's layout) === */

static inline bool myslab_debug_path(const struct myslab_cache *cache)
{
	return cache->debug;
}

/* Free objects hold poison: P, unless a constructor's state must survive. */
static inline bool myslab_poisons(const struct myslab_cache *cache)
{
	return (cache->debug & MYSLAB_POISON) && !cache->ctor;
}

static inline struct myslab_track *myslab_track_of(const struct myslab_cache *cache,
						   void *obj,
						   enum myslab_track_item item)
{
	return (struct myslab_track *)(obj + cache->track_offset) + item;
}

/* The environment (slab_ops.c); NULL until myslab_slab_set_ops(). */
extern const struct myslab_slab_ops *myslab_slab_ops;

/*
 * Open a window in which the allocator touches free objects and their
 * metadata: with KASAN their shadow is poisoned. Returns whether to close it.
 */
static inline bool myslab_meta_begin(const struct myslab_cache *cache)
{
	if (likely(!(READ_ONCE(cache->hooks) & MYSLAB_HOOK_KASAN)))
		return false;
	myslab_slab_ops->meta_begin();
	return true;
}

static inline void myslab_meta_end(bool opened)
{
	if (unlikely(opened))
		myslab_slab_ops->meta_end();
}

/* The caller of the current function, for owner records. */
#define MYSLAB_RET_IP	((unsigned long)__builtin_return_address(0))

/* === Shared between the slab files === */

/* Events counted outside any magazine lock (struct myslab_cache.counters). */
static inline void myslab_cache_count(struct myslab_cache *cache,
				      enum myslab_cache_counter counter)
{
	atomic_long_inc(&cache->counters[counter]);
}

/* slab_alloc.c */
void *myslab_cache_alloc_caller(struct myslab_cache *cache, gfp_t gfp,
				unsigned long caller);
int myslab_cache_free_caller(struct myslab_cache *cache, void *obj,
			     unsigned long caller);
#define MYSLAB_NOT_IN_SLAB	1	/* myslab_slab_free_sized(): not ours */
int myslab_slab_free_sized(struct myslab_region *region, void *obj,
			   const struct myslab_sizes *sizes,
			   unsigned long caller);

/* slab_lists.c */
void myslab_stale_copies(struct myslab_cache *cache, const void *obj,
			 unsigned int copies);
void myslab_stale_hand_out(struct myslab_cache *cache, const void *obj);
unsigned long myslab_cache_release_empty(struct myslab_cache *cache,
					 unsigned long keep);
unsigned int myslab_freelist_walk(struct myslab_cache *cache,
				  struct myslab_slab *slab, bool report,
				  void **bad);
struct myslab_slab *myslab_slab_pick(struct myslab_cache *cache);
struct myslab_slab *myslab_slab_grow(struct myslab_cache *cache, gfp_t gfp);
void myslab_slab_attach(struct myslab_cache *cache, struct myslab_slab *slab);
struct myslab_slab *myslab_slab_pick_or_grow(struct myslab_cache *cache,
					     gfp_t gfp, unsigned long *flags);
void *myslab_slab_pop(struct myslab_cache *cache, struct myslab_slab *slab,
		      struct list_head *dispose);
void myslab_slab_push(struct myslab_cache *cache, void *obj,
		      struct list_head *dispose);
void myslab_slab_relist(struct myslab_cache *cache, struct myslab_slab *slab);
void myslab_slab_abandon(struct myslab_cache *cache, struct myslab_slab *slab,
			 struct list_head *dispose);
void myslab_slab_quarantine(struct myslab_cache *cache,
			    struct myslab_slab *slab, const void *obj,
			    struct list_head *dispose);
void myslab_slabs_trim(struct myslab_cache *cache, unsigned long keep,
		       struct list_head *dispose);
unsigned long myslab_slabs_give_back(struct myslab_cache *cache,
				     struct list_head *dispose);

unsigned long myslab_check_cached_objs(struct myslab_cache *cache,
				       void *const *objs, unsigned int nr,
				       const char *holder);

/* slab.c */
int myslab_tunables_check(unsigned int limit, unsigned int batchcount,
			  unsigned int shared);
int myslab_cache_tune_cpuslocked(struct myslab_cache *cache,
				 unsigned int limit, unsigned int batchcount,
				 unsigned int shared);

/* slab_ops.c */
int myslab_slab_set_ops(const struct myslab_slab_ops *ops);
unsigned int myslab_cache_hooks_for(struct myslab_cache *cache);
void myslab_cache_set_failslab(struct myslab_cache *cache, bool on);

/* slab_debug_options.c */
int myslab_debug_parse(const char *str, struct myslab_debug_spec *spec,
		       const char **why);
int myslab_debug_spec_string(const struct myslab_debug_spec *spec, char *buf,
			     size_t size);
void myslab_debug_set_spec(const struct myslab_debug_spec *spec);
unsigned int myslab_debug_spec_flags(const struct myslab_debug_spec *spec,
				     const char *name);
unsigned int myslab_debug_flags_for(const char *name);

/* slab_debug_object.c */
void myslab_debug_init_object(struct myslab_cache *cache, void *obj);
unsigned long myslab_debug_validate_slab(struct myslab_cache *cache,
					 struct myslab_slab *slab);
void myslab_report_object(struct myslab_cache *cache, const void *obj,
			  const char *fmt, ...) __printf(3, 4);
void myslab_invalid(struct myslab_cache *cache, const char *fmt, ...)
	__printf(2, 3);
bool myslab_report_begin(void);
long myslab_cache_tracks(struct myslab_cache *cache,
			 enum myslab_track_item item,
			 struct myslab_track *out, unsigned long max);

/* slab_debug.c */
void *myslab_debug_alloc(struct myslab_cache *cache, gfp_t gfp,
			 unsigned long caller);
void myslab_debug_free(struct myslab_cache *cache, void *obj,
		       unsigned long caller);
int myslab_debug_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			    size_t nr, void **objs, unsigned long caller);

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

/*
 * A one-line report of misuse or damage. Every report goes through
 * myslab_report_begin(): counted for a KUnit test that asks (the
 * "myslab_errors" named resource), rate-limited otherwise.
 */
#define myslab_report(cache, fmt, ...)					\
	do {								\
		if (myslab_report_begin())				\
			pr_err("cache %s: " fmt "\n", (cache)->name,	\
			       ##__VA_ARGS__);				\
	} while (0)

#endif /* _MYSLAB_SLAB_INTERNAL_H */
