// SPDX-License-Identifier: GPL-2.0
/*
 * myslab_torture: what one torture kthread does until the deadline.
 *
 * A thread holds up to nr_slots objects. Each step draws one operation:
 *
 *   60.0%  slot      a random slot: free its object, or fill it with a new
 *                    one (a cache object, a size-class object, or a buddy
 *                    block of order 0..4)
 *    8.0%  give      hand a held object to the kind's shared ring
 *   10.0%  take      free an object from a ring: usually another thread's,
 *                    often allocated on another CPU
 *    6.0%  bulk in   myslab_cache_alloc_bulk() into empty slots
 *    6.0%  bulk out  myslab_cache_free_bulk() of held objects of a cache
 *    0.5%  shrink    myslab_cache_shrink() of a cache (every CPU's magazine),
 *                    or myslab_drain_pcp() of the region, under the others'
 *                    feet
 *    5.5%  atomic    allocate, check and free in atomic context (interrupts
 *                    off; a spinlock_t's section with PREEMPT_RT)
 *    4.0%  pair      allocate and free at once
 *
 * Every allocation is checked (constructed state for the constructor cache,
 * zeroes for __GFP_ZERO, alignment, usable size) and filled with the pattern
 * of a fresh generation; every free checks the pattern first. The rings'
 * lock is never held across a call into myslab; a thread's atomic_lock is,
 * but only that thread takes it, outermost, so the torture adds no lock
 * order of its own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/kthread.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "torture.h"

/* Per mille of the steps that do each operation (cumulative bounds). */
#define OP_SLOT		600
#define OP_GIVE		680
#define OP_TAKE		780
#define OP_BULK_ALLOC	840
#define OP_BULK_FREE	900
#define OP_SHRINK	905
#define OP_ATOMIC	960
#define OP_ALL		1000

/* The broken mode corrupts the Nth cache object thread 0 allocates. */
#define TORTURE_BROKEN_AFTER	16

static u32 torture_rand(struct torture_thread *th, u32 bound)
{
	return reciprocal_scale(prandom_u32_state(&th->rnd), bound);
}

static unsigned long torture_offset(const struct torture *t, const void *p)
{
	return (unsigned long)p - t->region_base;
}

static __printf(2, 3) void torture_error(struct torture_thread *th,
					 const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	th->counters[TORTURE_ERRORS]++;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err_ratelimited("error: %pV\n", &vaf);
	va_end(args);
}

/* === Allocation === */

static unsigned int torture_usable(const struct torture *t, unsigned int kind)
{
	if (kind == TORTURE_CTOR_CACHE)
		return TORTURE_CTOR_SIZE;
	return myslab_cache_usable_size(t->caches[kind]);
}

/* Orders 0..4 weighted 8:4:2:1:1, so most blocks are small. */
static unsigned int torture_pick_order(struct torture_thread *th)
{
	static const u8 orders[16] = { 0, 0, 0, 0, 0, 0, 0, 0,
				       1, 1, 1, 1, 2, 2, 3, 4 };

	return orders[torture_rand(th, ARRAY_SIZE(orders))];
}

/* 1..TORTURE_KMALLOC_MAX bytes, about evenly spread over powers of two. */
static size_t torture_pick_size(struct torture_thread *th, size_t max)
{
	unsigned int bits = ilog2(max);

	return 1 + torture_rand(th, 1u << (torture_rand(th, bits) + 1));
}

/*
 * Bytes __GFP_ZERO must clear: a cache object's size as created (the slot's
 * alignment padding beyond it is not promised), a size class's or a buddy
 * block's whole usable size.
 */
static size_t torture_zeroed_size(const struct torture_obj *o)
{
	if (o->kind < TORTURE_NR_CACHES)
		return torture_cache_specs[o->kind].size;
	return o->size;
}

/*
 * Check a fresh object and fill it with a new generation. Objects of the
 * constructor cache must be in their constructed state; __GFP_ZERO ones must
 * read zero. In broken mode, thread 0 corrupts one cache object right after
 * filling it: one byte inside the object it holds, which the check at free
 * must catch.
 */
