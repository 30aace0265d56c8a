// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: debug options, damage detection and reports.
 *
 * A cache with any of F, Z, P or U (struct myslab_cache.debug) takes these
 * paths instead of the magazines: an allocation pops an object straight off
 * a slab's free list and a free pushes it back, both under the cache lock,
 * so that every object is checked and recorded where it changes hands.
 *
 *   alloc  (F) walk the slab's free list; pop an object; check that its red
 *          zones are inactive (Z) and its poison intact (P); mark the red
 *          zones active; record the caller (U)
 *   free   check that the red zones are active (Z); record the caller (U);
 *          poison the object (P); mark the red zones inactive; push it;
 *          (F) walk the slab's free list
 *
 * What is found is reported once (myslab_report_object() and friends: the
 * object, what changed, a dump of the bytes around it, the last owners),
 * counted in the cache's error counters, and repaired: a red zone of an
 * object in use is restored and the free goes on; damage in a free object
 * (a write after free, or into its red zone) is restored and its slab
 * quarantined, as a corrupted free list is: nothing more is handed out of
 * it, and it goes back to the buddy allocator once every object still out
 * has come back. Validation, which may run while objects change hands,
 * repairs only what it can prove nobody else touches (see
 * myslab_debug_validate_slab()) and leaves the slabs where they are.
 *
 * The environment (clock, pid, stacks, kmemleak, KASAN, fault injection,
 * KUnit's report counting, debugfs) comes through struct myslab_slab_ops,
 * which the module installs; without it the core still works.
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

#include "slab_internal.h"
#include "slab_magazine.h"

const struct myslab_slab_ops *myslab_slab_ops;

/* The myslab_debug= value; set once while the module loads. */
static struct myslab_debug_spec myslab_debug_spec;

/* === Options: the myslab_debug= syntax === */

static const struct {
	char letter;
	unsigned int flag;
} myslab_debug_letters[] = {
	{ 'F', MYSLAB_CONSISTENCY_CHECKS },
	{ 'Z', MYSLAB_RED_ZONE },
	{ 'P', MYSLAB_POISON },
	{ 'U', MYSLAB_STORE_USER },
	{ 'A', MYSLAB_FAILSLAB },
};

/**
 * myslab_debug_flags_string() - the letters of a set of debug options
 * @flags: MYSLAB_DEBUG_FLAGS bits (others are ignored)
 * @buf: output
 * @size: its size
 *
 * Letters in the order F Z P U A, or "-" for none.
 *
 * Return: the length of the string (as snprintf()).
 */
int myslab_debug_flags_string(unsigned int flags, char *buf, size_t size)
{
	char letters[ARRAY_SIZE(myslab_debug_letters) + 1];
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(myslab_debug_letters); i++)
		if (flags & myslab_debug_letters[i].flag)
			letters[n++] = myslab_debug_letters[i].letter;
	letters[n] = '\0';
	return snprintf(buf, size, "%s", n ? letters : "-");
}
EXPORT_SYMBOL_GPL(myslab_debug_flags_string);

static int myslab_debug_letter(char c, unsigned int *flag)
{
	unsigned int i;

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	for (i = 0; i < ARRAY_SIZE(myslab_debug_letters); i++) {
		if (myslab_debug_letters[i].letter == c) {
			*flag = myslab_debug_letters[i].flag;
			return 0;
		}
	}
	return -EINVAL;
}

/* The options field of a block: letters, or a lone '-'. */
static int myslab_debug_options(const char *s, size_t len, unsigned int *flags,
				const char **why)
{
	unsigned int flag;
	size_t i;

	*flags = 0;
	if (!len) {
		*why = "a block has no options (expected letters of FZPUA, or -)";
		return -EINVAL;
	}
	if (len == 1 && s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (myslab_debug_letter(s[i], &flag)) {
			*why = s[i] == '-' ? "'-' must stand alone" :
			       "unknown option letter (expected F, Z, P, U, A or -)";
			return -EINVAL;
		}
		*flags |= flag;
	}
	return 0;
}

static bool myslab_debug_rule_matches(const struct myslab_debug_rule *rule,
				      const char *name)
{
	if (rule->prefix)
		return !strncmp(name, rule->name, strlen(rule->name));
	return !strcmp(name, rule->name);
}

/* One cache name (or prefix*) of a block. */
static int myslab_debug_name(const char *s, size_t len, unsigned int flags,
			     struct myslab_debug_spec *spec, const char **why)
{
	struct myslab_debug_rule *rule;
	unsigned int i;

