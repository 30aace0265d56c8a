/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a kthread is a pthread. kthread_create() starts the
 * thread, which waits for wake_up_process() before it calls threadfn; one
 * stopped before it was ever woken returns -EINTR without calling it, as
 * the kernel's. A kthread bound to a CPU (kthread_create_on_cpu(),
 * kthread_bind()) takes that CPU number (sim_set_cpu()) before threadfn
 * runs, so that its non-preemptible sections serialise with the other
 * threads of that CPU (sim/runtime.h). kthread_stop() sets the stop flag,
 * wakes the thread, waits for it to end and returns threadfn's result.
 */
#ifndef _SIM_LINUX_KTHREAD_H
#define _SIM_LINUX_KTHREAD_H

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

__printf(4, 5)
struct task_struct *kthread_create_on_node(int (*threadfn)(void *data),
					   void *data, int node,
					   const char namefmt[], ...);
#define kthread_create(threadfn, data, namefmt, ...)			\
	kthread_create_on_node(threadfn, data, -1, namefmt, ##__VA_ARGS__)

/* @namefmt may contain one "%u", for @cpu. */
struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data),
					  void *data, unsigned int cpu,
					  const char *namefmt);

/* Before the first wake_up_process() only. */
void kthread_bind(struct task_struct *k, unsigned int cpu);

#define kthread_run(threadfn, data, namefmt, ...) ({			\
	struct task_struct *__k =					\
		kthread_create(threadfn, data, namefmt, ##__VA_ARGS__); \
	if (!IS_ERR(__k))						\
		wake_up_process(__k);					\
	__k;								\
})

bool kthread_should_stop(void);
int kthread_stop(struct task_struct *k);

#endif /* _SIM_LINUX_KTHREAD_H */
