// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: what debugging keeps around an object, and reports.
 *
 *   lay down   a new slab's objects get inactive red zones (Z), poison (P)
 *              and empty owner records (U): myslab_debug_init_object()
 *   check      an object's red zones, active when in use and inactive when
 *              free, and a free object's poison: each damaged area reported
 *              with a dump of the bytes around it, counted and restored
 *              (myslab_check_object(), for the debug paths and validation)
 *   record     who last allocated and freed an object (U), and every
 *              record of a cache read back (myslab_cache_tracks())
 *   report     misuse or damage of any cache, debug or not: one report per
 *              finding, through myslab_report_begin() (counted under KUnit,
 *              rate-limited otherwise); one about an object names its last
 *              owners (U)
 *
 * A leaf under the slab lists: slab_lists.c reports through it and lays out
 * a new slab's objects with it, so it calls nothing of the slab layer but
 * the environment (slab_ops.c). The debug paths, which take objects from
 * the slab lists and check them here, are above both, in slab_debug.c.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#define pr_fmt(fmt) "myslab: " fmt

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "slab_debug_object.h"
#include "slab_internal.h"

/* === Owner records (U) === */

/* The record of the current call, before the debug paths take the lock. */
void myslab_track_prepare(struct myslab_track *t, unsigned long caller)
{
	const struct myslab_slab_ops *ops = READ_ONCE(myslab_slab_ops);

	t->addr = caller;
	t->when = ops ? ops->now() : 0;
	t->pid = ops ? ops->pid() : 0;
	t->cpu = raw_smp_processor_id();
	t->stack = ops ? ops->save_stack() : 0;
	t->unused = 0;
}

static void myslab_print_track(struct myslab_cache *cache, void *obj,
			       enum myslab_track_item item)
{
	const struct myslab_slab_ops *ops = READ_ONCE(myslab_slab_ops);
	const char *what = item == MYSLAB_TRACK_ALLOC ? "alloc" : "free";
	struct myslab_track t = *myslab_track_of(cache, obj, item);

	if (!t.addr) {
		pr_err("cache %s: last %s: none\n", cache->name, what);
		return;
	}
	pr_err("cache %s: last %s: %pS pid %d cpu %d age %lums\n", cache->name,
	       what, (void *)t.addr, t.pid, t.cpu,
	       ops ? ops->age_ms(t.when) : 0UL);
	if (t.stack && ops)
		ops->print_stack(t.stack);
}

/* === Reports === */

/**
 * myslab_report_begin() - a report is about to be printed
 *
 * Return: whether to print it. Under KUnit the report is counted for the
 * test that asked (and always printed); otherwise it is rate-limited.
 */
bool myslab_report_begin(void)
{
	const struct myslab_slab_ops *ops = READ_ONCE(myslab_slab_ops);

	return !ops || ops->report_begin();
}

/*
 * An accounting inconsistency found by validation (slab_validate.c, and the
 * entry checks of the magazines and the barn, myslab_check_cached_objs()):
 * counted, and reported (counted under KUnit).
 */
void myslab_invalid(struct myslab_cache *cache, const char *fmt, ...)
{
	char what[160];
	va_list args;

	myslab_cache_count(cache, MYSLAB_CACHE_ERR_INCONSISTENT);
	if (!myslab_report_begin())
		return;
	va_start(args, fmt);
	vsnprintf(what, sizeof(what), fmt, args);
	va_end(args);
	pr_err("cache %s: validate: %s\n", cache->name, what);
}

#define MYSLAB_DUMP_BYTES	16	/* per line */
#define MYSLAB_DUMP_LINES	8	/* at most, per report */

/* The first line of every object report; returns false when rate-limited. */
static bool myslab_object_header(struct myslab_cache *cache, const void *obj,
				 const char *what)
{
	const struct myslab_slab *slab = myslab_slab_of(cache, obj);

	if (!myslab_report_begin())
		return false;
	pr_err("cache %s: object at region offset %#lx (+%#lx in slab %#lx): %s\n",
	       cache->name, myslab_region_offset(cache, obj),
	       (unsigned long)(obj - (const void *)slab),
	       myslab_region_offset(cache, slab), what);
	return true;
}

static void myslab_object_owners(struct myslab_cache *cache, void *obj)
{
	if (!(cache->debug & MYSLAB_STORE_USER))
		return;
	myslab_print_track(cache, obj, MYSLAB_TRACK_ALLOC);
	myslab_print_track(cache, obj, MYSLAB_TRACK_FREE);
}

/**
 * myslab_report_object() - report misuse of, or damage to, one object
 * @cache: the cache
 * @obj: the object (a trusted pointer to an object start)
 * @fmt: what was found, printf-style
 *
 * One report: the object's place, what was found, and its last owners when
 * the cache records them (U). Counted by myslab_report_begin().
 */
