// SPDX-License-Identifier: GPL-2.0
/*
 * myslab buddy allocator: regions, the public page API and the slab seam,
 * lookup and statistics. The top of the buddy core: an allocation or free
 * on a region with debugging on goes to the debug paths (buddy_debug.c:
 * poisoning, fault injection, detector hooks), every other one straight to
 * the block level (buddy_block.h, buddy_block.c), which sends it to the
 * per-CPU page lists (buddy_pcp.c) or the free lists (buddy_freelists.c:
 * split and merge, free validation); the debug paths stand on the block
 * level too. Calls go down only: nothing below calls back here. The
 * validator is in buddy_check.c; types and locking rules in
 * buddy_internal.h.
 *
 * This is a core file: no module glue, only the kernel primitives that
 * userspace_tools/sim/ also provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/bug.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "buddy_block.h"
#include "buddy_internal.h"

/* === Counters === */

static const char *const counter_names[] = {
	[MYSLAB_BUDDY_FAILED]		= "failed",
	[MYSLAB_BUDDY_SPLITS]		= "splits",
	[MYSLAB_BUDDY_MERGES]		= "merges",
	[MYSLAB_BUDDY_INVALID_FREES]	= "invalid_frees",
	[MYSLAB_BUDDY_FAULTS_INJECTED]	= "faults_injected",
	[MYSLAB_BUDDY_POISON_ERRORS]	= "poison_errors",
	[MYSLAB_BUDDY_PCP_REFILLS]	= "pcp_refills",
	[MYSLAB_BUDDY_PCP_DRAINS]	= "pcp_drains",
	[MYSLAB_BUDDY_NOFAIL_FAILED]	= "nofail_failed",
	[MYSLAB_BUDDY_PCP_BUSY]		= "pcp_busy",
};

static_assert(ARRAY_SIZE(counter_names) == MYSLAB_BUDDY_NR_COUNTERS);

/* The named fields of struct myslab_buddy_stats alias its counters[]. */
#define COUNTER_FIELD(field, id)						\
	static_assert(offsetof(struct myslab_buddy_stats, field) ==		\
		      offsetof(struct myslab_buddy_stats, counters) +		\
		      (id) * sizeof(unsigned long))
COUNTER_FIELD(failed, MYSLAB_BUDDY_FAILED);
COUNTER_FIELD(splits, MYSLAB_BUDDY_SPLITS);
COUNTER_FIELD(merges, MYSLAB_BUDDY_MERGES);
COUNTER_FIELD(invalid_frees, MYSLAB_BUDDY_INVALID_FREES);
COUNTER_FIELD(faults_injected, MYSLAB_BUDDY_FAULTS_INJECTED);
COUNTER_FIELD(poison_errors, MYSLAB_BUDDY_POISON_ERRORS);
COUNTER_FIELD(pcp_refills, MYSLAB_BUDDY_PCP_REFILLS);
COUNTER_FIELD(pcp_drains, MYSLAB_BUDDY_PCP_DRAINS);
COUNTER_FIELD(nofail_failed, MYSLAB_BUDDY_NOFAIL_FAILED);
COUNTER_FIELD(pcp_busy, MYSLAB_BUDDY_PCP_BUSY);
static_assert(offsetof(struct myslab_buddy_stats, pcp_busy) + sizeof(unsigned long) ==
	      offsetof(struct myslab_buddy_stats, counters) +
	      sizeof(((struct myslab_buddy_stats *)NULL)->counters));

/**
 * myslab_buddy_counter_name - the name of a region counter
 * @counter:	the counter
 *
 * Return: its name as debugfs prints it (e.g. "splits"), or "unknown".
 */
const char *myslab_buddy_counter_name(enum myslab_buddy_counter counter)
{
	return counter < ARRAY_SIZE(counter_names) ? counter_names[counter] :
						     "unknown";
}
EXPORT_SYMBOL_GPL(myslab_buddy_counter_name);

/* === Public interface: regions === */

