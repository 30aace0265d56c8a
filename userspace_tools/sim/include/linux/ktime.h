/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: ktime_t in nanoseconds of the monotonic clock. */
#ifndef _SIM_LINUX_KTIME_H
#define _SIM_LINUX_KTIME_H

#include <time.h>

#include <linux/jiffies.h>
#include <linux/types.h>

#define MSEC_PER_SEC	1000L
#define USEC_PER_MSEC	1000L
#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L
#define USEC_PER_SEC	1000000L
#define NSEC_PER_SEC	1000000000L

typedef s64 ktime_t;

static inline u64 ktime_get_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static inline ktime_t ktime_get(void)
{
	return (ktime_t)ktime_get_ns();
}

#define ktime_get_mono_fast_ns()	ktime_get_ns()
#define ktime_sub(a, b)		((a) - (b))
#define ktime_add_ns(t, ns)	((t) + (ns))
#define ktime_to_ns(t)		((s64)(t))
#define ktime_to_us(t)		((s64)(t) / NSEC_PER_USEC)
#define ktime_to_ms(t)		((s64)(t) / NSEC_PER_MSEC)
#define ktime_before(a, b)	((a) < (b))
#define ktime_after(a, b)	((a) > (b))

#endif /* _SIM_LINUX_KTIME_H */
