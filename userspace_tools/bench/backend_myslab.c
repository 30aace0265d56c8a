// SPDX-License-Identifier: GPL-2.0
/*
 * Shoot-out backend: myslab's core (kmod/), built in userspace.
 *
 * One region over an anonymous MAP_NORESERVE mapping (the sim's mmap
 * provider), with the module's defaults: max_order 10, pcp_batch 32.
 *
 *   fixed-size rows   one cache per row (myslab_cache_alloc/free), aligned
 *                     like a kernel cache: MYSLAB_HWCACHE_ALIGN when the row
 *                     asks for no alignment, else the alignment asked for
 *   malloc-like rows  mode "sizes": the size classes (myslab_sizes_alloc/free)
 *                     mode "buddy": the buddy allocator alone,
 *                     myslab_alloc_pages() with the smallest order that fits
 *
 * Allocations use GFP_ATOMIC, as the kernel's time_bench does: the fast path
 * then skips might_sleep(), which is free in a production kernel anyway.
 * Each worker thread is its own "CPU" (sim_set_cpu), so its magazines and
 * per-CPU page cache are its own, as with one pinned kthread per CPU.
 */
#include <stdio.h>
#include <string.h>

#include <linux/err.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <myslab/buddy.h>
#include <myslab/slab.h>
#include <sim/sim.h>

#include "backend.h"

#define BENCH_REGION_BYTES	(256UL << 20)
#define BENCH_MAX_ORDER		10	/* the module's default */
#define BENCH_PCP_BATCH		32	/* the module's default */
#define BENCH_MAX_FIXED		8

/* The kspin analysis build (Makefile) names itself "myslab-kspin". */
#ifndef BENCH_MYSLAB_NAME
#define BENCH_MYSLAB_NAME "myslab"
#endif

const char *backend_name = BENCH_MYSLAB_NAME;

static struct myslab_region *region;
static struct myslab_sizes *sizes;
static bool buddy_mode;
static struct myslab_cache *fixed[BENCH_MAX_FIXED];
static unsigned int nr_fixed;

/*
 * The main thread sets up on a CPU the sim picks (round robin), then leaves
 * it: each worker is then alone on its CPU, as a pinned kthread is, and its
 * sections take no flag to keep threads of one CPU apart (sim/runtime.h).
 */
static void setup_done(void)
{
	sim_leave_cpu();
}

int backend_init(const char *name, const char *mode, unsigned int nr_threads)
{
	if (strcmp(name, backend_name)) {
		fprintf(stderr, "bench-myslab: built for %s, asked for %s\n",
			backend_name, name);
		return -1;
	}
	/* One "CPU" per worker, at least the machine's two. */
	sim_set_nr_cpus(nr_threads > 2 ? nr_threads : 2);
	region = sim_region_create("bench", BENCH_REGION_BYTES, BENCH_MAX_ORDER,
				   BENCH_PCP_BATCH);
	if (IS_ERR(region)) {
		fprintf(stderr, "bench-myslab: region: error %ld\n", PTR_ERR(region));
		return -1;
	}
	if (!strcmp(mode, "buddy")) {
		buddy_mode = true;
		goto out;
	}
	if (strcmp(mode, "sizes")) {
		fprintf(stderr, "bench-myslab: unknown mode %s\n", mode);
		return -1;
	}
	sizes = myslab_sizes_create(region, "bench");
	if (IS_ERR(sizes)) {
		fprintf(stderr, "bench-myslab: size classes: error %ld\n",
			PTR_ERR(sizes));
		return -1;
	}
out:
	setup_done();
	return 0;
}

void backend_thread_init(unsigned int thread_idx)
{
	sim_set_cpu((int)thread_idx);
}

/* === Fixed-size objects: one cache === */

