/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: page geometry only (4 KiB pages, as on x86-64). */
#ifndef _SIM_LINUX_MM_H
#define _SIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/gfp.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

#endif /* _SIM_LINUX_MM_H */
