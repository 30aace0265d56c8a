/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MYSLABTOP_VERSION_H
#define MYSLABTOP_VERSION_H

/* The Makefile passes the package version (userspace_tools/dkms/dkms.conf). */
#ifndef MYSLABTOP_VERSION
#define MYSLABTOP_VERSION "unknown"
#endif

#endif /* MYSLABTOP_VERSION_H */
