// SPDX-License-Identifier: GPL-2.0
/*
 * Tasks, kthreads, completions, wait queues and jiffies for the userspace
 * build (linux/sched.h, linux/kthread.h, linux/completion.h, linux/wait.h,
 * linux/jiffies.h): a task is a thread, and sleeping is waiting on a
 * pthread condition variable. These are host primitives, outside the sim's
 * CPUs: a task sleeping here is in no non-preemptible section (the kernel's
 * might_sleep() checks, which the shims keep, make sure of that).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/wait.h>
#include <sim/runtime.h>

const struct cpumask sim_cpu_all_mask;

/* === Time === */

/* The kernel's INITIAL_JIFFIES: 5 minutes before the count wraps. */
#define SIM_INITIAL_JIFFIES	((unsigned long)(unsigned int)(-300 * HZ))

unsigned long sim_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return SIM_INITIAL_JIFFIES + (unsigned long)ts.tv_sec * HZ +
	       ts.tv_nsec / (1000000000L / HZ);
}

/*
 * Wait on @cond for at most @ms milliseconds. Every condition variable here
 * uses the default clock, CLOCK_REALTIME, as the static initializers
 * (COMPLETION_INITIALIZER, DECLARE_WAIT_QUEUE_HEAD) give it: callers wait
 * in short slices and look at jiffies in between, so that a step of the
 * wall clock costs at most a slice.
 */
static void cond_wait_ms(pthread_cond_t *cond, pthread_mutex_t *lock,
			 unsigned long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(cond, lock, &ts);
}

/* A slice of a wait until @deadline: at most @max ms, 0 when it passed. */
static unsigned long slice_ms(unsigned long deadline, unsigned long max)
{
	long left = (long)(deadline - jiffies);

	if (left <= 0)
		return 0;
	return (unsigned long)left < max ? (unsigned long)left : max;
}

/* === Tasks === */

/*
 * A thread that kthread_create() did not make has its task here, set up
 * on first use; a kthread's is allocated, and @self points at it.
 */
static __thread struct task_struct self_task;
static __thread struct task_struct *self;

static void task_init(struct task_struct *t)
{
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	t->__state = TASK_RUNNING;
	t->cpu = -1;
}

struct task_struct *sim_current(void)
{
	if (__builtin_expect(!self, 0)) {
		task_init(&self_task);
		self_task.pid = (pid_t)syscall(SYS_gettid);
		snprintf(self_task.comm, sizeof(self_task.comm), "sim-%d",
			 self_task.pid);
		self = &self_task;
	}
	return self;
}

void sim_set_current_state(long state)
{
	struct task_struct *t = current;

	pthread_mutex_lock(&t->lock);
	t->__state = state;
	pthread_mutex_unlock(&t->lock);
}

void schedule(void)
{
	struct task_struct *t = current;

	might_sleep();
	pthread_mutex_lock(&t->lock);
	while (t->__state != TASK_RUNNING)
		pthread_cond_wait(&t->wake, &t->lock);
	pthread_mutex_unlock(&t->lock);
	sched_yield();
}

long schedule_timeout(long timeout)
{
	struct task_struct *t = current;
	unsigned long deadline = jiffies + timeout;
	long left;

	might_sleep();
	pthread_mutex_lock(&t->lock);
	while (t->__state != TASK_RUNNING && time_before(jiffies, deadline))
		cond_wait_ms(&t->wake, &t->lock, slice_ms(deadline, 100));
	t->__state = TASK_RUNNING;
	pthread_mutex_unlock(&t->lock);
	left = (long)(deadline - jiffies);
	return left > 0 ? left : 0;
}

int wake_up_process(struct task_struct *t)
{
	int woken;

	pthread_mutex_lock(&t->lock);
	woken = t->__state != TASK_RUNNING || !t->started;
	t->__state = TASK_RUNNING;
	t->started = true;
	pthread_cond_broadcast(&t->wake);
	pthread_mutex_unlock(&t->lock);
	return woken;
}

struct task_struct *get_task_struct(struct task_struct *t)
{
	if (t->kthread)
		__atomic_fetch_add(&t->refcount, 1, __ATOMIC_RELAXED);
	return t;
}

