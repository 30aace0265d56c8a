/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: min/max/clamp, each argument evaluated once. */
#ifndef _SIM_LINUX_MINMAX_H
#define _SIM_LINUX_MINMAX_H

#define __sim_cmp(op, x, y) ({			\
	typeof(x) __x = (x);			\
	typeof(y) __y = (y);			\
	__x op __y ? __x : __y; })

#define min(x, y)		__sim_cmp(<, x, y)
#define max(x, y)		__sim_cmp(>, x, y)
#define min3(x, y, z)		min(min(x, y), z)
#define max3(x, y, z)		max(max(x, y), z)
#define min_t(type, x, y)	__sim_cmp(<, (type)(x), (type)(y))
#define max_t(type, x, y)	__sim_cmp(>, (type)(x), (type)(y))
#define clamp(val, lo, hi)	min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi)	clamp_t(typeof(val), val, lo, hi)
#define swap(a, b) \
	do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _SIM_LINUX_MINMAX_H */
