// SPDX-License-Identifier: GPL-2.0
/*
 * myslab_bench: the benchmark module. Loading it measures every row in
 * module_init and prints the table (see kbench.h for the method and
 * kbench_runner.c for the line format); unloading it destroys the caches,
 * which stay until then so that a script can check in sysfs that the
 * kernel's caches were not merged.
 *
 * Rows:
 *   slab     myslab cache vs kmem_cache of the same size, alignment and
 *            flags, for 64 B, 256 B, 1 KiB and sizeof(struct task_struct):
 *            reuse, N-pattern (N = 256), cross-CPU free, and reuse and
 *            N-pattern on every CPU at once; bulk alloc/free of 1..128
 *            objects of 256 B
 *   pages    myslab_alloc_pages/myslab_free_pages on the main region vs
 *            alloc_pages/__free_pages, orders 0, 1, 3, 9, one CPU and all
 *   kmalloc  myslab_kmalloc/myslab_kfree vs kmalloc/kfree, 8 B .. 8 KiB
 *
 * Before the first row is measured, that row runs unmeasured for warmup_ms:
 * the first row of a boot used to come out several times slower in the
 * median of its pairs than in its fastest runs (4.32 against 1.29), while
 * the same row measured later in the same boot did not. The first runs of a
 * boot are slow enough to mislead the calibration: the warm-up's own, done
 * cold, picked runs of about 0.8 ms instead of 30 (1188 pairs in 2 s, stock
 * 6.1, init_on_alloc=0), the measured row's, done warm, 30 ms.
 *
 * The kernel's caches are created with SLAB_NOLEAKTRACE, which is in
 * SLAB_NEVER_MERGE on both 6.1 and 6.12 (SLAB_NO_MERGE only exists from 6.5
 * on) and costs nothing on a kernel without kmemleak, such as Debian's;
 * mm/kfence/kfence_test.c uses it the same way. A cache that may not merge
 * gets its own /sys/kernel/slab/<name> directory rather than a symlink to
 * an alias, which the guest scenario checks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include <myslab/buddy.h>
#include <myslab/slab.h>

#include "kbench.h"

/* === Parameters === */

static unsigned int runs = 9;
static unsigned int run_ms = 30;
static char *sections = "slab,pages,kmalloc";
static char *match = "";
static unsigned int warmup_ms = 2000;

static int runs_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, KB_MAX_RUNS);
}

static const struct kernel_param_ops runs_ops = {
	.set = runs_set,
	.get = param_get_uint,
};

static int run_ms_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 10000);
}

static const struct kernel_param_ops run_ms_ops = {
	.set = run_ms_set,
	.get = param_get_uint,
};

static int warmup_ms_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, 60000);
}

static const struct kernel_param_ops warmup_ms_ops = {
	.set = warmup_ms_set,
	.get = param_get_uint,
};

module_param_cb(runs, &runs_ops, &runs, 0444);
MODULE_PARM_DESC(runs, "Runs per side of every row (1..15, default 9)");
module_param_cb(run_ms, &run_ms_ops, &run_ms, 0444);
MODULE_PARM_DESC(run_ms, "Length of one run of the slower side, in ms (1..10000, default 30)");
module_param(sections, charp, 0444);
MODULE_PARM_DESC(sections, "Sections to measure, comma separated (default slab,pages,kmalloc)");
module_param(match, charp, 0444);
MODULE_PARM_DESC(match, "Measure only the rows whose name contains this (e.g. -all; default: every row)");
module_param_cb(warmup_ms, &warmup_ms_ops, &warmup_ms, 0444);
MODULE_PARM_DESC(warmup_ms, "Unmeasured runs of the first row before it is measured, in ms (0..60000, default 2000)");

/* === Caches === */

#define KB_NR_SIZES	4

/**
 * struct kb_size - one object size of the slab section
 * @tag:	short name used in row and cache names
 * @size:	object size
 * @align:	alignment, the same on both sides
 * @mcache:	the myslab cache
 * @kcache:	the kernel's cache
 */
