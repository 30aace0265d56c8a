// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for myslab's core: the input bytes are decoded into a
 * region and a sequence of operations on it — create/destroy caches, object
 * alloc/free/bulk/shrink/tune, buddy alloc/free of any order, size-class
 * alloc/free, per-CPU drains, CPU switches and deliberate misuse. A shadow
 * model keeps every live allocation; each is filled with a pattern derived
 * from its address and checked when freed, and no two may overlap. After
 * every step the accounting identities are checked:
 *
 *   myslab_region_check() == 0, free + pcp + allocated == region pages
 *   myslab_cache_validate() == 0 and the stats identities, for every cache
 *   each cache's active objects == the shadow's live objects of it
 *   allocated pages == shadow pages + every cache's slabs + large blocks
 *   messages: exactly one error report per misuse, none otherwise; no WARN
 *
 * A failed check aborts (libFuzzer saves the input). Each input starts from
 * nothing and must end with every byte of metadata and region memory given
 * back, so leaks show up per input.
 *
 * Input layout: 4 setup bytes (region pages: 2; max_order | pcp batch << 4;
 * CPUs - 1 | debug mode << 2), then operations: one opcode byte and its
 * argument bytes each. Debug modes: 0 none; 1 the sim's detector hooks (ASan
 * shadow of free pages, block tracking, fault injection); 2 hooks and page
 * poisoning; 3 page poisoning alone (so stray writes into free pages reach
 * the poison checker instead of ASan).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <myslab/buddy.h>
#include <myslab/slab.h>
#include <sim/sim.h>

#include "core/slab/slab_internal.h"

#define FZ_MAX_CACHES	8
#define FZ_MAX_OBJS	512
#define FZ_MAX_DEAD	16
#define FZ_RING		16
#define FZ_MAX_PAGES	512
#define FZ_POISON_MAX_PAGES 32
#define FZ_CTOR_KEY	0xc0c0c0c0c0c0c0c0UL

enum fz_kind { FZ_CACHE, FZ_SIZES, FZ_PAGES };

struct fz_obj {
	void *p;
	size_t len;		/* bytes patterned and owned (slot, usable, block) */
	unsigned int tag;
	unsigned char kind;
	unsigned char cache;	/* FZ_CACHE: cache slot; FZ_SIZES: class index (or 0xff large) */
	unsigned char order;	/* FZ_PAGES / large sizes */
	bool ctor;
};

struct fz_cache {
	struct myslab_cache *c;
	struct myslab_cache_stats geo;	/* as created */
	unsigned int gen;		/* bumped on destroy */
	unsigned int usable;		/* myslab_cache_usable_size() */
	unsigned int ctor_bytes;	/* bytes the constructor writes */
	bool ctor;
	bool debug;			/* F/Z/P/U: reports may take several lines */
};

/* A recently freed allocation, for double-free attempts. */
struct fz_freed {
	void *p;
	unsigned char kind, cache, order;
	unsigned int gen;
};

struct fz {
	const uint8_t *in;
	size_t len, pos;

	struct myslab_region *region;
	unsigned long nr_pages;
	unsigned int max_order, pcp_batch, nr_cpus;

	struct fz_cache caches[FZ_MAX_CACHES];
	struct myslab_sizes *sizes;
	struct fz_obj objs[FZ_MAX_OBJS];
	unsigned int nr_objs;

	/* Destroyed with objects live: their descriptors until reaped. */
	struct myslab_cache *dead[FZ_MAX_DEAD];
	struct fz_obj stale[FZ_MAX_OBJS];
	unsigned int nr_dead, nr_stale;

	struct fz_freed ring[FZ_RING];
	unsigned int ring_next;

	unsigned long *granules;	/* one bit per 8 bytes owned */
	unsigned long errors_base, errors_expected;
	unsigned int name_seq, tag_seq;
	unsigned long nr_ops, nr_misuse, nr_allocs, nr_failed;
	unsigned int debug_mode;
	unsigned long faults_seen, poison_seen, nr_injected, nr_poisoned;
};

static unsigned long ctor_calls;

static void expect_reports(struct fz *f, unsigned long n, bool exact);

static void fz_fail(struct fz *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

static void fz_fail(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_ops: check failed at input byte %zu: ", f->pos);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nfuzz_ops: last message: %s\n", sim_last_message());
	abort();
}

#define CHECK(f, cond)	do { if (!(cond)) fz_fail(f, "line %d: %s", __LINE__, #cond); } while (0)

static void splat_hook(int level, const char *msg, void *arg)
{
	if (level < 0) {
		fprintf(stderr, "fuzz_ops: unexpected splat: %s\n", msg);
		abort();
	}
}

/* === Input === */

static bool more(struct fz *f)
{
	return f->pos < f->len;
}

static unsigned int in8(struct fz *f)
{
	return f->pos < f->len ? f->in[f->pos++] : 0;
}

static unsigned int in16(struct fz *f)
{
	unsigned int lo = in8(f);

	return lo | in8(f) << 8;
}

/* === Patterns and the granule map === */

static uint64_t pat(uintptr_t a, unsigned int tag)
{
	return (a ^ ((uint64_t)tag << 40)) * 0x9e3779b97f4a7c15ULL;
}

static void fill(void *p, size_t len, unsigned int tag)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		*(uint64_t *)(c + i) = pat((uintptr_t)(c + i), tag);
	for (; i < len; i++)
		c[i] = (unsigned char)pat((uintptr_t)(c + i), tag);
}

