/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test runner for the host tests, in the spirit of KUnit and of
 * tools/testing/memblock: each test is a function registered with
 * SIM_TEST(suite, name); EXPECT_* record a failure and go on, ASSERT_* end
 * the test. Each test runs in its own process (fork) with a time limit, and
 * after it the runner checks what KUnit's fixtures check: no WARN splat, and
 * exactly the pr_err/pr_warn reports the test declared (sim_expect_errors(),
 * sim_expect_warnings()), no metadata (kmalloc) or region memory left.
 *
 * Output: "ok N suite.name" / "not ok N suite.name" per test, then
 * "RESULT passed=N failed=N skipped=N"; the exit status is non-zero when a
 * test failed.
 */
#ifndef _SIM_HARNESS_H
#define _SIM_HARNESS_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>

#include <sim/sim.h>

struct sim_test {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

void sim_test_register(const struct sim_test *test);

#define SIM_TEST(suite_, name_)						\
	static void suite_##_##name_(void);				\
	static const struct sim_test __sim_test_##suite_##_##name_ = {	\
		.suite = #suite_, .name = #name_, .fn = suite_##_##name_, \
	};								\
	__attribute__((constructor)) static void __sim_reg_##suite_##_##name_(void) \
	{ sim_test_register(&__sim_test_##suite_##_##name_); }		\
	static void suite_##_##name_(void)

/* Failure reporting */
void sim_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void sim_test_abort(void) __attribute__((noreturn));
void sim_test_skip(const char *why) __attribute__((noreturn));
bool sim_test_failed(void);

/* What the test plants on purpose: added to the expected totals. */
void sim_expect_errors(unsigned long n);
void sim_expect_warnings(unsigned long n);
void sim_expect_splats(unsigned long n);

/* Scale a loop count down for slow runs (SIM_TEST_SCALE, e.g. valgrind). */
unsigned long sim_scale(unsigned long n);
/* A per-test seed (SIM_TEST_SEED or a fixed default), printed on failure. */
unsigned long long sim_test_seed(void);

#define __SIM_CMP(kind, a, op, b, fmtcast, fmt, onfail) do {		\
	typeof(a) __a = (a);						\
	typeof(b) __b = (b);						\
	if (!(__a op __b)) {						\
		sim_test_fail(__FILE__, __LINE__,			\
			      kind "(%s " #op " %s): " fmt " vs " fmt,	\
			      #a, #b, (fmtcast)__a, (fmtcast)__b);	\
		onfail;							\
	}								\
} while (0)

#define EXPECT_EQ(a, b)		__SIM_CMP("EXPECT", a, ==, b, long long, "%lld", (void)0)
#define EXPECT_NE(a, b)		__SIM_CMP("EXPECT", a, !=, b, long long, "%lld", (void)0)
#define EXPECT_LT(a, b)		__SIM_CMP("EXPECT", a, <, b, long long, "%lld", (void)0)
#define EXPECT_LE(a, b)		__SIM_CMP("EXPECT", a, <=, b, long long, "%lld", (void)0)
#define EXPECT_GT(a, b)		__SIM_CMP("EXPECT", a, >, b, long long, "%lld", (void)0)
#define EXPECT_GE(a, b)		__SIM_CMP("EXPECT", a, >=, b, long long, "%lld", (void)0)
#define EXPECT_PTR_EQ(a, b)	__SIM_CMP("EXPECT", (const void *)(a), ==, (const void *)(b), const void *, "%p", (void)0)
#define EXPECT_PTR_NE(a, b)	__SIM_CMP("EXPECT", (const void *)(a), !=, (const void *)(b), const void *, "%p", (void)0)
#define ASSERT_EQ(a, b)		__SIM_CMP("ASSERT", a, ==, b, long long, "%lld", sim_test_abort())
#define ASSERT_NE(a, b)		__SIM_CMP("ASSERT", a, !=, b, long long, "%lld", sim_test_abort())
#define ASSERT_LE(a, b)		__SIM_CMP("ASSERT", a, <=, b, long long, "%lld", sim_test_abort())
#define ASSERT_GE(a, b)		__SIM_CMP("ASSERT", a, >=, b, long long, "%lld", sim_test_abort())
#define ASSERT_PTR_NE(a, b)	__SIM_CMP("ASSERT", (const void *)(a), !=, (const void *)(b), const void *, "%p", sim_test_abort())

#define EXPECT_TRUE(c) do {						\
	if (!(c))							\
		sim_test_fail(__FILE__, __LINE__, "EXPECT_TRUE(%s)", #c); \
} while (0)
#define EXPECT_FALSE(c)	EXPECT_TRUE(!(c))
#define ASSERT_TRUE(c) do {						\
	if (!(c)) {							\
		sim_test_fail(__FILE__, __LINE__, "ASSERT_TRUE(%s)", #c); \
		sim_test_abort();					\
	}								\
} while (0)
#define ASSERT_FALSE(c)	ASSERT_TRUE(!(c))
#define ASSERT_NOT_ERR_OR_NULL(p) do {					\
	const void *__p = (p);						\
	if (IS_ERR_OR_NULL(__p)) {					\
		sim_test_fail(__FILE__, __LINE__, "%s is %ld", #p,	\
			      (long)__p);				\
		sim_test_abort();					\
	}								\
} while (0)
#define EXPECT_STREQ(a, b) do {						\
	const char *__a = (a), *__b = (b);				\
	if (strcmp(__a, __b))						\
		sim_test_fail(__FILE__, __LINE__,			\
			      "EXPECT_STREQ(%s, %s):\n#   \"%s\"\n#   \"%s\"", \
			      #a, #b, __a, __b);			\
} while (0)
/* The last log message contains @needle. */
#define EXPECT_LOGGED(needle) do {					\
	if (!strstr(sim_last_message(), (needle)))			\
		sim_test_fail(__FILE__, __LINE__,			\
			      "last message lacks \"%s\": %s", (needle), \
			      sim_last_message());			\
} while (0)

#endif /* _SIM_HARNESS_H */
