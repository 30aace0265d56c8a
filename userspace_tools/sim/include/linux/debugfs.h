/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: there is no debugfs. This is the kernel's header without
 * CONFIG_DEBUG_FS: every file and directory fails to appear (ERR_PTR
 * -ENODEV), removing them does nothing. The module glue that the KUnit
 * build compiles keeps its file operations, never called.
 */
#ifndef _SIM_LINUX_DEBUGFS_H
#define _SIM_LINUX_DEBUGFS_H

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/types.h>

struct dentry;

static inline struct dentry *debugfs_create_dir(const char *name,
						struct dentry *parent)
{
	return ERR_PTR(-ENODEV);
}

static inline struct dentry *debugfs_create_file(const char *name, umode_t mode,
						 struct dentry *parent, void *data,
						 const struct file_operations *fops)
{
	return ERR_PTR(-ENODEV);
}

static inline void debugfs_create_u32(const char *name, umode_t mode,
				      struct dentry *parent, u32 *value)
{
}

static inline void debugfs_create_bool(const char *name, umode_t mode,
				       struct dentry *parent, bool *value)
{
}

static inline void debugfs_remove_recursive(struct dentry *dentry)
{
}

#define debugfs_remove(dentry)	debugfs_remove_recursive(dentry)

static inline void dput(struct dentry *dentry)
{
}

#endif /* _SIM_LINUX_DEBUGFS_H */
