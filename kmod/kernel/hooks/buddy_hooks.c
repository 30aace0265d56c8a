// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's detectors, wired to the buddy core's debug hooks (struct
 * myslab_region_debug), and the module parameters that choose them for the
 * main region:
 *
 *   page_poison=1	fill free pages with 0xaa, check them on allocation
 *			and validation (MYSLAB_DEBUG_POISON)
 *   fail_page_alloc=<interval>,<probability>,<space>,<times>
 *			fault injection, as the kernel's boot parameter of
 *			the same name; then tuned in debugfs
 *			myslab/fail_page_alloc/ (needs CONFIG_FAULT_INJECTION)
 *   page_kmemleak=1	tell kmemleak about every block myslab_alloc_pages()
 *			hands out (needs CONFIG_DEBUG_KMEMLEAK)
 *
 * A bad value, or one the kernel lacks the support for, refuses the load
 * (params.c).
 *
 * === What a module can use, Linux 6.1 and 6.12 ===
 *
 * Fault injection: DECLARE_FAULT_ATTR, should_fail(), setup_fault_attr()
 * and fault_create_debugfs_attr() are exported (GPL) on both when the kernel
 * has CONFIG_FAULT_INJECTION (and _DEBUG_FS for the files). Debian's stock
 * kernels have neither; the debug kernels of the test VMs have both. Older
 * kernels' struct fault_attr keeps a reference on its debugfs directory in
 * ->dname, newer ones a copy of the name: see fault_attr_put_dname().
 *
 * KASAN: the module can poison and unpoison shadow memory, and does so for
 * free pages of a vmalloc()ed region, so that KASAN reports a use after free
 * of a freed myslab page as it does for the kernel's own pages. What makes
 * that possible, and its limits:
 *  - kasan_poison(addr, size, value, init) is exported on both kernels
 *    (6.1 EXPORT_SYMBOL, 6.12 EXPORT_SYMBOL_GPL) but declared only in the
 *    private mm/kasan/kasan.h: it is declared again below with the same
 *    signature (identical in 6.1 and 6.12). With generic KASAN, unpoisoning
 *    is the same call with value 0 (pointers carry no tag); kasan_unpoison()
 *    itself is not exported. KASAN_PAGE_FREE (0xff), the shadow value the
 *    kernel uses for free pages, is private too and copied below.
 *  - Only generic KASAN: with the software or hardware tag-based modes,
 *    unpoisoning needs the pointer's tag and kasan_poison() is not exported
 *    for HW_TAGS (it is an inline in mm/kasan/kasan.h).
 *  - Only memory with its own shadow: vmalloc()ed memory under
 *    CONFIG_KASAN_VMALLOC. Without it the vmalloc area shares a read-only
 *    zero shadow page, and writing it would fault. The reserved-memory
 *    provider (memremap()) is left out: its shadow has not been verified.
 *  - The hooks (__kasan_alloc_pages/__kasan_free_pages, kasan_slab_*) that
 *    also record alloc/free stacks for the report are not exported: a KASAN
 *    report on a myslab page shows the bad access and the shadow, but no
 *    "allocated by"/"freed by" stacks.
 * KFENCE has no hook for a foreign allocator at all.
 *
 * kmemleak: kmemleak_alloc() and kmemleak_free() (GPL) are exported. The
 * region's memory is untracked when it is set up (region_main.c), so blocks
 * registered inside it never overlap a tracked object. With page_kmemleak=1
 * every page-API block is registered with min_count 1: a block nobody
 * points at any more is reported as a leak, and the block's contents are
 * scanned, so objects referenced only from such a block are not reported
 * falsely. Slab blocks are never registered: the slab layer registers its
 * objects, and a registered slab block would overlap them. Off by default,
 * because a test that leaks a block on purpose (a region destroyed with
 * blocks allocated) would then fail the console checker's kmemleak scan;
 * and whoever registers large kmalloc blocks must not do so when it is on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "buddy_hooks.h"
#include "kernel/params.h"
#include "core/internal.h"

/* === Module parameters === */

static bool page_poison;
module_param_cb(page_poison, &myslab_param_ops_bool, &page_poison, 0444);
MODULE_PARM_DESC(page_poison, "Poison free pages of the main region with 0xaa and check them on allocation and validation (default off)");

