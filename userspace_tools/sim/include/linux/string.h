/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: the C library's string functions plus strscpy(). */
#ifndef _SIM_LINUX_STRING_H
#define _SIM_LINUX_STRING_H

#include <errno.h>
#include <string.h>
#include <sys/types.h>

/* Copy a NUL-terminated string; -E2BIG (and a truncated copy) if too long. */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!size)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

/* The first byte of [@start, @start + @bytes) that is not @c, or NULL. */
static inline void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start;
	size_t i;

	for (i = 0; i < bytes; i++)
		if (p[i] != (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

#endif /* _SIM_LINUX_STRING_H */
