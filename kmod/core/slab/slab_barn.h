/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab barn: a cache's stack of free objects shared by its CPUs'
 * magazines, between them and the slabs, owned by slab_barn.c. The
 * magazines (slab_magazine.c) put a flushed batch here while there is room
 * and take a refill from here before the slabs; the barn calls down into
 * the slab lists (slab_lists.c) only to give objects back to their slabs
 * (drain, shrink, a smaller capacity). Lock order: kmod/DESIGN.md.
 */
#ifndef _MYSLAB_SLAB_BARN_H
#define _MYSLAB_SLAB_BARN_H

#include <linux/types.h>

struct myslab_cache;

/**
 * struct myslab_barn - the free objects a cache's magazines share
 * @count:	objects in @objs; written under the cache lock, read once
 *		without it for statistics
 * @limit:	capacity: the cache's shared tunable times its batchcount
 *		(below @count for a moment while a resize gives the excess
 *		back); written under the cache lock, read once without it for
 *		debugfs
 * @objs:	@objs[0..@count) are free objects in the state a magazine
 *		keeps them (free byte set, list bit clear), oldest first; NULL
 *		when @limit is 0
 *
 * Every field is protected by the cache lock (struct myslab_cache), which a
 * refill or flush holds anyway: a batch moves between a magazine and the
 * barn as one copy of its pointers instead of one slab-list operation per
 * object, as SLAB's shared array moved it under the node's list lock. An
 * object moves in or out only under that lock: inside a change of the
 * magazine it comes from or goes to (its generation moves), between the
 * barn and the slabs, or out to a caller whose magazine was locked, with
 * its transit window opened in the same hold (myslab_magazine_alloc_direct()):
 * so validation reads @count under the cache lock with the magazines'
 * counts (slab_validate.c), and checks every entry there as it checks a
 * magazine's.
 * @limit may be below @count while a resize gives the excess back.
 */
struct myslab_barn {
	unsigned int count;
	unsigned int limit;
	void **objs;
};

/* The refill and flush of a magazine (slab_magazine.c), cache lock held. */
unsigned int myslab_barn_put(struct myslab_cache *cache, void *const *objs,
			     unsigned int nr);
unsigned int myslab_barn_take(struct myslab_cache *cache, void **objs,
			      unsigned int nr);

/*
 * Creation, tuning, draining (slab.c, slab_magazine_cpus.c); process
 * context.
 */
int myslab_barn_create(struct myslab_cache *cache, unsigned int limit);
void myslab_barn_destroy(struct myslab_cache *cache);
int myslab_barn_resize(struct myslab_cache *cache, unsigned int limit);
void myslab_barn_drain(struct myslab_cache *cache);

/* Statistics and validation (slab.c, slab_validate.c) */
void myslab_barn_fill(struct myslab_cache *cache, unsigned int *count,
		      unsigned int *limit);
unsigned long myslab_barn_validate(struct myslab_cache *cache);

#endif /* _MYSLAB_SLAB_BARN_H */
