// SPDX-License-Identifier: GPL-2.0
/* Fixtures and checks shared by the host tests (see helpers.h). */
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

struct myslab_region *t_region(size_t pages, unsigned int max_order,
			       unsigned int pcp_batch)
{
	struct myslab_region *region;

	region = sim_region_create("test", pages * PAGE_SIZE, max_order, pcp_batch);
	ASSERT_NOT_ERR_OR_NULL(region);
	EXPECT_EQ(myslab_region_check(region), 0);
	return region;
}

void t_region_done(struct myslab_region *region)
{
	struct myslab_buddy_stats st;
	unsigned long releases = sim_mem_releases();

	myslab_drain_pcp(region);
	EXPECT_EQ(myslab_region_check(region), 0);
	myslab_buddy_stats(region, &st);
	EXPECT_EQ(st.alloc_pages, 0);
	EXPECT_EQ(st.pcp_pages, 0);
	EXPECT_EQ(st.free_pages, st.nr_pages);
	if (st.alloc_pages)
		sim_expect_errors(1);	/* destroy reports the leak */
	myslab_region_destroy(region);
	EXPECT_EQ(sim_mem_releases(), releases + (st.alloc_pages ? 0 : 1));
}

unsigned long t_free_pages(struct myslab_region *region)
{
	struct myslab_buddy_stats st;

	myslab_buddy_stats(region, &st);
	return st.free_pages + st.pcp_pages;
}

unsigned long t_alloc_pages(struct myslab_region *region)
{
	struct myslab_buddy_stats st;

	myslab_buddy_stats(region, &st);
	return st.alloc_pages;
}

unsigned long t_invalid_frees(struct myslab_region *region)
{
	struct myslab_buddy_stats st;

	myslab_buddy_stats(region, &st);
	return st.invalid_frees;
}

void t_region_map(struct myslab_region *region, char *buf, size_t len)
{
	const struct myslab_mem *mem = myslab_region_mem(region);
	unsigned long pages = mem->size >> PAGE_SHIFT, i;
	struct myslab_block_info info;
	char *p;

	for (i = 0; i < pages && i + 1 < len; i++) {
		p = (char *)mem->base + i * PAGE_SIZE;
		if (myslab_block_lookup(region, p, &info)) {
			buf[i] = '?';
			continue;
		}
		switch (info.state) {
		case MYSLAB_BLOCK_FREE:
			buf[i] = info.base != p ? '-' :
				 "0123456789abcdefghijk"[info.order];
			break;
		case MYSLAB_BLOCK_PCP:
			buf[i] = info.base == p ? 'P' : 'p';
			break;
		case MYSLAB_BLOCK_ALLOC:
			buf[i] = info.base == p ? 'A' : '=';
			break;
		case MYSLAB_BLOCK_SLAB:
			buf[i] = info.base == p ? 'S' : '~';
			break;
		default:
			buf[i] = '?';
		}
	}
	buf[i] = '\0';
}

static inline unsigned char pattern_byte(const unsigned char *p, unsigned int tag)
{
	unsigned long a = (unsigned long)p;

	return (unsigned char)((a * 0x9e3779b1u) >> 24) ^ (unsigned char)(a >> 3) ^
	       (unsigned char)tag;
}

void t_fill(void *p, size_t len, unsigned int tag)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		c[i] = pattern_byte(c + i, tag);
}

bool t_check(const void *p, size_t len, unsigned int tag)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++) {
		if (c[i] != pattern_byte(c + i, tag)) {
			sim_test_fail(__FILE__, __LINE__,
				      "pattern broken at %p + %zu: %#x, expected %#x",
				      p, i, c[i], pattern_byte(c + i, tag));
			return false;
		}
	}
	return true;
}

bool t_is_zero(const void *p, size_t len)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i])
			return false;
	return true;
}

void t_snap(struct myslab_region *region, struct t_snapshot *s)
{
	myslab_buddy_stats(region, &s->buddy);
	t_region_map(region, s->map, sizeof(s->map));
}

void t_expect_unchanged(struct myslab_region *region,
			const struct t_snapshot *before, unsigned long invalid,
			const char *what)
{
	struct t_snapshot now;
	struct myslab_buddy_stats a = before->buddy;

	t_snap(region, &now);
	if (now.buddy.invalid_frees != a.invalid_frees + invalid)
		sim_test_fail(__FILE__, __LINE__, "%s: invalid_frees %lu, expected %lu",
			      what, now.buddy.invalid_frees, a.invalid_frees + invalid);
	a.invalid_frees = now.buddy.invalid_frees;
	if (memcmp(&a, &now.buddy, sizeof(a)))
		sim_test_fail(__FILE__, __LINE__, "%s: region statistics changed", what);
	if (strcmp(before->map, now.map))
		sim_test_fail(__FILE__, __LINE__, "%s: map changed:\n#   %s\n#   %s",
			      what, before->map, now.map);
	EXPECT_EQ(myslab_region_check(region), 0);
}

struct myslab_cache *t_cache(struct myslab_region *region, const char *name,
			     unsigned int size, unsigned int align,
			     unsigned int flags, void (*ctor)(void *))
{
	struct myslab_cache *cache;

	cache = myslab_cache_create(region, name, size, align, flags, ctor);
	ASSERT_NOT_ERR_OR_NULL(cache);
	return cache;
}

