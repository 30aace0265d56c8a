/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab_torture: private types of the torture module.
 *
 * Kthreads on every CPU do random operations on the myslab module's main
 * region for a fixed time: objects of a few caches the module creates, the
 * size classes (myslab_kmalloc), and buddy blocks of orders 0..4. Every
 * object is filled with a pattern derived from its address and a
 * per-allocation generation, and checked when it is freed, wherever that
 * happens (its own thread, another thread on another CPU through a hand-off
 * ring, a bulk free, or the final cleanup). At the end the accounting of the
 * region must be back where it started.
 *
 * Files: torture_main.c (parameters, setup, run, final accounting),
 * torture_thread.c (the operations of one thread, hand-off rings),
 * torture_pattern.c (fill and verify).
 */
#ifndef _MYSLAB_TORTURE_H
#define _MYSLAB_TORTURE_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/prandom.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <myslab/buddy.h>
#include <myslab/slab.h>

/* Caches the torture creates on the main region (torture_cache_specs). */
#define TORTURE_NR_CACHES	4
/* The one with a constructor, and its object size. */
#define TORTURE_CTOR_CACHE	1
#define TORTURE_CTOR_SIZE	200

/**
 * struct torture_cache_spec - a cache the torture creates
 * @name:	cache name
 * @size:	object size
 * @align:	alignment asked for
 * @flags:	MYSLAB_* creation flags
 * @ctor:	whether it has the constructor torture_ctor()
 */
struct torture_cache_spec {
	const char *name;
	unsigned int size;
	unsigned int align;
	unsigned int flags;
	bool ctor;
};

extern const struct torture_cache_spec torture_cache_specs[TORTURE_NR_CACHES];

/* Kinds of objects; a cache's kind is its index. */
#define TORTURE_KIND_KMALLOC	TORTURE_NR_CACHES
#define TORTURE_KIND_PAGES	(TORTURE_NR_CACHES + 1)
#define TORTURE_NR_KINDS	(TORTURE_NR_CACHES + 2)

/* Largest buddy order the threads allocate, and the largest kmalloc size. */
#define TORTURE_MAX_ORDER	4
#define TORTURE_KMALLOC_MAX	8192

/* Objects per bulk operation, at most. */
#define TORTURE_BULK_MAX	32
/* Objects a hand-off ring holds. */
#define TORTURE_RING_SIZE	128

/* Generation of the constructed state; allocations never use it. */
#define TORTURE_CTOR_GEN	0

/**
 * struct torture_obj - one object a thread (or a ring) holds
 * @ptr:	the object, NULL for an empty slot
 * @size:	bytes filled with the pattern (the object's usable size)
 * @gen:	generation the pattern was made with
 * @kind:	a cache index, TORTURE_KIND_KMALLOC or TORTURE_KIND_PAGES
 * @order:	buddy order, for TORTURE_KIND_PAGES
 * @cpu:	CPU that allocated it
 */
struct torture_obj {
	void *ptr;
	u32 size;
	u32 gen;
	u16 kind;
	u16 order;
	s32 cpu;
};

/**
 * struct torture_ring - objects handed from one thread to another
 * @lock:	protects @head, @count and @objs; never held across a call
 *		into myslab
 * @head:	index of the oldest object
 * @count:	objects in the ring
 * @objs:	the objects, in the order they were given
 */
struct torture_ring {
	spinlock_t lock;	/* head, count, objs */
	unsigned int head;
	unsigned int count;
	struct torture_obj objs[TORTURE_RING_SIZE];
};

/*
 * Event counters of a thread, an enum plus names (torture_main.c) tied with
 * a static_assert. Each thread writes its own; the progress report reads
 * them with READ_ONCE() while the threads run. TORTURE_ERRORS counts every
 * error found, pattern mismatches (also in TORTURE_MISMATCHES) included.
 */