struct kb_size {
	const char *tag;
	unsigned int size;
	unsigned int align;
	struct myslab_cache *mcache;
	struct kmem_cache *kcache;
};

/* task_struct: as kernel/fork.c aligns it (ARCH_MIN_TASKALIGN is 0 on x86). */
static struct kb_size kb_sizes[KB_NR_SIZES] = {
	{ "64B", 64, 0 },
	{ "256B", 256, 0 },
	{ "1k", 1024, 0 },
	{ "task", sizeof(struct task_struct), L1_CACHE_BYTES },
};

static void kb_destroy_caches(void)
{
	struct kb_size *s;
	int i;

	for (i = 0; i < KB_NR_SIZES; i++) {
		s = &kb_sizes[i];
		if (s->mcache && myslab_cache_destroy(s->mcache))
			pr_err("cache kbench-%s destroyed with objects left\n", s->tag);
		kmem_cache_destroy(s->kcache);
		s->mcache = NULL;
		s->kcache = NULL;
	}
}

static int kb_create_caches(struct myslab_region *region)
{
	char name[MYSLAB_CACHE_NAME_LEN];
	struct kb_size *s;
	int i;

	for (i = 0; i < KB_NR_SIZES; i++) {
		s = &kb_sizes[i];
		snprintf(name, sizeof(name), "kbench-%s", s->tag);
		s->mcache = myslab_cache_create(region, name, s->size, s->align, 0, NULL);
		if (IS_ERR(s->mcache)) {
			pr_err("cannot create myslab cache %s: %ld\n", name,
			       PTR_ERR(s->mcache));
			s->mcache = NULL;
			goto fail;
		}
		snprintf(name, sizeof(name), "myslab_bench_%s", s->tag);
		s->kcache = kmem_cache_create(name, s->size, s->align,
					      SLAB_NOLEAKTRACE, NULL);
		if (!s->kcache) {
			pr_err("cannot create kernel cache %s\n", name);
			goto fail;
		}
	}
	return 0;
fail:
	kb_destroy_caches();
	return -ENOMEM;
}

/* === Rows === */

#define KB_MAX_ROWS	64
#define KB_N		256

static struct kb_row *kb_rows;
static unsigned int kb_nr_rows;
static struct kb_cross *kb_cross[KB_NR_SIZES];

/* Add a row, unless the match parameter leaves it out (then NULL). */
static __printf(6, 7) struct kb_row *kb_add(const char *section, kb_loop_fn loop,
					      unsigned int param,
					      unsigned int ops_per_loop,
					      unsigned int threads,
					      const char *fmt, ...)
{
	char name[sizeof(kb_rows->name)];
	struct kb_row *row;
	va_list args;

	va_start(args, fmt);
	vsnprintf(name, sizeof(name), fmt, args);
	va_end(args);
	if (!strstr(name, match))
		return NULL;
	if (WARN_ON_ONCE(kb_nr_rows == KB_MAX_ROWS))
		return NULL;
	row = &kb_rows[kb_nr_rows++];
	row->section = section;
	row->loop = loop;
	row->param = param;
	row->ops_per_loop = ops_per_loop;
	row->threads = threads;
	strscpy(row->name, name, sizeof(row->name));
	return row;
}

static void kb_slab_rows(struct kb_size *s, struct kb_cross *cross)
{
	struct kb_row *rows[5];
	int i;

	rows[0] = kb_add("slab", kb_loop_slab_reuse, 0, 1, 1, "%s-reuse", s->tag);
	rows[1] = kb_add("slab", kb_loop_slab_npattern, KB_N, KB_N, 1,
			 "%s-N%u", s->tag, KB_N);
	rows[2] = kb_add("slab", kb_loop_slab_cross, 0, 1, 2, "%s-cross", s->tag);
	rows[3] = kb_add("slab", kb_loop_slab_reuse, 0, 1, 0, "%s-reuse-all", s->tag);
	rows[4] = kb_add("slab", kb_loop_slab_npattern, KB_N, KB_N, 0,
			 "%s-N%u-all", s->tag, KB_N);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		if (!rows[i])
			continue;
		rows[i]->mcache = s->mcache;
		rows[i]->kcache = s->kcache;
	}
	if (rows[2])
		rows[2]->cross = cross;
}