/* Like myslab_param_ops_bool, and refused when kmemleak is not built in. */
static int page_kmemleak_set(const char *val, const struct kernel_param *kp)
{
	bool on = true;

	if (val && myslab_param_parse_bool(val, &on))
		return myslab_param_refuse(kp, val,
					   "expected 1, y, yes, on, true or 0, n, no, off, false");
	if (on && !IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		return myslab_param_refuse(kp, val,
					   "this kernel is built without CONFIG_DEBUG_KMEMLEAK, so no page can be tracked");
	*(bool *)kp->arg = on;
	return 0;
}

static const struct kernel_param_ops page_kmemleak_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = page_kmemleak_set,
	.get = param_get_bool,
};

static bool page_kmemleak;
module_param_cb(page_kmemleak, &page_kmemleak_ops, &page_kmemleak, 0444);
MODULE_PARM_DESC(page_kmemleak, "Register every page block of the main region with kmemleak (needs CONFIG_DEBUG_KMEMLEAK; default off)");

/* === Fault injection === */

#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(fail_page_alloc);
static struct dentry *fail_page_alloc_dir;

/**
 * myslab_fault_should_fail - should_fail() hook for struct myslab_region_debug
 * @fault_attr:	the struct fault_attr deciding (the hook's data)
 * @order:	order of the allocation
 * @gfp:	its flags (unused, as fail_page_alloc's ignore-gfp knobs are
 *		not offered)
 *
 * Return: true when this allocation must fail.
 */
bool myslab_fault_should_fail(void *fault_attr, unsigned int order, gfp_t gfp)
{
	return should_fail(fault_attr, PAGE_SIZE << order);
}
EXPORT_SYMBOL_NS_GPL(myslab_fault_should_fail, MYSLAB_NS);

/*
 * fault_create_debugfs_attr() used to keep a reference on the directory in
 * attr->dname (a struct dentry *) that nothing ever dropped; since "fault-
 * inject: fix dentry leak" (6.12.117, maybe later in other stable series)
 * dname is a copy of the name. Tell the two apart by type, not by version.
 */
static void fault_attr_put_dname(struct fault_attr *attr)
{
	struct dentry **dname = (struct dentry **)&attr->dname;

	if (__same_type(attr->dname, struct dentry *)) {
		dput(*dname);
		*dname = NULL;
	}
}

void myslab_fail_page_alloc_debugfs_init(struct dentry *parent)
{
	struct dentry *dir;

	dir = fault_create_debugfs_attr("fail_page_alloc", parent,
					&fail_page_alloc);
	if (IS_ERR(dir)) {
		pr_info("fault injection: no debugfs files (%pe); fail_page_alloc= still works\n",
			dir);
		return;
	}
	fail_page_alloc_dir = dir;
}

void myslab_fail_page_alloc_debugfs_exit(void)
{
	if (!fail_page_alloc_dir)
		return;
	debugfs_remove_recursive(fail_page_alloc_dir);
	fail_page_alloc_dir = NULL;
	fault_attr_put_dname(&fail_page_alloc);
}

static void fault_apply(const struct myslab_fault_numbers *f)
{
	myslab_fault_apply(&fail_page_alloc, f);
}

static void fault_hooks(struct myslab_region_debug *debug)
{
	debug->should_fail = myslab_fault_should_fail;
	debug->data = &fail_page_alloc;
}
#else
void myslab_fail_page_alloc_debugfs_init(struct dentry *parent)
{
}

void myslab_fail_page_alloc_debugfs_exit(void)
{
}

static void fault_apply(const struct myslab_fault_numbers *f)
{
}

static void fault_hooks(struct myslab_region_debug *debug)
{
}
#endif /* CONFIG_FAULT_INJECTION */

/* The value of fail_page_alloc=, for sysfs. */
static char fail_page_alloc_arg[64];

/*
 * "<interval>,<probability>,<space>,<times>", as the kernel's boot parameter
 * (myslab_fault_parse()). Refused, not ignored, on a kernel without fault
 * injection: whoever asks for faults must not get a run without any.
 */
static int fail_page_alloc_set(const char *val, const struct kernel_param *kp)
{
	struct myslab_fault_numbers f;

	if (!val || myslab_fault_parse(val, &f))
		return myslab_param_refuse(kp, val,
					   "expected " MYSLAB_FAULT_SYNTAX);
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION))
		return myslab_param_refuse(kp, val,
					   "this kernel is built without CONFIG_FAULT_INJECTION, so no faults can be injected");
	fault_apply(&f);
	snprintf(fail_page_alloc_arg, sizeof(fail_page_alloc_arg),
		 "%lu,%lu,%d,%d", f.interval, f.probability, f.space, f.times);
	return 0;
}

