/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: one address space, so user copies are plain copies. */
#ifndef _SIM_LINUX_UACCESS_H
#define _SIM_LINUX_UACCESS_H

#include <string.h>

#include <linux/compiler.h>

static inline unsigned long copy_from_user(void *to, const void __user *from,
					   unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

static inline unsigned long copy_to_user(void __user *to, const void *from,
					 unsigned long n)
{
	memcpy(to, from, n);
	return 0;
}

#endif /* _SIM_LINUX_UACCESS_H */
