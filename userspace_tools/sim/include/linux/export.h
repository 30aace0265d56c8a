/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: exports are plain declarations (they need a ';' after). */
#ifndef _SIM_LINUX_EXPORT_H
#define _SIM_LINUX_EXPORT_H

struct module;

/* As in the kernel's export.h; there are no modules: NULL. */
#define THIS_MODULE		((struct module *)0)

#define EXPORT_SYMBOL(sym)	extern typeof(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern typeof(sym) sym
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	extern typeof(sym) sym

#endif /* _SIM_LINUX_EXPORT_H */
