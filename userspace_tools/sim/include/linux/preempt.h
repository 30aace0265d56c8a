/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a per-thread preemption count (see irqflags.h). A CPU runs
 * one non-preemptible section at a time, as in the kernel: the outermost
 * preempt_disable() enters the calling thread's CPU and the matching
 * preempt_enable() leaves it (sim/runtime.h), so that threads sharing a
 * CPU number are serialised as tasks of one CPU are, while a thread alone
 * on its CPU pays for the count only. This is what makes a CPU lock that
 * only disables preemption (kmod/core/cpu_lock.h) correct here.
 * The only interrupts are irq_work handlers, which irq_work_queue() runs at
 * once in the queuing thread (linux/irq_work.h): in_hardirq() is true while
 * one runs. There are no NMIs.
 */
#ifndef _SIM_LINUX_PREEMPT_H
#define _SIM_LINUX_PREEMPT_H

#include <sim/runtime.h>

#define preempt_disable()	sim_preempt_disable()
#define preempt_enable()	sim_preempt_enable()
#define preempt_count()		(sim_self.preempt_count)
#define preemptible()		(sim_self.preempt_count == 0 && !sim_self.irqs_disabled)
#define in_atomic()		(sim_self.preempt_count != 0)
#define in_interrupt()		(sim_self.hardirq != 0)
#define in_irq()		(sim_self.hardirq != 0)
#define in_hardirq()		(sim_self.hardirq != 0)
#define in_nmi()		0
#define in_task()		(sim_self.hardirq == 0)

/*
 * A thread never changes CPU by itself (only smp_call_on_cpu() moves it):
 * migrate_disable() only counts, so that this_cpu_ptr() accepts it as the
 * kernel's CONFIG_DEBUG_PREEMPT does.
 */
#define migrate_disable()	do { sim_self.migrate_disabled++; } while (0)
#define migrate_enable()	do { sim_self.migrate_disabled--; } while (0)

#endif /* _SIM_LINUX_PREEMPT_H */
