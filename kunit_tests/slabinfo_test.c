// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite myslab_slabinfo: /proc/myslabinfo's rows, read back with the
 * parser procps (slabtop) uses, match the operations done; the tunable-write
 * parser accepts and rejects exactly what it documents.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "slab_fixture.h"

/* procps' row format (slabtop): a 128-character name needs 129 bytes. */
#define PROCPS_ROW_FORMAT \
	"%128s %u %u %u %u %u : tunables %*u %*u %*u : slabdata %u %u %*u"

struct procps_row {
	char name[129];
	unsigned int active_objs, num_objs, objsize, objperslab, pagesperslab;
	unsigned int active_slabs, num_slabs;
};

static void read_row(struct kunit *test, struct myslab_cache *cache,
		     struct procps_row *row, unsigned int tunables[3])
{
	struct myslab_cache_stats st;
	char buf[256];
	int len, n;

	myslab_cache_stats(cache, &st);
	len = myslab_slabinfo_format(buf, sizeof(buf), &st);
	KUNIT_ASSERT_LT(test, len, (int)sizeof(buf));
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	n = sscanf(buf, PROCPS_ROW_FORMAT, row->name, &row->active_objs,
		   &row->num_objs, &row->objsize, &row->objperslab,
		   &row->pagesperslab, &row->active_slabs, &row->num_slabs);
	KUNIT_ASSERT_EQ_MSG(test, n, 8, "row: %s", buf);
	n = sscanf(buf, "%*s %*u %*u %*u %*u %*u : tunables %u %u %u",
		   &tunables[0], &tunables[1], &tunables[2]);
	KUNIT_ASSERT_EQ_MSG(test, n, 3, "row: %s", buf);
}

static void slabinfo_header_exact(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, myslab_slabinfo_header(),
			   "slabinfo - version: 2.1\n"
			   "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
}

/* Distinct slab blocks among @n objects, as the buddy allocator sees them. */
static unsigned int distinct_slabs(struct myslab_region *region, void **objs,
				   unsigned int n)
{
	struct myslab_block_info a, b;
	unsigned int i, j, nr = 0;

	for (i = 0; i < n; i++) {
		if (!objs[i] || myslab_block_lookup(region, objs[i], &a))
			continue;
		for (j = 0; j < i; j++)
			if (objs[j] && !myslab_block_lookup(region, objs[j], &b) &&
			    b.base == a.base)
				break;
		nr += j == i;
	}
	return nr;
}

static void slabinfo_row_matches_operations(struct kunit *test)
{
	struct myslab_region *region = slab_fixture_region(test);
	unsigned long free_before = slab_test_free_pages(region), used;
	const char *name = "t-info-with-31-character-name-x";
	struct myslab_slab_geometry geo;
	unsigned int tunables[3], i;
	struct myslab_cache *cache;
	struct procps_row row;
	void *objs[40];

	KUNIT_ASSERT_EQ(test, strlen(name), MYSLAB_CACHE_NAME_LEN - 1);
	KUNIT_ASSERT_EQ(test, myslab_slab_geometry(200, 0, 0, false, SLAB_TEST_MAX_ORDER,
						   &geo), 0);
	cache = slab_test_cache(test, name, 200, 0, 0, NULL);
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 10, 5, 0), 0);

	read_row(test, cache, &row, tunables);
	KUNIT_EXPECT_STREQ(test, row.name, name);
	KUNIT_EXPECT_EQ(test, row.active_objs, 0);
	KUNIT_EXPECT_EQ(test, row.num_objs, 0);
	KUNIT_EXPECT_EQ(test, row.objsize, geo.slot_size);
	KUNIT_EXPECT_EQ(test, row.objperslab, geo.objs_per_slab);
	KUNIT_EXPECT_EQ(test, row.pagesperslab, 1U << geo.order);
	KUNIT_EXPECT_EQ(test, row.num_slabs, 0);
	KUNIT_EXPECT_EQ(test, tunables[0], 10);
	KUNIT_EXPECT_EQ(test, tunables[1], 5);
	KUNIT_EXPECT_EQ(test, tunables[2], 0);

	/* 40 allocated, 7 freed: 33 in use, whatever the magazines hold. */
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = myslab_cache_alloc(cache, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	for (i = 0; i < 7; i++) {
		myslab_cache_free(cache, objs[3 * i]);
		objs[3 * i] = NULL;
	}
	used = free_before - slab_test_free_pages(region);
	read_row(test, cache, &row, tunables);
	KUNIT_EXPECT_EQ(test, row.active_objs, 33);
	KUNIT_EXPECT_EQ(test, row.num_slabs, used >> geo.order);
	KUNIT_EXPECT_EQ(test, row.num_objs, row.num_slabs * geo.objs_per_slab);
	KUNIT_EXPECT_LE(test, row.active_slabs, row.num_slabs);
	KUNIT_EXPECT_GE(test, row.active_slabs, distinct_slabs(region, objs, 40));

	/* Drained and shrunk: the slabs left are exactly those in use. */
	myslab_cache_shrink(cache);
	used = free_before - slab_test_free_pages(region);
	read_row(test, cache, &row, tunables);
	KUNIT_EXPECT_EQ(test, row.active_objs, 33);
	KUNIT_EXPECT_EQ(test, row.active_slabs, distinct_slabs(region, objs, 40));
	KUNIT_EXPECT_EQ(test, row.num_slabs, row.active_slabs);
	KUNIT_EXPECT_EQ(test, row.num_slabs, used >> geo.order);

	/* Tuned again: the row shows the real tunables. */
	KUNIT_ASSERT_EQ(test, myslab_cache_tune(cache, 32, 16, 0), 0);
	read_row(test, cache, &row, tunables);
	KUNIT_EXPECT_EQ(test, tunables[0], 32);
	KUNIT_EXPECT_EQ(test, tunables[1], 16);

	for (i = 0; i < ARRAY_SIZE(objs); i++)
		myslab_cache_free(cache, objs[i]);
	myslab_cache_shrink(cache);
	read_row(test, cache, &row, tunables);
	KUNIT_EXPECT_EQ(test, row.active_objs, 0);
	KUNIT_EXPECT_EQ(test, row.num_objs, 0);
	KUNIT_EXPECT_EQ(test, row.active_slabs, 0);
	KUNIT_EXPECT_EQ(test, row.num_slabs, 0);
	slab_test_cache_done(test, cache);
}

