/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: WARN_ON* print a "WARNING:" line and are counted (tests
 * fail on any they did not expect) but do not stop the program; BUG_ON
 * aborts.
 */
#ifndef _SIM_LINUX_BUG_H
#define _SIM_LINUX_BUG_H

#include <sim/runtime.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>

#define WARN(cond, fmt, ...) ({						\
	int __ret_warn = !!(cond);					\
	if (unlikely(__ret_warn))					\
		sim_warn(__FILE__, __LINE__, #cond, fmt, ##__VA_ARGS__); \
	unlikely(__ret_warn);						\
})

#define WARN_ON(cond)		WARN(cond, "%s", "")
/* Counted every time (tests must see each one); printed every time too. */
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN_ONCE(cond, fmt, ...) WARN(cond, fmt, ##__VA_ARGS__)

#define BUG()			sim_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		sim_bug(__FILE__, __LINE__, #cond);			\
} while (0)

#endif /* _SIM_LINUX_BUG_H */
