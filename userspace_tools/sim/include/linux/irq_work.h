/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: irq_work. There are no interrupts to defer the work to,
 * so irq_work_queue() runs it at once, in the queuing thread, on its CPU:
 * what a self-IPI does on a CPU with interrupts on, arriving right after
 * the queuing instruction, inside whatever section the thread is in.
 * Without PREEMPT_RT the handler runs as a hard interrupt (in_hardirq(),
 * interrupts off, preemption off); with it, as the CPU's irq_work thread,
 * which preempts the queuing task there: task context, interrupts on.
 * Queuing with interrupts off, where the work would wait for them to come
 * back on, is not supported: it WARNs and the work does not run.
 */
#ifndef _SIM_LINUX_IRQ_WORK_H
#define _SIM_LINUX_IRQ_WORK_H

#include <linux/types.h>

struct irq_work {
	void (*func)(struct irq_work *work);
	int busy;			/* queued or running */
};

#define IRQ_WORK_INIT(_func)	{ .func = (_func) }
#define DEFINE_IRQ_WORK(name, _f) struct irq_work name = IRQ_WORK_INIT(_f)

static inline void init_irq_work(struct irq_work *work,
				 void (*func)(struct irq_work *))
{
	*work = (struct irq_work)IRQ_WORK_INIT(func);
}

/* Return: false when the work was pending already. */
bool irq_work_queue(struct irq_work *work);
/* The work is done when irq_work_queue() returns: nothing to wait for. */
void irq_work_sync(struct irq_work *work);

#endif /* _SIM_LINUX_IRQ_WORK_H */
