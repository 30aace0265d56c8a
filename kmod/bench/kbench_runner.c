// SPDX-License-Identifier: GPL-2.0
/*
 * myslab_bench: running a row. Every run creates its kthreads unwoken and
 * pinned (kthread_create_on_cpu()), lets each report ready, releases them
 * all with one completion, and waits for the last to finish; the threads
 * then sleep until kthread_stop(). A row is calibrated, gets its empty-loop
 * baseline, then `runs` interleaved pairs of runs, and prints one line:
 *
 *   myslab_bench: row SECTION NAME CPUS EMPTY MY_MIN MY_MED K_MIN K_MED
 *                 RATIO RATIO_MIN MY_CYC K_CYC LOOPS
 *
 * (on one line) times in ns per operation (one decimal), RATIO the median
 * over the pairs of myslab / kernel, RATIO_MIN = MY_MIN / K_MIN (the figure
 * least disturbed by a busy host: interference only ever adds time), cycles
 * per operation (get_cycles(), medians).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "kbench.h"

#define KB_MAX_LOOPS		BIT_ULL(30)
#define KB_BASELINE_RUNS	3
/* Ratios are kept in ten-thousandths: page rows reach 0.001 and below. */
#define KB_RATIO_ONE		10000

/* Online CPUs at load, and KB_SCRATCH pointers for each. */
static int *kb_cpus;
static unsigned int kb_nr_cpus;
static void ***kb_scratch;

/* === One run: pinned kthreads started together === */

/**
 * struct kb_job - one run of one side of a row
 * @loop:	the timed loop
 * @loops:	its iteration count
 * @unready:	threads not yet waiting for @start
 * @pending:	threads not yet done
 * @all_ready:	completed by the last thread to get ready
 * @start:	completed once, releasing every thread at the same time
 * @all_done:	completed by the last thread to finish
 */
struct kb_job {
	kb_loop_fn loop;
	u64 loops;
	atomic_t unready;
	atomic_t pending;
	struct completion all_ready;
	struct completion start;
	struct completion all_done;
};

struct kb_thread {
	struct kb_job *job;
	struct task_struct *task;
	struct kb_worker w;
};

static int kb_thread_fn(void *arg)
{
	struct kb_thread *th = arg;
	struct kb_job *job = th->job;

	if (atomic_dec_and_test(&job->unready))
		complete(&job->all_ready);
	wait_for_completion(&job->start);
	job->loop(&th->w, job->loops);
	if (atomic_dec_and_test(&job->pending))
		complete(&job->all_done);

	/* Stay until kthread_stop(), so the task cannot vanish under it. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * Run @loop of @row for @side on @nr threads bound to kb_cpus[0..nr-1];
 * @res gets each thread's result. Returns 0 or the errno of a failed
 * kthread creation.
 */
static int kb_run(const struct kb_row *row, enum kb_side side, kb_loop_fn loop,
		  u64 loops, unsigned int nr, struct kb_result *res)
{
	struct kb_thread *threads;
	struct task_struct *task;
	struct kb_job job;
	unsigned int i;
	int err = 0;

	threads = kcalloc(nr, sizeof(*threads), GFP_KERNEL);
	if (!threads)
		return -ENOMEM;
	job.loop = loop;
	job.loops = loops;
	atomic_set(&job.unready, nr);
	atomic_set(&job.pending, nr);
	init_completion(&job.all_ready);
	init_completion(&job.start);
	init_completion(&job.all_done);

	for (i = 0; i < nr; i++) {
		struct kb_thread *th = &threads[i];

		th->job = &job;
		th->w.row = row;
		th->w.side = side;
		th->w.index = i;
		th->w.cpu = kb_cpus[i];
		th->w.scratch = kb_scratch[kb_cpus[i]];
		task = kthread_create_on_cpu(kb_thread_fn, th, kb_cpus[i],
					     "myslab_bench/%u");
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			break;
		}
		th->task = task;
	}
	if (err) {
		/* Never woken: kthread_stop() ends them before they run. */
		for (i = 0; i < nr; i++)
			if (threads[i].task)
				kthread_stop(threads[i].task);
		kfree(threads);
		return err;
	}

	for (i = 0; i < nr; i++)
		wake_up_process(threads[i].task);
	wait_for_completion(&job.all_ready);
	complete_all(&job.start);
	/* A long run must not make insmod look hung to the kernel. */
	while (!wait_for_completion_timeout(&job.all_done, 10 * HZ))
		;
	for (i = 0; i < nr; i++) {
		kthread_stop(threads[i].task);
		res[i] = threads[i].w.res;
	}
	kfree(threads);
	return 0;
}

