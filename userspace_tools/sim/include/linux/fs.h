/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the file-operation types a module's debugfs and procfs
 * files are made of (linux/debugfs.h: none is ever created here, so none of
 * these is ever called).
 */
#ifndef _SIM_LINUX_FS_H
#define _SIM_LINUX_FS_H

#include <linux/err.h>
#include <linux/export.h>
#include <linux/types.h>

typedef unsigned short umode_t;
/* loff_t: the C library's (<sys/types.h>), 64 bits as the kernel's. */

struct module;

struct inode {
	void *i_private;
};

struct file {
	void *private_data;
	loff_t f_pos;
};

struct file_operations {
	struct module *owner;
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read)(struct file *file, char __user *buf, size_t count,
			loff_t *ppos);
	ssize_t (*write)(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
};

static inline int simple_open(struct inode *inode, struct file *file)
{
	file->private_data = inode->i_private;
	return 0;
}

static inline int nonseekable_open(struct inode *inode, struct file *file)
{
	return 0;
}

static inline loff_t default_llseek(struct file *file, loff_t offset, int whence)
{
	return -EINVAL;
}

#define no_llseek	NULL

static inline ssize_t simple_read_from_buffer(void __user *to, size_t count,
					      loff_t *ppos, const void *from,
					      size_t available)
{
	return -EINVAL;
}

static inline ssize_t simple_write_to_buffer(void *to, size_t available,
					     loff_t *ppos,
					     const void __user *from,
					     size_t count)
{
	return -EINVAL;
}

#endif /* _SIM_LINUX_FS_H */
