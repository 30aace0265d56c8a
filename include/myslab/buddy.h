/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab buddy page allocator: public in-kernel interface.
 *
 * A region is a page-aligned span of memory handed out in blocks of
 * 2^order pages. Any number of regions may exist; the myslab module owns one
 * main region (myslab_main_region()) and tests build small private ones.
 *
 * Context: the functions that allocate, free or look up never sleep,
 * whatever the gfp mask, beyond waiting for their own locks, which are all
 * spinlock_t (sleeping locks with PREEMPT_RT). Without PREEMPT_RT they may
 * be called from any context but NMI, hard interrupt context and interrupts
 * disabled included. With PREEMPT_RT, as the kernel's page allocator and
 * kmalloc() there, they may be called wherever a spinlock_t may be taken:
 * in task context (softirqs and threaded interrupt handlers included), a
 * spinlock_t held or not (spin_lock_irqsave() leaves interrupts on there);
 * not in hard interrupt context (IRQF_NO_THREAD handlers, HRTIMER_MODE_HARD
 * timers, IRQ_WORK_HARD_IRQ work) or NMI, nor with a raw_spinlock_t held
 * or with interrupts or preemption disabled (local_irq_disable(),
 * local_irq_save(), preempt_disable()). Creating and destroying a region
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

/*
 * Largest per-CPU page list batch; 0 disables the per-CPU page lists. A refill
 * or drain moves a whole batch through the free lists under the region's
 * lock (interrupts off without PREEMPT_RT), so the batch bounds that
 * section: capped, as the kernel's zone_batchsize() caps its own per-CPU
 * batch, at 63 pages.
 */
#define MYSLAB_PCP_BATCH_MAX	63

/*
 * Largest order the per-CPU page lists keep: page blocks of orders 0 to 3
 * (the kernel's PAGE_ALLOC_COSTLY_ORDER, the orders its pcp lists keep
 * too) skip the region's lock on the common path. Slab blocks never do.
 */
#define MYSLAB_PCP_MAX_ORDER	3

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
 * @MYSLAB_BLOCK_PCP:	a free block of order up to MYSLAB_PCP_MAX_ORDER held
 *			in a per-CPU page list
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
 * enum myslab_buddy_counter - a region's event counters
 * @MYSLAB_BUDDY_FAILED:	allocations that returned NULL (injected faults
 *				included)
 * @MYSLAB_BUDDY_SPLITS:	blocks split in two while allocating
 * @MYSLAB_BUDDY_MERGES:	buddy pairs merged while freeing
 * @MYSLAB_BUDDY_INVALID_FREES:	frees refused as invalid
 * @MYSLAB_BUDDY_FAULTS_INJECTED: allocations failed on purpose by the
 *				region's should_fail hook (fault injection)
 * @MYSLAB_BUDDY_POISON_ERRORS:	free pages found with their poison changed
 *				(MYSLAB_DEBUG_POISON), one per damaged page
 * @MYSLAB_BUDDY_PCP_REFILLS:	batches moved from the free lists into a
 *				per-CPU page list
 * @MYSLAB_BUDDY_PCP_DRAINS:	batches (or whole caches) moved back
 * @MYSLAB_BUDDY_NOFAIL_FAILED:	__GFP_NOFAIL allocations that returned NULL
 *				all the same (counted in @MYSLAB_BUDDY_FAILED
 *				too): a region cannot grow
 * @MYSLAB_BUDDY_PCP_BUSY:	allocations and frees of orders 0 to
 *				MYSLAB_PCP_MAX_ORDER that found their CPU's
 *				page cache locked (they interrupted its holder
 *				on that CPU, with PREEMPT_RT preempted it, or a
 *				drain held it) and used the free lists instead
 * @MYSLAB_BUDDY_NR_COUNTERS:	number of counters
 *
 * myslab_buddy_counter_name() gives each one's name, as debugfs prints it.
 */
enum myslab_buddy_counter {
	MYSLAB_BUDDY_FAILED,
	MYSLAB_BUDDY_SPLITS,
	MYSLAB_BUDDY_MERGES,
	MYSLAB_BUDDY_INVALID_FREES,
	MYSLAB_BUDDY_FAULTS_INJECTED,
	MYSLAB_BUDDY_POISON_ERRORS,
	MYSLAB_BUDDY_PCP_REFILLS,
	MYSLAB_BUDDY_PCP_DRAINS,
	MYSLAB_BUDDY_NOFAIL_FAILED,
	MYSLAB_BUDDY_PCP_BUSY,
	MYSLAB_BUDDY_NR_COUNTERS
};

