/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab size classes: the set's struct and its by-size paths, owned by
 * sizes.c (which says why the classes are these).
 *
 * The paths are inline here so that myslab_kmalloc() and myslab_kfree()
 * (caches_default.c) reach the class cache in one call, not two: a call
 * into sizes.c on each of them cost about 20 more instructions per
 * kmalloc+kfree pair. The size-to-class table is read-only data copied
 * into each file that uses it.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/
 * provides.
 */
#ifndef _MYSLAB_SIZES_H
#define _MYSLAB_SIZES_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/types.h>

#include "core/slab/slab_internal.h"

#define MYSLAB_NR_SIZE_CLASSES	13
#define MYSLAB_MAX_CLASS_SIZE	8192
#define MYSLAB_CLASS_256	7	/* the first class above 192 */

/* Class index of sizes 1..192, by (size - 1) / 8. */
static const u8 myslab_small_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3,		/*   1..64  ->  8 16 32 32 64 64 64 64 */
	4, 4, 4, 4, 5, 5, 5, 5,		/*  65..128 -> 96 x4, 128 x4 */
	6, 6, 6, 6, 6, 6, 6, 6,		/* 129..192 -> 192 */
};

/**
 * struct myslab_sizes - a set of size classes on one region
 * @region:	region of every cache and of the large blocks
 * @max_order:	largest order the region hands out
 * @caches:	one cache per class, immutable while the set lives; NULL for
 *		the largest classes when the region's blocks are too small
 *		for their slabs (those sizes then come from the buddy)
 * @large_allocs: blocks handed out for sizes above the largest class
 * @large_frees: such blocks freed
 * @large_failed: large requests that failed
 * @bad_frees:	frees refused before reaching a cache (outside the region,
 *		not a block start, block already free)
 * @prefix:	class cache names are "<prefix>-<size>"
 */
struct myslab_sizes {
	struct myslab_region *region;
	unsigned int max_order;
	struct myslab_cache *caches[MYSLAB_NR_SIZE_CLASSES];
	atomic_long_t large_allocs;
	atomic_long_t large_frees;
	atomic_long_t large_failed;
	atomic_long_t bad_frees;
	char prefix[MYSLAB_CACHE_NAME_LEN];
};

/* Class of a size in 1..MYSLAB_MAX_CLASS_SIZE. */
static __always_inline unsigned int myslab_size_index(size_t size)
{
	if (size <= 192)
		return myslab_small_index[(size - 1) / 8];
	return MYSLAB_CLASS_256 + fls((unsigned int)size - 1) - 8;
}

/* Sizes above the largest class the set has a cache for (sizes.c). */
void *myslab_sizes_alloc_large(struct myslab_sizes *sizes, size_t size,
			       gfp_t gfp);
int myslab_sizes_free_large(struct myslab_sizes *sizes, const void *ptr);

/*
 * myslab_sizes_alloc() on behalf of @caller (owner records of kmalloc).
 * Every path asserts might_sleep() for a blocking @gfp, the class caches'
 * in their alloc: asserting it here too put a call, and with it a stack
 * frame, on every kmalloc (12 instructions an alloc on stock 6.1).
 */
static __always_inline void *
myslab_sizes_alloc_caller(struct myslab_sizes *sizes, size_t size, gfp_t gfp,
			  unsigned long caller)
{
	if (unlikely(!size)) {
		might_sleep_if(gfpflags_allow_blocking(gfp));
		return ZERO_SIZE_PTR;
	}
	if (likely(size <= MYSLAB_MAX_CLASS_SIZE)) {
		struct myslab_cache *cache = sizes->caches[myslab_size_index(size)];

		if (likely(cache))
			return myslab_cache_alloc_caller(cache, gfp, caller);
	}
	return myslab_sizes_alloc_large(sizes, size, gfp);
}

/*
 * myslab_sizes_free() on behalf of @caller (owner records of kfree). One
 * owner lookup decides between a class cache and a large block, and the
 * cache's free does not repeat it.
 */
static __always_inline int
myslab_sizes_free_caller(struct myslab_sizes *sizes, const void *ptr,
			 unsigned long caller)
{
	int ret;

	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return 0;
	ret = myslab_slab_free_sized(sizes->region, (void *)ptr, sizes, caller);
	if (likely(ret != MYSLAB_NOT_IN_SLAB))
		return ret;
	return myslab_sizes_free_large(sizes, ptr);
}

#endif /* _MYSLAB_SIZES_H */
