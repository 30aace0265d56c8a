// SPDX-License-Identifier: GPL-2.0
/*
 * myslab cache registry: the list of live caches that /proc/myslabinfo walks
 * and that the tunable writer and the debugfs control file search by name,
 * plus the graveyard of caches destroyed with objects still allocated (kept
 * as the owners of their leaked slabs until the module unloads).
 *
 * One mutex protects both lists; where it stands in the lock order:
 * kmod/DESIGN.md.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "slab_internal.h"

static DEFINE_MUTEX(myslab_registry_mutex);
static LIST_HEAD(myslab_caches);	/* live caches, in creation order */
static LIST_HEAD(myslab_graveyard);	/* destroyed caches with leaked slabs */

/*
 * A cache name is one /proc/myslabinfo column that procps reads with "%128s":
 * 1..MYSLAB_CACHE_NAME_LEN-1 printable ASCII characters, no spaces.
 */
int myslab_cache_name_check(const char *name)
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strnlen(name, MYSLAB_CACHE_NAME_LEN);
	if (!len || len == MYSLAB_CACHE_NAME_LEN)
		return -EINVAL;
	for (; *name; name++)
		if (*name <= ' ' || *name >= 0x7f)
			return -EINVAL;
	return 0;
}

void myslab_registry_lock(void)
{
	mutex_lock(&myslab_registry_mutex);
}

void myslab_registry_unlock(void)
{
	mutex_unlock(&myslab_registry_mutex);
}

/* The live caches; walk them with the registry lock held. */
struct list_head *myslab_registry_list(void)
{
	return &myslab_caches;
}

static struct myslab_cache *myslab_cache_find_locked(const char *name)
{
	struct myslab_cache *cache;

	lockdep_assert_held(&myslab_registry_mutex);
	list_for_each_entry(cache, &myslab_caches, registry)
		if (!strcmp(cache->name, name))
			return cache;
	return NULL;
}

/**
 * myslab_cache_find() - look a live cache up by name
 * @name: the name
 *
 * Context: the registry lock must be held (myslab_registry_lock()); the cache
 * stays live until it is released.
 * Return: the cache, or NULL.
 */
struct myslab_cache *myslab_cache_find(const char *name)
{
	return myslab_cache_find_locked(name);
}

/**
 * myslab_cache_registered() - whether a cache is live
 * @cache: a pointer to a cache, live or destroyed
 *
 * Context: the registry lock must be held.
 * Return: true when @cache is on the registry.
 */
bool myslab_cache_registered(const struct myslab_cache *cache)
{
	const struct myslab_cache *c;

	lockdep_assert_held(&myslab_registry_mutex);
	list_for_each_entry(c, &myslab_caches, registry)
		if (c == cache)
			return true;
	return false;
}

/*
 * With the registry lock held, so that the caller can settle what must not
 * change between its check and the cache going live (the environment, which
 * myslab_slab_set_ops() installs only while the registry is empty).
 */
int myslab_registry_add(struct myslab_cache *cache)
{
	lockdep_assert_held(&myslab_registry_mutex);
	if (myslab_cache_find_locked(cache->name))
		return -EEXIST;
	list_add_tail(&cache->registry, &myslab_caches);
	return 0;
}

void myslab_registry_del(struct myslab_cache *cache)
{
	mutex_lock(&myslab_registry_mutex);
	list_del_init(&cache->registry);
	mutex_unlock(&myslab_registry_mutex);
}

/* Keep a destroyed cache that still owns leaked slabs. */
void myslab_registry_bury(struct myslab_cache *cache)
{
	mutex_lock(&myslab_registry_mutex);
	WRITE_ONCE(cache->dead, true);
	list_add_tail(&cache->registry, &myslab_graveyard);
	mutex_unlock(&myslab_registry_mutex);
}

/**
 * myslab_caches_reap() - free the descriptors of destroyed caches
 *
 * For module unload, once nothing can free into those caches any more: the
 * leaked slabs themselves stay with their regions. Also reports caches still
 * live (created by someone who never destroyed them); those are left alone.
 *
 * Context: may sleep.
 * Return: the number of descriptors freed.
 */
unsigned long myslab_caches_reap(void)
{
	struct myslab_cache *cache, *next;
	unsigned long n = 0;

	mutex_lock(&myslab_registry_mutex);
	list_for_each_entry_safe(cache, next, &myslab_graveyard, registry) {
		list_del(&cache->registry);
		mutex_destroy(&cache->tune_mutex);
		kfree(cache);
		n++;
	}
	list_for_each_entry(cache, &myslab_caches, registry)
		pr_err("cache %s was never destroyed\n", cache->name);
	mutex_unlock(&myslab_registry_mutex);
	return n;
}
