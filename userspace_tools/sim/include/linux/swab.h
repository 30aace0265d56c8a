/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: byte swapping; swab() works on an unsigned long. */
#ifndef _SIM_LINUX_SWAB_H
#define _SIM_LINUX_SWAB_H

#include <linux/types.h>

#define swab16(x)	__builtin_bswap16((u16)(x))
#define swab32(x)	__builtin_bswap32((u32)(x))
#define swab64(x)	__builtin_bswap64((u64)(x))
#define swab(x)		((unsigned long)__builtin_bswap64((u64)(x)))

#endif /* _SIM_LINUX_SWAB_H */
