// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite myslab_slab_debug: debug options, damage and misuse planted on
 * purpose, validation, owner records, fault injection and KASAN's shadow.
 *
 * Each case counts the slab layer's reports through the "myslab_errors"
 * named resource (as lib/slub_kunit.c counts "slab_errors") and asserts the
 * exact number, then proves the repair left the cache consistent: it
 * validates clean and destroys without a leak, and the fixture finds the
 * case's private region sound and entirely free. Deliberate writes into red
 * zones and free objects are wrapped in kasan_disable_current(), since KASAN
 * watches those bytes too.
 */
#include <kunit/test.h>
#include <linux/fault-inject.h>
#include <linux/kasan.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "slab_fixture.h"
#include "kernel/hooks/slab_hooks.h"

#define FZPU	(MYSLAB_CONSISTENCY_CHECKS | MYSLAB_RED_ZONE | MYSLAB_POISON | \
		 MYSLAB_STORE_USER)

static int dbg_init(struct kunit *test)
{
	slab_test_count_reports(test);
	return slab_fixture_init(test);
}

/* Write into memory KASAN may watch (red zones, free objects). */
static void plant_byte(void *p, u8 value)
{
	kasan_disable_current();
	WRITE_ONCE(*(u8 *)p, value);
	kasan_enable_current();
}

/* Does [p, p + len) hold only @value? Read with KASAN looking away. */
static bool all_bytes(const void *p, size_t len, u8 value)
{
	const u8 *b = p;
	bool same = true;
	size_t i;

	kasan_disable_current();
	for (i = 0; i < len; i++)
		if (b[i] != value)
			same = false;
	kasan_enable_current();
	return same;
}

static bool poisoned(struct myslab_cache *cache, const void *obj)
{
	return all_bytes(obj, cache->object_size - 1, MYSLAB_POISON_FREE) &&
	       all_bytes(obj + cache->object_size - 1, 1, MYSLAB_POISON_END);
}

static bool red_zones(struct myslab_cache *cache, const void *obj, u8 value)
{
	return all_bytes(obj - cache->red_left, cache->red_left, value) &&
	       all_bytes(obj + cache->object_size,
			 cache->red_end - cache->object_size, value);
}

static struct myslab_track track_of(struct myslab_cache *cache, void *obj,
				    enum myslab_track_item item)
{
	struct myslab_track t;

	kasan_disable_current();
	t = *myslab_track_of(cache, obj, item);
	kasan_enable_current();
	return t;
}

static void expect_reports(struct kunit *test, int n)
{
	KUNIT_EXPECT_EQ_MSG(test, slab_test_reports(), n,
			    "reports printed by the slab layer");
}

/* The cache's counters, less the ones taken at @base. */
static unsigned long counter_since(struct myslab_cache *cache,
				   const unsigned long *base,
				   enum myslab_cache_counter c)
{
	return slab_test_counter(cache, c) - base[c];
}

/* === Option strings === */

struct parse_case {
	const char *str;
	int err;
	const char *name;	/* with its expected options, when accepted */
	unsigned int flags;
	const char *other;	/* a second name to check */
	unsigned int other_flags;
};

