/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: references on a task. A kthread's task_struct lives until
 * kthread_stop() has reaped the thread and every get_task_struct() is put;
 * another thread's (linux/sched.h) lives as long as the thread.
 */
#ifndef _SIM_LINUX_SCHED_TASK_H
#define _SIM_LINUX_SCHED_TASK_H

#include <linux/sched.h>

struct task_struct *get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);

#endif /* _SIM_LINUX_SCHED_TASK_H */
