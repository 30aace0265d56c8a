// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/myslab/caches/<name>/: one directory per live cache,
 * created when the cache is (whoever creates it) and removed when it is
 * destroyed, before anything of it is freed. debugfs makes the removal wait
 * for every read or write still running in its files, so no file ever sees
 * a cache that is going away.
 *
 *   geometry	  0444 how the cache cuts its slabs: "name value" lines
 *   occupancy	  0444 slabs per list, objects in use, free, cached (in
 *		       magazines), in the barn, lost
 *   cpu_caches	  0444 per-CPU magazine fill: "cpu N count N limit N batchcount N",
 *		       then the barn's: "barn count N limit N"
 *   stats	  0444 every event counter, "name value"
 *   debug	  0444 "options <letters>" (FZPUA, or -), "detectors <list>"
 *   alloc_traces 0400 (U only) live objects by allocation site, and
 *   free_traces  0400 (U only) free objects by free site, in the format of
 *		       SLUB's debugfs files of the same names
 *   shrink	  0200 write 1: give every free slab back to the buddy allocator
 *   validate	  0600 write 1: myslab_cache_validate() (also logged: "cache
 *		       <name>: validate: N problems found"); the write fails
 *		       with -EBUSY when it found nothing but the cache was too
 *		       busy for its whole-cache count (validate again when it
 *		       is quiet), -ENOMEM when it found nothing but had no
 *		       memory for a count; read: the number of problems the
 *		       last complete validation found, -1 before the first
 *   reset_counters 0200 write 1: every counter back to 0
 *   failslab	  0600 (CONFIG_FAULT_INJECTION) 0 or 1: whether failslab
 *		       (myslab/failslab/) may fail this cache's allocations
 *
 * Writes, as the buddy side's action files: exactly "1" (or "0"/"1" for
 * failslab), one trailing newline allowed; anything else (empty, another
 * word or number, binary, too long) gets -EINVAL and changes nothing;
 * an unreadable buffer -EFAULT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stackdepot.h>
#include <linux/uaccess.h>

#include "kernel/module.h"
#include "debugfs_cache.h"
#include "core/slab/slab_internal.h"
#include "core/slab/slab_magazine.h"

/*
 * Protects myslab_caches_dir and every cache's glue pointer (its
 * directory). Taken inside the registry mutex (exit), never around it.
 */
static DEFINE_MUTEX(myslab_debugfs_mutex);
static struct dentry *myslab_caches_dir;	/* NULL: not set up */

/* === Summaries === */