static void check_fill(struct fz *f, const void *p, size_t len, unsigned int tag)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		if (*(const uint64_t *)(c + i) != pat((uintptr_t)(c + i), tag))
			fz_fail(f, "pattern of %p (%zu bytes) broken at +%zu", p, len, i);
	for (; i < len; i++)
		if (c[i] != (unsigned char)pat((uintptr_t)(c + i), tag))
			fz_fail(f, "pattern of %p (%zu bytes) broken at +%zu", p, len, i);
}

static unsigned long granule(struct fz *f, const void *p)
{
	return ((uintptr_t)p - (uintptr_t)myslab_region_mem(f->region)->base) / 8;
}

static void mark(struct fz *f, const void *p, size_t len, bool set)
{
	unsigned long g, end = granule(f, (const char *)p + len - 1);

	for (g = granule(f, p); g <= end; g++) {
		bool was = f->granules[g / 64] & (1UL << (g % 64));

		if (was == set)
			fz_fail(f, "%p (%zu bytes) %s a live allocation", p, len,
				set ? "overlaps" : "is not");
		f->granules[g / 64] ^= 1UL << (g % 64);
	}
}

static bool owned(struct fz *f, const void *p)
{
	unsigned long g;

	if (!myslab_region_contains(f->region, p))
		return false;
	g = granule(f, p);
	return f->granules[g / 64] & (1UL << (g % 64));
}

/*
 * === Constructor: the first bytes hold the constructed state ===
 *
 * A constructor owns the object_size bytes asked for, no more: on a cache
 * with red zones (Z) a 3-byte object is followed by its right red zone at
 * +3, so a whole-word store would write into it. The constructed state is
 * the first min(object_size, 8) bytes of (address ^ FZ_CTOR_KEY); one
 * constructor per width, since a constructor is not told its cache.
 */
static void fz_construct(void *obj, unsigned int n)
{
	unsigned long v = (unsigned long)obj ^ FZ_CTOR_KEY;

	memcpy(obj, &v, n);
}

static bool fz_constructed(const void *obj, unsigned int n)
{
	unsigned long v = (unsigned long)obj ^ FZ_CTOR_KEY;

	return !memcmp(obj, &v, n);
}

#define FZ_CTOR(n)						\
static void fz_ctor##n(void *obj)				\
{								\
	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);	\
	fz_construct(obj, n);					\
}
FZ_CTOR(1) FZ_CTOR(2) FZ_CTOR(3) FZ_CTOR(4)
FZ_CTOR(5) FZ_CTOR(6) FZ_CTOR(7) FZ_CTOR(8)

static void (*const fz_ctors[8])(void *obj) = {
	fz_ctor1, fz_ctor2, fz_ctor3, fz_ctor4,
	fz_ctor5, fz_ctor6, fz_ctor7, fz_ctor8,
};

/* === Checks after every step === */

static void region_totals(struct fz *f, struct myslab_buddy_stats *bs)
{
	myslab_buddy_stats(f->region, bs);
	CHECK(f, bs->nr_pages == f->nr_pages);
	CHECK(f, bs->free_pages + bs->pcp_pages + bs->alloc_pages == bs->nr_pages);
}

static unsigned long cache_check(struct fz *f, struct myslab_cache *c,
				 unsigned long shadow_live, bool live)
{
	struct myslab_cache_stats st;

	if (live && myslab_cache_validate(c))
		fz_fail(f, "cache %s fails validation", myslab_cache_name(c));
	myslab_cache_stats(c, &st);
	CHECK(f, st.num_objs == st.num_slabs * st.objs_per_slab);
	CHECK(f, st.num_slabs == st.empty_slabs + st.partial_slabs + st.full_slabs);
	CHECK(f, st.active_slabs == st.partial_slabs + st.full_slabs);
	CHECK(f, st.corrupted_slabs == 0 && st.lost_objs == 0);
	if (live && st.active_objs != shadow_live)
		fz_fail(f, "cache %s: %lu active objects, the shadow has %lu",
			st.name, st.active_objs, shadow_live);
	return st.num_slabs << st.order;
}

static void check_all(struct fz *f)
{
	unsigned long live[FZ_MAX_CACHES] = { 0 }, classes[16] = { 0 };
	unsigned long pages = 0, shadow_pages = 0;
	struct myslab_buddy_stats bs;
	unsigned int i;

	if (myslab_region_check(f->region))
		fz_fail(f, "region check failed");
	region_totals(f, &bs);
	for (i = 0; i < f->nr_objs; i++) {
		const struct fz_obj *o = &f->objs[i];

		if (o->kind == FZ_CACHE)
			live[o->cache]++;
		else if (o->kind == FZ_SIZES && o->cache != 0xff)
			classes[o->cache]++;
		else
			shadow_pages += 1UL << o->order;
	}
	for (i = 0; i < FZ_MAX_CACHES; i++)
		if (f->caches[i].c)
			pages += cache_check(f, f->caches[i].c, live[i], true);
	for (i = 0; i < f->nr_dead; i++)
		pages += cache_check(f, f->dead[i], 0, false);
	if (f->sizes)
		for (i = 0; i < myslab_sizes_nr_classes(); i++) {
			struct myslab_cache *c = myslab_sizes_cache(f->sizes,
						myslab_sizes_class_size(i));

			/* A small region has no caches for the largest classes. */
			if (c)
				pages += cache_check(f, c, classes[i], true);
			else
				CHECK(f, !classes[i]);
		}
	if (bs.alloc_pages != pages + shadow_pages)
		fz_fail(f, "%lu pages allocated; slabs hold %lu, the shadow %lu",
			bs.alloc_pages, pages, shadow_pages);
	if (sim_errors() - f->errors_base != f->errors_expected)
		fz_fail(f, "%lu error messages, expected %lu",
			sim_errors() - f->errors_base, f->errors_expected);
}

