// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/myslab/ctl and held: a way to make allocations happen,
 * so that /proc/myslabinfo and /proc/mybuddyinfo move.
 *
 * ctl (0200, root) accepts one command per write:
 *
 *   alloc <cache> <n>     allocate n objects from the named cache, all or
 *                         nothing, and hold them
 *   free <cache> <n>      free the n most recently allocated held objects of
 *                         that cache
 *   kmalloc <size> <n>    n myslab_kmalloc(size) allocations, all or nothing;
 *                         size 1..1073741824 (larger than 8k: buddy blocks)
 *   kfree <size> <n>      free the n most recent held kmalloc(size) objects
 *   reset                 free everything held
 *   leak <cache> <n>      allocate n objects from the named cache and hide
 *                         them: a positive control for kmemleak, which must
 *                         report them (their pointers are kept only XORed
 *                         with a random key, and the stack they were on is
 *                         scrubbed); reset frees them, and so does unload
 *
 * n is 1..1048576, and the module never holds more than 1048576 objects in
 * all. Fields are separated by spaces or tabs; one trailing newline is fine.
 * Errors, and nothing changes:
 *   -E2BIG    write longer than 128 bytes
 *   -EINVAL   empty, binary, unknown verb, wrong number of fields, malformed
 *             number, n or size out of range
 *   -ENOENT   no live cache of that name
 *   -ERANGE   freeing more objects than are held
 *   -ENOSPC   the total held would exceed 1048576
 *   -ENOMEM   the allocator (or the holding array) ran out of memory
 *
 * held (0444) lists what is held: "cache <name> <count>" and
 * "kmalloc <size> <count>" lines, then "total <count>", then "leaked
 * <count>" (objects the leak command hid, not counted in total; at most
 * 1024 at a time, -ENOSPC beyond). Everything held is
 * freed when the module unloads. A cache destroyed while objects of it are
 * held leaks them (its destroy reports them); they are then only dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kernel/module.h"
#include "core/slab/slab_internal.h"

#define MYSLAB_CTL_WRITE_MAX	128
#define MYSLAB_CTL_MAX_HELD	BIT(20)
#define MYSLAB_CTL_MAX_SIZE	BIT(30)
#define MYSLAB_CTL_CHUNK	256	/* objects per bulk call, then reschedule */

static struct dentry *ctl_dentry, *held_dentry;

/* === Holdings === */

/* Objects held for one cache or one kmalloc size; protected by ctl_mutex. */
struct myslab_hold {
	struct list_head list;
	struct myslab_cache *cache;	/* NULL for kmalloc holdings */
	size_t size;			/* kmalloc size */
	unsigned long nr;
	unsigned long cap;
	void **objs;
};

static DEFINE_MUTEX(ctl_mutex);
static LIST_HEAD(ctl_holds);
static unsigned long ctl_total;		/* protected by ctl_mutex */

/* Objects hidden by "leak"; protected by ctl_mutex. */
#define MYSLAB_CTL_MAX_LEAKED	1024
struct myslab_leak {
	struct myslab_cache *cache;
	unsigned long hidden;		/* the pointer ^ ctl_leak_key */
};

static struct myslab_leak ctl_leaks[MYSLAB_CTL_MAX_LEAKED];
static unsigned long ctl_leaked;
static unsigned long ctl_leak_key;

static struct myslab_hold *ctl_hold_find(struct myslab_cache *cache,
					 size_t size)
{
	struct myslab_hold *h;

	lockdep_assert_held(&ctl_mutex);
	list_for_each_entry(h, &ctl_holds, list)
		if (h->cache == cache && (cache || h->size == size))
			return h;
	return NULL;
}

/* Drop a holding that holds nothing. */
static void ctl_hold_put(struct myslab_hold *h)
{
	if (h->nr)
		return;
	list_del(&h->list);
	kvfree(h->objs);
	kfree(h);
}

/* Find or make the holding, with room for @more objects. */
static struct myslab_hold *ctl_hold_reserve(struct myslab_cache *cache,
					    size_t size, unsigned long more)
{
	struct myslab_hold *h = ctl_hold_find(cache, size);
	void **objs;

	if (!h) {
		h = kzalloc(sizeof(*h), GFP_KERNEL);
		if (!h)
			return NULL;
		h->cache = cache;
		h->size = size;
		list_add_tail(&h->list, &ctl_holds);
	}
	if (h->nr + more > h->cap) {
		objs = kvmalloc_array(h->nr + more, sizeof(void *), GFP_KERNEL);
		if (!objs) {
			ctl_hold_put(h);
			return NULL;
		}
		if (h->nr)
			memcpy(objs, h->objs, h->nr * sizeof(void *));
		kvfree(h->objs);
		h->objs = objs;
		h->cap = h->nr + more;
	}
	return h;
}

