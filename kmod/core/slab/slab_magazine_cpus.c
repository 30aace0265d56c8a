// SPDX-License-Identifier: GPL-2.0
/*
 * myslab magazines: what concerns every CPU's magazine of a cache at once.
 *
 *   each     run an operation on every possible CPU's magazine, an online
 *            CPU's on that CPU under its lock, an offline CPU's in place
 *   drain    one dead CPU's magazine, or every CPU's, back to the slabs
 *   retune   every magazine takes new tunables, flushing what no longer
 *            fits
 *   create   the per-CPU magazines of a new cache, and free them
 *   count    the per-CPU event counters (sum, reset), the objects cached,
 *            one magazine's fill for debugfs
 *   check    each magazine's entries under its lock, the objects in
 *            transit, and the generations that tell validation a quiet
 *            instant (myslab_cache_validate())
 *
 * A magazine's lock is a CPU lock (cpu_lock.h) that only its own CPU takes,
 * so another CPU's magazine is never locked from here: each operation runs
 * on each online CPU in turn through smp_call_on_cpu(), under the CPU
 * hotplug lock, as SLUB flushes its per-CPU state by work items on each
 * CPU. An offline CPU's magazine was emptied when the CPU died
 * (cpu_hotplug.c) and nothing runs there, so it is read and written in
 * place. Validation's whole-cache count reads each magazine's generation,
 * a sequence count, without its lock.
 *
 * Called by slab.c, slab_validate.c, the CPU hotplug callback and debugfs,
 * never by the object paths; calls down into the single magazine's flush
 * (slab_magazine.c), the barn and the slab lists. The maps' rules:
 * slab_internal.h; the lock order: kmod/DESIGN.md.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#include <linux/bug.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "slab_magazine.h"

/* === Every CPU's magazine, each on its own CPU === */

/*
 * An operation on one magazine: @op runs with the magazine's lock held on
 * its CPU, or, for an offline CPU, in place, where nothing else can touch
 * it. @cpu is the CPU whose magazine it is; the rest are the operation's.
 */
struct myslab_mag_call {
	struct myslab_cache *cache;
	void (*op)(struct myslab_mag_call *call, struct myslab_magazine *mag);
	int cpu;
	unsigned int limit;		/* retune */
	unsigned int batchcount;	/* retune */
	unsigned long problems;		/* validate */
};

/* On @call->cpu, through smp_call_on_cpu(). */
static int myslab_mag_call_here(void *arg)
{
	struct myslab_mag_call *call = arg;
	struct myslab_magazine *mag;

	mag = myslab_cpu_lock(call->cache->mags, lock);
	/* A worker bound to the CPU runs this; anything else is a bug. */
	if (WARN_ON_ONCE(mag != per_cpu_ptr(call->cache->mags, call->cpu))) {
		myslab_cpu_unlock(&mag->lock);
		return -EINVAL;
	}
	call->op(call, mag);
	myslab_cpu_unlock(&mag->lock);
	return 0;
}

/*
 * Run @call->op on every possible CPU's magazine in turn: an online CPU's
 * on that CPU under its lock, an offline CPU's in place (emptied when the
 * CPU died, and nothing runs there; cpu_hotplug.c). Process context, may
 * sleep; the caller holds the CPU hotplug lock, so no CPU comes or goes
 * meanwhile.
 */
static void myslab_magazines_each(struct myslab_mag_call *call)
{
	int cpu, err;

	myslab_assert_cpus_held();
	might_sleep();
	for_each_possible_cpu(cpu) {
		call->cpu = cpu;
		if (cpu_online(cpu)) {
			err = smp_call_on_cpu(cpu, myslab_mag_call_here, call,
					      false);
			WARN_ON_ONCE(err);
		} else {
			call->op(call, per_cpu_ptr(call->cache->mags, cpu));
		}
	}
}

/* === Draining and retuning === */

/* Empty a magazine into the slabs, keeping every empty slab. */
static void myslab_magazine_drain(struct myslab_mag_call *call,
				  struct myslab_magazine *mag)
{
	if (mag->count) {
		myslab_mag_begin(mag);
		/* Empty slabs stay: the caller gives them back itself. */
		myslab_magazine_flush_slabs(call->cache, mag, mag->count,
					    ULONG_MAX);
		myslab_mag_end(mag);
		myslab_mag_count(mag, MYSLAB_CACHE_DRAINS);
	}
}