static const struct parse_case parse_cases[] = {
	{ "", 0, "kmalloc-64", 0 },
	{ "FZPU", 0, "kmalloc-64", FZPU, "task_struct", FZPU },
	{ "fzpu\n", 0, "any", FZPU },
	{ "-", 0, "any", 0 },
	{ "A", 0, "any", MYSLAB_FAILSLAB },
	{ "FZ,task_struct;P,kmalloc-64", 0, "task_struct",
	  MYSLAB_CONSISTENCY_CHECKS | MYSLAB_RED_ZONE, "kmalloc-64", MYSLAB_POISON },
	{ "FZ,task_struct;P,kmalloc-64", 0, "kmalloc-32", 0 },
	{ "P,kmalloc-*", 0, "kmalloc-2k", MYSLAB_POISON, "task_struct", 0 },
	{ "U;F,a,b", 0, "b", MYSLAB_CONSISTENCY_CHECKS, "c", MYSLAB_STORE_USER },
	{ "Z,t-*;-,t-plain", 0, "t-plain", MYSLAB_RED_ZONE, "t-other", MYSLAB_RED_ZONE },
	{ "-,t-plain;Z,t-*", 0, "t-plain", 0, "t-other", MYSLAB_RED_ZONE },
	{ ";", -EINVAL },
	{ "FZ;", -EINVAL },
	{ ",a", -EINVAL },
	{ "X", -EINVAL },
	{ "F-", -EINVAL },
	{ "--", -EINVAL },
	{ "F,,a", -EINVAL },
	{ "F,a,", -EINVAL },
	{ "F,a;Z,a", -EINVAL },
	{ "F;Z", -EINVAL },
	{ "F,*", -EINVAL },
	{ "F,a*b", -EINVAL },
	{ "F, a", -EINVAL },
	{ "F,a\x01", -EINVAL },
	{ "F,\x80", -EINVAL },
	{ "F,a-name-of-32-characters-is-long-", -EINVAL },
	{ "F\n\n", -EINVAL },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%*pE\"", (int)strlen(c->str),
		 c->str);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void debug_option_strings(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct myslab_debug_spec *spec, *again;
	const char *why;
	char *buf;

	spec = kunit_kzalloc(test, sizeof(*spec), GFP_KERNEL);
	again = kunit_kzalloc(test, sizeof(*again), GFP_KERNEL);
	buf = kunit_kzalloc(test, MYSLAB_DEBUG_SPEC_LEN * 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spec);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	KUNIT_ASSERT_EQ(test, myslab_debug_parse(c->str, spec, &why), c->err);
	if (c->err) {
		KUNIT_EXPECT_GT_MSG(test, strlen(why), 0, "no explanation");
		KUNIT_EXPECT_EQ(test, myslab_debug_spec_flags(spec, "any"), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, myslab_debug_spec_flags(spec, c->name), c->flags);
	if (c->other)
		KUNIT_EXPECT_EQ(test, myslab_debug_spec_flags(spec, c->other),
				c->other_flags);
	/* Written back, it parses to the same thing. */
	myslab_debug_spec_string(spec, buf, MYSLAB_DEBUG_SPEC_LEN * 2);
	KUNIT_ASSERT_EQ_MSG(test, myslab_debug_parse(buf, again, &why), 0,
			    "\"%s\": %s", buf, why);
	KUNIT_EXPECT_EQ(test, memcmp(spec, again, sizeof(*spec)), 0);
	expect_reports(test, 0);
}

static void debug_option_limits(struct kunit *test)
{
	struct myslab_debug_spec *spec;
	const char *why;
	char *s, *p;
	int i;

	spec = kunit_kzalloc(test, sizeof(*spec), GFP_KERNEL);
	s = kunit_kzalloc(test, 2 * MYSLAB_DEBUG_SPEC_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, spec);
	KUNIT_ASSERT_NOT_NULL(test, s);
	/* 16 names are fine, 17 are not. */
	p = s + sprintf(s, "F");
	for (i = 0; i < MYSLAB_DEBUG_SPEC_RULES; i++)
		p += sprintf(p, ",n%d", i);
	KUNIT_EXPECT_EQ(test, myslab_debug_parse(s, spec, &why), 0);
	KUNIT_EXPECT_EQ(test, spec->nr_rules, MYSLAB_DEBUG_SPEC_RULES);
	KUNIT_EXPECT_EQ(test, myslab_debug_spec_flags(spec, "n15"),
			MYSLAB_CONSISTENCY_CHECKS);
	sprintf(p, ",n%d", i);
	KUNIT_EXPECT_EQ(test, myslab_debug_parse(s, spec, &why), -EINVAL);
	/* 255 characters are fine, 256 are not. */
	memset(s, 'F', MYSLAB_DEBUG_SPEC_LEN - 1);
	s[MYSLAB_DEBUG_SPEC_LEN - 1] = '\0';
	KUNIT_EXPECT_EQ(test, myslab_debug_parse(s, spec, &why), 0);
	s[MYSLAB_DEBUG_SPEC_LEN - 1] = 'F';
	KUNIT_EXPECT_EQ(test, myslab_debug_parse(s, spec, &why), -EINVAL);
	expect_reports(test, 0);
}

/* === Layout === */

struct layout_case {
	unsigned int size;
	unsigned int align;
	unsigned int flags;
	bool ctor;
};

static const struct layout_case layout_cases[] = {
	{ 64, 0, FZPU }, { 60, 0, FZPU }, { 1, 0, MYSLAB_RED_ZONE },
	{ 60, 0, MYSLAB_RED_ZONE }, { 64, 64, MYSLAB_RED_ZONE | MYSLAB_POISON },
	{ 100, 0, MYSLAB_POISON }, { 100, 0, MYSLAB_STORE_USER },
	{ 100, 0, MYSLAB_CONSISTENCY_CHECKS }, { 120, 0, FZPU, true },
	{ 512, 512, FZPU }, { 4096, 4096, MYSLAB_RED_ZONE },
	{ 9344, 64, FZPU }, { 20000, 0, FZPU },
	{ 100, 0, MYSLAB_HWCACHE_ALIGN | FZPU },
};

static void layout_case_desc(const struct layout_case *c, char *desc)
{
	char letters[8];

	myslab_debug_flags_string(c->flags, letters, sizeof(letters));
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u align %u %s%s%s",
		 c->size, c->align, letters,
		 c->flags & MYSLAB_HWCACHE_ALIGN ? " hwcache" : "",
		 c->ctor ? " ctor" : "");
}

KUNIT_ARRAY_PARAM(layout, layout_cases, layout_case_desc);

