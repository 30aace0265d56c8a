// SPDX-License-Identifier: GPL-2.0
/*
 * The allocator shoot-out harness: one workload per process, the same code
 * for every allocator (backend.h says how one is chosen).
 *
 *   bench-X ALLOC[:MODE] fixed SIZE ALIGN reuse|npattern|bulk THREADS OPS
 *   bench-X ALLOC[:MODE] mixed THREADS OPS
 *   bench-X ALLOC[:MODE] frag SLOTS STEPS
 *
 * fixed   objects of SIZE bytes from one source (a myslab cache, or malloc).
 *         reuse: alloc, write one word, free; npattern: alloc 256 (writing
 *         one word each), then free those 256 oldest first; bulk: allocate
 *         16 in one bulk call (writing one word each), free them in another
 *         (a loop of single calls for the malloc family, which has no bulk
 *         interface). One operation is one alloc+free pair.
 * mixed   alloc(16 + rnd % 1024), memset the whole object, free: the
 *         allocator comparison this project started from. rnd is a
 *         per-thread xorshift64*, not rand(), whose lock in glibc would be
 *         shared (and contended) by the two threads.
 * frag    one thread, SLOTS slots, STEPS steps: each step picks a random
 *         slot and frees what it holds, or else allocates a random power of
 *         two from 64 B to 32 KiB into it and writes every page the object
 *         spans, so about half the slots are live at any time. Reports peak
 *         live bytes (requested sizes), the peak RSS growth of the process
 *         (ru_maxrss less the RSS before the allocator started), the
 *         allocator's own count of memory held from its page source, and the
 *         time-averaged ratios (RSS and that count, sampled every 1024 steps).
 *
 * Timed rows run THREADS worker threads, each pinned to CPU idx % ncpus and
 * made myslab's "CPU" idx. Each thread warms up with OPS/10 operations, waits
 * on a barrier, times OPS operations with CLOCK_MONOTONIC and with its own
 * CPU clock (CLOCK_THREAD_CPUTIME_ID: time spent preempted by other work on
 * the machine does not count), then times the same loop with the allocator
 * calls taken out (the "floor": loop, writes, random numbers, memset).
 * ns_op is the slowest thread's wall time over OPS, cpu_ns_op its CPU time.
 * The main thread only waits, but it exists: every allocator runs in a
 * multi-threaded process, where glibc's locks (and so the sim's pthread-mutex
 * spinlocks) cost what they cost once a second thread exists.
 *
 * Output: one tab-separated "RESULT key=value ..." line on stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"

/*
 * Counting instructions: with BENCH_COUNT=1 in the environment and under
 * valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no, the
 * measured loop and then its floor are each collected alone and dumped
 * ("loop", then "floor"), so that each dump holds the instructions of exactly
 * OPS operations, the warm-up and the setup left out. Instructions, unlike
 * time, do not change with the load of the machine. One thread only: under
 * valgrind threads take turns, so a second one would count no contention.
 */
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define HAVE_CALLGRIND	1
#else
#define HAVE_CALLGRIND	0
#define RUNNING_ON_VALGRIND		0
#define CALLGRIND_START_INSTRUMENTATION	do { } while (0)
#define CALLGRIND_TOGGLE_COLLECT	do { } while (0)
#define CALLGRIND_DUMP_STATS_AT(what)	do { (void)(what); } while (0)
#endif

#define NPATTERN_N	256
#define BULK_N		16	/* SLUB's bulk figures: 8 to 16 objects */
#define FRAG_SAMPLE	1024	/* steps between two footprint samples */
#define FRAG_MIN_SHIFT	6	/* 64 B */
#define FRAG_NR_SIZES	10	/* ... 32 KiB */
#define MAX_THREADS	16

/* The loops stay functions of their own, for profiles and callgrind. */
#define NOINLINE	__attribute__((noinline))

/* Keep the compiler from seeing through a pointer or dropping a store. */
#define OPAQUE(x)	__asm__ volatile("" : "+r"(x))
#define BARRIER()	__asm__ volatile("" ::: "memory")

/* === Helpers === */

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

/* CPU time of the calling thread: what it cost when others share the CPUs. */
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

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(2);
}

static unsigned long parse_ul(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "bench: bad %s: %s\n", what, s);
		exit(2);
	}
	return v;
}

/* Resident bytes of this process now, from /proc/self/statm. */
static double rss_now(void)
{
	static int fd = -1;
	unsigned long size, resident;
	char buf[128];
	ssize_t n;

	if (fd < 0)
		fd = open("/proc/self/statm", O_RDONLY);
	if (fd < 0)
		die("open /proc/self/statm");
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		die("read /proc/self/statm");
	buf[n] = 0;
	if (sscanf(buf, "%lu %lu", &size, &resident) != 2)
		die("parse /proc/self/statm");
	return (double)resident * sysconf(_SC_PAGESIZE);
}

