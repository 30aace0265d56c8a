/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: CPUs never come or go, so the CPU hotplug lock only checks
 * its context (it sleeps) and counts its holds per thread, for
 * lockdep_assert_cpus_held().
 */
#ifndef _SIM_LINUX_CPU_H
#define _SIM_LINUX_CPU_H

#include <sim/runtime.h>
#include <linux/bug.h>
#include <linux/kernel.h>

extern __thread int sim_cpus_read_held;

#define cpus_read_lock() do {						\
	might_sleep();							\
	sim_cpus_read_held++;						\
} while (0)
#define cpus_read_unlock()	do { sim_cpus_read_held--; } while (0)

#if SIM_CHECKS
#define lockdep_assert_cpus_held()					\
	WARN(sim_cpus_read_held <= 0, "CPU hotplug lock not held")
#else
#define lockdep_assert_cpus_held()	do { } while (0)
#endif

#endif /* _SIM_LINUX_CPU_H */
