// SPDX-License-Identifier: GPL-2.0
/*
 * Shoot-out backend: the malloc family. One binary for all four: glibc's
 * malloc when run as is; jemalloc, tcmalloc (tcmalloc_minimal) or mimalloc
 * when their Debian shared library is LD_PRELOADed, as mimalloc-bench runs
 * them. backend_init() checks that malloc() really resolves to the library
 * named on the command line, so a preload that silently failed cannot pass
 * for another allocator.
 *
 * Fixed-size rows are malloc(size)/free(): the alignment a row asks for is
 * ignored (malloc gives 16 bytes; asking for more would take the allocators
 * off their fast paths).
 *
 * Memory held from the OS, each by the allocator's own count where it has
 * one (looked up with dlsym, so the binary links against none of them):
 *   glibc     mallinfo2(): arena + hblkhd (bytes obtained by sbrk/heap
 *             growth and by mmap, all arenas)
 *   jemalloc  mallctl "stats.resident" after an "epoch" refresh
 *   tcmalloc  MallocExtension "generic.total_physical_bytes"
 *   mimalloc  mi_process_info(): current_commit, and its own peak_commit
 * The harness also measures every allocator the same way, by RSS.
 */
#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

const char *backend_name = "?";

enum which { GLIBC, JEMALLOC, TCMALLOC, MIMALLOC };

static const struct {
	const char *name;
	const char *lib;	/* substring of the file that defines malloc */
} allocators[] = {
	[GLIBC]		= { "glibc",	"libc.so" },
	[JEMALLOC]	= { "jemalloc",	"libjemalloc" },
	[TCMALLOC]	= { "tcmalloc",	"libtcmalloc" },
	[MIMALLOC]	= { "mimalloc",	"libmimalloc" },
};

static enum which which;

static int (*je_mallctl)(const char *name, void *oldp, size_t *oldlenp,
			 void *newp, size_t newlen);
static int (*tc_property)(const char *name, size_t *value);
static void (*mi_info)(size_t *elapsed, size_t *user, size_t *sys,
		       size_t *rss, size_t *peak_rss, size_t *commit,
		       size_t *peak_commit, size_t *faults);

int backend_init(const char *name, const char *mode, unsigned int nr_threads)
{
	void *m = dlsym(RTLD_DEFAULT, "malloc");
	Dl_info info;
	unsigned int i;

	(void)nr_threads;
	for (i = 0; i < sizeof(allocators) / sizeof(allocators[0]); i++)
		if (!strcmp(name, allocators[i].name))
			break;
	if (i == sizeof(allocators) / sizeof(allocators[0])) {
		fprintf(stderr, "bench-malloc: unknown allocator %s\n", name);
		return -1;
	}
	if (strcmp(mode, "sizes")) {
		fprintf(stderr, "bench-malloc: mode %s is myslab's only\n", mode);
		return -1;
	}
	if (!m || !dladdr(m, &info) || !info.dli_fname ||
	    !strstr(info.dli_fname, allocators[i].lib)) {
		fprintf(stderr, "bench-malloc: asked for %s but malloc() comes from %s\n",
			name, m && dladdr(m, &info) ? info.dli_fname : "?");
		return -1;
	}
	which = i;
	backend_name = allocators[i].name;
	*(void **)&je_mallctl = dlsym(RTLD_DEFAULT, "mallctl");
	*(void **)&tc_property = dlsym(RTLD_DEFAULT,
				       "MallocExtension_GetNumericProperty");
	*(void **)&mi_info = dlsym(RTLD_DEFAULT, "mi_process_info");
	return 0;
}

void backend_thread_init(unsigned int thread_idx)
{
	(void)thread_idx;
}

void *backend_fixed_create(size_t size, size_t align)
{
	(void)align;
	return (void *)(uintptr_t)size;
}

void *backend_fixed_alloc(void *src)
{
	return malloc((size_t)(uintptr_t)src);
}

void backend_fixed_free(void *src, void *obj)
{
	(void)src;
	free(obj);
}

int backend_fixed_alloc_bulk(void *src, size_t nr, void **objs)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		objs[i] = malloc((size_t)(uintptr_t)src);
		if (!objs[i]) {
			while (i--)
				free(objs[i]);
			return 0;
		}
	}
	return (int)nr;
}

void backend_fixed_free_bulk(void *src, size_t nr, void **objs)
{
	size_t i;

	(void)src;
	for (i = 0; i < nr; i++)
		free(objs[i]);
}

void *backend_alloc(size_t size)
{
	return malloc(size);
}

void backend_free(void *ptr, size_t size)
{
	(void)size;
	free(ptr);
}

bool backend_held(struct bench_held *held)
{
	size_t v = 0, peak = 0, len = sizeof(v), x;
	uint64_t epoch = 1;
	struct mallinfo2 mi;

	held->peak = -1;	/* the harness tracks the sampled peak */
	switch (which) {
	case GLIBC:
		mi = mallinfo2();
		held->bytes = (double)(mi.arena + mi.hblkhd);
		held->what = "mallinfo2 arena+hblkhd";
		return true;
	case JEMALLOC:
		if (!je_mallctl ||
		    je_mallctl("epoch", NULL, NULL, &epoch, sizeof(epoch)) ||
		    je_mallctl("stats.resident", &v, &len, NULL, 0))
			return false;
		held->bytes = (double)v;
		held->what = "jemalloc stats.resident";
		return true;
	case TCMALLOC:
		if (!tc_property ||
		    !tc_property("generic.total_physical_bytes", &v))
			return false;
		held->bytes = (double)v;
		held->what = "tcmalloc generic.total_physical_bytes";
		return true;
	case MIMALLOC:
		if (!mi_info)
			return false;
		mi_info(&x, &x, &x, &x, &x, &v, &peak, &x);
		held->bytes = (double)v;
		held->peak = (double)peak;
		held->what = "mimalloc current_commit/peak_commit";
		return true;
	}
	return false;
}

const char *backend_notes(void)
{
	return "";
}