static int kb_build_rows(void)
{
	static const unsigned int bulk[] = { 1, 8, 16, 32, 64, 128 };
	static const unsigned int orders[] = { 0, 1, 3, 9 };
	struct kb_row *row;
	unsigned int i, size;

	kb_rows = kcalloc(KB_MAX_ROWS, sizeof(*kb_rows), GFP_KERNEL);
	if (!kb_rows)
		return -ENOMEM;
	if (strstr(sections, "slab")) {
		for (i = 0; i < KB_NR_SIZES; i++) {
			kb_cross[i] = kzalloc(sizeof(*kb_cross[i]), GFP_KERNEL);
			if (!kb_cross[i])
				return -ENOMEM;
			kb_slab_rows(&kb_sizes[i], kb_cross[i]);
		}
		for (i = 0; i < ARRAY_SIZE(bulk); i++) {
			row = kb_add("slab", kb_loop_slab_bulk, bulk[i], bulk[i], 1,
				     "%s-bulk%u", kb_sizes[1].tag, bulk[i]);
			if (row) {
				row->mcache = kb_sizes[1].mcache;
				row->kcache = kb_sizes[1].kcache;
			}
		}
	}
	if (strstr(sections, "pages")) {
		for (i = 0; i < ARRAY_SIZE(orders); i++) {
			kb_add("pages", kb_loop_pages, orders[i], 1, 1, "order%u", orders[i]);
			kb_add("pages", kb_loop_pages, orders[i], 1, 0, "order%u-all", orders[i]);
		}
	}
	if (strstr(sections, "kmalloc"))
		for (size = 8; size <= 8192; size *= 2)
			kb_add("kmalloc", kb_loop_kmalloc, size, 1, 1, "kmalloc-%u", size);
	return 0;
}

static void kb_free_rows(void)
{
	int i;

	for (i = 0; i < KB_NR_SIZES; i++) {
		kfree(kb_cross[i]);
		kb_cross[i] = NULL;
	}
	kfree(kb_rows);
	kb_rows = NULL;
	kb_nr_rows = 0;
}

/* === Module === */

static int __init kb_init(void)
{
	struct myslab_region *region = myslab_main_region();
	unsigned int i, failed = 0;
	u64 start;
	int err;

	if (!region) {
		pr_err("myslab has no main region\n");
		return -ENODEV;
	}
	err = kb_runner_init();
	if (err)
		return err;
	err = kb_create_caches(region);
	if (err)
		goto out_runner;
	err = kb_build_rows();
	if (err)
		goto out_rows;

	pr_info("info: kernel %s, %u CPUs online, init_on_alloc %s, runs %u, run_ms %u, warmup_ms %u, N %u, task_struct %zu bytes, GFP_ATOMIC\n",
		utsname()->release, kb_online_cpus(),
		want_init_on_alloc(GFP_ATOMIC) ? "on" : "off", runs, run_ms,
		warmup_ms, KB_N, sizeof(struct task_struct));
	kb_print_header();
	start = ktime_get_ns();
	if (kb_nr_rows && warmup_ms)
		kb_warm_up(&kb_rows[0], warmup_ms, run_ms);
	for (i = 0; i < kb_nr_rows; i++) {
		if (kb_measure_row(&kb_rows[i], runs, run_ms))
			failed++;
		cond_resched();
	}
	pr_info("done: %u rows, %u failed, %llu s\n", kb_nr_rows, failed,
		div_u64(ktime_get_ns() - start, NSEC_PER_SEC));
	return 0;

out_rows:
	kb_free_rows();
	kb_destroy_caches();
out_runner:
	kb_runner_exit();
	return err;
}

static void __exit kb_exit(void)
{
	kb_free_rows();
	kb_destroy_caches();
	kb_runner_exit();
}

module_init(kb_init);
module_exit(kb_exit);

MODULE_DESCRIPTION("myslab against SLUB and the page allocator, in the same boot");
MODULE_AUTHOR("The myslab developers");
MODULE_LICENSE("GPL");
