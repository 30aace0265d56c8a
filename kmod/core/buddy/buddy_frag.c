// SPDX-License-Identifier: GPL-2.0
/*
 * Fragmentation indices of a region, with the formulas and integer
 * arithmetic of the kernel's debugfs extfrag files (mm/vmstat.c,
 * unusable_free_index() and __fragmentation_index()), so that the numbers
 * mean what kernel people already know. Results are in thousandths; the
 * debugfs files print them with three decimals.
 *
 * From the free-block counts nr_free[o] of orders 0..max_order:
 *
 *	free_pages		= sum over o of nr_free[o] << o
 *	free_blocks_total	= sum over o of nr_free[o]
 *	free_blocks_suitable(j)	= sum over o >= j of nr_free[o] << (o - j)
 *
 * Unusable free space index of order j: the share of free memory that
 * cannot serve an order-j request,
 *
 *	(free_pages - (free_blocks_suitable(j) << j)) / free_pages
 *
 * and 1 when nothing is free.
 *
 * Fragmentation index of order j: meaningful only when an order-j request
 * would fail (-1 otherwise): towards 0 the failure is for lack of memory,
 * towards 1 for fragmentation,
 *
 *	1 - (1 + free_pages / 2^j) / free_blocks_total
 *
 * and 0 when nothing is free (it goes negative when a few blocks hold
 * almost 2^j pages: the kernel's integer formula, kept as is).
 *
 * Worked example, max_order 3, nr_free = { 4, 2, 0, 0 }: 8 free pages in 6
 * blocks. Order 1: 2 suitable blocks of 2 pages cover 4 of the 8 free pages,
 * unusable 0.500; order 2: nothing suitable, unusable 1.000 and
 * fragmentation 1 - (1 + 8 / 4) / 6 = 0.500 (in integers: 1000 - (1000 +
 * 2000) / 6 = 500).
 *
 * This is a core file: pure functions, no module glue. Products stay far
 * below 2^64 (a region has fewer than 2^32 pages), and unsigned long is 64
 * bits on the architectures myslab is built for.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "buddy_internal.h"

/* The kernel's struct contig_page_info, for one requested order. */
struct frag_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void frag_info(const unsigned long *nr_free, unsigned int max_order,
		      unsigned int order, struct frag_info *info)
{
	unsigned int o;

	memset(info, 0, sizeof(*info));
	for (o = 0; o <= max_order; o++) {
		info->free_blocks_total += nr_free[o];
		info->free_pages += nr_free[o] << o;
		if (o >= order)
			info->free_blocks_suitable += nr_free[o] << (o - order);
	}
}

/**
 * myslab_unusable_index - unusable free space index of one order
 * @nr_free:	free blocks of orders 0..@max_order
 * @max_order:	the largest order counted in @nr_free
 * @order:	the order asked about, at most @max_order
 *
 * Return: the index in thousandths, 0..1000 (1000 when nothing is free).
 */
int myslab_unusable_index(const unsigned long *nr_free, unsigned int max_order,
			  unsigned int order)
{
	struct frag_info info;

	frag_info(nr_free, max_order, order, &info);
	if (!info.free_pages)
		return 1000;
	return (info.free_pages - (info.free_blocks_suitable << order)) * 1000UL /
	       info.free_pages;
}
EXPORT_SYMBOL_NS_GPL(myslab_unusable_index, MYSLAB_NS);

/**
 * myslab_fragmentation_index - fragmentation index of one order
 * @nr_free:	free blocks of orders 0..@max_order
 * @max_order:	the largest order counted in @nr_free
 * @order:	the order asked about, at most @max_order
 *
 * Return: the index in thousandths: -1000 when an order-@order block is
 * free, 0 when nothing is free, else at most 1000. As in the kernel, the
 * formula dips below 0 when a few free blocks hold nearly 2^@order pages
 * (one free page and an order-1 request: 1000 - 1500 = -500).
 */
int myslab_fragmentation_index(const unsigned long *nr_free,
			       unsigned int max_order, unsigned int order)
{
	unsigned long requested = 1UL << order;
	struct frag_info info;

	frag_info(nr_free, max_order, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info.free_pages * 1000UL / requested) /
			    info.free_blocks_total);
}
EXPORT_SYMBOL_NS_GPL(myslab_fragmentation_index, MYSLAB_NS);

/**
 * myslab_frag_print - print an index in thousandths with three decimals
 * @buf:	where the text goes
 * @size:	bytes at @buf
 * @thousandths: the value
 * @width:	minimum width of the part before the point, sign included:
 *		0 as the kernel's unusable file prints ("%d.%03d"), 2 as its
 *		extfrag_index file does ("%2d.%03d")
 *
 * Unlike the kernel's "%d.%03d" of index / 1000 and index % 1000, which
 * turns -500 into "0.-500", a negative value keeps its sign in front:
 * "-0.500"; -1000 prints "-1.000" exactly as the kernel does.
 *
 * Return: the length of the text (snprintf()'s return value).
 */
int myslab_frag_print(char *buf, size_t size, int thousandths,
		      unsigned int width)
{
	unsigned int abs = thousandths < 0 ? -(unsigned int)thousandths :
					     (unsigned int)thousandths;
	char whole[16];

	snprintf(whole, sizeof(whole), "%s%u", thousandths < 0 ? "-" : "",
		 abs / 1000);
	return snprintf(buf, size, "%*s.%03u", (int)width, whole, abs % 1000);
}
EXPORT_SYMBOL_NS_GPL(myslab_frag_print, MYSLAB_NS);