/* === Shadow bookkeeping === */

static void add_obj(struct fz *f, const struct fz_obj *o)
{
	mark(f, o->p, o->len, true);
	f->objs[f->nr_objs++] = *o;
}

static void forget_obj(struct fz *f, unsigned int i, unsigned int gen)
{
	struct fz_obj *o = &f->objs[i];
	struct fz_freed *r = &f->ring[f->ring_next++ % FZ_RING];

	r->p = o->p;
	r->kind = o->kind;
	r->cache = o->cache;
	r->order = o->order;
	r->gen = gen;
	mark(f, o->p, o->len, false);
	f->objs[i] = f->objs[--f->nr_objs];
}

static int pick_cache(struct fz *f, unsigned int b)
{
	unsigned int i;

	for (i = 0; i < FZ_MAX_CACHES; i++)
		if (f->caches[(b + i) % FZ_MAX_CACHES].c)
			return (b + i) % FZ_MAX_CACHES;
	return -1;
}

/* Index of a live object of @kind (and cache @cache unless -1), or -1. */
static int pick_obj(struct fz *f, unsigned int b, int kind, int cache)
{
	unsigned int i;

	for (i = 0; i < f->nr_objs; i++) {
		const struct fz_obj *o = &f->objs[(b + i) % f->nr_objs];

		if ((kind < 0 || o->kind == kind) && (cache < 0 || o->cache == cache))
			return (b + i) % f->nr_objs;
	}
	return -1;
}

/* === Operations === */

static void got_cache_obj(struct fz *f, int k, void *p, gfp_t gfp)
{
	struct fz_cache *fc = &f->caches[k];
	struct myslab_block_info info;
	struct fz_obj o = {
		.p = p, .kind = FZ_CACHE, .cache = k, .ctor = fc->ctor,
		.len = fc->usable, .tag = ++f->tag_seq,
	};

	CHECK(f, (uintptr_t)p % fc->geo.align == 0);
	CHECK(f, !myslab_block_lookup(f->region, p, &info));
	CHECK(f, info.state == MYSLAB_BLOCK_SLAB && info.order == fc->geo.order);
	/* Past a left red zone, objects start inside their slot. */
	CHECK(f, (char *)p + fc->usable <= (char *)info.base + (PAGE_SIZE << info.order));
	if (gfp & __GFP_ZERO) {
		for (size_t i = 0; i < fc->geo.object_size; i++)
			if (((unsigned char *)p)[i])
				fz_fail(f, "__GFP_ZERO object %p not zeroed at %zu", p, i);
	} else if (fc->ctor) {
		if (!fz_constructed(p, fc->ctor_bytes))
			fz_fail(f, "object %p of a cache with a constructor is not constructed", p);
	}
	/* The usable size is the owner's; past it are links and red zones. */
	fill(p, o.len, o.tag);
	add_obj(f, &o);
	f->nr_allocs++;
}

static void release_obj(struct fz *f, unsigned int i)
{
	struct fz_obj *o = &f->objs[i];
	unsigned int gen = 0;
	int err;

	if (o->kind == FZ_CACHE) {
		struct fz_cache *fc = &f->caches[o->cache];

		check_fill(f, o->p, o->len, o->tag);
		/* Freed in constructed state, as the contract asks. */
		if (fc->ctor)
			fz_construct(o->p, fc->ctor_bytes);
		err = myslab_cache_free(fc->c, o->p);
		gen = fc->gen;
	} else if (o->kind == FZ_SIZES) {
		check_fill(f, o->p, o->len, o->tag);
		err = myslab_sizes_free(f->sizes, o->p);
	} else {
		check_fill(f, o->p, o->len, o->tag);
		err = myslab_free_pages(f->region, o->p, o->order);
	}
	if (err)
		fz_fail(f, "valid free of %p (kind %u) returned %d", o->p, o->kind, err);
	forget_obj(f, i, gen);
}