/* Free the @n newest objects of a holding (the cache must be live). */
static void ctl_hold_release(struct myslab_hold *h, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		void *obj = h->objs[--h->nr];

		/* No stale copy for kmemleak to find if obj is handed out again. */
		h->objs[h->nr] = NULL;
		if (h->cache)
			myslab_cache_free(h->cache, obj);
		else
			myslab_kfree(obj);
		if (!(i % MYSLAB_CTL_CHUNK))
			cond_resched();
	}
	ctl_total -= n;
}

/* === Commands === */

static int ctl_alloc(const char *name, unsigned long n)
{
	struct myslab_cache *cache;
	struct myslab_hold *h;
	unsigned long done = 0;
	int err = 0;

	myslab_registry_lock();
	cache = myslab_cache_find(name);
	if (!cache) {
		err = -ENOENT;
		goto out;
	}
	h = ctl_hold_reserve(cache, 0, n);
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	while (done < n) {
		size_t chunk = min_t(unsigned long, n - done, MYSLAB_CTL_CHUNK);

		if (!myslab_cache_alloc_bulk(cache, GFP_KERNEL, chunk,
					     h->objs + h->nr + done)) {
			err = -ENOMEM;
			break;
		}
		done += chunk;
		cond_resched();
	}
	if (err)	/* all or nothing */
		myslab_cache_free_bulk(cache, done, h->objs + h->nr);
	else
		h->nr += n;
	ctl_total += err ? 0 : n;
	ctl_hold_put(h);
out:
	myslab_registry_unlock();
	return err;
}

/*
 * Overwrite the stack below the caller's frame, where the allocation just
 * ran: kmemleak scans whole task stacks, stale words included, and a stale
 * copy of a hidden pointer would keep its object "referenced". Recursing
 * keeps every frame (the buffer is used after the call).
 */
static noinline void ctl_scrub_stack(unsigned int depth)
{
	unsigned long words[64];

	memzero_explicit(words, sizeof(words));
	if (depth)
		ctl_scrub_stack(depth - 1);
	barrier_data(words);
}

/* One object, its pointer kept only hidden. */
static noinline bool ctl_leak_one(struct myslab_cache *cache,
				  struct myslab_leak *leak)
{
	void *obj = myslab_cache_alloc(cache, GFP_KERNEL);

	leak->cache = cache;
	leak->hidden = (unsigned long)obj ^ ctl_leak_key;
	return obj;
}

static int ctl_leak(const char *name, unsigned long n)
{
	struct myslab_cache *cache;
	unsigned long done;
	int err = 0;

	if (n > MYSLAB_CTL_MAX_LEAKED - ctl_leaked)
		return -ENOSPC;
	while (!ctl_leak_key)
		ctl_leak_key = get_random_long();
	myslab_registry_lock();
	cache = myslab_cache_find(name);
	if (!cache) {
		err = -ENOENT;
		goto out;
	}
	for (done = 0; done < n; done++) {
		if (!ctl_leak_one(cache, &ctl_leaks[ctl_leaked])) {
			err = -ENOMEM;
			break;
		}
		ctl_leaked++;
	}
	ctl_scrub_stack(12);
out:
	myslab_registry_unlock();
	return err;
}

/* Free what "leak" hid; objects of destroyed caches are only dropped. */
static void ctl_leaks_release(void)
	__must_hold(&ctl_mutex)
{
	struct myslab_leak *leak;

	lockdep_assert_held(&ctl_mutex);
	while (ctl_leaked) {
		leak = &ctl_leaks[--ctl_leaked];
		if (myslab_cache_registered(leak->cache))
			myslab_cache_free(leak->cache,
					  (void *)(leak->hidden ^ ctl_leak_key));
		leak->cache = NULL;
		leak->hidden = 0;
	}
}

static int ctl_kmalloc(size_t size, unsigned long n)
{
	struct myslab_hold *h = ctl_hold_reserve(NULL, size, n);
	unsigned long done;

	if (!h)
		return -ENOMEM;
	for (done = 0; done < n; done++) {
		void *obj = myslab_kmalloc(size, GFP_KERNEL);

		if (!obj)
			break;
		h->objs[h->nr + done] = obj;
		if (!(done % MYSLAB_CTL_CHUNK))
			cond_resched();
	}
	if (done < n) {		/* all or nothing */
		while (done-- > 0)
			myslab_kfree(h->objs[h->nr + done]);
		ctl_hold_put(h);
		return -ENOMEM;
	}
	h->nr += n;
	ctl_total += n;
	return 0;
}

static int ctl_free(struct myslab_hold *h, unsigned long n)
{
	if (!h || h->nr < n)
		return -ERANGE;
	ctl_hold_release(h, n);
	ctl_hold_put(h);
	return 0;
}

