/* SPDX-License-Identifier: GPL-2.0 */
/* The per-cache directories /sys/kernel/debug/myslab/caches/<name>/. */
#ifndef _MYSLAB_DEBUGFS_CACHE_H
#define _MYSLAB_DEBUGFS_CACHE_H

struct dentry;
struct myslab_cache;

void myslab_debugfs_caches_init(struct dentry *parent);
void myslab_debugfs_caches_exit(void);
void myslab_debugfs_cache_add(struct myslab_cache *cache);
void myslab_debugfs_cache_del(struct myslab_cache *cache);

#endif /* _MYSLAB_DEBUGFS_CACHE_H */