void *backend_fixed_create(size_t size, size_t align)
{
	struct myslab_cache *cache;
	char name[MYSLAB_CACHE_NAME_LEN];

	if (nr_fixed == BENCH_MAX_FIXED)
		return NULL;
	snprintf(name, sizeof(name), "bench-fixed-%zu-%u", size, nr_fixed);
	cache = myslab_cache_create(region, name, (unsigned int)size,
				    (unsigned int)align,
				    align ? 0 : MYSLAB_HWCACHE_ALIGN, NULL);
	if (IS_ERR(cache)) {
		fprintf(stderr, "bench-myslab: cache %s: error %ld\n", name,
			PTR_ERR(cache));
		return NULL;
	}
	fixed[nr_fixed++] = cache;
	setup_done();
	return cache;
}

void *backend_fixed_alloc(void *src)
{
	return myslab_cache_alloc(src, GFP_ATOMIC);
}

void backend_fixed_free(void *src, void *obj)
{
	myslab_cache_free(src, obj);
}

int backend_fixed_alloc_bulk(void *src, size_t nr, void **objs)
{
	return myslab_cache_alloc_bulk(src, GFP_ATOMIC, nr, objs);
}

void backend_fixed_free_bulk(void *src, size_t nr, void **objs)
{
	myslab_cache_free_bulk(src, nr, objs);
}

/* === By size: size classes, or the buddy allocator alone === */

static unsigned int order_for(size_t size)
{
	return order_base_2((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

void *backend_alloc(size_t size)
{
	if (buddy_mode)
		return myslab_alloc_pages(region, order_for(size), GFP_ATOMIC);
	return myslab_sizes_alloc(sizes, size, GFP_ATOMIC);
}

void backend_free(void *ptr, size_t size)
{
	if (buddy_mode)
		myslab_free_pages(region, ptr, order_for(size));
	else
		myslab_sizes_free(sizes, ptr);
}

/* === What the region has given out === */

bool backend_held(struct bench_held *held)
{
	struct myslab_buddy_stats st;

	myslab_buddy_stats(region, &st);
	held->bytes = (double)(st.alloc_pages + st.pcp_pages) * PAGE_SIZE;
	held->peak = (double)st.high_water * PAGE_SIZE;
	held->what = "buddy pages out of the free lists (high_water)";
	return true;
}

const char *backend_notes(void)
{
	static struct myslab_cache_stats cst;
	static char buf[1024];
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS], sum[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_buddy_stats st;
	unsigned int i, k;
	size_t len;

	memset(sum, 0, sizeof(sum));
	for (i = 0; i < nr_fixed; i++) {
		myslab_cache_counters(fixed[i], c);
		for (k = 0; k < MYSLAB_CACHE_NR_COUNTERS; k++)
			sum[k] += c[k];
	}
	myslab_buddy_stats(region, &st);
	len = snprintf(buf, sizeof(buf), "meta_bytes_per_page=%u;high_water_pages=%lu",
		       st.meta_bytes_per_page, st.high_water);
	if (!nr_fixed)
		return buf;
	len += snprintf(buf + len, sizeof(buf) - len,
			";alloc_fast=%lu;alloc_slow=%lu;free_fast=%lu;free_slow=%lu;slabs_taken=%lu;slabs_given=%lu",
			sum[MYSLAB_CACHE_ALLOC_FAST], sum[MYSLAB_CACHE_ALLOC_SLOW],
			sum[MYSLAB_CACHE_FREE_FAST], sum[MYSLAB_CACHE_FREE_SLOW],
			sum[MYSLAB_CACHE_SLABS_TAKEN], sum[MYSLAB_CACHE_SLABS_GIVEN]);
	/* How the (first) cache cuts its slabs: its metadata overhead. */
	myslab_cache_stats(fixed[0], &cst);
	snprintf(buf + len, sizeof(buf) - len,
		 ";slot_size=%u;slab_order=%u;objs_per_slab=%u;header_size=%u;waste=%u;limit=%u;batchcount=%u",
		 cst.slot_size, cst.order, cst.objs_per_slab, cst.header_size,
		 cst.waste, cst.limit, cst.batchcount);
	return buf;
}
