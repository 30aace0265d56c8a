/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: compile-time assertions. */
#ifndef _SIM_LINUX_BUILD_BUG_H
#define _SIM_LINUX_BUILD_BUG_H

#include <linux/compiler.h>

/* 0 when @e is false; a compile error (negative bit-field) when true. */
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON(cond)	do { _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")"); } while (0)
#define BUILD_BUG_ON_MSG(cond, msg) do { _Static_assert(!(cond), msg); } while (0)

#ifndef static_assert
#define static_assert(expr, ...)	__sim_static_assert(expr, ##__VA_ARGS__, #expr)
#define __sim_static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif

#endif /* _SIM_LINUX_BUILD_BUG_H */
