// SPDX-License-Identifier: GPL-2.0
/*
 * myslab CPU hotplug glue: when a CPU has gone offline, the objects in its
 * magazines go back to their slabs and the pages in its per-CPU page lists
 * back to their regions' free lists, for every cache and every region with
 * per-CPU page lists, so that nothing stays stranded on a CPU that may never
 * come back.
 *
 * The state is CPUHP_BP_PREPARE_DYN (on 6.1 and 6.12 alike): its teardown
 * runs on a control CPU after the CPU is dead, as SLUB's CPUHP_SLUB_DEAD and
 * the page allocator's CPUHP_PAGE_ALLOC do. Nothing runs on the dead CPU
 * then, so its caches stay empty once drained. An ONLINE-section teardown
 * (CPUHP_AP_ONLINE_DYN) would run on the CPU itself while per-CPU kthreads
 * and interrupts may still allocate there, and refill what it drained.
 *
 * There is no startup callback: caches and magazines are allocated and set
 * up for every possible CPU when their region or cache is created, and a
 * drained one is ready for use as it is, so a CPU coming online (for the
 * first time or again) needs nothing.
 *
 * The magazines of a dead CPU are drained in place, without their locks:
 * a magazine's lock is taken only on its own CPU (slab_magazine.h), and
 * nothing runs on a dead CPU. The operations on every magazine (drain,
 * retune, counter reset, validation) run on each online CPU in turn under
 * the CPU hotplug lock, and read an offline CPU's magazine in place, which
 * this callback has emptied.
 *
 * Locking: the hotplug core holds the CPU hotplug lock (for writing) around
 * the callback; under it the callback takes the cache registry mutex, then
 * (released first) the mutex of the regions with per-CPU page lists. So every
 * myslab path that takes the CPU hotplug lock takes it before the registry
 * mutex (the lock order, kmod/DESIGN.md), and creating and destroying caches
 * and regions while CPUs come and go is safe: a cache or region is on its
 * list from before its first use until after it is drained for the last
 * time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/list.h>

#include "module.h"
#include "core/buddy/buddy_internal.h"
#include "core/slab/slab_internal.h"
#include "core/slab/slab_magazine.h"

static int myslab_cpuhp_state;

/* Top down: magazines first, then the page lists under them. */
static int myslab_cpu_dead(unsigned int cpu)
{
	struct myslab_region *region;
	struct myslab_cache *cache;

	myslab_registry_lock();
	list_for_each_entry(cache, myslab_registry_list(), registry)
		myslab_cache_drain_cpu(cache, cpu);
	myslab_registry_unlock();

	myslab_pcp_regions_lock();
	list_for_each_entry(region, myslab_pcp_regions(), pcp_node)
		myslab_pcp_drain_cpu(region, cpu);
	myslab_pcp_regions_unlock();
	return 0;
}

int myslab_cpu_hotplug_init(void)
{
	int state;

	/* _nocalls: no CPU is dead yet, and online ones have nothing to undo. */
	state = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "myslab:dead",
					  NULL, myslab_cpu_dead);
	if (state < 0)
		return state;
	myslab_cpuhp_state = state;
	return 0;
}

void myslab_cpu_hotplug_exit(void)
{
	/* _nocalls: the online CPUs' caches are not to be drained as if dead. */
	cpuhp_remove_state_nocalls(myslab_cpuhp_state);
}
