/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: integer log2 helpers. */
#ifndef _SIM_LINUX_LOG2_H
#define _SIM_LINUX_LOG2_H

#include <linux/types.h>
#include <linux/bitops.h>

static inline __attribute__((const)) bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

static inline int __ilog2_u64(u64 n)
{
	return 63 - __builtin_clzll(n);
}

/* Floor of log2; undefined for 0, as in the kernel (returns -1 here). */
#define ilog2(n)	((n) ? __ilog2_u64((u64)(n)) : -1)

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (__ilog2_u64(n - 1) + 1);
}

static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << __ilog2_u64(n);
}

/* Ceiling of log2; order_base_2(0) and (1) are 0. */
#define order_base_2(n)	((n) > 1 ? ilog2((n) - 1) + 1 : 0)

#endif /* _SIM_LINUX_LOG2_H */
