// SPDX-License-Identifier: GPL-2.0
/*
 * myslab_torture: a time-bounded concurrent stress test of myslab.
 *
 * Loading the module runs the whole test in module_init (insmod returns when
 * it is over, always with 0: the verdict is the last line it prints):
 *
 *   1. create four caches on myslab's main region (torture_cache_specs),
 *      find the size classes' caches, shrink them and drain the per-CPU page
 *      caches, and snapshot the region's counters;
 *   2. start nthreads kthreads (default 2 per online CPU), bound round-robin
 *      to the online CPUs and released together by a completion; each does
 *      random operations (torture_thread.c) until duration_s has passed,
 *      then frees what it holds; progress lines come every stat_interval_s;
 *      While they run, the main thread validates the run's caches (and
 *      with them the region) over and over: no validation may find a
 *      problem, though a busy moment may make one return -EBUSY;
 *   3. stop the threads, free what the hand-off rings still hold, validate
 *      the quiet caches (every count now, so -EBUSY is a failure too)
 *      and destroy the caches, shrink the size classes, drain the per-CPU
 *      page lists, and require the region to be exactly where it started:
 *      free + per-CPU pages and allocated pages as in the snapshot, no
 *      invalid free, myslab_region_check() clean;
 *   4. print "myslab_torture: End of test: SUCCESS", or
 *      "myslab_torture: End of test: FAILURE (<why>)".
 *
 * broken=1 is the positive control: thread 0 flips one byte inside one cache
 * object it holds, after filling it, and the run must end in FAILURE with a
 * pattern mismatch.
 *
 * Fault injection: the torture does not inject faults itself; it runs under
 * whatever myslab's fail_page_alloc (module parameter, or debugfs
 * myslab/fail_page_alloc/) injects into the main region, which fails page
 * allocations and with them slab growth, so every path that handles a
 * failed allocation runs, and step 3 must still be exact. Failed
 * allocations are counted in alloc_failed, injected ones reported from the
 * region's faults_injected counter; expect_faults=1 makes a run without any
 * injected fault a failure (the scenario sets it when it turns injection
 * on). Slab-level failslab (MYSLAB_FAILSLAB caches) is not used yet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "core/internal.h"	/* myslab_slab_owner(): a size class's cache */
#include "torture.h"

/* === Parameters === */

static unsigned int duration_s = 5;
static unsigned int nthreads;
static unsigned int objects = 256;
static unsigned int stat_interval_s;
static bool broken;
static bool expect_faults;

static int duration_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 24 * 3600);
}

static const struct kernel_param_ops duration_ops = {
	.set = duration_set,
	.get = param_get_uint,
};

static int nthreads_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, 1024);
}

static const struct kernel_param_ops nthreads_ops = {
	.set = nthreads_set,
	.get = param_get_uint,
};

static int objects_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 65536);
}

static const struct kernel_param_ops objects_ops = {
	.set = objects_set,
	.get = param_get_uint,
};

module_param_cb(duration_s, &duration_ops, &duration_s, 0444);
MODULE_PARM_DESC(duration_s, "Seconds the threads run (1..86400, default 5)");
module_param_cb(nthreads, &nthreads_ops, &nthreads, 0444);
MODULE_PARM_DESC(nthreads, "Torture threads, bound round-robin to the online CPUs (0, the default: 2 per online CPU)");
module_param_cb(objects, &objects_ops, &objects, 0444);
MODULE_PARM_DESC(objects, "Objects each thread holds at most (1..65536, default 256)");
module_param(stat_interval_s, uint, 0444);
MODULE_PARM_DESC(stat_interval_s, "Seconds between progress lines (0, the default: a tenth of the duration, at least 1)");
module_param(broken, bool, 0444);
MODULE_PARM_DESC(broken, "Positive control: corrupt one object so that the run must end in FAILURE");
module_param(expect_faults, bool, 0444);
MODULE_PARM_DESC(expect_faults, "Fault injection is on (myslab's fail_page_alloc): fail unless at least one fault was injected during the run");

