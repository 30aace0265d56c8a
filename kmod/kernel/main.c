// SPDX-License-Identifier: GPL-2.0
/*
 * myslab module entry: brings the parts up in dependency order and takes
 * them down in reverse. Each part owns its own init/exit pair.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "module.h"
#include "params.h"

struct myslab_part {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
};

/*
 * In dependency order: later parts use earlier ones. A refused parameter
 * value fails the load before anything is set up (params.c says why the
 * refusal cannot happen in the parameter's own callback). CPU hotplug comes
 * next and goes last, so that no region or cache lives without it. The
 * slab layer's environment is installed before the first cache exists, as
 * a region's hooks are given at its creation, so no cache ever changes its
 * hooks while it lives. A part with nothing to undo has no exit.
 */
static const struct myslab_part parts[] = {
	{ "parameters", myslab_params_check, NULL },
	{ "CPU hotplug", myslab_cpu_hotplug_init, myslab_cpu_hotplug_exit },
	{ "debugfs", myslab_debugfs_root_init, myslab_debugfs_root_exit },
	{ "slab debugging", myslab_slab_debug_init, myslab_slab_debug_exit },
	{ "main region", myslab_main_region_init, myslab_main_region_exit },
	{ "buddyinfo", myslab_buddyinfo_init, myslab_buddyinfo_exit },
	{ "default caches", myslab_default_caches_init, myslab_default_caches_exit },
	{ "slabinfo", myslab_slabinfo_init, myslab_slabinfo_exit },
	{ "ctl", myslab_ctl_init, myslab_ctl_exit },
	{ "buddy debugfs", myslab_debugfs_buddy_init, myslab_debugfs_buddy_exit },
};

static void myslab_exit_parts(int nr)
{
	while (nr-- > 0)
		if (parts[nr].exit)
			parts[nr].exit();
}

static int __init myslab_init(void)
{
	int i, err;

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		err = parts[i].init();
		if (err) {
			pr_err("%s setup failed: %d\n", parts[i].name, err);
			myslab_exit_parts(i);
			return err;
		}
	}
	pr_info("loaded\n");
	return 0;
}

static void __exit myslab_exit(void)
{
	myslab_exit_parts(ARRAY_SIZE(parts));
	pr_info("unloaded\n");
}

module_init(myslab_init);
module_exit(myslab_exit);

MODULE_DESCRIPTION("Buddy page allocator and slab caches over a private memory region");
MODULE_AUTHOR("The myslab developers");
MODULE_LICENSE("GPL");
