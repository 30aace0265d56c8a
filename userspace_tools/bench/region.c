// SPDX-License-Identifier: GPL-2.0
/*
 * Shoot-out row 4, myslab only: metadata per managed page, and time per
 * operation as the region grows.
 *
 *   bench-region SIZE_MIB OPS
 *
 * Creates one region of SIZE_MIB over an anonymous MAP_NORESERVE mapping
 * (the sim's mmap provider; the buddy keeps its descriptors outside the
 * region and never writes to the region itself, so a 4 GiB region costs only
 * what the pages it hands out are touched for), with the module's defaults
 * (max_order 10, pcp_batch 32), and then, on one thread pinned to CPU 0:
 *
 *   fill   random blocks of order 0..3 until half the region's pages are
 *          allocated: the live set, and so the descriptors the buddy walks,
 *          grow with the region
 *   buddy  OPS times: free a random live block, allocate a block of a random
 *          order 0..3 in its place (one op = one free + one alloc)
 *   slab   OPS alloc+free pairs of a 256-byte cache object on the same,
 *          half-full region: the slab fast path should not care
 *   floor  the buddy loop without the allocator (random numbers, array),
 *          CPU time
 *
 * Times are wall clock and this thread's CPU time (CLOCK_THREAD_CPUTIME_ID).
 *
 * Output: one tab-separated "RESULT key=value ..." line.
 *
 *   bench-region orders OPS
 *
 * Pages of each order 0..9 instead: on a fresh 64 MiB region (max_order
 * 10, pcp_batch 32), OPS alloc+free pairs of one order at a time, each
 * taken from and merged back into a whole order-10 block (order 0 through
 * the per-CPU cache), after OPS / 10 pairs of warm-up; one RESULT line per
 * order with this thread's CPU ns per pair.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include <linux/err.h>
#include <linux/mm.h>
#include <myslab/buddy.h>
#include <myslab/slab.h>
#include <sim/sim.h>

#define OPAQUE(x)	__asm__ volatile("" : "+r"(x))
#define MAX_ORDER_USED	3

struct live_block {
	void *addr;
	unsigned int order;
};

static double clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* This thread's CPU time: what other load on the machine does not inflate. */
static double cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

static inline uint64_t rnd_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static void *must_alloc(struct myslab_region *r, unsigned int order)
{
	void *p = myslab_alloc_pages(r, order, GFP_ATOMIC);

	if (!p) {
		fprintf(stderr, "bench-region: order-%u allocation failed\n", order);
		exit(1);
	}
	return p;
}

static void buddy_loop(struct myslab_region *r, struct live_block *live,
		       unsigned long nr_live, unsigned long ops, uint64_t *seed)
{
	unsigned long i, j;

	for (i = 0; i < ops; i++) {
		j = rnd_next(seed) % nr_live;
		myslab_free_pages(r, live[j].addr, live[j].order);
		live[j].order = rnd_next(seed) % (MAX_ORDER_USED + 1);
		live[j].addr = must_alloc(r, live[j].order);
	}
}

static void floor_loop(struct live_block *live, unsigned long nr_live,
		       unsigned long ops, uint64_t *seed)
{
	unsigned long i, j, order;
	void *p;

	for (i = 0; i < ops; i++) {
		j = rnd_next(seed) % nr_live;
		p = live[j].addr;
		OPAQUE(p);
		order = rnd_next(seed) % (MAX_ORDER_USED + 1);
		OPAQUE(order);
		live[j].addr = p;	/* the block and its order stay as they are */
	}
}

static void slab_loop(struct myslab_cache *cache, unsigned long ops)
{
	unsigned long i;
	void *obj;

	for (i = 0; i < ops; i++) {
		obj = myslab_cache_alloc(cache, GFP_ATOMIC);
		*(volatile unsigned long *)obj = i;
		myslab_cache_free(cache, obj);
	}
}

static unsigned long size_mib, ops;

/*
 * The measurement, on a thread of its own as in the shoot-out harness: a
 * process with a second thread pays for glibc's locks what a
 * single-threaded one does not, and so does the sim's spinlock.
 */
