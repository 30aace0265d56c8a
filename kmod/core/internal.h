/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab internal header: vocabulary, shared types and the seams between the
 * buddy core, the slab layer and the module glue.
 *
 * Vocabulary, used the same way in every file, comment and test:
 *
 * region   A page-aligned span of memory the buddy allocator owns, made of
 *          pages. Where its memory comes from is a region provider's business
 *          (struct myslab_mem in <myslab/buddy.h>); offsets are relative to the
 *          region's base.
 * page     PAGE_SIZE bytes of a region, numbered from 0 at the base. Every page
 *          has a small descriptor (struct myslab_page) kept outside the region,
 *          so free memory can be poisoned and checked.
 * block    2^order contiguous pages starting at a page whose index is a
 *          multiple of 2^order. The first page is the block's head.
 * order    log2 of a block's size in pages. The buddy of the block at page
 *          offset off of order k is the block at off ^ (1 << k).
 * slab     A block the slab layer took from the buddy allocator and cut into
 *          slots for objects of one cache.
 * object   What a cache hands out: one fixed-size slot of a slab.
 * cache    The set of slabs and magazines for objects of one size, alignment
 *          and constructor (struct myslab_cache).
 * magazine A per-CPU array of free object pointers that serves the fast path
 *          without the cache's lock, refilled from and flushed to the barn
 *          or the slabs in batches. Only the slab layer has magazines.
 * pcp      A region's per-CPU page lists: free blocks of orders 0-3 kept per
 *          CPU, so that most page allocations and frees take no region lock;
 *          the buddy's counterpart of magazines (struct myslab_pcp). In
 *          code and comments, "pcp" or "per-CPU page list", never "cache",
 *          which is the slab layer's word.
 * barn     A cache's stack of free object pointers that its CPUs' magazines
 *          share, between them and the slabs: a flush puts its batch there
 *          while there is room, a refill takes from there first (SLAB's
 *          shared array; capacity: the shared tunable times batchcount).
 *
 * size class  One cache of a size set, for requests up to its size
 *          (kmalloc-64: 33..64 bytes).
 * size set A region's kmalloc-style set of size classes, plus the blocks
 *          straight from the buddy for requests above the largest class
 *          (struct myslab_sizes; the main region's is what myslab_kmalloc()
 *          uses).
 *
 * The files under kmod/core/ (buddy/, slab/, sizes/) hold the algorithms and
 * use only kernel primitives that userspace_tools/sim/ also provides, so they
 * compile unmodified in userspace. Module glue (parameters, providers, /proc,
 * debugfs, the kernel's detectors) lives under kmod/kernel/.
 */
#ifndef _MYSLAB_INTERNAL_H
#define _MYSLAB_INTERNAL_H

#include <linux/export.h>

#include <myslab/buddy.h>
#include <myslab/slab.h>

/*
 * What the core exports beyond include/myslab/ (the page map, fragmentation
 * indices, the slab seam of the buddy, the slabinfo formatter, the debug
 * option parser, ...) is there for myslab's own KUnit, torture and benchmark
 * modules only: it goes into a symbol namespace those modules import, so a
 * client module that did not ask for it cannot link against it: export with
 * EXPORT_SYMBOL_NS_GPL(sym, MYSLAB_NS), import with
 * MODULE_IMPORT_NS(MYSLAB_NS). 6.1 and 6.12 take the namespace as a bare
 * token and stringify it after expansion; 6.13 made it a string literal,
 * and a port there turns MYSLAB_NS into "MYSLAB_INTERNAL".
 */
#define MYSLAB_NS	MYSLAB_INTERNAL

/* === Buddy seam for the slab layer (kmod/core/buddy/buddy.c) === */

/*
 * A slab is a buddy block marked MYSLAB_BLOCK_SLAB whose head page descriptor
 * carries an owner pointer (the slab layer's own struct), so any pointer into
 * the slab leads back to it in O(1): pointer -> page index -> head -> owner.
 * Slab blocks never pass through the per-CPU page lists.
 */
void *myslab_alloc_slab_block(struct myslab_region *region, unsigned int order,
			      gfp_t gfp, void *owner);
int myslab_free_slab_block(struct myslab_region *region, void *addr,
			   unsigned int order);
int myslab_set_slab_owner(struct myslab_region *region, void *addr,
			  void *owner);
void *myslab_slab_owner(struct myslab_region *region, const void *ptr);
int myslab_free_pages_unsized(struct myslab_region *region, void *addr);
bool myslab_region_contains(const struct myslab_region *region,
			    const void *ptr);

#endif /* _MYSLAB_INTERNAL_H */
