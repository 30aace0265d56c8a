// SPDX-License-Identifier: GPL-2.0
/*
 * myslab size classes: kmalloc-style allocation by size on one region, free
 * by pointer alone.
 *
 * The classes, and why these:
 *
 *   8 16 32 64 96 128 192 256 512 1k 2k 4k 8k   one cache each ("<prefix>-<size>")
 *   above 8k                     the buddy allocator: the smallest block of
 *                                2^order pages that fits
 *
 * - Up to 256 bytes, where most allocations are, the classes are kmalloc's:
 *   powers of two plus 96 and 192, which cut the worst rounding loss between
 *   64 and 256 from 50% to 33% (a 65-byte request gets 96, not 128).
 * - Power-of-two classes are aligned to their size, as kmalloc guarantees,
 *   up to a page: regions are page-aligned vmalloc() or physical memory, so
 *   no block or slab in them is aligned to more (the 8k class, like a large
 *   block, is page aligned). 96 and 192 are 8-byte aligned. From 64 to 2k,
 *   the on-slab header (80 to 128 bytes: a byte and a bit per object) costs
 *   no object: it fits in the first object's alignment padding or in the
 *   leftover. For 8, 16 and 32 the free byte costs 47, 13 and 4 objects a
 *   page against a free bit.
 * - 4k and 8k are classes, as in SLUB, because a page allocation costs more
 *   than twice a cache's alloc+free (653 instructions a kmalloc(4096)/kfree
 *   pair through the buddy's per-CPU pages against 267 for SLUB's kmalloc-4k,
 *   stock 6.1, make bench-kernel with KBENCH_ICOUNT=1). Their header takes a
 *   whole slot, so their slabs are larger (MYSLAB_SLAB_MAX_ORDER_LARGE): 15
 *   objects in 64 KiB and 15 in 128 KiB, one slot in 16 lost where the buddy
 *   hands out 4 KiB and 8 KiB exactly. Above 8k, as in SLUB, sizes come from
 *   the buddy directly: the rounding loss there is at most half a block, as
 *   for any binary buddy. A region whose largest block cannot hold a class's
 *   slab (a private region of small blocks) serves that class and the larger
 *   ones from the buddy as well.
 *
 * Free by pointer alone: the buddy's per-page metadata names the owner of a
 * slab block (the cache) in O(1); a pointer in no slab must be the start of a
 * block handed out by the buddy allocator.
 *
 * Size 0 returns ZERO_SIZE_PTR, as kmalloc does: not NULL, never dereferenced,
 * freed as a no-op, usable size 0.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sizes.h"
#include "core/slab/slab_internal.h"

static const unsigned int myslab_class_sizes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

/* myslab_size_index() in sizes.h maps sizes onto this table. */
static_assert(ARRAY_SIZE(myslab_class_sizes) == MYSLAB_NR_SIZE_CLASSES);

