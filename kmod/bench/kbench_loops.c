// SPDX-License-Identifier: GPL-2.0
/*
 * myslab_bench: the timed loops. Each loop has one body per side, chosen
 * once before the clock starts, and calls the allocators directly (no
 * function pointers inside the loop), so the two sides pay the same loop
 * overhead. A failed allocation ends the loop early with -ENOMEM after
 * freeing what it holds; the runner then voids the run.
 */
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/processor.h>
#include <linux/slab.h>
#include <linux/timex.h>

#include <myslab/buddy.h>
#include <myslab/slab.h>

#include "kbench.h"

#define KB_GFP	GFP_ATOMIC

static inline void kb_clock_start(struct kb_worker *w)
{
	w->t0 = ktime_get_ns();
	w->c0 = get_cycles();
}

static inline void kb_clock_stop(struct kb_worker *w, u64 ops, int err)
{
	u64 c1 = get_cycles(), t1 = ktime_get_ns();

	w->res.ns = t1 - w->t0;
	w->res.cycles = c1 - w->c0;
	w->res.ops = ops;
	w->res.err = err;
}

/* The baseline: as many iterations as the row has operations. */
void kb_loop_empty(struct kb_worker *w, u64 loops)
{
	u64 i, n = loops * w->row->ops_per_loop;

	kb_clock_start(w);
	for (i = 0; i < n; i++)
		barrier();
	kb_clock_stop(w, n, 0);
}

/* Allocate and free the same object: the per-CPU fast paths. */
void kb_loop_slab_reuse(struct kb_worker *w, u64 loops)
{
	struct myslab_cache *mc = w->row->mcache;
	struct kmem_cache *kc = w->row->kcache;
	u64 i;
	void *p;

	kb_clock_start(w);
	if (w->side == KB_MYSLAB) {
		for (i = 0; i < loops; i++) {
			p = myslab_cache_alloc(mc, KB_GFP);
			if (unlikely(!p))
				break;
			myslab_cache_free(mc, p);
		}
	} else {
		for (i = 0; i < loops; i++) {
			p = kmem_cache_alloc(kc, KB_GFP);
			if (unlikely(!p))
				break;
			kmem_cache_free(kc, p);
		}
	}
	kb_clock_stop(w, i, i < loops ? -ENOMEM : 0);
}

/*
 * Allocate N objects, then free them in the same order: N (256) exceeds the
 * per-CPU caches, so refills and flushes are part of every round.
 */
void kb_loop_slab_npattern(struct kb_worker *w, u64 loops)
{
	struct myslab_cache *mc = w->row->mcache;
	struct kmem_cache *kc = w->row->kcache;
	unsigned int n = w->row->param, j, k;
	void **objs = w->scratch;
	u64 i;

	kb_clock_start(w);
	for (i = 0; i < loops; i++) {
		if (w->side == KB_MYSLAB) {
			for (j = 0; j < n; j++) {
				objs[j] = myslab_cache_alloc(mc, KB_GFP);
				if (unlikely(!objs[j]))
					goto fail;
			}
			for (j = 0; j < n; j++)
				myslab_cache_free(mc, objs[j]);
		} else {
			for (j = 0; j < n; j++) {
				objs[j] = kmem_cache_alloc(kc, KB_GFP);
				if (unlikely(!objs[j]))
					goto fail;
			}
			for (j = 0; j < n; j++)
				kmem_cache_free(kc, objs[j]);
		}
	}
	kb_clock_stop(w, loops * n, 0);
	return;

fail:
	kb_clock_stop(w, i * n + j, -ENOMEM);
	for (k = 0; k < j; k++) {
		if (w->side == KB_MYSLAB)
			myslab_cache_free(mc, objs[k]);
		else
			kmem_cache_free(kc, objs[k]);
	}
}

/* Bulk allocate and bulk free param objects per round. */
void kb_loop_slab_bulk(struct kb_worker *w, u64 loops)
{
	struct myslab_cache *mc = w->row->mcache;
	struct kmem_cache *kc = w->row->kcache;
	unsigned int n = w->row->param;
	void **objs = w->scratch;
	u64 i;

	kb_clock_start(w);
	if (w->side == KB_MYSLAB) {
		for (i = 0; i < loops; i++) {
			if (unlikely(myslab_cache_alloc_bulk(mc, KB_GFP, n, objs) != n))
				break;
			myslab_cache_free_bulk(mc, n, objs);
		}
	} else {
		for (i = 0; i < loops; i++) {
			if (unlikely(kmem_cache_alloc_bulk(kc, KB_GFP, n, objs) != n))
				break;
			kmem_cache_free_bulk(kc, n, objs);
		}
	}
	kb_clock_stop(w, i * n, i < loops ? -ENOMEM : 0);
}