static void op_cache_create(struct fz *f)
{
	static const unsigned int aligns[] = { 0, 8, 16, 32, 64, 128, 256, 4096, 3, 8192 };
	unsigned int size = in16(f) % 6000 + 1, align = aligns[in8(f) % 10];
	unsigned int bits = in8(f), flags = bits & 3, slot;
	bool ctor = bits & 4;
	static const unsigned int debug_bits[] = {
		MYSLAB_CONSISTENCY_CHECKS, MYSLAB_RED_ZONE, MYSLAB_POISON,
		MYSLAB_STORE_USER,
	};

	for (unsigned int d = 0; d < 4; d++)
		if (bits & (0x10 << d))
			flags |= debug_bits[d];
	struct myslab_slab_geometry geo;
	struct myslab_cache *c;
	char name[MYSLAB_CACHE_NAME_LEN];
	int k, err;

	if (bits & 8)
		size %= 64;	/* small objects are the common case */
	if (!size)
		size = 1;
	for (k = 0; k < FZ_MAX_CACHES && f->caches[k].c; k++)
		;
	if (k == FZ_MAX_CACHES)
		return;
	snprintf(name, sizeof(name), "fz-%u", f->name_seq++);
	err = myslab_slab_geometry(size, align, flags, ctor, f->max_order, &geo);
	c = myslab_cache_create(f->region, name, size, align, flags,
				ctor ? fz_ctors[min(size, 8u) - 1] : NULL);
	if (err) {
		if (PTR_ERR(c) != err)
			fz_fail(f, "create(%u, %u, %#x): %ld, geometry says %d",
				size, align, flags, PTR_ERR(c), err);
		return;
	}
	if (IS_ERR(c))
		fz_fail(f, "create(%u, %u, %#x) failed: %ld", size, align, flags, PTR_ERR(c));
	f->caches[k].c = c;
	f->caches[k].ctor = ctor;
	f->caches[k].ctor_bytes = min(size, 8u);
	f->caches[k].debug = flags & MYSLAB_DEBUG_FLAGS;
	f->caches[k].usable = myslab_cache_usable_size(c);
	myslab_cache_stats(c, &f->caches[k].geo);
	slot = f->caches[k].geo.slot_size;
	CHECK(f, slot == geo.slot_size && f->caches[k].geo.order == geo.order &&
		 f->caches[k].geo.objs_per_slab == geo.objs_per_slab &&
		 f->caches[k].geo.align == geo.align);
	CHECK(f, slot >= size && f->caches[k].usable >= size);
	CHECK(f, myslab_cache_debug_flags(c) == (flags & MYSLAB_DEBUG_FLAGS));
}

static void op_cache_destroy(struct fz *f)
{
	int k = pick_cache(f, in8(f));
	unsigned long live = 0, ret;
	unsigned int i;

	if (k < 0)
		return;
	for (i = 0; i < f->nr_objs; i++)
		live += f->objs[i].kind == FZ_CACHE && f->objs[i].cache == k;
	if (live && (f->nr_dead == FZ_MAX_DEAD || f->nr_stale + live > FZ_MAX_OBJS))
		return;
	ret = myslab_cache_destroy(f->caches[k].c);
	if (ret != live)
		fz_fail(f, "destroy returned %lu, %lu objects live", ret, live);
	if (live) {
		/* One summary line and up to four sampled objects. */
		expect_reports(f, 1 + (live < 4 ? live : 4), !f->caches[k].debug);
		f->dead[f->nr_dead++] = f->caches[k].c;
		for (i = 0; i < f->nr_objs; ) {
			struct fz_obj *o = &f->objs[i];

			if (o->kind == FZ_CACHE && o->cache == k) {
				f->stale[f->nr_stale] = *o;
				/* The dead cache's descriptor, for -ESTALE frees. */
				f->stale[f->nr_stale++].cache = f->nr_dead - 1;
				mark(f, o->p, o->len, false);
				f->objs[i] = f->objs[--f->nr_objs];
			} else {
				i++;
			}
		}
	}
	f->caches[k].c = NULL;
	f->caches[k].gen++;
}

static void alloc_failed_plausibly(struct fz *f, unsigned int order)
{
	struct myslab_buddy_stats bs;
	unsigned int o;

	f->nr_failed++;
	if (order > f->max_order)
		return;
	region_totals(f, &bs);
	/* A failure injected on purpose proves nothing about free blocks. */
	if (bs.faults_injected != f->faults_seen) {
		f->faults_seen = bs.faults_injected;
		return;
	}
	/* The slow path drained every per-CPU cache and found no block. */
	if (bs.pcp_pages)
		fz_fail(f, "order-%u allocation failed with %lu pages in per-CPU caches",
			order, bs.pcp_pages);
	for (o = order; o <= f->max_order; o++)
		if (bs.nr_free[o])
			fz_fail(f, "order-%u allocation failed with a free order-%u block",
				order, o);
}

static gfp_t pick_gfp(unsigned int b)
{
	gfp_t gfp = (b & 1) ? GFP_KERNEL : GFP_ATOMIC;

	if (b & 2)
		gfp |= __GFP_ZERO;
	return gfp | __GFP_NOWARN;
}

static void op_cache_alloc(struct fz *f)
{
	int k = pick_cache(f, in8(f));
	gfp_t gfp = pick_gfp(in8(f));
	struct myslab_cache_stats st;
	void *p;

	if (k < 0 || f->nr_objs == FZ_MAX_OBJS)
		return;
	p = myslab_cache_alloc(f->caches[k].c, gfp);
	if (p) {
		got_cache_obj(f, k, p, gfp);
		return;
	}
	/*
	 * Nothing free in the slabs or the barn, which a refill empties
	 * first (other CPUs' magazines may hold some).
	 */
	myslab_cache_stats(f->caches[k].c, &st);
	CHECK(f, st.shared_avail == 0 &&
		 st.num_objs == st.active_objs + st.cpu_cached);
	alloc_failed_plausibly(f, st.order);
}

static void op_cache_free(struct fz *f)
{
	int i = pick_obj(f, in16(f), FZ_CACHE, -1);

	if (i >= 0)
		release_obj(f, i);
}

