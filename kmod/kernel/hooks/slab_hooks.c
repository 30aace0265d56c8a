// SPDX-License-Identifier: GPL-2.0
/*
 * The slab layer's environment in the kernel (struct myslab_slab_ops): owner
 * records, reports, the kernel's detectors and fault injection, and the
 * module parameters that choose debug options at load:
 *
 *   myslab_debug=<options>[,<cache>...][;<options>,<cache>...]
 *		debug options per cache, as slub_debug= (myslab_debug_parse()
 *		in slab_debug_options.c has the syntax): F sanity checks,
 *		Z red zones, P poison, U owner records, A failslab target; e.g.
 *		myslab_debug=FZPU or myslab_debug=FZ,task_struct;P,kmalloc-*
 *   failslab=<interval>,<probability>,<space>,<times>
 *		fault injection for the caches with A (or with their debugfs
 *		failslab switch on), as the kernel's failslab= boot parameter;
 *		then tuned in debugfs myslab/failslab/ (needs
 *		CONFIG_FAULT_INJECTION)
 *
 * Both are checked strictly: a bad value, or failslab= on a kernel without
 * fault injection, fails the load with a message saying why (params.c).
 *
 * === What a module can use, Linux 6.1 and 6.12 ===
 *
 * kmemleak: kmemleak_alloc() and kmemleak_free() (GPL) are exported. Every
 * object handed out is registered with min_count 1 and its usable size, and
 * unregistered when it is freed (before any allocation can reach it again,
 * so two registrations never overlap). The region's memory itself is
 * untracked by its provider (region_main.c; the KUnit regions likewise), so
 * objects never overlap a tracked block. Slab headers, free objects and
 * magazines hold no reference kmemleak needs: headers and free objects are
 * never registered (the region is not scanned), magazines are per-CPU
 * memory kmemleak scans but never reports, and they only point at free
 * objects. Objects referenced only from myslab_alloc_pages() blocks are
 * reported falsely unless the buddy side registers those blocks
 * (page_kmemleak=1). A cache destroyed with live objects reports them itself
 * and unregisters them (they stay allocated).
 *
 * KASAN: kasan_poison(addr, size, value, init) is exported on both (6.1
 * EXPORT_SYMBOL, 6.12 EXPORT_SYMBOL_GPL) but declared only in the private
 * mm/kasan/kasan.h, so it is declared again below (same signature on both);
 * with generic KASAN, value 0 unpoisons, and a partial last granule is the
 * same call with the count of accessible bytes. kasan_unpoison() and the
 * slab hooks (kasan_slab_alloc/free, which also keep alloc/free stacks for
 * the report) are not exported. So, for a cache whose region is vmalloc()ed
 * memory under CONFIG_KASAN_VMALLOC with generic KASAN:
 *  - a new slab's slots are poisoned as red zone (0xfc) and each object's
 *    usable bytes as a freed slab object (0xfb);
 *  - an object handed out is unpoisoned for its usable size (to the byte),
 *    a freed one poisoned again, before anybody can allocate it;
 *  - the allocator's own reads and writes of free objects (free-list links,
 *    poison, red zones, owner records) run inside kasan_disable_current();
 *  - a slab going back to the buddy allocator is unpoisoned whole.
 * A use after free or an overflow through a myslab object is then a KASAN
 * report ("slab-use-after-free"/"slab-out-of-bounds" by the shadow value),
 * without KASAN's "allocated by"/"freed by" stacks (U records them). Not
 * possible: tag-based KASAN (pointers need their tag, which only the private
 * helpers set), memory without its own shadow (the vmalloc area without
 * CONFIG_KASAN_VMALLOC shares a read-only zero shadow page), and KFENCE
 * (no hook for a foreign allocator).
 *
 * Fault injection: DECLARE_FAULT_ATTR, should_fail(),
 * fault_create_debugfs_attr() (GPL) with CONFIG_FAULT_INJECTION(_DEBUG_FS);
 * 6.1's struct fault_attr keeps a reference on its debugfs directory (->dname,
 * a dentry), 6.12 a copy of its name.
 *
 * Owner records: jiffies, current->pid, stack_trace_save() and
 * stack_depot_save()/stack_depot_print() (GPL, CONFIG_STACKDEPOT; the depot
 * is initialised with stack_depot_init() when a cache with U appears).
 *
 * Reports: a KUnit test that adds a named resource "myslab_errors" (an int)
 * gets every report counted there, as lib/slub_kunit.c does with
 * "slab_errors"; other reports are rate-limited, 50 per 5 seconds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>
#include <linux/jiffies.h>
#include <linux/kasan.h>
#include <linux/kernel.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>

#if IS_ENABLED(CONFIG_KUNIT)
#include <kunit/resource.h>
#endif

#include "kernel/module.h"
#include "kernel/params.h"
#include "slab_hooks.h"
#include "kernel/debugfs/debugfs_cache.h"
#include "core/slab/slab_internal.h"

/* === myslab_debug= === */

