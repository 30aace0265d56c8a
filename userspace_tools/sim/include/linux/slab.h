/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: kmalloc and friends for metadata. Allocations are
 * cache-line aligned (as kmalloc of sizes >= 64 is in practice), honour
 * might_sleep for blocking flags, and can be made to fail on purpose
 * (sim_fail_kmalloc() in <sim/sim.h>) to test the error paths.
 */
#ifndef _SIM_LINUX_SLAB_H
#define _SIM_LINUX_SLAB_H

#include <sim/runtime.h>
#include <linux/types.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/overflow.h>

#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

static inline void *sim_kmalloc_gfp(size_t size, gfp_t gfp, bool zero)
{
	might_sleep_if(gfpflags_allow_blocking(gfp));
	return sim_kmalloc(size, zero || (gfp & __GFP_ZERO));
}

#define kmalloc(size, gfp)	sim_kmalloc_gfp(size, gfp, false)
#define kzalloc(size, gfp)	sim_kmalloc_gfp(size, gfp, true)
#define kvmalloc(size, gfp)	kmalloc(size, gfp)
#define kvzalloc(size, gfp)	kzalloc(size, gfp)
#define kmalloc_array(n, size, gfp) \
	(size_mul(n, size) == SIZE_MAX ? NULL : kmalloc(size_mul(n, size), gfp))
#define kcalloc(n, size, gfp) \
	(size_mul(n, size) == SIZE_MAX ? NULL : kzalloc(size_mul(n, size), gfp))
#define kvcalloc(n, size, gfp)	kcalloc(n, size, gfp)
#define kvmalloc_array(n, size, gfp) kmalloc_array(n, size, gfp)
#define kfree(ptr)		sim_kfree(ptr)
#define kvfree(ptr)		sim_kfree(ptr)
#define kfree_sensitive(ptr)	sim_kfree(ptr)

#endif /* _SIM_LINUX_SLAB_H */