static void op_bulk_alloc(struct fz *f)
{
	int k = pick_cache(f, in8(f));
	unsigned int n = in8(f) % 40 + 1, i;
	gfp_t gfp = pick_gfp(in8(f));
	struct myslab_cache_stats before, after;
	void *objs[40];
	int got;

	if (k < 0 || f->nr_objs + n > FZ_MAX_OBJS)
		return;
	myslab_cache_stats(f->caches[k].c, &before);
	got = myslab_cache_alloc_bulk(f->caches[k].c, gfp, n, objs);
	if (!got) {
		myslab_cache_stats(f->caches[k].c, &after);
		CHECK(f, after.active_objs == before.active_objs);
		return;
	}
	CHECK(f, got == (int)n);
	for (i = 0; i < n; i++)
		got_cache_obj(f, k, objs[i], gfp);
}

static void op_bulk_free(struct fz *f)
{
	int k = pick_cache(f, in8(f)), i;
	unsigned int n = in8(f) % 40 + 1, m = 0;
	void *objs[41];

	if (k < 0)
		return;
	while (m < n && (i = pick_obj(f, m * 7, FZ_CACHE, k)) >= 0) {
		struct fz_obj *o = &f->objs[i];

		check_fill(f, o->p, o->len, o->tag);
		if (f->caches[k].ctor)
			fz_construct(o->p, f->caches[k].ctor_bytes);
		objs[m++] = o->p;
		forget_obj(f, i, f->caches[k].gen);
	}
	if (m && (n & 1))
		objs[m++] = NULL;	/* NULL entries are skipped */
	myslab_cache_free_bulk(f->caches[k].c, m, objs);
}

static void op_shrink(struct fz *f)
{
	int k = pick_cache(f, in8(f));
	struct myslab_buddy_stats before, after;
	struct myslab_cache_stats st;
	unsigned long pages;

	if (k < 0)
		return;
	myslab_buddy_stats(f->region, &before);
	pages = myslab_cache_shrink(f->caches[k].c);
	myslab_buddy_stats(f->region, &after);
	myslab_cache_stats(f->caches[k].c, &st);
	CHECK(f, st.cpu_cached == 0 && st.shared_avail == 0 && st.empty_slabs == 0);
	CHECK(f, after.free_pages + after.pcp_pages == before.free_pages + before.pcp_pages + pages);
}

static void op_tune(struct fz *f)
{
	int k = pick_cache(f, in8(f));
	unsigned int limit = in8(f) + 1, batch = in8(f) % limit + 1, v = in8(f);
	unsigned int shared = v / 8 % (MYSLAB_SHARED_MAX + 2);
	struct myslab_cache_stats before, st;
	bool bad = v % 8 == 0;
	int err;

	if (k < 0)
		return;
	if (bad)
		batch = limit + 1;	/* invalid: refused, nothing changes */
	bad |= shared > MYSLAB_SHARED_MAX;
	myslab_cache_stats(f->caches[k].c, &before);
	err = myslab_cache_tune(f->caches[k].c, limit, batch, shared);
	myslab_cache_stats(f->caches[k].c, &st);
	if (bad) {
		CHECK(f, err == -EINVAL && st.limit == before.limit &&
			 st.batchcount == before.batchcount &&
			 st.shared == before.shared);
	} else {
		CHECK(f, err == 0 && st.limit == limit && st.batchcount == batch &&
			 st.shared == shared);
		CHECK(f, st.cpu_cached <= (unsigned long)limit * f->nr_cpus);
		CHECK(f, st.shared_avail <= (unsigned long)shared * batch);
	}
}

static void op_pages_alloc(struct fz *f)
{
	unsigned int order = in8(f) % (f->max_order + 2);
	gfp_t gfp = pick_gfp(in8(f));
	struct myslab_block_info info;
	struct fz_obj o = { .kind = FZ_PAGES, .order = order };
	uintptr_t base = (uintptr_t)myslab_region_mem(f->region)->base;
	void *p;

	if (f->nr_objs == FZ_MAX_OBJS)
		return;
	p = myslab_alloc_pages(f->region, order, gfp);
	if (!p) {
		alloc_failed_plausibly(f, order);
		return;
	}
	CHECK(f, order <= f->max_order);
	CHECK(f, ((uintptr_t)p - base) % (PAGE_SIZE << order) == 0);
	CHECK(f, !myslab_block_lookup(f->region, p, &info));
	CHECK(f, info.base == p && info.order == order && info.state == MYSLAB_BLOCK_ALLOC);
	o.p = p;
	o.len = PAGE_SIZE << order;
	o.tag = ++f->tag_seq;
	if (gfp & __GFP_ZERO)
		for (size_t i = 0; i < o.len; i += 8)
			if (*(uint64_t *)((char *)p + i))
				fz_fail(f, "__GFP_ZERO block %p not zeroed at %zu", p, i);
	fill(p, o.len, o.tag);
	add_obj(f, &o);
	f->nr_allocs++;
}

static void op_pages_free(struct fz *f)
{
	int i = pick_obj(f, in16(f), FZ_PAGES, -1);

	if (i >= 0)
		release_obj(f, i);
}