static char myslab_debug_value[MYSLAB_DEBUG_SPEC_LEN];

#define MYSLAB_DEBUG_SYNTAX \
	"<FZPUA or ->[,<cache>[,<prefix>*]...][;...], as slub_debug"

static int myslab_debug_param_set(const char *val,
				  const struct kernel_param *kp)
{
	/*
	 * Static, so that no allocation can fail the load with an errno the
	 * kernel would report with the raw value; set callbacks run one at a
	 * time, under kernel_param_lock().
	 */
	static struct myslab_debug_spec spec;
	const char *why;

	if (!val)
		return myslab_param_refuse(kp, val, "expected " MYSLAB_DEBUG_SYNTAX);
	if (myslab_debug_parse(val, &spec, &why))
		return myslab_param_refuse(kp, val, "%s; syntax: " MYSLAB_DEBUG_SYNTAX,
					   why);
	myslab_debug_set_spec(&spec);
	myslab_debug_spec_string(&spec, myslab_debug_value,
				 sizeof(myslab_debug_value));
	return 0;
}

static int myslab_debug_param_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", myslab_debug_value);
}

static const struct kernel_param_ops myslab_debug_param_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = myslab_debug_param_set,
	.get = myslab_debug_param_get,
};

module_param_cb(myslab_debug, &myslab_debug_param_ops, NULL, 0444);
MODULE_PARM_DESC(myslab_debug, "Debug options of caches, as slub_debug: <FZPUA or ->[,<cache>[,<prefix>*]...][;...], e.g. FZPU or FZ,task_struct;P,kmalloc-* (default none)");

/* === Fault injection (failslab) === */

#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(myslab_failslab);
static struct dentry *myslab_failslab_dir;

/**
 * myslab_failslab_attr() - the fault attributes of failslab
 *
 * For tests: set probability, interval, times and verbose directly.
 *
 * Return: the attributes, or NULL without CONFIG_FAULT_INJECTION.
 */
struct fault_attr *myslab_failslab_attr(void)
{
	return &myslab_failslab;
}
EXPORT_SYMBOL_NS_GPL(myslab_failslab_attr, MYSLAB_NS);

static bool myslab_hook_should_fail(struct myslab_cache *cache, gfp_t gfp)
{
	return should_fail(&myslab_failslab, cache->object_size);
}

static void myslab_failslab_apply(const struct myslab_fault_numbers *f)
{
	myslab_fault_apply(&myslab_failslab, f);
}

/*
 * fault_create_debugfs_attr() used to keep a reference on the directory in
 * attr->dname (a struct dentry *) that nothing dropped; since "fault-inject:
 * fix dentry leak" (in 6.12) dname is a copy of the name. Tell the two
 * apart by type, not by version.
 */
static void myslab_fault_put_dname(struct fault_attr *attr)
{
	struct dentry **dname = (struct dentry **)&attr->dname;

	if (__same_type(attr->dname, struct dentry *)) {
		dput(*dname);
		*dname = NULL;
	}
}