static int ctl_free_cache(const char *name, unsigned long n)
{
	struct myslab_cache *cache;
	int err;

	myslab_registry_lock();
	cache = myslab_cache_find(name);
	err = cache ? ctl_free(ctl_hold_find(cache, 0), n) : -ENOENT;
	myslab_registry_unlock();
	return err;
}

/* Free everything held; objects of destroyed caches are only dropped. */
static void ctl_reset(void)
{
	struct myslab_hold *h, *next;

	myslab_registry_lock();
	ctl_leaks_release();
	list_for_each_entry_safe(h, next, &ctl_holds, list) {
		if (h->cache && !myslab_cache_registered(h->cache)) {
			pr_warn("ctl: dropping %lu objects of a destroyed cache\n",
				h->nr);
			ctl_total -= h->nr;
			h->nr = 0;
		}
		ctl_hold_release(h, h->nr);
		ctl_hold_put(h);
	}
	myslab_registry_unlock();
}

/* === Parsing === */

static bool ctl_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split @s in place into at most @max blank-separated fields. */
static int ctl_split(char *s, char **fields, int max)
{
	int nr = 0;

	for (;;) {
		while (ctl_blank(*s))
			*s++ = '\0';
		if (!*s)
			return nr;
		if (nr == max)
			return -EINVAL;
		fields[nr++] = s;
		while (*s && !ctl_blank(*s))
			s++;
	}
}

/* Plain decimal digits in [min, max]. */
static int ctl_number(const char *s, unsigned long min, unsigned long max,
		      unsigned long *val)
{
	const char *p;

	for (p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	if (kstrtoul(s, 10, val) || *val < min || *val > max)
		return -EINVAL;
	return 0;
}

static int ctl_execute(char *cmd)
{
	unsigned long n, size;
	char *f[3];
	int nr;

	nr = ctl_split(cmd, f, ARRAY_SIZE(f));
	if (nr == 1 && !strcmp(f[0], "reset")) {
		ctl_reset();
		return 0;
	}
	if (nr != 3 || ctl_number(f[2], 1, MYSLAB_CTL_MAX_HELD, &n))
		return -EINVAL;
	if (!strcmp(f[0], "alloc") || !strcmp(f[0], "kmalloc")) {
		if (n > MYSLAB_CTL_MAX_HELD - ctl_total)
			return -ENOSPC;
	}
	if (!strcmp(f[0], "alloc"))
		return ctl_alloc(f[1], n);
	if (!strcmp(f[0], "free"))
		return ctl_free_cache(f[1], n);
	if (!strcmp(f[0], "leak"))
		return ctl_leak(f[1], n);
	if (ctl_number(f[1], 1, MYSLAB_CTL_MAX_SIZE, &size))
		return -EINVAL;
	if (!strcmp(f[0], "kmalloc"))
		return ctl_kmalloc(size, n);
	if (!strcmp(f[0], "kfree"))
		return ctl_free(ctl_hold_find(NULL, size), n);
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[MYSLAB_CTL_WRITE_MAX + 1];
	size_t len = count, i;
	int err;

	if (count > MYSLAB_CTL_WRITE_MAX)
		return -E2BIG;
	if (!count)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	if (buf[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++)
		if (!ctl_blank(buf[i]) && (buf[i] < ' ' || buf[i] > '~'))
			return -EINVAL;
	buf[len] = '\0';

	mutex_lock(&ctl_mutex);
	err = ctl_execute(buf);
	mutex_unlock(&ctl_mutex);
	return err ? err : count;
}

static const struct file_operations ctl_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= ctl_write,
};

static int held_show(struct seq_file *m, void *v)
{
	struct myslab_hold *h;

	mutex_lock(&ctl_mutex);
	list_for_each_entry(h, &ctl_holds, list) {
		if (h->cache)
			seq_printf(m, "cache %s %lu\n",
				   myslab_cache_name(h->cache), h->nr);
		else
			seq_printf(m, "kmalloc %zu %lu\n", h->size, h->nr);
	}
	seq_printf(m, "total %lu\n", ctl_total);
	seq_printf(m, "leaked %lu\n", ctl_leaked);
	mutex_unlock(&ctl_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(held);

/* === Part init/exit === */

int myslab_ctl_init(void)
{
	struct dentry *dir = myslab_debugfs_dir();

	ctl_dentry = debugfs_create_file("ctl", 0200, dir, NULL, &ctl_fops);
	held_dentry = debugfs_create_file("held", 0444, dir, NULL, &held_fops);
	return 0;
}

void myslab_ctl_exit(void)
{
	/* Waits for the writes still in ctl: none runs once they are gone. */
	debugfs_remove(ctl_dentry);
	debugfs_remove(held_dentry);
	mutex_lock(&ctl_mutex);
	ctl_reset();
	mutex_unlock(&ctl_mutex);
}
