/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: a small KUnit, so that myslab's suites in kunit_tests/
 * compile unmodified against the sim and run on the host (kunit/kunit.c
 * runs them and prints KTAP). The subset the suites use, with the kernel's
 * (6.1) names, types and semantics:
 *
 *  - cases, parameterized cases (KUNIT_CASE_PARAM, KUNIT_ARRAY_PARAM: each
 *    parameter runs as a case of its own), suites with init/exit and
 *    suite_init/suite_exit, registered by kunit_test_suites() in a linker
 *    section, as the kernel does;
 *  - a case runs in a thread of its own with current->kunit_test set, as the
 *    kernel's kunit_try_catch kthread; a failed KUNIT_ASSERT_*() or
 *    kunit_skip() ends it (a longjmp back to that thread's start, where the
 *    kernel ends the kthread), and then exit and the resources run;
 *  - KUNIT_EXPECT_*() and KUNIT_ASSERT_*(): integers, pointers, strings,
 *    booleans, NULL and ERR_PTR, with _MSG forms; a failure prints the
 *    kernel's message (file:line, the expression and both values) and fails
 *    the case, from any thread;
 *  - kunit_kmalloc() and friends (freed when the case ends), resources
 *    (kunit/resource.h), kunit_info() and friends.
 *
 * Not here: the debugfs results, the executor's filters beyond globs,
 * kunit_add_action(), static stubs.
 */
#ifndef _SIM_KUNIT_TEST_H
#define _SIM_KUNIT_TEST_H

#include <pthread.h>
#include <setjmp.h>

#include <linux/compiler.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#include <kunit/resource.h>

#define KUNIT_PARAM_DESC_SIZE		128
#define KUNIT_STATUS_COMMENT_SIZE	256
#define KUNIT_SUBTEST_INDENT		"    "

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;

/**
 * struct kunit_case - one test case
 * @run_case:	the case
 * @name:	its name
 * @generate_params: for a parameterized case: the parameter after @prev
 *		(the first for NULL), its description written to @desc, or
 *		NULL after the last
 */
struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

#define KUNIT_CASE(test_name)	{ .run_case = test_name, .name = #test_name }
#define KUNIT_CASE_PARAM(test_name, gen_params)				\
	{ .run_case = test_name, .name = #test_name,			\
	  .generate_params = gen_params }

/* The parameters of a case: the elements of @array, described by @get_desc. */
#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) *__next = prev ?				\
			((typeof(__next))prev) + 1 : (array);			\
		if (__next - (array) < ARRAY_SIZE((array))) {			\
			void (*__get_desc)(typeof(__next), char *) = get_desc;	\
			if (__get_desc)						\
				__get_desc(__next, desc);			\
			return __next;						\
		}								\
		return NULL;							\
	}

/**
 * struct kunit_suite - a set of cases, run in order
 * @name:	the suite's name
 * @suite_init: before its first case (here: before each case, in the
 *		process that runs it; see kunit/kunit.c)
 * @suite_exit:	after its last case (likewise)
 * @init:	before each case; a non-zero return fails the case
 * @exit:	after each case, also one that failed an assertion
 * @test_cases: the cases, ended by an empty one
 */
struct kunit_suite {
	const char *name;
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

/**
 * struct kunit - the state of the case running
 * @priv:	for the suite's init and its cases
 * @name:	the case's name
 * @param_value: the current parameter of a parameterized case
 * @param_index: its index, from 0
 * @status:	KUNIT_FAILURE as soon as an expectation fails
 * @status_comment: why the case was skipped
 *
 * The rest is private to kunit/kunit.c.
 */
struct kunit {
	void *priv;
	const char *name;
	const void *param_value;
	int param_index;
	enum kunit_status status;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];

	/* private: */
	pthread_mutex_t lock;		/* @resources */
	struct list_head resources;	/* struct kunit_resource, by node */
	pthread_t thread;		/* the case's, which an abort ends */
	jmp_buf *abort_jmp;		/* where it goes */
	const char *indent;		/* of the case's lines in the output */
};

/* The suites, as the kernel's kunit_test_suites() puts them: a section. */
#define __KUNIT_ID2(prefix, n)	prefix##n
#define __KUNIT_ID(prefix, n)	__KUNIT_ID2(prefix, n)
#define kunit_test_suites(__suites...)					\
	static struct kunit_suite *__KUNIT_ID(__kunit_suites_, __COUNTER__)[] \
	__used __aligned(sizeof(struct kunit_suite *))			\
	__attribute__((__section__("kunit_test_suites"))) = { __suites }
#define kunit_test_suite(suite)	kunit_test_suites(&suite)

/* === Failing, skipping, logging === */

enum kunit_assert_type {
	KUNIT_ASSERTION,
	KUNIT_EXPECTATION,
};

void kunit_set_failure(struct kunit *test);
/* End the case: a longjmp on its thread; any other thread exits. */
void __noreturn __kunit_abort(struct kunit *test);

