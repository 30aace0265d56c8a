/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab slab caches and size classes: public in-kernel interface.
 *
 * A cache hands out objects of one size, carved from slabs, which are blocks
 * of the buddy allocator of one region. Size classes (myslab_kmalloc()) are a
 * set of caches plus the buddy allocator for sizes beyond the largest class.
 *
 * Context: allocation and free (single, bulk, by size), the usable size at
 * a pointer (myslab_sizes_usable_size(), myslab_ksize()) and
 * myslab_cache_stats() follow the rule of the buddy allocator (see
 * <myslab/buddy.h>): they never sleep, whatever the gfp mask, beyond waiting
 * for their locks, all spinlock_t with PREEMPT_RT (the per-CPU magazine
 * locks included). Without PREEMPT_RT they may be called from any context
 * but NMI, hard interrupt context and interrupts disabled included; with
 * PREEMPT_RT, as kmalloc() there, only where a spinlock_t may be taken: not
 * in hard interrupt context or NMI, nor with a raw_spinlock_t held or with
 * interrupts or preemption disabled. Constructors run in the allocating
 * context, sometimes under this CPU's magazine lock (preemption disabled;
 * with PREEMPT_RT, migration disabled and a spinlock_t held), and must not
 * sleep. Creating, tuning, shrinking and destroying a cache may sleep.
 *
 * Misuse of a free function is reported (rate-limited, with the address as a
 * region offset and what was expected), counted in the cache, and refused with
 * the allocator's state unchanged. The errno tells which kind it was:
 *
 *   -EFAULT	the pointer is not inside the cache's (or size set's) region
 *   -EINVAL	inside the region but not the start of an object: not in a
 *		slab, in a slab header or leftover, or in the middle of an object
 *		(for size classes: not the start of a block from the buddy)
 *   -EXDEV	the object belongs to another cache (or to another size set)
 *   -EALREADY	the object is already free (double free)
 *   -ESTALE	the object belongs to a cache destroyed while it was live
 *
 * Freeing NULL (and, for size classes, ZERO_SIZE_PTR) does nothing and
 * returns 0.
 */
#ifndef _MYSLAB_SLAB_H
#define _MYSLAB_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>

struct myslab_region;
struct myslab_cache;
struct myslab_sizes;

/* Longest cache name, including the terminating NUL. */
#define MYSLAB_CACHE_NAME_LEN	32

/* Flags for myslab_cache_create(). */
#define MYSLAB_HWCACHE_ALIGN	0x1u	/* align objects to a cache line */

/*
 * Debug options, per cache (flags of myslab_cache_create()) or by name with
 * the module parameter myslab_debug= (letters as slub_debug's). Off by
 * default. A cache with any of F, Z, P or U takes the debug paths: no
 * per-CPU magazines, every allocation and free under the cache's lock, with
 * the checks below. What each finds is reported once, counted in the
 * cache's error counters and repaired (README.md, "Debugging").
 */
/* F: walk the slab's free list and maps on every alloc and free */
#define MYSLAB_CONSISTENCY_CHECKS	0x1000u
/* Z: red zones before and after every object, checked on alloc and free */
#define MYSLAB_RED_ZONE		0x2000u
/* P: fill free objects with poison, checked on alloc (not with a ctor) */
#define MYSLAB_POISON		0x4000u
/* U: record the last alloc and free (caller, pid, CPU, time, stack) */
#define MYSLAB_STORE_USER	0x8000u
/* A: a target of failslab fault injection (takes no debug path) */
#define MYSLAB_FAILSLAB		0x10000u
#define MYSLAB_DEBUG_FLAGS	(MYSLAB_CONSISTENCY_CHECKS | MYSLAB_RED_ZONE | \
				 MYSLAB_POISON | MYSLAB_STORE_USER | \
				 MYSLAB_FAILSLAB)
#define MYSLAB_CACHE_FLAGS	(MYSLAB_HWCACHE_ALIGN | MYSLAB_DEBUG_FLAGS)

/* The bytes of the debug options, SLUB's values (include/linux/poison.h). */
#define MYSLAB_RED_INACTIVE	0xbb	/* red zone of a free object */
#define MYSLAB_RED_ACTIVE	0xcc	/* red zone of an object handed out */
#define MYSLAB_POISON_FREE	0x6b	/* every byte of a free object ... */
#define MYSLAB_POISON_END	0xa5	/* ... but its last */

/* Longest myslab_debug= value, terminating NUL included. */
#define MYSLAB_DEBUG_SPEC_LEN	256
/* Most cache names (or name prefixes) a myslab_debug= value may give. */
#define MYSLAB_DEBUG_SPEC_RULES	16

