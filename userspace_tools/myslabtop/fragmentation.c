// SPDX-License-Identifier: GPL-2.0
/*
 * Transcribed from Linux 6.1 mm/vmstat.c fill_contig_page_info(),
 * unusable_free_index() and __fragmentation_index(), with div_u64() as plain
 * unsigned long division.
 */
#include "fragmentation.h"

void contig_page_info_fill(const struct buddy_zone *zone, unsigned int order,
			   struct contig_page_info *info)
{
	unsigned int o;

	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (o = 0; o < zone->nr_orders; o++) {
		unsigned long blocks = zone->nr_free[o];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << o;
		if (o >= order)
			info->free_blocks_suitable += blocks << (o - order);
	}
}

int unusable_free_index(unsigned int order, const struct contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) *
		     1000UL / info->free_pages);
}

int fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info->free_pages * 1000UL / requested) /
			    info->free_blocks_total);
}