static long maxrss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* === Workers === */

enum workload { FIXED, MIXED, FRAG };
enum pattern { REUSE, NPATTERN, BULK };

static const char *const pattern_names[] = {
	[REUSE] = "reuse", [NPATTERN] = "npattern", [BULK] = "bulk",
};

/* Objects a round of @pattern holds at once (1: alloc then free). */
static unsigned long pattern_n(enum pattern pattern)
{
	return pattern == NPATTERN ? NPATTERN_N : pattern == BULK ? BULK_N : 1;
}

struct slot {
	unsigned char *ptr;
	size_t size;
};

struct params {
	enum workload workload;
	size_t size, align;
	enum pattern pattern;
	unsigned int threads;
	unsigned long ops;		/* per thread; frag: steps */
	unsigned long slots;		/* frag */
	void *src;			/* fixed: the object source */
	struct slot *frag_slots;	/* frag: mapped before the RSS baseline */
};

struct worker {
	pthread_t tid;
	unsigned int idx;
	const struct params *p;
	uint64_t seed;
	double ns, cpu, floor_ns, floor_cpu;
};

static pthread_barrier_t barrier;
static bool counting;

/* Start collecting instructions (count mode only). */
static void count_start(void)
{
	if (!counting)
		return;
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_TOGGLE_COLLECT;
}

/* Stop collecting and dump what was collected under the name @what. */
static void count_stop(const char *what)
{
	if (!counting)
		return;
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_DUMP_STATS_AT(what);
}

static void worker_setup(struct worker *w)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(w->idx % (ncpu > 0 ? ncpu : 1), &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	backend_thread_init(w->idx);
	w->seed = 0x9e3779b97f4a7c15ULL * (w->idx + 1);
}

static NOINLINE void fixed_loop(void *src, enum pattern pattern,
				unsigned long ops)
{
	void *objs[NPATTERN_N];
	unsigned long i, r;
	void *obj;
	int j;

	if (pattern == BULK) {
		for (r = 0; r < ops / BULK_N; r++) {
			if (!backend_fixed_alloc_bulk(src, BULK_N, objs))
				die("bulk allocation failed");
			for (j = 0; j < BULK_N; j++)
				*(volatile unsigned long *)objs[j] = j;
			backend_fixed_free_bulk(src, BULK_N, objs);
		}
		return;
	}
	if (pattern == REUSE) {
		for (i = 0; i < ops; i++) {
			obj = backend_fixed_alloc(src);
			*(volatile unsigned long *)obj = i;
			backend_fixed_free(src, obj);
		}
		return;
	}
	for (r = 0; r < ops / NPATTERN_N; r++) {
		for (j = 0; j < NPATTERN_N; j++) {
			objs[j] = backend_fixed_alloc(src);
			*(volatile unsigned long *)objs[j] = j;
		}
		for (j = 0; j < NPATTERN_N; j++)
			backend_fixed_free(src, objs[j]);
	}
}

/* fixed_loop() with the allocator taken out. */
static NOINLINE void fixed_floor(enum pattern pattern, unsigned long ops)
{
	static __thread unsigned long slot[NPATTERN_N][8];
	unsigned long i, r, n = pattern_n(pattern);
	void *objs[NPATTERN_N];
	void *obj;
	unsigned long j;

	if (pattern == REUSE) {
		for (i = 0; i < ops; i++) {
			obj = slot[0];
			OPAQUE(obj);
			*(volatile unsigned long *)obj = i;
			OPAQUE(obj);
		}
		return;
	}
	for (r = 0; r < ops / n; r++) {
		for (j = 0; j < n; j++) {
			obj = slot[j];
			OPAQUE(obj);
			objs[j] = obj;
			*(volatile unsigned long *)objs[j] = j;
		}
		for (j = 0; j < n; j++) {
			obj = objs[j];
			OPAQUE(obj);
		}
		BARRIER();
	}
}

static NOINLINE void mixed_loop(uint64_t *seed, unsigned long ops)
{
	unsigned long i;
	size_t size;
	void *p;

	for (i = 0; i < ops; i++) {
		size = 16 + rnd_next(seed) % 1024;
		p = backend_alloc(size);
		memset(p, (int)i, size);
		backend_free(p, size);
	}
}

static NOINLINE void mixed_floor(uint64_t *seed, unsigned long ops)
{
	static __thread unsigned char buf[1040] __attribute__((aligned(64)));
	unsigned long i;
	size_t size;
	void *p;

	for (i = 0; i < ops; i++) {
		size = 16 + rnd_next(seed) % 1024;
		p = buf;
		OPAQUE(p);
		memset(p, (int)i, size);
		BARRIER();
	}
}

