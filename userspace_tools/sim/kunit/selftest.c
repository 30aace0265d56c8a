// SPDX-License-Identifier: GPL-2.0
/*
 * The host KUnit's test of itself: cases whose outcome is known, so that a
 * runner or a harness that lets a failure through is caught. Linked into
 * its own binary (kunit_selftest), never with myslab's suites.
 *
 * Every case's name (a parameter's description, for a parameterized case)
 * starts with the outcome it must have: "pass", "fail" or "skip".
 * run-host-tests.sh runs this binary and checks each result line against
 * its name, the KTAP structure and the totals, and a few lines of output
 * that show an assertion really ends its case; the run of the binary
 * itself must fail. It runs with --expect kunit/selftest.expect.
 */
#include <linux/bug.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>

#include <kunit/resource.h>
#include <kunit/test.h>

/* Every kind of check, holding: nothing fails. */
static void pass_checks_that_hold(struct kunit *test)
{
	int x = 3, *p = &x;
	void *err = ERR_PTR(-ENOMEM);

	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
	KUNIT_EXPECT_NE(test, x, 4);
	KUNIT_EXPECT_LT(test, x, 4);
	KUNIT_EXPECT_LE(test, x, 3);
	KUNIT_EXPECT_GT(test, x, 2);
	KUNIT_EXPECT_GE(test, 3UL, (unsigned long)x);
	KUNIT_EXPECT_TRUE(test, x == 3);
	KUNIT_EXPECT_FALSE(test, x == 4);
	KUNIT_EXPECT_PTR_EQ(test, p, &x);
	KUNIT_EXPECT_PTR_NE(test, p, NULL);
	KUNIT_EXPECT_NULL(test, NULL);
	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, IS_ERR(err));
	KUNIT_EXPECT_STREQ(test, "myslab", "myslab");
	KUNIT_EXPECT_STRNEQ(test, "myslab", "slab");
	KUNIT_EXPECT_EQ_MSG(test, x, 3, "x is %d", x);
	KUNIT_ASSERT_EQ(test, x, 3);
	KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(test, p, "p");
	KUNIT_ASSERT_GE(test, x, 0);
}

/* Both expectations fail and are reported: an expectation goes on. */
static void fail_expectations_go_on(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 3);
	KUNIT_EXPECT_STREQ_MSG(test, "a", "b", "planted: %s", "strings differ");
}

static int after_assert;

static int abort_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

/* Runs when the case ends: says whether the code after the assertion ran. */
static void abort_res_free(struct kunit_resource *res)
{
	kunit_info(res->data, "cleanup ran; the code after the failed assertion %s",
		   after_assert ? "RAN" : "did not run");
}

/* A failed assertion ends the case; its resources are freed all the same. */
static void fail_assertion_ends_case(struct kunit *test)
{
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, abort_res_init,
							 abort_res_free,
							 GFP_KERNEL, test));
	KUNIT_ASSERT_EQ_MSG(test, 2 * 2, 5, "planted");
	after_assert = 1;
	KUNIT_FAIL(test, "continued after a failed assertion");
}

struct failing {
	struct kunit *test;
	struct completion ran;
};