/* The slot as documented in <myslab/slab.h>, re-derived. */
static void debug_layout(struct kunit *test)
{
	const struct layout_case *c = test->param_value;
	unsigned int end, red_left = 0, red_right = 0, freeptr = 0, track = 0;
	struct myslab_slab_geometry g;
	unsigned int bytes, first_slot;

	KUNIT_ASSERT_EQ(test, myslab_slab_geometry(c->size, c->align, c->flags,
						   c->ctor, 10, &g), 0);
	end = ALIGN(c->size, sizeof(void *));
	if (c->flags & MYSLAB_RED_ZONE) {
		red_left = ALIGN(sizeof(void *), g.align);
		end += sizeof(void *);
		red_right = end - c->size;
	}
	if (c->ctor || (c->flags & MYSLAB_POISON) ||
	    ((c->flags & MYSLAB_RED_ZONE) && c->size < sizeof(void *))) {
		freeptr = end;
		end += sizeof(void *);
	}
	if (c->flags & MYSLAB_STORE_USER) {
		track = end;
		end += 2 * sizeof(struct myslab_track);
	}
	KUNIT_EXPECT_EQ(test, g.red_left, red_left);
	KUNIT_EXPECT_EQ(test, g.red_right, red_right);
	KUNIT_EXPECT_EQ(test, g.freeptr_offset, freeptr);
	KUNIT_EXPECT_EQ(test, g.track_offset, track);
	KUNIT_EXPECT_EQ(test, g.slot_size, ALIGN(red_left + end, g.align));
	/* Objects aligned; the slots cover header, slots and leftover. */
	bytes = PAGE_SIZE << g.order;
	first_slot = g.first_offset - g.red_left;
	KUNIT_EXPECT_EQ(test, g.first_offset % g.align, 0);
	KUNIT_EXPECT_EQ(test, first_slot, ALIGN(g.header_size, g.align));
	KUNIT_EXPECT_EQ(test, g.header_size + g.objs_per_slab * g.slot_size + g.waste,
			bytes);
	KUNIT_EXPECT_LE(test, first_slot + (g.colour_range - 1) * g.colour_step +
			g.objs_per_slab * g.slot_size, bytes);
	KUNIT_EXPECT_EQ(test, g.colour_range,
			(bytes - first_slot - g.objs_per_slab * g.slot_size) /
			g.colour_step + 1);
	expect_reports(test, 0);
}

/* === A clean life: poison, red zones and records where they belong === */

static void debug_clean_cycle(struct kunit *test)
{
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	struct myslab_track t;
	unsigned int i, nr;
	void **objs;

	cache = slab_test_cache(test, "t-dbg-clean", 60, 0, FZPU, NULL);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, myslab_cache_usable_size(cache), 60);
	KUNIT_EXPECT_EQ(test, myslab_cache_debug_flags(cache), FZPU);
	nr = 2 * st.objs_per_slab + 3;
	objs = kunit_kcalloc(test, nr, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	for (i = 0; i < nr; i++) {
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		/* Handed out: poison kept (P), red zones active, owner recorded. */
		KUNIT_EXPECT_TRUE(test, poisoned(cache, objs[i]));
		KUNIT_EXPECT_TRUE(test, red_zones(cache, objs[i], MYSLAB_RED_ACTIVE));
		t = track_of(cache, objs[i], MYSLAB_TRACK_ALLOC);
		KUNIT_EXPECT_NE(test, t.addr, 0);
		KUNIT_EXPECT_EQ(test, t.pid, current->pid);
		KUNIT_EXPECT_LT(test, (unsigned int)t.cpu, nr_cpu_ids);
		KUNIT_EXPECT_EQ(test, track_of(cache, objs[i], MYSLAB_TRACK_FREE).addr, 0);
		memset(objs[i], 0x11, 60);
	}
	/* Every object was recorded from the same call site. */
	KUNIT_EXPECT_EQ(test, track_of(cache, objs[0], MYSLAB_TRACK_ALLOC).addr,
			track_of(cache, objs[nr - 1], MYSLAB_TRACK_ALLOC).addr);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, nr);
	KUNIT_EXPECT_EQ(test, st.cpu_cached, 0);	/* no magazines */
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
		KUNIT_EXPECT_TRUE(test, poisoned(cache, objs[i]));
		KUNIT_EXPECT_TRUE(test, red_zones(cache, objs[i], MYSLAB_RED_INACTIVE));
		KUNIT_EXPECT_NE(test, track_of(cache, objs[i], MYSLAB_TRACK_FREE).addr, 0);
	}
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ALLOC_SLOW), nr);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_FREE_SLOW), nr);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ALLOC_FAST), 0);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_FREE_FAST), 0);
	/* __GFP_ZERO zeroes the object, not its red zones. */
	objs[0] = myslab_cache_alloc(cache, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, objs[0]);
	KUNIT_EXPECT_TRUE(test, all_bytes(objs[0], 60, 0));
	KUNIT_EXPECT_TRUE(test, red_zones(cache, objs[0], MYSLAB_RED_ACTIVE));
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[0]), 0);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 0);
	expect_reports(test, 0);
	KUNIT_EXPECT_GT(test, myslab_cache_shrink(cache), 0);
	slab_test_cache_done(test, cache);
}

/*
 * Objects smaller than a pointer: their free-list link cannot live in them
 * without spilling into the red zone after them. Nothing is planted: any
 * report would be the allocator mistaking its own link for damage.
 */
static void debug_tiny_objects(struct kunit *test)
{
	struct myslab_cache *cache;
	unsigned int size, i;
	void *objs[8];

	for (size = 1; size <= 16; size++) {
		cache = slab_test_cache(test, "t-dbg-tiny", size, 0,
					MYSLAB_RED_ZONE, NULL);
		for (i = 0; i < 2; i++) {
			KUNIT_ASSERT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL,
								      8, objs), 8);
			KUNIT_EXPECT_TRUE(test, red_zones(cache, objs[7],
							  MYSLAB_RED_ACTIVE));
			myslab_cache_free_bulk(cache, 8, objs);
		}
		KUNIT_EXPECT_EQ_MSG(test, slab_test_errors(cache), 0, "size %u", size);
		slab_test_cache_done(test, cache);
	}
	expect_reports(test, 0);
}

/* A constructor's state survives: P poisons nothing, Z and U still work. */
#define CTOR_SIZE	100
static void dbg_ctor(void *obj)
{
	memset(obj, 0xc7, CTOR_SIZE);
}

