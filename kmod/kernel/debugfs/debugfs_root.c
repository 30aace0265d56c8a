// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/myslab/: the module's debugfs directory, a part of its
 * own that comes up before every part that puts files in it (the slab
 * debugging, the control file, the buddy's files) and goes down after them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>

#include "kernel/module.h"

static struct dentry *myslab_dir;

/**
 * myslab_debugfs_dir() - the module's debugfs directory
 *
 * Return: the dentry of /sys/kernel/debug/myslab/ (an ERR_PTR when debugfs
 * is unavailable, which debugfs_create_*() accept and ignore).
 */
struct dentry *myslab_debugfs_dir(void)
{
	return myslab_dir;
}

int myslab_debugfs_root_init(void)
{
	myslab_dir = debugfs_create_dir("myslab", NULL);
	return 0;
}

void myslab_debugfs_root_exit(void)
{
	debugfs_remove_recursive(myslab_dir);
	myslab_dir = NULL;
}
