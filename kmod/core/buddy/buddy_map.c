// SPDX-License-Identifier: GPL-2.0
/*
 * The page map of a region: what every block is used for, in address
 * order, as a text file a tool can turn into a picture
 * (/sys/kernel/debug/myslab/buddy/page_map, userspace_tools/buddyview).
 *
 * Format, version 1. A header line of space-separated key=value fields
 * after the words "myslab page_map v1":
 *
 *	myslab page_map v1 region=myslab pages=16384 max_order=10 page_size=4096 blocks=37
 *
 * then one line per block, in address order, covering every page exactly
 * once ("blocks" lines in all):
 *
 *	<first page> <order> <state> [<owner>]
 *
 * first page	decimal page index from the region's base
 * order	the block is 2^order pages
 * state	free	on a buddy free list
 *		pcp	a free block in a per-CPU page list (orders up to
 *			MYSLAB_PCP_MAX_ORDER)
 *		alloc	handed out by myslab_alloc_pages()
 *		slab	a slab of the slab layer
 * owner	slab lines only, when the slab layer registered a namer
 *		(myslab_region_set_owner_name()): the owning cache's name,
 *		printable ASCII without spaces (others become '_')
 *
 * Example, an 8-page region (max_order 3) after an order-0 allocation, a
 * slab of order 1 for cache "kmalloc-64" and a free into a per-CPU page list:
 *
 *	myslab page_map v1 region=demo pages=8 max_order=3 page_size=4096 blocks=4
 *	0 0 alloc
 *	1 0 pcp
 *	2 1 slab kmalloc-64
 *	4 2 free
 *
 * The snapshot is taken MYSLAB_MAP_CHUNK pages at a time, each chunk under
 * the region's lock, which is dropped in between so that interrupts are
 * never off for long, whatever the region's size. Within a chunk, free
 * blocks and the blocks around them are exact at that moment; two chunks
 * may show two moments of a region in use. Every block is listed once and
 * the map still covers every page exactly once: a block that reaches past
 * a chunk's end is listed whole with the chunk it starts in, and the next
 * chunk starts after it; a page that a merge has since made a tail of a
 * free block begun in an earlier chunk shows as an order-0 free block. A
 * page moving between a per-CPU page list and its user (which happens under
 * the cache's own lock) may show either way. A descriptor found
 * inconsistent (only ever planted by tests) shows as an order-0 block, so
 * that the map still covers the region.
 *
 * This is a core file: no module glue.
 */
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "buddy_internal.h"

static const char *const state_words[] = {
	[MYSLAB_BLOCK_FREE]	= "free",
	[MYSLAB_BLOCK_PCP]	= "pcp",
	[MYSLAB_BLOCK_ALLOC]	= "alloc",
	[MYSLAB_BLOCK_SLAB]	= "slab",
};

static_assert(ARRAY_SIZE(state_words) == MYSLAB_BLOCK_SLAB + 1);

/**
 * myslab_map_state_word - the page map's word for a block state
 * @state:	the state
 *
 * Return: "free", "pcp", "alloc", "slab", or "corrupt" for anything else.
 */
const char *myslab_map_state_word(enum myslab_block_state state)
{
	return state < ARRAY_SIZE(state_words) ? state_words[state] : "corrupt";
}
EXPORT_SYMBOL_NS_GPL(myslab_map_state_word, MYSLAB_NS);

/**
 * myslab_region_set_owner_name - register how to name slab owners
 * @region:	the region
 * @owner_name:	fills @buf (@size bytes) with a NUL-terminated name for
 *		@owner and returns 0, or returns a negative errno when it has
 *		none; NULL unregisters
 *
 * The page map prints this name after each slab block. @owner_name is
 * called with the region's lock held (and interrupts off without
 * PREEMPT_RT), for the owner of a block that is a slab at that moment (its
 * slab cannot be freed meanwhile, as freeing takes the same lock). It must
 * not sleep, must not call into the region and must not take a lock that
 * is ever held while calling into it. Names are cut to
 * MYSLAB_MAP_NAME_LEN - 1 bytes.
 *
 * Context: any context, with PREEMPT_RT too (no lock is taken).
 */