static int failing_thread(void *data)
{
	struct failing *f = data;

	KUNIT_EXPECT_EQ(f->test, 7, 8);
	complete(&f->ran);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/* An expectation failing in a kthread the case started fails the case. */
static void fail_in_a_kthread(struct kunit *test)
{
	struct failing *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	init_completion(&f->ran);
	t = kthread_create_on_cpu(failing_thread, f, 1, "selftest/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wake_up_process(t);
	/* Stopped before it ran, a kthread never runs: the kernel's rule. */
	wait_for_completion(&f->ran);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);
}

struct relay {
	struct completion go, done;
	int cpu;
};

static int relay_thread(void *data)
{
	struct relay *r = data;

	wait_for_completion(&r->go);
	r->cpu = raw_smp_processor_id();
	complete(&r->done);
	while (!kthread_should_stop())
		msleep(1);
	return 42;
}

/* The kthread shims: bound CPU, completions, kthread_stop()'s result. */
static void pass_kthreads_and_completions(struct kunit *test)
{
	struct relay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, r);
	init_completion(&r->go);
	init_completion(&r->done);
	r->cpu = -1;
	t = kthread_create_on_cpu(relay_thread, r, 1, "selftest/%u");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	wake_up_process(t);
	complete(&r->go);
	wait_for_completion(&r->done);
	KUNIT_EXPECT_EQ(test, r->cpu, 1);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 42);
	put_task_struct(t);
	/* Never woken: stopped without running, as the kernel's. */
	t = kthread_create(relay_thread, r, "selftest-idle");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_EXPECT_EQ(test, kthread_stop(t), -EINTR);
}

static int order_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static int freed_order[3], nr_freed;

static void order_res_free(struct kunit_resource *res)
{
	if (nr_freed < ARRAY_SIZE(freed_order))
		freed_order[nr_freed] = *(int *)res->data;
	nr_freed++;
}

/* Added first, freed last: the others went before, the last added first. */
static void order_check_free(struct kunit_resource *res)
{
	struct kunit *test = res->data;

	KUNIT_EXPECT_EQ(test, nr_freed, 3);
	KUNIT_EXPECT_EQ(test, freed_order[0], 2);	/* removed by the case */
	KUNIT_EXPECT_EQ(test, freed_order[1], 3);
	KUNIT_EXPECT_EQ(test, freed_order[2], 1);
	kunit_info(test, "resources freed in order %d %d %d", freed_order[0],
		   freed_order[1], freed_order[2]);
}

static bool data_match(struct kunit *test, struct kunit_resource *res,
		       void *data)
{
	return res->data == data;
}

/*
 * Named resources are found and put, and a resource found stays until it
 * is put; when the case ends all are freed, the last added first.
 */
static void pass_resources(struct kunit *test)
{
	static struct kunit_resource named;
	static int one = 1, two = 2, three = 3, counter;
	struct kunit_resource *res;

	nr_freed = 0;
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, order_res_init,
							 order_check_free,
							 GFP_KERNEL, test));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, order_res_init,
							 order_res_free,
							 GFP_KERNEL, &one));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, order_res_init,
							 order_res_free,
							 GFP_KERNEL, &two));
	KUNIT_ASSERT_NOT_NULL(test, kunit_alloc_resource(test, order_res_init,
							 order_res_free,
							 GFP_KERNEL, &three));
	KUNIT_ASSERT_EQ(test, kunit_add_named_resource(test, NULL, NULL, &named,
						       "counter", &counter), 0);
	KUNIT_EXPECT_EQ(test, kunit_add_named_resource(test, NULL, NULL, &named,
						       "counter", &counter), -EEXIST);
	res = kunit_find_named_resource(test, "counter");
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_PTR_EQ(test, res->data, (void *)&counter);
	kunit_put_resource(res);
	KUNIT_EXPECT_NULL(test, kunit_find_named_resource(test, "none"));

	res = kunit_find_resource(test, data_match, &two);
	KUNIT_ASSERT_NOT_NULL(test, res);
	kunit_remove_resource(test, res);
	KUNIT_EXPECT_EQ(test, nr_freed, 0);	/* still referenced */
	kunit_put_resource(res);
	KUNIT_EXPECT_EQ(test, nr_freed, 1);

	KUNIT_EXPECT_NOT_NULL(test, kunit_kcalloc(test, 4, 8, GFP_KERNEL));
	kunit_kfree(test, kunit_kmalloc(test, 100, GFP_KERNEL));
}

static void skip_explicitly(struct kunit *test)
{
	kunit_skip(test, "planted skip: %s", "the reason shows");
	KUNIT_FAIL(test, "continued after kunit_skip()");
}

