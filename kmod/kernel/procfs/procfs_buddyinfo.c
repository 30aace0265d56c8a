// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/mybuddyinfo: free blocks per order of the module's region, in the
 * kernel's /proc/buddyinfo format, so buddyinfo parsers work with only a path
 * change. The region stands where the kernel prints a zone:
 *
 *	Node 0, zone   myslab      1      0      2 ...
 *
 * one "%6lu " column per order 0..max_order, like mm/vmstat.c's frag_show().
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "kernel/module.h"
#include "core/internal.h"

static int buddyinfo_show(struct seq_file *m, void *v)
{
	struct myslab_region *region = myslab_main_region();
	struct myslab_buddy_stats stats;
	unsigned int order;

	if (!region)
		return 0;
	myslab_buddy_stats(region, &stats);
	seq_printf(m, "Node %d, zone %8s ", 0, myslab_region_name(region));
	for (order = 0; order <= stats.max_order; order++)
		seq_printf(m, "%6lu ", stats.nr_free[order]);
	seq_putc(m, '\n');
	return 0;
}

int myslab_buddyinfo_init(void)
{
	if (!proc_create_single("mybuddyinfo", 0444, NULL, buddyinfo_show))
		return -ENOMEM;
	return 0;
}

void myslab_buddyinfo_exit(void)
{
	remove_proc_entry("mybuddyinfo", NULL);
}
