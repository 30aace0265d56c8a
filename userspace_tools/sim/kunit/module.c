// SPDX-License-Identifier: GPL-2.0
/*
 * What myslab.ko gives myslab_kunit.ko, for the binary of myslab's KUnit
 * suites on the host.
 *
 * In the kernel the suites run with myslab.ko loaded: they call into its
 * glue (the debugfs actions, the KASAN, kmemleak and fault injection hooks,
 * failslab's attributes) and the slab layer reports through the ops that
 * the module installed (slab_hooks.c, which also counts reports for the
 * KUnit case that asks). Those glue files are compiled here unmodified
 * (the Makefile's KUNIT_GLUE: kmod/kernel/params.c, hooks/buddy_hooks.c,
 * hooks/slab_hooks.c, debugfs/debugfs_buddy.c), against the sim's shims of
 * a kernel with KUnit and fault injection (CONFIG_KUNIT,
 * CONFIG_FAULT_INJECTION) and without debugfs, KASAN, kmemleak or the
 * stack depot, so each of them answers as on such a kernel.
 *
 * The rest of the module, which those files call but no suite reaches, is
 * left out and stood in for below: the main region (the suites make their
 * own regions), the default caches, procfs, CPU hotplug and the debugfs
 * tree (the shim has no debugfs: every file fails to appear).
 */
#include <stdio.h>
#include <stdlib.h>

#include <myslab/buddy.h>

#include "kernel/debugfs/debugfs_cache.h"
#include "kernel/module.h"
#include "kernel/params.h"
#include "core/slab/slab_internal.h"
#include "kunit.h"

/* No debugfs: myslab/ is not there, nor anything under it. */
struct dentry *myslab_debugfs_dir(void)
{
	return NULL;
}

void myslab_debugfs_caches_init(struct dentry *parent)
{
}

void myslab_debugfs_caches_exit(void)
{
}

void myslab_debugfs_cache_add(struct myslab_cache *cache)
{
}

void myslab_debugfs_cache_del(struct myslab_cache *cache)
{
}

/* No main region: only the debugfs files use it, and they never appear. */
struct myslab_region *myslab_main_region(void)
{
	return NULL;
}

/*
 * The parts of the module's init (main.c) that the suites depend on, in
 * its order: the parameters (none is given, so each keeps its default),
 * then the slab layer's environment.
 */
void sim_kunit_module_init(void)
{
	if (myslab_params_check() || myslab_slab_debug_init()) {
		fprintf(stderr, "kunit: the module's init failed\n");
		exit(2);
	}
}

/*
 * What the module's exit does that the leak checkers would otherwise see:
 * the descriptors of caches destroyed with live objects, which the core
 * keeps as the owners of their slabs until then (caches_default.c).
 */
void sim_kunit_module_exit(void)
{
	myslab_caches_reap();
}