void myslab_report_object(struct myslab_cache *cache, const void *obj,
			  const char *fmt, ...)
{
	char what[160];
	va_list args;
	bool meta;

	va_start(args, fmt);
	vsnprintf(what, sizeof(what), fmt, args);
	va_end(args);
	if (!myslab_object_header(cache, obj, what))
		return;
	meta = myslab_meta_begin(cache);
	myslab_object_owners(cache, (void *)obj);
	myslab_meta_end(meta);
}

/* Bytes around the damage: offsets from the object, clipped to its slot. */
static void myslab_dump(struct myslab_cache *cache, void *obj, long first,
			long last)
{
	long start = -(long)cache->red_left;
	long stop = (long)cache->slot_size - (long)cache->red_left;
	char line[3 * MYSLAB_DUMP_BYTES + 1];
	unsigned int lines = 0, i, n;
	long off;

	off = ALIGN_DOWN(first - start, MYSLAB_DUMP_BYTES) + start;
	if (off - MYSLAB_DUMP_BYTES >= start)
		off -= MYSLAB_DUMP_BYTES;
	for (; off < stop && off <= last + MYSLAB_DUMP_BYTES; off += n) {
		const u8 *p = obj + off;

		if (lines++ == MYSLAB_DUMP_LINES) {
			pr_err("cache %s:   ...\n", cache->name);
			return;
		}
		n = min_t(long, MYSLAB_DUMP_BYTES, stop - off);
		for (i = 0; i < n; i++)
			snprintf(line + 3 * i, 4, " %02x", p[i]);
		pr_err("cache %s:   %c%#05lx:%s\n", cache->name,
		       off < 0 ? '-' : '+', off < 0 ? -off : off, line);
	}
}

/* === Red zones and poison === */

/* What a check found in one area: offsets from the object start. */
struct myslab_damage {
	long first;
	long last;
	u8 expected;
	u8 found;
	unsigned int changed;
};

/* Compare @len bytes at @obj + @off with @value; note what differs. */
static void myslab_scan(const void *obj, long off, unsigned int len, u8 value,
			struct myslab_damage *d)
{
	const u8 *p = obj + off;
	unsigned int i;

	for (i = 0; i < len; i++) {
		if (p[i] == value)
			continue;
		if (!d->changed++) {
			d->first = off + i;
			d->expected = value;
			d->found = p[i];
		}
		d->last = off + i;
	}
}

/* A new slab's object: inactive red zones, poison, no owners yet. */
void myslab_debug_init_object(struct myslab_cache *cache, void *obj)
{
	if (cache->debug & MYSLAB_RED_ZONE)
		myslab_set_redzones(cache, obj, MYSLAB_RED_INACTIVE);
	if (myslab_poisons(cache))
		myslab_set_poison(cache, obj);
	if (cache->debug & MYSLAB_STORE_USER)
		memset(myslab_track_of(cache, obj, MYSLAB_TRACK_ALLOC), 0,
		       2 * sizeof(struct myslab_track));
}

/* Report one damaged area and what was done about it. */
static void myslab_report_damage(struct myslab_cache *cache, void *obj,
				 const char *what, const struct myslab_damage *d,
				 const char *fixed)
{
	char line[128];

	snprintf(line, sizeof(line),
		 "%s at %c%#lx (0x%02x -> 0x%02x, %u byte%s changed, last at %c%#lx)",
		 what, d->first < 0 ? '-' : '+', d->first < 0 ? -d->first : d->first,
		 d->expected, d->found, d->changed, d->changed == 1 ? "" : "s",
		 d->last < 0 ? '-' : '+', d->last < 0 ? -d->last : d->last);
	if (!myslab_object_header(cache, obj, line))
		return;
	myslab_dump(cache, obj, d->first, d->last);
	myslab_object_owners(cache, obj);
	pr_err("cache %s: fixed: %s\n", cache->name, fixed);
}

#define MYSLAB_DAMAGE_REDZONE	0x1u
#define MYSLAB_DAMAGE_POISON	0x2u

/*
 * Check an object's red zones (active when in use, inactive when free) and,
 * when free, its poison. Each damaged area is reported, counted and
 * restored. Returns MYSLAB_DAMAGE_* bits (0: intact). The cache lock is
 * held and a meta window open (or the object is the caller's).
 */
