/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: module parameters are declared, with their ops, but
 * nothing parses a command line: they keep their defaults.
 */
#ifndef _SIM_LINUX_MODULEPARAM_H
#define _SIM_LINUX_MODULEPARAM_H

#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/types.h>

struct module;
struct kernel_param;

#define KERNEL_PARAM_OPS_FL_NOARG	(1 << 0)

struct kernel_param_ops {
	unsigned int flags;
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, const struct kernel_param *kp);
	void (*free)(void *arg);
};

struct kernel_param {
	const char *name;
	const struct kernel_param_ops *ops;
	void *arg;
};

/* Declared, and kept so that its ops count as used, as the kernel's are. */
#define module_param_cb(pname, pops, parg, perm)			\
	static const struct kernel_param __param_##pname __used = {	\
		.name = #pname, .ops = (pops), .arg = (parg) }
#define MODULE_PARM_DESC(pname, desc)	_Static_assert(1, desc)

int param_get_bool(char *buffer, const struct kernel_param *kp);

static inline void kernel_param_lock(struct module *mod)
{
}

static inline void kernel_param_unlock(struct module *mod)
{
}

#endif /* _SIM_LINUX_MODULEPARAM_H */