static void debug_ctor_not_poisoned(struct kunit *test)
{
	struct myslab_cache *cache;
	void *a;

	cache = slab_test_cache(test, "t-dbg-ctor", CTOR_SIZE, 0, FZPU, dbg_ctor);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, all_bytes(a, CTOR_SIZE, 0xc7));
	KUNIT_EXPECT_TRUE(test, red_zones(cache, a, MYSLAB_RED_ACTIVE));
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	KUNIT_EXPECT_TRUE(test, all_bytes(a, CTOR_SIZE, 0xc7));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	/* The same object comes back (last in, first out), constructed. */
	KUNIT_EXPECT_PTR_EQ(test, myslab_cache_alloc(cache, GFP_KERNEL), a);
	KUNIT_EXPECT_TRUE(test, all_bytes(a, CTOR_SIZE, 0xc7));
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	expect_reports(test, 0);
	slab_test_cache_done(test, cache);
}

/* === Red zones === */

struct redzone_case {
	const char *name;
	int offset;		/* from the object start */
	unsigned int len;
};

static const struct redzone_case redzone_cases[] = {
	{ "1 byte past the end", 60, 1 },
	{ "8 bytes past the end", 60, 8 },
	{ "last byte of the right red zone", 71, 1 },
	{ "1 byte before the start", -1, 1 },
	{ "whole left red zone", -8, 8 },
};

static void redzone_case_desc(const struct redzone_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(redzone, redzone_cases, redzone_case_desc);

/* An object in use writes into its red zone; its free finds and repairs it. */
static void debug_redzone_overwritten(struct kunit *test)
{
	const struct redzone_case *c = test->param_value;
	unsigned long base[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache *cache;
	unsigned int i;
	void *a, *b;

	/* 60-byte objects: red zones 8 before, 12 after. */
	cache = slab_test_cache(test, "t-dbg-rz", 60, 0, FZPU, NULL);
	KUNIT_ASSERT_EQ(test, cache->red_left, 8);
	KUNIT_ASSERT_EQ(test, cache->red_end, 72);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	b = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	myslab_cache_counters(cache, base);
	for (i = 0; i < c->len; i++)
		plant_byte(a + c->offset + i, 0x00);

	/* Reported once, counted, repaired; the free itself goes through. */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	expect_reports(test, 1);
	KUNIT_EXPECT_EQ(test, counter_since(cache, base, MYSLAB_CACHE_ERR_REDZONE), 1);
	KUNIT_EXPECT_TRUE(test, red_zones(cache, a, MYSLAB_RED_INACTIVE));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	/* The object is sound again: handed out and freed without a word. */
	KUNIT_EXPECT_PTR_EQ(test, myslab_cache_alloc(cache, GFP_KERNEL), a);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, b), 0);
	expect_reports(test, 1);
	KUNIT_EXPECT_EQ(test, slab_test_errors(cache), 1);
	slab_test_cache_done(test, cache);
}

/* Validation finds a red zone damaged, in use or free, and repairs it. */
static void debug_redzone_found_by_validate(struct kunit *test)
{
	struct myslab_cache *cache;
	void *a, *b;

	cache = slab_test_cache(test, "t-dbg-rzv", 64, 0,
				MYSLAB_RED_ZONE | MYSLAB_POISON, NULL);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	b = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, b), 0);
	plant_byte(a - 1, 0x5a);		/* in use */
	plant_byte(b + 64, 0x5a);		/* free */
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 2);
	expect_reports(test, 2);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_REDZONE), 2);
	KUNIT_EXPECT_TRUE(test, red_zones(cache, a, MYSLAB_RED_ACTIVE));
	KUNIT_EXPECT_TRUE(test, red_zones(cache, b, MYSLAB_RED_INACTIVE));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	expect_reports(test, 2);
	slab_test_cache_done(test, cache);
}

/* === Write after free === */

/* Found when the object is handed out again: the slab is quarantined. */
static void debug_write_after_free(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region);
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void *a, *b, *c;

	cache = slab_test_cache(test, "t-dbg-waf", 64, 0, FZPU, NULL);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	b = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	plant_byte(a + 10, 0x41);

	/* a is next in line: found damaged, repaired, its slab abandoned. */
	c = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_NE(test, c, a);
	expect_reports(test, 1);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_POISON), 1);
	KUNIT_EXPECT_TRUE(test, poisoned(cache, a));
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.corrupted_slabs, 1);
	KUNIT_EXPECT_EQ(test, st.lost_objs, st.objs_per_slab - 1);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);

	/* Its last object back: the quarantined slab goes to the buddy. */
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, b), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, c), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.corrupted_slabs, 0);
	KUNIT_EXPECT_EQ(test, st.lost_objs, 0);
	myslab_cache_shrink(cache);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	expect_reports(test, 1);
	slab_test_cache_done(test, cache);
}

/* Found by validation: repaired in place, no report the second time. */
static void debug_write_after_free_validate(struct kunit *test)
{
	struct myslab_cache *cache;
	void *a, *b;

	cache = slab_test_cache(test, "t-dbg-wafv", 64, 0, MYSLAB_POISON, NULL);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	plant_byte(a + 63, 0x00);	/* the end marker */
	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->last_validate), -1);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->last_validate), 1);
	expect_reports(test, 1);
	KUNIT_EXPECT_TRUE(test, poisoned(cache, a));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(cache->last_validate), 0);
	b = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, b), 0);
	expect_reports(test, 1);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_POISON), 1);
	slab_test_cache_done(test, cache);
}

/* === Misuse of free, with owners === */

