// SPDX-License-Identifier: GPL-2.0
/*
 * myslab_torture: the pattern every object carries while it is held.
 *
 * Each 8-byte word of an object holds a value computed from the word's
 * address and the generation of the allocation (a tail shorter than a word
 * holds the first bytes of the value its word would have). So:
 *   - two objects that overlap, or an object handed out twice, end with one
 *     holder's words in the other's object: the generations differ;
 *   - a stale or shifted copy of an object's contents fails at other
 *     addresses;
 *   - an allocator that writes into an object it handed out (a free-list
 *     link, a poison byte) breaks the word it wrote.
 * The multiplication by an odd constant is a bijection of u64, so no two
 * (address, generation) pairs that differ in one word give the same value.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#include "torture.h"

#define TORTURE_MIX	0x9e3779b97f4a7c15ULL	/* 2^64 / golden ratio, odd */

u64 torture_word(unsigned long addr, u32 gen)
{
	return ((u64)addr ^ ((u64)gen << 32 | gen)) * TORTURE_MIX;
}

void torture_fill(void *obj, size_t size, u32 gen)
{
	unsigned long addr = (unsigned long)obj;
	size_t i, words = size / sizeof(u64);
	u64 *w = obj, tail;

	for (i = 0; i < words; i++)
		w[i] = torture_word(addr + i * sizeof(u64), gen);
	if (size % sizeof(u64)) {
		tail = torture_word(addr + words * sizeof(u64), gen);
		memcpy(&w[words], &tail, size % sizeof(u64));
	}
}

/*
 * Check the pattern; on a mismatch, *@bad_offset is the offset of the first
 * word (or tail) that differs.
 */
bool torture_verify(void *obj, size_t size, u32 gen, size_t *bad_offset)
{
	unsigned long addr = (unsigned long)obj;
	size_t i, words = size / sizeof(u64);
	const u64 *w = obj;
	u64 tail;

	for (i = 0; i < words; i++) {
		if (unlikely(w[i] != torture_word(addr + i * sizeof(u64), gen))) {
			*bad_offset = i * sizeof(u64);
			return false;
		}
	}
	if (size % sizeof(u64)) {
		tail = torture_word(addr + words * sizeof(u64), gen);
		if (memcmp(&w[words], &tail, size % sizeof(u64))) {
			*bad_offset = words * sizeof(u64);
			return false;
		}
	}
	return true;
}

/* For __GFP_ZERO allocations: every byte must read zero. */
bool torture_is_zero(const void *obj, size_t size, size_t *bad_offset)
{
	const u8 *p = obj;
	size_t i;

	for (i = 0; i < size; i++) {
		if (unlikely(p[i])) {
			*bad_offset = i;
			return false;
		}
	}
	return true;
}

/*
 * Constructor of the constructor cache: the constructed state is the
 * pattern of generation TORTURE_CTOR_GEN. Objects are checked for it when
 * allocated and put back in it before they are freed. Runs with interrupts
 * disabled, in whatever context allocated the slab.
 */
void torture_ctor(void *obj)
{
	torture_fill(obj, TORTURE_CTOR_SIZE, TORTURE_CTOR_GEN);
}
