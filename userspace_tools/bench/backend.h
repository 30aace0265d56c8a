/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator under test, as the shoot-out harness (bench.c) sees it.
 *
 * bench.c is compiled once and linked with one of two backends:
 *
 *   backend_myslab.c  myslab's core built in userspace: a fixed-size row uses
 *                     one myslab cache (myslab_cache_alloc/free), a malloc-like
 *                     row the size classes (myslab_sizes_alloc/free); the
 *                     "buddy" mode sends malloc-like rows straight to the
 *                     buddy allocator (myslab_alloc_pages, order for the size)
 *   backend_malloc.c  malloc()/free(): glibc's when run as is, jemalloc's,
 *                     tcmalloc's or mimalloc's under LD_PRELOAD (the way
 *                     mimalloc-bench runs every allocator)
 *
 * Every call crosses from bench.o into the backend's object file, so each
 * allocator pays the same one direct call per operation on top of its own
 * entry point (a PLT call for the malloc family, a direct call for myslab).
 */
#ifndef _BENCH_BACKEND_H
#define _BENCH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

/**
 * struct bench_held - memory the allocator holds from its page source
 * @bytes:	held now
 * @peak:	largest amount held so far, as the allocator itself counts it
 * @what:	how it was measured, for the report
 *
 * For myslab the page source is the region: pages out of the buddy free
 * lists (allocated, slabs, per-CPU cached). For the malloc family it is the
 * allocator's own statistic of memory taken from the OS, where it has one.
 */
struct bench_held {
	double bytes;
	double peak;
	const char *what;
};

/* Name of the allocator, as given on the command line (checked). */
extern const char *backend_name;

/*
 * Once per process, before any other call: @name selects the allocator
 * (the malloc backend checks that the one named is the one malloc() resolves
 * to), @mode "sizes" or "buddy" (myslab only) selects what the malloc-like
 * calls use, @nr_threads is the number of worker threads to come.
 * Returns 0 or prints why not and returns -1.
 */
int backend_init(const char *name, const char *mode, unsigned int nr_threads);

/* In each worker thread, before its first allocation. */
void backend_thread_init(unsigned int thread_idx);

/* A source of fixed-size objects (a cache, or just a size for malloc). */
void *backend_fixed_create(size_t size, size_t align);
void *backend_fixed_alloc(void *src);
void backend_fixed_free(void *src, void *obj);
/*
 * @nr objects at once: myslab_cache_alloc_bulk() and myslab_cache_free_bulk()
 * for myslab; the malloc family has no bulk interface, so a loop of single
 * calls (the cost a caller pays there). Alloc returns 0 on failure.
 */
int backend_fixed_alloc_bulk(void *src, size_t nr, void **objs);
void backend_fixed_free_bulk(void *src, size_t nr, void **objs);

/* Allocation by size, freed by pointer (@size is a hint the buddy needs). */
void *backend_alloc(size_t size);
void backend_free(void *ptr, size_t size);

/* Memory held from the page source; false when the allocator cannot tell. */
bool backend_held(struct bench_held *held);

/* One line of allocator-specific counters for the raw log, or "". */
const char *backend_notes(void);

#endif /* _BENCH_BACKEND_H */
