// SPDX-License-Identifier: GPL-2.0
/*
 * Planted failures for the test harness's self-test: loaded with plant=<kind>
 * it produces exactly one kind of failure that the VM runner must catch.
 *
 *   none        nothing (the control: the run must pass)
 *   warn        one WARN()
 *   kasan       one out-of-bounds read KASAN reports
 *   leak        one kmalloc()ed object whose last pointer is dropped (kmemleak)
 *   report      one line shaped like a myslab report (level err, the module's
 *               prefix): unplanned, it must fail the run; wrapped in the
 *               scenario's planted bracket, it must not
 *
 * Its KUnit suite passes, with a parameterized case, so the control run also
 * shows nested KTAP parsed. A failing KUnit case is myslab_plant_fail.c:
 * module suites run before the module's parameters are parsed, so a parameter
 * cannot choose it. A guest that hangs needs no module: the scenario sleeps.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/test.h>

static char *plant = "none";
module_param(plant, charp, 0444);
MODULE_PARM_DESC(plant, "failure to plant: none, warn, kasan, leak, report");

static void plant_kunit_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1 + 1, 2);
}

static void plant_kunit_param_case(struct kunit *test)
{
	const int *v = test->param_value;

	KUNIT_EXPECT_GE(test, *v, 0);
}

static const int plant_params[] = { 0, 1, 2 };
KUNIT_ARRAY_PARAM(plant_values, plant_params, NULL);

static struct kunit_case plant_cases[] = {
	KUNIT_CASE(plant_kunit_case),
	KUNIT_CASE_PARAM(plant_kunit_param_case, plant_values_gen_params),
	{}
};

static struct kunit_suite plant_suite = {
	.name = "myslab_harness_plant",
	.test_cases = plant_cases,
};

static void plant_kasan(void)
{
	char *p = kmalloc(16, GFP_KERNEL);
	char c;

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(p);
	c = READ_ONCE(p[16]);
	pr_info("read %d past the end\n", c);
	kfree(p);
}

static noinline void plant_leak(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(p);
	if (p)
		memset(p, 0x5a, 64);
}

static int __init plant_init(void)
{
	if (!strcmp(plant, "warn"))
		WARN(1, "planted warning\n");
	else if (!strcmp(plant, "kasan"))
		plant_kasan();
	else if (!strcmp(plant, "leak"))
		plant_leak();
	else if (!strcmp(plant, "report"))
		pr_err("cache plant: object at region offset 0x1000: double free (planted)\n");
	else if (strcmp(plant, "none"))
		return -EINVAL;
	return 0;
}

static void __exit plant_exit(void)
{
}

module_init(plant_init);
module_exit(plant_exit);
kunit_test_suite(plant_suite);

MODULE_DESCRIPTION("myslab test harness self-test: planted failures");
MODULE_LICENSE("GPL");