/**
 * myslab_cache_drain_cpu() - empty a dead CPU's magazine
 * @cache:	the cache
 * @cpu:	a CPU that is offline and past its dying steps
 *
 * Moves the objects of @cpu's magazine back to their slabs and gives back
 * the empty slabs beyond the reserve, as any flush does: the CPU hotplug
 * teardown callback's work (cpu_hotplug.c), which runs once @cpu is dead,
 * so that nothing can refill the magazine until the CPU comes back. The
 * magazine's lock is not taken: it is @cpu's own, and nothing runs there.
 * Its limit and batchcount stay, so the CPU finds it ready then.
 *
 * Context: the CPU hotplug lock held (the hotplug core holds it around its
 * callbacks); no magazine or cache lock held.
 */
void myslab_cache_drain_cpu(struct myslab_cache *cache, int cpu)
{
	struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

	myslab_assert_cpus_held();
	if (WARN_ON_ONCE(cpu_online(cpu)))
		return;
	if (mag->count) {
		myslab_mag_begin(mag);
		myslab_magazine_flush_slabs(cache, mag, mag->count,
					    MYSLAB_EMPTY_SLABS_KEPT);
		myslab_mag_end(mag);
		myslab_mag_count(mag, MYSLAB_CACHE_DRAINS);
	}
}

/*
 * Every CPU's magazine, each on its CPU, then the barn; callers then give
 * back the empty slabs. Process context, may sleep; takes the CPU hotplug
 * lock.
 */
void myslab_cache_drain_all(struct myslab_cache *cache)
{
	struct myslab_mag_call call = {
		.cache = cache,
		.op = myslab_magazine_drain,
	};

	cpus_read_lock();
	myslab_magazines_each(&call);
	cpus_read_unlock();
	myslab_barn_drain(cache);
}

static void myslab_magazine_retune(struct myslab_mag_call *call,
				   struct myslab_magazine *mag)
{
	mag->limit = call->limit;
	mag->batchcount = call->batchcount;
	if (mag->count > call->limit) {
		myslab_mag_begin(mag);
		myslab_magazine_flush(call->cache, mag,
				      mag->count - call->limit);
		myslab_mag_end(mag);
		myslab_mag_count(mag, MYSLAB_CACHE_DRAINS);
	}
}

/*
 * Every CPU's magazine takes the new tunables on its CPU under its lock;
 * one holding more than @limit objects flushes the excess. The caller holds
 * the CPU hotplug lock, then the cache's tune mutex, and has checked the
 * values (myslab_cache_tune()). Process context, may sleep.
 */
void myslab_magazines_retune(struct myslab_cache *cache, unsigned int limit,
			     unsigned int batchcount)
{
	struct myslab_mag_call call = {
		.cache = cache,
		.op = myslab_magazine_retune,
		.limit = limit,
		.batchcount = batchcount,
	};

	lockdep_assert_held(&cache->tune_mutex);
	myslab_magazines_each(&call);
}

/* === Creation and destruction === */

/*
 * Every possible CPU's magazine, empty, with the cache's limit and
 * batchcount (set by the caller). Returns 0 or -ENOMEM.
 */
int myslab_magazines_create(struct myslab_cache *cache)
{
	int cpu;

	cache->mags = alloc_percpu(struct myslab_magazine);
	if (!cache->mags)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		myslab_cpu_lock_init(&mag->lock);
		mag->count = 0;
		mag->gen = 0;
		mag->limit = cache->limit;
		mag->batchcount = cache->batchcount;
		memset(mag->counters, 0, sizeof(mag->counters));
	}
	return 0;
}

/* Free the magazines, drained by the caller; cache->mags is NULL after. */
void myslab_magazines_destroy(struct myslab_cache *cache)
{
	free_percpu(cache->mags);
	cache->mags = NULL;
}

/* === Statistics === */

/*
 * Add every CPU's counters (enum myslab_cache_counter) to @counters, each
 * read once without its lock. Nothing once the cache is destroyed.
 */
void myslab_magazines_add_counters(struct myslab_cache *cache,
				   unsigned long counters[MYSLAB_CACHE_NR_COUNTERS])
{
	int cpu, i;

	if (!cache->mags)
		return;
	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
			counters[i] += READ_ONCE(mag->counters[i]);
	}
}

static void myslab_magazine_reset_counters(struct myslab_mag_call *call,
					   struct myslab_magazine *mag)
{
	memset(mag->counters, 0, sizeof(mag->counters));
}