static void debug_double_free(struct kunit *test)
{
	struct myslab_cache_stats before, after;
	struct myslab_cache *cache;
	void *a;

	cache = slab_test_cache(test, "t-dbg-df", 64, 0, FZPU, NULL);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	myslab_cache_stats(cache, &before);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), -EALREADY);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), -EALREADY);
	expect_reports(test, 2);
	myslab_cache_stats(cache, &after);
	KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);
	KUNIT_EXPECT_EQ(test, after.num_slabs, before.num_slabs);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_DOUBLE_FREE), 2);
	/* The object stayed free and sound. */
	KUNIT_EXPECT_TRUE(test, poisoned(cache, a));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	slab_test_cache_done(test, cache);
}

static void debug_invalid_frees(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	struct myslab_cache *cache, *other;
	unsigned long on_stack = 0;
	void *a, *theirs, *page;

	cache = slab_test_cache(test, "t-dbg-inv", 64, 0, FZPU, NULL);
	other = slab_test_cache(test, "t-dbg-other", 64, 0, FZPU, NULL);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	theirs = myslab_cache_alloc(other, GFP_KERNEL);
	page = myslab_alloc_pages(region, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, theirs);
	KUNIT_ASSERT_NOT_NULL(test, page);

	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, &on_stack), -EFAULT);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, (void *)1), -EFAULT);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a - cache->red_left), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a + 64), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, page), -EINVAL);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, theirs), -EXDEV);
	expect_reports(test, 7);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_OUTSIDE), 2);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_NOT_OBJECT), 4);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_WRONG_CACHE), 1);
	KUNIT_EXPECT_EQ(test, slab_test_errors(other), 0);
	/* Nothing changed: a is still in use, its red zones intact. */
	KUNIT_EXPECT_TRUE(test, red_zones(cache, a, MYSLAB_RED_ACTIVE));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(other, theirs), 0);
	KUNIT_EXPECT_EQ(test, myslab_free_pages(region, page, 0), 0);
	expect_reports(test, 7);
	slab_test_cache_done(test, other);
	slab_test_cache_done(test, cache);
}

/* === Free list (F) === */

/* A link damaged deep in the list: F finds it at the next free. */
static void debug_freelist_checked(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region);
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void *a, *b, *c, *d;

	cache = slab_test_cache(test, "t-dbg-fl", 64, 0,
				MYSLAB_CONSISTENCY_CHECKS | MYSLAB_POISON, NULL);
	KUNIT_ASSERT_EQ(test, cache->freeptr_offset, 64);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	b = myslab_cache_alloc(cache, GFP_KERNEL);
	c = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	/* a's link (outside the object, P) gets a stray write. */
	plant_byte(a + cache->freeptr_offset + 3, 0x77);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, b), 0);
	expect_reports(test, 1);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ERR_FREELIST), 1);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.corrupted_slabs, 1);
	/* Nothing more comes from that slab. */
	d = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_PTR_NE(test, myslab_slab_of(cache, d), myslab_slab_of(cache, a));
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, c), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, d), 0);
	myslab_cache_shrink(cache);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	expect_reports(test, 1);
	slab_test_cache_done(test, cache);
}

/* === Bulk === */

static void debug_bulk_all_or_nothing(struct kunit *test)
{
	struct myslab_region *tiny;
	struct myslab_cache_stats st;
	struct myslab_cache *cache;
	void **objs;
	unsigned int n;

	tiny = myslab_test_region_create(test, 4 * PAGE_SIZE, 2, 0)->region;
	cache = slab_test_cache_on(test, tiny, "t-dbg-bulk", 200, 0, FZPU, NULL);
	myslab_cache_stats(cache, &st);
	KUNIT_ASSERT_LE(test, st.order, 2);
	n = (4 >> st.order) * st.objs_per_slab;
	objs = kunit_kcalloc(test, n + 1, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_EXPECT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL, n + 1, objs), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_alloc_bulk(cache, GFP_KERNEL, n, objs), n);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, n);
	KUNIT_EXPECT_TRUE(test, red_zones(cache, objs[n - 1], MYSLAB_RED_ACTIVE));
	myslab_cache_free_bulk(cache, n, objs);
	/* Frees keep one empty slab; shrink gives back the rest. */
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.num_slabs, 1);
	KUNIT_EXPECT_EQ(test, myslab_cache_shrink(cache), 1UL << st.order);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(tiny), 4);
	expect_reports(test, 0);
	slab_test_cache_done(test, cache);
}

/* === Owner records and traces === */

static noinline void *alloc_site_a(struct myslab_cache *cache)
{
	return myslab_cache_alloc(cache, GFP_KERNEL);
}

static noinline void *alloc_site_b(struct myslab_cache *cache)
{
	return myslab_cache_alloc(cache, GFP_KERNEL);
}