/* Largest per-CPU magazine: the upper bound of the "limit" tunable. */
#define MYSLAB_MAGAZINE_MAX	256
/* Largest barn, in batches: the upper bound of the "shared" tunable. */
#define MYSLAB_SHARED_MAX	16

/**
 * enum myslab_cache_counter - event counters of a cache
 * @MYSLAB_CACHE_ALLOC_FAST:	allocations served by the local magazine
 * @MYSLAB_CACHE_ALLOC_SLOW:	allocations that found the magazine empty
 * @MYSLAB_CACHE_FREE_FAST:	frees that found room in the local magazine
 * @MYSLAB_CACHE_FREE_SLOW:	frees that found the magazine full
 * @MYSLAB_CACHE_REFILLS:	magazine refills, from the barn or the slab lists
 * @MYSLAB_CACHE_FLUSHES:	batches flushed from a magazine to the barn or
 *				the slabs
 * @MYSLAB_CACHE_REFILLS_BARN:	refills the barn served
 * @MYSLAB_CACHE_FLUSHES_BARN:	flushes the barn took (all or part of)
 * @MYSLAB_CACHE_DRAINS:	magazines emptied by shrink, tune or destroy
 * @MYSLAB_CACHE_SLABS_TAKEN:	slabs taken from the buddy allocator
 * @MYSLAB_CACHE_SLABS_GIVEN:	slabs given back to the buddy allocator
 * @MYSLAB_CACHE_ALLOC_FAILED:	allocations that returned NULL
 * @MYSLAB_CACHE_ERR_OUTSIDE:	frees refused: pointer outside the region
 * @MYSLAB_CACHE_ERR_NOT_OBJECT: frees refused: not the start of an object
 * @MYSLAB_CACHE_ERR_WRONG_CACHE: frees refused: object of another cache
 * @MYSLAB_CACHE_ERR_DOUBLE_FREE: frees refused: object already free
 * @MYSLAB_CACHE_ERR_FREELIST:	corrupted free-list pointers found
 * @MYSLAB_CACHE_ERR_REDZONE:	red zones found overwritten (Z)
 * @MYSLAB_CACHE_ERR_POISON:	free objects found written to (P)
 * @MYSLAB_CACHE_ERR_INCONSISTENT: accounting inconsistencies found by
 *				myslab_cache_validate()
 * @MYSLAB_CACHE_FAULTS_INJECTED: allocations failed on purpose (failslab);
 *				counted in alloc_failed too
 * @MYSLAB_CACHE_NR_COUNTERS:	number of counters
 *
 * The ERR counters of a cache count misuse aimed at it (a free given to this
 * cache, or, for size classes, an object of this cache, that was refused) and
 * damage found in it.
 */
enum myslab_cache_counter {
	MYSLAB_CACHE_ALLOC_FAST,
	MYSLAB_CACHE_ALLOC_SLOW,
	MYSLAB_CACHE_FREE_FAST,
	MYSLAB_CACHE_FREE_SLOW,
	MYSLAB_CACHE_REFILLS,
	MYSLAB_CACHE_FLUSHES,
	MYSLAB_CACHE_REFILLS_BARN,
	MYSLAB_CACHE_FLUSHES_BARN,
	MYSLAB_CACHE_DRAINS,
	MYSLAB_CACHE_SLABS_TAKEN,
	MYSLAB_CACHE_SLABS_GIVEN,
	MYSLAB_CACHE_ALLOC_FAILED,
	MYSLAB_CACHE_ERR_OUTSIDE,
	MYSLAB_CACHE_ERR_NOT_OBJECT,
	MYSLAB_CACHE_ERR_WRONG_CACHE,
	MYSLAB_CACHE_ERR_DOUBLE_FREE,
	MYSLAB_CACHE_ERR_FREELIST,
	MYSLAB_CACHE_ERR_REDZONE,
	MYSLAB_CACHE_ERR_POISON,
	MYSLAB_CACHE_ERR_INCONSISTENT,
	MYSLAB_CACHE_FAULTS_INJECTED,
	MYSLAB_CACHE_NR_COUNTERS,
};