	if (spec->nr_rules == MYSLAB_DEBUG_SPEC_RULES) {
		*why = "more than 16 cache names";
		return -EINVAL;
	}
	rule = &spec->rules[spec->nr_rules];
	rule->flags = flags;
	rule->prefix = len && s[len - 1] == '*';
	if (rule->prefix)
		len--;
	if (!len || len >= MYSLAB_CACHE_NAME_LEN) {
		*why = "a cache name is empty or longer than 31 characters";
		return -EINVAL;
	}
	memcpy(rule->name, s, len);
	rule->name[len] = '\0';
	if (myslab_cache_name_check(rule->name) || strchr(rule->name, '*')) {
		*why = "a cache name has a character a cache name cannot have";
		return -EINVAL;
	}
	for (i = 0; i < spec->nr_rules; i++) {
		if (spec->rules[i].prefix == rule->prefix &&
		    !strcmp(spec->rules[i].name, rule->name)) {
			*why = "a cache name is given twice";
			return -EINVAL;
		}
	}
	spec->nr_rules++;
	return 0;
}

/* One block: "<options>[,<name>[,<name>...]]". */
static int myslab_debug_block(const char *s, size_t len,
			      struct myslab_debug_spec *spec, const char **why)
{
	const char *end = s + len, *field, *comma;
	unsigned int flags;
	int err;

	comma = memchr(s, ',', len);
	err = myslab_debug_options(s, (comma ? comma : end) - s, &flags, why);
	if (err)
		return err;
	if (!comma) {
		if (spec->has_global) {
			*why = "two blocks without cache names";
			return -EINVAL;
		}
		spec->has_global = true;
		spec->global = flags;
		return 0;
	}
	for (field = comma + 1; ; field = comma + 1) {
		comma = memchr(field, ',', end - field);
		err = myslab_debug_name(field, (comma ? comma : end) - field,
					flags, spec, why);
		if (err || !comma)
			return err;
	}
}

/**
 * myslab_debug_parse() - parse a myslab_debug= value
 * @str: the value (NUL-terminated; one trailing newline is ignored)
 * @spec: filled in
 * @why: set to a short explanation when the value is refused
 *
 * Syntax, as slub_debug's: blocks separated by ';', each
 * "<options>[,<cache>[,<cache>...]]". Options are letters of F, Z, P, U, A
 * (either case) or a lone '-' for none; a cache is a name, or a prefix
 * ending in '*'. A block without names applies to every cache no other
 * block names; for a named cache, the first block naming it wins. An empty
 * value means no debugging. At most 255 characters and 16 names.
 *
 * Return: 0, or -EINVAL (nothing is set in @spec that means anything).
 */
