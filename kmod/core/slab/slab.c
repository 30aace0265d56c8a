// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: geometry, creation, tuning, shrinking, statistics and
 * destruction. The object paths are in slab_alloc.c, the per-CPU magazines
 * in slab_magazine.c (every CPU's at once in slab_magazine_cpus.c), the
 * slabs and their free lists in slab_lists.c, validation in
 * slab_validate.c: this file calls down into the magazines and the slab
 * lists and never touches a magazine itself. Types and locking rules in
 * slab_internal.h.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/cache.h>
#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "slab_internal.h"
#include "slab_magazine.h"

/* === Counters === */

static const char *const myslab_counter_names[] = {
	[MYSLAB_CACHE_ALLOC_FAST]	= "alloc_fast",
	[MYSLAB_CACHE_ALLOC_SLOW]	= "alloc_slow",
	[MYSLAB_CACHE_FREE_FAST]	= "free_fast",
	[MYSLAB_CACHE_FREE_SLOW]	= "free_slow",
	[MYSLAB_CACHE_REFILLS]		= "refills",
	[MYSLAB_CACHE_FLUSHES]		= "flushes",
	[MYSLAB_CACHE_REFILLS_BARN]	= "refills_barn",
	[MYSLAB_CACHE_FLUSHES_BARN]	= "flushes_barn",
	[MYSLAB_CACHE_DRAINS]		= "drains",
	[MYSLAB_CACHE_SLABS_TAKEN]	= "slabs_taken",
	[MYSLAB_CACHE_SLABS_GIVEN]	= "slabs_given",
	[MYSLAB_CACHE_ALLOC_FAILED]	= "alloc_failed",
	[MYSLAB_CACHE_ERR_OUTSIDE]	= "err_outside_region",
	[MYSLAB_CACHE_ERR_NOT_OBJECT]	= "err_not_object",
	[MYSLAB_CACHE_ERR_WRONG_CACHE]	= "err_wrong_cache",
	[MYSLAB_CACHE_ERR_DOUBLE_FREE]	= "err_double_free",
	[MYSLAB_CACHE_ERR_FREELIST]	= "err_freelist",
	[MYSLAB_CACHE_ERR_REDZONE]	= "err_redzone",
	[MYSLAB_CACHE_ERR_POISON]	= "err_poison",
	[MYSLAB_CACHE_ERR_INCONSISTENT]	= "err_inconsistent",
	[MYSLAB_CACHE_FAULTS_INJECTED]	= "faults_injected",
};

static_assert(ARRAY_SIZE(myslab_counter_names) == MYSLAB_CACHE_NR_COUNTERS);

/**
 * myslab_cache_counter_name() - name of a cache counter
 * @counter: the counter
 *
 * Return: a short lower-case name, or "?" for a value out of range.
 */
const char *myslab_cache_counter_name(enum myslab_cache_counter counter)
{
	if ((unsigned int)counter >= MYSLAB_CACHE_NR_COUNTERS)
		return "?";
	return myslab_counter_names[counter];
}
EXPORT_SYMBOL_GPL(myslab_cache_counter_name);

/**
 * myslab_cache_counters() - read a cache's event counters
 * @cache: the cache
 * @counters: filled with MYSLAB_CACHE_NR_COUNTERS values
 *
 * Each value sums the per-CPU part (counted under the magazine locks) and the
 * shared atomic part; per-CPU parts are read without their locks, so a value
 * may lag by the events of the last moments on other CPUs.
 */
void myslab_cache_counters(struct myslab_cache *cache,
			   unsigned long counters[MYSLAB_CACHE_NR_COUNTERS])
{
	int i;

	for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
		counters[i] = atomic_long_read(&cache->counters[i]);
	myslab_magazines_add_counters(cache, counters);
}
EXPORT_SYMBOL_GPL(myslab_cache_counters);

/**
 * myslab_cache_reset_counters() - set every event counter of a cache to 0
 * @cache: the cache
 *
 * Each CPU's part is cleared on that CPU under its magazine lock; events
 * counted meanwhile on other CPUs may survive the reset or be lost with it.
 *
 * Context: process context; may sleep (takes the CPU hotplug lock).
 */
void myslab_cache_reset_counters(struct myslab_cache *cache)
{
	int i;

	for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
		atomic_long_set(&cache->counters[i], 0);
	myslab_magazines_reset_counters(cache);
}
EXPORT_SYMBOL_GPL(myslab_cache_reset_counters);

/* === Geometry === */

/*
 * How many slots of @slot bytes aligned to @align fit in @bytes after a
 * header whose maps grow with the number of objects (a free byte and a list
 * bit per object, each map in whole words). Sets the header size and the
 * offset of the first object for that count.
 */
static unsigned int myslab_slab_fit(unsigned int bytes, unsigned int slot,
				    unsigned int align, unsigned int *header,
				    unsigned int *first)
{
	unsigned int n = 0;

	if (bytes > MYSLAB_SLAB_HEADER_FIXED)
		n = (bytes - MYSLAB_SLAB_HEADER_FIXED) / slot;
	for (;; n--) {
		*header = MYSLAB_SLAB_HEADER_FIXED + myslab_free_map_bytes(n) +
			  BITS_TO_LONGS(n) * sizeof(unsigned long);
		*first = ALIGN(*header, align);
		if (!n || (*first <= bytes && n <= (bytes - *first) / slot))
			return n;
	}
}

/*
 * Slots start after the header at the alignment; an object starts red_left
 * bytes into its slot (red_left is a multiple of the alignment).
 */
static void myslab_geometry_at(struct myslab_slab_geometry *geo,
			       unsigned int order)
{
	unsigned int bytes = PAGE_SIZE << order;
	unsigned int used, first_slot;

	geo->order = order;
	geo->objs_per_slab = myslab_slab_fit(bytes, geo->slot_size, geo->align,
					     &geo->header_size, &first_slot);
	geo->first_offset = first_slot + geo->red_left;
	used = geo->objs_per_slab * geo->slot_size;
	geo->waste = geo->objs_per_slab ? bytes - geo->header_size - used : bytes;
	geo->colour_range = 1;
	if (geo->objs_per_slab)
		geo->colour_range += (bytes - first_slot - used) /
				     geo->colour_step;
}

/*
 * The slot of a cache with debug options (see struct myslab_slab_geometry):
 * red zones around the object (Z), the free-list link outside the object
 * when poison (P) or a constructor's state must not be overwritten or when
 * a red zone would start inside it (Z, objects smaller than a pointer, as
 * SLUB does), and two owner records (U).
 */
static void myslab_debug_slot(struct myslab_slab_geometry *geo,
			      unsigned int size, unsigned int flags,
			      bool has_ctor)
{
	unsigned int end = ALIGN(size, sizeof(void *));

	if (flags & MYSLAB_RED_ZONE) {
		geo->red_left = ALIGN(sizeof(void *), geo->align);
		end += sizeof(void *);
		geo->red_right = end - size;
	}
	geo->freeptr_offset = 0;
	/* A link inside an object smaller than itself would be in a red zone. */
	if (has_ctor || (flags & MYSLAB_POISON) ||
	    ((flags & MYSLAB_RED_ZONE) && size < sizeof(void *))) {
		geo->freeptr_offset = end;
		end += sizeof(void *);
	}
	if (flags & MYSLAB_STORE_USER) {
		geo->track_offset = end;
		end += 2 * sizeof(struct myslab_track);
	}
	geo->slot_size = ALIGN(geo->red_left + end, geo->align);
}

/**
 * myslab_slab_geometry() - choose how a cache cuts its slabs
 * @size: object size in bytes
 * @align: requested alignment, 0 or a power of two up to PAGE_SIZE
 * @flags: MYSLAB_* creation flags
 * @has_ctor: whether the cache has a constructor (its free-list link must
 *	then live past the object, so that the constructed state survives)
 * @max_order: largest slab order the region allows
 * @geo: filled with the result
 *
 * The slab order keeps the leftover (bytes covered by neither the slab header
 * nor a slot) small while keeping enough objects per slab, the way SLUB's
 * calculate_order() does: aim for MYSLAB_SLAB_MIN_OBJECTS objects (fewer when
 * even the largest slab cannot hold that many) and accept the smallest order
 * whose leftover is at most 1/16 of the slab, then 1/8, then 1/4; failing
 * that, lower the object target one at a time; as a last resort take the
 * smallest order that holds one object. Slab orders stop at
 * MYSLAB_SLAB_MAX_ORDER (32 KiB), or at MYSLAB_SLAB_MAX_ORDER_LARGE (128 KiB)
 * for slots of a page or more: the header at the start of a slab then takes
 * a whole slot, and only a larger slab spreads that loss over more objects
 * (a 4 KiB class: 15 objects in 64 KiB rather than 7 in 32 KiB).
 *
 * Alignment: at least sizeof(void *); MYSLAB_HWCACHE_ALIGN aligns to a cache
 * line, or to the smallest power-of-two fraction of one that still holds the
 * object (like SLAB_HWCACHE_ALIGN). Colours step by a cache line, or by the
 * alignment when it is larger.
 *
 * Debug options grow the slot (red zones, an outside free-list link, owner
 * records: see struct myslab_slab_geometry); without them @red_left,
 * @red_right and @track_offset are 0.
 *
 * Pure function: touches nothing but @geo.
 *
 * Return: 0, -EINVAL for a zero size, a bad alignment or unknown flags, or
 * -E2BIG when not even one object fits in the largest slab.
 */
int myslab_slab_geometry(unsigned int size, unsigned int align,
			 unsigned int flags, bool has_ctor,
			 unsigned int max_order,
			 struct myslab_slab_geometry *geo)
{
	static const unsigned int fractions[] = { 16, 8, 4 };
	unsigned int min_objs, order, f, most, bytes;

	memset(geo, 0, sizeof(*geo));
	if (!size || (align & (align - 1)) || align > PAGE_SIZE ||
	    (flags & ~MYSLAB_CACHE_FLAGS))
		return -EINVAL;
	max_order = min_t(unsigned int, max_order, MYSLAB_SLAB_MAX_ORDER_LARGE);
	if (size > (PAGE_SIZE << max_order))
		return -E2BIG;

	if (flags & MYSLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	geo->align = max_t(unsigned int, align, sizeof(void *));
	if (flags & MYSLAB_DEBUG_PATH_FLAGS) {
		myslab_debug_slot(geo, size, flags, has_ctor);
	} else {
		geo->freeptr_offset = has_ctor ? ALIGN(size, sizeof(void *)) : 0;
		geo->slot_size = ALIGN(has_ctor ? geo->freeptr_offset +
						  sizeof(void *) : size,
				       geo->align);
	}
	geo->colour_step = max_t(unsigned int, L1_CACHE_BYTES, geo->align);
	max_order = min_t(unsigned int, max_order,
			  geo->slot_size >= PAGE_SIZE ? MYSLAB_SLAB_MAX_ORDER_LARGE
						      : MYSLAB_SLAB_MAX_ORDER);

	myslab_geometry_at(geo, max_order);
	most = geo->objs_per_slab;
	if (!most)
		return -E2BIG;

	for (min_objs = min(MYSLAB_SLAB_MIN_OBJECTS, most); min_objs; min_objs--) {
		for (f = 0; f < ARRAY_SIZE(fractions); f++) {
			for (order = 0; order <= max_order; order++) {
				bytes = PAGE_SIZE << order;
				myslab_geometry_at(geo, order);
				if (geo->objs_per_slab >= min_objs &&
				    geo->waste * fractions[f] <= bytes)
					return 0;
			}
		}
	}
	for (order = 0; order <= max_order; order++) {
		myslab_geometry_at(geo, order);
		if (geo->objs_per_slab)
			return 0;
	}
	WARN_ON_ONCE(1);	/* most > 0 at max_order: unreachable */
	return -E2BIG;
}
EXPORT_SYMBOL_NS_GPL(myslab_slab_geometry, MYSLAB_NS);

/* === Tunables === */

/*
 * Per-CPU magazine size by slot size, as SLAB's enable_cpucache() chose its
 * array-cache limits: many small objects, few large ones.
 */
static unsigned int myslab_default_limit(unsigned int slot_size)
{
	if (slot_size > PAGE_SIZE)
		return 8;
	if (slot_size > 1024)
		return 24;
	if (slot_size > 256)
		return 54;
	return 120;
}

/*
 * Barn capacity in batches, as SLAB chose its shared factor: objects up to a
 * page share 8 batches; larger ones none (few to a slab, and a batch of
 * them is pages of memory held back from the slabs). A debug cache, which
 * takes no magazine, gets none (myslab_cache_create()).
 */
static unsigned int myslab_default_shared(unsigned int slot_size)
{
	return slot_size > PAGE_SIZE ? 0 : 8;
}

int myslab_tunables_check(unsigned int limit, unsigned int batchcount,
			  unsigned int shared)
{
	if (limit < 1 || limit > MYSLAB_MAGAZINE_MAX)
		return -EINVAL;
	if (batchcount < 1 || batchcount > limit)
		return -EINVAL;
	if (shared > MYSLAB_SHARED_MAX)
		return -EINVAL;
	return 0;
}

/**
 * myslab_cache_tune() - change a cache's magazine tunables
 * @cache: the cache
 * @limit: magazine capacity, 1..MYSLAB_MAGAZINE_MAX
 * @batchcount: objects per refill or flush, 1..@limit
 * @shared: barn capacity in batches, 0..MYSLAB_SHARED_MAX (0: no barn)
 *
 * The barn takes its new capacity, @shared * @batchcount objects, first:
 * the oldest objects beyond it go back to their slabs. Then every CPU's
 * magazine takes the new values on its CPU, under its own lock; a magazine
 * holding more than @limit objects flushes the excess (to the barn while it
 * has room, then to the slabs).
 *
 * Context: process context, may sleep; takes the CPU hotplug lock, so the
 * caller must not hold the cache registry mutex (see
 * myslab_cache_tune_cpuslocked()).
 * Return: 0, -EINVAL for a value out of range, or -ENOMEM when the barn's
 * new array could not be had (nothing changes on either error).
 */
int myslab_cache_tune(struct myslab_cache *cache, unsigned int limit,
		      unsigned int batchcount, unsigned int shared)
{
	int err;

	cpus_read_lock();
	err = myslab_cache_tune_cpuslocked(cache, limit, batchcount, shared);
	cpus_read_unlock();
	return err;
}
EXPORT_SYMBOL_GPL(myslab_cache_tune);

/*
 * myslab_cache_tune() for a caller that holds the CPU hotplug lock, taken
 * before the registry mutex (the lock order: kmod/DESIGN.md).
 */
int myslab_cache_tune_cpuslocked(struct myslab_cache *cache,
				 unsigned int limit, unsigned int batchcount,
				 unsigned int shared)
{
	int err;

	myslab_assert_cpus_held();
	err = myslab_tunables_check(limit, batchcount, shared);
	if (err)
		return err;
	might_sleep();
	mutex_lock(&cache->tune_mutex);
	err = myslab_barn_resize(cache, shared * batchcount);
	if (!err) {
		WRITE_ONCE(cache->limit, limit);
		WRITE_ONCE(cache->batchcount, batchcount);
		WRITE_ONCE(cache->shared, shared);
		myslab_magazines_retune(cache, limit, batchcount);
	}
	mutex_unlock(&cache->tune_mutex);
	return err;
}

/* === Creation === */

/* The region's max_order, or -ENOMEM (never a made-up order). */
static int myslab_region_max_order(struct myslab_region *region)
{
	struct myslab_buddy_stats *bs;
	int max_order;

	bs = kzalloc(sizeof(*bs), GFP_KERNEL);
	if (!bs)
		return -ENOMEM;
	myslab_buddy_stats(region, bs);
	max_order = bs->max_order;
	kfree(bs);
	return max_order;
}

static void myslab_cache_set_geometry(struct myslab_cache *cache,
				      const struct myslab_slab_geometry *geo)
{
	cache->slot_size = geo->slot_size;
	cache->recip = (u32)DIV_ROUND_UP_ULL(1ULL << 32, geo->slot_size);
	cache->align = geo->align;
	cache->freeptr_offset = geo->freeptr_offset;
	cache->order = geo->order;
	cache->objs_per_slab = geo->objs_per_slab;
	cache->free_map_longs = myslab_free_map_bytes(geo->objs_per_slab) /
				sizeof(unsigned long);
	cache->header_size = geo->header_size;
	cache->first_offset = geo->first_offset;
	cache->waste = geo->waste;
	cache->colour_step = geo->colour_step;
	cache->colour_range = geo->colour_range;
	cache->slab_mask = ~((PAGE_SIZE << geo->order) - 1);
	cache->red_left = geo->red_left;
	cache->red_end = cache->object_size + geo->red_right;
	cache->track_offset = geo->track_offset;
}

/**
 * myslab_cache_create() - create a cache of objects on a region
 * @region: the region whose buddy allocator provides the slabs
 * @name: unique name, at most MYSLAB_CACHE_NAME_LEN - 1 printable characters
 *	without spaces (it is a /proc/myslabinfo column)
 * @size: object size in bytes
 * @align: object alignment: 0 (pointer alignment) or a power of two up to
 *	PAGE_SIZE
 * @flags: MYSLAB_* creation flags; the options myslab_debug= gives this
 *	name are added to them
 * @ctor: optional constructor, run on every object when its slab is first
 *	populated (in the allocating context, sometimes under this CPU's
 *	magazine lock: it must not sleep), never on allocation: objects must
 *	be freed in their constructed state
 *
 * Context: may sleep.
 * Return: the cache, or an ERR_PTR: -EINVAL (bad name, size, alignment or
 * flags), -E2BIG (object too large for the largest slab), -EEXIST (name in
 * use), -ENOMEM.
 */
struct myslab_cache *myslab_cache_create(struct myslab_region *region,
					 const char *name, unsigned int size,
					 unsigned int align, unsigned int flags,
					 void (*ctor)(void *obj))
{
	const struct myslab_slab_ops *ops;
	struct myslab_slab_geometry geo;
	struct myslab_cache *cache;
	int err, i, max_order;
	unsigned int limit;

	might_sleep();
	if (!region || (flags & ~MYSLAB_CACHE_FLAGS))
		return ERR_PTR(-EINVAL);
	err = myslab_cache_name_check(name);
	if (err)
		return ERR_PTR(err);
	flags |= myslab_debug_flags_for(name);
	max_order = myslab_region_max_order(region);
	if (max_order < 0)
		return ERR_PTR(max_order);
	err = myslab_slab_geometry(size, align, flags, !!ctor, max_order, &geo);
	if (err)
		return ERR_PTR(err);

	cache = kzalloc(sizeof(*cache), GFP_KERNEL);
	if (!cache)
		return ERR_PTR(-ENOMEM);

	strscpy(cache->name, name, sizeof(cache->name));
	cache->region = region;
	cache->region_base = (unsigned long)myslab_region_mem(region)->base;
	cache->secret = get_random_long();
	cache->object_size = size;
	cache->ctor = ctor;
	cache->flags = flags;
	cache->debug = flags & MYSLAB_DEBUG_PATH_FLAGS;
	cache->last_validate = -1;
	myslab_cache_set_geometry(cache, &geo);
	atomic_set(&cache->colour_next, 0);
	INIT_LIST_HEAD(&cache->registry);
	mutex_init(&cache->tune_mutex);
	spin_lock_init(&cache->lock);
	for (i = 0; i < MYSLAB_NR_LISTS; i++)
		INIT_LIST_HEAD(&cache->lists[i]);
	for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
		atomic_long_set(&cache->counters[i], 0);

	limit = myslab_default_limit(cache->slot_size);
	cache->limit = limit;
	cache->batchcount = (limit + 1) / 2;
	cache->shared = cache->debug ? 0 :
			myslab_default_shared(cache->slot_size);
	err = myslab_barn_create(cache, cache->shared * cache->batchcount);
	if (err)
		goto out_free;
	err = myslab_magazines_create(cache);
	if (err)
		goto out_barn;

	/*
	 * The hooks and the registration in one hold of the registry lock:
	 * the environment cannot be installed in between, and once the cache
	 * is registered it cannot change (myslab_slab_set_ops()).
	 */
	myslab_registry_lock();
	ops = myslab_slab_ops;
	cache->hooks = myslab_cache_hooks_for(cache);
	err = myslab_registry_add(cache);
	myslab_registry_unlock();
	if (err) {
		myslab_magazines_destroy(cache);
		goto out_barn;
	}
	if (ops)
		ops->cache_add(cache);
	return cache;

out_barn:
	myslab_barn_destroy(cache);
out_free:
	mutex_destroy(&cache->tune_mutex);
	kfree(cache);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(myslab_cache_create);

/* === Shrinking === */

/**
 * myslab_cache_shrink() - give every free slab back to the buddy allocator
 * @cache: the cache
 *
 * Drains every CPU's magazine and the barn into the slabs, then gives back
 * every empty slab, the reserve included.
 *
 * Context: process context; may sleep: each online CPU drains its own
 * magazine (smp_call_on_cpu()), under the CPU hotplug lock.
 * Return: the number of pages given back.
 */
unsigned long myslab_cache_shrink(struct myslab_cache *cache)
{
	myslab_cache_drain_all(cache);
	return myslab_cache_release_empty(cache, 0) << cache->order;
}
EXPORT_SYMBOL_GPL(myslab_cache_shrink);

/* === Destruction === */

#define MYSLAB_LEAK_SAMPLES	4

/*
 * Region offsets of up to MYSLAB_LEAK_SAMPLES objects still handed out.
 * With kernel detectors on, every leaked object stops being tracked (the
 * leak is reported here, once) and every leaked slab becomes plain memory
 * to KASAN: whoever frees those slabs later need not know about objects.
 */
static unsigned int myslab_leak_sample(struct myslab_cache *cache,
				       unsigned long *offsets)
	__must_hold(&cache->lock)
{
	unsigned int hooks = READ_ONCE(cache->hooks), n = 0, i;
	struct myslab_slab *slab;
	int l;

	lockdep_assert_held(&cache->lock);
	for (l = MYSLAB_LIST_PARTIAL; l <= MYSLAB_LIST_FULL; l++) {
		list_for_each_entry(slab, &cache->lists[l], list) {
			for (i = 0; i < cache->objs_per_slab; i++) {
				void *obj = myslab_obj_at(cache, slab, i);

				if (myslab_obj_is_free(slab, i))
					continue;
				if (hooks & MYSLAB_HOOK_KMEMLEAK)
					myslab_slab_ops->object_forget(cache, obj);
				if (n < MYSLAB_LEAK_SAMPLES)
					offsets[n++] = myslab_region_offset(cache, obj);
			}
			if (hooks & MYSLAB_HOOK_KASAN)
				myslab_slab_ops->slab_release(cache, slab);
		}
	}
	return n;
}

/**
 * myslab_cache_destroy() - destroy a cache
 * @cache: the cache (NULL or an ERR_PTR does nothing)
 *
 * Removes the cache from the registry (its name may be reused at once),
 * drains its magazines and gives every empty slab back to the buddy
 * allocator. Objects still allocated are a leak: it is reported with their
 * number and a few of their addresses (as region offsets), their slabs are
 * left allocated in the buddy allocator (memory in use is never freed), and
 * the cache's descriptor is kept (without magazines) as the owner of those
 * slabs, so that a late free of one of them is recognised and refused with
 * -ESTALE rather than followed. Kept descriptors are freed by
 * myslab_caches_reap() when the module unloads.
 *
 * The caller must make sure nobody allocates from or frees to @cache while
 * and after it is destroyed.
 *
 * Context: may sleep.
 * Return: the number of objects leaked (0 for a clean destroy).
 */
unsigned long myslab_cache_destroy(struct myslab_cache *cache)
{
	unsigned long offsets[MYSLAB_LEAK_SAMPLES];
	unsigned long live = 0, slabs, flags;
	struct myslab_slab *slab;
	unsigned int n, i;
	int l;

	if (IS_ERR_OR_NULL(cache))
		return 0;
	might_sleep();
	if (READ_ONCE(myslab_slab_ops))
		myslab_slab_ops->cache_del(cache);
	myslab_registry_del(cache);
	myslab_cache_drain_all(cache);
	myslab_cache_release_empty(cache, 0);

	spin_lock_irqsave(&cache->lock, flags);
	slabs = cache->nr_slabs[MYSLAB_LIST_PARTIAL] +
		cache->nr_slabs[MYSLAB_LIST_FULL];
	for (l = MYSLAB_LIST_PARTIAL; l <= MYSLAB_LIST_FULL; l++)
		list_for_each_entry(slab, &cache->lists[l], list)
			live += slab->inuse;
	n = myslab_leak_sample(cache, offsets);
	spin_unlock_irqrestore(&cache->lock, flags);

	myslab_magazines_destroy(cache);
	myslab_barn_destroy(cache);
	if (!slabs) {
		mutex_destroy(&cache->tune_mutex);
		kfree(cache);
		return 0;
	}

	pr_err("cache %s destroyed with %lu objects still allocated in %lu slabs of order %u: leaving those slabs allocated\n",
	       cache->name, live, slabs, cache->order);
	for (i = 0; i < n; i++)
		pr_err("cache %s: leaked object at region offset %#lx\n",
		       cache->name, offsets[i]);
	WRITE_ONCE(cache->sizes, NULL);
	myslab_registry_bury(cache);
	return live;
}
EXPORT_SYMBOL_GPL(myslab_cache_destroy);

/* === Information === */

/**
 * myslab_cache_name() - a cache's name
 * @cache: the cache
 *
 * Return: the NUL-terminated name given at creation.
 */
const char *myslab_cache_name(const struct myslab_cache *cache)
{
	return cache->name;
}
EXPORT_SYMBOL_GPL(myslab_cache_name);

/**
 * myslab_cache_region() - the region a cache takes its slabs from
 * @cache: the cache
 *
 * Return: the region given at creation.
 */
struct myslab_region *myslab_cache_region(const struct myslab_cache *cache)
{
	return cache->region;
}
EXPORT_SYMBOL_GPL(myslab_cache_region);

/**
 * myslab_cache_usable_size() - bytes of an object its owner may use
 * @cache: the cache
 *
 * The whole slot (object plus alignment padding), except for caches with a
 * constructor, whose free-list link lives in the slot past the object, and
 * caches with red zones, poison or owner records, whose objects end at the
 * size asked for (what follows belongs to the debug options). __GFP_ZERO,
 * init_on_alloc and init_on_free zero exactly these bytes.
 *
 * Return: the usable size of every object of @cache.
 */
unsigned int myslab_cache_usable_size(const struct myslab_cache *cache)
{
	return myslab_usable(cache);
}
EXPORT_SYMBOL_GPL(myslab_cache_usable_size);

/**
 * myslab_cache_debug_flags() - the debug options a cache runs with
 * @cache: the cache
 *
 * Return: its MYSLAB_DEBUG_FLAGS, from creation and myslab_debug=, with
 * MYSLAB_FAILSLAB as the cache's failslab switch stands now.
 */
unsigned int myslab_cache_debug_flags(const struct myslab_cache *cache)
{
	unsigned int flags = cache->debug;

	if (READ_ONCE(cache->hooks) & MYSLAB_HOOK_FAILSLAB)
		flags |= MYSLAB_FAILSLAB;
	return flags;
}
EXPORT_SYMBOL_GPL(myslab_cache_debug_flags);

/**
 * myslab_cache_stats() - a snapshot of a cache's geometry and occupancy
 * @cache: the cache
 * @st: filled in
 *
 * Slab counts are read under the cache lock, each magazine's fill level once
 * without its lock (see struct myslab_cache_stats).
 *
 * Context: as myslab_cache_free().
 */
void myslab_cache_stats(struct myslab_cache *cache,
			struct myslab_cache_stats *st)
{
	unsigned long flags, free_objects;

	memset(st, 0, sizeof(*st));
	strscpy(st->name, cache->name, sizeof(st->name));
	st->object_size = cache->object_size;
	st->slot_size = cache->slot_size;
	st->align = cache->align;
	st->order = cache->order;
	st->objs_per_slab = cache->objs_per_slab;
	st->header_size = cache->header_size;
	st->waste = cache->waste;
	st->colour_step = cache->colour_step;
	st->colour_range = cache->colour_range;
	st->limit = READ_ONCE(cache->limit);
	st->batchcount = READ_ONCE(cache->batchcount);
	st->shared = READ_ONCE(cache->shared);
	st->cpu_cached = myslab_magazines_cached(cache);

	spin_lock_irqsave(&cache->lock, flags);
	st->empty_slabs = cache->nr_slabs[MYSLAB_LIST_EMPTY];
	st->partial_slabs = cache->nr_slabs[MYSLAB_LIST_PARTIAL];
	st->full_slabs = cache->nr_slabs[MYSLAB_LIST_FULL];
	st->corrupted_slabs = cache->nr_corrupted;
	st->lost_objs = cache->lost_objects;
	st->shared_avail = cache->barn.count;
	free_objects = cache->free_objects;
	spin_unlock_irqrestore(&cache->lock, flags);

	st->num_slabs = st->empty_slabs + st->partial_slabs + st->full_slabs;
	st->active_slabs = st->partial_slabs + st->full_slabs;
	st->num_objs = st->num_slabs * cache->objs_per_slab;
	free_objects += st->cpu_cached + st->shared_avail;
	if (st->num_objs >= free_objects)
		st->active_objs = st->num_objs - free_objects;
}
EXPORT_SYMBOL_GPL(myslab_cache_stats);
