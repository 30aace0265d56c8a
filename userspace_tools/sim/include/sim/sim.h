/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace build of myslab's core: what tests, the fuzzer and
 * benchmarks use besides the core's own API (<myslab/buddy.h>,
 * <myslab/slab.h>).
 *
 * Link with out/<variant>/libmyslab_sim.a and -lpthread; compile with
 * -I userspace_tools/sim/include -I include -I kmod (see the Makefile).
 */
#ifndef _SIM_SIM_H
#define _SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <myslab/buddy.h>

/* === CPUs === */

/* Number of CPUs per-CPU areas have; only while none is allocated. */
void sim_set_nr_cpus(unsigned int nr);
unsigned int sim_nr_cpus(void);
/*
 * Pin the calling thread to a CPU number (< nr_cpu_ids). A thread is bound
 * to its CPU until it moves, leaves or exits; a CPU with one thread bound runs
 * its sections without the flag that serialises threads sharing a CPU
 * (sim/runtime.h), so a thread done with a CPU should leave it.
 */
void sim_set_cpu(int cpu);
/* The calling thread leaves its CPU; its next use of one binds it again. */
void sim_leave_cpu(void);
int sim_cpu(void);
/* For tests of the stand-in: threads bound to @cpu (< SIM_MAX_CPUS)... */
unsigned int sim_cpu_threads(unsigned int cpu);
/* ...and whether the caller's sections go without the CPU's flag. */
bool sim_cpu_alone(void);

/* === Log, WARN and error accounting === */

enum sim_log_level {
	SIM_LOG_EMERG, SIM_LOG_ALERT, SIM_LOG_CRIT, SIM_LOG_ERR,
	SIM_LOG_WARNING, SIM_LOG_NOTICE, SIM_LOG_INFO, SIM_LOG_DEBUG,
	SIM_LOG_NR_LEVELS,
};

/* Messages at SIM_LOG_ERR or more severe (pr_err and up). */
unsigned long sim_errors(void);
/* pr_warn messages. */
unsigned long sim_warnings(void);
/* WARN_ON/WARN_ON_ONCE/lock-checker reports: each is a kernel splat. */
unsigned long sim_splats(void);
/* The last message logged by any thread, without its level prefix. */
const char *sim_last_message(void);
/* Print messages to stderr (default) or only count them. */
void sim_set_quiet(bool quiet);
/* Called for every message, after counting. */
void sim_set_log_hook(void (*hook)(int level, const char *msg, void *arg),
		      void *arg);

/* === Metadata allocations (kmalloc family, alloc_percpu) === */

/* Make the @nth next metadata allocation fail (1 = the next); 0: never. */
void sim_fail_kmalloc(unsigned long nth);
/* Metadata allocations live now. */
long sim_kmalloc_live(void);

/* === Random source === */

void sim_seed_random(uint64_t seed);

/* === Region memory providers === */

enum sim_mem_kind {
	SIM_MEM_MMAP,	/* anonymous mmap with a PROT_NONE guard page each side */
	SIM_MEM_HEAP,	/* posix_memalign(PAGE_SIZE) */
};

/*
 * Fill @mem with @size bytes (a page multiple) from the provider @kind; its
 * release callback gives them back and counts the release.
 * Return: 0 or -ENOMEM.
 */
int sim_mem_alloc(struct myslab_mem *mem, size_t size, enum sim_mem_kind kind);
/* Give back memory whose region was never created (same as ->release). */
void sim_mem_free(struct myslab_mem *mem);
/* How many times a release callback ran; memory blocks given out, live. */
unsigned long sim_mem_releases(void);
long sim_mem_live(void);

/*
 * A region over fresh mmap'ed memory. Return: the region, or an ERR_PTR
 * (the memory is then already given back). With SIM_REGION_DEBUG=<flags>
 * in the environment it is made by sim_region_create_debug(<flags>).
 */
struct myslab_region *sim_region_create(const char *name, size_t size,
					unsigned int max_order,
					unsigned int pcp_batch);

/* === Debug hooks (struct myslab_region_debug), as the kernel's glue === */

/*
 * Fill @debug with MYSLAB_DEBUG_* @flags and every hook: free pages made
 * inaccessible to ASan (or to valgrind's memcheck), page blocks counted as
 * a leak tracker would, and fault injection driven by sim_fail_pages().
 */
void sim_region_debug(struct myslab_region_debug *debug, unsigned int flags);
struct myslab_region *sim_region_create_debug(const char *name, size_t size,
					      unsigned int max_order,
					      unsigned int pcp_batch,
					      unsigned int flags);
/* SIM_REGION_DEBUG from the environment, or -1 when unset. */
int sim_region_debug_default(void);
/*
 * Fail the @nth next page allocation (0: none), and every later one too when
 * @and_after, plus @permille of all of them (at random).
 */
void sim_fail_pages(unsigned long nth, bool and_after, unsigned int permille);
/* Page blocks handed out and not freed, as the track hooks saw them. */
long sim_tracked_blocks(void);
/* 1 when ASan considers @addr poisoned, 0 when not, -1 without ASan. */
int sim_shadow_poisoned(const void *addr);

#endif /* _SIM_SIM_H */