/* === The tunable-write parser === */

struct parse_case {
	const char *buf;
	size_t len;		/* 0: strlen(buf) */
	int err;
	unsigned int limit, batchcount, shared;
	const char *name;
};

#define OK(s, n, l, b, sh)	{ s, 0, 0, l, b, sh, n }
#define BAD(s, e)		{ s, 0, e }
#define BADLEN(s, e)		{ s, sizeof(s) - 1, e }

static const struct parse_case parse_cases[] = {
	OK("kmalloc-64 120 60 0", "kmalloc-64", 120, 60, 0),
	OK("kmalloc-64 120 60 0\n", "kmalloc-64", 120, 60, 0),
	OK("task_struct 1 1 0", "task_struct", 1, 1, 0),
	OK("x 256 256 0", "x", 256, 256, 0),
	OK("  x\t8 \t4   0\t\n", "x", 8, 4, 0),
	OK("a-name-of-31-characters-is-fine 8 4 0", "a-name-of-31-characters-is-fine",
	   8, 4, 0),
	OK("x 007 3 00", "x", 7, 3, 0),
	BAD("", -EINVAL),
	BAD("\n", -EINVAL),
	BAD("   ", -EINVAL),
	BAD("x", -EINVAL),
	BAD("x 8 4", -EINVAL),
	BAD("x 8 4 0 0", -EINVAL),
	BAD("x 0 1 0", -EINVAL),
	BAD("x 1 0 0", -EINVAL),
	BAD("x 4 5 0", -EINVAL),
	BAD("x 257 1 0", -EINVAL),
	OK("x 8 4 1", "x", 8, 4, 1),
	OK("x 8 4 16", "x", 8, 4, 16),
	BAD("x 8 4 17", -EINVAL),
	BAD("x -1 1 0", -EINVAL),
	BAD("x +8 4 0", -EINVAL),
	BAD("x 8 4 0x0", -EINVAL),
	BAD("x 8a 4 0", -EINVAL),
	BAD("x 4294967296 1 0", -EINVAL),
	BAD("x 99999999999999999999 1 0", -EINVAL),
	BAD("x 8 4 0\n\n", -EINVAL),
	BAD("x 8\n4 0", -EINVAL),
	BAD("x 8 4 0\r", -EINVAL),
	BAD("na\x01me 8 4 0", -EINVAL),
	BAD("n\xc3\xa9 8 4 0", -EINVAL),
	BAD("a-name-of-32-characters-is-long- 8 4 0", -EINVAL),
	BADLEN("x\0 8 4 0", -EINVAL),
	BADLEN("x 8 4 0\0", -EINVAL),
};

