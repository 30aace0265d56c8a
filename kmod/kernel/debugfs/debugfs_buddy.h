/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The actions of /sys/kernel/debug/myslab/buddy/ (debugfs_buddy.c), parsed
 * and run apart from the file so that myslab's KUnit suites can drive them.
 */
#ifndef _MYSLAB_DEBUGFS_BUDDY_H
#define _MYSLAB_DEBUGFS_BUDDY_H

#include <linux/types.h>

struct myslab_region;

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

#endif /* _MYSLAB_DEBUGFS_BUDDY_H */