static void myslab_failslab_debugfs_init(struct dentry *parent)
{
	struct dentry *dir;

	if (IS_ERR_OR_NULL(parent))
		return;
	dir = fault_create_debugfs_attr("failslab", parent, &myslab_failslab);
	if (IS_ERR(dir)) {
		pr_info("failslab: no debugfs files (%pe); failslab= still works\n",
			dir);
		return;
	}
	myslab_failslab_dir = dir;
}

static void myslab_failslab_debugfs_exit(void)
{
	if (!myslab_failslab_dir)
		return;
	debugfs_remove_recursive(myslab_failslab_dir);
	myslab_failslab_dir = NULL;
	myslab_fault_put_dname(&myslab_failslab);
}
#else
struct fault_attr *myslab_failslab_attr(void)
{
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(myslab_failslab_attr, MYSLAB_NS);

static bool myslab_hook_should_fail(struct myslab_cache *cache, gfp_t gfp)
{
	return false;
}

static void myslab_failslab_apply(const struct myslab_fault_numbers *f)
{
}

static void myslab_failslab_debugfs_init(struct dentry *parent)
{
}

static void myslab_failslab_debugfs_exit(void)
{
}
#endif

static char myslab_failslab_value[80];

/* Refused, not ignored, without fault injection (as fail_page_alloc=). */
static int myslab_failslab_param_set(const char *val,
				     const struct kernel_param *kp)
{
	struct myslab_fault_numbers f;

	if (!val || myslab_fault_parse(val, &f))
		return myslab_param_refuse(kp, val,
					   "expected " MYSLAB_FAULT_SYNTAX);
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION))
		return myslab_param_refuse(kp, val,
					   "this kernel is built without CONFIG_FAULT_INJECTION, so no faults can be injected");
	myslab_failslab_apply(&f);
	snprintf(myslab_failslab_value, sizeof(myslab_failslab_value),
		 "%lu,%lu,%d,%d", f.interval, f.probability, f.space, f.times);
	return 0;
}

static int myslab_failslab_param_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", myslab_failslab_value);
}

static const struct kernel_param_ops myslab_failslab_param_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = myslab_failslab_param_set,
	.get = myslab_failslab_param_get,
};

module_param_cb(failslab, &myslab_failslab_param_ops, NULL, 0444);
MODULE_PARM_DESC(failslab, "Fault injection for caches with the A debug option: <interval>,<probability>,<space>,<times> as the kernel's failslab= (needs CONFIG_FAULT_INJECTION)");

/* === Owner records === */

static bool myslab_stacks_ready;	/* stack depot initialised */

/* For caches with U: the stack depot, once (may sleep). */
static void myslab_stacks_init(void)
{
	if (!IS_ENABLED(CONFIG_STACKDEPOT) || !IS_ENABLED(CONFIG_STACKTRACE) ||
	    READ_ONCE(myslab_stacks_ready))
		return;
	if (!stack_depot_init())
		WRITE_ONCE(myslab_stacks_ready, true);
}

static unsigned long myslab_hook_now(void)
{
	return jiffies;
}

static unsigned long myslab_hook_age_ms(unsigned long then)
{
	return jiffies_to_msecs(jiffies - then);
}

static int myslab_hook_pid(void)
{
	return current->pid;
}

#define MYSLAB_STACK_DEPTH	16

static u32 myslab_hook_save_stack(void)
{
	unsigned long entries[MYSLAB_STACK_DEPTH];
	unsigned int nr;

	if (!IS_ENABLED(CONFIG_STACKDEPOT) || !IS_ENABLED(CONFIG_STACKTRACE) ||
	    !READ_ONCE(myslab_stacks_ready))
		return 0;
	/* Skip this hook and the core's record helper. */
	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 2);
	return stack_depot_save(entries, nr, GFP_NOWAIT);
}

static void myslab_hook_print_stack(u32 handle)
{
	if (IS_ENABLED(CONFIG_STACKDEPOT) && handle)
		stack_depot_print(handle);
}

