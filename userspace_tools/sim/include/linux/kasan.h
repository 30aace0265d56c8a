/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: the userspace build has no KASAN (it has ASan, a tool of
 * its own, which the sim's region hooks drive: lib/debug.c), so this is the
 * kernel's header without CONFIG_KASAN: nothing to switch off.
 */
#ifndef _SIM_LINUX_KASAN_H
#define _SIM_LINUX_KASAN_H

static inline void kasan_disable_current(void)
{
}

static inline void kasan_enable_current(void)
{
}

#endif /* _SIM_LINUX_KASAN_H */
