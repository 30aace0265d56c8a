/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: every CPU number below nr_cpu_ids is possible and online. */
#ifndef _SIM_LINUX_CPUMASK_H
#define _SIM_LINUX_CPUMASK_H

#include <sim/runtime.h>
#include <linux/types.h>

#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)
#define for_each_present_cpu(cpu)	for_each_possible_cpu(cpu)
#define num_possible_cpus()	(nr_cpu_ids)
#define num_online_cpus()	(nr_cpu_ids)
#define cpu_possible(cpu)	((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_online(cpu)		cpu_possible(cpu)

/* The masks carry nothing: every CPU below nr_cpu_ids is in every one. */
struct cpumask {
	char unused;
};

extern const struct cpumask sim_cpu_all_mask;
#define cpu_possible_mask	(&sim_cpu_all_mask)
#define cpu_online_mask		(&sim_cpu_all_mask)
#define cpu_present_mask	(&sim_cpu_all_mask)

static inline unsigned int cpumask_first(const struct cpumask *mask)
{
	(void)mask;
	return 0;
}

/* The next CPU after @n (-1 for the first), or nr_cpu_ids. */
static inline unsigned int cpumask_next(int n, const struct cpumask *mask)
{
	(void)mask;
	return n + 1 < (int)nr_cpu_ids ? (unsigned int)(n + 1) : nr_cpu_ids;
}

static inline bool cpumask_test_cpu(int cpu, const struct cpumask *mask)
{
	(void)mask;
	return cpu_possible(cpu);
}

static inline unsigned int cpumask_weight(const struct cpumask *mask)
{
	(void)mask;
	return nr_cpu_ids;
}

#endif /* _SIM_LINUX_CPUMASK_H */
