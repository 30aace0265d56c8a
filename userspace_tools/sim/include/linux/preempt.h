/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a per-thread preemption count (see irqflags.h). */
#ifndef _SIM_LINUX_PREEMPT_H
#define _SIM_LINUX_PREEMPT_H

#include <sim/runtime.h>

#define preempt_disable()	do { sim_self.preempt_count++; } while (0)
#define preempt_enable()	do { sim_self.preempt_count--; } while (0)
#define preempt_count()		(sim_self.preempt_count)
#define preemptible()		(sim_self.preempt_count == 0 && !sim_self.irqs_disabled)
#define in_atomic()		(sim_self.preempt_count != 0)
#define in_interrupt()		0
#define in_irq()		0
#define in_task()		1

#endif /* _SIM_LINUX_PREEMPT_H */
