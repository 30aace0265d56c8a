/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: vmalloc() maps fresh pages between two inaccessible guard
 * pages, as the kernel's vmalloc area puts a guard page after each area, so
 * that running off either end of a region faults at once. The areas are
 * counted (sim_vmalloc_live()), for leak checks.
 */
#ifndef _SIM_LINUX_VMALLOC_H
#define _SIM_LINUX_VMALLOC_H

#include <linux/types.h>

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void vfree(const void *addr);
bool is_vmalloc_addr(const void *addr);
long sim_vmalloc_live(void);

#endif /* _SIM_LINUX_VMALLOC_H */