static void op_sizes_alloc(struct fz *f)
{
	unsigned int b = in8(f);
	size_t size = b & 1 ? in16(f) % 9000 : in8(f) % 300;
	gfp_t gfp = pick_gfp(in8(f));
	struct fz_obj o = { .kind = FZ_SIZES };
	struct myslab_block_info info;
	unsigned int i;
	void *p;

	if (!f->sizes) {
		f->sizes = myslab_sizes_create(f->region, "fzs");
		if (IS_ERR(f->sizes))
			fz_fail(f, "sizes_create: %ld", PTR_ERR(f->sizes));
		return;
	}
	if (f->nr_objs == FZ_MAX_OBJS)
		return;
	p = myslab_sizes_alloc(f->sizes, size, gfp);
	if (!size) {
		CHECK(f, p == ZERO_SIZE_PTR);
		return;
	}
	if (!p)
		return;
	o.p = p;
	o.len = myslab_sizes_usable_size(f->sizes, p);
	o.tag = ++f->tag_seq;
	CHECK(f, o.len >= size);
	CHECK(f, !myslab_block_lookup(f->region, p, &info));
	if (size <= myslab_sizes_max_cached()) {
		/* A class has its cache exactly when its slab fits a block. */
		struct myslab_slab_geometry geo;
		struct myslab_buddy_stats bs;
		size_t cls = 0;

		for (i = 0; cls < size; i++)
			cls = myslab_sizes_class_size(i);
		myslab_buddy_stats(f->region, &bs);
		CHECK(f, !myslab_sizes_cache(f->sizes, size) ==
			 !!myslab_slab_geometry(cls, !(cls & (cls - 1)) ?
						(cls < PAGE_SIZE ? cls : PAGE_SIZE) : 8,
						0, false, bs.max_order, &geo));
	}
	if (myslab_sizes_cache(f->sizes, size)) {
		struct myslab_cache *c = myslab_sizes_cache(f->sizes, size);

		CHECK(f, size <= myslab_sizes_max_cached());
		for (i = 0; myslab_sizes_cache(f->sizes, myslab_sizes_class_size(i)) != c; i++)
			;
		o.cache = i;
		CHECK(f, info.state == MYSLAB_BLOCK_SLAB);
		/* Natural alignment up to a page: regions are page-aligned. */
		if (!(size & (size - 1)))
			CHECK(f, (uintptr_t)p % (size < PAGE_SIZE ? size : PAGE_SIZE) == 0);
		CHECK(f, (uintptr_t)p % 8 == 0);
	} else {
		o.cache = 0xff;
		o.order = info.order;
		CHECK(f, info.state == MYSLAB_BLOCK_ALLOC && info.base == p);
		CHECK(f, o.len == PAGE_SIZE << info.order && o.len / 2 < size + PAGE_SIZE);
	}
	if (gfp & __GFP_ZERO)
		for (i = 0; i < o.len; i++)
			if (((unsigned char *)p)[i])
				fz_fail(f, "__GFP_ZERO size-class memory %p not zeroed at %u", p, i);
	fill(p, o.len, o.tag);
	add_obj(f, &o);
	f->nr_allocs++;
}

static void op_sizes_free(struct fz *f)
{
	int i = pick_obj(f, in16(f), FZ_SIZES, -1);

	if (i >= 0)
		release_obj(f, i);
}

/* === Misuse: refused, one report, nothing changes === */

struct fz_snap {
	struct myslab_buddy_stats bs;
	struct myslab_cache_stats st[FZ_MAX_CACHES];
};

static void snap(struct fz *f, struct fz_snap *s)
{
	unsigned int k;

	memset(s, 0, sizeof(*s));
	myslab_buddy_stats(f->region, &s->bs);
	for (k = 0; k < FZ_MAX_CACHES; k++)
		if (f->caches[k].c)
			myslab_cache_stats(f->caches[k].c, &s->st[k]);
}

/*
 * Expect @n more error messages: exactly, or (for a debug cache, whose
 * reports add dumps and owner records) at least.
 */
static void expect_reports(struct fz *f, unsigned long n, bool exact)
{
	unsigned long got = sim_errors() - f->errors_base - f->errors_expected;

	if (exact ? got != n : got < n)
		fz_fail(f, "%lu error messages, expected %s%lu", got,
			exact ? "" : "at least ", n);
	f->errors_expected += got;
}

static void expect_refused(struct fz *f, const struct fz_snap *before, int err,
			   const char *what, bool debug)
{
	struct fz_snap now;

	if (err >= 0)
		fz_fail(f, "misuse (%s) was not refused: %d", what, err);
	expect_reports(f, 1, !debug);
	f->nr_misuse++;
	snap(f, &now);
	now.bs.invalid_frees = before->bs.invalid_frees;
	if (memcmp(&now, before, sizeof(now)))
		fz_fail(f, "misuse (%s, %d) changed the allocator's state", what, err);
}

