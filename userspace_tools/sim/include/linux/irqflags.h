/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: there are no interrupts, but each thread keeps an
 * "interrupts disabled" flag with the kernel's save/restore semantics, so
 * might_sleep() and this_cpu_ptr() can check their context as
 * CONFIG_DEBUG_ATOMIC_SLEEP and CONFIG_DEBUG_PREEMPT do.
 */
#ifndef _SIM_LINUX_IRQFLAGS_H
#define _SIM_LINUX_IRQFLAGS_H

#include <sim/runtime.h>

#define local_irq_save(flags) do {					\
	(flags) = (unsigned long)sim_self.irqs_disabled;		\
	sim_self.irqs_disabled = 1;					\
} while (0)
#define local_irq_restore(flags) do {					\
	sim_self.irqs_disabled = (int)(flags);				\
} while (0)
#define local_irq_disable()	do { sim_self.irqs_disabled = 1; } while (0)
#define local_irq_enable()	do { sim_self.irqs_disabled = 0; } while (0)
#define irqs_disabled()		(sim_self.irqs_disabled != 0)
#define raw_local_irq_save(flags)	local_irq_save(flags)
#define raw_local_irq_restore(flags)	local_irq_restore(flags)

#endif /* _SIM_LINUX_IRQFLAGS_H */
