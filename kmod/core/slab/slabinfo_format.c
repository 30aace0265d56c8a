// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/myslabinfo's text: the row formatter and the tunable-write parser,
 * as pure functions so that KUnit checks them without the /proc file
 * (procfs_slabinfo.c is the glue around them).
 *
 * The format is /proc/slabinfo version 2.1 exactly (mm/slab_common.c), so
 * that slabtop's parser (procps: "%128s %u %u %u %u %u : tunables %*u %*u %*u
 * : slabdata %u %u %*u") reads every row.
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "slab_internal.h"
#include "slabinfo_format.h"

/* The second line, column names, exactly as mm/slab_common.c prints it. */
#define MYSLAB_SLABINFO_COLUMNS \
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"

static const char myslab_header[] =
	"slabinfo - version: 2.1\n" MYSLAB_SLABINFO_COLUMNS;

/**
 * myslab_slabinfo_header() - the two header lines of /proc/myslabinfo
 *
 * Return: the header, newline-terminated.
 */
const char *myslab_slabinfo_header(void)
{
	return myslab_header;
}
EXPORT_SYMBOL_NS_GPL(myslab_slabinfo_header, MYSLAB_NS);

/**
 * myslab_slabinfo_format() - format one cache's /proc/myslabinfo row
 * @buf: output buffer
 * @size: its size
 * @st: the cache's snapshot
 *
 * objsize is the slot size (object plus padding), pagesperslab 2^order,
 * sharedfactor the barn's capacity in batches and sharedavail the objects
 * in it, as SLAB showed its shared array.
 *
 * Return: the length of the full row, newline included (as snprintf();
 * larger than or equal to @size when it was truncated).
 */
int myslab_slabinfo_format(char *buf, size_t size,
			   const struct myslab_cache_stats *st)
{
	return snprintf(buf, size,
			"%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
			st->name, st->active_objs, st->num_objs, st->slot_size,
			st->objs_per_slab, 1 << st->order, st->limit,
			st->batchcount, st->shared, st->active_slabs,
			st->num_slabs, st->shared_avail);
}
EXPORT_SYMBOL_NS_GPL(myslab_slabinfo_format, MYSLAB_NS);

static bool myslab_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A decimal number made of digits only (no sign), fitting an unsigned int. */
static int myslab_parse_uint(const char *tok, unsigned int *val)
{
	const char *p;

	for (p = tok; *p; p++)
		if (*p < '0' || *p > '9')
			return -EINVAL;
	return kstrtouint(tok, 10, val) ? -EINVAL : 0;
}

/**
 * myslab_slabinfo_parse() - parse a write to /proc/myslabinfo
 * @buf: the bytes written (not NUL-terminated)
 * @len: their number
 * @req: filled with the request when it is valid
 *
 * Accepts "<cache-name> <limit> <batchcount> <shared>": four fields separated
 * by spaces or tabs, optionally surrounded by blanks and ended by one
 * newline; numbers are plain decimal digits. The values must satisfy
 * 1 <= limit <= MYSLAB_MAGAZINE_MAX, 1 <= batchcount <= limit and
 * shared <= MYSLAB_SHARED_MAX.
 * Whether the cache exists is the caller's check.
 *
 * Return: 0; -E2BIG when @len exceeds MYSLAB_SLABINFO_WRITE_MAX; -EINVAL for
 * an empty write, a byte that is not printable ASCII (NUL and binary
 * included), a newline anywhere but at the end, a wrong number of fields, a
 * bad name, a malformed or overflowing number, or a value out of range.
 */
int myslab_slabinfo_parse(const char *buf, size_t len,
			  struct myslab_slabinfo_tune *req)
{
	char copy[MYSLAB_SLABINFO_WRITE_MAX + 1];
	char *fields[4], *p;
	unsigned int vals[3];
	int nr = 0, i;
	size_t n;

	if (len > MYSLAB_SLABINFO_WRITE_MAX)
		return -E2BIG;
	if (!len)
		return -EINVAL;
	if (buf[len - 1] == '\n')
		len--;
	for (n = 0; n < len; n++)
		if (!myslab_is_blank(buf[n]) && (buf[n] < ' ' || buf[n] > '~'))
			return -EINVAL;
	memcpy(copy, buf, len);
	copy[len] = '\0';

	p = copy;
	for (;;) {
		while (myslab_is_blank(*p))
			*p++ = '\0';
		if (!*p)
			break;
		if (nr == ARRAY_SIZE(fields))
			return -EINVAL;
		fields[nr++] = p;
		while (*p && !myslab_is_blank(*p))
			p++;
	}
	if (nr != ARRAY_SIZE(fields) || myslab_cache_name_check(fields[0]))
		return -EINVAL;
	for (i = 0; i < 3; i++)
		if (myslab_parse_uint(fields[i + 1], &vals[i]))
			return -EINVAL;
	if (myslab_tunables_check(vals[0], vals[1], vals[2]))
		return -EINVAL;

	strscpy(req->name, fields[0], sizeof(req->name));
	req->limit = vals[0];
	req->batchcount = vals[1];
	req->shared = vals[2];
	return 0;
}
EXPORT_SYMBOL_NS_GPL(myslab_slabinfo_parse, MYSLAB_NS);
