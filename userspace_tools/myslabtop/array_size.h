/* SPDX-License-Identifier: GPL-2.0 */
#ifndef MYSLABTOP_ARRAY_SIZE_H
#define MYSLABTOP_ARRAY_SIZE_H

/* The number of elements of an array (not a pointer), as the kernel spells it. */
#define ARRAY_SIZE(array)	(sizeof(array) / sizeof((array)[0]))

#endif /* MYSLABTOP_ARRAY_SIZE_H */