void put_task_struct(struct task_struct *t)
{
	if (!t->kthread ||
	    __atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	free(t);
}

/* === kthreads === */

static void *kthread_main(void *arg)
{
	struct task_struct *t = arg;

	self = t;
	t->pid = (pid_t)syscall(SYS_gettid);
	/* Created sleeping: the first wake_up_process() starts it. */
	pthread_mutex_lock(&t->lock);
	while (!t->started)
		pthread_cond_wait(&t->wake, &t->lock);
	pthread_mutex_unlock(&t->lock);
	if (__atomic_load_n(&t->should_stop, __ATOMIC_ACQUIRE)) {
		t->result = -EINTR;	/* stopped before it ever ran */
		return NULL;
	}
	if (t->cpu >= 0)
		sim_set_cpu(t->cpu);
	t->result = t->threadfn(t->data);
	/* Its CPU is left at thread exit (lib/runtime.c). */
	return NULL;
}

static struct task_struct *kthread_new(int (*threadfn)(void *data), void *data,
				       const char *name)
{
	struct task_struct *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return ERR_PTR(-ENOMEM);
	task_init(t);
	snprintf(t->comm, sizeof(t->comm), "%s", name);
	t->kthread = true;
	t->refcount = 1;	/* the thread's own, dropped by kthread_stop() */
	t->threadfn = threadfn;
	t->data = data;
	t->__state = TASK_UNINTERRUPTIBLE;
	err = pthread_create(&t->thread, NULL, kthread_main, t);
	if (err) {
		free(t);
		return ERR_PTR(-err);
	}
	return t;
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data),
					   void *data, int node,
					   const char namefmt[], ...)
{
	char name[TASK_COMM_LEN];
	va_list args;

	va_start(args, namefmt);
	vsnprintf(name, sizeof(name), namefmt, args);
	va_end(args);
	might_sleep();
	return kthread_new(threadfn, data, name);
}

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data),
					  void *data, unsigned int cpu,
					  const char *namefmt)
{
	struct task_struct *t;
	char name[TASK_COMM_LEN];

	/* namefmt has at most one "%u": the CPU's number. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(name, sizeof(name), namefmt, cpu);
#pragma GCC diagnostic pop
	might_sleep();
	if (cpu >= nr_cpu_ids)
		return ERR_PTR(-EINVAL);
	t = kthread_new(threadfn, data, name);
	if (!IS_ERR(t))
		t->cpu = cpu;
	return t;
}

void kthread_bind(struct task_struct *t, unsigned int cpu)
{
	pthread_mutex_lock(&t->lock);
	WARN_ON(t->started || cpu >= nr_cpu_ids);
	t->cpu = cpu < nr_cpu_ids ? (int)cpu : -1;
	pthread_mutex_unlock(&t->lock);
}

bool kthread_should_stop(void)
{
	struct task_struct *t = current;

	return t->kthread && __atomic_load_n(&t->should_stop, __ATOMIC_ACQUIRE);
}

int kthread_stop(struct task_struct *t)
{
	int ret;

	might_sleep();
	if (WARN_ON(!t->kthread))
		return -EINVAL;
	__atomic_store_n(&t->should_stop, true, __ATOMIC_RELEASE);
	wake_up_process(t);
	pthread_join(t->thread, NULL);
	ret = t->result;
	put_task_struct(t);
	return ret;
}

/* === Completions === */

void init_completion(struct completion *x)
{
	x->done = 0;
	pthread_mutex_init(&x->lock, NULL);
	pthread_cond_init(&x->wait, NULL);
}

void reinit_completion(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	x->done = 0;
	pthread_mutex_unlock(&x->lock);
}

void complete(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	if (x->done != UINT_MAX)
		x->done++;
	pthread_cond_broadcast(&x->wait);
	pthread_mutex_unlock(&x->lock);
}

void complete_all(struct completion *x)
{
	pthread_mutex_lock(&x->lock);
	x->done = UINT_MAX;
	pthread_cond_broadcast(&x->wait);
	pthread_mutex_unlock(&x->lock);
}

unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout)
{
	unsigned long deadline = jiffies + timeout;
	unsigned long left;

	might_sleep();
	pthread_mutex_lock(&x->lock);
	while (!x->done && time_before(jiffies, deadline))
		cond_wait_ms(&x->wait, &x->lock, slice_ms(deadline, 100));
	if (!x->done) {
		pthread_mutex_unlock(&x->lock);
		return 0;
	}
	if (x->done != UINT_MAX)
		x->done--;
	pthread_mutex_unlock(&x->lock);
	left = deadline - jiffies;
	return (long)left > 0 ? left : 1;
}

void wait_for_completion(struct completion *x)
{
	might_sleep();
	pthread_mutex_lock(&x->lock);
	while (!x->done)
		pthread_cond_wait(&x->wait, &x->lock);
	if (x->done != UINT_MAX)
		x->done--;
	pthread_mutex_unlock(&x->lock);
}

bool try_wait_for_completion(struct completion *x)
{
	bool ret;

	pthread_mutex_lock(&x->lock);
	ret = x->done;
	if (ret && x->done != UINT_MAX)
		x->done--;
	pthread_mutex_unlock(&x->lock);
	return ret;
}

bool completion_done(struct completion *x)
{
	bool ret;

	pthread_mutex_lock(&x->lock);
	ret = x->done;
	pthread_mutex_unlock(&x->lock);
	return ret;
}

/* === Wait queues === */

void init_waitqueue_head(wait_queue_head_t *wq)
{
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->cond, NULL);
}

void wake_up(wait_queue_head_t *wq)
{
	pthread_mutex_lock(&wq->lock);
	pthread_cond_broadcast(&wq->cond);
	pthread_mutex_unlock(&wq->lock);
}

void sim_wait_lock(wait_queue_head_t *wq)
{
	pthread_mutex_lock(&wq->lock);
}

void sim_wait_unlock(wait_queue_head_t *wq)
{
	pthread_mutex_unlock(&wq->lock);
}

/* Up to @deadline, in slices of at most 10 ms (see linux/wait.h). */
void sim_wait_sleep(wait_queue_head_t *wq, unsigned long deadline)
{
	unsigned long ms = slice_ms(deadline, 10);

	if (ms)
		cond_wait_ms(&wq->cond, &wq->lock, ms);
}