/*
 * Clear every CPU's counters, each on its CPU under its magazine's lock.
 * Process context, may sleep; takes the CPU hotplug lock.
 */
void myslab_magazines_reset_counters(struct myslab_cache *cache)
{
	struct myslab_mag_call call = {
		.cache = cache,
		.op = myslab_magazine_reset_counters,
	};

	if (!cache->mags)
		return;
	cpus_read_lock();
	myslab_magazines_each(&call);
	cpus_read_unlock();
}

/* Objects in every CPU's magazine, each count read once without its lock. */
unsigned long myslab_magazines_cached(struct myslab_cache *cache)
{
	unsigned long cached = 0;
	int cpu;

	if (!cache->mags)
		return 0;
	for_each_possible_cpu(cpu)
		cached += READ_ONCE(per_cpu_ptr(cache->mags, cpu)->count);
	return cached;
}

/* One CPU's magazine as debugfs shows it (struct myslab_magazine_fill). */
void myslab_magazine_fill(struct myslab_cache *cache, int cpu,
			  struct myslab_magazine_fill *fill)
{
	struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

	fill->count = READ_ONCE(mag->count);
	fill->limit = READ_ONCE(mag->limit);
	fill->batchcount = READ_ONCE(mag->batchcount);
}

/* === Validation (see "What validation can check" in slab_validate.c) === */

/*
 * Objects in transit (struct myslab_magazine), the CPUs' shares read one
 * after the other: never below the windows open throughout the reading.
 */
long myslab_transit(struct myslab_cache *cache)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu_ptr(cache->mags, cpu)->transit);
	return sum;
}

/*
 * Magazine contents: objects of this cache, free byte set, list bit clear;
 * under the magazine's lock (or on a dead CPU) and the cache lock.
 */
static void myslab_validate_magazine(struct myslab_mag_call *call,
				     struct myslab_magazine *mag)
{
	struct myslab_cache *cache = call->cache;
	unsigned long flags;

	spin_lock_irqsave(&cache->lock, flags);
	call->problems += myslab_check_cached_objs(cache, mag->objs, mag->count,
						   "magazine");
	spin_unlock_irqrestore(&cache->lock, flags);
}

/*
 * Every magazine, each on its CPU under its lock: exact per entry. The
 * caller holds the CPU hotplug lock. Returns the problems found.
 */
unsigned long myslab_magazines_validate(struct myslab_cache *cache)
{
	struct myslab_mag_call call = {
		.cache = cache,
		.op = myslab_validate_magazine,
	};

	myslab_magazines_each(&call);
	return call.problems;
}

/*
 * Step 1 of the free-map identity: each magazine's generation into @gen
 * (room for every possible CPU) and its count, read from here without its
 * lock, as a seqcount reader reads: an odd generation, or without
 * PREEMPT_RT its lock held, is a change under way on its CPU. Returns the
 * objects the magazines held, or -EBUSY when a change was under way
 * (nothing to trust then).
 */
long myslab_magazines_snapshot(struct myslab_cache *cache, unsigned long *gen)
{
	unsigned long cached = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		gen[cpu] = READ_ONCE(mag->gen);
		if (gen[cpu] & 1)
			return -EBUSY;
		/* A change under its lock leaves the generation even. */
		smp_rmb();
		if (myslab_cpu_lock_seen_held(&mag->lock))
			return -EBUSY;
		/* The count as of that generation, or the generation moves. */
		smp_rmb();
		cached += READ_ONCE(mag->count);
	}
	/* Step 2's readings come after these. */
	smp_rmb();
	return cached;
}

/*
 * Step 3: each magazine's generation again, without its lock. Returns
 * whether one moved since myslab_magazines_snapshot() (then the count is
 * not to be trusted).
 */
bool myslab_magazines_moved(struct myslab_cache *cache,
			    const unsigned long *gen)
{
	int cpu;

	/* Step 2's readings come before these. */
	smp_rmb();
	for_each_possible_cpu(cpu) {
		struct myslab_magazine *mag = per_cpu_ptr(cache->mags, cpu);

		/*
		 * A change under the lock that step 2 saw a store of is under
		 * way still, or done: then its generation moved.
		 */
		if (myslab_cpu_lock_seen_held(&mag->lock))
			return true;
		/* The byte before the generation, as the writer orders them. */
		smp_rmb();
		if (READ_ONCE(mag->gen) != gen[cpu])
			return true;
	}
	return false;
}
