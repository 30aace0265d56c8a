// SPDX-License-Identifier: GPL-2.0
/*
 * A KUnit suite with one case that fails on purpose, for the test harness's
 * self-test: the runner must report the case and fail the run.
 */
#include <linux/module.h>
#include <kunit/test.h>

static void plant_passing_case(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, true);
}

static void plant_failing_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1 + 1, 3, "planted KUnit failure");
}

static struct kunit_case plant_fail_cases[] = {
	KUNIT_CASE(plant_passing_case),
	KUNIT_CASE(plant_failing_case),
	{}
};

static struct kunit_suite plant_fail_suite = {
	.name = "myslab_harness_plant_fail",
	.test_cases = plant_fail_cases,
};

kunit_test_suite(plant_fail_suite);

MODULE_DESCRIPTION("myslab test harness self-test: a failing KUnit case");
MODULE_LICENSE("GPL");