/* === Caches and counters === */

const struct torture_cache_spec torture_cache_specs[TORTURE_NR_CACHES] = {
	{ "torture-40", 40, 0, 0, false },
	[TORTURE_CTOR_CACHE] = { "torture-200c", TORTURE_CTOR_SIZE, 0, 0, true },
	{ "torture-1001", 1001, 64, MYSLAB_HWCACHE_ALIGN, false },
	{ "torture-3000", 3000, 0, 0, false },
};

const char *torture_kind_name(unsigned int kind)
{
	if (kind < TORTURE_NR_CACHES)
		return torture_cache_specs[kind].name;
	return kind == TORTURE_KIND_KMALLOC ? "kmalloc" : "pages";
}

static const char *const counter_names[] = {
	[TORTURE_OPS]			= "ops",
	[TORTURE_ALLOCS]		= "allocs",
	[TORTURE_FREES]			= "frees",
	[TORTURE_CROSS_CPU_FREES]	= "cross_cpu_frees",
	[TORTURE_HANDOFFS]		= "handoffs",
	[TORTURE_BULK_ALLOCS]		= "bulk_allocs",
	[TORTURE_BULK_FREES]		= "bulk_frees",
	[TORTURE_SHRINKS]		= "shrinks",
	[TORTURE_PCP_DRAINS]		= "pcp_drains",
	[TORTURE_ATOMIC_OPS]		= "atomic_ops",
	[TORTURE_ALLOC_FAILED]		= "alloc_failed",
	[TORTURE_MISMATCHES]		= "mismatches",
	[TORTURE_ERRORS]		= "errors",
};

static_assert(ARRAY_SIZE(counter_names) == TORTURE_NR_COUNTERS);

/* === Verdict === */

/**
 * struct torture_verdict - why a run failed
 * @why:	the reasons, separated by "; " (empty: success)
 * @len:	bytes used in @why
 */
struct torture_verdict {
	char why[256];
	size_t len;
};

static __printf(2, 3) void torture_fail(struct torture_verdict *v,
					const char *fmt, ...)
{
	va_list args;

	if (v->len)
		v->len += scnprintf(v->why + v->len, sizeof(v->why) - v->len, "; ");
	va_start(args, fmt);
	v->len += vscnprintf(v->why + v->len, sizeof(v->why) - v->len, fmt, args);
	va_end(args);
}

/* === Setup === */

/* Allocations the setup tries before giving up (fault injection may be on). */
#define TORTURE_SETUP_TRIES	1000

static int torture_create_caches(struct torture *t, struct torture_verdict *v)
{
	const struct torture_cache_spec *spec;
	struct myslab_cache *cache;
	int i;

	for (i = 0; i < TORTURE_NR_CACHES; i++) {
		spec = &torture_cache_specs[i];
		cache = myslab_cache_create(t->region, spec->name, spec->size,
					    spec->align, spec->flags,
					    spec->ctor ? torture_ctor : NULL);
		if (IS_ERR(cache)) {
			torture_fail(v, "cannot create cache %s: %ld",
				     spec->name, PTR_ERR(cache));
			return PTR_ERR(cache);
		}
		t->caches[i] = cache;
	}
	return 0;
}

static void torture_destroy_caches(struct torture *t, struct torture_verdict *v)
{
	unsigned long leaked;
	int i;

	for (i = 0; i < TORTURE_NR_CACHES; i++) {
		if (!t->caches[i])
			continue;
		leaked = myslab_cache_destroy(t->caches[i]);
		if (leaked)
			torture_fail(v, "cache %s destroyed with %lu objects leaked",
				     torture_cache_specs[i].name, leaked);
		t->caches[i] = NULL;
	}
}

/*
 * The size classes' caches are not exported; find each through the slab of
 * one of its objects (the slab's owner is its cache), so that the run can
 * shrink them before its snapshot and after its last free, and the page
 * accounting can be exact.
 */
