/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: completions on a pthread mutex and condition variable,
 * with the kernel's counting: each complete() lets one wait through,
 * complete_all() every one until reinit_completion(). Waiting checks its
 * context as the kernel's does (might_sleep).
 */
#ifndef _SIM_LINUX_COMPLETION_H
#define _SIM_LINUX_COMPLETION_H

#include <pthread.h>

#include <linux/types.h>

struct completion {
	unsigned int done;
	pthread_mutex_t lock;
	pthread_cond_t wait;
};

#define COMPLETION_INITIALIZER(work) {					\
	.done = 0, .lock = PTHREAD_MUTEX_INITIALIZER,			\
	.wait = PTHREAD_COND_INITIALIZER }
#define DECLARE_COMPLETION(work) \
	struct completion work = COMPLETION_INITIALIZER(work)

void init_completion(struct completion *x);
void reinit_completion(struct completion *x);
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
/* Return: 0 on timeout, else the jiffies left (at least 1). */
unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

#endif /* _SIM_LINUX_COMPLETION_H */