/*
 * Thread 0 allocates KB_XROUND objects on its CPU, then thread 1 frees them
 * on another CPU, in turns: every object is allocated on one CPU and freed
 * on the other, and each thread times only its own turns, so the hand-over
 * (a spin on @turn, which the host's scheduling of the emulated CPUs can
 * stretch to milliseconds) is not counted. The time of an operation is the
 * sum of both threads' times divided by the objects. A failed allocation
 * hands over NULL, which both free functions ignore.
 */
static void kb_cross_turn(struct kb_worker *w, void **objs)
{
	struct myslab_cache *mc = w->row->mcache;
	struct kmem_cache *kc = w->row->kcache;
	unsigned int j;

	if (w->index == 0 && w->side == KB_MYSLAB) {
		for (j = 0; j < KB_XROUND; j++)
			objs[j] = myslab_cache_alloc(mc, KB_GFP);
	} else if (w->index == 0) {
		for (j = 0; j < KB_XROUND; j++)
			objs[j] = kmem_cache_alloc(kc, KB_GFP);
	} else if (w->side == KB_MYSLAB) {
		for (j = 0; j < KB_XROUND; j++)
			myslab_cache_free(mc, objs[j]);
	} else {
		for (j = 0; j < KB_XROUND; j++)
			kmem_cache_free(kc, objs[j]);
	}
}

void kb_loop_slab_cross(struct kb_worker *w, u64 loops)
{
	u64 r, rounds = DIV_ROUND_UP_ULL(loops, KB_XROUND), ns = 0, cycles = 0;
	struct kb_cross *x = w->row->cross;
	unsigned int j;
	int err = 0;

	for (r = 0; r < rounds; r++) {
		/* Pairs with the other thread's release: its turn is over. */
		while (smp_load_acquire(&x->turn) != w->index)
			cpu_relax();
		kb_clock_start(w);
		kb_cross_turn(w, x->objs);
		kb_clock_stop(w, 0, 0);
		ns += w->res.ns;
		cycles += w->res.cycles;
		if (w->index == 0)
			for (j = 0; j < KB_XROUND; j++)
				if (unlikely(!x->objs[j]))
					err = -ENOMEM;
		/* Hand the round over once its objects are written or freed. */
		smp_store_release(&x->turn, !w->index);
	}
	w->res.ns = ns;
	w->res.cycles = cycles;
	w->res.ops = rounds * KB_XROUND;
	w->res.err = err;
}

/* Allocate and free a block of 2^param pages. */
void kb_loop_pages(struct kb_worker *w, u64 loops)
{
	struct myslab_region *region = myslab_main_region();
	unsigned int order = w->row->param;
	struct page *page;
	u64 i;
	void *p;

	kb_clock_start(w);
	if (w->side == KB_MYSLAB) {
		for (i = 0; i < loops; i++) {
			p = myslab_alloc_pages(region, order, KB_GFP);
			if (unlikely(!p))
				break;
			myslab_free_pages(region, p, order);
		}
	} else {
		for (i = 0; i < loops; i++) {
			page = alloc_pages(KB_GFP, order);
			if (unlikely(!page))
				break;
			__free_pages(page, order);
		}
	}
	kb_clock_stop(w, i, i < loops ? -ENOMEM : 0);
}

/* Allocate and free param bytes by size. */
void kb_loop_kmalloc(struct kb_worker *w, u64 loops)
{
	size_t size = w->row->param;
	u64 i;
	void *p;

	kb_clock_start(w);
	if (w->side == KB_MYSLAB) {
		for (i = 0; i < loops; i++) {
			p = myslab_kmalloc(size, KB_GFP);
			if (unlikely(!p))
				break;
			myslab_kfree(p);
		}
	} else {
		for (i = 0; i < loops; i++) {
			p = kmalloc(size, KB_GFP);
			if (unlikely(!p))
				break;
			kfree(p);
		}
	}
	kb_clock_stop(w, i, i < loops ? -ENOMEM : 0);
}