static void torture_prepare(struct torture_thread *th, struct torture_obj *o,
			    gfp_t gfp)
{
	struct torture *t = th->t;
	size_t bad;

	if (o->kind == TORTURE_CTOR_CACHE) {
		if (!torture_verify(o->ptr, o->size, TORTURE_CTOR_GEN, &bad))
			torture_error(th,
				      "%s object at region offset %#lx: constructed state lost at byte %zu",
				      torture_kind_name(o->kind),
				      torture_offset(t, o->ptr), bad);
	} else if ((gfp & __GFP_ZERO) &&
		   !torture_is_zero(o->ptr, torture_zeroed_size(o), &bad)) {
		torture_error(th,
			      "%s object of %u bytes at region offset %#lx: byte %zu not zeroed by __GFP_ZERO",
			      torture_kind_name(o->kind), o->size,
			      torture_offset(t, o->ptr), bad);
	}
	o->gen = th->gen_next;
	th->gen_next += t->nr_threads + 1;
	if (th->gen_next == TORTURE_CTOR_GEN)
		th->gen_next += t->nr_threads + 1;
	o->cpu = raw_smp_processor_id();
	torture_fill(o->ptr, o->size, o->gen);
	th->counters[TORTURE_ALLOCS]++;

	if (t->broken && th->id == 0 && o->kind < TORTURE_NR_CACHES &&
	    o->kind != TORTURE_CTOR_CACHE &&
	    ++th->nr_allocs == TORTURE_BROKEN_AFTER &&
	    !atomic_cmpxchg(&t->broken_planted, 0, 1)) {
		((u8 *)o->ptr)[o->size / 2] ^= 0xff;
		pr_info("broken mode: flipped byte %u of a %s object at region offset %#lx\n",
			o->size / 2, torture_kind_name(o->kind), torture_offset(t, o->ptr));
	}
}

static bool torture_alloc_kind(struct torture_thread *th, struct torture_obj *o,
			       unsigned int kind, gfp_t gfp, size_t kmalloc_max,
			       unsigned int max_order)
{
	struct torture *t = th->t;
	unsigned long align;
	size_t want = 0;

	if (kind == TORTURE_CTOR_CACHE)
		gfp &= ~__GFP_ZERO;	/* it would wipe the constructed state */
	o->kind = kind;
	o->order = 0;
	if (kind < TORTURE_NR_CACHES) {
		o->ptr = myslab_cache_alloc(t->caches[kind], gfp);
		o->size = torture_usable(t, kind);
		align = max_t(unsigned long, torture_cache_specs[kind].align,
			      sizeof(void *));
	} else if (kind == TORTURE_KIND_KMALLOC) {
		want = torture_pick_size(th, kmalloc_max);
		o->ptr = myslab_kmalloc(want, gfp);
		o->size = o->ptr ? myslab_ksize(o->ptr) : 0;
		/*
		 * Power-of-two classes are naturally aligned up to a page (the
		 * 8k class to a page), buddy blocks naturally.
		 */
		if (!is_power_of_2(o->size))
			align = sizeof(void *);
		else if (o->size > myslab_sizes_max_cached())
			align = o->size;
		else
			align = min_t(unsigned long, o->size, PAGE_SIZE);
	} else {
		o->order = min(torture_pick_order(th), max_order);
		o->ptr = myslab_alloc_pages(t->region, o->order, gfp);
		o->size = PAGE_SIZE << o->order;
		align = o->size;
	}
	if (!o->ptr) {
		th->counters[TORTURE_ALLOC_FAILED]++;
		return false;
	}
	if (o->size < want) {
		torture_error(th, "kmalloc(%zu) at region offset %#lx: usable size only %u",
			      want, torture_offset(t, o->ptr), o->size);
		o->size = want;
	}
	if (!IS_ALIGNED(torture_offset(t, o->ptr), align))
		torture_error(th, "%s object at region offset %#lx: not aligned to %lu",
			      torture_kind_name(kind), torture_offset(t, o->ptr),
			      align);
	torture_prepare(th, o, gfp);
	return true;
}

static unsigned int torture_pick_kind(struct torture_thread *th)
{
	u32 r = torture_rand(th, 100);

	if (r < 45)
		return torture_rand(th, TORTURE_NR_CACHES);
	if (r < 80)
		return TORTURE_KIND_KMALLOC;
	return TORTURE_KIND_PAGES;
}

static gfp_t torture_pick_gfp(struct torture_thread *th)
{
	gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;

	if (!torture_rand(th, 8))
		gfp |= __GFP_ZERO;
	return gfp;
}

/* === Free === */

/*
 * Check an object's pattern before it goes back. The constructor cache's
 * objects are put back in their constructed state first.
 */
static void torture_check(struct torture_thread *th, struct torture_obj *o)
{
	struct torture *t = th->t;
	u64 want = 0, got = 0, word;
	size_t bad, n;

	if (!torture_verify(o->ptr, o->size, o->gen, &bad)) {
		n = min_t(size_t, sizeof(u64), o->size - bad);
		word = torture_word((unsigned long)o->ptr + bad, o->gen);
		memcpy(&want, &word, n);
		memcpy(&got, o->ptr + bad, n);
		th->counters[TORTURE_MISMATCHES]++;
		torture_error(th,
			      "pattern mismatch in %s object of %u bytes at region offset %#lx (generation %u, allocated on CPU %d): %zu bytes at byte %zu read %#llx, expected %#llx",
			      torture_kind_name(o->kind), o->size,
			      torture_offset(t, o->ptr), o->gen, o->cpu, n, bad,
			      got, want);
	}
	if (o->kind == TORTURE_CTOR_CACHE)
		torture_fill(o->ptr, o->size, TORTURE_CTOR_GEN);
	th->counters[TORTURE_FREES]++;
	if (o->cpu != raw_smp_processor_id())
		th->counters[TORTURE_CROSS_CPU_FREES]++;
}

