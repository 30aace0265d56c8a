/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Init/exit pairs of the module's parts, called in order by main.c.
 * An init returns 0 or a negative errno and leaves nothing behind on failure.
 */
#ifndef _MYSLAB_MODULE_H
#define _MYSLAB_MODULE_H

/* CPU hotplug: a dead CPU's magazines and per-CPU pages go back. */
int myslab_cpu_hotplug_init(void);
void myslab_cpu_hotplug_exit(void);

/* Buddy allocator: the main region, /proc/mybuddyinfo. */
int myslab_main_region_init(void);
void myslab_main_region_exit(void);
int myslab_buddyinfo_init(void);
void myslab_buddyinfo_exit(void);

/* Slab layer: default caches, /proc/myslabinfo, debugfs control. */
struct dentry;
int myslab_default_caches_init(void);
void myslab_default_caches_exit(void);
int myslab_slabinfo_init(void);
void myslab_slabinfo_exit(void);
int myslab_ctl_init(void);
void myslab_ctl_exit(void);

/* debugfs: the directory every debugfs part puts its files in. */
int myslab_debugfs_root_init(void);
void myslab_debugfs_root_exit(void);
struct dentry *myslab_debugfs_dir(void);

/* Slab debugging: environment, per-cache debugfs, failslab. */
int myslab_slab_debug_init(void);
void myslab_slab_debug_exit(void);

/* Buddy debugging: debugfs myslab/buddy/ and myslab/fail_page_alloc/. */
int myslab_debugfs_buddy_init(void);
void myslab_debugfs_buddy_exit(void);

#endif /* _MYSLAB_MODULE_H */
