/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab_bench: myslab against the kernel's own allocators, in the same boot.
 *
 * Method (after time_bench in netoptimizer/prototype-kernel):
 *   - one operation is an allocation and its free (bulk and N-pattern rows
 *     count one per object);
 *   - every measurement runs in kthreads pinned to CPUs, created unwoken,
 *     then released together by one completion; each thread times its own
 *     loop with ktime_get_ns() and get_cycles();
 *   - the loop count of a row is calibrated so that one run of the slower
 *     side takes about run_ms; the same count is used for both sides;
 *   - the two sides are interleaved (myslab, kernel, kernel, myslab, ...) for
 *     `runs` pairs; each side reports min and median ns/op, and the ratio is
 *     the median of the per-pair ratios myslab / kernel;
 *   - an empty loop of the same length is timed beside every row;
 *   - before the first row is measured, it runs unmeasured for warmup_ms;
 *   - allocations use GFP_ATOMIC on both sides.
 *
 * Files: kbench_main.c (parameters, the rows, module init/exit),
 * kbench_runner.c (kthreads, calibration, statistics, output),
 * kbench_loops.c (the timed loops).
 */
#ifndef _MYSLAB_KBENCH_H
#define _MYSLAB_KBENCH_H

#include <linux/types.h>

struct kmem_cache;
struct myslab_cache;
struct task_struct;

/* Most runs per side a row may ask for. */
#define KB_MAX_RUNS	15
/* Pointers of per-CPU scratch space: N-pattern and bulk rows. */
#define KB_SCRATCH	256
/* Cross-CPU rows: objects allocated on one CPU, then freed on the other. */
#define KB_XROUND	256

enum kb_side {
	KB_MYSLAB,
	KB_KERNEL,
	KB_NR_SIDES,
	KB_EMPTY = KB_NR_SIDES,	/* the empty-loop baseline */
};

/**
 * struct kb_result - what one thread measured in one run
 * @ns:		wall time of its loop
 * @cycles:	get_cycles() ticks of its loop
 * @ops:	operations it did
 * @err:	0, or -ENOMEM when an allocation failed (the run is void)
 */
struct kb_result {
	u64 ns;
	u64 cycles;
	u64 ops;
	int err;
};

struct kb_row;

/**
 * struct kb_worker - one pinned kthread of a run
 * @row:	the row being measured
 * @side:	which allocator (or the empty loop)
 * @index:	0..threads-1 within the run (cross-CPU rows: 0 allocates,
 *		1 frees)
 * @cpu:	the CPU it is bound to
 * @scratch:	KB_SCRATCH pointers of that CPU
 * @t0:		start of its timed loop (ns)
 * @c0:		start of its timed loop (cycles)
 * @res:	its result
 */
struct kb_worker {
	const struct kb_row *row;
	enum kb_side side;
	unsigned int index;
	int cpu;
	void **scratch;
	u64 t0;
	u64 c0;
	struct kb_result res;
};

typedef void (*kb_loop_fn)(struct kb_worker *w, u64 loops);

/**
 * struct kb_cross - objects handed from one CPU to another, a round at a time
 * @turn:	whose turn it is: 0, the allocating thread, or 1, the freeing
 *		one (acquire/release); 0 between runs
 * @objs:	the round's objects
 */
struct kb_cross {
	int turn;
	void *objs[KB_XROUND];
};

/**
 * struct kb_row - one line of the table
 * @section:	"slab", "pages" or "kmalloc"
 * @name:	what the row measures (no spaces)
 * @loop:	the timed loop
 * @mcache:	myslab cache (slab rows)
 * @kcache:	kernel cache of the same size and flags (slab rows)
 * @param:	object size, page order, N or bulk count, as @loop reads it
 * @ops_per_loop: operations one loop iteration does
 * @threads:	kthreads per run: 1, 2 (cross-CPU) or 0 for every online CPU
 * @cross:	hand-over state of a cross-CPU row, else NULL
 */
struct kb_row {
	const char *section;
	char name[24];
	kb_loop_fn loop;
	struct myslab_cache *mcache;
	struct kmem_cache *kcache;
	unsigned int param;
	unsigned int ops_per_loop;
	unsigned int threads;
	struct kb_cross *cross;
};

/* kbench_loops.c */
void kb_loop_empty(struct kb_worker *w, u64 loops);
void kb_loop_slab_reuse(struct kb_worker *w, u64 loops);
void kb_loop_slab_npattern(struct kb_worker *w, u64 loops);
void kb_loop_slab_bulk(struct kb_worker *w, u64 loops);
void kb_loop_slab_cross(struct kb_worker *w, u64 loops);
void kb_loop_pages(struct kb_worker *w, u64 loops);
void kb_loop_kmalloc(struct kb_worker *w, u64 loops);

/* kbench_runner.c */
int kb_runner_init(void);
unsigned int kb_online_cpus(void);
void kb_runner_exit(void);
void kb_print_header(void);
int kb_measure_row(const struct kb_row *row, unsigned int runs,
		   unsigned int run_ms);
void kb_warm_up(const struct kb_row *row, unsigned int ms, unsigned int run_ms);

#endif /* _MYSLAB_KBENCH_H */