static void debug_traces(struct kunit *test)
{
	struct myslab_track t[8];
	struct myslab_cache *cache;
	void *objs[5];
	unsigned int i, same_as_first = 0;
	long n;

	cache = slab_test_cache(test, "t-dbg-tr", 32, 0, MYSLAB_STORE_USER, NULL);
	for (i = 0; i < 5; i++) {
		objs[i] = i < 3 ? alloc_site_a(cache) : alloc_site_b(cache);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	n = myslab_cache_tracks(cache, MYSLAB_TRACK_ALLOC, t, ARRAY_SIZE(t));
	KUNIT_ASSERT_EQ(test, n, 5);
	for (i = 0; i < n; i++)
		same_as_first += t[i].addr == track_of(cache, objs[0],
						       MYSLAB_TRACK_ALLOC).addr;
	KUNIT_EXPECT_EQ(test, same_as_first, 3);
	KUNIT_EXPECT_NE(test, track_of(cache, objs[0], MYSLAB_TRACK_ALLOC).addr,
			track_of(cache, objs[4], MYSLAB_TRACK_ALLOC).addr);
	/* Too small an array: the count says how many there are. */
	KUNIT_EXPECT_EQ(test, myslab_cache_tracks(cache, MYSLAB_TRACK_ALLOC, t, 2), 5);
	/* Free two: two free records, three alloc records left. */
	KUNIT_EXPECT_EQ(test, myslab_cache_tracks(cache, MYSLAB_TRACK_FREE, t, 8), 0);
	myslab_cache_free(cache, objs[0]);
	myslab_cache_free(cache, objs[4]);
	KUNIT_EXPECT_EQ(test, myslab_cache_tracks(cache, MYSLAB_TRACK_FREE, t, 8), 2);
	KUNIT_EXPECT_EQ(test, myslab_cache_tracks(cache, MYSLAB_TRACK_ALLOC, t, 8), 3);
	for (i = 1; i < 4; i++)
		myslab_cache_free(cache, objs[i]);
	/* Not recorded: no records to give. */
	expect_reports(test, 0);
	slab_test_cache_done(test, cache);
	cache = slab_test_cache(test, "t-dbg-notr", 32, 0, MYSLAB_RED_ZONE, NULL);
	KUNIT_EXPECT_EQ(test, myslab_cache_tracks(cache, MYSLAB_TRACK_ALLOC, t, 8),
			-EINVAL);
	slab_test_cache_done(test, cache);
}

static void debug_reset_counters(struct kunit *test)
{
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS];
	struct myslab_cache *cache;
	unsigned int i;
	void *a;

	cache = slab_test_cache(test, "t-dbg-reset", 64, 0, 0, NULL);
	a = myslab_cache_alloc(cache, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, a), -EALREADY);
	myslab_cache_reset_counters(cache);
	myslab_cache_counters(cache, c);
	for (i = 0; i < MYSLAB_CACHE_NR_COUNTERS; i++)
		KUNIT_EXPECT_EQ_MSG(test, c[i], 0, "%s", myslab_cache_counter_name(i));
	expect_reports(test, 1);
	slab_test_cache_done(test, cache);
}

/* === Fault injection === */

struct fail_case {
	unsigned int flags;
	unsigned long probability;
	unsigned long interval;
	int times;
};

static const struct fail_case fail_cases[] = {
	{ 0, 0, 1, -1 }, { 0, 30, 1, -1 }, { 0, 70, 1, -1 }, { 0, 100, 1, -1 },
	{ 0, 100, 3, -1 }, { 0, 100, 1, 7 },
	{ FZPU, 30, 1, -1 }, { FZPU, 100, 4, -1 },
};

static void fail_case_desc(const struct fail_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%lu%% interval %lu times %d",
		 c->flags ? "debug cache, " : "", c->probability, c->interval,
		 c->times);
}

KUNIT_ARRAY_PARAM(fail, fail_cases, fail_case_desc);

#define FAIL_ROUNDS	300

#ifdef CONFIG_FAULT_INJECTION
/* The knobs a case turns, to put them back as they were. */
struct fail_knobs {
	unsigned long probability;
	unsigned long interval;
	int times;
	int space;
	unsigned long verbose;
};

static void fail_knobs_set(struct fault_attr *attr, struct fail_knobs *old,
			   const struct fail_knobs *new)
{
	if (old) {
		old->probability = attr->probability;
		old->interval = attr->interval;
		old->times = atomic_read(&attr->times);
		old->space = atomic_read(&attr->space);
		old->verbose = attr->verbose;
	}
	attr->probability = new->probability;
	attr->interval = new->interval;
	atomic_set(&attr->times, new->times);
	atomic_set(&attr->space, new->space);
	attr->verbose = new->verbose;
	attr->count = 0;
}

/*
 * failslab on a chosen cache at several rates: every NULL is an injected
 * fault, counted as such, and once everything is freed the cache and the
 * buddy allocator are exactly where they started.
 */
