/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: tasks are threads. Each thread has a struct task_struct,
 * current: a kthread's is made by kthread_create() (linux/kthread.h), any
 * other thread's (main, a KUnit case's) lives in its thread-local storage.
 * A task sleeps in schedule() until wake_up_process() makes it runnable,
 * with the kernel's set_current_state() protocol, so that a wakeup between
 * setting the state and sleeping is not lost. The rest of the scheduler is
 * the host's. lib/sched.c has the code.
 */
#ifndef _SIM_LINUX_SCHED_H
#define _SIM_LINUX_SCHED_H

#include <pthread.h>
#include <sched.h>
#include <sys/types.h>

#include <linux/kernel.h>
#include <linux/processor.h>
#include <linux/types.h>

#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | 0x0400)
#define TASK_COMM_LEN		16
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX

struct kunit;

/**
 * struct task_struct - what the shims know of a task
 * @pid:	the thread's id (gettid())
 * @comm:	its name
 * @kunit_test:	the KUnit test this task runs, as with CONFIG_KUNIT: set by
 *		the KUnit runner on a case's thread only, not on the kthreads
 *		a case starts
 * @make_it_fail: fault injection's task filter (linux/fault-inject.h)
 *
 * The rest is private to lib/sched.c.
 */
struct task_struct {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct kunit *kunit_test;
	unsigned int make_it_fail;	/* fault injection's task filter: never set */

	/* private: */
	long __state;			/* TASK_*, under @lock */
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* @__state became TASK_RUNNING */
	bool kthread;			/* made by kthread_create() */
	int refcount;			/* kthreads: get/put_task_struct() */
	pthread_t thread;
	int (*threadfn)(void *data);
	void *data;
	int cpu;			/* kthread_bind(), or -1 */
	bool started;			/* woken the first time */
	bool should_stop;		/* kthread_stop() */
	int result;			/* threadfn's */
};

struct task_struct *sim_current(void);
#define current			sim_current()

/* The state goes with a full barrier, as set_current_state()'s smp_store_mb(). */
void sim_set_current_state(long state);
#define set_current_state(state)	sim_set_current_state(state)
#define __set_current_state(state)	sim_set_current_state(state)

/* Sleep unless current is TASK_RUNNING; wake_up_process() ends the sleep. */
void schedule(void);
long schedule_timeout(long timeout);
int wake_up_process(struct task_struct *tsk);

static inline void yield(void)
{
	sched_yield();
}

static inline pid_t task_pid_nr(struct task_struct *tsk)
{
	return tsk->pid;
}

#endif /* _SIM_LINUX_SCHED_H */
