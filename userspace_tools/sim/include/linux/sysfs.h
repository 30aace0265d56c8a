/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: sysfs_emit() into a page-sized buffer. */
#ifndef _SIM_LINUX_SYSFS_H
#define _SIM_LINUX_SYSFS_H

#include <stdarg.h>
#include <stdio.h>

#include <linux/compiler.h>

static inline __printf(2, 3) int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list args;
	int len;

	va_start(args, fmt);
	len = vsnprintf(buf, 4096, fmt, args);
	va_end(args);
	return len < 4096 ? len : 4095;
}

#endif /* _SIM_LINUX_SYSFS_H */
