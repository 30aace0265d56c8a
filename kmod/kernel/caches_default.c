// SPDX-License-Identifier: GPL-2.0
/*
 * The caches myslab creates at load, on the main region:
 *   - "task_struct": sized and aligned for this kernel's struct task_struct,
 *     with the alignment kernel/fork.c gives the kernel's own cache;
 *   - the size classes "kmalloc-8" ... "kmalloc-8k" (sizes.c), behind
 *     myslab_kmalloc(), myslab_kfree() and myslab_ksize().
 * At unload it destroys them and frees the descriptors of every cache that
 * was destroyed with objects still allocated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "module.h"
#include "core/sizes/sizes.h"
#include "core/slab/slab_internal.h"

/* kernel/fork.c: align = max(L1_CACHE_BYTES, ARCH_MIN_TASKALIGN) */
#ifndef ARCH_MIN_TASKALIGN
#define ARCH_MIN_TASKALIGN	0
#endif

static struct myslab_cache *myslab_task_cache;
static struct myslab_sizes *myslab_main_sizes;

/**
 * myslab_kmalloc() - allocate by size from the main region's size classes
 * @size: bytes wanted
 * @gfp: allocation flags (__GFP_ZERO honoured)
 *
 * See myslab_sizes_alloc().
 *
 * Context: as myslab_sizes_alloc().
 * Return: the memory, ZERO_SIZE_PTR for 0, or NULL.
 */
void *myslab_kmalloc(size_t size, gfp_t gfp)
{
	struct myslab_sizes *sizes = READ_ONCE(myslab_main_sizes);

	if (unlikely(!sizes))
		return NULL;
	return myslab_sizes_alloc_caller(sizes, size, gfp, _RET_IP_);
}
EXPORT_SYMBOL_GPL(myslab_kmalloc);

/**
 * myslab_kfree() - free memory from myslab_kmalloc()
 * @ptr: the pointer, NULL or ZERO_SIZE_PTR
 *
 * A bad pointer is reported, counted and refused (see myslab_sizes_free()).
 *
 * Context: as myslab_sizes_free().
 */
void myslab_kfree(const void *ptr)
{
	struct myslab_sizes *sizes = READ_ONCE(myslab_main_sizes);

	if (likely(sizes))
		myslab_sizes_free_caller(sizes, ptr, _RET_IP_);
}
EXPORT_SYMBOL_GPL(myslab_kfree);

/**
 * myslab_ksize() - usable size of memory from myslab_kmalloc()
 * @ptr: the pointer
 *
 * Context: as myslab_sizes_usable_size().
 * Return: bytes usable at @ptr, 0 when it is not a live allocation.
 */
size_t myslab_ksize(const void *ptr)
{
	struct myslab_sizes *sizes = READ_ONCE(myslab_main_sizes);

	return sizes ? myslab_sizes_usable_size(sizes, ptr) : 0;
}
EXPORT_SYMBOL_GPL(myslab_ksize);

/* One line for the log: how the task_struct cache cuts its slabs. */
static void myslab_report_geometry(struct myslab_cache *cache)
{
	struct myslab_cache_stats st;
	unsigned long bytes;

	myslab_cache_stats(cache, &st);
	bytes = PAGE_SIZE << st.order;
	pr_info("cache %s: %u-byte objects aligned to %u, slabs of order %u (%lu bytes): %u objects, %u-byte header, %u bytes left over (%lu.%lu%%), %u colours\n",
		st.name, st.object_size, st.align, st.order, bytes,
		st.objs_per_slab, st.header_size, st.waste,
		st.waste * 100UL / bytes, st.waste * 1000UL / bytes % 10,
		st.colour_range);
}

int myslab_default_caches_init(void)
{
	unsigned int align = max_t(unsigned int, L1_CACHE_BYTES, ARCH_MIN_TASKALIGN);
	struct myslab_region *region = myslab_main_region();
	struct myslab_sizes *sizes;
	struct myslab_cache *cache;

	if (!region)
		return -ENODEV;
	cache = myslab_cache_create(region, "task_struct",
				    sizeof(struct task_struct), align, 0, NULL);
	if (IS_ERR(cache))
		return PTR_ERR(cache);
	sizes = myslab_sizes_create(region, "kmalloc");
	if (IS_ERR(sizes)) {
		myslab_cache_destroy(cache);
		return PTR_ERR(sizes);
	}
	myslab_task_cache = cache;
	WRITE_ONCE(myslab_main_sizes, sizes);
	myslab_report_geometry(cache);
	return 0;
}

void myslab_default_caches_exit(void)
{
	struct myslab_sizes *sizes = myslab_main_sizes;

	WRITE_ONCE(myslab_main_sizes, NULL);
	myslab_sizes_destroy(sizes);
	myslab_cache_destroy(myslab_task_cache);
	myslab_task_cache = NULL;
	myslab_caches_reap();
}
