/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab buddy page allocator: public in-kernel interface.
 *
 * A region is a page-aligned span of memory handed out in blocks of
 * 2^order pages. Any number of regions may exist; the myslab module owns one
 * main region (myslab_main_region()) and tests build small private ones.
 *
 * Context: every function here that allocates, frees or looks up may be
 * called from any context, including hard interrupt context and with
 * interrupts disabled: none of them sleeps. Creating and destroying a region
 * may sleep.
 *
 * Errors of myslab_free_pages() (each one reported rate-limited, counted in
 * invalid_frees and refused with the region left untouched):
 *
 *   -EFAULT	the address is not inside the region
 *   -EINVAL	the order is above the region's max_order, the address is not
 *		aligned to the order, or it is a tail page of an allocated block
 *   -EALREADY	the block is not allocated: double free
 *   -ERANGE	the block was allocated with a different order
 *   -EBUSY	the block belongs to the other API (a slab block freed as
 *		pages, or pages freed as a slab block)
 *
 * The kernel-doc of each function sits on its definition in kmod/buddy*.c.
 */
#ifndef _MYSLAB_BUDDY_H
#define _MYSLAB_BUDDY_H

#include <linux/types.h>
#include <linux/gfp.h>

/* Largest max_order a region accepts: 2^20 pages, 4 GiB blocks. */
#define MYSLAB_MAX_ORDER_LIMIT	20

/* Largest per-CPU page cache batch; 0 disables the per-CPU caches. */
#define MYSLAB_PCP_BATCH_MAX	1024

/* Longest region name, including the terminating NUL. */
#define MYSLAB_REGION_NAME_LEN	32

struct myslab_region;

/**
 * struct myslab_mem - memory a region provider hands to the buddy core
 * @base:	page-aligned kernel virtual address of the first byte
 * @size:	length in bytes, a non-zero multiple of PAGE_SIZE
 * @phys:	physical address of @base when physically contiguous, else 0
 * @provider:	short name of the provider, for logs and statistics
 * @release:	gives the memory back; called once by myslab_region_destroy(),
 *		may be NULL when the caller keeps ownership of the memory
 * @priv:	provider's private data
 *
 * The provider contract: the memory stays mapped and unused by anybody else
 * from myslab_region_create() until @release is called. The core never maps,
 * unmaps or frees it itself, so where memory comes from (vmalloc, memremap of
 * a reserved range, a userspace mmap) stays out of the algorithm. The core
 * copies this structure; @release receives the region's copy.
 */
struct myslab_mem {
	void *base;
	size_t size;
	phys_addr_t phys;
	const char *provider;
	void (*release)(struct myslab_mem *mem);
	void *priv;
};

/**
 * enum myslab_block_state - what a block of a region is used for
 * @MYSLAB_BLOCK_FREE:	on a buddy free list
 * @MYSLAB_BLOCK_PCP:	an order-0 page held in a per-CPU page cache
 * @MYSLAB_BLOCK_ALLOC:	handed out by myslab_alloc_pages()
 * @MYSLAB_BLOCK_SLAB:	an allocated block the slab layer uses as a slab
 */
enum myslab_block_state {
	MYSLAB_BLOCK_FREE,
	MYSLAB_BLOCK_PCP,
	MYSLAB_BLOCK_ALLOC,
	MYSLAB_BLOCK_SLAB,
};

/**
 * struct myslab_block_info - the block a pointer belongs to
 * @base:	first byte of the block
 * @order:	the block is 2^@order pages
 * @state:	what the block is used for
 */
struct myslab_block_info {
	void *base;
	unsigned int order;
	enum myslab_block_state state;
};

/**
 * struct myslab_buddy_stats - a snapshot of a region's counters
 * @nr_free:		free blocks per order (buddy free lists only)
 * @nr_pages:		pages the region manages
 * @free_pages:		pages on the buddy free lists
 * @pcp_pages:		free pages held in per-CPU page caches
 * @alloc_pages:	pages handed out (including slabs)
 * @high_water:		largest number of pages ever out of the buddy free
 *			lists at once (allocated or cached per CPU); with the
 *			per-CPU caches disabled, the peak of @alloc_pages
 * @allocs:		successful allocations per order
 * @frees:		successful frees per order
 * @failed:		allocations that returned NULL
 * @splits:		blocks split in two while allocating
 * @merges:		buddies merged while freeing
 * @invalid_frees:	frees refused as invalid
 * @max_order:		largest order the region hands out
 * @meta_bytes_per_page: per-page metadata cost in bytes
 * @pcp_batch:		pages moved between a per-CPU cache and the free lists
 *			at once (0: per-CPU caches disabled)
 * @pcp_high:		a per-CPU cache holding more pages than this is
 *			drained by @pcp_batch pages
 *
 * Identity: @free_pages + @pcp_pages + @alloc_pages == @nr_pages. The
 * region-wide counters are read under the region's lock and each CPU's under
 * that cache's lock, so the identity is exact whenever no allocation or free
 * runs concurrently; under traffic the figures may be a few operations apart.
 */
struct myslab_buddy_stats {
	unsigned long nr_free[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long nr_pages;
	unsigned long free_pages;
	unsigned long pcp_pages;
	unsigned long alloc_pages;
	unsigned long high_water;
	unsigned long allocs[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long frees[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long failed;
	unsigned long splits;
	unsigned long merges;
	unsigned long invalid_frees;
	unsigned int max_order;
	unsigned int meta_bytes_per_page;
	unsigned int pcp_batch;
	unsigned int pcp_high;
};

struct myslab_region *myslab_region_create(const char *name,
					   const struct myslab_mem *mem,
					   unsigned int max_order,
					   unsigned int pcp_batch);
void myslab_region_destroy(struct myslab_region *region);
const char *myslab_region_name(const struct myslab_region *region);
const struct myslab_mem *myslab_region_mem(const struct myslab_region *region);

void *myslab_alloc_pages(struct myslab_region *region, unsigned int order,
			 gfp_t gfp);
int myslab_free_pages(struct myslab_region *region, void *addr,
		      unsigned int order);
int myslab_block_lookup(struct myslab_region *region, const void *ptr,
			struct myslab_block_info *info);
void myslab_drain_pcp(struct myslab_region *region);
void myslab_buddy_stats(struct myslab_region *region,
			struct myslab_buddy_stats *stats);
int myslab_region_check(struct myslab_region *region);

struct myslab_region *myslab_main_region(void);

#endif /* _MYSLAB_BUDDY_H */