/* === Statistics === */

/*
 * Picoseconds (or hundredths of a cycle) per operation of a run: the mean
 * over the threads of each one's time per operation; for a cross-CPU row,
 * whose two threads each do one half of every operation, the sum of the two.
 */
static u64 kb_per_op(const struct kb_row *row, const struct kb_result *res,
		     unsigned int nr, bool cycles)
{
	u64 sum = 0, v;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		v = cycles ? res[i].cycles * 100 : res[i].ns * 1000;
		sum += div64_u64(v, max(res[i].ops, 1ULL));
	}
	return row->cross && nr > 1 ? sum : div_u64(sum, nr);
}

static u64 kb_elapsed(const struct kb_result *res, unsigned int nr)
{
	u64 ns = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		ns = max(ns, res[i].ns);
	return ns;
}

static int kb_failed(const struct kb_result *res, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (res[i].err)
			return res[i].err;
	return 0;
}

static int kb_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 kb_median(const u64 *v, unsigned int n)
{
	u64 s[KB_MAX_RUNS];

	memcpy(s, v, n * sizeof(*s));
	sort(s, n, sizeof(*s), kb_cmp_u64, NULL);
	return (s[(n - 1) / 2] + s[n / 2]) / 2;
}

static u64 kb_min(const u64 *v, unsigned int n)
{
	u64 m = U64_MAX;
	unsigned int i;

	for (i = 0; i < n; i++)
		m = min(m, v[i]);
	return m;
}

/* === A row === */

/**
 * struct kb_stats - a row's measurements
 * @ps:		picoseconds per operation, per side and run
 * @cc:		hundredths of a cycle per operation, per side and run
 * @ratio:	myslab / kernel of each pair of runs, in 1/KB_RATIO_ONE
 */
struct kb_stats {
	u64 ps[KB_NR_SIDES][KB_MAX_RUNS];
	u64 cc[KB_NR_SIDES][KB_MAX_RUNS];
	u64 ratio[KB_MAX_RUNS];
};

static const char *const kb_side_names[] = {
	[KB_MYSLAB]	= "myslab",
	[KB_KERNEL]	= "kernel",
	[KB_EMPTY]	= "empty loop",
};

static_assert(ARRAY_SIZE(kb_side_names) == KB_EMPTY + 1);

static void kb_row_failed(const struct kb_row *row, enum kb_side side, int err)
{
	pr_err("row %-7s %-16s FAILED: %s side: %s (%d)\n", row->section,
	       row->name, kb_side_names[side],
	       err == -ENOMEM ? "allocation failed" : "no kthread", err);
}

/*
 * One run of @row's loop on @side; a failure (of the run or of one of its
 * threads) is reported for the row and returned.
 */
static int kb_run_side(const struct kb_row *row, enum kb_side side, u64 loops,
		       unsigned int nr, struct kb_result *res)
{
	int err = kb_run(row, side, row->loop, loops, nr, res);

	if (!err)
		err = kb_failed(res, nr);
	if (err)
		kb_row_failed(row, side, err);
	return err;
}

/*
 * Find the loop count that makes the slower side's run last about run_ms;
 * these first runs also warm both allocators up.
 */
