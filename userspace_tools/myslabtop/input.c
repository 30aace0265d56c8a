// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"

static enum exit_status open_failed(const char *path, int err,
				    struct problem *problem)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return problem_set(problem, EXIT_NOT_LOADED,
				   "myslab not loaded? (%s: %s)", path, strerror(err));
	case EACCES:
	case EPERM:
		return problem_set(problem, EXIT_NEED_ROOT,
				   "need root (%s: %s)", path, strerror(err));
	default:
		return problem_set(problem, EXIT_RUNTIME_ERROR,
				   "%s: %s", path, strerror(err));
	}
}

/* Appends everything left in @fd to @buf (grown as needed); -errno on failure. */
static int read_all(int fd, char **buf, size_t *len)
{
	size_t cap = 0;
	ssize_t n;

	*buf = NULL;
	*len = 0;
	do {
		if (*len + 1 >= cap) {
			char *bigger;

			if (cap >= INPUT_MAX_BYTES)
				return -EFBIG;
			cap = cap ? cap * 2 : 8192;
			bigger = realloc(*buf, cap);
			if (!bigger)
				return -ENOMEM;
			*buf = bigger;
		}
		n = read(fd, *buf + *len, cap - *len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		*len += (size_t)n;
	} while (n > 0);
	(*buf)[*len] = '\0';
	return 0;
}

/* A NUL byte inside the text is reported as -EILSEQ. */
static enum exit_status read_failed(const char *path, int err,
				    struct problem *problem)
{
	switch (err) {
	case -EFBIG:
		return problem_set(problem, EXIT_MALFORMED,
				   "%s: larger than %u bytes, not a myslab /proc file",
				   path, INPUT_MAX_BYTES);
	case -EILSEQ:
		return problem_set(problem, EXIT_MALFORMED,
				   "%s: holds a NUL byte, not a text file", path);
	default:
		return problem_set(problem, EXIT_RUNTIME_ERROR, "%s: %s",
				   path, strerror(-err));
	}
}

enum exit_status input_read_text(const char *path, char **text,
				 struct problem *problem)
{
	size_t len;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*text = NULL;
		return open_failed(path, errno, problem);
	}
	err = read_all(fd, text, &len);
	close(fd);
	if (!err && strlen(*text) != len)
		err = -EILSEQ;
	if (!err)
		return EXIT_OK;
	free(*text);
	*text = NULL;
	return read_failed(path, err, problem);
}
