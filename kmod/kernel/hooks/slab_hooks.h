/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module glue of the slab layer's debugging: the kernel-side environment
 * (slab_hooks.c).
 */
#ifndef _MYSLAB_SLAB_HOOKS_H
#define _MYSLAB_SLAB_HOOKS_H

#include <linux/types.h>

struct fault_attr;

struct fault_attr *myslab_failslab_attr(void);

#ifdef CONFIG_KASAN_GENERIC
/*
 * Exported by mm/kasan/shadow.c on 6.1 and 6.12 but declared only in the
 * private mm/kasan/kasan.h; the signature is the same on both.
 */
void kasan_poison(const void *addr, size_t size, u8 value, bool init);
#endif

#endif /* _MYSLAB_SLAB_HOOKS_H */
