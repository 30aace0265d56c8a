/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: every CPU number below nr_cpu_ids is possible and online. */
#ifndef _SIM_LINUX_CPUMASK_H
#define _SIM_LINUX_CPUMASK_H

#include <sim/runtime.h>

#define for_each_possible_cpu(cpu) \
	for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu)	for_each_possible_cpu(cpu)
#define for_each_present_cpu(cpu)	for_each_possible_cpu(cpu)
#define num_possible_cpus()	(nr_cpu_ids)
#define num_online_cpus()	(nr_cpu_ids)
#define cpu_possible(cpu)	((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_online(cpu)		cpu_possible(cpu)

#endif /* _SIM_LINUX_CPUMASK_H */
