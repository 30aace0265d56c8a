// SPDX-License-Identifier: GPL-2.0
/*
 * The formats are procps-ng 4.0's (src/slabtop.c print_summary(),
 * print_headings(), print_details()), byte for byte: people compare the two
 * tools' output and scripts cut its columns.
 */
#include <stdio.h>

#include "text.h"

#define KIB	1024.0

/* Long enough for any row: the name is at most SLABINFO_NAME_MAX bytes. */
#define TEXT_LINE_BYTES	256

static void summary_render(const struct slab_summary *s, struct text_sink *sink)
{
	char line[TEXT_LINE_BYTES];

	snprintf(line, sizeof(line), " %-35s: %lu / %lu (%.1f%%)",
		 "Active / Total Objects (% used)", s->active_objs, s->num_objs,
		 percent_of(s->active_objs, s->num_objs));
	sink->line(sink, TEXT_SUMMARY, line);
	snprintf(line, sizeof(line), " %-35s: %lu / %lu (%.1f%%)",
		 "Active / Total Slabs (% used)", s->active_slabs, s->num_slabs,
		 percent_of(s->active_slabs, s->num_slabs));
	sink->line(sink, TEXT_SUMMARY, line);
	snprintf(line, sizeof(line), " %-35s: %lu / %lu (%.1f%%)",
		 "Active / Total Caches (% used)", s->active_caches, s->nr_caches,
		 percent_of(s->active_caches, s->nr_caches));
	sink->line(sink, TEXT_SUMMARY, line);
	snprintf(line, sizeof(line), " %-35s: %.2fK / %.2fK (%.1f%%)",
		 "Active / Total Size (% used)", s->active_size / KIB,
		 s->total_size / KIB, percent_of(s->active_size, s->total_size));
	sink->line(sink, TEXT_SUMMARY, line);
	snprintf(line, sizeof(line), " %-35s: %.2fK / %.2fK / %.2fK",
		 "Minimum / Average / Maximum Object", s->min_objsize / KIB,
		 s->avg_objsize / KIB, s->max_objsize / KIB);
	sink->line(sink, TEXT_SUMMARY, line);
	sink->line(sink, TEXT_SUMMARY, "");
}

static void row_render(const struct slab_cache *c, struct text_sink *sink)
{
	char line[TEXT_LINE_BYTES];

	snprintf(line, sizeof(line), "%6u %6u %3u%% %7.2fK %6u %8u %9luK %-23s",
		 c->num_objs, c->active_objs, c->use_percent, c->objsize / KIB,
		 c->num_slabs, c->objperslab, c->cache_size / 1024, c->name);
	sink->line(sink, TEXT_ROW, line);
}

void text_render(const struct slabinfo *info,
		 const struct slab_summary *summary, size_t max_rows,
		 struct text_sink *sink)
{
	char line[TEXT_LINE_BYTES];
	size_t i;

	summary_render(summary, sink);
	snprintf(line, sizeof(line), "%-78s",
		 "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME");
	sink->line(sink, TEXT_HEADINGS, line);
	for (i = 0; i < info->nr_caches && i < max_rows; i++)
		row_render(&info->caches[i], sink);
}
