/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: page geometry (4 KiB pages, as on x86-64) and the
 * zeroing policy.
 */
#ifndef _SIM_LINUX_MM_H
#define _SIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/gfp.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

/*
 * The kernel's zeroing policy (init_on_alloc=, init_on_free=): off unless a
 * test turns it on, as on a kernel built without
 * CONFIG_INIT_ON_{ALLOC,FREE}_DEFAULT_ON and booted without the parameters.
 * The kernel reads it through static branches, a no-op when off; the
 * benchmarks, which measure the fast path, build with SIM_INIT_POLICY_OFF
 * for a constant, rather than pay a load and a test the kernel does not.
 */
extern bool sim_init_on_alloc;
extern bool sim_init_on_free;

static inline bool want_init_on_alloc(gfp_t flags)
{
#ifndef SIM_INIT_POLICY_OFF
	if (__atomic_load_n(&sim_init_on_alloc, __ATOMIC_RELAXED))
		return true;
#endif
	return flags & __GFP_ZERO;
}

static inline bool want_init_on_free(void)
{
#ifdef SIM_INIT_POLICY_OFF
	return false;
#else
	return __atomic_load_n(&sim_init_on_free, __ATOMIC_RELAXED);
#endif
}

#endif /* _SIM_LINUX_MM_H */
