// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/myslabinfo: the caches in the kernel's /proc/slabinfo 2.1 format.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "module.h"

static int slabinfo_show(struct seq_file *m, void *v)
{
	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	return 0;
}

int myslab_slabinfo_init(void)
{
	if (!proc_create_single("myslabinfo", 0400, NULL, slabinfo_show))
		return -ENOMEM;
	return 0;
}

void myslab_slabinfo_exit(void)
{
	remove_proc_entry("myslabinfo", NULL);
}