__printf(2, 3)
void kunit_info(struct kunit *test, const char *fmt, ...);
#define kunit_warn(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_info(test, fmt, ##__VA_ARGS__)

__printf(2, 3)
void kunit_mark_skipped(struct kunit *test, const char *fmt, ...);
#define kunit_skip(test, fmt, ...) do {					\
	kunit_mark_skipped(test, fmt, ##__VA_ARGS__);			\
	__kunit_abort(test);						\
} while (0)

/*
 * A failed check: "<EXPECTATION|ASSERTION> FAILED at file:line", the
 * lines of @what (one per '\n'), then the caller's message if any; the case
 * fails, and an assertion ends it.
 */
__printf(6, 7)
void __kunit_failed(struct kunit *test, enum kunit_assert_type type,
		    const char *file, int line, const char *what,
		    const char *fmt, ...);
#define __kunit_fail_and_maybe_abort(test, type, what, fmt, ...) do {	\
	__kunit_failed(test, type, __FILE__, __LINE__, what, fmt,	\
		       ##__VA_ARGS__);					\
	if ((type) == KUNIT_ASSERTION)					\
		__kunit_abort(test);					\
} while (0)

/* The "Expected ..., but" lines of each kind of check, into a buffer. */
#define KUNIT_ASSERT_TEXT_SIZE	512
void __kunit_int_text(char *buf, const char *left, const char *op,
		      const char *right, long long lval, long long rval);
void __kunit_ptr_text(char *buf, const char *left, const char *op,
		      const char *right, const void *lval, const void *rval);
void __kunit_str_text(char *buf, const char *left, const char *op,
		      const char *right, const char *lval, const char *rval);
void __kunit_bool_text(char *buf, const char *cond, bool expected);
void __kunit_ptr_not_err_text(char *buf, const char *text, const void *ptr);

