/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: error numbers. The C library's <errno.h> includes
 * <linux/errno.h> too, so this defers to the real UAPI header for the
 * numbers (identical to the kernel's) and adds the kernel-internal ones.
 */
#ifndef _SIM_LINUX_ERRNO_H
#define _SIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#ifndef ENOTSUPP
#define ENOTSUPP	524
#endif

#endif /* _SIM_LINUX_ERRNO_H */
