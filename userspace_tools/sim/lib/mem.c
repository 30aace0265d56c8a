// SPDX-License-Identifier: GPL-2.0
/*
 * Region memory providers for the userspace build (struct myslab_mem):
 * anonymous mmap between two PROT_NONE guard pages, so that any access past
 * either end of a region faults at once, or page-aligned heap memory, which
 * ASan and valgrind track as one block.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <linux/err.h>
#include <linux/mm.h>
#include <sim/sim.h>

static unsigned long releases;
static long live;

static void release_mmap(struct myslab_mem *mem)
{
	munmap((char *)mem->base - PAGE_SIZE, mem->size + 2 * PAGE_SIZE);
	__atomic_fetch_add(&releases, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
}

static void release_heap(struct myslab_mem *mem)
{
	free(mem->base);
	__atomic_fetch_add(&releases, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
}

int sim_mem_alloc(struct myslab_mem *mem, size_t size, enum sim_mem_kind kind)
{
	void *p;

	memset(mem, 0, sizeof(*mem));
	if (!size || size % PAGE_SIZE)
		return -EINVAL;
	if (kind == SIM_MEM_MMAP) {
		p = mmap(NULL, size + 2 * PAGE_SIZE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return -ENOMEM;
		if (mprotect((char *)p + PAGE_SIZE, size, PROT_READ | PROT_WRITE)) {
			munmap(p, size + 2 * PAGE_SIZE);
			return -ENOMEM;
		}
		mem->base = (char *)p + PAGE_SIZE;
		mem->provider = "sim-mmap";
		mem->release = release_mmap;
	} else {
		if (posix_memalign(&p, PAGE_SIZE, size))
			return -ENOMEM;
		mem->base = p;
		mem->provider = "sim-heap";
		mem->release = release_heap;
	}
	mem->size = size;
	__atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
	return 0;
}

void sim_mem_free(struct myslab_mem *mem)
{
	if (mem->release)
		mem->release(mem);
}

unsigned long sim_mem_releases(void)
{
	return __atomic_load_n(&releases, __ATOMIC_RELAXED);
}

long sim_mem_live(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

struct myslab_region *sim_region_create(const char *name, size_t size,
					unsigned int max_order,
					unsigned int pcp_batch)
{
	struct myslab_region *region;
	struct myslab_mem mem;
	int err, debug = sim_region_debug_default();

	if (debug >= 0)
		return sim_region_create_debug(name, size, max_order, pcp_batch, debug);
	err = sim_mem_alloc(&mem, size, SIM_MEM_MMAP);
	if (err)
		return ERR_PTR(err);
	region = myslab_region_create(name, &mem, max_order, pcp_batch);
	if (IS_ERR(region))
		sim_mem_free(&mem);
	return region;
}