int myslab_debug_parse(const char *str, struct myslab_debug_spec *spec,
		       const char **why)
{
	size_t len = strnlen(str, MYSLAB_DEBUG_SPEC_LEN), i;
	const char *block, *semi, *end;
	int err;

	memset(spec, 0, sizeof(*spec));
	*why = "";
	if (len == MYSLAB_DEBUG_SPEC_LEN) {
		*why = "longer than 255 characters";
		return -EINVAL;
	}
	if (len && str[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		if (str[i] <= ' ' || str[i] > '~') {
			*why = "blanks, control characters and non-ASCII bytes are not allowed";
			return -EINVAL;
		}
	}
	if (!len)
		return 0;
	end = str + len;
	for (block = str; ; block = semi + 1) {
		semi = memchr(block, ';', end - block);
		err = myslab_debug_block(block, (semi ? semi : end) - block,
					 spec, why);
		if (err) {
			memset(spec, 0, sizeof(*spec));
			return err;
		}
		if (!semi)
			return 0;
	}
}
EXPORT_SYMBOL_GPL(myslab_debug_parse);

/**
 * myslab_debug_spec_string() - a parsed myslab_debug= value, written back
 * @spec: the value
 * @buf: output
 * @size: its size
 *
 * The global block first, then one block per name, so that parsing the
 * result gives @spec again. An empty spec gives "".
 *
 * Return: the length of the string (as snprintf()).
 */
int myslab_debug_spec_string(const struct myslab_debug_spec *spec, char *buf,
			     size_t size)
{
	char letters[8];
	unsigned int i;
	int len = 0;

	if (size)
		buf[0] = '\0';
	if (spec->has_global) {
		myslab_debug_flags_string(spec->global, letters, sizeof(letters));
		len += snprintf(buf, size, "%s", letters);
	}
	for (i = 0; i < spec->nr_rules; i++) {
		const struct myslab_debug_rule *rule = &spec->rules[i];

		myslab_debug_flags_string(rule->flags, letters, sizeof(letters));
		len += snprintf(buf + min_t(size_t, len, size),
				size - min_t(size_t, len, size), "%s%s,%s%s",
				len ? ";" : "", letters, rule->name,
				rule->prefix ? "*" : "");
	}
	return len;
}
EXPORT_SYMBOL_GPL(myslab_debug_spec_string);

/**
 * myslab_debug_spec_flags() - the options a spec gives a cache name
 * @spec: the spec
 * @name: the cache name
 *
 * Return: MYSLAB_DEBUG_FLAGS bits: the first rule matching @name, else the
 * global block, else none.
 */
unsigned int myslab_debug_spec_flags(const struct myslab_debug_spec *spec,
				     const char *name)
{
	unsigned int i;

	for (i = 0; i < spec->nr_rules; i++)
		if (myslab_debug_rule_matches(&spec->rules[i], name))
			return spec->rules[i].flags;
	return spec->has_global ? spec->global : 0;
}
EXPORT_SYMBOL_GPL(myslab_debug_spec_flags);

/*
 * Install the module's myslab_debug= value. Only while the module loads,
 * before any cache exists: creation reads it without a lock.
 */
void myslab_debug_set_spec(const struct myslab_debug_spec *spec)
{
	myslab_debug_spec = *spec;
}

/* The options myslab_debug= gives a cache of this name. */
unsigned int myslab_debug_flags_for(const char *name)
{
	return myslab_debug_spec_flags(&myslab_debug_spec, name);
}

/* === The environment === */

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
 * Once, before any object is allocated concurrently (the module does it at
 * load, after creating its own caches, which hold no object yet). Caches
 * that exist already get their detector hooks and their @cache_add now.
 *
 * Context: may sleep.
 */
void myslab_slab_set_ops(const struct myslab_slab_ops *ops)
{
	struct myslab_cache *cache;

	/* Published first: a cache registered after the walk sees the ops. */
	WRITE_ONCE(myslab_slab_ops, ops);
	myslab_registry_lock();
	list_for_each_entry(cache, myslab_registry_list(), registry) {
		mutex_lock(&cache->tune_mutex);
		WRITE_ONCE(cache->hooks, myslab_cache_hooks_for(cache) |
			   (cache->hooks & MYSLAB_HOOK_FAILSLAB));
		mutex_unlock(&cache->tune_mutex);
		ops->cache_add(cache);
	}
	myslab_registry_unlock();
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
EXPORT_SYMBOL_GPL(myslab_cache_set_failslab);

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
 * magazines' part in slab_magazine.c): counted, and reported (counted under
 * KUnit).
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

/* === Owner records (U) === */

static void myslab_track_prepare(struct myslab_track *t, unsigned long caller)
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

static void myslab_set_redzones(struct myslab_cache *cache, void *obj, u8 value)
{
	memset(obj - cache->red_left, value, cache->red_left);
	memset(obj + cache->object_size, value,
	       cache->red_end - cache->object_size);
}

static void myslab_set_poison(struct myslab_cache *cache, void *obj)
{
	memset(obj, MYSLAB_POISON_FREE, cache->object_size - 1);
	*(u8 *)(obj + cache->object_size - 1) = MYSLAB_POISON_END;
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

/* Where a check runs: it decides what the repair is and says so. */
enum myslab_check_site {
	MYSLAB_CHECK_ALLOC,	/* a free object about to be handed out */
	MYSLAB_CHECK_FREE,	/* an object in use being freed */
	MYSLAB_CHECK_VALIDATE,	/* validation, either state */
};

#define MYSLAB_DAMAGE_REDZONE	0x1u
#define MYSLAB_DAMAGE_POISON	0x2u

/*
 * Check an object's red zones (active when in use, inactive when free) and,
 * when free, its poison. Each damaged area is reported, counted and
 * restored. Returns MYSLAB_DAMAGE_* bits. The cache lock is held and a meta
 * window open (or the object is the caller's).
 */
static unsigned int myslab_check_object(struct myslab_cache *cache, void *obj,
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

/* === The debug paths === */

/*
 * Take one object off @slab for an allocation, checking as the options
 * say; NULL when the slab had to be quarantined (the caller tries another).
 */
static void *myslab_debug_take(struct myslab_cache *cache,
			       struct myslab_slab *slab,
			       struct list_head *dispose)
	__must_hold(&cache->lock)
{
	void *obj, *bad = NULL;

	lockdep_assert_held(&cache->lock);
	if ((cache->debug & MYSLAB_CONSISTENCY_CHECKS) &&
	    myslab_freelist_walk(cache, slab, false, &bad) == UINT_MAX) {
		myslab_slab_quarantine(cache, slab, bad, dispose);
		return NULL;
	}
	obj = myslab_slab_pop(cache, slab, dispose);
	if (!obj)
		return NULL;
	myslab_slab_relist(cache, slab);
	if (myslab_check_object(cache, obj, true, MYSLAB_CHECK_ALLOC)) {
		/* Back among the slab's free objects, all of them lost now. */
		slab->inuse--;
		cache->free_objects++;
		myslab_slab_abandon(cache, slab, dispose);
		return NULL;
	}
	return obj;
}

/*
 * One object for an allocation, or NULL when the region has no slab left.
 * Not yet handed out (its free byte is still set) nor counted.
 */
static void *myslab_debug_get(struct myslab_cache *cache, gfp_t gfp,
			      const struct myslab_track *track)
{
	struct myslab_slab *slab;
	unsigned long flags;
	LIST_HEAD(dispose);
	void *obj = NULL;
	bool meta;

	spin_lock_irqsave(&cache->lock, flags);
	while (!obj) {
		slab = myslab_slab_pick_or_grow(cache, gfp, &flags);
		if (!slab)
			break;
		meta = myslab_meta_begin(cache);
		obj = myslab_debug_take(cache, slab, &dispose);
		if (obj)
			myslab_transit_add(cache, 1);
		if (obj && (cache->debug & MYSLAB_RED_ZONE))
			myslab_set_redzones(cache, obj, MYSLAB_RED_ACTIVE);
		if (obj && (cache->debug & MYSLAB_STORE_USER))
			*myslab_track_of(cache, obj, MYSLAB_TRACK_ALLOC) = *track;
		myslab_meta_end(meta);
	}
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &dispose);
	return obj;
}

/*
 * An object (marked free in the free map) goes back to its slab. @track is
 * the free record, or NULL to leave the records alone (undoing a failed bulk
 * allocation). @check: its red zones must be active.
 */
static void myslab_debug_put(struct myslab_cache *cache, void *obj,
			     const struct myslab_track *track, bool check)
{
	struct myslab_slab *slab = myslab_slab_of(cache, obj);
	void *bad = NULL;
	unsigned long flags;
	LIST_HEAD(dispose);
	bool meta;

	spin_lock_irqsave(&cache->lock, flags);
	meta = myslab_meta_begin(cache);
	if (check)
		myslab_check_object(cache, obj, false, MYSLAB_CHECK_FREE);
	if (track && (cache->debug & MYSLAB_STORE_USER))
		*myslab_track_of(cache, obj, MYSLAB_TRACK_FREE) = *track;
	if (myslab_poisons(cache))
		myslab_set_poison(cache, obj);
	if (cache->debug & MYSLAB_RED_ZONE)
		myslab_set_redzones(cache, obj, MYSLAB_RED_INACTIVE);
	myslab_slab_push(cache, obj, &dispose);
	myslab_transit_add(cache, -1);
	if ((cache->debug & MYSLAB_CONSISTENCY_CHECKS) && !slab->corrupted &&
	    myslab_freelist_walk(cache, slab, false, &bad) == UINT_MAX)
		myslab_slab_quarantine(cache, slab, bad, &dispose);
	myslab_meta_end(meta);
	myslab_slabs_trim(cache, MYSLAB_EMPTY_SLABS_KEPT, &dispose);
	spin_unlock_irqrestore(&cache->lock, flags);
	myslab_slabs_give_back(cache, &dispose);
}

/* The debug path of myslab_cache_alloc(); zeroing is the caller's. */
void *myslab_debug_alloc(struct myslab_cache *cache, gfp_t gfp,
			 unsigned long caller)
{
	struct myslab_track track;
	void *obj;

	myslab_track_prepare(&track, caller);
	obj = myslab_debug_get(cache, gfp, &track);
	if (!obj) {
		myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_FAILED);
		return NULL;
	}
	myslab_hand_out(cache, obj);
	myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_SLOW);
	return obj;
}