/* Counted and rate-limited like every slab-layer report. */
#define myslab_sizes_report(sizes, fmt, ...)				\
	do {								\
		if (myslab_report_begin())				\
			pr_err("size set %s: " fmt "\n", (sizes)->prefix, \
			       ##__VA_ARGS__);				\
	} while (0)

/* === Classes === */

/**
 * myslab_sizes_nr_classes() - number of size classes served by caches
 *
 * Return: the number of classes.
 */
unsigned int myslab_sizes_nr_classes(void)
{
	return MYSLAB_NR_SIZE_CLASSES;
}
EXPORT_SYMBOL_GPL(myslab_sizes_nr_classes);

/**
 * myslab_sizes_class_size() - object size of a class
 * @index: class index, 0..myslab_sizes_nr_classes() - 1
 *
 * Return: the class's object size, or 0 for an index out of range.
 */
size_t myslab_sizes_class_size(unsigned int index)
{
	if (index >= MYSLAB_NR_SIZE_CLASSES)
		return 0;
	return myslab_class_sizes[index];
}
EXPORT_SYMBOL_GPL(myslab_sizes_class_size);

/**
 * myslab_sizes_max_cached() - largest size served by a cache
 *
 * Return: the size of the largest class; larger sizes come from the buddy.
 * A set on a region whose largest block cannot hold a class's slab serves
 * that class and the larger ones from the buddy too (myslab_sizes_cache()
 * returns NULL for them).
 */
size_t myslab_sizes_max_cached(void)
{
	return MYSLAB_MAX_CLASS_SIZE;
}
EXPORT_SYMBOL_GPL(myslab_sizes_max_cached);

/**
 * myslab_sizes_cache() - the cache that serves a size
 * @sizes: the size set
 * @size: requested size
 *
 * Return: the cache, or NULL for 0 and for sizes above the largest class
 * the set has a cache for.
 */
struct myslab_cache *myslab_sizes_cache(struct myslab_sizes *sizes,
					size_t size)
{
	if (!size || size > MYSLAB_MAX_CLASS_SIZE)
		return NULL;
	return sizes->caches[myslab_size_index(size)];
}
EXPORT_SYMBOL_GPL(myslab_sizes_cache);

/* === Creation and destruction === */

static void myslab_class_name(char *buf, size_t len, const char *prefix,
			      unsigned int size)
{
	if (size >= 1024)
		snprintf(buf, len, "%s-%uk", prefix, size / 1024);
	else
		snprintf(buf, len, "%s-%u", prefix, size);
}

/**
 * myslab_sizes_create() - create a set of size classes on a region
 * @region: the region
 * @prefix: names the class caches "<prefix>-8" ... "<prefix>-8k"; at most
 *	MYSLAB_CACHE_NAME_LEN - 5 printable characters without spaces
 *
 * Context: may sleep.
 * Return: the set, or an ERR_PTR: -EINVAL for a bad prefix, -EEXIST when a
 * class name is taken, -ENOMEM.
 */
struct myslab_sizes *myslab_sizes_create(struct myslab_region *region,
					 const char *prefix)
{
	char name[MYSLAB_CACHE_NAME_LEN];
	struct myslab_buddy_stats *bs;
	struct myslab_sizes *sizes;
	struct myslab_cache *cache;
	unsigned int i, size;
	int err;

	if (!region || myslab_cache_name_check(prefix) ||
	    strlen(prefix) > MYSLAB_CACHE_NAME_LEN - 5)
		return ERR_PTR(-EINVAL);
	sizes = kzalloc(sizeof(*sizes), GFP_KERNEL);
	bs = kzalloc(sizeof(*bs), GFP_KERNEL);
	if (!sizes || !bs) {
		kfree(bs);
		kfree(sizes);
		return ERR_PTR(-ENOMEM);
	}
	myslab_buddy_stats(region, bs);
	sizes->max_order = bs->max_order;
	kfree(bs);
	sizes->region = region;
	strscpy(sizes->prefix, prefix, sizeof(sizes->prefix));
	atomic_long_set(&sizes->large_allocs, 0);
	atomic_long_set(&sizes->large_frees, 0);
	atomic_long_set(&sizes->large_failed, 0);
	atomic_long_set(&sizes->bad_frees, 0);

	for (i = 0; i < MYSLAB_NR_SIZE_CLASSES; i++) {
		size = myslab_class_sizes[i];
		myslab_class_name(name, sizeof(name), prefix, size);
		cache = myslab_cache_create(region, name, size,
					    is_power_of_2(size) ?
					    min_t(unsigned int, size, PAGE_SIZE) : 8,
					    0, NULL);
		/* A small region: this class and the larger ones are large. */
		if (PTR_ERR(cache) == -E2BIG && i)
			break;
		if (IS_ERR(cache)) {
			err = PTR_ERR(cache);
			goto out_unwind;
		}
		WRITE_ONCE(cache->sizes, sizes);
		sizes->caches[i] = cache;
	}
	return sizes;

out_unwind:
	while (i-- > 0)
		myslab_cache_destroy(sizes->caches[i]);
	kfree(sizes);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(myslab_sizes_create);

/**
 * myslab_sizes_destroy() - destroy a set of size classes
 * @sizes: the set (NULL or an ERR_PTR does nothing)
 *
 * Destroys every class cache (see myslab_cache_destroy() for objects still
 * allocated) and reports large blocks never freed; those stay allocated.
 *
 * Context: may sleep.
 * Return: objects and large blocks leaked (0 for a clean destroy).
 */
unsigned long myslab_sizes_destroy(struct myslab_sizes *sizes)
{
	unsigned long leaked = 0, large;
	unsigned int i;

	if (IS_ERR_OR_NULL(sizes))
		return 0;
	for (i = 0; i < MYSLAB_NR_SIZE_CLASSES; i++)
		leaked += myslab_cache_destroy(sizes->caches[i]);
	large = atomic_long_read(&sizes->large_allocs) -
		atomic_long_read(&sizes->large_frees);
	if (large)
		pr_err("size set %s destroyed with %lu large blocks still allocated: leaving them allocated\n",
		       sizes->prefix, large);
	kfree(sizes);
	return leaked + large;
}
EXPORT_SYMBOL_GPL(myslab_sizes_destroy);

/* === Allocation === */

void *myslab_sizes_alloc_large(struct myslab_sizes *sizes, size_t size,
			       gfp_t gfp)
{
	unsigned int order;
	void *p = NULL;

	might_sleep_if(gfpflags_allow_blocking(gfp));
	if (size <= (PAGE_SIZE << sizes->max_order)) {
		order = order_base_2(DIV_ROUND_UP(size, PAGE_SIZE));
		p = myslab_alloc_pages(sizes->region, order, gfp);
	}
	if (unlikely(!p)) {
		atomic_long_inc(&sizes->large_failed);
		return NULL;
	}
	atomic_long_inc(&sizes->large_allocs);
	return p;
}

/**
 * myslab_sizes_alloc() - allocate by size
 * @sizes: the size set
 * @size: bytes wanted
 * @gfp: allocation flags (__GFP_ZERO zeroes the whole usable size, that is
 *	myslab_sizes_usable_size())
 *
 * Zeroing follows the kernel's policy as myslab_cache_alloc() does; a
 * large block is zeroed whole under init_on_alloc as well.
 *
 * Context: never sleeps, but a @gfp that allows blocking asserts, as for
 * kmalloc(), that the caller could (might_sleep()); with GFP_ATOMIC or
 * GFP_NOWAIT, any context but NMI, hard interrupts and interrupts disabled
 * included. With PREEMPT_RT, as kmalloc()
 * there, only where a spinlock_t may be taken: not in hard interrupt
 * context, nor with a raw_spinlock_t held or interrupts or preemption
 * disabled (see <myslab/slab.h>).
 *
 * Return: memory of at least @size bytes, aligned to @size when it is a
 * power of two up to PAGE_SIZE, to a page above that, and to at least 8
 * bytes otherwise; ZERO_SIZE_PTR for 0; NULL when out of memory or
 * above the region's largest block.
 */
void *myslab_sizes_alloc(struct myslab_sizes *sizes, size_t size, gfp_t gfp)
{
	return myslab_sizes_alloc_caller(sizes, size, gfp, MYSLAB_RET_IP);
}
EXPORT_SYMBOL_GPL(myslab_sizes_alloc);

/* === Free by pointer === */

static void myslab_sizes_bad_free(struct myslab_sizes *sizes)
{
	atomic_long_inc(&sizes->bad_frees);
}

/* Count a large free that reached the buddy: done, or refused there. */
static int myslab_sizes_large_freed(struct myslab_sizes *sizes, int err)
{
	if (unlikely(err)) {
		/* Lost a race with another free: the buddy reported it. */
		myslab_sizes_bad_free(sizes);
		return err;
	}
	atomic_long_inc(&sizes->large_frees);
	return 0;
}

/*
 * A large free that is not the first byte of an allocated page block: look
 * the block up to say what the pointer is. Should the block have become a
 * valid one meanwhile, it is freed, as when the look-up came first.
 */
static noinline int myslab_sizes_free_large_slow(struct myslab_sizes *sizes,
						 const void *ptr)
{
	struct myslab_block_info info;
	unsigned long off;
	int err;

	if (!myslab_region_contains(sizes->region, ptr)) {
		myslab_sizes_bad_free(sizes);
		myslab_sizes_report(sizes, "free of %p: outside region %s",
				    ptr, myslab_region_name(sizes->region));
		return -EFAULT;
	}
	off = (unsigned long)ptr -
	      (unsigned long)myslab_region_mem(sizes->region)->base;
	err = myslab_block_lookup(sizes->region, ptr, &info);
	if (!err && (info.state == MYSLAB_BLOCK_FREE ||
		     info.state == MYSLAB_BLOCK_PCP)) {
		myslab_sizes_bad_free(sizes);
		myslab_sizes_report(sizes, "double free of block at region offset %#lx",
				    off);
		return -EALREADY;
	}
	if (err || info.state != MYSLAB_BLOCK_ALLOC || info.base != ptr) {
		myslab_sizes_bad_free(sizes);
		myslab_sizes_report(sizes,
				    "free of region offset %#lx: not an object nor the start of an allocated block",
				    off);
		return -EINVAL;
	}
	return myslab_sizes_large_freed(sizes,
					myslab_free_pages(sizes->region,
							  (void *)ptr, info.order));
}

int myslab_sizes_free_large(struct myslab_sizes *sizes, const void *ptr)
{
	int err;

	/* One look at the block's head, which gives the free its order. */
	err = myslab_free_pages_unsized(sizes->region, (void *)ptr);
	if (unlikely(err == -ENOENT))
		return myslab_sizes_free_large_slow(sizes, ptr);
	return myslab_sizes_large_freed(sizes, err);
}

/**
 * myslab_sizes_free() - free memory from a size set by pointer alone
 * @sizes: the size set it came from
 * @ptr: the pointer myslab_sizes_alloc() returned, NULL or ZERO_SIZE_PTR
 *
 * Context: never sleeps; any context but NMI, hard interrupts and
 * interrupts disabled included. With PREEMPT_RT, as kmalloc() there, only
 * where a spinlock_t may be taken: not in hard interrupt context, nor with
 * a raw_spinlock_t held or interrupts or preemption disabled (see
 * <myslab/slab.h>).
 *
 * Return: 0, or a negative errno for a refused free (see <myslab/slab.h>);
 * the misuse is reported and counted, and nothing changes.
 */
int myslab_sizes_free(struct myslab_sizes *sizes, const void *ptr)
{
	return myslab_sizes_free_caller(sizes, ptr, MYSLAB_RET_IP);
}
EXPORT_SYMBOL_GPL(myslab_sizes_free);

/**
 * myslab_sizes_usable_size() - bytes usable at a pointer from a size set
 * @sizes: the size set
 * @ptr: a live pointer from myslab_sizes_alloc()
 *
 * Context: as myslab_sizes_free().
 * Return: the usable size (the class size, or the whole block for large
 * sizes), or 0 for NULL, ZERO_SIZE_PTR and pointers that are not live
 * allocations of @sizes.
 */
size_t myslab_sizes_usable_size(struct myslab_sizes *sizes, const void *ptr)
{
	struct myslab_block_info info;
	struct myslab_cache *cache;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;
	cache = myslab_slab_owner(sizes->region, ptr);
	if (cache)
		return READ_ONCE(cache->sizes) == sizes ?
		       myslab_cache_usable_size(cache) : 0;
	if (myslab_block_lookup(sizes->region, ptr, &info) ||
	    info.state != MYSLAB_BLOCK_ALLOC || info.base != ptr)
		return 0;
	return PAGE_SIZE << info.order;
}
EXPORT_SYMBOL_GPL(myslab_sizes_usable_size);
