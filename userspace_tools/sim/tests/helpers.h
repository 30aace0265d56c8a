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

/* === Threads: a meddler paced by the workers === */

/*
 * A test that races worker threads against a meddler (a thread that shrinks,
 * drains or retunes) must not let the scheduler decide how long it runs: a
 * meddler looping until the workers end can, under valgrind, which runs one
 * thread at a time, take most of the time slices and starve the workers for
 * minutes. Paced, the work is cut into steps of @step iterations per
 * worker; the meddler's round r begins once every worker has begun step
 * r + 1, and a worker begins step j only once round j - 2 is over. So the
 * number of rounds is fixed by the work, and each round but the last runs
 * while every worker is inside its step r + 1: the race is certain, not
 * likely.
 *
 * The waits yield (sched_yield()), each side waiting only for the other's
 * bounded work: a test's duration is bounded by its work on any scheduler.
 */
#define T_PACE_MAX_WORKERS	8

struct t_pace {
	unsigned long step;		/* worker iterations per round */
	unsigned long rounds_done;	/* written by the meddler only */
	unsigned int nr_workers;
	unsigned int next_worker;	/* t_pace_worker_id() hands them out */
	/* Per worker: the step it has begun, ULONG_MAX once it is done. */
	unsigned long begun[T_PACE_MAX_WORKERS];
};

void t_pace_init(struct t_pace *pace, unsigned int nr_workers, unsigned long step);
/* A worker's index, once at its start. */
unsigned int t_pace_worker_id(struct t_pace *pace);
/* Worker @id is about to do its iteration @i (0, 1, ...). */
void t_pace_worker_step(struct t_pace *pace, unsigned int id, unsigned long i);
/* Worker @id has done all its iterations. */
void t_pace_worker_done(struct t_pace *pace, unsigned int id);
/* Rounds the meddler does for workers of @iterations each. */
unsigned long t_pace_rounds(const struct t_pace *pace, unsigned long iterations);
/*
 * The meddler: wait until round @round may begin; say it is over, learning
 * whether every worker was still working then (true for all rounds but the
 * last: a test counts them to prove the race happened).
 */
void t_pace_round_begin(struct t_pace *pace, unsigned long round);
bool t_pace_round_end(struct t_pace *pace);

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
 * slab ("A2" = "A==="), or 'P' and an order for a block in a per-CPU cache
 * ("P1" = "Pp"; "P" alone is "P0"). Returns @buf.
 */
char *t_map_spec(char *buf, size_t len, const char *spec);
#define EXPECT_MAP_SPEC(region, spec) do {				\
	char __want[1024];						\
	EXPECT_MAP(region, t_map_spec(__want, sizeof(__want), spec));	\
} while (0)
#endif /* _SIM_TEST_HELPERS_H */