static void op_misuse(struct fz *f)
{
	unsigned int how = in8(f) % 7, b = in16(f);
	struct fz_snap before;
	long on_stack = 0;
	int i, k, err;

	snap(f, &before);
	switch (how) {
	case 0: {	/* double free of something freed a moment ago */
		struct fz_freed *r = &f->ring[b % FZ_RING];

		if (!r->p || owned(f, r->p))
			return;
		if (r->kind == FZ_CACHE) {
			if (!f->caches[r->cache].c || f->caches[r->cache].gen != r->gen)
				return;
			err = myslab_cache_free(f->caches[r->cache].c, r->p);
		} else if (r->kind == FZ_SIZES) {
			if (!f->sizes)
				return;
			err = myslab_sizes_free(f->sizes, r->p);
		} else {
			err = myslab_free_pages(f->region, r->p, r->order);
		}
		expect_refused(f, &before, err, "double free",
			       r->kind == FZ_CACHE && f->caches[r->cache].debug);
		return;
	}
	case 1:		/* a pointer inside a live allocation */
		i = pick_obj(f, b, -1, -1);
		if (i < 0 || f->objs[i].len < 16)
			return;
		if (f->objs[i].kind == FZ_CACHE)
			err = myslab_cache_free(f->caches[f->objs[i].cache].c,
						(char *)f->objs[i].p + 8);
		else if (f->objs[i].kind == FZ_SIZES)
			err = myslab_sizes_free(f->sizes, (char *)f->objs[i].p + 8);
		else
			err = myslab_free_pages(f->region, (char *)f->objs[i].p +
						(f->objs[i].order ? PAGE_SIZE : 8), 0);
		expect_refused(f, &before, err, "interior pointer",
			       f->objs[i].kind == FZ_CACHE && f->caches[f->objs[i].cache].debug);
		return;
	case 2:		/* pages freed with the wrong order */
		i = pick_obj(f, b, FZ_PAGES, -1);
		if (i < 0)
			return;
		err = myslab_free_pages(f->region, f->objs[i].p,
					f->objs[i].order + 1 + (b & 1) * 3);
		expect_refused(f, &before, err, "wrong order", false);
		return;
	case 3:		/* an object of one cache freed to another */
		i = pick_obj(f, b, FZ_CACHE, -1);
		k = pick_cache(f, in8(f));
		if (i < 0 || k < 0 || k == f->objs[i].cache)
			return;
		err = myslab_cache_free(f->caches[k].c, f->objs[i].p);
		CHECK(f, err == -EXDEV);
		expect_refused(f, &before, err, "wrong cache", f->caches[k].debug);
		return;
	case 4:		/* not the region's memory at all */
		k = pick_cache(f, b);
		if (k >= 0)
			err = myslab_cache_free(f->caches[k].c, &on_stack);
		else
			err = myslab_free_pages(f->region, &on_stack, 0);
		CHECK(f, err == -EFAULT);
		expect_refused(f, &before, err, "foreign pointer",
			       k >= 0 && f->caches[k].debug);
		return;
	case 5:		/* a late free to a cache destroyed with it live */
		if (!f->nr_stale)
			return;
		err = myslab_cache_free(f->dead[f->stale[b % f->nr_stale].cache],
					f->stale[b % f->nr_stale].p);
		CHECK(f, err == -ESTALE);
		expect_refused(f, &before, err, "stale cache", true);
		return;
	case 6:		/* a buddy block freed through the size classes, off by a page */
		i = pick_obj(f, b, FZ_PAGES, -1);
		if (i < 0 || !f->sizes || !f->objs[i].order)
			return;
		err = myslab_sizes_free(f->sizes, (char *)f->objs[i].p + PAGE_SIZE);
		expect_refused(f, &before, err, "size-class interior", false);
		return;
	}
}

/* === Debug modes: fault injection and writes into free pages === */

static void op_inject(struct fz *f)
{
	unsigned int b = in8(f);

	if (f->debug_mode != 1 && f->debug_mode != 2)
		return;
	/* The nth next page allocation fails, or it and all after it. */
	sim_fail_pages(b & 0x80 ? 0 : (b & 7) + 1, b & 8, 0);
	f->nr_injected++;
}

static void op_poison_write(struct fz *f)
{
	unsigned long page = in16(f) % f->nr_pages;
	unsigned int off = in16(f) % PAGE_SIZE;
	char *p = (char *)myslab_region_mem(f->region)->base + page * PAGE_SIZE;
	struct myslab_block_info info;
	struct myslab_buddy_stats bs;
	int found;

	if (f->debug_mode != 3)
		return;
	CHECK(f, !myslab_block_lookup(f->region, p, &info));
	if (info.state != MYSLAB_BLOCK_FREE && info.state != MYSLAB_BLOCK_PCP)
		return;
	CHECK(f, (unsigned char)p[off] == MYSLAB_PAGE_POISON);
	p[off] ^= 0x5a;
	/* The validator finds it, reports it once, and repairs it. */
	found = myslab_region_check(f->region);
	if (found != 1)
		fz_fail(f, "validate found %d problems after one stray write", found);
	f->errors_expected++;
	myslab_buddy_stats(f->region, &bs);
	CHECK(f, bs.poison_errors == ++f->poison_seen);
	CHECK(f, (unsigned char)p[off] == MYSLAB_PAGE_POISON);
	f->nr_poisoned++;
}

/* === One input === */