static int geometry_show(struct seq_file *m, void *v)
{
	struct myslab_cache *cache = m->private;
	struct myslab_cache_stats st;
	char letters[8];

	myslab_cache_stats(cache, &st);
	myslab_debug_flags_string(myslab_cache_debug_flags(cache), letters,
				  sizeof(letters));
	seq_printf(m, "object_size %u\n", st.object_size);
	seq_printf(m, "slot_size %u\n", st.slot_size);
	seq_printf(m, "usable_size %u\n", myslab_cache_usable_size(cache));
	seq_printf(m, "align %u\n", st.align);
	seq_printf(m, "order %u\n", st.order);
	seq_printf(m, "pages_per_slab %u\n", 1U << st.order);
	seq_printf(m, "objects_per_slab %u\n", st.objs_per_slab);
	seq_printf(m, "header_size %u\n", st.header_size);
	seq_printf(m, "first_offset %u\n", cache->first_offset);
	seq_printf(m, "waste %u\n", st.waste);
	seq_printf(m, "colour_step %u\n", st.colour_step);
	seq_printf(m, "colour_range %u\n", st.colour_range);
	seq_printf(m, "red_left %u\n", cache->red_left);
	seq_printf(m, "red_right %u\n", cache->red_end - cache->object_size);
	seq_printf(m, "freeptr_offset %u\n", cache->freeptr_offset);
	seq_printf(m, "track_offset %u\n", cache->track_offset);
	seq_printf(m, "constructor %s\n", cache->ctor ? "yes" : "no");
	seq_printf(m, "debug %s\n", letters);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(geometry);

static int occupancy_show(struct seq_file *m, void *v)
{
	struct myslab_cache *cache = m->private;
	struct myslab_cache_stats st;

	myslab_cache_stats(cache, &st);
	seq_printf(m, "slabs %lu\n", st.num_slabs);
	seq_printf(m, "slabs_empty %lu\n", st.empty_slabs);
	seq_printf(m, "slabs_partial %lu\n", st.partial_slabs);
	seq_printf(m, "slabs_full %lu\n", st.full_slabs - st.corrupted_slabs);
	seq_printf(m, "slabs_quarantined %lu\n", st.corrupted_slabs);
	seq_printf(m, "objects %lu\n", st.num_objs);
	seq_printf(m, "objects_active %lu\n", st.active_objs - st.lost_objs);
	seq_printf(m, "objects_free %lu\n",
		   st.num_objs - st.active_objs - st.cpu_cached -
		   st.shared_avail);
	seq_printf(m, "objects_cached %lu\n", st.cpu_cached);
	seq_printf(m, "objects_barn %lu\n", st.shared_avail);
	seq_printf(m, "objects_lost %lu\n", st.lost_objs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(occupancy);

static int cpu_caches_show(struct seq_file *m, void *v)
{
	struct myslab_cache *cache = m->private;
	struct myslab_magazine_fill fill;
	int cpu;

	for_each_possible_cpu(cpu) {
		myslab_magazine_fill(cache, cpu, &fill);
		seq_printf(m, "cpu %d count %u limit %u batchcount %u\n", cpu,
			   fill.count, fill.limit, fill.batchcount);
	}
	myslab_barn_fill(cache, &fill.count, &fill.limit);
	seq_printf(m, "barn count %u limit %u\n", fill.count, fill.limit);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cpu_caches);

static int stats_show(struct seq_file *m, void *v)
{
	unsigned long counters[MYSLAB_CACHE_NR_COUNTERS];
	int i;

	myslab_cache_counters(m->private, counters);
	for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
		seq_printf(m, "%s %lu\n", myslab_cache_counter_name(i),
			   counters[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int debug_show(struct seq_file *m, void *v)
{
	struct myslab_cache *cache = m->private;
	unsigned int hooks = READ_ONCE(cache->hooks);
	char letters[8];

	myslab_debug_flags_string(myslab_cache_debug_flags(cache), letters,
				  sizeof(letters));
	seq_printf(m, "options %s\n", letters);
	seq_puts(m, "detectors");
	if (hooks & MYSLAB_HOOK_KMEMLEAK)
		seq_puts(m, " kmemleak");
	if (hooks & MYSLAB_HOOK_KASAN)
		seq_puts(m, " kasan");
	if (!(hooks & (MYSLAB_HOOK_KMEMLEAK | MYSLAB_HOOK_KASAN)))
		seq_puts(m, " none");
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(debug);

/* === Traces (SLUB's alloc_traces/free_traces format) === */

/* Records of one call site: @start and @count index the sorted records. */
struct trace_site {
	unsigned long start;
	unsigned long count;
};

static int track_cmp(const void *a, const void *b)
{
	const struct myslab_track *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->stack != y->stack)
		return x->stack < y->stack ? -1 : 1;
	return 0;
}

static int site_cmp(const void *a, const void *b)
{
	const struct trace_site *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Copy the records, growing the array while the cache grows. */
static long traces_collect(struct myslab_cache *cache,
			   enum myslab_track_item item,
			   struct myslab_track **out)
{
	unsigned long cap = 0;
	long n = 0;
	int tries;

	*out = NULL;
	for (tries = 0; tries < 4; tries++) {
		n = myslab_cache_tracks(cache, item, *out, cap);
		if (n < 0 || (unsigned long)n <= cap)
			return n;
		kvfree(*out);
		cap = n + n / 8 + 16;
		*out = kvmalloc_array(cap, sizeof(**out), GFP_KERNEL);
		if (!*out)
			return -ENOMEM;
	}
	return -EAGAIN;
}

static void trace_site_show(struct seq_file *m, const struct myslab_track *t,
			    unsigned long count, unsigned long *cpus)
{
	unsigned long now = jiffies, age, min_age = ULONG_MAX, max_age = 0;
	unsigned long sum_age = 0, i;
	int min_pid = INT_MAX, max_pid = INT_MIN;

	bitmap_zero(cpus, nr_cpu_ids);
	for (i = 0; i < count; i++) {
		age = now - t[i].when;
		min_age = min(min_age, age);
		max_age = max(max_age, age);
		sum_age += age;
		min_pid = min(min_pid, t[i].pid);
		max_pid = max(max_pid, t[i].pid);
		if (t[i].cpu >= 0 && t[i].cpu < nr_cpu_ids)
			__set_bit(t[i].cpu, cpus);
	}
	seq_printf(m, "%7lu %pS", count, (void *)t->addr);
	if (min_age != max_age)
		seq_printf(m, " age=%lu/%lu/%lu", min_age, sum_age / count,
			   max_age);
	else
		seq_printf(m, " age=%lu", min_age);
	if (min_pid != max_pid)
		seq_printf(m, " pid=%d-%d", min_pid, max_pid);
	else
		seq_printf(m, " pid=%d", min_pid);
	if (num_online_cpus() > 1 && !bitmap_empty(cpus, nr_cpu_ids))
		seq_printf(m, " cpus=%*pbl", (int)nr_cpu_ids, cpus);
	if (IS_ENABLED(CONFIG_STACKDEPOT) && t->stack) {
		unsigned long *entries;
		unsigned int nr, j;

		nr = stack_depot_fetch(t->stack, &entries);
		seq_puts(m, "\n");
		for (j = 0; j < nr; j++)
			seq_printf(m, "        %pS\n", (void *)entries[j]);
	}
	seq_puts(m, "\n");
}

static int traces_show(struct seq_file *m, enum myslab_track_item item)
{
	struct trace_site *sites = NULL;
	unsigned long *cpus = NULL;
	struct myslab_track *t;
	unsigned long nr_sites = 0, i;
	long n;
	int err = 0;

	n = traces_collect(m->private, item, &t);
	if (n < 0)
		return n;
	if (!n) {
		seq_puts(m, "No data\n");
		goto out;
	}
	sort(t, n, sizeof(*t), track_cmp, NULL);
	sites = kvmalloc_array(n, sizeof(*sites), GFP_KERNEL);
	cpus = bitmap_zalloc(nr_cpu_ids, GFP_KERNEL);
	if (!sites || !cpus) {
		err = -ENOMEM;
		goto out_cpus;
	}
	for (i = 0; i < n; i++) {
		if (i && !track_cmp(&t[i], &t[i - 1])) {
			sites[nr_sites - 1].count++;
			continue;
		}
		sites[nr_sites].start = i;
		sites[nr_sites++].count = 1;
	}
	sort(sites, nr_sites, sizeof(*sites), site_cmp, NULL);
	for (i = 0; i < nr_sites; i++)
		trace_site_show(m, t + sites[i].start, sites[i].count, cpus);
out_cpus:
	bitmap_free(cpus);
out:
	kvfree(sites);
	kvfree(t);
	return err;
}

static int alloc_traces_show(struct seq_file *m, void *v)
{
	return traces_show(m, MYSLAB_TRACK_ALLOC);
}
DEFINE_SHOW_ATTRIBUTE(alloc_traces);

static int free_traces_show(struct seq_file *m, void *v)
{
	return traces_show(m, MYSLAB_TRACK_FREE);
}
DEFINE_SHOW_ATTRIBUTE(free_traces);

/* === Actions === */

/* The value of a one-character write: '0'..'9', or -errno. */
static int cache_write_digit(const char __user *ubuf, size_t count)
{
	char buf[2];

	if (!count || count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (count == 2 && buf[1] != '\n')
		return -EINVAL;
	if (buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	return buf[0] - '0';
}

/* An action returns 0 or a negative errno, which the write returns. */
static ssize_t cache_action_write(struct file *file, const char __user *ubuf,
				  size_t count,
				  int (*action)(struct myslab_cache *cache))
{
	int val = cache_write_digit(ubuf, count);

	if (val < 0)
		return val;
	if (val != 1)
		return -EINVAL;
	val = action(file->private_data);
	return val ? val : count;
}

static int cache_shrink(struct myslab_cache *cache)
{
	myslab_cache_shrink(cache);
	return 0;
}

/*
 * Problems found are the result, not an error of the write: it succeeds.
 * A validation that could not make every count (a busy cache: -EBUSY, no
 * memory: -ENOMEM) fails it with that error (and the log says so), so that
 * a script knows to retry.
 */
static int cache_validate(struct myslab_cache *cache)
{
	long problems = myslab_cache_validate(cache);

	if (problems == -EBUSY) {
		pr_info("cache %s: validate: no problem found, but the cache was busy: its free objects were not counted (-EBUSY)\n",
			cache->name);
		return -EBUSY;
	}
	if (problems < 0) {
		pr_info("cache %s: validate: no problem found, but not every count was made (%pe)\n",
			cache->name, ERR_PTR(problems));
		return problems;
	}
	pr_info("cache %s: validate: %ld problems found\n", cache->name,
		problems);
	return 0;
}

static int cache_reset_counters(struct myslab_cache *cache)
{
	myslab_cache_reset_counters(cache);
	return 0;
}

static ssize_t validate_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct myslab_cache *cache = file->private_data;
	char buf[24];
	int len;

	len = snprintf(buf, sizeof(buf), "%ld\n", READ_ONCE(cache->last_validate));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/* An action file: its write runs cache_<name>(); more fops as arguments. */
#define CACHE_ACTION(name, ...)						\
static ssize_t name##_write(struct file *file, const char __user *ubuf,	\
			    size_t count, loff_t *ppos)			\
{									\
	return cache_action_write(file, ubuf, count, cache_##name);	\
}									\
static const struct file_operations name##_fops = {			\
	.owner	= THIS_MODULE,						\
	.open	= simple_open,						\
	.write	= name##_write,						\
	__VA_ARGS__							\
}

CACHE_ACTION(shrink, .llseek = noop_llseek);
CACHE_ACTION(reset_counters, .llseek = noop_llseek);
CACHE_ACTION(validate, .read = validate_read, .llseek = default_llseek);

static ssize_t failslab_read(struct file *file, char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct myslab_cache *cache = file->private_data;
	char buf[3];

	snprintf(buf, sizeof(buf), "%d\n",
		 !!(myslab_cache_debug_flags(cache) & MYSLAB_FAILSLAB));
	return simple_read_from_buffer(ubuf, count, ppos, buf, 2);
}

static ssize_t failslab_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	int val = cache_write_digit(ubuf, count);

	if (val < 0)
		return val;
	if (val > 1)
		return -EINVAL;
	myslab_cache_set_failslab(file->private_data, val);
	return count;
}

static const struct file_operations failslab_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.read	= failslab_read,
	.write	= failslab_write,
	.llseek	= default_llseek,
};

/* === Directories === */

static void cache_files_create(struct myslab_cache *cache, struct dentry *dir)
{
	debugfs_create_file("geometry", 0444, dir, cache, &geometry_fops);
	debugfs_create_file("occupancy", 0444, dir, cache, &occupancy_fops);
	debugfs_create_file("cpu_caches", 0444, dir, cache, &cpu_caches_fops);
	debugfs_create_file("stats", 0444, dir, cache, &stats_fops);
	debugfs_create_file("debug", 0444, dir, cache, &debug_fops);
	if (cache->debug & MYSLAB_STORE_USER) {
		debugfs_create_file("alloc_traces", 0400, dir, cache,
				    &alloc_traces_fops);
		debugfs_create_file("free_traces", 0400, dir, cache,
				    &free_traces_fops);
	}
	debugfs_create_file("shrink", 0200, dir, cache, &shrink_fops);
	debugfs_create_file("validate", 0600, dir, cache, &validate_fops);
	debugfs_create_file("reset_counters", 0200, dir, cache,
			    &reset_counters_fops);
	if (IS_ENABLED(CONFIG_FAULT_INJECTION))
		debugfs_create_file("failslab", 0600, dir, cache,
				    &failslab_fops);
}

/* A cache was created (or the directory tree just set up): its directory. */
void myslab_debugfs_cache_add(struct myslab_cache *cache)
{
	struct dentry *dir;

	mutex_lock(&myslab_debugfs_mutex);
	if (!myslab_caches_dir || cache->glue)
		goto out;
	dir = debugfs_create_dir(cache->name, myslab_caches_dir);
	if (IS_ERR(dir)) {
		/* A name debugfs refuses ('/', "." or ".."): no files. */
		pr_warn("cache %s: no debugfs directory (%pe)\n", cache->name,
			dir);
		goto out;
	}
	cache_files_create(cache, dir);
	cache->glue = dir;
out:
	mutex_unlock(&myslab_debugfs_mutex);
}

/* A cache is being destroyed: its directory goes first. */
void myslab_debugfs_cache_del(struct myslab_cache *cache)
{
	struct dentry *dir;

	mutex_lock(&myslab_debugfs_mutex);
	dir = cache->glue;
	cache->glue = NULL;
	/* Waits for every read and write still in one of its files. */
	debugfs_remove_recursive(dir);
	mutex_unlock(&myslab_debugfs_mutex);
}

/* Set up caches/, before the first cache exists; each adds itself. */
void myslab_debugfs_caches_init(struct dentry *parent)
{
	struct dentry *dir;

	if (IS_ERR_OR_NULL(parent))
		return;
	dir = debugfs_create_dir("caches", parent);
	if (IS_ERR(dir))
		return;
	mutex_lock(&myslab_debugfs_mutex);
	myslab_caches_dir = dir;
	mutex_unlock(&myslab_debugfs_mutex);
}

void myslab_debugfs_caches_exit(void)
{
	struct myslab_cache *cache;

	myslab_registry_lock();
	mutex_lock(&myslab_debugfs_mutex);
	debugfs_remove_recursive(myslab_caches_dir);
	myslab_caches_dir = NULL;
	list_for_each_entry(cache, myslab_registry_list(), registry)
		cache->glue = NULL;
	mutex_unlock(&myslab_debugfs_mutex);
	myslab_registry_unlock();
}
