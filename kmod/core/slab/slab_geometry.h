/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a cache cuts its slabs (slab.c), computed apart from any cache so that
 * the tests can check the policy on every size and the debugfs geometry
 * file can show it. Not part of the public API: exported in the
 * MYSLAB_INTERNAL namespace for myslab's own test modules.
 */
#ifndef _MYSLAB_SLAB_GEOMETRY_H
#define _MYSLAB_SLAB_GEOMETRY_H

#include <linux/types.h>

/**
 * struct myslab_slab_geometry - how a cache cuts its slabs
 * @slot_size:		bytes between object starts
 * @align:		alignment of every object
 * @freeptr_offset:	where a free object keeps its free-list link: 0, or
 *			past the object when a constructor's state must survive
 * @order:		slab order
 * @objs_per_slab:	objects per slab
 * @header_size:	slab header bytes (descriptor, free map and list map)
 * @first_offset:	offset of the first object at colour 0
 * @waste:		slab bytes covered by neither header nor slots
 * @colour_step:	bytes between two colours
 * @colour_range:	number of colours (1 when no room to move)
 * @red_left:		bytes of red zone before each object (Z), else 0; a
 *			multiple of @align, part of @slot_size
 * @red_right:		bytes of red zone after each object (Z: up to the next
 *			8-byte boundary, plus 8), else 0
 * @track_offset:	offset from the object of its two owner records (U),
 *			else 0
 *
 * With debug options a slot is, from the object's point of view:
 *   [-red_left, 0) red zone | [0, size) object | [size, size + red_right)
 *   red zone | link (P, ctor, or Z with size < 8) | alloc and free records
 *   (U) | padding
 */
struct myslab_slab_geometry {
	unsigned int slot_size;
	unsigned int align;
	unsigned int freeptr_offset;
	unsigned int order;
	unsigned int objs_per_slab;
	unsigned int header_size;
	unsigned int first_offset;
	unsigned int waste;
	unsigned int colour_step;
	unsigned int colour_range;
	unsigned int red_left;
	unsigned int red_right;
	unsigned int track_offset;
};

int myslab_slab_geometry(unsigned int size, unsigned int align,
			 unsigned int flags, bool has_ctor,
			 unsigned int max_order,
			 struct myslab_slab_geometry *geo);

#endif /* _MYSLAB_SLAB_GEOMETRY_H */