/*
 * The input, quoted, as a KTAP test name: blanks stay visible inside the
 * quotes (a name of spaces alone is no name to a KTAP parser), and what is
 * not printable, the quotes themselves, the backslash and '#' (which would
 * start a KTAP directive) are escaped as \xNN.
 */
static void parse_case_desc(const struct parse_case *c, char *desc)
{
	size_t len = c->len ? c->len : strlen(c->buf), i, o = 0;

	desc[o++] = '"';
	for (i = 0; i < len && o + 6 < KUNIT_PARAM_DESC_SIZE; i++) {
		unsigned char ch = c->buf[i];

		if (ch >= ' ' && ch <= '~' && ch != '"' && ch != '\\' && ch != '#')
			desc[o++] = ch;
		else
			o += snprintf(desc + o, KUNIT_PARAM_DESC_SIZE - o, "\\x%02x", ch);
	}
	desc[o++] = '"';
	desc[o] = '\0';
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void slabinfo_parse_table(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	size_t len = c->len ? c->len : strlen(c->buf);
	struct myslab_slabinfo_tune req = {
		.name = "untouched", .limit = 77, .batchcount = 77, .shared = 77,
	};

	KUNIT_EXPECT_EQ(test, myslab_slabinfo_parse(c->buf, len, &req), c->err);
	if (c->err) {
		/* A refused write leaves the request untouched. */
		KUNIT_EXPECT_STREQ(test, req.name, "untouched");
		KUNIT_EXPECT_EQ(test, req.limit, 77);
		return;
	}
	KUNIT_EXPECT_STREQ(test, req.name, c->name);
	KUNIT_EXPECT_EQ(test, req.limit, c->limit);
	KUNIT_EXPECT_EQ(test, req.batchcount, c->batchcount);
	KUNIT_EXPECT_EQ(test, req.shared, c->shared);
}

/* 128 bytes are accepted, 129 are not, whatever they hold. */
static void slabinfo_parse_length_limit(struct kunit *test)
{
	char buf[MYSLAB_SLABINFO_WRITE_MAX + 1];
	struct myslab_slabinfo_tune req;

	memset(buf, ' ', sizeof(buf));
	memcpy(buf, "x 8 4 0", 7);
	KUNIT_EXPECT_EQ(test, myslab_slabinfo_parse(buf, MYSLAB_SLABINFO_WRITE_MAX, &req), 0);
	KUNIT_EXPECT_STREQ(test, req.name, "x");
	KUNIT_EXPECT_EQ(test, myslab_slabinfo_parse(buf, MYSLAB_SLABINFO_WRITE_MAX + 1, &req),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, myslab_slabinfo_parse(buf, SIZE_MAX, &req), -E2BIG);
}

/* A parsed request applied to a cache changes exactly its tunables. */
static void slabinfo_parse_then_tune(struct kunit *test)
{
	static const char write[] = "t-retune 16 8 3\n";
	struct myslab_slabinfo_tune req;
	struct myslab_cache_stats st;
	struct myslab_cache *cache;

	cache = slab_test_cache(test, "t-retune", 64, 0, 0, NULL);
	KUNIT_ASSERT_EQ(test, myslab_slabinfo_parse(write, sizeof(write) - 1, &req), 0);
	KUNIT_EXPECT_STREQ(test, req.name, myslab_cache_name(cache));
	KUNIT_EXPECT_EQ(test, myslab_cache_tune(cache, req.limit, req.batchcount,
						req.shared), 0);
	myslab_cache_stats(cache, &st);
	KUNIT_EXPECT_EQ(test, st.limit, 16);
	KUNIT_EXPECT_EQ(test, st.batchcount, 8);
	KUNIT_EXPECT_EQ(test, st.shared, 3);
	slab_test_cache_done(test, cache);
}

static struct kunit_case myslab_slabinfo_cases[] = {
	KUNIT_CASE(slabinfo_header_exact),
	KUNIT_CASE(slabinfo_row_matches_operations),
	KUNIT_CASE_PARAM(slabinfo_parse_table, parse_gen_params),
	KUNIT_CASE(slabinfo_parse_length_limit),
	KUNIT_CASE(slabinfo_parse_then_tune),
	{}
};

static struct kunit_suite myslab_slabinfo_suite = {
	.name = "myslab_slabinfo",
	.init = slab_fixture_init,
	.test_cases = myslab_slabinfo_cases,
};

kunit_test_suites(&myslab_slabinfo_suite);
