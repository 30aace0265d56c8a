/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: jiffies from the monotonic clock, HZ 1000. As in the
 * kernel, the count starts 5 minutes before it wraps (INITIAL_JIFFIES), so
 * that a comparison without time_before() goes wrong early.
 */
#ifndef _SIM_LINUX_JIFFIES_H
#define _SIM_LINUX_JIFFIES_H

#include <linux/types.h>

#define HZ			1000
#define MAX_JIFFY_OFFSET	((LONG_MAX >> 1) - 1)

unsigned long sim_jiffies(void);
#define jiffies			sim_jiffies()

#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_in_range(a, b, c)	(time_after_eq(a, b) && time_before_eq(a, c))
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)

static inline unsigned int jiffies_to_msecs(const unsigned long j)
{
	return (unsigned int)j;		/* HZ 1000 */
}

static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	return m;
}

static inline unsigned long usecs_to_jiffies(const unsigned int u)
{
	return (u + 999) / 1000;
}

#endif /* _SIM_LINUX_JIFFIES_H */
