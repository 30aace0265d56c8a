/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Init/exit pairs of the module's parts, called in order by main.c.
 * An init returns 0 or a negative errno and leaves nothing behind on failure.
 */
#ifndef _MYSLAB_MODULE_H
#define _MYSLAB_MODULE_H

int myslab_slabinfo_init(void);
void myslab_slabinfo_exit(void);

#endif /* _MYSLAB_MODULE_H */