static void *timed_worker(void *arg)
{
	struct worker *w = arg;
	const struct params *p = w->p;
	double t0, c0;

	worker_setup(w);
	if (p->workload == FIXED)
		fixed_loop(p->src, p->pattern, p->ops / 10);
	else
		mixed_loop(&w->seed, p->ops / 10);

	pthread_barrier_wait(&barrier);
	c0 = cpu_ns();
	t0 = now_ns();
	count_start();
	if (p->workload == FIXED)
		fixed_loop(p->src, p->pattern, p->ops);
	else
		mixed_loop(&w->seed, p->ops);
	count_stop("loop");
	w->ns = now_ns() - t0;
	w->cpu = cpu_ns() - c0;

	pthread_barrier_wait(&barrier);
	c0 = cpu_ns();
	t0 = now_ns();
	count_start();
	if (p->workload == FIXED)
		fixed_floor(p->pattern, p->ops);
	else
		mixed_floor(&w->seed, p->ops);
	count_stop("floor");
	w->floor_ns = now_ns() - t0;
	w->floor_cpu = cpu_ns() - c0;
	return NULL;
}

/* === Fragmentation === */

struct frag_result {
	double peak_live;
	double peak_held;	/* allocator's own peak, or sampled */
	double sum_live, sum_rss, sum_held;
	bool held_ok;
	const char *held_what;
	double ns_step;
};

static struct frag_result frag;
static double rss_baseline;

static void touch(unsigned char *p, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += 4096)
		p[off] = (unsigned char)off;
	p[size - 1] = 1;
}

static void frag_sample(double live, bool count)
{
	struct bench_held held = { 0 };
	double rss = rss_now() - rss_baseline;

	if (backend_held(&held)) {
		frag.held_ok = true;
		frag.held_what = held.what;
		if (held.peak >= 0)
			frag.peak_held = held.peak;
		else if (held.bytes > frag.peak_held)
			frag.peak_held = held.bytes;
	}
	if (count) {
		frag.sum_live += live;
		frag.sum_rss += rss;
		frag.sum_held += held.bytes;
	}
}

static void *frag_worker(void *arg)
{
	struct worker *w = arg;
	const struct params *p = w->p;
	unsigned long step, i;
	struct slot *slots;
	double live = 0, t0;
	size_t size;

	worker_setup(w);
	slots = p->frag_slots;
	t0 = now_ns();
	for (step = 0; step < p->ops; step++) {
		i = rnd_next(&w->seed) % p->slots;
		if (slots[i].ptr) {
			backend_free(slots[i].ptr, slots[i].size);
			live -= slots[i].size;
			slots[i].ptr = NULL;
		} else {
			size = (size_t)1 << (FRAG_MIN_SHIFT +
					     rnd_next(&w->seed) % FRAG_NR_SIZES);
			slots[i].ptr = backend_alloc(size);
			if (!slots[i].ptr) {
				fprintf(stderr, "bench: frag: allocation of %zu failed at step %lu\n",
					size, step);
				exit(1);
			}
			slots[i].size = size;
			touch(slots[i].ptr, size);
			live += size;
			if (live > frag.peak_live)
				frag.peak_live = live;
		}
		/* Time-averaged figures once the live set has settled. */
		if (step % FRAG_SAMPLE == 0)
			frag_sample(live, step >= 2 * p->slots);
	}
	frag_sample(live, false);
	w->ns = now_ns() - t0;
	frag.ns_step = w->ns / p->ops;
	for (i = 0; i < p->slots; i++)
		if (slots[i].ptr)
			backend_free(slots[i].ptr, slots[i].size);
	return NULL;
}

/* === Main === */

static void usage(void)
{
	fprintf(stderr,
		"usage: bench ALLOC[:MODE] fixed SIZE ALIGN reuse|npattern|bulk THREADS OPS\n"
		"       bench ALLOC[:MODE] mixed THREADS OPS\n"
		"       bench ALLOC[:MODE] frag SLOTS STEPS\n");
	exit(2);
}

static void run_workers(struct params *p, struct worker *w)
{
	unsigned int t;

	pthread_barrier_init(&barrier, NULL, p->threads);
	for (t = 0; t < p->threads; t++) {
		w[t].idx = t;
		w[t].p = p;
		if (pthread_create(&w[t].tid, NULL,
				   p->workload == FRAG ? frag_worker : timed_worker,
				   &w[t]))
			die("pthread_create");
	}
	for (t = 0; t < p->threads; t++)
		pthread_join(w[t].tid, NULL);
}