static void *sweep(void *arg)
{
	unsigned long nr_live = 0, cap, held = 0, i;
	struct myslab_buddy_stats *st;
	struct myslab_region *region;
	struct myslab_cache *cache;
	struct live_block *live;
	double t0, c0, create_ns, buddy_ns, slab_ns, floor_ns, buddy_cpu, slab_cpu;
	uint64_t seed = 0x6d79736c6162ULL;
	struct rusage ru;
	cpu_set_t set;

	(void)arg;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	sim_set_cpu(0);

	t0 = now_ns();
	region = sim_region_create("sweep", size_mib << 20, 10, 32);
	create_ns = now_ns() - t0;
	if (IS_ERR(region)) {
		fprintf(stderr, "bench-region: region of %lu MiB: error %ld\n",
			size_mib, PTR_ERR(region));
		exit(1);
	}
	st = calloc(1, sizeof(*st));
	myslab_buddy_stats(region, st);

	/* Fill half the pages with random blocks of order 0..3. */
	cap = st->nr_pages / 2 + 1;
	live = mmap(NULL, cap * sizeof(*live), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (live == MAP_FAILED) {
		perror("bench-region: mmap");
		exit(1);
	}
	while (held < st->nr_pages / 2 && nr_live < cap) {
		live[nr_live].order = rnd_next(&seed) % (MAX_ORDER_USED + 1);
		live[nr_live].addr = must_alloc(region, live[nr_live].order);
		held += 1UL << live[nr_live].order;
		nr_live++;
	}

	buddy_loop(region, live, nr_live, ops / 10, &seed);
	c0 = cpu_ns();
	t0 = now_ns();
	buddy_loop(region, live, nr_live, ops, &seed);
	buddy_ns = now_ns() - t0;
	buddy_cpu = cpu_ns() - c0;
	c0 = cpu_ns();
	floor_loop(live, nr_live, ops, &seed);
	floor_ns = cpu_ns() - c0;

	cache = myslab_cache_create(region, "sweep-256", 256, 0,
				    MYSLAB_HWCACHE_ALIGN, NULL);
	if (IS_ERR(cache)) {
		fprintf(stderr, "bench-region: cache: error %ld\n", PTR_ERR(cache));
		exit(1);
	}
	slab_loop(cache, ops / 10);
	c0 = cpu_ns();
	t0 = now_ns();
	slab_loop(cache, ops);
	slab_ns = now_ns() - t0;
	slab_cpu = cpu_ns() - c0;

	getrusage(RUSAGE_SELF, &ru);
	printf("RESULT\talloc=myslab\tworkload=region\tregion_mib=%lu\tnr_pages=%lu\tmeta_bytes_per_page=%u\tmeta_bytes=%lu\tmeta_pct=%.3f\tcreate_ms=%.3f\tlive_blocks=%lu\tops=%lu\tbuddy_ns_op=%.3f\tbuddy_cpu_ns_op=%.3f\tslab_ns_op=%.3f\tslab_cpu_ns_op=%.3f\tfloor_ns=%.3f\tmaxrss_kib=%ld\n",
	       size_mib, st->nr_pages, st->meta_bytes_per_page,
	       st->nr_pages * st->meta_bytes_per_page,
	       100.0 * st->meta_bytes_per_page / PAGE_SIZE, create_ns / 1e6,
	       nr_live, ops, buddy_ns / ops, buddy_cpu / ops, slab_ns / ops,
	       slab_cpu / ops, floor_ns / ops,
	       ru.ru_maxrss);

	myslab_cache_destroy(cache);
	for (i = 0; i < nr_live; i++)
		myslab_free_pages(region, live[i].addr, live[i].order);
	myslab_region_destroy(region);
	free(st);
	return NULL;
}

/* bench-region orders OPS: one order at a time, from a whole order-10 block. */
static void *orders(void *arg)
{
	struct myslab_region *region;
	unsigned int order;
	unsigned long i;
	cpu_set_t set;
	double c0;
	void *p;

	(void)arg;
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	sim_set_cpu(0);
	region = sim_region_create("orders", 64UL << 20, 10, 32);
	if (IS_ERR(region)) {
		fprintf(stderr, "bench-region: region: error %ld\n", PTR_ERR(region));
		exit(1);
	}
	for (order = 0; order <= 9; order++) {
		for (i = 0; i < ops / 10; i++)
			myslab_free_pages(region, must_alloc(region, order), order);
		c0 = cpu_ns();
		for (i = 0; i < ops; i++) {
			p = must_alloc(region, order);
			OPAQUE(p);
			myslab_free_pages(region, p, order);
		}
		printf("RESULT\talloc=myslab\tworkload=pages\torder=%u\tops=%lu\tcpu_ns_pair=%.3f\n",
		       order, ops, (cpu_ns() - c0) / ops);
	}
	myslab_drain_pcp(region);
	myslab_region_destroy(region);
	return NULL;
}

int main(int argc, char **argv)
{
	bool by_order;
	pthread_t tid;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-region SIZE_MIB OPS | bench-region orders OPS\n");
		return 2;
	}
	by_order = !strcmp(argv[1], "orders");
	size_mib = by_order ? 64 : strtoul(argv[1], NULL, 0);
	ops = strtoul(argv[2], NULL, 0);
	if (!size_mib || !ops)
		return 2;
	sim_set_nr_cpus(2);
	if (pthread_create(&tid, NULL, by_order ? orders : sweep, NULL)) {
		perror("bench-region: pthread_create");
		return 1;
	}
	pthread_join(tid, NULL);
	return 0;
}
