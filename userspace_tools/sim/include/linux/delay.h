/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: delays. The sleeping ones check their context as the
 * kernel's do (might_sleep); udelay() and ndelay() may be called anywhere.
 * All of them give the processor away rather than spin: the machine runs
 * more threads than it has processors.
 */
#ifndef _SIM_LINUX_DELAY_H
#define _SIM_LINUX_DELAY_H

#include <time.h>

#include <linux/kernel.h>

static inline void sim_delay_ns(unsigned long ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000UL,
			       .tv_nsec = ns % 1000000000UL };

	while (nanosleep(&ts, &ts))
		;
}

#define ndelay(ns)		sim_delay_ns(ns)
#define udelay(us)		sim_delay_ns((unsigned long)(us) * 1000UL)
#define mdelay(ms)		sim_delay_ns((unsigned long)(ms) * 1000000UL)

static inline void msleep(unsigned int ms)
{
	might_sleep();
	sim_delay_ns((unsigned long)ms * 1000000UL);
}

static inline void usleep_range(unsigned long min, unsigned long max)
{
	(void)max;
	might_sleep();
	sim_delay_ns(min * 1000UL);
}

static inline void fsleep(unsigned long us)
{
	usleep_range(us, us);
}

#endif /* _SIM_LINUX_DELAY_H */
