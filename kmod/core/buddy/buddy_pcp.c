// SPDX-License-Identifier: GPL-2.0
/*
 * myslab per-CPU page lists: each CPU keeps lists of free page blocks of
 * orders 0 to MYSLAB_PCP_MAX_ORDER, one list per order, so that the common
 * allocation and free of small page blocks skip the region's lock, like the
 * kernel's per-CPU page lists. An empty list is refilled from the free
 * lists by pcp_batch pages' worth of blocks (at least one block); when the
 * CPU's lists hold more than pcp_high (4 * pcp_batch) pages, whatever their
 * orders, its coldest blocks are drained until pcp_batch pages have gone
 * and it is back under the mark.
 *
 * Each CPU's lists have their own spinlock, as the kernel's pcp->lock has since
 * 6.7. The fast paths pin the task to its CPU (preemption disabled; migration
 * disabled with PREEMPT_RT, where a spinlock_t sleeps) and only try their
 * lists' lock, with interrupts left on. The trylock fails when the lists are
 * held already: by the task or softirq that an interrupt arrived in on this
 * CPU, with PREEMPT_RT by a task of this CPU preempted in its section, or for a
 * moment by a CPU draining it. The allocation or free then goes to the free
 * lists under the region's lock and leaves the lists alone, counted in
 * pcp_busy.
 *
 * The rule that makes this deadlock-free without interrupts off: only a
 * task with interrupts and bottom halves on may wait for a page-list lock
 * (pcp_may_wait()); any other context only tries it, whether the lists are
 * this CPU's or another's. So no interrupt spins on a lock that the task it
 * interrupted holds, and no one spins with interrupts off, or holding what
 * a handler may need, on a holder that handler has interrupted. Tasks
 * wait (remote drains from CPU hotplug, debugfs, region destroy, a failed
 * GFP_KERNEL allocation; statistics, validation): the holder is a fast
 * path or a drain, which ends without waiting for a page-list lock, so the
 * waiter needs no interrupts off either. The region's lock is taken
 * irqsave because interrupts take it (the fallbacks); how the two nest:
 * kmod/DESIGN.md, "The lock order".
 *
 * A free checks the page and claims it with a cmpxchg of its state,
 * ALLOC -> PCP (myslab_claim_free()), once the task is pinned but before it
 * tries its CPU's page-list lock, which would not exclude another CPU freeing
 * the same page onto its lists anyway: of two such frees exactly one wins.
 * A claimed block whose lists are busy goes to the free lists as it is. On a
 * region with debugging on, the free has claimed the page before poisoning
 * it, and the lists take it as it is (myslab_pcp_free_claimed()).
 *
 * Every region with page lists is on a list, so that CPU hotplug can give a
 * dead CPU's pages back (myslab_pcp_drain_cpu(), called by the module glue).
 *
 * This is a core file: no module glue.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "buddy_internal.h"
#include "core/cpu_lock.h"

/*
 * Whether this context may wait for a page-list lock: a task with interrupts
 * and bottom halves enabled. Anything else may hold what a handler on the
 * holder's CPU needs (a lock it shares with an interrupt, taken irqsave or
 * _bh) while the holder, interrupted inside its section, waits for that
 * handler: so it only tries. in_task() alone is not enough for that.
 */
static inline bool pcp_may_wait(void)
{
	return !in_interrupt() && !irqs_disabled();
}

/* === Setup and the list of regions with page lists === */

static DEFINE_MUTEX(myslab_pcp_regions_mutex);
static LIST_HEAD(myslab_pcp_regions_list);	/* myslab_pcp_regions_mutex */

void myslab_pcp_regions_lock(void)
{
	mutex_lock(&myslab_pcp_regions_mutex);
}

void myslab_pcp_regions_unlock(void)
{
	mutex_unlock(&myslab_pcp_regions_mutex);
}

/* The regions with page lists; walk them under myslab_pcp_regions_lock(). */
struct list_head *myslab_pcp_regions(void)
{
	return &myslab_pcp_regions_list;
}

/*
 * Every possible CPU's lists are set up here, once: a CPU that comes online
 * later, or again, finds its lists ready (empty, as a dead CPU's are left).
 * Process context.
 */