static int kb_calibrate(const struct kb_row *row, unsigned int nr,
			struct kb_result *res, unsigned int run_ms, u64 *loops)
{
	u64 target = (u64)run_ms * NSEC_PER_MSEC, n, ns;
	enum kb_side side;
	int err;

	n = max(1U, 64 / row->ops_per_loop);
	for (;;) {
		ns = 0;
		for (side = 0; side < KB_NR_SIDES; side++) {
			err = kb_run_side(row, side, n, nr, res);
			if (err)
				return err;
			ns = max(ns, kb_elapsed(res, nr));
		}
		if (ns >= target / 8 || n >= KB_MAX_LOOPS)
			break;
		n = min(n * 8, KB_MAX_LOOPS);
	}
	n = div64_u64(n * target, max(ns, 1ULL));
	*loops = clamp_t(u64, n, 1, KB_MAX_LOOPS);
	if (row->cross)
		*loops = roundup(*loops, KB_XROUND);
	return 0;
}

static void kb_print_row(const struct kb_row *row, unsigned int nr, u64 loops,
			 u64 empty_ps, const struct kb_stats *st,
			 unsigned int runs)
{
	u64 v[5], ratio = kb_median(st->ratio, runs), ratio_min;
	int i;

	v[0] = empty_ps;
	v[1] = kb_min(st->ps[KB_MYSLAB], runs);
	v[2] = kb_median(st->ps[KB_MYSLAB], runs);
	v[3] = kb_min(st->ps[KB_KERNEL], runs);
	v[4] = kb_median(st->ps[KB_KERNEL], runs);
	ratio_min = div64_u64(v[1] * KB_RATIO_ONE, max(v[3], 1ULL));
	/* Round to tenths of a nanosecond. */
	for (i = 0; i < ARRAY_SIZE(v); i++)
		v[i] = div_u64(v[i] + 50, 100);
	pr_info("row %-7s %-16s %4u %5llu.%llu %7llu.%llu %7llu.%llu %7llu.%llu %7llu.%llu %3llu.%04llu %3llu.%04llu %8llu %8llu %10llu\n",
		row->section, row->name, nr,
		v[0] / 10, v[0] % 10, v[1] / 10, v[1] % 10, v[2] / 10, v[2] % 10,
		v[3] / 10, v[3] % 10, v[4] / 10, v[4] % 10,
		ratio / KB_RATIO_ONE, ratio % KB_RATIO_ONE,
		ratio_min / KB_RATIO_ONE, ratio_min % KB_RATIO_ONE,
		div_u64(kb_median(st->cc[KB_MYSLAB], runs) + 50, 100),
		div_u64(kb_median(st->cc[KB_KERNEL], runs) + 50, 100), loops);
}

void kb_print_header(void)
{
	pr_info("columns: section name cpus empty_ns myslab_min_ns myslab_med_ns kernel_min_ns kernel_med_ns ratio ratio_of_mins myslab_cycles kernel_cycles loops\n");
}

/**
 * kb_measure_row() - measure one row and print its line
 * @row:	the row
 * @runs:	runs per side, 1..KB_MAX_RUNS
 * @run_ms:	wanted length of one run
 *
 * Return: 0, or a negative errno when the row could not be measured (its
 * line then says FAILED).
 */