int main(int argc, char **argv)
{
	struct worker w[MAX_THREADS] = { 0 };
	struct params p = { 0 };
	double worst = 0, mean = 0, floor_ns = 0, floor_cpu = 0, cpu = 0;
	char alloc[64], *mode;
	unsigned int t;

	if (argc < 3)
		usage();
	snprintf(alloc, sizeof(alloc), "%s", argv[1]);
	mode = strchr(alloc, ':');
	if (mode)
		*mode++ = 0;
	else
		mode = "sizes";

	if (!strcmp(argv[2], "fixed") && argc == 8) {
		p.workload = FIXED;
		p.size = parse_ul(argv[3], "size");
		p.align = parse_ul(argv[4], "align");
		for (p.pattern = REUSE; p.pattern <= BULK; p.pattern++)
			if (!strcmp(argv[5], pattern_names[p.pattern]))
				break;
		if (p.pattern > BULK)
			usage();
		p.threads = parse_ul(argv[6], "threads");
		p.ops = parse_ul(argv[7], "ops");
		p.ops -= p.ops % pattern_n(p.pattern);
	} else if (!strcmp(argv[2], "mixed") && argc == 5) {
		p.workload = MIXED;
		p.threads = parse_ul(argv[3], "threads");
		p.ops = parse_ul(argv[4], "ops");
	} else if (!strcmp(argv[2], "frag") && argc == 5) {
		p.workload = FRAG;
		p.threads = 1;
		p.slots = parse_ul(argv[3], "slots");
		p.ops = parse_ul(argv[4], "steps");
	} else {
		usage();
	}
	if (!p.threads || p.threads > MAX_THREADS || !p.ops)
		usage();
	counting = getenv("BENCH_COUNT") && !strcmp(getenv("BENCH_COUNT"), "1");
	if (counting && (!HAVE_CALLGRIND || !RUNNING_ON_VALGRIND ||
			 p.workload == FRAG || p.threads != 1)) {
		fprintf(stderr, "bench: BENCH_COUNT=1 needs callgrind.h at build time, valgrind --tool=callgrind and a timed row of one thread\n");
		return 2;
	}

	/* The harness's own memory comes from mmap, before the baseline. */
	if (p.workload == FRAG) {
		p.frag_slots = mmap(NULL, p.slots * sizeof(struct slot),
				    PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
				    -1, 0);
		if (p.frag_slots == MAP_FAILED)
			die("mmap slots");
	}
	rss_baseline = rss_now();
	if (backend_init(alloc, mode, p.threads))
		return 2;
	if (p.workload == FIXED) {
		p.src = backend_fixed_create(p.size, p.align);
		if (!p.src)
			return 2;
	}
	run_workers(&p, w);

	printf("RESULT\talloc=%s\tmode=%s\tworkload=%s", backend_name, mode,
	       argv[2]);
	if (p.workload == FRAG) {
		double peak_rss = maxrss_kib() * 1024.0 - rss_baseline;

		printf("\tslots=%lu\tsteps=%lu\tns_step=%.1f\tpeak_live=%.0f\tpeak_rss=%.0f\trss_ratio=%.3f\tavg_rss_ratio=%.3f",
		       p.slots, p.ops, frag.ns_step, frag.peak_live, peak_rss,
		       peak_rss / frag.peak_live, frag.sum_rss / frag.sum_live);
		if (frag.held_ok)
			printf("\tpeak_held=%.0f\theld_ratio=%.3f\tavg_held_ratio=%.3f\theld_what=%s",
			       frag.peak_held, frag.peak_held / frag.peak_live,
			       frag.sum_held / frag.sum_live, frag.held_what);
	} else {
		for (t = 0; t < p.threads; t++) {
			if (w[t].ns > worst)
				worst = w[t].ns;
			if (w[t].cpu > cpu)
				cpu = w[t].cpu;
			mean += w[t].ns / p.threads;
			floor_ns += w[t].floor_ns / p.threads;
			floor_cpu += w[t].floor_cpu / p.threads;
		}
		if (p.workload == FIXED)
			printf("\tsize=%zu\tpattern=%s", p.size,
			       pattern_names[p.pattern]);
		printf("\tthreads=%u\tops=%lu\tns_op=%.3f\tns_op_mean=%.3f\tcpu_ns_op=%.3f\tfloor_ns=%.3f\tfloor_cpu_ns=%.3f",
		       p.threads, p.ops, worst / p.ops, mean / p.ops,
		       cpu / p.ops, floor_ns / p.ops, floor_cpu / p.ops);
	}
	if (counting)
		printf("\tcount=callgrind");
	printf("\tmaxrss_kib=%ld\tnotes=%s\n", maxrss_kib(), backend_notes());
	return 0;
}