/**
 * struct myslab_buddy_stats - a snapshot of a region's counters
 * @nr_free:		free blocks per order (buddy free lists only)
 * @nr_pages:		pages the region manages
 * @free_pages:		pages on the buddy free lists
 * @pcp_pages:		free pages held in per-CPU page lists
 * @alloc_pages:	pages handed out (including slabs)
 * @high_water:		largest number of pages ever out of the buddy free
 *			lists at once (allocated or cached per CPU); with the
 *			per-CPU page lists disabled, the peak of @alloc_pages
 * @allocs:		successful allocations per order
 * @frees:		successful frees per order
 * @counters:		every event counter, indexed by enum
 *			myslab_buddy_counter; the named fields below are the
 *			same storage
 * @failed:		@counters[MYSLAB_BUDDY_FAILED]
 * @splits:		@counters[MYSLAB_BUDDY_SPLITS]
 * @merges:		@counters[MYSLAB_BUDDY_MERGES]
 * @invalid_frees:	@counters[MYSLAB_BUDDY_INVALID_FREES]
 * @faults_injected:	@counters[MYSLAB_BUDDY_FAULTS_INJECTED]
 * @poison_errors:	@counters[MYSLAB_BUDDY_POISON_ERRORS]
 * @pcp_refills:	@counters[MYSLAB_BUDDY_PCP_REFILLS]
 * @pcp_drains:		@counters[MYSLAB_BUDDY_PCP_DRAINS]
 * @nofail_failed:	@counters[MYSLAB_BUDDY_NOFAIL_FAILED]
 * @pcp_busy:		@counters[MYSLAB_BUDDY_PCP_BUSY]
 * @max_order:		largest order the region hands out
 * @meta_bytes_per_page: per-page metadata cost in bytes
 * @pcp_batch:		pages moved between a per-CPU page list and the free lists
 *			at once (0: per-CPU page lists disabled)
 * @pcp_high:		a per-CPU page list holding more pages than this is
 *			drained by at least @pcp_batch pages, until it is
 *			back under the mark
 * @debug_flags:	the region's MYSLAB_DEBUG_* options
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
	union {
		unsigned long counters[MYSLAB_BUDDY_NR_COUNTERS];
		struct {
			unsigned long failed;
			unsigned long splits;
			unsigned long merges;
			unsigned long invalid_frees;
			unsigned long faults_injected;
			unsigned long poison_errors;
			unsigned long pcp_refills;
			unsigned long pcp_drains;
			unsigned long nofail_failed;
			unsigned long pcp_busy;
		};
	};
	unsigned int max_order;
	unsigned int meta_bytes_per_page;
	unsigned int pcp_batch;
	unsigned int pcp_high;
	unsigned int debug_flags;
};

/* === Debugging === */

/* The byte free pages are filled with under MYSLAB_DEBUG_POISON (PAGE_POISON). */
#define MYSLAB_PAGE_POISON	0xaa

/* Debug options of a region (struct myslab_region_debug.flags). */
#define MYSLAB_DEBUG_POISON	0x1u	/* poison free pages, check on alloc */
#define MYSLAB_DEBUG_ALL	MYSLAB_DEBUG_POISON

/**
 * struct myslab_region_debug - debug options and detector hooks of a region
 * @flags:	MYSLAB_DEBUG_* options. MYSLAB_DEBUG_POISON fills every free
 *		page with MYSLAB_PAGE_POISON when it is freed (and the whole
 *		region at creation) and checks it when the page is handed out
 *		again and when the region is validated; a changed byte is
 *		reported once per page and counted in poison_errors
 * @should_fail: fault injection: asked before every allocation of an order
 *		the region serves, except a __GFP_NOFAIL one (never failed on
 *		purpose, as the kernel's fail_page_alloc); true makes the
 *		allocation fail and be counted in faults_injected and failed.
 *		Called with no region lock held, from the allocating context
 *		(any the allocator accepts, see the top of this file)
 * @data:	passed to @should_fail
 * @shadow_poison: mark [addr, addr + size) inaccessible to a memory-error
 *		detector (KASAN) while the pages are free: called when pages
 *		are freed and on the whole region at creation; addr and size
 *		are page aligned
 * @shadow_unpoison: make them accessible again, when pages are handed out
 *		and on the whole region when it is destroyed
 * @track_alloc: a block was handed out by myslab_alloc_pages() (a leak
 *		detector such as kmemleak starts tracking it); slab blocks are
 *		not tracked, the slab layer tracks its objects
 * @track_free:	that block is being freed
 *
 * Every member may be zero/NULL. Hooks are called from the context of the
 * allocation or free (any the allocator accepts, see the top of this file)
 * and must not sleep or call back into the region. With no option and no hook
 * the allocator runs exactly its normal paths: the debug paths cost one
 * predictable branch per allocation and free.
 */
struct myslab_region_debug {
	unsigned int flags;
	bool (*should_fail)(void *data, unsigned int order, gfp_t gfp);
	void *data;
	void (*shadow_poison)(const void *addr, size_t size);
	void (*shadow_unpoison)(const void *addr, size_t size);
	void (*track_alloc)(const void *addr, size_t size, gfp_t gfp);
	void (*track_free)(const void *addr);
};

struct myslab_region *myslab_region_create(const char *name,
					   const struct myslab_mem *mem,
					   unsigned int max_order,
					   unsigned int pcp_batch);
struct myslab_region *
myslab_region_create_debug(const char *name, const struct myslab_mem *mem,
			   unsigned int max_order, unsigned int pcp_batch,
			   const struct myslab_region_debug *debug);
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
void myslab_buddy_reset_counters(struct myslab_region *region);
const char *myslab_buddy_counter_name(enum myslab_buddy_counter counter);
void myslab_region_set_owner_name(struct myslab_region *region,
				  int (*owner_name)(const void *owner,
						    char *buf, size_t size));

struct myslab_region *myslab_main_region(void);

#endif /* _MYSLAB_BUDDY_H */