int myslab_pcp_init(struct myslab_region *r)
{
	struct myslab_pcp *pcp;
	unsigned int k;
	int cpu;

	r->pcp = alloc_percpu(struct myslab_pcp);
	if (!r->pcp)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		pcp = per_cpu_ptr(r->pcp, cpu);
		spin_lock_init(&pcp->lock);
		for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
			pcp->blocks[k].first = MYSLAB_NIL;
			pcp->blocks[k].last = MYSLAB_NIL;
		}
	}
	/* Empty lists: a hotplug drain finds nothing to do until the first use. */
	mutex_lock(&myslab_pcp_regions_mutex);
	list_add_tail(&r->pcp_node, &myslab_pcp_regions_list);
	mutex_unlock(&myslab_pcp_regions_mutex);
	return 0;
}

/* The lists, if any, must have been drained. Process context. */
void myslab_pcp_destroy(struct myslab_region *r)
{
	if (!r->pcp)
		return;
	mutex_lock(&myslab_pcp_regions_mutex);
	list_del(&r->pcp_node);
	mutex_unlock(&myslab_pcp_regions_mutex);
	free_percpu(r->pcp);
	r->pcp = NULL;
}

/* === Refill and drain (page-list lock held, region lock taken inside) === */

/*
 * Blocks of @order a refill moves: a batch's worth of pages, at least one
 * block, and no more than keeps the lists within pcp_high once the block
 * asked for is handed out (the lists are never above the mark between two
 * operations, which the validator checks).
 */
static unsigned int pcp_refill_blocks(const struct myslab_region *r,
				      const struct myslab_pcp *pcp,
				      unsigned int order)
{
	unsigned long room = r->pcp_high - min_t(unsigned long, pcp->pages,
						 r->pcp_high);

	return max(1UL, min((unsigned long)r->pcp_batch >> order,
			    1 + (room >> order)));
}

/* Move a batch of free blocks of @order from the free lists into @pcp. */
static void pcp_refill(struct myslab_region *r, struct myslab_pcp *pcp,
		       unsigned int order)
	__must_hold(&pcp->lock)
{
	unsigned int n, nr = pcp_refill_blocks(r, pcp, order);
	struct myslab_page *p;
	unsigned long flags;
	u32 idx;

	lockdep_assert_held(&pcp->lock);
	spin_lock_irqsave(&r->lock, flags);
	for (n = 0; n < nr; n++) {
		idx = myslab_rmqueue(r, order);
		if (idx == MYSLAB_NIL)
			break;
		p = &r->pages[idx];
		p->head = idx;
		p->order = order;
		myslab_set_page_state(p, MYSLAB_BLOCK_PCP);
		/* At the tail: the batch is handed out in address order. */
		myslab_list_add_tail(r, &pcp->blocks[order], idx);
	}
	pcp->pages += (unsigned long)n << order;
	r->pcp_held += (unsigned long)n << order;
	if (n)
		myslab_count(r, MYSLAB_BUDDY_PCP_REFILLS);
	myslab_note_high_water(r);
	spin_unlock_irqrestore(&r->lock, flags);
}

/*
 * Give the coldest blocks of @pcp back to the free lists, merging, until
 * at least @nr pages have gone and the lists are within pcp_high (or
 * empty). The lists are taken in turn from @order, the one that just grew.
 */
static void pcp_drain(struct myslab_region *r, struct myslab_pcp *pcp,
		      unsigned long nr, unsigned int order)
	__must_hold(&pcp->lock)
{
	unsigned long flags, drained = 0;
	unsigned int empty;
	u32 idx;

	lockdep_assert_held(&pcp->lock);
	spin_lock_irqsave(&r->lock, flags);
	while (pcp->pages && (drained < nr || pcp->pages > r->pcp_high)) {
		for (empty = 0; empty < MYSLAB_PCP_ORDERS &&
		     pcp->blocks[order].last == MYSLAB_NIL; empty++)
			order = (order + 1) % MYSLAB_PCP_ORDERS;
		idx = pcp->blocks[order].last;
		/* Pages counted, none listed: the validator reports it. */
		if (idx == MYSLAB_NIL)
			break;
		myslab_list_del(r, &pcp->blocks[order], idx);
		myslab_free_block(r, idx, order);
		pcp->pages -= 1UL << order;
		r->pcp_held -= 1UL << order;
		drained += 1UL << order;
	}
	if (drained)
		myslab_count(r, MYSLAB_BUDDY_PCP_DRAINS);
	spin_unlock_irqrestore(&r->lock, flags);
}

