/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private types of the buddy core (buddy.c, buddy_debug.c, buddy_block.c,
 * buddy_pcp.c, buddy_freelists.c, buddy_poison.c, buddy_check.c): the
 * region, its page descriptors, free lists and per-CPU page lists, with
 * the locking rule beside each field and the accounting identities the
 * validator checks. The functions the files share are declared below,
 * grouped by the file that defines them (buddy_block.c's in buddy_block.h).
 *
 * The order the locks nest in is written once, in kmod/DESIGN.md ("The
 * lock order"). The region's lock is taken with interrupts disabled, from
 * any context (with PREEMPT_RT it is a sleeping lock, and hard interrupt
 * context is not one: see <myslab/buddy.h>). A per-CPU list's lock never
 * disables interrupts: the fast paths only try it, with the task pinned to
 * its CPU, and outside task context nothing ever waits for it (see struct
 * myslab_pcp), so allocation and free work from every context the region's
 * lock does.
 */
#ifndef _MYSLAB_BUDDY_INTERNAL_H
#define _MYSLAB_BUDDY_INTERNAL_H

#include <linux/build_bug.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "core/internal.h"

/* "No page": the end of an index-linked list. Regions have fewer pages. */
#define MYSLAB_NIL		U32_MAX

/* Flags of struct myslab_page. */
#define MYSLAB_PAGE_BUDDY	0x1u	/* head of a block on a buddy free list */

/*
 * The @state of a tail page (any page of a block but its first) of a free
 * block or of a block of the page API: not one of enum myslab_block_state,
 * since such a page says nothing about its block. The head of the block is
 * found from the page's index (myslab_find_head()). Slab blocks are the
 * exception: their tails carry the block's state, head and order.
 */
#define MYSLAB_PAGE_TAIL	0x40u

/*
 * Set in the @state of an allocated block's head (ALLOC or SLAB, kept in the
 * bits below) while a free of the block is under way on a region with
 * debugging on: the free has claimed the block and untracks and poisons it
 * before giving it back. See struct myslab_page.
 */
#define MYSLAB_PAGE_FREEING	0x80u

/**
 * struct myslab_page - descriptor of one page of a region
 * @free:	links of the index-linked list the page heads (page indices,
 *		MYSLAB_NIL at the ends): a buddy free list for the head of a
 *		free block, a per-CPU page list for the head of a PCP block
 * @owner:	for the head page of a SLAB block, the slab layer's owner
 * @head:	the page's own index, except in the tail pages of a SLAB
 *		block: the index of the block's first page
 * @order:	on a block's head, the block's order (also on the tails of a
 *		SLAB block); 0 on other tail pages
 * @state:	on a block's head, enum myslab_block_state, with
 *		MYSLAB_PAGE_FREEING added while a free of the block is under
 *		way; on the tails of a SLAB block, SLAB; on every other tail
 *		page, MYSLAB_PAGE_TAIL
 * @flags:	MYSLAB_PAGE_BUDDY
 *
 * Descriptors live in an array outside the region, one per page, so the
 * region's memory itself holds nothing of the allocator's.
 *
 * Only a block's head describes it: allocating, freeing, splitting and
 * merging write one descriptor per block, not one per page, so their cost
 * does not grow with the order. Blocks are aligned to their order, so the
 * head of the block holding page p is p with its low bits cleared: trying
 * p, then p with its lowest set bit cleared, and so on (at most
 * max_order + 1 descriptors), finds the first descriptor that heads a block
 * reaching p (myslab_find_head()). A page is a head when it has
 * MYSLAB_PAGE_BUDDY (a free block) or a block state with @head naming
 * itself (PCP, ALLOC, SLAB). Slab blocks, whose orders the slab layer keeps
 * small, write every page's descriptor: the slab layer finds a pointer's
 * cache on every object free (myslab_slab_owner()), and reads it from the
 * pointer's own page and its head, two descriptors whatever the order.
 *
 * Locking: @flags, @head, @order and @free of FREE and TAIL pages are
 * protected by region->lock. A PCP head's @free links are protected by its
 * per-CPU page list's lock. @state changes between FREE, TAIL and anything else
 * under region->lock only; PCP <-> ALLOC without it: PCP -> ALLOC under the
 * lock of the cache holding the page, ALLOC -> PCP by cmpxchg(), because a
 * freeing CPU holds no lock of the region when it claims the page and
 * another CPU may be freeing the same page at the same time: exactly one of
 * them claims the page, the other sees a double free. A free through the
 * free lists claims its head the same way (-> MYSLAB_PAGE_FREEING) under
 * region->lock, after its check, so that a stale lock-free claim can never
 * hold a page the free turns into a tail. On a region with
 * debugging on, a free claims the block the same way before it touches it,
 * with no lock held: ALLOC or SLAB -> the same with MYSLAB_PAGE_FREEING, by
 * cmpxchg() on the head's @state. A claimed block is its free's alone until
 * its head becomes FREE (under region->lock) or PCP (under the freeing
 * CPU's cache lock); nothing else changes its descriptors meanwhile. So
 * @state is read with READ_ONCE() and written with WRITE_ONCE() or
 * cmpxchg(). Pages of an allocated block are the owner's: the owner frees
 * them once, and lock-free readers (myslab_slab_owner()) rely on that.
 *
 * A claimed block is still allocated pages in the accounting until it is
 * given back, and myslab_page_state() says so: the validator, lookups and
 * the page map see an allocated block. Only the paths that must not take
 * it for one ask myslab_page_freeing(): free validation (a second free of
 * it is a double free), myslab_slab_owner() and myslab_set_slab_owner().
 */
struct myslab_page {
	union {
		struct {
			u32 next;
			u32 prev;
		} free;
		void *owner;
	};
	u32 head;
	u8 order;
	u8 state;
	u16 flags;
};

/* The metadata budget: the kernel's struct page costs 64 bytes per page. */
static_assert(sizeof(struct myslab_page) <= 16);

/**
 * struct myslab_list - an index-linked list of pages
 * @first:	head of the list (most recently added), or MYSLAB_NIL
 * @last:	tail of the list (least recently added), or MYSLAB_NIL
 * @count:	entries on the list
 */
struct myslab_list {
	u32 first;
	u32 last;
	unsigned long count;
};

#define MYSLAB_PCP_ORDERS	(MYSLAB_PCP_MAX_ORDER + 1)

/**
 * struct myslab_pcp - one CPU's cache of free page blocks of orders 0 to
 *	MYSLAB_PCP_MAX_ORDER (the buddy's per-CPU page lists)
 * @lock:	protects every field below and the @free links of the heads
 *		on @blocks. Interrupts stay on. Its own CPU takes it on the
 *		fast paths by trylock only, with the task pinned (preemption
 *		disabled; with PREEMPT_RT, where it sleeps, migration
 *		disabled); on failure the operation uses the free lists. Any
 *		CPU may take it to drain or read the cache: task context waits
 *		for it, any other context only tries it, because the holder
 *		may be the task it interrupted on that CPU. No context ever
 *		waits for it but a task, so no interrupt is needed off.
 * @blocks:	free blocks of each order, hottest first; @blocks[k].count
 *		counts blocks, not pages
 * @pages:	pages in all of @blocks: the cache's size, which pcp_high
 *		bounds whatever the orders
 * @alloc_delta: pages handed out from this cache minus pages freed into it
 *		(negative when this CPU frees blocks another CPU allocated)
 * @allocs:	allocations served here, per order
 * @frees:	frees taken here, per order
 *
 * Identities (exact when nothing runs concurrently): @pages is the sum over
 * k of @blocks[k].count << k; the sum over CPUs of @pages + @alloc_delta
 * equals region->pcp_held.
 */
struct myslab_pcp {
	spinlock_t lock;	/* this cache; see pcp_may_wait() */
	struct myslab_list blocks[MYSLAB_PCP_ORDERS];
	unsigned long pages;
	long alloc_delta;
	unsigned long allocs[MYSLAB_PCP_ORDERS];
	unsigned long frees[MYSLAB_PCP_ORDERS];
};

/**
 * struct myslab_region - a buddy allocator instance
 * @name:	name for logs and /proc/mybuddyinfo (no spaces)
 * @mem:	the provider's memory (copied at creation)
 * @base:	@mem.base, the first byte of page 0
 * @nr_pages:	pages in the region
 * @max_order:	largest block order handed out
 * @pcp_batch:	pages moved to or from a per-CPU page list at once; 0: no lists
 * @pcp_high:	a per-CPU page list above this many pages is drained by at least
 *		a batch, until it is back under the mark
 * @pages:	@nr_pages descriptors
 * @pcp:	per-CPU page lists, NULL when @pcp_batch is 0
 * @pcp_node:	on the list of regions with per-CPU page lists (buddy_pcp.c)
 *		that CPU hotplug drains; protected by that list's mutex
 * @debug:	debug options and hooks (see struct myslab_region_debug)
 * @debug_on:	any option or hook is set: allocations and frees take the
 *		debug paths in buddy_debug.c
 * @owner_name:	names the owner of a slab block for the page map; set by
 *		the slab layer at any time (READ_ONCE/WRITE_ONCE), may be NULL
 * @lock:	protects every field below and the descriptors as described in
 *		struct myslab_page; always taken irqsave, since interrupts
 *		take it (a fast path whose cache is busy comes here), and
 *		inside a per-CPU page list's lock, never around one
 * @free_area:	one free list per order; @free_area[k].count is nr_free[k]
 * @free_pages:	pages on the free lists
 * @pcp_held:	pages that left the free lists for the per-CPU page lists and
 *		have not come back: cached, or handed out from a cache
 * @alloc_pages: pages handed out directly from the free lists
 * @high_water:	largest @nr_pages - @free_pages seen
 * @allocs:	allocations served from the free lists, per order
 * @frees:	frees returned to the free lists by callers, per order
 * @counters:	event counters, enum myslab_buddy_counter
 * @nofail_reports: reports printed of failed __GFP_NOFAIL allocations: at
 *		most one, for the first failure (the tests count it)
 * @gen:	generation: bumped by every change of a free list, so that a
 *		walk that drops the lock between chunks (the validator) can
 *		tell whether the region stood still
 *
 * Identities (exact under @lock): @free_pages + @pcp_held + @alloc_pages ==
 * @nr_pages; @free_pages == sum over k of @free_area[k].count << k; the
 * pages with MYSLAB_PAGE_BUDDY are exactly the heads of the blocks on the
 * free lists, each FREE, and every other page of those blocks is a tail
 * page. The per-CPU identity is in struct myslab_pcp. A block of a cached
 * order may leave through one path and come back through the other (taken
 * from a cache and freed while its CPU's cache was busy, or the reverse),
 * which moves its pages between @pcp_held and @alloc_pages: the two are
 * exact in the sums only, and either may wrap below zero (unsigned
 * arithmetic keeps the sums exact; compare them as signed).
 */
struct myslab_region {
	char name[MYSLAB_REGION_NAME_LEN];
	struct myslab_mem mem;
	void *base;
	unsigned long nr_pages;
	unsigned int max_order;
	unsigned int pcp_batch;
	unsigned int pcp_high;
	struct myslab_page *pages;
	struct myslab_pcp __percpu *pcp;
	struct list_head pcp_node;	/* myslab_pcp_regions_lock() */
	struct myslab_region_debug debug;
	bool debug_on;
	int (*owner_name)(const void *owner, char *buf, size_t size);

	spinlock_t lock ____cacheline_aligned_in_smp;	/* all below */
	struct myslab_list free_area[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long free_pages;
	unsigned long pcp_held;
	unsigned long alloc_pages;
	unsigned long high_water;
	unsigned long allocs[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long frees[MYSLAB_MAX_ORDER_LIMIT + 1];
	unsigned long counters[MYSLAB_BUDDY_NR_COUNTERS];
	unsigned int nofail_reports;
	unsigned long gen;
};

/* === Helpers shared by the buddy core files === */

static inline u32 myslab_page_index(const struct myslab_region *r,
				    const void *ptr)
{
	return (u32)(((unsigned long)ptr - (unsigned long)r->base) >> PAGE_SHIFT);
}

static inline void *myslab_page_addr(const struct myslab_region *r, u32 idx)
{
	return r->base + ((unsigned long)idx << PAGE_SHIFT);
}

/* The page's state; a block being freed is still ALLOC or SLAB. */
static inline enum myslab_block_state myslab_page_state(const struct myslab_page *p)
{
	return READ_ONCE(p->state) & ~MYSLAB_PAGE_FREEING;
}

/* Is the page the head of a block whose free is under way? */
static inline bool myslab_page_freeing(const struct myslab_page *p)
{
	return READ_ONCE(p->state) & MYSLAB_PAGE_FREEING;
}

static inline void myslab_set_page_state(struct myslab_page *p,
					 enum myslab_block_state state)
{
	WRITE_ONCE(p->state, state);
}

/* Page @idx stops heading a block: it becomes a tail page; region->lock held. */
static inline void myslab_set_page_tail(struct myslab_page *p, u32 idx)
{
	p->head = idx;
	p->order = 0;
	p->flags = 0;
	WRITE_ONCE(p->state, MYSLAB_PAGE_TAIL);
}

/*
 * Does page @idx head a block (free, per-CPU, allocated or a slab)? If so,
 * *@order gets the block's order as its head says: at most max_order and
 * aligned, or the page is taken for no head (a damaged descriptor).
 */
static inline bool myslab_page_is_head(const struct myslab_region *r, u32 idx,
				       unsigned int *order)
{
	const struct myslab_page *p = &r->pages[idx];
	enum myslab_block_state state;
	unsigned int k = READ_ONCE(p->order);

	if (!(READ_ONCE(p->flags) & MYSLAB_PAGE_BUDDY)) {
		state = myslab_page_state(p);
		if (state != MYSLAB_BLOCK_PCP && state != MYSLAB_BLOCK_ALLOC &&
		    state != MYSLAB_BLOCK_SLAB)
			return false;
		if (READ_ONCE(p->head) != idx)
			return false;
	}
	if (k > r->max_order || (idx & ((1UL << k) - 1)))
		return false;
	*order = k;
	return true;
}

/* Count one event; region->lock held. */
static inline void myslab_count(struct myslab_region *r,
				enum myslab_buddy_counter counter)
{
	lockdep_assert_held(&r->lock);
	r->counters[counter]++;
}

/**
 * struct myslab_bad_free - what an invalid free found, for its report
 * @err:	the errno the free returns (see <myslab/buddy.h>)
 * @state:	state of the block holding the page the address names
 * @freeing:	that block's head is claimed by another free
 * @head:	that block's head, as the descriptors say
 * @order:	that block's order, as the descriptors say
 *
 * Filled only when a free is refused: a valid free writes nothing here.
 */
struct myslab_bad_free {
	int err;
	enum myslab_block_state state;
	bool freeing;
	u32 head;
	unsigned int order;
};

/*
 * The checks of a free that read no descriptor, so need no lock and run
 * before interrupts go off: @addr inside the region, @order at most
 * max_order, @addr aligned to it. Returns 0, or the errno with @bad filled.
 */
static inline int myslab_check_free_addr(const struct myslab_region *r,
					 const void *addr, unsigned int order,
					 struct myslab_bad_free *bad)
{
	unsigned long off = (unsigned long)addr - (unsigned long)r->base;
	int err = 0;

	if (unlikely(off >= r->mem.size))
		err = -EFAULT;
	else if (unlikely(order > r->max_order ||
			  (off & ((PAGE_SIZE << order) - 1))))
		err = -EINVAL;
	if (unlikely(err))
		*bad = (struct myslab_bad_free){ .err = err };
	return err;
}

/*
 * === The free lists (buddy_freelists.c) ===
 *
 * What the blocks (buddy_block.c), the per-CPU page lists (buddy_pcp.c) and the
 * debug paths stand on: split and merge, the index-linked lists, the block
 * holding a page, free validation and its report, one block off or onto
 * the free lists. Nothing there calls another buddy file.
 */
const char *myslab_state_name(enum myslab_block_state state);
void myslab_count_unlocked(struct myslab_region *r,
			   enum myslab_buddy_counter counter, unsigned long n);

void myslab_list_add(struct myslab_region *r, struct myslab_list *list, u32 idx);
void myslab_list_add_tail(struct myslab_region *r, struct myslab_list *list,
			  u32 idx);
void myslab_list_del(struct myslab_region *r, struct myslab_list *list, u32 idx);

/* Buddy free lists, region->lock held; myslab_carve() at creation. */
bool myslab_buddy_is_free(const struct myslab_region *r, u32 buddy,
			  unsigned int order);
u32 myslab_rmqueue(struct myslab_region *r, unsigned int order);
void myslab_free_block(struct myslab_region *r, u32 idx, unsigned int order);
void myslab_note_high_water(struct myslab_region *r);
void myslab_carve(struct myslab_region *r);

u32 myslab_find_head(const struct myslab_region *r, u32 idx,
		     unsigned int *order);

/* Free validation, shared with the per-CPU fast path. */
int myslab_check_free_block(const struct myslab_region *r, u32 idx,
			    unsigned int order, enum myslab_block_state expect,
			    struct myslab_bad_free *bad);
int myslab_claim_free(struct myslab_region *r, const void *addr,
		      unsigned int order, enum myslab_block_state expect,
		      u8 claim, u32 *idxp, struct myslab_bad_free *bad);
void myslab_report_invalid_free(struct myslab_region *r, const void *addr,
				unsigned int order,
				enum myslab_block_state expect,
				const struct myslab_bad_free *bad);

/*
 * One block off or onto the free lists: myslab_buddy_alloc() takes the
 * region's lock, myslab_free_locked() expects it held; the _busy pair
 * serves the per-CPU page lists' fast paths when their cache is locked.
 */
u32 myslab_buddy_alloc(struct myslab_region *r, unsigned int order,
		       enum myslab_block_state state, void *owner, bool pcp_busy);
void myslab_free_locked(struct myslab_region *r, u32 idx, unsigned int order,
			enum myslab_block_state state);
u32 myslab_alloc_pcp_busy(struct myslab_region *r, unsigned int order);
void myslab_free_pcp_busy(struct myslab_region *r, u32 idx, unsigned int order);

/*
 * === One block taken or given back (buddy_block.c) ===
 *
 * Below the page API and the debug paths, through the per-CPU page lists or
 * the free lists: declared in buddy_block.h, with the inline fast path.
 */

/* === Debug paths (buddy_debug.c), taken when r->debug_on === */
void *myslab_buddy_debug_alloc(struct myslab_region *r, unsigned int order,
			       gfp_t gfp, enum myslab_block_state state,
			       void *owner);
int myslab_buddy_debug_free(struct myslab_region *r, void *addr,
			    unsigned int order, enum myslab_block_state expect);
void myslab_buddy_debug_init(struct myslab_region *r);
void myslab_buddy_debug_exit(struct myslab_region *r);

/*
 * === Poison check (buddy_poison.c), MYSLAB_DEBUG_POISON ===
 *
 * A leaf, for the debug paths and the validators of the free lists and
 * the per-CPU page lists alike.
 */
unsigned int myslab_buddy_poison_check_free(const struct myslab_region *r,
					    u32 idx, unsigned long nr);
unsigned int myslab_buddy_poison_check_alloc(const struct myslab_region *r,
					     u32 idx, unsigned int order);

/* === Per-CPU page lists (buddy_pcp.c) === */
int myslab_pcp_init(struct myslab_region *r);
void myslab_pcp_destroy(struct myslab_region *r);
u32 myslab_pcp_alloc(struct myslab_region *r, unsigned int order);
int myslab_pcp_free(struct myslab_region *r, void *addr, unsigned int order);
void myslab_pcp_free_claimed(struct myslab_region *r, u32 idx,
			     unsigned int order);
long myslab_pcp_stats(struct myslab_region *r, struct myslab_buddy_stats *stats);
void myslab_pcp_reset_counters(struct myslab_region *r);
int myslab_pcp_check(struct myslab_region *r, long *held);

/*
 * CPU hotplug seam: the regions with per-CPU page lists, walked under
 * myslab_pcp_regions_lock() (a mutex: sleeping context only), and the drain
 * of one CPU's cache.
 */
void myslab_pcp_regions_lock(void);
void myslab_pcp_regions_unlock(void);
struct list_head *myslab_pcp_regions(void);
void myslab_pcp_drain_cpu(struct myslab_region *region, int cpu);

/*
 * === Debug views (buddy_map.c, buddy_frag.c) ===
 *
 * The page map: a snapshot of every block of a region in address order,
 * taken under the region's lock, and its text form (debugfs page_map).
 */

/* Owner names a map keeps; slab blocks of further owners print no name. */
#define MYSLAB_MAP_MAX_NAMES	64
#define MYSLAB_MAP_NAME_LEN	32
#define MYSLAB_MAP_NO_NAME	U16_MAX

/**
 * struct myslab_map_block - one block of a page map
 * @first:	its first page
 * @order:	its order
 * @state:	enum myslab_block_state
 * @name:	index into the map's @names for a slab block with a named
 *		owner, else MYSLAB_MAP_NO_NAME
 */
struct myslab_map_block {
	u32 first;
	u8 order;
	u8 state;
	u16 name;
};

/**
 * struct myslab_map - a snapshot of a region's blocks
 * @region_name: the region's name
 * @nr_pages:	pages of the region
 * @max_order:	the region's max_order
 * @nr_blocks:	blocks in @blocks, covering pages 0..@nr_pages-1 in order
 * @blocks:	the blocks (room for @nr_pages)
 * @nr_names:	owner names in @names
 * @owners:	the owner each name belongs to (compared, never dereferenced)
 * @names:	owner names of slab blocks, NUL-terminated, without spaces
 */
struct myslab_map {
	char region_name[MYSLAB_REGION_NAME_LEN];
	unsigned long nr_pages;
	unsigned int max_order;
	unsigned long nr_blocks;
	struct myslab_map_block *blocks;
	unsigned int nr_names;
	const void *owners[MYSLAB_MAP_MAX_NAMES];
	char names[MYSLAB_MAP_MAX_NAMES][MYSLAB_MAP_NAME_LEN];
};

/* Longest text line of a page map, terminating NUL included. */
#define MYSLAB_MAP_LINE_MAX	(MYSLAB_MAP_NAME_LEN + MYSLAB_REGION_NAME_LEN + 96)

struct myslab_map *myslab_map_create(struct myslab_region *region);
void myslab_map_destroy(struct myslab_map *map);
int myslab_map_header(const struct myslab_map *map, char *buf, size_t size);
int myslab_map_line(const struct myslab_map *map, unsigned long i, char *buf,
		    size_t size);
const char *myslab_map_state_word(enum myslab_block_state state);

/*
 * Fragmentation indices of the kernel's debugfs extfrag files (mm/vmstat.c),
 * in thousandths: pure functions of the free-block counts of orders
 * 0..max_order.
 */
int myslab_unusable_index(const unsigned long *nr_free, unsigned int max_order,
			  unsigned int order);
int myslab_fragmentation_index(const unsigned long *nr_free,
			       unsigned int max_order, unsigned int order);
int myslab_frag_print(char *buf, size_t size, int thousandths,
		      unsigned int width);

#endif /* _MYSLAB_BUDDY_INTERNAL_H */
