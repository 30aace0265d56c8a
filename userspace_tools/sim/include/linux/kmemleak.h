/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the kernel's header without CONFIG_DEBUG_KMEMLEAK
 * (LeakSanitizer and valgrind find the leaks here).
 */
#ifndef _SIM_LINUX_KMEMLEAK_H
#define _SIM_LINUX_KMEMLEAK_H

#include <linux/types.h>

static inline void kmemleak_alloc(const void *ptr, size_t size, int min_count,
				  gfp_t gfp)
{
}

static inline void kmemleak_free(const void *ptr)
{
}

static inline void kmemleak_not_leak(const void *ptr)
{
}

static inline void kmemleak_ignore(const void *ptr)
{
}

#endif /* _SIM_LINUX_KMEMLEAK_H */