/* Put a block just claimed for @pcp (state PCP) at its head, the hottest. */
static __always_inline void pcp_add(struct myslab_region *r,
				    struct myslab_pcp *pcp, u32 idx,
				    unsigned int order)
	__must_hold(&pcp->lock)
{
	unsigned long nr = 1UL << order;

	lockdep_assert_held(&pcp->lock);
	myslab_list_add(r, &pcp->blocks[order], idx);
	pcp->pages += nr;
	pcp->alloc_delta -= nr;
	pcp->frees[order]++;
	if (unlikely(pcp->pages > r->pcp_high))
		pcp_drain(r, pcp, r->pcp_batch, order);
}

/* === Fast paths === */

/*
 * The task is pinned before the CPU's lists are picked, so it cannot migrate
 * between choosing the lists and using them; the lock is what keeps out
 * remote drains and, when it is busy, an interrupt of its holder.
 */
u32 myslab_pcp_alloc(struct myslab_region *r, unsigned int order)
{
	struct myslab_list *list;
	struct myslab_pcp *pcp;
	u32 idx;

	myslab_cpu_pin();
	pcp = this_cpu_ptr(r->pcp);
	if (unlikely(!spin_trylock(&pcp->lock))) {
		myslab_cpu_unpin();
		return myslab_alloc_pcp_busy(r, order);
	}
	list = &pcp->blocks[order];
	if (unlikely(!list->count))
		pcp_refill(r, pcp, order);
	idx = list->first;
	if (likely(idx != MYSLAB_NIL)) {
		myslab_list_del(r, list, idx);
		myslab_set_page_state(&r->pages[idx], MYSLAB_BLOCK_ALLOC);
		pcp->pages -= 1UL << order;
		pcp->alloc_delta += 1UL << order;
		pcp->allocs[order]++;
	}
	spin_unlock(&pcp->lock);
	myslab_cpu_unpin();
	return idx;
}

/*
 * The block is validated and claimed (ALLOC -> PCP) with the task pinned
 * but no lock: the claim is a cmpxchg(), since another CPU may be freeing
 * the same block onto its own lists whatever lock this one holds, and a
 * locked free of a larger block claims its head the same way.
 * Until it is on this CPU's list the claimed block is on none: nobody can
 * allocate or drain it, and it counts as handed out through a page list, as it
 * was (the lists' alloc_delta moves when it is added). When the lists are
 * busy, the free lists take it instead (myslab_free_pcp_busy()).
 */
int myslab_pcp_free(struct myslab_region *r, void *addr, unsigned int order)
{
	struct myslab_bad_free bad;
	struct myslab_pcp *pcp;
	u32 idx;
	int err;

	/*
	 * Claimed pinned, and the block given away before the task is
	 * unpinned, whichever way it goes: a stale claim of a block
	 * reallocated in a larger block holds that block's head until it
	 * lets go, and the holder's own free is refused meanwhile; keep that
	 * window short (with PREEMPT_RT only migration is off: it may be
	 * preempted, and an interrupt may land in it without RT; the window
	 * only matters after a caller's double free).
	 */
	myslab_cpu_pin();
	err = myslab_claim_free(r, addr, order, MYSLAB_BLOCK_ALLOC,
				MYSLAB_BLOCK_PCP, &idx, &bad);
	if (unlikely(err)) {
		myslab_cpu_unpin();
		myslab_report_invalid_free(r, addr, order, MYSLAB_BLOCK_ALLOC, &bad);
		return err;
	}

	pcp = this_cpu_ptr(r->pcp);
	if (unlikely(!spin_trylock(&pcp->lock))) {
		myslab_free_pcp_busy(r, idx, order);
		myslab_cpu_unpin();
		return 0;
	}
	pcp_add(r, pcp, idx, order);
	spin_unlock(&pcp->lock);
	myslab_cpu_unpin();
	return 0;
}

/*
 * Take a block the debug free path has claimed (ALLOC with
 * MYSLAB_PAGE_FREEING) and poisoned: it is that free's alone, so it needs
 * no check, only its state set under the lists' lock, which ends the claim,
 * or, when the lists are busy, the free lists end it.
 */
void myslab_pcp_free_claimed(struct myslab_region *r, u32 idx,
			     unsigned int order)
{
	struct myslab_pcp *pcp;

	myslab_cpu_pin();
	pcp = this_cpu_ptr(r->pcp);
	if (unlikely(!spin_trylock(&pcp->lock))) {
		myslab_free_pcp_busy(r, idx, order);
		myslab_cpu_unpin();
		return;
	}
	myslab_set_page_state(&r->pages[idx], MYSLAB_BLOCK_PCP);
	pcp_add(r, pcp, idx, order);
	spin_unlock(&pcp->lock);
	myslab_cpu_unpin();
}