static int torture_find_class_caches(struct torture *t, struct torture_verdict *v)
{
	unsigned int nr = myslab_sizes_nr_classes(), i, j;
	struct myslab_cache *cache;
	size_t size;
	void *obj;

	t->class_caches = kcalloc(nr, sizeof(*t->class_caches), GFP_KERNEL);
	if (!t->class_caches)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		size = myslab_sizes_class_size(i);
		/* Injected faults may fail a few tries. */
		for (j = 0, obj = NULL; j < TORTURE_SETUP_TRIES && !obj; j++)
			obj = myslab_kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
		if (!obj) {
			torture_fail(v, "myslab_kmalloc(%zu) failed before the run", size);
			return -ENOMEM;
		}
		cache = myslab_slab_owner(t->region, obj);
		myslab_kfree(obj);
		if (!cache) {
			torture_fail(v, "myslab_kmalloc(%zu) did not come from a slab", size);
			return -EINVAL;
		}
		for (j = 0; j < t->nr_class_caches; j++)
			if (t->class_caches[j] == cache)
				break;
		if (j == t->nr_class_caches)
			t->class_caches[t->nr_class_caches++] = cache;
	}
	return 0;
}

/*
 * Errors a cache counted (refused frees, damage found): the sum of its
 * counters named "err_*", whichever the slab layer has.
 */
static unsigned long torture_cache_errors(struct myslab_cache *cache)
{
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS], n = 0;
	int i;

	myslab_cache_counters(cache, c);
	for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
		if (str_has_prefix(myslab_cache_counter_name(i), "err_"))
			n += c[i];
	return n;
}

static unsigned long torture_class_errors(struct torture *t)
{
	unsigned long n = 0;
	unsigned int i;

	for (i = 0; i < t->nr_class_caches; i++)
		n += torture_cache_errors(t->class_caches[i]);
	return n;
}

/* Every free page back on the buddy free lists: the snapshot's condition. */
static void torture_quiesce(struct torture *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_class_caches; i++)
		myslab_cache_shrink(t->class_caches[i]);
	myslab_drain_pcp(t->region);
}

/* === Threads === */

static void torture_thread_init(struct torture *t, struct torture_thread *th,
				unsigned int id, int cpu)
{
	th->t = t;
	th->id = id;
	th->cpu = cpu;
	th->gen_next = id + 1;
	spin_lock_init(&th->atomic_lock);
	prandom_seed_state(&th->rnd, get_random_u64());
}

static int torture_start_threads(struct torture *t, ktime_t *start,
				 struct torture_verdict *v)
{
	unsigned int i, nr_cpus = 0;
	struct torture_thread *th;
	struct task_struct *task;
	int *cpus, cpu, err = 0;

	cpus = kcalloc(nr_cpu_ids, sizeof(*cpus), GFP_KERNEL);
	if (!cpus)
		return -ENOMEM;
	for_each_online_cpu(cpu)
		cpus[nr_cpus++] = cpu;

	for (i = 0; i < t->nr_threads; i++) {
		th = &t->threads[i];
		torture_thread_init(t, th, i, cpus[i % nr_cpus]);
		th->slots = kcalloc(t->nr_slots, sizeof(*th->slots), GFP_KERNEL);
		if (!th->slots) {
			err = -ENOMEM;
			break;
		}
		task = kthread_create(torture_thread_fn, th, "myslab_torture/%u", i);
		if (IS_ERR(task)) {
			err = PTR_ERR(task);
			break;
		}
		kthread_bind(task, th->cpu);
		th->task = task;
	}
	kfree(cpus);
	if (err) {
		/* Never woken: kthread_stop() ends them before they run. */
		torture_fail(v, "cannot start thread %u: %d", i, err);
		for (i = 0; i < t->nr_threads; i++)
			if (t->threads[i].task)
				kthread_stop(t->threads[i].task);
		return err;
	}

