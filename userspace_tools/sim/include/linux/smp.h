/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the calling thread's CPU number (see percpu.h). */
#ifndef _SIM_LINUX_SMP_H
#define _SIM_LINUX_SMP_H

#include <sim/runtime.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <linux/preempt.h>

#define smp_processor_id()	sim_cpu_checked("smp_processor_id", __FILE__, __LINE__)
#define raw_smp_processor_id()	sim_cpu()
#define get_cpu()		({ preempt_disable(); sim_cpu(); })
#define put_cpu()		preempt_enable()

/*
 * Run @func on @cpu: the calling thread takes that CPU number for the call
 * (a kernel worker bound to the CPU runs it there), which is only possible
 * where the caller could sleep. Returns @func's result, or -ENXIO.
 */
static inline int smp_call_on_cpu(unsigned int cpu, int (*func)(void *),
				  void *par, bool phys)
{
	int old = sim_self.cpu, ret;

	(void)phys;
	if (cpu >= nr_cpu_ids)
		return -ENXIO;
	sim_might_sleep(__FILE__, __LINE__);
	sim_set_cpu((int)cpu);
	ret = func(par);
	/* Back where it was, or unbound if it had no CPU yet. */
	sim_cpu_rebind(old);
	return ret;
}

#endif /* _SIM_LINUX_SMP_H */
