// SPDX-License-Identifier: GPL-2.0
/*
 * The host test runner (see harness.h).
 *
 * Usage: host_tests [--no-fork] [--list] [--label L] [--timeout S] [FILTER...]
 * A test runs when its "suite.name" contains one of the FILTERs (all when
 * none). Environment: SIM_TEST_SCALE divides loop counts (valgrind),
 * SIM_TEST_SEED seeds the random source.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MAX_TESTS	256
#define EXIT_SKIP	77

static const struct sim_test *tests[MAX_TESTS];
static int nr_tests;

static jmp_buf abort_jmp;
static bool failed, skipped;
static unsigned long exp_errors, exp_warnings, exp_splats;
static unsigned long scale = 1;
static unsigned long long seed = 0x5eed;

void sim_test_register(const struct sim_test *test)
{
	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "harness: too many tests\n");
		exit(2);
	}
	tests[nr_tests++] = test;
}

void sim_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	failed = true;
	printf("#   %s:%d: ", strrchr(file, '/') ? strrchr(file, '/') + 1 : file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

bool sim_test_failed(void)
{
	return failed;
}

void sim_test_abort(void)
{
	failed = true;
	longjmp(abort_jmp, 1);
}

void sim_test_skip(const char *why)
{
	printf("#   skipped: %s\n", why);
	skipped = true;
	longjmp(abort_jmp, 1);
}

void sim_expect_errors(unsigned long n)
{
	exp_errors += n;
}

void sim_expect_warnings(unsigned long n)
{
	exp_warnings += n;
}

void sim_expect_splats(unsigned long n)
{
	exp_splats += n;
}

unsigned long sim_scale(unsigned long n)
{
	n /= scale;
	return n ? n : 1;
}

unsigned long long sim_test_seed(void)
{
	return seed;
}

/* Run one test in this process; return its exit status. */
static int run_here(const struct sim_test *t)
{
	unsigned long errors0, warnings0, splats0;
	long kmalloc0, mem0;

	failed = skipped = false;
	exp_errors = exp_warnings = exp_splats = 0;
	sim_seed_random(seed);
	errors0 = sim_errors();
	warnings0 = sim_warnings();
	splats0 = sim_splats();
	kmalloc0 = sim_kmalloc_live();
	mem0 = sim_mem_live();
	fprintf(stderr, "==== %s.%s\n", t->suite, t->name);

	if (!setjmp(abort_jmp))
		t->fn();
	if (skipped)
		return EXIT_SKIP;
	sim_fail_kmalloc(0);
	if (failed)
		return 1;

	/* What KUnit's fixtures and the console checker would catch. */
	if (sim_splats() - splats0 != exp_splats)
		sim_test_fail(__FILE__, __LINE__, "%lu WARNING splats, expected %lu (see the log)",
			      sim_splats() - splats0, exp_splats);
	if (sim_errors() - errors0 != exp_errors)
		sim_test_fail(__FILE__, __LINE__, "%lu error messages, expected %lu (see the log)",
			      sim_errors() - errors0, exp_errors);
	if (sim_warnings() - warnings0 != exp_warnings)
		sim_test_fail(__FILE__, __LINE__, "%lu warning messages, expected %lu (see the log)",
			      sim_warnings() - warnings0, exp_warnings);
	if (sim_kmalloc_live() != kmalloc0)
		sim_test_fail(__FILE__, __LINE__, "%ld metadata allocations left behind",
			      sim_kmalloc_live() - kmalloc0);
	if (sim_mem_live() != mem0)
		sim_test_fail(__FILE__, __LINE__, "%ld region memory blocks left behind",
			      sim_mem_live() - mem0);
	return failed ? 1 : 0;
}

static int run_forked(const struct sim_test *t, unsigned int timeout)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (!pid) {
		alarm(timeout);
		status = run_here(t);
		fflush(stdout);
		exit(status);	/* exit(), not _exit(): leak checkers run at exit */
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		printf("#   killed by signal %d%s\n", WTERMSIG(status),
		       WTERMSIG(status) == SIGALRM ? " (time limit: hung?)" : "");
		return 1;
	}
	if (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 1 &&
	    WEXITSTATUS(status) != EXIT_SKIP)
		printf("#   exit status %d (sanitizer, leak or memcheck report: see the log)\n",
		       WEXITSTATUS(status));
	return WEXITSTATUS(status);
}

static bool selected(const struct sim_test *t, int argc, char **argv, int first)
{
	char full[128];
	int i;

	if (first >= argc)
		return true;
	snprintf(full, sizeof(full), "%s.%s", t->suite, t->name);
	for (i = first; i < argc; i++)
		if (strstr(full, argv[i]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int passed = 0, nfailed = 0, nskipped = 0, n = 0, i, rc;
	const char *label = NULL, *env;
	bool fork_tests = true, list = false;
	unsigned int timeout = 120;
	struct timespec t0, t1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-fork"))
			fork_tests = false;
		else if (!strcmp(argv[i], "--list"))
			list = true;
		else if (!strcmp(argv[i], "--label") && i + 1 < argc)
			label = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = strtoul(argv[++i], NULL, 0);
		else
			break;
	}
	env = getenv("SIM_TEST_SCALE");
	if (env && strtoul(env, NULL, 0) > 0)
		scale = strtoul(env, NULL, 0);
	env = getenv("SIM_TEST_SEED");
	if (env)
		seed = strtoull(env, NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (int k = 0; k < nr_tests; k++) {
		const struct sim_test *t = tests[k];

		if (!selected(t, argc, argv, i))
			continue;
		n++;
		if (list) {
			printf("%s.%s\n", t->suite, t->name);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = fork_tests ? run_forked(t, timeout) : run_here(t);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc == EXIT_SKIP) {
			nskipped++;
			printf("ok %d %s%s%s.%s # SKIP\n", n, label ? label : "",
			       label ? "/" : "", t->suite, t->name);
			continue;
		}
		if (rc)
			nfailed++;
		else
			passed++;
		printf("%sok %d %s%s%s.%s # %.0f ms\n", rc ? "not " : "", n,
		       label ? label : "", label ? "/" : "", t->suite, t->name,
		       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	if (list)
		return 0;
	printf("RESULT passed=%d failed=%d skipped=%d\n", passed, nfailed, nskipped);
	return nfailed ? 1 : 0;
}