void myslab_region_set_owner_name(struct myslab_region *region,
				  int (*owner_name)(const void *owner,
						    char *buf, size_t size))
{
	WRITE_ONCE(region->owner_name, owner_name);
}
EXPORT_SYMBOL_GPL(myslab_region_set_owner_name);

/* === Snapshot === */

/* Printable, no spaces: the page map splits lines on blanks. */
static void clean_name(char *name)
{
	for (; *name; name++)
		if (*name <= ' ' || *name > '~')
			*name = '_';
}

/* The index of @owner's name in @map, asking @namer the first time. */
static u16 map_name(struct myslab_map *map,
		    int (*namer)(const void *owner, char *buf, size_t size),
		    const void *owner, unsigned int *last)
{
	unsigned int i = *last;
	char *name;

	if (i < map->nr_names && map->owners[i] == owner)
		return i;
	for (i = 0; i < map->nr_names; i++) {
		if (map->owners[i] == owner) {
			*last = i;
			return i;
		}
	}
	if (!owner || map->nr_names == MYSLAB_MAP_MAX_NAMES)
		return MYSLAB_MAP_NO_NAME;
	name = map->names[map->nr_names];
	if (namer(owner, name, MYSLAB_MAP_NAME_LEN)) {
		name[0] = '\0';
		return MYSLAB_MAP_NO_NAME;
	}
	name[MYSLAB_MAP_NAME_LEN - 1] = '\0';
	if (!name[0])
		return MYSLAB_MAP_NO_NAME;
	clean_name(name);
	map->owners[map->nr_names] = owner;
	*last = map->nr_names;
	return map->nr_names++;
}

/*
 * The block starting at page @i, as its head's descriptor says: its order,
 * and its state in *@state. A page that heads no block (a tail page the
 * region's changes between two chunks put at a chunk's start, or a damaged
 * descriptor) is an order-0 block of the state of the block that holds it.
 */
static unsigned int block_order(const struct myslab_region *r, unsigned long i,
				enum myslab_block_state *state)
{
	const struct myslab_page *p = &r->pages[i];
	unsigned int order = 0;
	u32 head;

	lockdep_assert_held(&r->lock);
	*state = myslab_page_state(p);
	if (*state == MYSLAB_PAGE_TAIL) {
		head = myslab_find_head(r, i, &order);
		*state = head == MYSLAB_NIL ? MYSLAB_BLOCK_FREE :
					      myslab_page_state(&r->pages[head]);
		return 0;
	}
	if (*state == MYSLAB_BLOCK_FREE && (p->flags & MYSLAB_PAGE_BUDDY))
		order = p->order;
	else if ((*state == MYSLAB_BLOCK_ALLOC || *state == MYSLAB_BLOCK_SLAB ||
		  *state == MYSLAB_BLOCK_PCP) && p->head == i)
		order = p->order;
	if (order > r->max_order || (i & ((1UL << order) - 1)))
		return 0;
	while (order && r->nr_pages - i < (1UL << order))
		order--;
	return order;
}

/*
 * The name of the owner of the slab holding page @i: the owner is on the
 * slab's head, since a tail's union holds stale links.
 */
static u16 slab_name(const struct myslab_region *r, struct myslab_map *map,
		     int (*namer)(const void *owner, char *buf, size_t size),
		     unsigned long i, unsigned int *last)
{
	u32 head = r->pages[i].head;

	if (head > i || myslab_page_state(&r->pages[head]) != MYSLAB_BLOCK_SLAB ||
	    r->pages[head].head != head)
		return MYSLAB_MAP_NO_NAME;
	return map_name(map, namer, READ_ONCE(r->pages[head].owner), last);
}

/* Pages per hold of the region's lock (blocks are not cut). */
#define MYSLAB_MAP_CHUNK	1024UL

/*
 * The blocks starting at pages [@start, @end), region lock held; returns
 * the page after the last of them (@end, or past it when a block reaches
 * beyond).
 */