/* === Public interface === */

/**
 * myslab_pcp_drain_cpu - return one CPU's cached pages to the free lists
 * @region:	the region
 * @cpu:	a possible CPU
 *
 * The seam CPU hotplug uses once @cpu is dead: nothing can refill its lists
 * then, so the lists stay empty until the CPU comes back. On a live CPU the
 * lists may be refilled right after. The lists are drained under their own lock
 * from whichever CPU calls this, without interrupting @cpu; its accounting
 * (pages allocated through it and not yet freed) stays with it.
 *
 * Context: as myslab_free_pages() (with PREEMPT_RT, not in hard interrupt
 * context); must not be called with a page-list lock held. A task with
 * interrupts and bottom halves on waits for the lists' lock;
 * elsewhere lists whose lock is held are left as they are (pcp_may_wait()).
 */
void myslab_pcp_drain_cpu(struct myslab_region *region, int cpu)
{
	struct myslab_pcp *pcp;

	if (!region->pcp)
		return;
	pcp = per_cpu_ptr(region->pcp, cpu);
	if (pcp_may_wait())
		spin_lock(&pcp->lock);
	else if (!spin_trylock(&pcp->lock))
		return;
	if (pcp->pages)
		pcp_drain(region, pcp, pcp->pages, 0);
	spin_unlock(&pcp->lock);
}
EXPORT_SYMBOL_NS_GPL(myslab_pcp_drain_cpu, MYSLAB_NS);

/**
 * myslab_drain_pcp - return every CPU's cached pages to the free lists
 * @region:	the region
 *
 * Each CPU's lists are drained under their own lock, one at a time, so this
 * works for remote CPUs without interrupting them. Pages merge with their
 * buddies on the way back. A page freed concurrently on another CPU may land in
 * its lists right after they were drained.
 *
 * Context: as myslab_free_pages() (with PREEMPT_RT, not in hard interrupt
 * context); must not be called with a page-list lock held. A task with
 * interrupts and bottom halves on drains every CPU's lists; elsewhere
 * (an allocation that failed in an interrupt, or with interrupts off)
 * lists whose lock is held are skipped.
 */
void myslab_drain_pcp(struct myslab_region *region)
{
	int cpu;

	if (!region->pcp)
		return;
	for_each_possible_cpu(cpu)
		myslab_pcp_drain_cpu(region, cpu);
}
EXPORT_SYMBOL_GPL(myslab_drain_pcp);

/* === Statistics and validation === */

/* Add one CPU's list counters to @stats; return their alloc_delta. */
static long pcp_stats_one(const struct myslab_pcp *pcp,
			  struct myslab_buddy_stats *stats)
{
	unsigned int k;

	stats->pcp_pages += READ_ONCE(pcp->pages);
	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		stats->allocs[k] += READ_ONCE(pcp->allocs[k]);
		stats->frees[k] += READ_ONCE(pcp->frees[k]);
	}
	return READ_ONCE(pcp->alloc_delta);
}

/*
 * Add every CPU's list counters to @stats; return the sum of alloc_delta,
 * the pages handed out through the page lists. Each CPU's are read under their
 * lock, except where this context may not wait for it (pcp_may_wait())
 * and it is held: those are read as they stand, an operation apart.
 */
long myslab_pcp_stats(struct myslab_region *r, struct myslab_buddy_stats *stats)
{
	struct myslab_pcp *pcp;
	long delta = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		pcp = per_cpu_ptr(r->pcp, cpu);
		if (pcp_may_wait()) {
			spin_lock(&pcp->lock);
		} else if (!spin_trylock(&pcp->lock)) {
			delta += pcp_stats_one(pcp, stats);
			continue;
		}
		delta += pcp_stats_one(pcp, stats);
		spin_unlock(&pcp->lock);
	}
	return delta;
}

static void pcp_reset_one(struct myslab_pcp *pcp)
{
	memset(pcp->allocs, 0, sizeof(pcp->allocs));
	memset(pcp->frees, 0, sizeof(pcp->frees));
}

/*
 * Zero the page lists' event counters (not their accounting), each CPU's under
 * its lock; where this context may not wait (pcp_may_wait()), lists whose lock
 * is held are zeroed without it, and an increment its holder has under way may
 * survive.
 */