void t_cache_done(struct myslab_cache *cache)
{
	EXPECT_EQ(myslab_cache_validate(cache), 0);
	t_expect_cache_identities(cache);
	EXPECT_EQ(myslab_cache_destroy(cache), 0);
}

unsigned long t_counter(struct myslab_cache *cache, enum myslab_cache_counter c)
{
	unsigned long counters[MYSLAB_CACHE_NR_COUNTERS];

	myslab_cache_counters(cache, counters);
	return counters[c];
}

unsigned long t_cache_errors(struct myslab_cache *cache)
{
	unsigned long c[MYSLAB_CACHE_NR_COUNTERS];

	myslab_cache_counters(cache, c);
	return c[MYSLAB_CACHE_ERR_OUTSIDE] + c[MYSLAB_CACHE_ERR_NOT_OBJECT] +
	       c[MYSLAB_CACHE_ERR_WRONG_CACHE] + c[MYSLAB_CACHE_ERR_DOUBLE_FREE] +
	       c[MYSLAB_CACHE_ERR_FREELIST] + c[MYSLAB_CACHE_ERR_REDZONE] +
	       c[MYSLAB_CACHE_ERR_POISON] + c[MYSLAB_CACHE_ERR_INCONSISTENT];
}

void t_cache_stats(struct myslab_cache *cache, struct myslab_cache_stats *st)
{
	myslab_cache_stats(cache, st);
}

void t_expect_cache_identities(struct myslab_cache *cache)
{
	struct myslab_cache_stats st;

	myslab_cache_stats(cache, &st);
	EXPECT_EQ(st.num_objs, st.num_slabs * st.objs_per_slab);
	EXPECT_EQ(st.num_slabs, st.empty_slabs + st.partial_slabs + st.full_slabs);
	EXPECT_EQ(st.active_slabs, st.partial_slabs + st.full_slabs);
	EXPECT_LE(st.active_objs, st.num_objs);
	EXPECT_LE(st.corrupted_slabs, st.full_slabs);
}

char *t_map_spec(char *buf, size_t len, const char *spec)
{
	size_t n = 0;
	unsigned long i, pages;
	char head, tail;

	while (*spec) {
		if (*spec == ' ') {
			spec++;
			continue;
		}
		if (*spec == 'A' || *spec == 'S' || *spec == 'P') {
			head = *spec;
			tail = *spec == 'A' ? '=' : *spec == 'S' ? '~' : 'p';
			/* An order left out (only "P" may) is 0. */
			spec++;
			pages = 1;
			if (*spec >= '0' && *spec <= '9')
				pages <<= strtoul(spec, (char **)&spec, 10);
		} else {
			unsigned long order = strtoul(spec, (char **)&spec, 10);

			head = "0123456789abcdefghijk"[order];
			tail = '-';
			pages = 1UL << order;
		}
		for (i = 0; i < pages && n + 1 < len; i++)
			buf[n++] = i ? tail : head;
	}
	buf[n] = '\0';
	return buf;
}

void t_pace_init(struct t_pace *pace, unsigned int nr_workers, unsigned long step)
{
	ASSERT_TRUE(nr_workers <= T_PACE_MAX_WORKERS && step > 0);
	memset(pace, 0, sizeof(*pace));
	pace->nr_workers = nr_workers;
	pace->step = step;
}

unsigned int t_pace_worker_id(struct t_pace *pace)
{
	unsigned int id = __atomic_fetch_add(&pace->next_worker, 1, __ATOMIC_RELAXED);

	/* Not an ASSERT: this runs on a worker thread, not the test's. */
	if (id >= pace->nr_workers)
		abort();
	return id;
}

void t_pace_worker_step(struct t_pace *pace, unsigned int id, unsigned long i)
{
	unsigned long step;

	if (i % pace->step)
		return;
	step = i / pace->step;
	__atomic_store_n(&pace->begun[id], step, __ATOMIC_RELEASE);
	while (__atomic_load_n(&pace->rounds_done, __ATOMIC_ACQUIRE) + 1 < step)
		sched_yield();
}

void t_pace_worker_done(struct t_pace *pace, unsigned int id)
{
	__atomic_store_n(&pace->begun[id], ULONG_MAX, __ATOMIC_RELEASE);
}

unsigned long t_pace_rounds(const struct t_pace *pace, unsigned long iterations)
{
	/* Round r waits for step r + 1: the last step begun is the last round's. */
	return iterations ? (iterations - 1) / pace->step : 0;
}

void t_pace_round_begin(struct t_pace *pace, unsigned long round)
{
	unsigned int id;

	for (id = 0; id < pace->nr_workers; id++)
		while (__atomic_load_n(&pace->begun[id], __ATOMIC_ACQUIRE) < round + 1)
			sched_yield();
}

bool t_pace_round_end(struct t_pace *pace)
{
	bool raced = true;
	unsigned int id;

	for (id = 0; id < pace->nr_workers; id++)
		if (__atomic_load_n(&pace->begun[id], __ATOMIC_ACQUIRE) == ULONG_MAX)
			raced = false;
	__atomic_fetch_add(&pace->rounds_done, 1, __ATOMIC_RELEASE);
	return raced;
}
