/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module glue of the buddy allocator's debugging: the kernel-side hooks a
 * region's struct myslab_region_debug can point at (buddy_hooks.c) and the
 * debugfs actions (debugfs_buddy.c). Exported for myslab's KUnit suites.
 */
#ifndef _MYSLAB_BUDDY_DEBUG_H
#define _MYSLAB_BUDDY_DEBUG_H

#include <linux/types.h>

#include <myslab/buddy.h>

struct dentry;

/* === Hooks (buddy_hooks.c) === */

void myslab_main_region_debug(struct myslab_region_debug *debug,
			      bool vmalloc_memory);
const char *myslab_main_region_debug_summary(const struct myslab_region_debug *debug,
					     char *buf, size_t size);
bool myslab_kasan_hooks(struct myslab_region_debug *debug);
bool myslab_kmemleak_hooks(struct myslab_region_debug *debug);
bool myslab_fault_should_fail(void *fault_attr, unsigned int order, gfp_t gfp);
void myslab_fail_page_alloc_debugfs_init(struct dentry *parent);
void myslab_fail_page_alloc_debugfs_exit(void);

/* === debugfs actions (debugfs_buddy.c) === */

/**
 * enum myslab_buddy_action - the write-only triggers under debugfs buddy/
 * @MYSLAB_BUDDY_VALIDATE:	run myslab_region_check()
 * @MYSLAB_BUDDY_RESET_COUNTERS: run myslab_buddy_reset_counters()
 * @MYSLAB_BUDDY_DRAIN_PCP:	run myslab_drain_pcp()
 * @MYSLAB_BUDDY_NR_ACTIONS:	number of actions
 */
enum myslab_buddy_action {
	MYSLAB_BUDDY_VALIDATE,
	MYSLAB_BUDDY_RESET_COUNTERS,
	MYSLAB_BUDDY_DRAIN_PCP,
	MYSLAB_BUDDY_NR_ACTIONS
};

/* The longest write an action file reads: "1\n". */
#define MYSLAB_BUDDY_ACTION_MAX	2

int myslab_buddy_action_parse(const char *buf, size_t count);
int myslab_buddy_action_run(struct myslab_region *region,
			    enum myslab_buddy_action action,
			    const char *buf, size_t count);

#endif /* _MYSLAB_BUDDY_DEBUG_H */