	atomic_set(&t->running, t->nr_threads);
	for (i = 0; i < t->nr_threads; i++)
		wake_up_process(t->threads[i].task);
	*start = ktime_get();
	t->deadline = ktime_add_ns(*start, (u64)duration_s * NSEC_PER_SEC);
	complete_all(&t->start);
	return 0;
}

static void torture_sum(struct torture *t, struct torture_thread *reaper,
			unsigned long *sum)
{
	unsigned int i, c;

	for (c = 0; c < TORTURE_NR_COUNTERS; c++)
		sum[c] = reaper ? reaper->counters[c] : 0;
	for (i = 0; i < t->nr_threads; i++)
		for (c = 0; c < TORTURE_NR_COUNTERS; c++)
			sum[c] += READ_ONCE(t->threads[i].counters[c]);
}

static void torture_progress(struct torture *t, u64 elapsed_ns)
{
	unsigned long sum[TORTURE_NR_COUNTERS];

	torture_sum(t, NULL, sum);
	pr_info("t=%llus ops=%lu allocs=%lu frees=%lu errors=%lu\n",
		div_u64(elapsed_ns, NSEC_PER_SEC), sum[TORTURE_OPS],
		sum[TORTURE_ALLOCS], sum[TORTURE_FREES], sum[TORTURE_ERRORS]);
}

/*
 * Validate the run's caches while the threads use them. -EBUSY (a count
 * left for a quiet instant that did not come) is allowed and counted; any
 * other error is a validation that could not run, a failure.
 */
static void torture_validate_live(struct torture *t)
{
	unsigned int i;
	long ret;

	for (i = 0; i < TORTURE_NR_CACHES; i++) {
		ret = myslab_cache_validate(t->caches[i]);
		t->live_rounds++;
		if (ret == -EBUSY)
			t->live_busy++;
		else if (ret < 0)
			t->live_failed++;
		else
			t->live_problems += ret;
	}
}

/*
 * Wait for every thread to finish, printing progress and validating, then
 * stop them. Returns the nanoseconds since the start.
 */
static u64 torture_wait_threads(struct torture *t, ktime_t start)
{
	u64 interval = (u64)(stat_interval_s ? : max(1u, duration_s / 10)) * NSEC_PER_SEC;
	ktime_t next = ktime_add_ns(start, interval);
	unsigned long timeout;
	unsigned int i;
	s64 left;

	for (;;) {
		left = ktime_to_ns(ktime_sub(next, ktime_get()));
		timeout = nsecs_to_jiffies(max_t(s64, left, 0));
		/* Short sleeps: insmod must never look hung to the kernel. */
		timeout = clamp(timeout, 1UL, (unsigned long)HZ / 10);
		if (wait_for_completion_timeout(&t->all_done, timeout))
			break;
		torture_validate_live(t);
		if (!ktime_before(ktime_get(), next)) {
			torture_progress(t, ktime_to_ns(ktime_sub(ktime_get(), start)));
			next = ktime_add_ns(next, interval);
		}
	}
	for (i = 0; i < t->nr_threads; i++)
		kthread_stop(t->threads[i].task);
	return ktime_to_ns(ktime_sub(ktime_get(), start));
}

/* === Final accounting === */

static void torture_print_totals(const unsigned long *sum)
{
	char line[320];
	size_t len = 0;
	int c;

	for (c = 0; c < TORTURE_NR_COUNTERS; c++)
		len += scnprintf(line + len, sizeof(line) - len, " %s=%lu",
				 counter_names[c], sum[c]);
	pr_info("totals:%s\n", line);
}

static void torture_check_objects(struct torture *t, const unsigned long *sum,
				  struct torture_verdict *v)
{
	unsigned long ops, lo = ULONG_MAX, hi = 0;
	unsigned int i, idle = 0;

