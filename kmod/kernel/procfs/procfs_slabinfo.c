// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/myslabinfo: every live cache in the kernel's /proc/slabinfo 2.1
 * format, one row per cache in creation order (rows: slabinfo_format.c).
 *
 * Root may write "<cache-name> <limit> <batchcount> <shared>" (at most 128
 * bytes, as SLAB accepted) to retune a cache's magazines and barn. Errors,
 * and nothing changes:
 *   -E2BIG    longer than 128 bytes
 *   -EINVAL   empty, binary or otherwise malformed, a bad name, a number out
 *             of range (limit 1..256, batchcount 1..limit, shared 0..16)
 *   -ENOENT   no live cache of that name
 *   -ENOMEM   no memory for the barn's new array
 *   -EFAULT   unreadable user buffer
 * Mode 0600 (root reads, root writes), as /proc/slabinfo with SLAB.
 */
#include <linux/cpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "kernel/module.h"
#include "core/slab/slab_internal.h"
#include "core/slab/slabinfo_format.h"

static void *slabinfo_start(struct seq_file *m, loff_t *pos)
{
	myslab_registry_lock();
	if (!*pos)
		seq_puts(m, myslab_slabinfo_header());
	return seq_list_start(myslab_registry_list(), *pos);
}

static void *slabinfo_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, myslab_registry_list(), pos);
}

static void slabinfo_stop(struct seq_file *m, void *v)
{
	myslab_registry_unlock();
}

static int slabinfo_show(struct seq_file *m, void *v)
{
	struct myslab_cache *cache = list_entry(v, struct myslab_cache, registry);
	struct myslab_cache_stats st;
	char row[256];
	int len;

	myslab_cache_stats(cache, &st);
	len = myslab_slabinfo_format(row, sizeof(row), &st);
	if (len >= sizeof(row))
		return -EOVERFLOW;
	seq_puts(m, row);
	return 0;
}

static const struct seq_operations slabinfo_seq_ops = {
	.start	= slabinfo_start,
	.next	= slabinfo_next,
	.stop	= slabinfo_stop,
	.show	= slabinfo_show,
};

static int slabinfo_open(struct inode *inode, struct file *file)
{
	return seq_open(file, &slabinfo_seq_ops);
}

static ssize_t slabinfo_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	char buf[MYSLAB_SLABINFO_WRITE_MAX];
	struct myslab_slabinfo_tune req;
	struct myslab_cache *cache;
	int err;

	if (count > MYSLAB_SLABINFO_WRITE_MAX)
		return -E2BIG;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	err = myslab_slabinfo_parse(buf, count, &req);
	if (err)
		return err;

	/* The CPU hotplug lock first: the lock order, kmod/DESIGN.md. */
	cpus_read_lock();
	myslab_registry_lock();
	cache = myslab_cache_find(req.name);
	if (cache)
		err = myslab_cache_tune_cpuslocked(cache, req.limit,
						   req.batchcount, req.shared);
	else
		err = -ENOENT;
	myslab_registry_unlock();
	cpus_read_unlock();
	return err ? err : count;
}

static const struct proc_ops slabinfo_proc_ops = {
	.proc_open	= slabinfo_open,
	.proc_read	= seq_read,
	.proc_write	= slabinfo_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release,
};

int myslab_slabinfo_init(void)
{
	if (!proc_create("myslabinfo", 0600, NULL, &slabinfo_proc_ops))
		return -ENOMEM;
	return 0;
}

void myslab_slabinfo_exit(void)
{
	remove_proc_entry("myslabinfo", NULL);
}
