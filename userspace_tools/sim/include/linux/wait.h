/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: wait queues. A waiter checks its condition under the
 * queue's mutex and sleeps on its condition variable; wake_up() takes the
 * mutex and broadcasts, so a waker that changed the condition before
 * calling it cannot be missed. The sleep is also cut into short slices, so
 * that a condition changed without any wake_up() is seen soon too.
 */
#ifndef _SIM_LINUX_WAIT_H
#define _SIM_LINUX_WAIT_H

#include <pthread.h>

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/types.h>

typedef struct wait_queue_head {
	pthread_mutex_t lock;
	pthread_cond_t cond;
} wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(wait_queue_head_t *wq_head);
void wake_up(wait_queue_head_t *wq_head);
#define wake_up_all(wq_head)		wake_up(wq_head)
#define wake_up_interruptible(wq_head)	wake_up(wq_head)

/* For the macros below: the queue's mutex, and one slice of sleep. */
void sim_wait_lock(wait_queue_head_t *wq_head);
void sim_wait_unlock(wait_queue_head_t *wq_head);
void sim_wait_sleep(wait_queue_head_t *wq_head, unsigned long deadline);

/* Return: 0 when @condition is still false after @timeout jiffies, else
 * the jiffies left, at least 1. */
#define wait_event_timeout(wq_head, condition, timeout) ({		\
	unsigned long __deadline = jiffies + (timeout);			\
	long __ret;							\
									\
	might_sleep();							\
	sim_wait_lock(&(wq_head));					\
	for (;;) {							\
		if (condition) {					\
			__ret = (long)(__deadline - jiffies);		\
			__ret = __ret > 0 ? __ret : 1;			\
			break;						\
		}							\
		if (time_after_eq(jiffies, __deadline)) {		\
			__ret = 0;					\
			break;						\
		}							\
		sim_wait_sleep(&(wq_head), __deadline);			\
	}								\
	sim_wait_unlock(&(wq_head));					\
	__ret;								\
})

#define wait_event(wq_head, condition)					\
	do {								\
		while (!wait_event_timeout(wq_head, condition,		\
					   MAX_JIFFY_OFFSET))		\
			;						\
	} while (0)

#define wait_event_interruptible(wq_head, condition)			\
	({ wait_event(wq_head, condition); 0; })

#endif /* _SIM_LINUX_WAIT_H */