	for (i = 0; i < t->nr_threads; i++) {
		ops = t->threads[i].counters[TORTURE_OPS];
		lo = min(lo, ops);
		hi = max(hi, ops);
		idle += !ops;
	}
	pr_info("threads: %u, ops per thread %lu to %lu\n", t->nr_threads, lo, hi);
	if (idle)
		torture_fail(v, "%u threads did no operation", idle);
	if (sum[TORTURE_MISMATCHES])
		torture_fail(v, "pattern mismatches: %lu", sum[TORTURE_MISMATCHES]);
	if (sum[TORTURE_ERRORS] > sum[TORTURE_MISMATCHES])
		torture_fail(v,
			     "%lu object errors (refused free, alignment, size, constructed state or zeroing)",
			     sum[TORTURE_ERRORS] - sum[TORTURE_MISMATCHES]);
	if (t->broken && !atomic_read(&t->broken_planted))
		torture_fail(v, "broken mode never planted its corruption");
}

/* Validate, then destroy the run's caches, and validate the size classes. */
static void torture_check_caches(struct torture *t, unsigned long class_errors,
				 struct torture_verdict *v)
{
	unsigned long errors = 0, n;
	long problems = 0, ret;
	unsigned int i, incomplete = 0;

	pr_info("live validation: %lu runs while the threads ran, %lu of them -EBUSY, %lu failed, %ld problems\n",
		t->live_rounds, t->live_busy, t->live_failed, t->live_problems);
	if (t->live_problems)
		torture_fail(v, "validation while the threads ran found %ld problems",
			     t->live_problems);
	if (t->live_failed)
		torture_fail(v, "%lu validations failed to run while the threads ran",
			     t->live_failed);
	if (!t->live_rounds)
		torture_fail(v, "no validation ran while the threads ran");
	for (i = 0; i < TORTURE_NR_CACHES; i++) {
		ret = myslab_cache_validate(t->caches[i]);
		incomplete += ret < 0;
		problems += max(ret, 0L);
		errors += torture_cache_errors(t->caches[i]);
	}
	for (i = 0; i < t->nr_class_caches; i++) {
		ret = myslab_cache_validate(t->class_caches[i]);
		incomplete += ret < 0;
		problems += max(ret, 0L);
	}
	/* Quiet now: every count must be made (-EBUSY or -ENOMEM fail). */
	if (incomplete)
		torture_fail(v, "%u cache validations incomplete after the threads stopped",
			     incomplete);
	n = torture_class_errors(t) - class_errors;
	errors += n;
	if (problems)
		torture_fail(v, "cache validation found %ld problems", problems);
	if (errors)
		torture_fail(v, "caches counted %lu errors", errors);
	torture_destroy_caches(t, v);
	pr_info("caches: %ld validation problems, %lu errors counted\n",
		problems, errors);
}

static void torture_check_region(struct torture *t,
				 const struct myslab_buddy_stats *before,
				 struct myslab_buddy_stats *after,
				 struct torture_verdict *v)
{
	unsigned long free_before = before->free_pages + before->pcp_pages;
	unsigned long free_after, faults;
	int problems;

	torture_quiesce(t);
	myslab_buddy_stats(t->region, after);
	free_after = after->free_pages + after->pcp_pages;
	problems = myslab_region_check(t->region);
	pr_info("region: free+pcp pages %lu -> %lu, allocated pages %lu -> %lu, invalid frees %lu -> %lu, check %d problems\n",
		free_before, free_after, before->alloc_pages, after->alloc_pages,
		before->invalid_frees, after->invalid_frees, problems);
	if (free_after != free_before || after->alloc_pages != before->alloc_pages)
		torture_fail(v, "%ld pages not back on the buddy free lists",
			     (long)(free_before - free_after));
	faults = after->faults_injected - before->faults_injected;
	pr_info("fault injection: %lu page allocations of the region failed on purpose during the run\n",
		faults);
	if (expect_faults && !faults)
		torture_fail(v, "expect_faults=1 but no fault was injected");
	if (after->invalid_frees != before->invalid_frees)
		torture_fail(v, "%lu invalid page frees",
			     after->invalid_frees - before->invalid_frees);
	if (problems)
		torture_fail(v, "region check found %d problems", problems);
}