enum torture_counter {
	TORTURE_OPS,
	TORTURE_ALLOCS,
	TORTURE_FREES,
	TORTURE_CROSS_CPU_FREES,
	TORTURE_HANDOFFS,
	TORTURE_BULK_ALLOCS,
	TORTURE_BULK_FREES,
	TORTURE_SHRINKS,
	TORTURE_PCP_DRAINS,
	TORTURE_ATOMIC_OPS,
	TORTURE_ALLOC_FAILED,
	TORTURE_MISMATCHES,
	TORTURE_ERRORS,
	TORTURE_NR_COUNTERS,
};

struct torture;

/**
 * struct torture_thread - one torture kthread
 * @t:		the run it belongs to
 * @task:	the kthread
 * @id:		index among the threads
 * @cpu:	CPU it is bound to
 * @rnd:	its random state
 * @gen_next:	next generation it hands out (ids interleave, never
 *		TORTURE_CTOR_GEN)
 * @nr_allocs:	cache allocations so far (the broken mode counts them)
 * @slots:	objects it holds, t->nr_slots of them
 * @scratch:	room for a bulk operation's pointers
 * @counters:	its event counters (enum torture_counter)
 * @atomic_lock: held (irqsave) around an atomic operation, as a driver's
 *		handler holds its own lock: interrupts off without PREEMPT_RT,
 *		a sleeping lock's section with it (where no allocator may be
 *		called with interrupts off); only this thread takes it
 */
struct torture_thread {
	struct torture *t;
	struct task_struct *task;
	unsigned int id;
	int cpu;
	struct rnd_state rnd;
	u32 gen_next;
	unsigned long nr_allocs;
	struct torture_obj *slots;
	void *scratch[TORTURE_BULK_MAX];
	unsigned long counters[TORTURE_NR_COUNTERS];
	spinlock_t atomic_lock;	/* this thread only, see above */
};

/**
 * struct torture - one torture run
 * @region:	the myslab main region
 * @region_base: its first byte, for reports by region offset
 * @caches:	caches the run created (TORTURE_NR_CACHES)
 * @class_caches: the size classes' caches, found through their objects, so
 *		that they can be shrunk before and after the run
 * @nr_class_caches: entries of @class_caches
 * @rings:	one hand-off ring per kind
 * @threads:	the kthreads
 * @nr_threads:	entries of @threads
 * @nr_slots:	objects each thread holds at most
 * @broken:	plant one corrupted object (the positive control)
 * @broken_planted: set once the corruption is planted
 * @deadline:	when the threads stop (ktime_get() clock: under an emulator
 *		that loses timer ticks, jiffies run slow)
 * @start:	completed when every thread may start
 * @running:	threads that have not finished their cleanup yet
 * @all_done:	completed when @running drops to zero
 * @live_rounds: cache validations made while the threads ran
 * @live_busy:	those of them that returned -EBUSY (a count left unmade)
 * @live_failed: those that returned another error (could not run)
 * @live_problems: problems those validations found (none is allowed)
 */
struct torture {
	struct myslab_region *region;
	unsigned long region_base;
	struct myslab_cache *caches[TORTURE_NR_CACHES];
	struct myslab_cache **class_caches;
	unsigned int nr_class_caches;
	struct torture_ring rings[TORTURE_NR_KINDS];
	struct torture_thread *threads;
	unsigned int nr_threads;
	unsigned int nr_slots;
	bool broken;
	atomic_t broken_planted;
	ktime_t deadline;
	struct completion start;
	atomic_t running;
	struct completion all_done;
	unsigned long live_rounds;
	unsigned long live_busy;
	unsigned long live_failed;
	long live_problems;
};

/* torture_pattern.c */
u64 torture_word(unsigned long addr, u32 gen);
void torture_fill(void *obj, size_t size, u32 gen);
bool torture_verify(void *obj, size_t size, u32 gen, size_t *bad_offset);
bool torture_is_zero(const void *obj, size_t size, size_t *bad_offset);
void torture_ctor(void *obj);

/* torture_main.c */
const char *torture_kind_name(unsigned int kind);

/* torture_thread.c */
int torture_thread_fn(void *arg);
void torture_ring_init(struct torture_ring *ring);
unsigned long torture_drain_ring(struct torture_thread *th,
				 struct torture_ring *ring);
void torture_release_all(struct torture_thread *th);

#endif /* _MYSLAB_TORTURE_H */
