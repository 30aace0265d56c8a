/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel-side hooks a region's struct myslab_region_debug can point at
 * (buddy_hooks.c). Exported for myslab's KUnit suites.
 */
#ifndef _MYSLAB_BUDDY_HOOKS_H
#define _MYSLAB_BUDDY_HOOKS_H

#include <linux/types.h>

#include <myslab/buddy.h>

struct dentry;

void myslab_main_region_debug(struct myslab_region_debug *debug,
			      bool vmalloc_memory);
const char *myslab_main_region_debug_summary(const struct myslab_region_debug *debug,
					     char *buf, size_t size);
bool myslab_kasan_hooks(struct myslab_region_debug *debug);
bool myslab_kmemleak_hooks(struct myslab_region_debug *debug);
bool myslab_fault_should_fail(void *fault_attr, unsigned int order, gfp_t gfp);
void myslab_fail_page_alloc_debugfs_init(struct dentry *parent);
void myslab_fail_page_alloc_debugfs_exit(void);

#endif /* _MYSLAB_BUDDY_HOOKS_H */
