/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: sort(), as lib/sort.c: not stable, O(n log n). The C
 * library's qsort() does it; a custom swap function (which the kernel's
 * sort() takes for elements that carry pointers into themselves) is not
 * supported and BUGs.
 */
#ifndef _SIM_LINUX_SORT_H
#define _SIM_LINUX_SORT_H

#include <stdlib.h>

#include <linux/bug.h>
#include <linux/types.h>

typedef int (*cmp_func_t)(const void *a, const void *b);
typedef void (*swap_func_t)(void *a, void *b, int size);

static inline void sort(void *base, size_t num, size_t size,
			cmp_func_t cmp_func, swap_func_t swap_func)
{
	BUG_ON(swap_func);
	qsort(base, num, size, cmp_func);
}

#endif /* _SIM_LINUX_SORT_H */