/* === Reports === */

#if IS_ENABLED(CONFIG_KUNIT)
/* The "myslab_errors" resource of the KUnit test running in this task. */
static bool myslab_kunit_count_report(void)
{
	struct kunit_resource *res;

	if (likely(!current->kunit_test))
		return false;
	res = kunit_find_named_resource(current->kunit_test, "myslab_errors");
	if (!res)
		return false;
	(*(int *)res->data)++;
	kunit_put_resource(res);
	return true;
}
#else
static bool myslab_kunit_count_report(void)
{
	return false;
}
#endif

static bool myslab_hook_report_begin(void)
{
	static DEFINE_RATELIMIT_STATE(rs, 5 * HZ, 50);

	if (myslab_kunit_count_report())
		return true;
	return __ratelimit(&rs);
}

/* === Detectors === */

/* Shadow values of mm/kasan/kasan.h (private), generic KASAN. */
#define MYSLAB_KASAN_SLAB_REDZONE	0xfc
#define MYSLAB_KASAN_SLAB_FREE		0xfb

#ifdef CONFIG_KASAN_GENERIC
static void myslab_shadow(const void *addr, size_t size, u8 value)
{
	kasan_poison(addr, size, value, false);
}
#else
static void myslab_shadow(const void *addr, size_t size, u8 value)
{
}
#endif

#define MYSLAB_GRANULE	8	/* KASAN_GRANULE_SIZE of generic KASAN */

/* Accessible: @size bytes at @addr (8-byte aligned), to the byte. */
static void myslab_shadow_unpoison(const void *addr, size_t size)
{
	size_t whole = round_down(size, MYSLAB_GRANULE);

	myslab_shadow(addr, whole, 0);
	if (size > whole)
		myslab_shadow(addr + whole, MYSLAB_GRANULE, size - whole);
}

/* Does the cache's memory have a shadow of its own to poison? */
static bool myslab_kasan_usable(struct myslab_cache *cache)
{
	const struct myslab_mem *mem = myslab_region_mem(cache->region);

	return IS_ENABLED(CONFIG_KASAN_GENERIC) &&
	       IS_ENABLED(CONFIG_KASAN_VMALLOC) &&
	       is_vmalloc_addr(mem->base) && !mem->phys;
}

static unsigned int myslab_hook_cache_hooks(struct myslab_cache *cache)
{
	unsigned int hooks = 0;

	if (IS_ENABLED(CONFIG_DEBUG_KMEMLEAK))
		hooks |= MYSLAB_HOOK_KMEMLEAK;
	if (myslab_kasan_usable(cache))
		hooks |= MYSLAB_HOOK_KASAN;
	return hooks;
}

static void myslab_hook_object_alloc(struct myslab_cache *cache, void *obj,
				     gfp_t gfp)
{
	unsigned int hooks = READ_ONCE(cache->hooks);
	size_t size = myslab_cache_usable_size(cache);

	if (hooks & MYSLAB_HOOK_KASAN)
		myslab_shadow_unpoison(obj, size);
	if (hooks & MYSLAB_HOOK_KMEMLEAK)
		kmemleak_alloc(obj, size, 1, gfp);
}

static void myslab_hook_object_free(struct myslab_cache *cache, void *obj)
{
	unsigned int hooks = READ_ONCE(cache->hooks);

	if (hooks & MYSLAB_HOOK_KMEMLEAK)
		kmemleak_free(obj);
	if (hooks & MYSLAB_HOOK_KASAN)
		myslab_shadow(obj, round_up(myslab_cache_usable_size(cache),
					    MYSLAB_GRANULE),
			      MYSLAB_KASAN_SLAB_FREE);
}

static void myslab_hook_object_forget(struct myslab_cache *cache, void *obj)
{
	kmemleak_free(obj);
}

static void myslab_hook_slab_init(struct myslab_cache *cache,
				  struct myslab_slab *slab)
{
	size_t size = round_up(myslab_cache_usable_size(cache), MYSLAB_GRANULE);
	void *start = slab->objects - cache->red_left;
	void *end = (void *)slab + (PAGE_SIZE << cache->order);
	unsigned int i;