static void teardown(struct fz *f)
{
	struct myslab_block_info info;
	unsigned int i, j, k;
	unsigned long reaped;
	void *bases[FZ_MAX_OBJS];
	unsigned int orders[FZ_MAX_OBJS], nbases = 0;

	while (f->nr_objs)
		release_obj(f, f->nr_objs - 1);
	check_all(f);
	if (f->sizes && myslab_sizes_destroy(f->sizes))
		fz_fail(f, "size set destroyed with leaks");
	for (k = 0; k < FZ_MAX_CACHES; k++)
		if (f->caches[k].c && myslab_cache_destroy(f->caches[k].c))
			fz_fail(f, "cache destroyed with leaks");
	/* Slabs of caches destroyed with objects live: give them back. */
	for (i = 0; i < f->nr_stale; i++) {
		CHECK(f, !myslab_block_lookup(f->region, f->stale[i].p, &info));
		CHECK(f, info.state == MYSLAB_BLOCK_SLAB);
		for (j = 0; j < nbases && bases[j] != info.base; j++)
			;
		if (j == nbases) {
			bases[nbases] = info.base;
			orders[nbases++] = info.order;
		}
	}
	for (j = 0; j < nbases; j++)
		CHECK(f, myslab_free_slab_block(f->region, bases[j], orders[j]) == 0);
	reaped = myslab_caches_reap();
	CHECK(f, reaped == f->nr_dead);
	myslab_drain_pcp(f->region);
	CHECK(f, myslab_region_check(f->region) == 0);
	{
		struct myslab_buddy_stats bs;

		region_totals(f, &bs);
		CHECK(f, bs.alloc_pages == 0 && bs.free_pages == f->nr_pages);
	}
	if (sim_errors() - f->errors_base != f->errors_expected)
		fz_fail(f, "%lu error messages, expected %lu",
			sim_errors() - f->errors_base, f->errors_expected);
	myslab_region_destroy(f->region);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int batches[] = { 0, 1, 2, 4, 8, 31 };
	static struct fz f;
	static bool verbose;
	unsigned long granule_words;
	long kmalloc0;

	if (size < 4)
		return 0;
	verbose = getenv("FUZZ_OPS_VERBOSE") != NULL;
	sim_set_quiet(!verbose);
	sim_set_log_hook(splat_hook, NULL);
	memset(&f, 0, sizeof(f));
	f.in = data;
	f.len = size;
	f.nr_pages = in16(&f) % FZ_MAX_PAGES + 1;
	f.max_order = (f.in[2] & 0xf) % 12;
	f.pcp_batch = batches[(f.in[2] >> 4) % 6];
	f.pos++;
	f.nr_cpus = (f.in[3] & 3) + 1;
	f.debug_mode = (f.in[3] >> 2) & 3;
	f.pos++;
	/* Validation scans every free page's poison: keep those regions small. */
	if (f.debug_mode >= 2 && f.nr_pages > FZ_POISON_MAX_PAGES)
		f.nr_pages = f.nr_pages % FZ_POISON_MAX_PAGES + 1;
	sim_set_nr_cpus(f.nr_cpus);
	sim_fail_pages(0, false, 0);
	sim_set_cpu(0);
	sim_seed_random(f.nr_pages * 31 + size);
	kmalloc0 = sim_kmalloc_live();
	ctor_calls = 0;

	if (f.debug_mode == 0) {
		f.region = sim_region_create("fuzz", f.nr_pages * PAGE_SIZE,
					     f.max_order, f.pcp_batch);
	} else if (f.debug_mode < 3) {
		f.region = sim_region_create_debug("fuzz", f.nr_pages * PAGE_SIZE,
						   f.max_order, f.pcp_batch,
						   f.debug_mode == 2 ? MYSLAB_DEBUG_POISON : 0);
	} else {
		struct myslab_region_debug debug = { .flags = MYSLAB_DEBUG_POISON };
		struct myslab_mem mem;

		if (sim_mem_alloc(&mem, f.nr_pages * PAGE_SIZE, SIM_MEM_MMAP))
			fz_fail(&f, "no memory for the region");
		f.region = myslab_region_create_debug("fuzz", &mem, f.max_order,
						      f.pcp_batch, &debug);
		if (IS_ERR(f.region))
			sim_mem_free(&mem);
	}
	if (IS_ERR(f.region))
		fz_fail(&f, "region_create: %ld", PTR_ERR(f.region));
	granule_words = (f.nr_pages * PAGE_SIZE / 8 + 63) / 64;
	f.granules = calloc(granule_words, sizeof(unsigned long));
	f.errors_base = sim_errors();

	while (more(&f)) {
		unsigned int op = in8(&f);

		if (op >= 240) {
			/* Rare: the debug modes' own operations. */
			if (op & 1)
				op_poison_write(&f);
			else
				op_inject(&f);
			f.nr_ops++;
			check_all(&f);
			continue;
		}
		switch (op % 16) {
		case 0: op_cache_create(&f); break;
		case 1: op_cache_destroy(&f); break;
		case 2: case 3: op_cache_alloc(&f); break;
		case 4: op_cache_free(&f); break;
		case 5: op_bulk_alloc(&f); break;
		case 6: op_bulk_free(&f); break;
		case 7: op_shrink(&f); break;
		case 8: op_pages_alloc(&f); break;
		case 9: op_pages_free(&f); break;
		case 10: op_sizes_alloc(&f); break;
		case 11: op_sizes_free(&f); break;
		case 12: myslab_drain_pcp(f.region); break;
		case 13: sim_set_cpu(in8(&f) % f.nr_cpus); break;
		case 14: op_misuse(&f); break;
		case 15: op_tune(&f); break;
		}
		f.nr_ops++;
		check_all(&f);
	}
	if (verbose)
		fprintf(stderr, "fuzz_ops: %lu pages, max_order %u, pcp %u, %u CPUs, debug mode %u: %lu ops, %lu allocations (%lu failed), %lu misuses refused, %u caches destroyed live, %lu fault injections, %lu stray writes caught\n",
			f.nr_pages, f.max_order, f.pcp_batch, f.nr_cpus, f.debug_mode,
			f.nr_ops, f.nr_allocs, f.nr_failed, f.nr_misuse, f.nr_dead,
			f.nr_injected, f.nr_poisoned);
	sim_fail_pages(0, false, 0);
	teardown(&f);
	free(f.granules);
	if (sim_kmalloc_live() != kmalloc0)
		fz_fail(&f, "%ld metadata allocations leaked", sim_kmalloc_live() - kmalloc0);
	if (sim_mem_live())
		fz_fail(&f, "region memory not released");
	return 0;
}
