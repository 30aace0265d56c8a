/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: cpu_relax() lets the other threads run. */
#ifndef _SIM_LINUX_PROCESSOR_H
#define _SIM_LINUX_PROCESSOR_H

#include <sched.h>

#define cpu_relax()	((void)sched_yield())

#endif /* _SIM_LINUX_PROCESSOR_H */