/* The debug path of myslab_cache_free(), after the pointer checked out. */
void myslab_debug_free(struct myslab_cache *cache, void *obj,
		       unsigned long caller)
{
	struct myslab_track track;

	myslab_track_prepare(&track, caller);
	myslab_debug_put(cache, obj, &track, true);
	myslab_cache_count(cache, MYSLAB_CACHE_FREE_SLOW);
}

/* The debug path of myslab_cache_alloc_bulk(): all or nothing. */
int myslab_debug_alloc_bulk(struct myslab_cache *cache, gfp_t gfp,
			    size_t nr, void **objs, unsigned long caller)
{
	struct myslab_track track;
	size_t i;

	myslab_track_prepare(&track, caller);
	for (i = 0; i < nr; i++) {
		objs[i] = myslab_debug_get(cache, gfp, &track);
		if (!objs[i])
			break;
	}
	if (i < nr) {
		while (i-- > 0)
			myslab_debug_put(cache, objs[i], NULL, false);
		myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_FAILED);
		return 0;
	}
	for (i = 0; i < nr; i++) {
		myslab_hand_out(cache, objs[i]);
		myslab_cache_count(cache, MYSLAB_CACHE_ALLOC_SLOW);
	}
	return nr;
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
EXPORT_SYMBOL_GPL(myslab_cache_tracks);