/* A skip after a failure does not hide the failure. */
static void fail_then_skip(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, false);
	kunit_skip(test, "skipped after a failure");
}

/* Checked by the runner when the case ends: memory left behind. */
static void fail_leaks_kmalloc(struct kunit *test)
{
	KUNIT_EXPECT_NOT_NULL(test, kmalloc(64, GFP_KERNEL));
}

static void fail_leaks_vmalloc(struct kunit *test)
{
	KUNIT_EXPECT_NOT_NULL(test, vmalloc(PAGE_SIZE));
}

/* A WARN splat fails the case, as the kernel's console checker would. */
static void fail_warns(struct kunit *test)
{
	WARN_ON(1);
}

/* A crash (BUG) fails its case; the run goes on. */
static void fail_crashes(struct kunit *test)
{
	BUG();
}

/* A hang is ended by the time limit (run with a short --timeout). */
static void fail_hangs(struct kunit *test)
{
	for (;;)
		msleep(1000);
}

/* Ending in atomic context is caught, as the kernel warns of it. */
static void fail_ends_atomic(struct kunit *test)
{
	preempt_disable();
}

/* Reports are judged against kunit/selftest.expect (run with --expect). */
static void pass_planted_report(struct kunit *test)
{
	pr_err("myslab: planted report\n");
	pr_info("myslab: info is no report\n");
}

static void fail_unplanned_report(struct kunit *test)
{
	pr_warn("myslab: planted report, but not declared for this case\n");
}

static const char *const outcomes[] = { "pass", "fail", "pass", "skip" };

static void outcome_desc(const char *const *o, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s as planted", *o);
}

KUNIT_ARRAY_PARAM(outcomes, outcomes, outcome_desc);

/* Each parameter is a case; one failing fails the parameterized case. */
static void fail_one_parameter(struct kunit *test)
{
	const char *o = *(const char *const *)test->param_value;

	if (!strcmp(o, "skip"))
		kunit_skip(test, "planted");
	KUNIT_EXPECT_STREQ(test, o, "pass");
}

static const char *const passes[] = { "pass" };

KUNIT_ARRAY_PARAM(passes, passes, outcome_desc);

static void pass_parameters(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, *(const char *const *)test->param_value, "pass");
}

static struct kunit_case selftest_cases[] = {
	KUNIT_CASE(pass_checks_that_hold),
	KUNIT_CASE(fail_expectations_go_on),
	KUNIT_CASE(fail_assertion_ends_case),
	KUNIT_CASE(fail_in_a_kthread),
	KUNIT_CASE(pass_kthreads_and_completions),
	KUNIT_CASE(pass_resources),
	KUNIT_CASE(skip_explicitly),
	KUNIT_CASE(fail_then_skip),
	KUNIT_CASE(fail_leaks_kmalloc),
	KUNIT_CASE(fail_leaks_vmalloc),
	KUNIT_CASE(fail_warns),
	KUNIT_CASE(fail_crashes),
	KUNIT_CASE(fail_hangs),
	KUNIT_CASE(fail_ends_atomic),
	KUNIT_CASE(pass_planted_report),
	KUNIT_CASE(fail_unplanned_report),
	KUNIT_CASE_PARAM(fail_one_parameter, outcomes_gen_params),
	KUNIT_CASE_PARAM(pass_parameters, passes_gen_params),
	{}
};

static struct kunit_suite selftest_suite = {
	.name = "sim_kunit_selftest",
	.test_cases = selftest_cases,
};

static int failing_init(struct kunit *test)
{
	return -ENOMEM;
}

static void fail_init_fails(struct kunit *test)
{
	KUNIT_FAIL(test, "ran although init failed");
}

static struct kunit_case init_cases[] = {
	KUNIT_CASE(fail_init_fails),
	{}
};

static struct kunit_suite init_suite = {
	.name = "sim_kunit_selftest_init",
	.init = failing_init,
	.test_cases = init_cases,
};

kunit_test_suites(&selftest_suite, &init_suite);
