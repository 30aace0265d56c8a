/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the kernel's header without CONFIG_STACKTRACE. */
#ifndef _SIM_LINUX_STACKTRACE_H
#define _SIM_LINUX_STACKTRACE_H

static inline unsigned int stack_trace_save(unsigned long *store,
					    unsigned int size,
					    unsigned int skipnr)
{
	return 0;
}

static inline void stack_trace_print(const unsigned long *trace,
				     unsigned int nr_entries, int spaces)
{
}

#endif /* _SIM_LINUX_STACKTRACE_H */
