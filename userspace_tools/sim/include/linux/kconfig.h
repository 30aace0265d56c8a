/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: IS_ENABLED() and friends, as include/linux/kconfig.h
 * (which the kernel's build includes in every file; here linux/compiler.h
 * does). An option is on when the build defines it (-DCONFIG_FOO), as
 * -DCONFIG_PREEMPT_RT for the rt variant; there are no modules.
 */
#ifndef _SIM_LINUX_KCONFIG_H
#define _SIM_LINUX_KCONFIG_H

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val

#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)

#define IS_BUILTIN(option)	__is_defined(option)
#define IS_MODULE(option)	0
#define IS_REACHABLE(option)	__is_defined(option)
#define IS_ENABLED(option)	__is_defined(option)

#endif /* _SIM_LINUX_KCONFIG_H */