static int check_region_args(const char *name, const struct myslab_mem *mem,
			     unsigned int max_order, unsigned int pcp_batch)
{
	const char *why = NULL;

	if (!name || !*name || strlen(name) >= MYSLAB_REGION_NAME_LEN ||
	    strpbrk(name, " \t\n"))
		why = "name empty, too long or with spaces";
	else if (!mem || !mem->base || offset_in_page(mem->base))
		why = "base missing or not page aligned";
	else if (!mem->size || offset_in_page(mem->size))
		why = "size zero or not a multiple of the page size";
	else if ((mem->size >> PAGE_SHIFT) >= MYSLAB_NIL)
		why = "more pages than a page index can count";
	else if ((unsigned long)mem->base + mem->size - 1 < (unsigned long)mem->base)
		why = "memory wraps around the address space";
	else if (max_order > MYSLAB_MAX_ORDER_LIMIT)
		why = "max_order above MYSLAB_MAX_ORDER_LIMIT";
	else if (pcp_batch > MYSLAB_PCP_BATCH_MAX)
		why = "pcp_batch above MYSLAB_PCP_BATCH_MAX";
	if (!why)
		return 0;
	pr_err("region %s not created: %s\n", name ? name : "(null)", why);
	return -EINVAL;
}

/**
 * myslab_region_create_debug - build a region with debug options and hooks
 * @name:	name for logs and /proc/mybuddyinfo: no spaces, shorter than
 *		MYSLAB_REGION_NAME_LEN
 * @mem:	the memory (see struct myslab_mem); copied
 * @max_order:	largest block order, at most MYSLAB_MAX_ORDER_LIMIT; may exceed
 *		what the region holds, the orders above simply stay empty
 * @pcp_batch:	pages a per-CPU page list moves at once, at most
 *		MYSLAB_PCP_BATCH_MAX; 0 disables the per-CPU page lists. A cache
 *		keeps page blocks of orders up to MYSLAB_PCP_MAX_ORDER and
 *		holds at most 4 * @pcp_batch pages.
 * @debug:	debug options and hooks (copied), or NULL for none; see
 *		struct myslab_region_debug. Options are fixed for the
 *		region's life: the free pages must be poisoned from the start.
 *
 * The region is carved into the largest aligned blocks that fit, so any
 * page-multiple size works. Metadata (16 bytes per page) is allocated
 * outside the region. On success the region owns @mem: it is released by
 * myslab_region_destroy(), not on failure.
 *
 * Context: process context, may sleep.
 * Return: the region, or ERR_PTR(-EINVAL) for bad arguments (reported in
 * the log) or ERR_PTR(-ENOMEM).
 */