int kb_measure_row(const struct kb_row *row, unsigned int runs,
		   unsigned int run_ms)
{
	unsigned int nr = row->threads ? row->threads : kb_nr_cpus, r, i;
	u64 loops, empty_ps = U64_MAX;
	struct kb_result *res;
	struct kb_stats *st;
	enum kb_side side;
	int err = -ENOMEM;

	if (nr > kb_nr_cpus) {
		pr_info("row %-7s %-16s skipped: needs %u CPUs, %u online\n",
			row->section, row->name, nr, kb_nr_cpus);
		return 0;
	}
	res = kcalloc(nr, sizeof(*res), GFP_KERNEL);
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!res || !st)
		goto out;
	err = kb_calibrate(row, nr, res, run_ms, &loops);
	if (err)
		goto out;

	for (i = 0; i < KB_BASELINE_RUNS; i++) {
		err = kb_run(row, KB_EMPTY, kb_loop_empty, loops, 1, res);
		if (err) {
			kb_row_failed(row, KB_EMPTY, err);
			goto out;
		}
		empty_ps = min(empty_ps, kb_per_op(row, res, 1, false));
	}

	/* Pairs in alternating order: myslab kernel, kernel myslab, ... */
	for (r = 0; r < runs; r++) {
		for (i = 0; i < KB_NR_SIDES; i++) {
			side = (r & 1) ? KB_NR_SIDES - 1 - i : i;
			err = kb_run_side(row, side, loops, nr, res);
			if (err)
				goto out;
			st->ps[side][r] = kb_per_op(row, res, nr, false);
			st->cc[side][r] = kb_per_op(row, res, nr, true);
		}
		st->ratio[r] = div64_u64(st->ps[KB_MYSLAB][r] * KB_RATIO_ONE,
					 max(st->ps[KB_KERNEL][r], 1ULL));
	}
	kb_print_row(row, nr, loops, empty_ps, st, runs);
out:
	kfree(st);
	kfree(res);
	return err;
}

/**
 * kb_warm_up() - run a row unmeasured, both sides in turn, for a while
 * @row:	the row (the first one to be measured)
 * @ms:		for how long, in ms of guest time
 * @run_ms:	wanted length of one run, as for kb_measure_row()
 *
 * Brings what the first measured row would otherwise pay for in its first
 * runs (code and data not yet cached, the guest's own start-up work still
 * running) before the clock that counts. A failure is reported and ends the
 * warm-up; the row itself is then measured (and fails) as usual.
 */
void kb_warm_up(const struct kb_row *row, unsigned int ms, unsigned int run_ms)
{
	unsigned int nr = row->threads ? row->threads : kb_nr_cpus, runs = 0;
	u64 loops, start, end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;
	struct kb_result *res;
	enum kb_side side;

	if (nr > kb_nr_cpus)
		return;
	res = kcalloc(nr, sizeof(*res), GFP_KERNEL);
	if (!res)
		return;
	start = ktime_get_ns();
	if (kb_calibrate(row, nr, res, run_ms, &loops))
		goto out;
	do {
		for (side = 0; side < KB_NR_SIDES; side++)
			if (kb_run_side(row, side, loops, nr, res))
				goto out;
		runs++;
		cond_resched();
	} while (ktime_get_ns() < end);
	pr_info("warm-up: row %s %s, %u runs per side, %llu ms\n", row->section,
		row->name, runs, div_u64(ktime_get_ns() - start, NSEC_PER_MSEC));
out:
	kfree(res);
}

/* === Setup === */

unsigned int kb_online_cpus(void)
{
	return kb_nr_cpus;
}

int kb_runner_init(void)
{
	int cpu;

	kb_cpus = kcalloc(nr_cpu_ids, sizeof(*kb_cpus), GFP_KERNEL);
	kb_scratch = kcalloc(nr_cpu_ids, sizeof(*kb_scratch), GFP_KERNEL);
	if (!kb_cpus || !kb_scratch)
		goto fail;
	for_each_online_cpu(cpu) {
		kb_scratch[cpu] = kcalloc(KB_SCRATCH, sizeof(void *), GFP_KERNEL);
		if (!kb_scratch[cpu])
			goto fail;
		kb_cpus[kb_nr_cpus++] = cpu;
	}
	return 0;
fail:
	kb_runner_exit();
	return -ENOMEM;
}

void kb_runner_exit(void)
{
	unsigned int i;

	if (kb_scratch)
		for (i = 0; i < nr_cpu_ids; i++)
			kfree(kb_scratch[i]);
	kfree(kb_scratch);
	kfree(kb_cpus);
	kb_scratch = NULL;
	kb_cpus = NULL;
	kb_nr_cpus = 0;
}
