// SPDX-License-Identifier: GPL-2.0
/*
 * The detector hooks of struct myslab_region_debug for the userspace build,
 * as buddy_hooks.c provides them in the kernel:
 *
 *   shadow_poison/unpoison  ASan's manual poisoning in an ASan build, and
 *                           memcheck's NOACCESS/DEFINED client requests
 *                           otherwise (no-ops outside valgrind): a test or
 *                           the fuzzer touching a free page is caught at once
 *   track_alloc/track_free  count the page blocks handed out, like kmemleak
 *                           would track them
 *   should_fail             fault injection: fail the nth next page
 *                           allocation, or a share of them
 */
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/mm.h>
#include <sim/sim.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif
#if !defined(SIM_ASAN) && defined(__SANITIZE_ADDRESS__)
#define SIM_ASAN 1
#endif

#ifdef SIM_ASAN
#include <sanitizer/asan_interface.h>
#else
#include <valgrind/memcheck.h>
#endif

static unsigned long fail_nth, fail_permille;
static bool fail_after;
static long tracked;

static void shadow_poison(const void *addr, size_t size)
{
#ifdef SIM_ASAN
	__asan_poison_memory_region(addr, size);
#else
	VALGRIND_MAKE_MEM_NOACCESS(addr, size);
#endif
}

static void shadow_unpoison(const void *addr, size_t size)
{
#ifdef SIM_ASAN
	__asan_unpoison_memory_region(addr, size);
#else
	VALGRIND_MAKE_MEM_DEFINED(addr, size);
#endif
}

int sim_shadow_poisoned(const void *addr)
{
#ifdef SIM_ASAN
	return __asan_address_is_poisoned(addr);
#else
	(void)addr;
	return -1;
#endif
}

static void track_alloc(const void *addr, size_t size, gfp_t gfp)
{
	__atomic_fetch_add(&tracked, 1, __ATOMIC_RELAXED);
}

static void track_free(const void *addr)
{
	__atomic_fetch_sub(&tracked, 1, __ATOMIC_RELAXED);
}

long sim_tracked_blocks(void)
{
	return __atomic_load_n(&tracked, __ATOMIC_RELAXED);
}

static bool should_fail(void *data, unsigned int order, gfp_t gfp)
{
	unsigned long n = __atomic_load_n(&fail_nth, __ATOMIC_RELAXED);

	while (n) {
		if (n == 1 && __atomic_load_n(&fail_after, __ATOMIC_RELAXED))
			return true;	/* the nth and every one after it */
		if (__atomic_compare_exchange_n(&fail_nth, &n, n - 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
			if (n == 1)
				return true;
			break;
		}
	}
	return fail_permille && sim_random_u64() % 1000 < fail_permille;
}

void sim_fail_pages(unsigned long nth, bool and_after, unsigned int permille)
{
	__atomic_store_n(&fail_after, and_after, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_nth, nth, __ATOMIC_RELAXED);
	__atomic_store_n(&fail_permille, permille, __ATOMIC_RELAXED);
}

void sim_region_debug(struct myslab_region_debug *debug, unsigned int flags)
{
	memset(debug, 0, sizeof(*debug));
	debug->flags = flags;
	debug->should_fail = should_fail;
	debug->shadow_poison = shadow_poison;
	debug->shadow_unpoison = shadow_unpoison;
	debug->track_alloc = track_alloc;
	debug->track_free = track_free;
}

struct myslab_region *sim_region_create_debug(const char *name, size_t size,
					      unsigned int max_order,
					      unsigned int pcp_batch,
					      unsigned int flags)
{
	struct myslab_region_debug debug;
	struct myslab_region *region;
	struct myslab_mem mem;
	int err;

	err = sim_mem_alloc(&mem, size, SIM_MEM_MMAP);
	if (err)
		return ERR_PTR(err);
	sim_region_debug(&debug, flags);
	region = myslab_region_create_debug(name, &mem, max_order, pcp_batch, &debug);
	if (IS_ERR(region))
		sim_mem_free(&mem);
	return region;
}

/* SIM_REGION_DEBUG=<flags>: every sim_region_create() region gets the hooks. */
int sim_region_debug_default(void)
{
	const char *env = getenv("SIM_REGION_DEBUG");

	return env && *env ? (int)strtoul(env, NULL, 0) : -1;
}