struct myslab_region *
myslab_region_create_debug(const char *name, const struct myslab_mem *mem,
			   unsigned int max_order, unsigned int pcp_batch,
			   const struct myslab_region_debug *debug)
{
	struct myslab_region *r;
	unsigned int order;
	int err;

	err = check_region_args(name, mem, max_order, pcp_batch);
	if (!err && debug && (debug->flags & ~MYSLAB_DEBUG_ALL)) {
		pr_err("region %s not created: unknown debug flags %#x\n",
		       name, debug->flags & ~MYSLAB_DEBUG_ALL);
		err = -EINVAL;
	}
	if (err)
		return ERR_PTR(err);

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	strscpy(r->name, name, sizeof(r->name));
	r->mem = *mem;
	r->base = mem->base;
	r->nr_pages = mem->size >> PAGE_SHIFT;
	r->max_order = max_order;
	r->pcp_batch = pcp_batch;
	r->pcp_high = 4 * pcp_batch;
	if (debug) {
		r->debug = *debug;
		r->debug_on = debug->flags || debug->should_fail ||
			      debug->shadow_poison || debug->shadow_unpoison ||
			      debug->track_alloc || debug->track_free;
	}
	spin_lock_init(&r->lock);
	for (order = 0; order <= MYSLAB_MAX_ORDER_LIMIT; order++) {
		r->free_area[order].first = MYSLAB_NIL;
		r->free_area[order].last = MYSLAB_NIL;
	}

	err = -ENOMEM;
	r->pages = kvcalloc(r->nr_pages, sizeof(*r->pages), GFP_KERNEL);
	if (!r->pages)
		goto out_free_region;
	if (pcp_batch) {
		err = myslab_pcp_init(r);
		if (err)
			goto out_free_pages;
	}
	myslab_carve(r);
	if (r->debug_on)
		myslab_buddy_debug_init(r);
	return r;

out_free_pages:
	kvfree(r->pages);
out_free_region:
	kfree(r);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(myslab_region_create_debug);

/**
 * myslab_region_create - build a buddy allocator over a provider's memory
 * @name:	name for logs and /proc/mybuddyinfo: no spaces, shorter than
 *		MYSLAB_REGION_NAME_LEN
 * @mem:	the memory (see struct myslab_mem); copied
 * @max_order:	largest block order, at most MYSLAB_MAX_ORDER_LIMIT; may exceed
 *		what the region holds, the orders above simply stay empty
 * @pcp_batch:	pages a per-CPU page list moves at once, at most
 *		MYSLAB_PCP_BATCH_MAX; 0 disables the per-CPU page lists. A cache
 *		keeps page blocks of orders up to MYSLAB_PCP_MAX_ORDER and
 *		holds at most 4 * @pcp_batch pages.
 *
 * myslab_region_create_debug() without debug options; see there.
 *
 * Context: process context, may sleep.
 * Return: the region, or ERR_PTR(-EINVAL) for bad arguments (reported in
 * the log) or ERR_PTR(-ENOMEM).
 */
struct myslab_region *myslab_region_create(const char *name,
					   const struct myslab_mem *mem,
					   unsigned int max_order,
					   unsigned int pcp_batch)
{
	return myslab_region_create_debug(name, mem, max_order, pcp_batch, NULL);
}
EXPORT_SYMBOL_GPL(myslab_region_create);

/**
 * myslab_region_destroy - tear a region down and release its memory
 * @region:	the region, or NULL / an ERR_PTR (then nothing happens)
 *
 * Drains the per-CPU page lists first. If blocks are still allocated, their
 * holders could still touch the memory: the region is then reported and
 * deliberately leaked, memory and metadata included, rather than released.
 *
 * Context: process context, may sleep. Nothing else may use the region.
 */
void myslab_region_destroy(struct myslab_region *region)
{
	unsigned long flags, busy;

	if (IS_ERR_OR_NULL(region))
		return;
	myslab_drain_pcp(region);

	spin_lock_irqsave(&region->lock, flags);
	busy = region->alloc_pages + region->pcp_held;
	spin_unlock_irqrestore(&region->lock, flags);
	if (busy) {
		pr_err("region %s destroyed with %lu pages still allocated: leaking it rather than releasing memory in use\n",
		       region->name, busy);
		return;
	}

	if (region->debug_on)
		myslab_buddy_debug_exit(region);
	myslab_pcp_destroy(region);
	kvfree(region->pages);
	if (region->mem.release)
		region->mem.release(&region->mem);
	kfree(region);
}
EXPORT_SYMBOL_GPL(myslab_region_destroy);

/**
 * myslab_region_name - the name a region was created with
 * @region:	the region
 *
 * Return: the name, valid as long as the region.
 */
const char *myslab_region_name(const struct myslab_region *region)
{
	return region->name;
}
EXPORT_SYMBOL_GPL(myslab_region_name);

/**
 * myslab_region_mem - the memory a region is made of
 * @region:	the region
 *
 * Return: the region's copy of its struct myslab_mem.
 */
const struct myslab_mem *myslab_region_mem(const struct myslab_region *region)
{
	return &region->mem;
}
EXPORT_SYMBOL_GPL(myslab_region_mem);

/**
 * myslab_region_contains - does a pointer lie inside a region?
 * @region:	the region
 * @ptr:	any pointer
 *
 * Return: true when @ptr is one of the region's bytes.
 */
bool myslab_region_contains(const struct myslab_region *region,
			    const void *ptr)
{
	return (unsigned long)ptr - (unsigned long)region->base < region->mem.size;
}
EXPORT_SYMBOL_NS_GPL(myslab_region_contains, MYSLAB_NS);

/* === Public interface: pages === */

/*
 * The page API and the slab seam take a block the same way and differ only
 * in the state and owner it gets. Always inlined, so that each is compiled
 * with its state a constant, as when each had its own copy of these lines.
 */
static __always_inline void *myslab_take_block(struct myslab_region *region,
					       unsigned int order, gfp_t gfp,
					       enum myslab_block_state state,
					       void *owner)
{
	u32 idx;

	might_sleep_if(gfpflags_allow_blocking(gfp));
	if (unlikely(region->debug_on))
		return myslab_buddy_debug_alloc(region, order, gfp, state,
						owner);
	idx = myslab_alloc_block(region, order, gfp, state, owner);
	if (unlikely(idx == MYSLAB_NIL))
		return NULL;
	return myslab_prep_block(region, idx, order, gfp, state);
}

/**
 * myslab_alloc_pages - allocate a block of 2^@order pages
 * @region:	the region
 * @order:	block order, at most the region's max_order
 * @gfp:	__GFP_ZERO zeroes the block; __GFP_NOWARN silences the failure
 *		message. GFP_ATOMIC and GFP_KERNEL are both accepted: the
 *		allocator never sleeps, but a caller passing a blocking mask
 *		from atomic context is reported as the kernel does.
 *		__GFP_NOFAIL cannot be honoured (a region cannot grow, and
 *		nothing here waits for memory): such an allocation still
 *		returns NULL when nothing fits or @order is above max_order;
 *		the first time on a region it is reported (pr_warn, even with
 *		__GFP_NOWARN), and every time counted in nofail_failed. Fault
 *		injection never fails it, as the kernel's fail_page_alloc.
 *
 * Blocks of orders up to MYSLAB_PCP_MAX_ORDER come from the calling CPU's
 * page list when the region has per-CPU page lists. The block is aligned to
 * its order relative to the region's base. When nothing fits, the per-CPU
 * page lists are drained and the allocation retried once before failing.
 *
 * Zeroing follows the kernel's policy for pages: the block is zeroed for
 * __GFP_ZERO and, with init_on_alloc or init_on_free, always, unless the
 * region poisons its free pages (then only for __GFP_ZERO, as page
 * poisoning turns both policies off in the kernel).
 *
 * Context: never sleeps, but a @gfp that allows blocking asserts, as for
 * alloc_pages(), that the caller could (might_sleep()); with GFP_ATOMIC or
 * GFP_NOWAIT, any context but NMI, hard interrupts and interrupts disabled
 * included. With PREEMPT_RT, as kmalloc() there, only where a spinlock_t
 * may be taken: not in hard interrupt context, nor with a raw_spinlock_t
 * held or interrupts or preemption disabled (see <myslab/buddy.h>).
 *
 * Return: the block's first byte, or NULL.
 */
void *myslab_alloc_pages(struct myslab_region *region, unsigned int order,
			 gfp_t gfp)
{
	return myslab_take_block(region, order, gfp, MYSLAB_BLOCK_ALLOC, NULL);
}
EXPORT_SYMBOL_GPL(myslab_alloc_pages);

/**
 * myslab_free_pages - free a block myslab_alloc_pages() returned
 * @region:	the region it came from
 * @addr:	the block's first byte
 * @order:	the order it was allocated with
 *
 * Validated: an invalid free is reported (rate-limited, with the address
 * and what was expected), counted in invalid_frees and refused, leaving the
 * region and the block's memory unchanged. With init_on_free, an accepted
 * free zeroes the block first (a region with page poisoning poisons it
 * instead, as the kernel's page poisoning takes precedence).
 *
 * Context: never sleeps; any context but NMI, hard interrupts and
 * interrupts disabled included. With PREEMPT_RT, as kmalloc() there, only
 * where a spinlock_t may be taken: not in hard interrupt context, nor with
 * a raw_spinlock_t held or interrupts or preemption disabled (see
 * <myslab/buddy.h>).
 * Return: 0, -EFAULT, -EINVAL, -EALREADY, -ERANGE or -EBUSY as described in
 * <myslab/buddy.h>.
 */
int myslab_free_pages(struct myslab_region *region, void *addr,
		      unsigned int order)
{
	/* Zeroing under init_on_free takes the debug path's claim-first order. */
	if (unlikely(region->debug_on || want_init_on_free()))
		return myslab_buddy_debug_free(region, addr, order,
					       MYSLAB_BLOCK_ALLOC);
	return myslab_release_block(region, addr, order, MYSLAB_BLOCK_ALLOC);
}
EXPORT_SYMBOL_GPL(myslab_free_pages);

/* === Slab seam === */

/**
 * myslab_alloc_slab_block - allocate a block for the slab layer
 * @region:	the region
 * @order:	block order
 * @gfp:	as for myslab_alloc_pages()
 * @owner:	pointer myslab_slab_owner() returns for any byte of the block
 *
 * The block is marked MYSLAB_BLOCK_SLAB and never passes through the
 * per-CPU page lists.
 *
 * Context: as myslab_alloc_pages().
 * Return: the block's first byte, or NULL.
 */
void *myslab_alloc_slab_block(struct myslab_region *region, unsigned int order,
			      gfp_t gfp, void *owner)
{
	return myslab_take_block(region, order, gfp, MYSLAB_BLOCK_SLAB, owner);
}
EXPORT_SYMBOL_NS_GPL(myslab_alloc_slab_block, MYSLAB_NS);

/**
 * myslab_free_slab_block - free a block myslab_alloc_slab_block() returned
 * @region:	the region
 * @addr:	the block's first byte
 * @order:	the order it was allocated with
 *
 * Validated like myslab_free_pages(); a page block freed here is -EBUSY.
 *
 * Context: as myslab_free_pages().
 * Return: 0 or a negative errno as described in <myslab/buddy.h>.
 */
int myslab_free_slab_block(struct myslab_region *region, void *addr,
			   unsigned int order)
{
	if (unlikely(region->debug_on))
		return myslab_buddy_debug_free(region, addr, order,
					       MYSLAB_BLOCK_SLAB);
	return myslab_release_block(region, addr, order, MYSLAB_BLOCK_SLAB);
}
EXPORT_SYMBOL_NS_GPL(myslab_free_slab_block, MYSLAB_NS);

/**
 * myslab_set_slab_owner - change the owner pointer of a slab block
 * @region:	the region
 * @addr:	the slab block's first byte
 * @owner:	new owner pointer
 *
 * For a slab layer that places its slab descriptor inside the block and so
 * learns its address only after allocating.
 *
 * Context: any context, with PREEMPT_RT too (no lock is taken); only the
 * block's holder may call it.
 * Return: 0, or -EINVAL when @addr is not the first byte of a slab block.
 */
int myslab_set_slab_owner(struct myslab_region *region, void *addr,
			  void *owner)
{
	struct myslab_page *p;
	u32 idx;

	if (!myslab_region_contains(region, addr) || offset_in_page(addr))
		return -EINVAL;
	idx = myslab_page_index(region, addr);
	p = &region->pages[idx];
	if (myslab_page_state(p) != MYSLAB_BLOCK_SLAB || myslab_page_freeing(p) ||
	    p->head != idx)
		return -EINVAL;
	WRITE_ONCE(p->owner, owner);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(myslab_set_slab_owner, MYSLAB_NS);

/**
 * myslab_slab_owner - the owner of the slab block a pointer lies in
 * @region:	the region
 * @ptr:	any pointer
 *
 * O(1) and lock-free: pointer -> page descriptor -> head -> owner. Exact for
 * a pointer into a live slab (its holder keeps the block allocated). A slab
 * whose free has claimed it (a region with debugging on, while the block is
 * poisoned) has no owner any more; otherwise, for a pointer into a block
 * being freed concurrently, the answer may be stale.
 *
 * Context: any context, with PREEMPT_RT too (no lock is taken).
 * Return: the owner given at allocation, or NULL when @ptr is outside the
 * region or not inside a slab block.
 */
void *myslab_slab_owner(struct myslab_region *region, const void *ptr)
{
	const struct myslab_page *p, *head;
	u32 h;

	if (!myslab_region_contains(region, ptr))
		return NULL;
	p = &region->pages[myslab_page_index(region, ptr)];
	if (myslab_page_state(p) != MYSLAB_BLOCK_SLAB)
		return NULL;
	h = READ_ONCE(p->head);
	if (WARN_ON_ONCE(h >= region->nr_pages))
		return NULL;
	head = &region->pages[h];
	if (myslab_page_state(head) != MYSLAB_BLOCK_SLAB || myslab_page_freeing(head))
		return NULL;
	return READ_ONCE(head->owner);
}
EXPORT_SYMBOL_NS_GPL(myslab_slab_owner, MYSLAB_NS);

/**
 * myslab_free_pages_unsized - free an allocated page block by its first byte
 * @region:	the region
 * @addr:	the block's first byte, as myslab_alloc_pages() returned it
 *
 * For the size classes' free of a large block, which has the pointer but
 * not the order: the descriptor of @addr's page gives the order when it
 * heads an allocated page block, and the free goes on as
 * myslab_free_pages() with that order. One descriptor read with no lock,
 * the one the free's own check reads again, where myslab_block_lookup()
 * would take the region's lock to find the same head.
 *
 * Context: as myslab_free_pages().
 * Return: 0; -ENOENT when @addr is not the first byte of an allocated page
 * block, with nothing reported, counted or changed, so that the caller says
 * what it is; or the errno of myslab_free_pages() with that order (a free
 * racing another free of the block), reported and counted there.
 */
int myslab_free_pages_unsized(struct myslab_region *region, void *addr)
{
	unsigned int order;
	u32 idx;

	if (unlikely(!myslab_region_contains(region, addr) ||
		     offset_in_page(addr)))
		return -ENOENT;
	idx = myslab_page_index(region, addr);
	if (unlikely(!myslab_page_is_head(region, idx, &order) ||
		     myslab_page_state(&region->pages[idx]) != MYSLAB_BLOCK_ALLOC))
		return -ENOENT;
	return myslab_free_pages(region, addr, order);
}

/* === Lookup and statistics === */

/**
 * myslab_block_lookup - what block a pointer belongs to
 * @region:	the region
 * @ptr:	any pointer
 * @info:	filled with the block's first byte, order and state
 *
 * Works for any byte of any block: allocated, slab, cached per CPU or free.
 * The block is found from its head's descriptor alone (myslab_find_head():
 * at most max_order + 1 descriptors read, under the region's lock).
 * A block whose free is under way on a region with debugging on (it is
 * untracked and poisoned before it is given back) is reported allocated, as
 * the accounting counts it until then.
 *
 * Context: as myslab_free_pages().
 * Return: 0, or -EFAULT when @ptr is not inside the region.
 */
int myslab_block_lookup(struct myslab_region *region, const void *ptr,
			struct myslab_block_info *info)
{
	enum myslab_block_state state;
	unsigned long flags;
	unsigned int order;
	u32 idx, head;

	if (!myslab_region_contains(region, ptr))
		return -EFAULT;
	idx = myslab_page_index(region, ptr);

	spin_lock_irqsave(&region->lock, flags);
	head = myslab_find_head(region, idx, &order);
	if (WARN_ON_ONCE(head == MYSLAB_NIL)) {
		/* A page no block reaches: show it as a free page. */
		head = idx;
		order = 0;
		state = MYSLAB_BLOCK_FREE;
	} else {
		state = myslab_page_state(&region->pages[head]);
	}
	spin_unlock_irqrestore(&region->lock, flags);

	info->base = myslab_page_addr(region, head);
	info->order = order;
	info->state = state;
	return 0;
}
EXPORT_SYMBOL_GPL(myslab_block_lookup);

/**
 * myslab_buddy_stats - snapshot a region's counters
 * @region:	the region
 * @stats:	filled in; see struct myslab_buddy_stats for what is exact when
 *
 * Context: as myslab_free_pages().
 */
void myslab_buddy_stats(struct myslab_region *region,
			struct myslab_buddy_stats *stats)
{
	unsigned long flags, alloc;
	unsigned int k;
	long total;

	memset(stats, 0, sizeof(*stats));
	spin_lock_irqsave(&region->lock, flags);
	for (k = 0; k <= region->max_order; k++) {
		stats->nr_free[k] = region->free_area[k].count;
		stats->allocs[k] = region->allocs[k];
		stats->frees[k] = region->frees[k];
	}
	stats->free_pages = region->free_pages;
	stats->high_water = region->high_water;
	memcpy(stats->counters, region->counters, sizeof(stats->counters));
	alloc = region->alloc_pages;
	spin_unlock_irqrestore(&region->lock, flags);

	stats->nr_pages = region->nr_pages;
	stats->max_order = region->max_order;
	stats->meta_bytes_per_page = sizeof(struct myslab_page);
	stats->pcp_batch = region->pcp_batch;
	stats->pcp_high = region->pcp_high;
	stats->debug_flags = region->debug.flags;

	total = alloc;
	if (region->pcp)
		total += myslab_pcp_stats(region, stats);
	stats->alloc_pages = total > 0 ? total : 0;
}
EXPORT_SYMBOL_GPL(myslab_buddy_stats);

/**
 * myslab_buddy_reset_counters - zero a region's event counters
 * @region:	the region
 *
 * Zeroes the event counters, the per-order allocation and free counts (the
 * per-CPU page lists' too) and restarts @high_water from the pages out now. The
 * page accounting (free, per-CPU, allocated pages) is state, not a counter,
 * and is left alone, so every identity still holds.
 *
 * Context: as myslab_free_pages().
 */
void myslab_buddy_reset_counters(struct myslab_region *region)
{
	unsigned long flags;

	if (region->pcp)
		myslab_pcp_reset_counters(region);
	spin_lock_irqsave(&region->lock, flags);
	memset(region->counters, 0, sizeof(region->counters));
	memset(region->allocs, 0, sizeof(region->allocs));
	memset(region->frees, 0, sizeof(region->frees));
	region->high_water = region->nr_pages - region->free_pages;
	spin_unlock_irqrestore(&region->lock, flags);
}
EXPORT_SYMBOL_GPL(myslab_buddy_reset_counters);
