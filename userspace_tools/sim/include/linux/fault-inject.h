/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: fault injection as lib/fault-inject.c decides it, for a
 * build with CONFIG_FAULT_INJECTION (the KUnit build defines it, see the
 * Makefile): probability, interval, space and times, checked in the
 * kernel's order, a failure logged when verbose. The task filter and the
 * stack filter are not offered (a task's make_it_fail is never set), nor
 * the debugfs files (there is no debugfs: fault_create_debugfs_attr() fails
 * as without CONFIG_FAULT_INJECTION_DEBUG_FS).
 */
#ifndef _SIM_LINUX_FAULT_INJECT_H
#define _SIM_LINUX_FAULT_INJECT_H

#ifdef CONFIG_FAULT_INJECTION

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/ratelimit.h>
#include <linux/types.h>

struct fault_attr {
	unsigned long probability;
	unsigned long interval;
	atomic_t times;
	atomic_t space;
	unsigned long verbose;
	bool task_filter;
	unsigned long stacktrace_depth;
	unsigned long require_start;
	unsigned long require_end;
	unsigned long reject_start;
	unsigned long reject_end;

	unsigned long count;
	struct ratelimit_state ratelimit_state;
	struct dentry *dname;
};

enum fault_flags {
	FAULT_NOWARN =	1 << 0,
};

#define FAULT_ATTR_INITIALIZER {					\
		.interval = 1,						\
		.times = ATOMIC_INIT(1),				\
		.require_end = ULONG_MAX,				\
		.stacktrace_depth = 32,					\
		.ratelimit_state = RATELIMIT_STATE_INIT(ratelimit_state, 0, 0), \
		.verbose = 2,						\
		.dname = NULL,						\
	}

#define DECLARE_FAULT_ATTR(name) struct fault_attr name = FAULT_ATTR_INITIALIZER

bool should_fail_ex(struct fault_attr *attr, ssize_t size, int flags);
bool should_fail(struct fault_attr *attr, ssize_t size);

static inline struct dentry *fault_create_debugfs_attr(const char *name,
						       struct dentry *parent,
						       struct fault_attr *attr)
{
	return ERR_PTR(-ENODEV);
}

#endif /* CONFIG_FAULT_INJECTION */

#endif /* _SIM_LINUX_FAULT_INJECT_H */