void myslab_pcp_reset_counters(struct myslab_region *r)
{
	struct myslab_pcp *pcp;
	int cpu;

	for_each_possible_cpu(cpu) {
		pcp = per_cpu_ptr(r->pcp, cpu);
		if (pcp_may_wait()) {
			spin_lock(&pcp->lock);
		} else if (!spin_trylock(&pcp->lock)) {
			pcp_reset_one(pcp);
			continue;
		}
		pcp_reset_one(pcp);
		spin_unlock(&pcp->lock);
	}
}

/*
 * Walk one list of one CPU's page lists; their lock held. With
 * MYSLAB_DEBUG_POISON, each block's poison is checked too: damaged pages are
 * reported, repaired and added to *@poisoned as well as to the errors returned.
 */
static int pcp_check_list(const struct myslab_region *r,
			  const struct myslab_pcp *pcp, int cpu,
			  unsigned int order, unsigned long *poisoned)
{
	const struct myslab_list *list = &pcp->blocks[order];
	u32 idx = list->first, prev = MYSLAB_NIL;
	const struct myslab_page *p;
	unsigned int damaged;
	unsigned long n = 0;
	int errors = 0;

	while (idx != MYSLAB_NIL) {
		if (idx >= r->nr_pages || ++n > list->count) {
			pr_err("region %s: check: CPU %d's order-%u page list is broken at page %u (counter %lu)\n",
			       r->name, cpu, order, idx, list->count);
			return errors + 1;
		}
		p = &r->pages[idx];
		if (myslab_page_state(p) != MYSLAB_BLOCK_PCP || p->head != idx ||
		    p->order != order || (idx & ((1u << order) - 1)) ||
		    (p->flags & MYSLAB_PAGE_BUDDY) || p->free.prev != prev) {
			pr_err("region %s: check: page %u on CPU %d's order-%u page list has state %u, order %u, head %u, back link %u\n",
			       r->name, idx, cpu, order, myslab_page_state(p),
			       p->order, p->head, p->free.prev);
			errors++;
		} else if (r->debug.flags & MYSLAB_DEBUG_POISON) {
			damaged = myslab_buddy_poison_check_free(r, idx, 1u << order);
			*poisoned += damaged;
			errors += damaged;
		}
		prev = idx;
		idx = p->free.next;
	}
	if (n != list->count || list->last != prev) {
		pr_err("region %s: check: CPU %d's order-%u page list holds %lu blocks ending at %u, its counter says %lu ending at %u\n",
		       r->name, cpu, order, n, prev, list->count, list->last);
		errors++;
	}
	return errors;
}

/* Walk one CPU's page lists, every order; their lock held. */
static int pcp_check_one(const struct myslab_region *r,
			 const struct myslab_pcp *pcp, int cpu,
			 unsigned long *poisoned)
{
	unsigned long pages = 0;
	unsigned int k;
	int errors = 0;

	for (k = 0; k < MYSLAB_PCP_ORDERS; k++) {
		errors += pcp_check_list(r, pcp, cpu, k, poisoned);
		pages += pcp->blocks[k].count << k;
	}
	if (pages != pcp->pages) {
		pr_err("region %s: check: CPU %d's page lists hold %lu pages, its counter says %lu\n",
		       r->name, cpu, pages, pcp->pages);
		errors++;
	}
	if (pcp->pages > r->pcp_high) {
		pr_err("region %s: check: CPU %d's page list holds %lu pages, above pcp_high %u\n",
		       r->name, cpu, pcp->pages, r->pcp_high);
		errors++;
	}
	return errors;
}

/*
 * Check every CPU's page lists; *@held gets the pages they account for (cached
 * plus handed out through them), which must equal region->pcp_held. Task
 * context (the validator's), so each CPU's page-list lock is waited for.
 */
int myslab_pcp_check(struct myslab_region *r, long *held)
{
	unsigned long poisoned = 0;
	struct myslab_pcp *pcp;
	int cpu, errors = 0;

	*held = 0;
	for_each_possible_cpu(cpu) {
		pcp = per_cpu_ptr(r->pcp, cpu);
		spin_lock(&pcp->lock);
		errors += pcp_check_one(r, pcp, cpu, &poisoned);
		*held += pcp->pages + pcp->alloc_delta;
		spin_unlock(&pcp->lock);
	}
	if (poisoned)
		myslab_count_unlocked(r, MYSLAB_BUDDY_POISON_ERRORS, poisoned);
	return errors;
}