static void debug_failslab_rates(struct kunit *test)
{
	const struct fail_case *c = test->param_value;
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region);
	unsigned long failed = 0, got = 0, expect_failed = 0, i;
	struct fault_attr *attr = myslab_failslab_attr();
	struct fail_knobs knobs = {
		.probability = c->probability,
		.interval = c->interval,
		.times = c->times,
	}, saved;
	struct myslab_cache *cache, *bystander;
	struct myslab_cache_stats st;
	void **objs, *bulk[4];

	objs = kunit_kcalloc(test, FAIL_ROUNDS, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_ASSERT_NOT_NULL(test, attr);
	cache = slab_test_cache(test, "t-dbg-fail", 96, 0,
				c->flags | MYSLAB_FAILSLAB, NULL);
	bystander = slab_test_cache(test, "t-dbg-nofail", 96, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, myslab_cache_debug_flags(cache) & MYSLAB_FAILSLAB,
			MYSLAB_FAILSLAB);

	fail_knobs_set(attr, &saved, &knobs);
	for (i = 0; i < FAIL_ROUNDS; i++) {
		void *other = myslab_cache_alloc(bystander, GFP_KERNEL);

		/* Only the chosen cache fails. */
		KUNIT_EXPECT_NOT_NULL(test, other);
		myslab_cache_free(bystander, other);
		objs[got] = myslab_cache_alloc(cache, GFP_KERNEL);
		if (objs[got])
			got++;
		else
			failed++;
	}
	/* Bulk: one decision for the whole batch. */
	if (myslab_cache_alloc_bulk(cache, GFP_KERNEL, ARRAY_SIZE(bulk), bulk))
		myslab_cache_free_bulk(cache, ARRAY_SIZE(bulk), bulk);
	else
		failed++;
	/* __GFP_NOFAIL is never failed on purpose. */
	bulk[0] = myslab_cache_alloc(cache, GFP_KERNEL | __GFP_NOFAIL);
	KUNIT_EXPECT_NOT_NULL(test, bulk[0]);
	myslab_cache_free(cache, bulk[0]);
	fail_knobs_set(attr, NULL, &saved);

	if (c->probability == 100 && c->times >= 0)
		expect_failed = c->times;
	else if (c->probability == 100)
		expect_failed = (FAIL_ROUNDS + 1) / c->interval;
	if (c->probability == 0 || c->probability == 100)
		KUNIT_EXPECT_EQ(test, failed, expect_failed);
	else
		KUNIT_EXPECT_TRUE_MSG(test, failed > 0 && failed < FAIL_ROUNDS,
				      "%lu of %u failed at %lu%%", failed,
				      FAIL_ROUNDS, c->probability);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_FAULTS_INJECTED),
			failed);
	KUNIT_EXPECT_EQ(test, slab_test_counter(cache, MYSLAB_CACHE_ALLOC_FAILED),
			failed);
	KUNIT_EXPECT_EQ(test, slab_test_counter(bystander, MYSLAB_CACHE_ALLOC_FAILED), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.active_objs, got);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(cache), 0);

	/* The switch off: nothing fails any more. */
	myslab_cache_set_failslab(cache, false);
	KUNIT_EXPECT_EQ(test, myslab_cache_debug_flags(cache) & MYSLAB_FAILSLAB, 0);
	for (i = 0; i < got; i++)
		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
	myslab_cache_shrink(cache);
	myslab_cache_shrink(bystander);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	expect_reports(test, 0);
	slab_test_cache_done(test, bystander);
	slab_test_cache_done(test, cache);
}
#else
static void debug_failslab_rates(struct kunit *test)
{
	kunit_skip(test, "no CONFIG_FAULT_INJECTION");
}
#endif

/* Below the slab layer: the region's buddy allocator fails every k-th time. */
struct buddy_fail {
	atomic_t calls;
	atomic_t failed;
	int every;		/* 0: never, 1: always */
};

static bool buddy_should_fail(void *data, unsigned int order, gfp_t gfp)
{
	struct buddy_fail *f = data;
	int n = atomic_inc_return(&f->calls);

	if (!f->every || n % f->every)
		return false;
	atomic_inc(&f->failed);
	return true;
}

static const int buddy_fail_every[] = { 0, 2, 3, 5, 1 };

static void buddy_fail_desc(const int *every, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "every %d", *every);
}

KUNIT_ARRAY_PARAM(buddy_fail, buddy_fail_every, buddy_fail_desc);

static void debug_buddy_faults_balanced(struct kunit *test)
{
	struct myslab_region *region;
	struct myslab_buddy_stats *bs;
	struct myslab_cache *plain, *dbg;
	struct buddy_fail *f;
	unsigned long nulls = 0, i, free_before;
	void **objs;
	unsigned int got = 0;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	bs = kunit_kzalloc(test, sizeof(*bs), GFP_KERNEL);
	objs = kunit_kcalloc(test, 2 * FAIL_ROUNDS, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, bs);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	f->every = *(const int *)test->param_value;
	region = slab_test_region_failing(test, 2UL << 20, buddy_should_fail, f);
	free_before = slab_test_free_pages(region);
	/* 1 KiB objects: a new slab every few allocations. */
	plain = slab_test_cache_on(test, region, "t-dbg-bf-plain", 1024, 0, 0, NULL);
	dbg = slab_test_cache_on(test, region, "t-dbg-bf-debug", 1000, 0, FZPU, NULL);
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(plain, 4, 2, 0), 0);
	for (i = 0; i < FAIL_ROUNDS; i++) {
		struct myslab_cache *cache = i & 1 ? dbg : plain;
		void *obj = myslab_cache_alloc(cache, GFP_KERNEL);

		if (obj)
			objs[got++] = obj;
		else
			nulls++;
	}
	myslab_buddy_stats(region, bs);
	KUNIT_EXPECT_EQ(test, bs->faults_injected, atomic_read(&f->failed));
	KUNIT_EXPECT_EQ(test, slab_test_counter(plain, MYSLAB_CACHE_ALLOC_FAILED) +
			slab_test_counter(dbg, MYSLAB_CACHE_ALLOC_FAILED), nulls);
	if (!f->every)
		KUNIT_EXPECT_EQ(test, nulls, 0);
	if (f->every == 1)
		KUNIT_EXPECT_EQ(test, got, 0);
	if (f->every > 1)
		KUNIT_EXPECT_GT(test, nulls, 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(plain), 0);
	KUNIT_EXPECT_EQ(test, myslab_cache_validate(dbg), 0);
	for (i = 0; i < got; i++) {
		struct myslab_cache *cache = myslab_slab_owner(region, objs[i]);

		KUNIT_EXPECT_EQ(test, myslab_cache_free(cache, objs[i]), 0);
	}
	myslab_cache_shrink(plain);
	myslab_cache_shrink(dbg);
	myslab_drain_pcp(region);
	KUNIT_EXPECT_EQ(test, slab_test_free_pages(region), free_before);
	KUNIT_EXPECT_EQ(test, slab_test_counter(plain, MYSLAB_CACHE_SLABS_TAKEN),
			slab_test_counter(plain, MYSLAB_CACHE_SLABS_GIVEN));
	KUNIT_EXPECT_EQ(test, slab_test_counter(dbg, MYSLAB_CACHE_SLABS_TAKEN),
			slab_test_counter(dbg, MYSLAB_CACHE_SLABS_GIVEN));
	expect_reports(test, 0);
	slab_test_cache_done(test, dbg);
	slab_test_cache_done(test, plain);
}

