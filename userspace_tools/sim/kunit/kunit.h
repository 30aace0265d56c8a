/* SPDX-License-Identifier: GPL-2.0 */
/* The host KUnit runner (kunit.c) and what a binary of suites adds to it. */
#ifndef _SIM_KUNIT_RUNNER_H
#define _SIM_KUNIT_RUNNER_H

/*
 * Called once before the first case, in the runner's process: what loading
 * the module under test does before its KUnit module runs (module.c for
 * myslab's suites). Weak: a binary without it (the self-test) does nothing.
 */
void sim_kunit_module_init(void);

/*
 * Called in the process of each case once it ended (with --no-fork, once
 * after the last case), before the leak checkers look: what unloading the
 * module does. Weak too.
 */
void sim_kunit_module_exit(void);

#endif /* _SIM_KUNIT_RUNNER_H */
