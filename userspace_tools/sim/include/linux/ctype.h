/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the C library's character classes (ASCII, as the kernel's). */
#ifndef _SIM_LINUX_CTYPE_H
#define _SIM_LINUX_CTYPE_H

#include <ctype.h>

#endif /* _SIM_LINUX_CTYPE_H */