unsigned int myslab_check_object(struct myslab_cache *cache, void *obj,
				 bool free, enum myslab_check_site site)
{
	static const char *const quarantined =
		"; slab quarantined: none of its free objects is handed out again";
	u8 red = free ? MYSLAB_RED_INACTIVE : MYSLAB_RED_ACTIVE;
	struct myslab_damage d = { 0 };
	unsigned int damage = 0;
	char fixed[128];

	if (cache->debug & MYSLAB_RED_ZONE) {
		myslab_scan(obj, -(long)cache->red_left, cache->red_left, red, &d);
		myslab_scan(obj, cache->object_size,
			    cache->red_end - cache->object_size, red, &d);
	}
	if (d.changed) {
		snprintf(fixed, sizeof(fixed), "restored the %s red zone%s",
			 free ? "inactive" : "active",
			 site == MYSLAB_CHECK_ALLOC ? quarantined : "");
		myslab_report_damage(cache, obj,
				     free ? "redzone of a free object overwritten" :
					    "redzone overwritten",
				     &d, fixed);
		myslab_set_redzones(cache, obj, red);
		myslab_cache_count(cache, MYSLAB_CACHE_ERR_REDZONE);
		damage |= MYSLAB_DAMAGE_REDZONE;
	}
	if (!free || !myslab_poisons(cache))
		return damage;
	memset(&d, 0, sizeof(d));
	myslab_scan(obj, 0, cache->object_size - 1, MYSLAB_POISON_FREE, &d);
	myslab_scan(obj, cache->object_size - 1, 1, MYSLAB_POISON_END, &d);
	if (d.changed) {
		snprintf(fixed, sizeof(fixed), "restored the poison%s",
			 site == MYSLAB_CHECK_ALLOC ? quarantined : "");
		myslab_report_damage(cache, obj, "poison overwritten: write after free",
				     &d, fixed);
		myslab_set_poison(cache, obj);
		myslab_cache_count(cache, MYSLAB_CACHE_ERR_POISON);
		damage |= MYSLAB_DAMAGE_POISON;
	}
	return damage;
}

/* === Validation and traces === */

/*
 * Red zones and poison of every object of a healthy slab of a debug cache,
 * the cache lock held, allocations and frees possibly running. What state
 * an object is in is read from its list bit, which only changes under the
 * cache lock, never from its free byte, which a free sets before it takes
 * the lock and an allocation clears after it dropped it:
 *   on the free list	inactive red zones and poison; nobody can take the
 *			object meanwhile, so a repair is safe
 *   anything else	handed out, or between a caller and the cache: its
 *			red zones were made active under the cache lock and
 *			stay so until a free, under the same lock, poisons
 *			the object; only its red zones are checked, and only
 *			they (bytes the allocator owns) are ever restored
 * Returns the damaged areas found, each reported, counted and restored.
 */
unsigned long myslab_debug_validate_slab(struct myslab_cache *cache,
					 struct myslab_slab *slab)
	__must_hold(&cache->lock)
{
	unsigned long problems = 0;
	unsigned int i, damage;
	bool meta;

	lockdep_assert_held(&cache->lock);
	if (!(cache->debug & (MYSLAB_RED_ZONE | MYSLAB_POISON)))
		return 0;
	meta = myslab_meta_begin(cache);
	for (i = 0; i < cache->objs_per_slab; i++) {
		damage = myslab_check_object(cache, myslab_obj_at(cache, slab, i),
					     test_bit(i, myslab_slab_list_map(cache, slab)),
					     MYSLAB_CHECK_VALIDATE);
		problems += hweight_long(damage);
	}
	myslab_meta_end(meta);
	return problems;
}

/**
 * myslab_cache_tracks() - copy the owner records of a cache's objects
 * @cache: a cache with MYSLAB_STORE_USER
 * @item: MYSLAB_TRACK_ALLOC for the last allocation of every object handed
 *	out, MYSLAB_TRACK_FREE for the last free of every free object
 * @out: room for @max records
 * @max: how many fit
 *
 * Objects without such a record (never freed) are left out. Taken under
 * the cache lock, slab by slab.
 *
 * Return: the number of records there are (more than @max when some did not
 * fit), or -EINVAL when the cache keeps none.
 */
long myslab_cache_tracks(struct myslab_cache *cache,
			 enum myslab_track_item item,
			 struct myslab_track *out, unsigned long max)
{
	struct myslab_track *t;
	struct myslab_slab *slab;
	bool want_free = item == MYSLAB_TRACK_FREE, meta, free;
	unsigned long flags, n = 0;
	unsigned int i;
	int l;

	if (!(cache->debug & MYSLAB_STORE_USER))
		return -EINVAL;
	spin_lock_irqsave(&cache->lock, flags);
	meta = myslab_meta_begin(cache);
	for (l = 0; l < MYSLAB_NR_LISTS; l++) {
		list_for_each_entry(slab, &cache->lists[l], list) {
			for (i = 0; i < cache->objs_per_slab; i++) {
				free = myslab_obj_is_free(slab, i);
				if (free != want_free)
					continue;
				t = myslab_track_of(cache,
						    myslab_obj_at(cache, slab, i),
						    item);
				if (!t->addr)
					continue;
				if (n < max)
					out[n] = *t;
				n++;
			}
		}
	}
	myslab_meta_end(meta);
	spin_unlock_irqrestore(&cache->lock, flags);
	return n;
}
EXPORT_SYMBOL_NS_GPL(myslab_cache_tracks, MYSLAB_NS);