static int fail_page_alloc_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", fail_page_alloc_arg);
}

static const struct kernel_param_ops fail_page_alloc_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = fail_page_alloc_set,
	.get = fail_page_alloc_get,
};

module_param_cb(fail_page_alloc, &fail_page_alloc_ops, NULL, 0444);
MODULE_PARM_DESC(fail_page_alloc, "Fault injection for the main region: <interval>,<probability>,<space>,<times> (needs CONFIG_FAULT_INJECTION; then tuned in debugfs myslab/fail_page_alloc/)");

/* === KASAN === */

#if IS_ENABLED(CONFIG_KASAN_GENERIC) && IS_ENABLED(CONFIG_KASAN_VMALLOC)
/* mm/kasan/kasan.h: exported, but declared only in that private header. */
void kasan_poison(const void *addr, size_t size, u8 value, bool init);

/* mm/kasan/kasan.h: the shadow value of a free page. */
#define MYSLAB_KASAN_PAGE_FREE	0xff

static void kasan_shadow_poison(const void *addr, size_t size)
{
	kasan_poison(addr, size, MYSLAB_KASAN_PAGE_FREE, false);
}

static void kasan_shadow_unpoison(const void *addr, size_t size)
{
	kasan_poison(addr, size, 0, false);
}

/**
 * myslab_kasan_hooks - let KASAN watch the free pages of a region
 * @debug:	the region's debug options, to be given at creation
 *
 * Only for a region over vmalloc()ed memory (see the top of this file).
 *
 * Return: true when the hooks were set (generic KASAN with
 * CONFIG_KASAN_VMALLOC), false when this kernel cannot.
 */
bool myslab_kasan_hooks(struct myslab_region_debug *debug)
{
	debug->shadow_poison = kasan_shadow_poison;
	debug->shadow_unpoison = kasan_shadow_unpoison;
	return true;
}
#else
bool myslab_kasan_hooks(struct myslab_region_debug *debug)
{
	return false;
}
#endif
EXPORT_SYMBOL_NS_GPL(myslab_kasan_hooks, MYSLAB_NS);

/* === kmemleak === */

static void kmemleak_track_alloc(const void *addr, size_t size, gfp_t gfp)
{
	kmemleak_alloc(addr, size, 1, gfp);
}

static void kmemleak_track_free(const void *addr)
{
	kmemleak_free(addr);
}

/**
 * myslab_kmemleak_hooks - register a region's page blocks with kmemleak
 * @debug:	the region's debug options, to be given at creation
 *
 * The region's memory must be untracked by kmemleak (see the top of this
 * file).
 *
 * Return: true when the hooks were set, false without CONFIG_DEBUG_KMEMLEAK.
 */
bool myslab_kmemleak_hooks(struct myslab_region_debug *debug)
{
	if (!IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		return false;
	debug->track_alloc = kmemleak_track_alloc;
	debug->track_free = kmemleak_track_free;
	return true;
}
EXPORT_SYMBOL_NS_GPL(myslab_kmemleak_hooks, MYSLAB_NS);

/* === The main region === */

/**
 * myslab_main_region_debug - the debug options the parameters ask for
 * @debug:	filled in for myslab_region_create_debug()
 * @vmalloc_memory: the region's memory comes from vmalloc() (KASAN can
 *		watch it)
 */
void myslab_main_region_debug(struct myslab_region_debug *debug,
			      bool vmalloc_memory)
{
	memset(debug, 0, sizeof(*debug));
	if (page_poison)
		debug->flags |= MYSLAB_DEBUG_POISON;
	fault_hooks(debug);
	if (vmalloc_memory)
		myslab_kasan_hooks(debug);
	/* page_kmemleak is refused where the hooks cannot be set. */
	if (page_kmemleak)
		myslab_kmemleak_hooks(debug);
}

/**
 * myslab_main_region_debug_summary - one line saying what is on
 * @debug:	the options
 * @buf:	where the line goes
 * @size:	bytes at @buf
 *
 * Return: @buf.
 */
const char *myslab_main_region_debug_summary(const struct myslab_region_debug *debug,
					     char *buf, size_t size)
{
	snprintf(buf, size,
		 "page poisoning %s, fault injection %s, KASAN free-page shadow %s, kmemleak page tracking %s",
		 debug->flags & MYSLAB_DEBUG_POISON ? "on" : "off",
		 debug->should_fail ? "available (fail_page_alloc)" : "not built in",
		 debug->shadow_poison ? "on" : "off",
		 debug->track_alloc ? "on" : "off");
	return buf;
}