/* === The kernel's detectors === */

#ifdef CONFIG_KASAN_GENERIC
/* A shadow byte, read without KASAN instrumentation. */
static __no_sanitize_address u8 shadow_of(const void *addr)
{
	return *(u8 *)kasan_mem_to_shadow(addr);
}
#else
static u8 shadow_of(const void *addr)
{
	return 0;
}
#endif

/* Free objects are poisoned for KASAN, objects in use accessible to the byte. */
static void debug_kasan_shadow(struct kunit *test)
{
	struct myslab_cache *plain, *dbg;
	void *p, *d, *slab;

	plain = slab_test_cache(test, "t-dbg-kasan", 64, 0, 0, NULL);
	dbg = slab_test_cache(test, "t-dbg-kasan-z", 60, 0, MYSLAB_RED_ZONE, NULL);
	KUNIT_EXPECT_EQ(test, !!(plain->hooks & MYSLAB_HOOK_KMEMLEAK),
			IS_ENABLED(CONFIG_DEBUG_KMEMLEAK));
	if (!(plain->hooks & MYSLAB_HOOK_KASAN))
		kunit_skip(test, "no generic KASAN with KASAN_VMALLOC");
	KUNIT_ASSERT_TRUE(test, dbg->hooks & MYSLAB_HOOK_KASAN);

	p = myslab_cache_alloc(plain, GFP_KERNEL);
	d = myslab_cache_alloc(dbg, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, d);
	/* In use: the whole usable size; 60 bytes are 7 granules and a half. */
	KUNIT_EXPECT_EQ(test, shadow_of(p), 0);
	KUNIT_EXPECT_EQ(test, shadow_of(p + 56), 0);
	KUNIT_EXPECT_EQ(test, shadow_of(d), 0);
	KUNIT_EXPECT_EQ(test, shadow_of(d + 56), 4);
	KUNIT_EXPECT_EQ(test, shadow_of(d - 8), 0xfc);	/* left red zone */
	KUNIT_EXPECT_EQ(test, shadow_of(d + 64), 0xfc);	/* right red zone */
	/* Freed: inaccessible as a freed slab object. */
	myslab_cache_free(plain, p);
	myslab_cache_free(dbg, d);
	KUNIT_EXPECT_EQ(test, shadow_of(p), 0xfb);
	KUNIT_EXPECT_EQ(test, shadow_of(p + 56), 0xfb);
	KUNIT_EXPECT_EQ(test, shadow_of(d), 0xfb);
	KUNIT_EXPECT_EQ(test, shadow_of(d + 56), 0xfb);
	/* A slab given back is plain memory again. */
	slab = myslab_slab_of(plain, p);
	KUNIT_EXPECT_GT(test, myslab_cache_shrink(plain), 0);
	KUNIT_EXPECT_EQ(test, shadow_of(p), 0);
	KUNIT_EXPECT_EQ(test, shadow_of(slab), 0);
	expect_reports(test, 0);
	slab_test_cache_done(test, dbg);
	slab_test_cache_done(test, plain);
}

static struct kunit_case myslab_slab_debug_cases[] = {
	KUNIT_CASE_PARAM(debug_option_strings, parse_gen_params),
	KUNIT_CASE(debug_option_limits),
	KUNIT_CASE_PARAM(debug_layout, layout_gen_params),
	KUNIT_CASE(debug_clean_cycle),
	KUNIT_CASE(debug_tiny_objects),
	KUNIT_CASE(debug_ctor_not_poisoned),
	KUNIT_CASE_PARAM(debug_redzone_overwritten, redzone_gen_params),
	KUNIT_CASE(debug_redzone_found_by_validate),
	KUNIT_CASE(debug_write_after_free),
	KUNIT_CASE(debug_write_after_free_validate),
	KUNIT_CASE(debug_double_free),
	KUNIT_CASE(debug_invalid_frees),
	KUNIT_CASE(debug_freelist_checked),
	KUNIT_CASE(debug_bulk_all_or_nothing),
	KUNIT_CASE(debug_traces),
	KUNIT_CASE(debug_reset_counters),
	KUNIT_CASE_PARAM(debug_failslab_rates, fail_gen_params),
	KUNIT_CASE_PARAM(debug_buddy_faults_balanced, buddy_fail_gen_params),
	KUNIT_CASE(debug_kasan_shadow),
	{}
};

static struct kunit_suite myslab_slab_debug_suite = {
	.name = "myslab_slab_debug",
	.init = dbg_init,
	.test_cases = myslab_slab_debug_cases,
};

kunit_test_suites(&myslab_slab_debug_suite);

MODULE_LICENSE("GPL");
