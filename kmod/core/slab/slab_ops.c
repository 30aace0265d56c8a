// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: the environment, the seam to the kernel's facilities.
 *
 * What only the kernel has (kmemleak, KASAN, fault injection, a clock, pids,
 * stacks, KUnit's report counting, debugfs) reaches the slab layer through
 * one table, struct myslab_slab_ops, which the module fills in and installs
 * (kmod/kernel/hooks/slab_hooks.c); without it the core still works. Here
 * are the pointer to it, its setter, and each cache's hooks word, the one
 * word the fast paths test to leave the plain path (MYSLAB_HOOK_*).
 *
 * The bottom of the slab layer: every slab file reads the pointer, the slab
 * lists included (a new slab's KASAN shadow, a slab given back), so it lives
 * below them all. This file calls only the cache registry, to make sure no
 * cache exists yet when the environment is installed.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/list.h>
#include <linux/mutex.h>

#include "slab_internal.h"

const struct myslab_slab_ops *myslab_slab_ops;

/* The hooks a cache starts with: its options, and the detectors'. */
unsigned int myslab_cache_hooks_for(struct myslab_cache *cache)
{
	const struct myslab_slab_ops *ops = READ_ONCE(myslab_slab_ops);
	unsigned int hooks = 0;

	if (cache->debug)
		hooks |= MYSLAB_HOOK_DEBUG;
	if (cache->flags & MYSLAB_FAILSLAB)
		hooks |= MYSLAB_HOOK_FAILSLAB;
	if (ops)
		hooks |= ops->cache_hooks(cache) &
			 (MYSLAB_HOOK_KMEMLEAK | MYSLAB_HOOK_KASAN);
	return hooks;
}

/**
 * myslab_slab_set_ops() - install the environment of the slab layer
 * @ops: the hooks, all set, valid until the core is gone
 *
 * Once, before the first cache is created (the module does it at load,
 * before its own caches), so that a cache's hooks are fixed at its creation
 * and never change while objects may be in flight, as a region's debug
 * hooks are given at its creation.
 *
 * Context: may sleep.
 * Return: 0; -EBUSY when a cache exists already (nothing changed).
 */
int myslab_slab_set_ops(const struct myslab_slab_ops *ops)
{
	int err = 0;

	myslab_registry_lock();
	if (!list_empty(myslab_registry_list())) {
		pr_err("slab environment refused: caches exist already\n");
		err = -EBUSY;
	} else {
		WRITE_ONCE(myslab_slab_ops, ops);
	}
	myslab_registry_unlock();
	return err;
}

/**
 * myslab_cache_set_failslab() - make a cache a target of fault injection
 * @cache: the cache
 * @on: whether its allocations may be failed on purpose
 *
 * The failures themselves are decided by the environment's should_fail
 * (the failslab fault attributes in the module).
 *
 * Context: may sleep.
 */
void myslab_cache_set_failslab(struct myslab_cache *cache, bool on)
{
	unsigned int hooks;

	mutex_lock(&cache->tune_mutex);
	hooks = cache->hooks & ~MYSLAB_HOOK_FAILSLAB;
	WRITE_ONCE(cache->hooks, hooks | (on ? MYSLAB_HOOK_FAILSLAB : 0));
	mutex_unlock(&cache->tune_mutex);
}
EXPORT_SYMBOL_NS_GPL(myslab_cache_set_failslab, MYSLAB_NS);
