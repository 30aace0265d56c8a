/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: there are no modules. The module information macros
 * expand to checked no-ops (a static assertion, so that the ';' after them
 * stays legal), THIS_MODULE is NULL.
 */
#ifndef _SIM_LINUX_MODULE_H
#define _SIM_LINUX_MODULE_H

#include <linux/export.h>
#include <linux/moduleparam.h>

#define KBUILD_MODFILE		KBUILD_MODNAME

#define MODULE_LICENSE(l)	_Static_assert(1, l)
#define MODULE_AUTHOR(a)	_Static_assert(1, a)
#define MODULE_DESCRIPTION(d)	_Static_assert(1, d)
#define MODULE_VERSION(v)	_Static_assert(1, v)
#define MODULE_IMPORT_NS(ns)	_Static_assert(1, #ns)

#endif /* _SIM_LINUX_MODULE_H */
