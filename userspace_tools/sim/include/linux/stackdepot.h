/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the kernel's header without CONFIG_STACKDEPOT. */
#ifndef _SIM_LINUX_STACKDEPOT_H
#define _SIM_LINUX_STACKDEPOT_H

#include <linux/types.h>

typedef u32 depot_stack_handle_t;

static inline int stack_depot_init(void)
{
	return 0;
}

static inline depot_stack_handle_t stack_depot_save(unsigned long *entries,
						    unsigned int nr_entries,
						    gfp_t gfp)
{
	return 0;
}

static inline void stack_depot_print(depot_stack_handle_t handle)
{
}

static inline unsigned int stack_depot_fetch(depot_stack_handle_t handle,
					     unsigned long **entries)
{
	*entries = NULL;
	return 0;
}

#endif /* _SIM_LINUX_STACKDEPOT_H */