static void torture_release(struct torture_thread *th, struct torture_obj *o)
{
	struct torture *t = th->t;
	int err = 0;

	torture_check(th, o);
	if (o->kind < TORTURE_NR_CACHES)
		err = myslab_cache_free(t->caches[o->kind], o->ptr);
	else if (o->kind == TORTURE_KIND_KMALLOC)
		myslab_kfree(o->ptr);
	else
		err = myslab_free_pages(t->region, o->ptr, o->order);
	if (err)
		torture_error(th, "free of %s object at region offset %#lx refused: %d",
			      torture_kind_name(o->kind), torture_offset(t, o->ptr), err);
	o->ptr = NULL;
}

/* === Hand-off rings === */

void torture_ring_init(struct torture_ring *ring)
{
	spin_lock_init(&ring->lock);
	ring->head = 0;
	ring->count = 0;
}

static bool torture_ring_put(struct torture_ring *ring,
			     const struct torture_obj *o)
{
	bool done = false;

	spin_lock(&ring->lock);
	if (ring->count < TORTURE_RING_SIZE) {
		ring->objs[(ring->head + ring->count) % TORTURE_RING_SIZE] = *o;
		ring->count++;
		done = true;
	}
	spin_unlock(&ring->lock);
	return done;
}

static bool torture_ring_get(struct torture_ring *ring, struct torture_obj *o)
{
	bool done = false;

	spin_lock(&ring->lock);
	if (ring->count) {
		*o = ring->objs[ring->head];
		ring->head = (ring->head + 1) % TORTURE_RING_SIZE;
		ring->count--;
		done = true;
	}
	spin_unlock(&ring->lock);
	return done;
}

/*
 * Free whatever a ring still holds, checking each object, on behalf of
 * @th (the threads have stopped). Returns the number of objects freed.
 */
unsigned long torture_drain_ring(struct torture_thread *th,
				 struct torture_ring *ring)
{
	struct torture_obj o;
	unsigned long n = 0;

	while (torture_ring_get(ring, &o)) {
		torture_release(th, &o);
		n++;
	}
	return n;
}

/* === Operations === */

static void torture_op_slot(struct torture_thread *th)
{
	struct torture_obj *o = &th->slots[torture_rand(th, th->t->nr_slots)];

	if (o->ptr)
		torture_release(th, o);
	else
		torture_alloc_kind(th, o, torture_pick_kind(th),
				   torture_pick_gfp(th), TORTURE_KMALLOC_MAX,
				   TORTURE_MAX_ORDER);
}

static void torture_op_give(struct torture_thread *th)
{
	struct torture_obj *o = &th->slots[torture_rand(th, th->t->nr_slots)];

	if (!o->ptr)
		return;
	if (torture_ring_put(&th->t->rings[o->kind], o)) {
		th->counters[TORTURE_HANDOFFS]++;
		o->ptr = NULL;
	} else {
		torture_release(th, o);
	}
}

static void torture_op_take(struct torture_thread *th)
{
	unsigned int first = torture_rand(th, TORTURE_NR_KINDS), i;
	struct torture_obj o;

	for (i = 0; i < TORTURE_NR_KINDS; i++) {
		if (torture_ring_get(&th->t->rings[(first + i) % TORTURE_NR_KINDS], &o)) {
			torture_release(th, &o);
			return;
		}
	}
}

static void torture_op_bulk_alloc(struct torture_thread *th)
{
	struct torture *t = th->t;
	unsigned int kind = torture_rand(th, TORTURE_NR_CACHES);
	unsigned int want = 1 + torture_rand(th, TORTURE_BULK_MAX);
	unsigned int start = torture_rand(th, t->nr_slots);
	unsigned int idx[TORTURE_BULK_MAX], n = 0, i, s;
	gfp_t gfp = torture_pick_gfp(th);

	if (kind == TORTURE_CTOR_CACHE)
		gfp &= ~__GFP_ZERO;
	for (i = 0; i < t->nr_slots && n < want; i++) {
		s = (start + i) % t->nr_slots;
		if (!th->slots[s].ptr)
			idx[n++] = s;
	}
	if (!n)
		return;
	if (!myslab_cache_alloc_bulk(t->caches[kind], gfp, n, th->scratch)) {
		th->counters[TORTURE_ALLOC_FAILED]++;
		return;
	}
	for (i = 0; i < n; i++) {
		struct torture_obj *o = &th->slots[idx[i]];

		o->ptr = th->scratch[i];
		o->kind = kind;
		o->order = 0;
		o->size = torture_usable(t, kind);
		torture_prepare(th, o, gfp);
	}
	th->counters[TORTURE_BULK_ALLOCS] += n;
}

