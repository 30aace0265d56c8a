/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: rate limits as lib/ratelimit.c: at most @burst passes per
 * @interval jiffies, the ones refused counted and said ("callbacks
 * suppressed") when the next interval begins.
 */
#ifndef _SIM_LINUX_RATELIMIT_H
#define _SIM_LINUX_RATELIMIT_H

#include <pthread.h>

#include <linux/jiffies.h>
#include <linux/types.h>

#define DEFAULT_RATELIMIT_INTERVAL	(5 * HZ)
#define DEFAULT_RATELIMIT_BURST		10

struct ratelimit_state {
	pthread_mutex_t lock;
	int interval;
	int burst;
	int printed;
	int missed;
	unsigned long begin;
};

#define RATELIMIT_STATE_INIT(name, interval_init, burst_init) {	\
	.lock = PTHREAD_MUTEX_INITIALIZER,				\
	.interval = interval_init,					\
	.burst = burst_init,						\
}
#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init)	\
	struct ratelimit_state name =					\
		RATELIMIT_STATE_INIT(name, interval_init, burst_init)

int ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(state)	___ratelimit(state, __func__)

#endif /* _SIM_LINUX_RATELIMIT_H */