/* === The run === */

static void torture_run(struct torture *t, struct torture_verdict *v)
{
	struct myslab_buddy_stats *before, *after;
	unsigned long sum[TORTURE_NR_COUNTERS];
	struct torture_thread reaper = {};
	unsigned long class_errors;
	ktime_t start;
	u64 elapsed;
	unsigned int i;

	before = kzalloc(sizeof(*before), GFP_KERNEL);
	after = kzalloc(sizeof(*after), GFP_KERNEL);
	if (!before || !after) {
		torture_fail(v, "out of memory");
		goto out_free;
	}
	if (torture_create_caches(t, v) || torture_find_class_caches(t, v))
		goto out_destroy;
	for (i = 0; i < TORTURE_NR_KINDS; i++)
		torture_ring_init(&t->rings[i]);

	torture_quiesce(t);
	if (myslab_region_check(t->region))
		torture_fail(v, "region inconsistent before the run");
	myslab_buddy_stats(t->region, before);
	class_errors = torture_class_errors(t);

	pr_info("starting: %u threads on %u CPUs for %u s, %u objects each, %u caches + %u size classes + orders 0-%u%s%s\n",
		t->nr_threads, num_online_cpus(), duration_s, t->nr_slots,
		TORTURE_NR_CACHES, t->nr_class_caches, TORTURE_MAX_ORDER,
		t->broken ? ", broken mode (positive control)" : "",
		expect_faults ? ", under fault injection" : "");
	if (torture_start_threads(t, &start, v))
		goto out_destroy;
	elapsed = torture_wait_threads(t, start);

	/* The threads are gone: free what the rings hold, as their reaper. */
	torture_thread_init(t, &reaper, t->nr_threads, -1);
	for (i = 0; i < TORTURE_NR_KINDS; i++)
		torture_drain_ring(&reaper, &t->rings[i]);
	torture_sum(t, &reaper, sum);
	torture_progress(t, elapsed);
	torture_print_totals(sum);
	torture_check_objects(t, sum, v);
	torture_check_caches(t, class_errors, v);
	torture_check_region(t, before, after, v);

out_destroy:
	torture_destroy_caches(t, v);
out_free:
	kfree(after);
	kfree(before);
}

static int __init torture_init(void)
{
	struct torture_verdict *v;
	struct torture *t;
	unsigned int i;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!v || !t) {
		pr_err("End of test: FAILURE (out of memory)\n");
		goto out;
	}
	t->region = myslab_main_region();
	if (!t->region) {
		torture_fail(v, "myslab has no main region");
		goto out_verdict;
	}
	t->region_base = (unsigned long)myslab_region_mem(t->region)->base;
	t->broken = broken;
	t->nr_slots = objects;
	t->nr_threads = nthreads ? : 2 * num_online_cpus();
	init_completion(&t->start);
	init_completion(&t->all_done);
	atomic_set(&t->broken_planted, 0);
	t->threads = kcalloc(t->nr_threads, sizeof(*t->threads), GFP_KERNEL);
	if (!t->threads)
		torture_fail(v, "out of memory");
	else
		torture_run(t, v);

out_verdict:
	if (v->len)
		pr_err("End of test: FAILURE (%s)\n", v->why);
	else
		pr_info("End of test: SUCCESS\n");
out:
	if (t && t->threads)
		for (i = 0; i < t->nr_threads; i++)
			kfree(t->threads[i].slots);
	if (t) {
		kfree(t->threads);
		kfree(t->class_caches);
	}
	kfree(t);
	kfree(v);
	return 0;
}

static void __exit torture_exit(void)
{
}

module_init(torture_init);
module_exit(torture_exit);

MODULE_DESCRIPTION("myslab torture test: concurrent random allocations with content checks");
MODULE_AUTHOR("The myslab developers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(MYSLAB_NS);
