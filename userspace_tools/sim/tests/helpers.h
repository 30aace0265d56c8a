/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixtures and checks shared by the host tests: private regions checked at
 * the end of a test, ASCII maps of a region's blocks, address-derived fill
 * patterns, and snapshots to prove a refused operation changed nothing.
 */
#ifndef _SIM_TEST_HELPERS_H
#define _SIM_TEST_HELPERS_H

#include <linux/err.h>
#include <linux/mm.h>
#include <myslab/buddy.h>
#include <myslab/slab.h>

#include "harness.h"

/* === Regions === */

/* A private region over fresh mmap'ed memory; aborts the test on failure. */
struct myslab_region *t_region(size_t pages, unsigned int max_order,
			       unsigned int pcp_batch);
/*
 * End of a region's life in a test: drain the per-CPU caches, expect the
 * validator to find nothing and every page to be free, destroy it and expect
 * its memory released.
 */
void t_region_done(struct myslab_region *region);

/* Pages free: on the free lists plus in per-CPU caches. */
unsigned long t_free_pages(struct myslab_region *region);
unsigned long t_alloc_pages(struct myslab_region *region);
unsigned long t_invalid_frees(struct myslab_region *region);

/*
 * ASCII map of a region, one character per page:
 *   '0'..'9','a'..'k'  head of a free block of that order (base 36)
 *   '-'                tail page of a free block
 *   'A' / '='          head / tail page of an allocated block
 *   'S' / '~'          head / tail page of a slab
 *   'P'                page in a per-CPU cache
 * Written to @buf (at least nr_pages + 1 bytes).
 */
void t_region_map(struct myslab_region *region, char *buf, size_t len);
#define EXPECT_MAP(region, expected) do {				\
	char __map[1024];						\
	t_region_map(region, __map, sizeof(__map));			\
	EXPECT_STREQ(__map, expected);					\
} while (0)

/* === Patterns === */

/* Fill @len bytes at @p with a pattern derived from @p and @tag. */
void t_fill(void *p, size_t len, unsigned int tag);
/* Does the pattern still hold? Reports the first bad byte when not. */
bool t_check(const void *p, size_t len, unsigned int tag);
bool t_is_zero(const void *p, size_t len);

/* === Snapshots: proof that a refused operation changed nothing === */

struct t_snapshot {
	struct myslab_buddy_stats buddy;
	char map[1024];
};

void t_snap(struct myslab_region *region, struct t_snapshot *s);
/* Everything equal except invalid_frees, which must have grown by @invalid. */
void t_expect_unchanged(struct myslab_region *region,
			const struct t_snapshot *before, unsigned long invalid,
			const char *what);

/* === Caches === */

struct myslab_cache *t_cache(struct myslab_region *region, const char *name,
			     unsigned int size, unsigned int align,
			     unsigned int flags, void (*ctor)(void *));
/* Validate, expect a clean destroy. */
void t_cache_done(struct myslab_cache *cache);
unsigned long t_counter(struct myslab_cache *cache, enum myslab_cache_counter c);
unsigned long t_cache_errors(struct myslab_cache *cache);
void t_cache_stats(struct myslab_cache *cache, struct myslab_cache_stats *st);
/* The cache-stats identities of <myslab/slab.h>. */
void t_expect_cache_identities(struct myslab_cache *cache);

/* Simple xorshift for test-local randomness. */
static inline unsigned long long t_rand(unsigned long long *s)
{
	unsigned long long x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}



/*
 * Expand a map spec into a map string: space-separated blocks, each a free
 * block's order ("6"), or 'A'/'S' and an order for an allocated block or a
 * slab ("A2" = "A==="), or "P" for a page in a per-CPU cache. Returns @buf.
 */
char *t_map_spec(char *buf, size_t len, const char *spec);
#define EXPECT_MAP_SPEC(region, spec) do {				\
	char __want[1024];						\
	EXPECT_MAP(region, t_map_spec(__want, sizeof(__want), spec));	\
} while (0)
#endif /* _SIM_TEST_HELPERS_H */