static unsigned long map_blocks(struct myslab_region *r, struct myslab_map *map,
				unsigned long start, unsigned long end,
				unsigned int *last)
	__must_hold(&r->lock)
{
	int (*namer)(const void *owner, char *buf, size_t size);
	enum myslab_block_state state;
	struct myslab_map_block *b;
	unsigned int order;
	unsigned long i;

	lockdep_assert_held(&r->lock);
	namer = READ_ONCE(r->owner_name);
	for (i = start; i < end; i += 1UL << order) {
		order = block_order(r, i, &state);
		b = &map->blocks[map->nr_blocks++];
		b->first = i;
		b->order = order;
		b->state = state;
		b->name = MYSLAB_MAP_NO_NAME;
		if (state == MYSLAB_BLOCK_SLAB && namer)
			b->name = slab_name(r, map, namer, i, last);
	}
	return i;
}

/**
 * myslab_map_create - snapshot the blocks of a region
 * @region:	the region
 *
 * Walks every block, MYSLAB_MAP_CHUNK pages at a time under the region's
 * lock (interrupts off for one chunk at a time; see the top of this file
 * for what that means for a region in use). The result is the caller's to
 * print with myslab_map_header() and myslab_map_line() and to free with
 * myslab_map_destroy().
 *
 * Context: process context, may sleep (allocates room for one entry per
 * page outside the lock).
 * Return: the map, or NULL when out of memory.
 */
struct myslab_map *myslab_map_create(struct myslab_region *region)
{
	unsigned long flags, start, end;
	struct myslab_map *map;
	unsigned int last = 0;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return NULL;
	map->blocks = kvcalloc(region->nr_pages, sizeof(*map->blocks), GFP_KERNEL);
	if (!map->blocks) {
		kfree(map);
		return NULL;
	}
	strscpy(map->region_name, region->name, sizeof(map->region_name));
	map->nr_pages = region->nr_pages;
	map->max_order = region->max_order;

	for (start = 0; start < region->nr_pages; start = end) {
		end = min(start + MYSLAB_MAP_CHUNK, region->nr_pages);
		spin_lock_irqsave(&region->lock, flags);
		end = map_blocks(region, map, start, end, &last);
		spin_unlock_irqrestore(&region->lock, flags);
		cond_resched();
	}
	return map;
}
EXPORT_SYMBOL_NS_GPL(myslab_map_create, MYSLAB_NS);

/**
 * myslab_map_destroy - free a page map
 * @map:	the map, or NULL
 */
void myslab_map_destroy(struct myslab_map *map)
{
	if (!map)
		return;
	kvfree(map->blocks);
	kfree(map);
}
EXPORT_SYMBOL_NS_GPL(myslab_map_destroy, MYSLAB_NS);

/* === Text form === */

/**
 * myslab_map_header - the header line of a page map
 * @map:	the map
 * @buf:	where the line goes, newline included
 * @size:	bytes at @buf; MYSLAB_MAP_LINE_MAX always suffices
 *
 * Return: the length of the line (snprintf()'s return value).
 */
int myslab_map_header(const struct myslab_map *map, char *buf, size_t size)
{
	return snprintf(buf, size,
			"myslab page_map v1 region=%s pages=%lu max_order=%u page_size=%lu blocks=%lu\n",
			map->region_name, map->nr_pages, map->max_order,
			(unsigned long)PAGE_SIZE, map->nr_blocks);
}
EXPORT_SYMBOL_NS_GPL(myslab_map_header, MYSLAB_NS);

/**
 * myslab_map_line - the line of one block of a page map
 * @map:	the map
 * @i:		block index, below @map->nr_blocks
 * @buf:	where the line goes, newline included
 * @size:	bytes at @buf; MYSLAB_MAP_LINE_MAX always suffices
 *
 * Return: the length of the line (snprintf()'s return value).
 */
int myslab_map_line(const struct myslab_map *map, unsigned long i, char *buf,
		    size_t size)
{
	const struct myslab_map_block *b = &map->blocks[i];
	const char *word = myslab_map_state_word(b->state);

	if (b->name != MYSLAB_MAP_NO_NAME && b->name < map->nr_names)
		return snprintf(buf, size, "%u %u %s %s\n", b->first, b->order,
				word, map->names[b->name]);
	return snprintf(buf, size, "%u %u %s\n", b->first, b->order, word);
}
EXPORT_SYMBOL_NS_GPL(myslab_map_line, MYSLAB_NS);
