// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/myslab/buddy/: the main region's buddy allocator seen
 * from debugfs. Summaries are 0444, the per-page dump 0400, the actions
 * root-only.
 *
 *   free_blocks	0444  "# order blocks pages" then one line per order
 *			      0..max_order: "<order> <free blocks> <free pages>"
 *   stats		0444  one "<name> <value>" per line: the page
 *			      accounting (nr_pages, free_pages, pcp_pages,
 *			      alloc_pages, high_water), the geometry (max_order,
 *			      pcp_batch, pcp_high, page_poison), every counter
 *			      of enum myslab_buddy_counter by its name, then
 *			      allocs_order<k> and frees_order<k> per order
 *   extfrag_unusable	0444  unusable free space index per order, the
 *			      kernel's formula and layout (debugfs
 *			      extfrag/unusable_index):
 *			      "Node 0, zone   myslab 0.000 0.000 ..."
 *   extfrag_index	0444  fragmentation index per order, likewise
 *			      (extfrag/extfrag_index): "-1.000" while a block
 *			      of that order is free
 *   page_map		0400  every block of the region, for pictures; the
 *			      format is described in buddy_map.c
 *   validate		0600  write "1": run myslab_region_check() and log the
 *			      number of inconsistencies; the write fails with
 *			      -EBUSY when none was found but the region kept
 *			      changing, so its sums went unchecked (write again
 *			      when it is quiet); read: the number for the last
 *			      complete run, "none" before the first
 *   reset_counters	0200  write "1": zero the counters (not the accounting)
 *   drain_pcp		0200  write "1": give every per-CPU cached page back
 *
 * An action file accepts exactly "1" or "1\n" in one write at offset 0, once
 * per open; anything else (empty, longer, binary, another word or number, a
 * second write) is refused with -EINVAL and nothing happens. A longer input
 * written a byte at a time cannot be told from a "1" followed by garbage:
 * its first byte acts, the rest is refused.
 *
 * The fault-injection knobs of the main region are the kernel's own files
 * in /sys/kernel/debug/myslab/fail_page_alloc/ (buddy_hooks.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "kernel/module.h"
#include "debugfs_buddy.h"
#include "kernel/hooks/buddy_hooks.h"
#include "core/buddy/buddy_internal.h"

static struct dentry *buddy_dir;

/* === Actions === */

/**
 * myslab_buddy_action_parse - is this the one accepted write of an action?
 * @buf:	what was written (not NUL-terminated)
 * @count:	bytes at @buf
 *
 * Return: 0 for exactly "1" or "1\n", -EINVAL for anything else.
 */
int myslab_buddy_action_parse(const char *buf, size_t count)
{
	if (count == 2 && buf[1] != '\n')
		return -EINVAL;
	if (count < 1 || count > MYSLAB_BUDDY_ACTION_MAX || buf[0] != '1')
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(myslab_buddy_action_parse, MYSLAB_NS);

/**
 * myslab_buddy_action_run - an action file's write, on any region
 * @region:	the region
 * @action:	which action
 * @buf:	what was written (kernel memory, not NUL-terminated)
 * @count:	bytes at @buf
 *
 * Context: process context.
 * Return: -EINVAL (nothing done) unless @buf is accepted by
 * myslab_buddy_action_parse(); else, for MYSLAB_BUDDY_VALIDATE, what
 * myslab_region_check() returns (the inconsistencies found, -EBUSY or
 * -ENOMEM), and 0 for the others.
 */
int myslab_buddy_action_run(struct myslab_region *region,
			    enum myslab_buddy_action action,
			    const char *buf, size_t count)
{
	if (!region || myslab_buddy_action_parse(buf, count))
		return -EINVAL;
	switch (action) {
	case MYSLAB_BUDDY_VALIDATE:
		return myslab_region_check(region);
	case MYSLAB_BUDDY_RESET_COUNTERS:
		myslab_buddy_reset_counters(region);
		return 0;
	case MYSLAB_BUDDY_DRAIN_PCP:
		myslab_drain_pcp(region);
		return 0;
	default:
		return -EINVAL;
	}
}
EXPORT_SYMBOL_NS_GPL(myslab_buddy_action_run, MYSLAB_NS);

struct buddy_action_file {
	const char *name;
	umode_t mode;
	enum myslab_buddy_action action;
};

static const struct buddy_action_file action_files[] = {
	{ "validate",		0600, MYSLAB_BUDDY_VALIDATE },
	{ "reset_counters",	0200, MYSLAB_BUDDY_RESET_COUNTERS },
	{ "drain_pcp",		0200, MYSLAB_BUDDY_DRAIN_PCP },
};

static_assert(ARRAY_SIZE(action_files) == MYSLAB_BUDDY_NR_ACTIONS);

/* One action at a time; validate's last result. */
static DEFINE_MUTEX(action_mutex);
static int validate_last = -1;		/* protected by action_mutex */

static ssize_t action_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	const struct buddy_action_file *f = file->private_data;
	struct myslab_region *region = myslab_main_region();
	char buf[MYSLAB_BUDDY_ACTION_MAX];
	int ret;

	if (*ppos || !count || count > sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;

	mutex_lock(&action_mutex);
	ret = myslab_buddy_action_run(region, f->action, buf, count);
	if (ret >= 0 && f->action == MYSLAB_BUDDY_VALIDATE) {
		validate_last = ret;
		pr_info("region %s: validate found %d inconsistencies\n",
			myslab_region_name(region), ret);
	} else if (ret == -EBUSY && f->action == MYSLAB_BUDDY_VALIDATE) {
		pr_info("region %s: validate found no inconsistency, but the region was busy: its sums were not compared (-EBUSY)\n",
			myslab_region_name(region));
	}
	mutex_unlock(&action_mutex);
	if (ret < 0)
		return ret;
	/* Further writes on this open file are not at offset 0: refused. */
	*ppos += count;
	return count;
}

static ssize_t validate_read(struct file *file, char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	char buf[16];
	int len;

	mutex_lock(&action_mutex);
	if (validate_last < 0)
		len = scnprintf(buf, sizeof(buf), "none\n");
	else
		len = scnprintf(buf, sizeof(buf), "%d\n", validate_last);
	mutex_unlock(&action_mutex);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations action_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= action_write,
	.llseek	= default_llseek,
};

static const struct file_operations validate_fops = {
	.owner	= THIS_MODULE,
	.open	= simple_open,
	.write	= action_write,
	.read	= validate_read,
	.llseek	= default_llseek,
};

/* === Summaries === */

static int free_blocks_show(struct seq_file *m, void *v)
{
	struct myslab_region *region = myslab_main_region();
	struct myslab_buddy_stats *s;
	unsigned int k;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	myslab_buddy_stats(region, s);
	seq_puts(m, "# order blocks pages\n");
	for (k = 0; k <= s->max_order; k++)
		seq_printf(m, "%u %lu %lu\n", k, s->nr_free[k], s->nr_free[k] << k);
	kfree(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(free_blocks);

static int stats_show(struct seq_file *m, void *v)
{
	struct myslab_region *region = myslab_main_region();
	struct myslab_buddy_stats *s;
	unsigned int k;
	int i;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	myslab_buddy_stats(region, s);
	seq_printf(m, "nr_pages %lu\n", s->nr_pages);
	seq_printf(m, "free_pages %lu\n", s->free_pages);
	seq_printf(m, "pcp_pages %lu\n", s->pcp_pages);
	seq_printf(m, "alloc_pages %lu\n", s->alloc_pages);
	seq_printf(m, "high_water %lu\n", s->high_water);
	seq_printf(m, "max_order %u\n", s->max_order);
	seq_printf(m, "pcp_batch %u\n", s->pcp_batch);
	seq_printf(m, "pcp_high %u\n", s->pcp_high);
	seq_printf(m, "page_poison %u\n", !!(s->debug_flags & MYSLAB_DEBUG_POISON));
	for (i = 0; i < MYSLAB_BUDDY_NR_COUNTERS; i++)
		seq_printf(m, "%s %lu\n", myslab_buddy_counter_name(i), s->counters[i]);
	for (k = 0; k <= s->max_order; k++)
		seq_printf(m, "allocs_order%u %lu\n", k, s->allocs[k]);
	for (k = 0; k <= s->max_order; k++)
		seq_printf(m, "frees_order%u %lu\n", k, s->frees[k]);
	kfree(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* One line per region, as mm/vmstat.c's unusable_show_print(). */
static int frag_show(struct seq_file *m, bool unusable)
{
	struct myslab_region *region = myslab_main_region();
	struct myslab_buddy_stats *s;
	unsigned int k;
	char num[24];
	int index;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	myslab_buddy_stats(region, s);
	seq_printf(m, "Node %d, zone %8s ", 0, myslab_region_name(region));
	for (k = 0; k <= s->max_order; k++) {
		if (unusable)
			index = myslab_unusable_index(s->nr_free, s->max_order, k);
		else
			index = myslab_fragmentation_index(s->nr_free, s->max_order, k);
		myslab_frag_print(num, sizeof(num), index, unusable ? 0 : 2);
		seq_printf(m, "%s ", num);
	}
	seq_putc(m, '\n');
	kfree(s);
	return 0;
}

static int extfrag_unusable_show(struct seq_file *m, void *v)
{
	return frag_show(m, true);
}
DEFINE_SHOW_ATTRIBUTE(extfrag_unusable);

static int extfrag_index_show(struct seq_file *m, void *v)
{
	return frag_show(m, false);
}
DEFINE_SHOW_ATTRIBUTE(extfrag_index);

/* === page_map: a snapshot taken at open, printed one block per record === */

static void *page_map_start(struct seq_file *m, loff_t *pos)
{
	struct myslab_map *map = m->private;

	if (!*pos)
		return SEQ_START_TOKEN;
	return *pos <= map->nr_blocks ? &map->blocks[*pos - 1] : NULL;
}

static void *page_map_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return page_map_start(m, pos);
}

static void page_map_stop(struct seq_file *m, void *v)
{
}

static int page_map_show(struct seq_file *m, void *v)
{
	struct myslab_map *map = m->private;
	char line[MYSLAB_MAP_LINE_MAX];

	if (v == SEQ_START_TOKEN)
		myslab_map_header(map, line, sizeof(line));
	else
		myslab_map_line(map, (struct myslab_map_block *)v - map->blocks,
				line, sizeof(line));
	seq_puts(m, line);
	return 0;
}

static const struct seq_operations page_map_sops = {
	.start	= page_map_start,
	.next	= page_map_next,
	.stop	= page_map_stop,
	.show	= page_map_show,
};

static int page_map_open(struct inode *inode, struct file *file)
{
	struct myslab_map *map;
	int err;

	map = myslab_map_create(myslab_main_region());
	if (!map)
		return -ENOMEM;
	err = seq_open(file, &page_map_sops);
	if (err) {
		myslab_map_destroy(map);
		return err;
	}
	((struct seq_file *)file->private_data)->private = map;
	return 0;
}

static int page_map_release(struct inode *inode, struct file *file)
{
	myslab_map_destroy(((struct seq_file *)file->private_data)->private);
	return seq_release(inode, file);
}

static const struct file_operations page_map_fops = {
	.owner		= THIS_MODULE,
	.open		= page_map_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= page_map_release,
};

/* === Part init/exit === */

int myslab_debugfs_buddy_init(void)
{
	struct dentry *parent = myslab_debugfs_dir();
	int i;

	buddy_dir = debugfs_create_dir("buddy", parent);
	debugfs_create_file("free_blocks", 0444, buddy_dir, NULL, &free_blocks_fops);
	debugfs_create_file("stats", 0444, buddy_dir, NULL, &stats_fops);
	debugfs_create_file("extfrag_unusable", 0444, buddy_dir, NULL,
			    &extfrag_unusable_fops);
	debugfs_create_file("extfrag_index", 0444, buddy_dir, NULL,
			    &extfrag_index_fops);
	debugfs_create_file("page_map", 0400, buddy_dir, NULL, &page_map_fops);
	for (i = 0; i < ARRAY_SIZE(action_files); i++)
		debugfs_create_file(action_files[i].name, action_files[i].mode,
				    buddy_dir, (void *)&action_files[i],
				    action_files[i].action == MYSLAB_BUDDY_VALIDATE ?
				    &validate_fops : &action_fops);
	myslab_fail_page_alloc_debugfs_init(parent);
	return 0;
}

void myslab_debugfs_buddy_exit(void)
{
	myslab_fail_page_alloc_debugfs_exit();
	debugfs_remove_recursive(buddy_dir);
	buddy_dir = NULL;
}
