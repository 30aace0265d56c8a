/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the calling thread's CPU number (see percpu.h). */
#ifndef _SIM_LINUX_SMP_H
#define _SIM_LINUX_SMP_H

#include <sim/runtime.h>
#include <linux/preempt.h>

#define smp_processor_id()	sim_cpu_checked("smp_processor_id", __FILE__, __LINE__)
#define raw_smp_processor_id()	sim_cpu()
#define get_cpu()		({ preempt_disable(); sim_cpu(); })
#define put_cpu()		preempt_enable()

#endif /* _SIM_LINUX_SMP_H */