#define KUNIT_FAIL(test, fmt, ...)					\
	__kunit_failed(test, KUNIT_EXPECTATION, __FILE__, __LINE__, NULL, \
		       fmt, ##__VA_ARGS__)

#define KUNIT_FAIL_AND_ABORT(test, fmt, ...)				\
	__kunit_fail_and_maybe_abort(test, KUNIT_ASSERTION, NULL, fmt,	\
				     ##__VA_ARGS__)

/* === The checks === */

#define KUNIT_BINARY_INT_ASSERTION(test, type, left, op, right, fmt, ...) do { \
	const typeof(left) __left = (left);				\
	const typeof(right) __right = (right);				\
	char __text[KUNIT_ASSERT_TEXT_SIZE];				\
									\
	if (likely(__left op __right))					\
		break;							\
	__kunit_int_text(__text, #left, #op, #right, (long long)__left,	\
			 (long long)__right);				\
	__kunit_fail_and_maybe_abort(test, type, __text, fmt,		\
				     ##__VA_ARGS__);			\
} while (0)

#define KUNIT_BINARY_PTR_ASSERTION(test, type, left, op, right, fmt, ...) do { \
	const typeof(left) __left = (left);				\
	const typeof(right) __right = (right);				\
	char __text[KUNIT_ASSERT_TEXT_SIZE];				\
									\
	if (likely(__left op __right))					\
		break;							\
	__kunit_ptr_text(__text, #left, #op, #right,			\
			 (const void *)__left, (const void *)__right);	\
	__kunit_fail_and_maybe_abort(test, type, __text, fmt,		\
				     ##__VA_ARGS__);			\
} while (0)

#define KUNIT_BINARY_STR_ASSERTION(test, type, left, op, right, fmt, ...) do { \
	const char *__left = (left);					\
	const char *__right = (right);					\
	char __text[KUNIT_ASSERT_TEXT_SIZE];				\
									\
	if (likely(strcmp(__left, __right) op 0))			\
		break;							\
	__kunit_str_text(__text, #left, #op, #right, __left, __right);	\
	__kunit_fail_and_maybe_abort(test, type, __text, fmt,		\
				     ##__VA_ARGS__);			\
} while (0)

#define KUNIT_BOOL_ASSERTION(test, type, cond, expected, fmt, ...) do {	\
	char __text[KUNIT_ASSERT_TEXT_SIZE];				\
									\
	if (likely(!!(cond) == !!(expected)))				\
		break;							\
	__kunit_bool_text(__text, #cond, expected);			\
	__kunit_fail_and_maybe_abort(test, type, __text, fmt,		\
				     ##__VA_ARGS__);			\
} while (0)

#define KUNIT_PTR_NOT_ERR_OR_NULL_ASSERTION(test, type, ptr, fmt, ...) do { \
	const typeof(ptr) __ptr = (ptr);				\
	char __text[KUNIT_ASSERT_TEXT_SIZE];				\
									\
	if (!IS_ERR_OR_NULL(__ptr))					\
		break;							\
	__kunit_ptr_not_err_text(__text, #ptr, (const void *)__ptr);	\
	__kunit_fail_and_maybe_abort(test, type, __text, fmt,		\
				     ##__VA_ARGS__);			\
} while (0)

/* Every check in its EXPECT and ASSERT form, each with its _MSG form. */
#define KUNIT_EXPECT_TRUE_MSG(test, c, fmt, ...)			\
	KUNIT_BOOL_ASSERTION(test, KUNIT_EXPECTATION, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(test, c, fmt, ...)			\
	KUNIT_BOOL_ASSERTION(test, KUNIT_EXPECTATION, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_EXPECTATION, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_PTR_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_EXPECTATION, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STREQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_STR_ASSERTION(test, KUNIT_EXPECTATION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_STRNEQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_STR_ASSERTION(test, KUNIT_EXPECTATION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)		\
	KUNIT_PTR_NOT_ERR_OR_NULL_ASSERTION(test, KUNIT_EXPECTATION, p, fmt, ##__VA_ARGS__)

#define KUNIT_ASSERT_TRUE_MSG(test, c, fmt, ...)			\
	KUNIT_BOOL_ASSERTION(test, KUNIT_ASSERTION, c, true, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_FALSE_MSG(test, c, fmt, ...)			\
	KUNIT_BOOL_ASSERTION(test, KUNIT_ASSERTION, c, false, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, <, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, <=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, >, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_INT_ASSERTION(test, KUNIT_ASSERTION, l, >=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_PTR_NE_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, p, ==, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL_MSG(test, p, fmt, ...)			\
	KUNIT_BINARY_PTR_ASSERTION(test, KUNIT_ASSERTION, p, !=, NULL, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STREQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_STR_ASSERTION(test, KUNIT_ASSERTION, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_STRNEQ_MSG(test, l, r, fmt, ...)			\
	KUNIT_BINARY_STR_ASSERTION(test, KUNIT_ASSERTION, l, !=, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, fmt, ...)		\
	KUNIT_PTR_NOT_ERR_OR_NULL_ASSERTION(test, KUNIT_ASSERTION, p, fmt, ##__VA_ARGS__)

#define KUNIT_EXPECT_TRUE(test, c)	KUNIT_EXPECT_TRUE_MSG(test, c, NULL)
#define KUNIT_EXPECT_FALSE(test, c)	KUNIT_EXPECT_FALSE_MSG(test, c, NULL)
#define KUNIT_EXPECT_EQ(test, l, r)	KUNIT_EXPECT_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NE(test, l, r)	KUNIT_EXPECT_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LT(test, l, r)	KUNIT_EXPECT_LT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_LE(test, l, r)	KUNIT_EXPECT_LE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GT(test, l, r)	KUNIT_EXPECT_GT_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_GE(test, l, r)	KUNIT_EXPECT_GE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_EQ(test, l, r)	KUNIT_EXPECT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_PTR_NE(test, l, r)	KUNIT_EXPECT_PTR_NE_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NULL(test, p)	KUNIT_EXPECT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_NOT_NULL(test, p)	KUNIT_EXPECT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_EXPECT_STREQ(test, l, r)	KUNIT_EXPECT_STREQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_STRNEQ(test, l, r)	KUNIT_EXPECT_STRNEQ_MSG(test, l, r, NULL)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p) \
	KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(test, p, NULL)

#define KUNIT_ASSERT_TRUE(test, c)	KUNIT_ASSERT_TRUE_MSG(test, c, NULL)
#define KUNIT_ASSERT_FALSE(test, c)	KUNIT_ASSERT_FALSE_MSG(test, c, NULL)
#define KUNIT_ASSERT_EQ(test, l, r)	KUNIT_ASSERT_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_NE(test, l, r)	KUNIT_ASSERT_NE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LT(test, l, r)	KUNIT_ASSERT_LT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_LE(test, l, r)	KUNIT_ASSERT_LE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GT(test, l, r)	KUNIT_ASSERT_GT_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_GE(test, l, r)	KUNIT_ASSERT_GE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_PTR_EQ(test, l, r)	KUNIT_ASSERT_PTR_EQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_PTR_NE(test, l, r)	KUNIT_ASSERT_PTR_NE_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_NULL(test, p)	KUNIT_ASSERT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_NOT_NULL(test, p)	KUNIT_ASSERT_NOT_NULL_MSG(test, p, NULL)
#define KUNIT_ASSERT_STREQ(test, l, r)	KUNIT_ASSERT_STREQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_STRNEQ(test, l, r)	KUNIT_ASSERT_STRNEQ_MSG(test, l, r, NULL)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p) \
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, NULL)

/* === Memory freed when the case ends === */

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

static inline void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc_array(test, 1, size, gfp);
}

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

#endif /* _SIM_KUNIT_TEST_H */