	myslab_shadow(start, end - start, MYSLAB_KASAN_SLAB_REDZONE);
	for (i = 0; i < cache->objs_per_slab; i++)
		myslab_shadow(myslab_obj_at(cache, slab, i), size,
			      MYSLAB_KASAN_SLAB_FREE);
}

static void myslab_hook_slab_release(struct myslab_cache *cache,
				     struct myslab_slab *slab)
{
	myslab_shadow(slab, PAGE_SIZE << cache->order, 0);
}

static void myslab_hook_meta_begin(void)
{
	kasan_disable_current();
}

static void myslab_hook_meta_end(void)
{
	kasan_enable_current();
}

/* === Caches coming and going === */

/* The page map's name for a slab block: its cache's (region lock held). */
static int myslab_cache_owner_name(const void *owner, char *buf, size_t size)
{
	const struct myslab_cache *cache = owner;

	return strscpy(buf, cache->name, size) < 0 ? -E2BIG : 0;
}

static void myslab_hook_cache_add(struct myslab_cache *cache)
{
	if (cache->debug & MYSLAB_STORE_USER)
		myslab_stacks_init();
	myslab_region_set_owner_name(cache->region, myslab_cache_owner_name);
	myslab_debugfs_cache_add(cache);
}

static void myslab_hook_cache_del(struct myslab_cache *cache)
{
	myslab_debugfs_cache_del(cache);
}

static const struct myslab_slab_ops myslab_kernel_ops = {
	.cache_hooks	= myslab_hook_cache_hooks,
	.cache_add	= myslab_hook_cache_add,
	.cache_del	= myslab_hook_cache_del,
	.object_alloc	= myslab_hook_object_alloc,
	.object_free	= myslab_hook_object_free,
	.object_forget	= myslab_hook_object_forget,
	.slab_init	= myslab_hook_slab_init,
	.slab_release	= myslab_hook_slab_release,
	.meta_begin	= myslab_hook_meta_begin,
	.meta_end	= myslab_hook_meta_end,
	.should_fail	= myslab_hook_should_fail,
	.now		= myslab_hook_now,
	.age_ms		= myslab_hook_age_ms,
	.pid		= myslab_hook_pid,
	.save_stack	= myslab_hook_save_stack,
	.print_stack	= myslab_hook_print_stack,
	.report_begin	= myslab_hook_report_begin,
};

/* === Part init/exit === */

int myslab_slab_debug_init(void)
{
	bool kasan = IS_ENABLED(CONFIG_KASAN_GENERIC) &&
		     IS_ENABLED(CONFIG_KASAN_VMALLOC);
	bool kmemleak = IS_ENABLED(CONFIG_DEBUG_KMEMLEAK);
	struct dentry *dir = myslab_debugfs_dir();
	int err;

	/* Before the first cache: each is given its hooks at creation. */
	err = myslab_slab_set_ops(&myslab_kernel_ops);
	if (err)
		return err;
	myslab_debugfs_caches_init(dir);
	myslab_failslab_debugfs_init(dir);
	pr_info("slab debugging: myslab_debug=%s, kmemleak %s, kasan %s, failslab=%s\n",
		myslab_debug_value[0] ? myslab_debug_value : "(none)",
		kmemleak ? "on" : "off", kasan ? "on (vmalloc()ed regions)" : "off",
		myslab_failslab_value[0] ? myslab_failslab_value :
		IS_ENABLED(CONFIG_FAULT_INJECTION) ? "(not set)" : "(unavailable)");
	return 0;
}

/*
 * The ops stay installed until the core goes with the module: every cache
 * was destroyed before this exit runs (the default caches come up after
 * this part), each letting its detectors go of its objects on the way.
 */
void myslab_slab_debug_exit(void)
{
	myslab_failslab_debugfs_exit();
	myslab_debugfs_caches_exit();
}
