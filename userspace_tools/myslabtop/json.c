// SPDX-License-Identifier: GPL-2.0
/*
 * Written by hand: the shape is fixed and small, and a library would be one
 * more package to install in the test guests. One cache per line keeps the
 * output readable and greppable while staying one JSON value.
 */
#include <stdlib.h>

#include "fragmentation.h"
#include "json.h"
#include "version.h"

/* Any byte that is not printable ASCII is escaped: the output is always valid UTF-8. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* Thousandths as a decimal with three places: -1000 -> -1.000, -500 -> -0.500. */
static void json_thousandths(FILE *out, int value)
{
	unsigned int magnitude = value < 0 ? -(unsigned int)value : (unsigned int)value;

	fprintf(out, "%s%u.%03u", value < 0 ? "-" : "", magnitude / 1000, magnitude % 1000);
}

static void summary_write(FILE *out, const struct slab_summary *s)
{
	fprintf(out, "  \"summary\": {\"active_objs\": %lu, \"num_objs\": %lu, "
		"\"active_slabs\": %lu, \"num_slabs\": %lu, "
		"\"active_caches\": %lu, \"num_caches\": %lu, "
		"\"active_size_bytes\": %lu, \"total_size_bytes\": %lu, \"pages\": %lu, "
		"\"min_objsize\": %u, \"avg_objsize\": %u, \"max_objsize\": %u},\n",
		s->active_objs, s->num_objs, s->active_slabs, s->num_slabs,
		s->active_caches, s->nr_caches, s->active_size, s->total_size,
		s->pages, s->min_objsize, s->avg_objsize, s->max_objsize);
}

static void cache_write(FILE *out, const struct slab_cache *c)
{
	fputs("    {\"name\": ", out);
	json_string(out, c->name);
	fprintf(out, ", \"active_objs\": %u, \"num_objs\": %u, \"objsize\": %u, "
		"\"objperslab\": %u, \"pagesperslab\": %u, "
		"\"limit\": %u, \"batchcount\": %u, \"sharedfactor\": %u, "
		"\"active_slabs\": %u, \"num_slabs\": %u, \"sharedavail\": %u, "
		"\"use_percent\": %u, \"cache_size_bytes\": %lu}",
		c->active_objs, c->num_objs, c->objsize, c->objperslab,
		c->pagesperslab, c->limit, c->batchcount, c->sharedfactor,
		c->active_slabs, c->num_slabs, c->sharedavail, c->use_percent,
		c->cache_size);
}

static void caches_write(FILE *out, const struct slabinfo *info)
{
	size_t i;

	fputs("  \"caches\": [", out);
	for (i = 0; i < info->nr_caches; i++) {
		fputs(i ? ",\n" : "\n", out);
		cache_write(out, &info->caches[i]);
	}
	fputs(info->nr_caches ? "\n  ],\n" : "],\n", out);
}

/* One index per order, as the kernel's extfrag debugfs files list them. */
static void indices_write(FILE *out, const char *key, const struct buddy_zone *zone,
			  int (*index)(unsigned int, const struct contig_page_info *))
{
	unsigned int order;

	fprintf(out, ", \"%s\": [", key);
	for (order = 0; order < zone->nr_orders; order++) {
		struct contig_page_info info;

		contig_page_info_fill(zone, order, &info);
		fputs(order ? ", " : "", out);
		json_thousandths(out, index(order, &info));
	}
	fputc(']', out);
}

static void zone_write(FILE *out, const struct buddy_zone *zone)
{
	struct contig_page_info totals;
	unsigned int order;

	contig_page_info_fill(zone, 0, &totals);
	fprintf(out, "    {\"node\": %d, \"zone\": ", zone->node);
	json_string(out, zone->zone);
	fputs(", \"free_blocks\": [", out);
	for (order = 0; order < zone->nr_orders; order++)
		fprintf(out, "%s%lu", order ? ", " : "", zone->nr_free[order]);
	fprintf(out, "], \"free_pages\": %lu, \"free_blocks_total\": %lu",
		totals.free_pages, totals.free_blocks_total);
	indices_write(out, "unusable_free_space_index", zone, unusable_free_index);
	indices_write(out, "fragmentation_index", zone, fragmentation_index);
	fputc('}', out);
}

static void buddyinfo_write(FILE *out, const struct snapshot *snap)
{
	size_t i;

	if (!snap->have_buddyinfo) {
		fputs("  \"buddyinfo\": null\n", out);
		return;
	}
	fputs("  \"buddyinfo\": [", out);
	for (i = 0; i < snap->buddyinfo.nr_zones; i++) {
		fputs(i ? ",\n" : "\n", out);
		zone_write(out, &snap->buddyinfo.zones[i]);
	}
	fputs(snap->buddyinfo.nr_zones ? "\n  ]\n" : "]\n", out);
}

void json_write(FILE *out, const struct snapshot *snap,
		const struct options *opts)
{
	fputs("{\n  \"myslabtop_version\": ", out);
	json_string(out, MYSLABTOP_VERSION);
	fputs(",\n  \"slabinfo_version\": \"2.1\",\n  \"slabinfo_path\": ", out);
	json_string(out, opts->slabinfo_path);
	fputs(",\n  \"buddyinfo_path\": ", out);
	if (snap->have_buddyinfo)
		json_string(out, opts->buddyinfo_path);
	else
		fputs("null", out);
	fprintf(out, ",\n  \"page_size\": %lu,\n  \"sort\": \"%c\",\n",
		snap->page_size, opts->sort->letter);
	summary_write(out, &snap->summary);
	caches_write(out, &snap->slabinfo);
	buddyinfo_write(out, snap);
	fputs("}\n", out);
}