static void torture_op_bulk_free(struct torture_thread *th)
{
	struct torture *t = th->t;
	unsigned int kind = torture_rand(th, TORTURE_NR_CACHES);
	unsigned int want = 1 + torture_rand(th, TORTURE_BULK_MAX);
	unsigned int start = torture_rand(th, t->nr_slots), n = 0, i;

	for (i = 0; i < t->nr_slots && n < want; i++) {
		struct torture_obj *o = &th->slots[(start + i) % t->nr_slots];

		if (!o->ptr || o->kind != kind)
			continue;
		torture_check(th, o);
		th->scratch[n++] = o->ptr;
		o->ptr = NULL;
	}
	if (!n)
		return;
	/* Refused frees are counted by the cache; checked at the end. */
	myslab_cache_free_bulk(t->caches[kind], n, th->scratch);
	th->counters[TORTURE_BULK_FREES] += n;
}

static void torture_op_shrink(struct torture_thread *th)
{
	struct torture *t = th->t;
	unsigned int n = TORTURE_NR_CACHES + t->nr_class_caches;
	unsigned int i = torture_rand(th, n + 1);

	if (i == n) {
		myslab_drain_pcp(t->region);
		th->counters[TORTURE_PCP_DRAINS]++;
		return;
	}
	myslab_cache_shrink(i < TORTURE_NR_CACHES ? t->caches[i] :
			    t->class_caches[i - TORTURE_NR_CACHES]);
	th->counters[TORTURE_SHRINKS]++;
}

/*
 * Allocation, check and free in atomic context, as from an IRQ handler
 * under its lock: interrupts off without PREEMPT_RT; with it, the section of
 * a sleeping spinlock_t, the atomic context that RT gives handlers (threaded)
 * and in which it allows GFP_ATOMIC. Small objects and single pages only,
 * so the section stays short.
 */
static void torture_op_atomic(struct torture_thread *th)
{
	struct torture_obj o;
	unsigned long flags;

	spin_lock_irqsave(&th->atomic_lock, flags);
	if (torture_alloc_kind(th, &o, torture_pick_kind(th),
			       GFP_ATOMIC | __GFP_NOWARN, 512, 0))
		torture_release(th, &o);
	spin_unlock_irqrestore(&th->atomic_lock, flags);
	th->counters[TORTURE_ATOMIC_OPS]++;
}

static void torture_op_pair(struct torture_thread *th)
{
	struct torture_obj o;

	if (torture_alloc_kind(th, &o, torture_pick_kind(th),
			       torture_pick_gfp(th), TORTURE_KMALLOC_MAX,
			       TORTURE_MAX_ORDER))
		torture_release(th, &o);
}

static void torture_step(struct torture_thread *th)
{
	u32 r = torture_rand(th, OP_ALL);

	if (r < OP_SLOT)
		torture_op_slot(th);
	else if (r < OP_GIVE)
		torture_op_give(th);
	else if (r < OP_TAKE)
		torture_op_take(th);
	else if (r < OP_BULK_ALLOC)
		torture_op_bulk_alloc(th);
	else if (r < OP_BULK_FREE)
		torture_op_bulk_free(th);
	else if (r < OP_SHRINK)
		torture_op_shrink(th);
	else if (r < OP_ATOMIC)
		torture_op_atomic(th);
	else
		torture_op_pair(th);
	th->counters[TORTURE_OPS]++;
}

/* Free everything a thread holds, checking each object. */
void torture_release_all(struct torture_thread *th)
{
	unsigned int i;

	for (i = 0; i < th->t->nr_slots; i++)
		if (th->slots[i].ptr)
			torture_release(th, &th->slots[i]);
}

/* Sleep until kthread_stop(): the thread's result stays readable. */
static void torture_wait_for_stop(void)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
}

int torture_thread_fn(void *arg)
{
	struct torture_thread *th = arg;
	struct torture *t = th->t;

	wait_for_completion(&t->start);
	while (!kthread_should_stop() && ktime_before(ktime_get(), t->deadline)) {
		torture_step(th);
		cond_resched();
	}
	torture_release_all(th);
	if (atomic_dec_and_test(&t->running))
		complete(&t->all_done);
	torture_wait_for_stop();
	return 0;
}
