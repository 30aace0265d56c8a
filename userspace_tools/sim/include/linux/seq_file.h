/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: seq_file's types and calls, for module glue whose files
 * are never created here (linux/debugfs.h): printing does nothing, opening
 * fails.
 */
#ifndef _SIM_LINUX_SEQ_FILE_H
#define _SIM_LINUX_SEQ_FILE_H

#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/types.h>

struct seq_file {
	void *private;
};

struct seq_operations {
	void *(*start)(struct seq_file *m, loff_t *pos);
	void (*stop)(struct seq_file *m, void *v);
	void *(*next)(struct seq_file *m, void *v, loff_t *pos);
	int (*show)(struct seq_file *m, void *v);
};

#define SEQ_START_TOKEN		((void *)1)

static inline __printf(2, 3) void seq_printf(struct seq_file *m,
					     const char *fmt, ...)
{
}

static inline void seq_puts(struct seq_file *m, const char *s)
{
}

static inline void seq_putc(struct seq_file *m, char c)
{
}

static inline int seq_open(struct file *file, const struct seq_operations *op)
{
	return -ENODEV;
}

static inline int seq_release(struct inode *inode, struct file *file)
{
	return 0;
}

static inline ssize_t seq_read(struct file *file, char __user *buf,
			       size_t size, loff_t *ppos)
{
	return -EINVAL;
}

static inline loff_t seq_lseek(struct file *file, loff_t offset, int whence)
{
	return -EINVAL;
}

static inline int single_open(struct file *file,
			      int (*show)(struct seq_file *, void *),
			      void *data)
{
	return -ENODEV;
}

static inline int single_release(struct inode *inode, struct file *file)
{
	return 0;
}

#define DEFINE_SHOW_ATTRIBUTE(__name)					\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {		\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}

#endif /* _SIM_LINUX_SEQ_FILE_H */
