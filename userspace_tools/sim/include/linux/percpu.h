/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: per-CPU data is nr_cpu_ids copies, CPU c's copy c units
 * (SIM_PERCPU_UNIT) after CPU 0's whatever the type, as the kernel's percpu
 * allocator lays out its chunks, so that this_cpu_add() on a member reaches
 * the calling CPU's copy. A thread's "CPU" is a small number assigned round
 * robin on first use (or set by sim_set_cpu()); two threads sharing a CPU
 * number never run non-preemptible sections at once (linux/preempt.h).
 * this_cpu_ptr() and smp_processor_id() WARN when called preemptible, as
 * with CONFIG_DEBUG_PREEMPT.
 */
#ifndef _SIM_LINUX_PERCPU_H
#define _SIM_LINUX_PERCPU_H

#include <sim/runtime.h>
#include <linux/types.h>
#include <linux/preempt.h>
#include <linux/smp.h>
#include <linux/cpumask.h>

#define alloc_percpu(type)	((type __percpu *)sim_alloc_percpu(sizeof(type)))
#define alloc_percpu_gfp(type, gfp) alloc_percpu(type)
#define free_percpu(ptr)	sim_free_percpu((void *)(ptr))

#define per_cpu_ptr(ptr, cpu)						\
	((typeof(ptr))((char *)(ptr) +					\
		(size_t)sim_check_cpu(cpu) * SIM_PERCPU_UNIT))
#define raw_cpu_ptr(ptr)	per_cpu_ptr(ptr, sim_cpu())
#define this_cpu_ptr(ptr)						\
	per_cpu_ptr(ptr, sim_cpu_checked("this_cpu_ptr", __FILE__, __LINE__))
#define get_cpu_ptr(ptr)	({ preempt_disable(); this_cpu_ptr(ptr); })
#define put_cpu_ptr(ptr)	do { (void)(ptr); preempt_enable(); } while (0)
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))

/*
 * this_cpu_add() and friends: one instruction on x86, which nothing on its
 * CPU can split. Inside a non-preemptible section nothing else runs on the
 * CPU, so a plain add does; outside one, a section stands for the
 * instruction (the preempt count alone for a thread alone on its CPU,
 * sim/runtime.h). The store is relaxed for readers of the other copies.
 */
#define __sim_this_cpu_add(pcp, val) do {				\
	typeof(&(pcp)) __sim_pcp = (typeof(&(pcp)))((char *)&(pcp) +	\
		(size_t)sim_self.cpu * SIM_PERCPU_UNIT);		\
									\
	__atomic_store_n(__sim_pcp, *__sim_pcp + (val), __ATOMIC_RELAXED); \
} while (0)
#define this_cpu_add(pcp, val) do {					\
	if (__builtin_expect(sim_self.preempt_count, 1)) {		\
		__sim_this_cpu_add(pcp, val);				\
	} else {							\
		preempt_disable();					\
		__sim_this_cpu_add(pcp, val);				\
		preempt_enable();					\
	}								\
} while (0)
#define this_cpu_inc(pcp)	this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)	this_cpu_add(pcp, -1)

static inline unsigned int sim_check_cpu(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids)
		sim_bug(__FILE__, __LINE__, "per-CPU index >= nr_cpu_ids");
	return cpu;
}

#endif /* _SIM_LINUX_PERCPU_H */