/**
 * struct myslab_cache_stats - a snapshot of one cache, as /proc/myslabinfo shows it
 * @name:		cache name
 * @object_size:	size the creator asked for
 * @slot_size:		bytes between object starts (object, free pointer of a
 *			cache with a constructor, alignment padding)
 * @align:		object alignment
 * @order:		each slab is 2^@order pages
 * @objs_per_slab:	objects in one slab
 * @header_size:	bytes of the slab header at the start of each slab
 * @waste:		bytes per slab covered by neither the header nor a slot
 *			(the room colouring moves the objects in)
 * @colour_step:	bytes between two colours (a cache line or @align)
 * @colour_range:	number of different colour offsets successive slabs use
 * @active_objs:	objects handed out: @num_objs less the free objects in
 *			slabs, magazines and the barn (objects lost on a
 *			corrupted free list count as active until their slab is
 *			given back)
 * @num_objs:		objects in all slabs
 * @active_slabs:	slabs with at least one object not on their free list
 *			(handed out or in a magazine)
 * @num_slabs:		slabs the cache holds
 * @empty_slabs:	slabs with every object on their free list
 * @partial_slabs:	slabs with some objects on their free list
 * @full_slabs:		slabs with none on their free list (corrupted ones too)
 * @corrupted_slabs:	slabs whose free list was found corrupted and abandoned
 * @lost_objs:		free objects unreachable behind a corrupted free list
 * @limit:		per-CPU magazine capacity
 * @batchcount:		objects moved between a magazine and the barn or the
 *			slabs at once
 * @shared:		the slabinfo format's sharedfactor: the barn, the free
 *			objects the magazines share, holds @shared batches
 * @cpu_cached:		free objects currently held in per-CPU magazines
 * @shared_avail:	free objects currently held in the barn (sharedavail)
 *
 * Identities: @num_objs == @num_slabs * @objs_per_slab, and
 * @num_slabs == @empty_slabs + @partial_slabs + @full_slabs. The numbers are
 * exact when the cache is quiet; while other CPUs work on it, the magazine
 * fill levels are each read once and may be a moment apart.
 */
struct myslab_cache_stats {
	char name[MYSLAB_CACHE_NAME_LEN];
	unsigned int object_size;
	unsigned int slot_size;
	unsigned int align;
	unsigned int order;
	unsigned int objs_per_slab;
	unsigned int header_size;
	unsigned int waste;
	unsigned int colour_step;
	unsigned int colour_range;
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned long empty_slabs;
	unsigned long partial_slabs;
	unsigned long full_slabs;
	unsigned long corrupted_slabs;
	unsigned long lost_objs;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int shared;
	unsigned long cpu_cached;
	unsigned long shared_avail;
};

struct myslab_cache *myslab_cache_create(struct myslab_region *region,
					 const char *name, unsigned int size,
					 unsigned int align, unsigned int flags,
					 void (*ctor)(void *obj));
unsigned long myslab_cache_destroy(struct myslab_cache *cache);
void *myslab_cache_alloc(struct myslab_cache *cache, gfp_t gfp);
int myslab_cache_free(struct myslab_cache *cache, void *obj);
int myslab_cache_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			    size_t nr, void **objs);
void myslab_cache_free_bulk(struct myslab_cache *cache, size_t nr,
			    void **objs);
unsigned long myslab_cache_shrink(struct myslab_cache *cache);
unsigned int myslab_cache_usable_size(const struct myslab_cache *cache);
int myslab_cache_tune(struct myslab_cache *cache, unsigned int limit,
		      unsigned int batchcount, unsigned int shared);
void myslab_cache_stats(struct myslab_cache *cache,
			struct myslab_cache_stats *stats);
void myslab_cache_counters(struct myslab_cache *cache,
			   unsigned long counters[MYSLAB_CACHE_NR_COUNTERS]);
const char *myslab_cache_counter_name(enum myslab_cache_counter counter);
long myslab_cache_validate(struct myslab_cache *cache);
void myslab_cache_reset_counters(struct myslab_cache *cache);
unsigned int myslab_cache_debug_flags(const struct myslab_cache *cache);
int myslab_debug_flags_string(unsigned int flags, char *buf, size_t size);
const char *myslab_cache_name(const struct myslab_cache *cache);
struct myslab_region *myslab_cache_region(const struct myslab_cache *cache);

struct myslab_sizes *myslab_sizes_create(struct myslab_region *region,
					 const char *prefix);
unsigned long myslab_sizes_destroy(struct myslab_sizes *sizes);
void *myslab_sizes_alloc(struct myslab_sizes *sizes, size_t size, gfp_t gfp);
int myslab_sizes_free(struct myslab_sizes *sizes, const void *ptr);
size_t myslab_sizes_usable_size(struct myslab_sizes *sizes, const void *ptr);
struct myslab_cache *myslab_sizes_cache(struct myslab_sizes *sizes,
					size_t size);
size_t myslab_sizes_max_cached(void);
unsigned int myslab_sizes_nr_classes(void);
size_t myslab_sizes_class_size(unsigned int index);

void *myslab_kmalloc(size_t size, gfp_t gfp);
void myslab_kfree(const void *ptr);
size_t myslab_ksize(const void *ptr);

#endif /* _MYSLAB_SLAB_H */
