/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module parameters: how a bad value is refused, and the parsers that the
 * parameters of several files share (params.c).
 */
#ifndef _MYSLAB_PARAMS_H
#define _MYSLAB_PARAMS_H

#include <linux/compiler.h>
#include <linux/moduleparam.h>
#include <linux/types.h>

struct fault_attr;

/* === Refusals === */

__printf(3, 4)
int myslab_param_refuse(const struct kernel_param *kp, const char *val,
			const char *fmt, ...);
int myslab_params_check(void);

/* === Parsers === */

int myslab_param_parse_bool(const char *val, bool *res);
extern const struct kernel_param_ops myslab_param_ops_bool;

/**
 * struct myslab_fault_numbers - the four numbers of a fault injection value
 * @interval:		fail one in this many eligible calls (at least 1)
 * @probability:	percent of those to fail, 0 to 100
 * @space:		bytes to let through before failing, 0 to INT_MAX
 * @times:		failures at most, -1 for no limit
 *
 * The syntax of the kernel's fail_page_alloc= and failslab= boot parameters
 * (Documentation/fault-injection/fault-injection.rst).
 */
struct myslab_fault_numbers {
	unsigned long interval;
	unsigned long probability;
	int space;
	int times;
};

/* What myslab_fault_parse() takes, for the refusal. */
#define MYSLAB_FAULT_SYNTAX \
	"<interval>,<probability>,<space>,<times> in decimal: interval >= 1, probability 0 to 100, space 0 to 2147483647, times -1 (no limit) to 2147483647"

int myslab_fault_parse(const char *val, struct myslab_fault_numbers *f);
void myslab_fault_apply(struct fault_attr *attr,
			const struct myslab_fault_numbers *f);

#endif /* _MYSLAB_PARAMS_H */
