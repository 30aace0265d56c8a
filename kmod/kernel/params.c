// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: how a bad value is refused, and the parsers shared by
 * the parameters of region_main.c, buddy_hooks.c and slab_hooks.c.
 *
 * A refused value is reported by myslab_param_refuse() with the value
 * escaped and cut short, and the load fails in the first init step
 * (myslab_params_check()), not in the parameter's set callback: when a set
 * callback fails, the kernel's parse_args() logs the raw value itself
 * ("myslab: `<value>' invalid for parameter `<name>'"), control characters,
 * newlines and all, so a value could write lines of its own into the log.
 * The refused value is never stored: the parameter keeps its previous value.
 *
 * A refusal is sticky: the load fails even when a later value of the same
 * parameter is good ("size=junk size=64M"), since the command line as a
 * whole asked for something that cannot be had. parse_args() still goes on
 * through the parameters after a refused one, so each bad value of a load
 * is reported, and good ones are stored; none of them is used, as nothing
 * is set up before myslab_params_check() fails the load.
 *
 * Whether a refusal can fail the load is decided by whether
 * myslab_params_check() has run, not by the module's state: the parameters'
 * sysfs files exist, and the state is still MODULE_STATE_COMING, while the
 * init runs, so a write to a writable parameter then would have been
 * refused with success and forgotten.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/fault-inject.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "params.h"

/* === Refusals === */

/* At most this many bytes of a refused value are logged. */
#define PARAM_SHOWN	64

/*
 * params_refused: a value was refused before myslab_params_check() ran.
 * params_checked: it has run; later refusals fail their own write.
 * While the module loads, parse_args() and then the init run in one task;
 * afterwards, writes to the parameters' sysfs files hold the module's
 * kernel_param_lock(), which myslab_params_check() takes too.
 */
static bool params_refused;
static bool params_checked;

/**
 * myslab_param_refuse() - report a refused parameter value
 * @kp:		the parameter
 * @val:	the value as given (NULL: the name alone)
 * @fmt:	why, usually "expected ..."
 *
 * Logs "myslab: <name>=\"<value>\" rejected: <why>" at level err, the value
 * escaped (%pE) and cut after PARAM_SHOWN bytes ("<name> (no value)" for
 * the name alone). The caller must not have stored anything of the value.
 *
 * Return: 0 until myslab_params_check() has run, which then fails the load
 * (see the top of this file); -EINVAL afterwards, when a write to the
 * parameter's sysfs file can take the error itself.
 */
int myslab_param_refuse(const struct kernel_param *kp, const char *val,
			const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;
	size_t len;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (!val) {
		pr_err("%s (no value) rejected: %pV\n", kp->name, &vaf);
	} else {
		len = strlen(val);
		if (len <= PARAM_SHOWN)
			pr_err("%s=\"%*pE\" rejected: %pV\n",
			       kp->name, (int)len, val, &vaf);
		else
			pr_err("%s=\"%*pE\"... (%zu bytes) rejected: %pV\n",
			       kp->name, PARAM_SHOWN, val, len, &vaf);
	}
	va_end(args);

	if (params_checked)
		return -EINVAL;
	params_refused = true;
	return 0;
}

/**
 * myslab_params_check() - fail the load if a parameter value was refused
 *
 * The first thing the module's init does: nothing has been set up yet.
 * From then on, a refused value fails its own write (myslab_param_refuse()).
 *
 * Return: 0, or -EINVAL when myslab_param_refuse() refused a value (and
 * said why).
 */
int myslab_params_check(void)
{
	bool refused;

	kernel_param_lock(THIS_MODULE);
	params_checked = true;
	refused = params_refused;
	kernel_param_unlock(THIS_MODULE);
	return refused ? -EINVAL : 0;
}

/* === Booleans === */

/**
 * myslab_param_parse_bool() - parse a boolean parameter value strictly
 * @val:	the value, one trailing newline allowed
 * @res:	set only when the value is one of the words
 *
 * The kernel's kstrtobool() looks at the first one or two characters only
 * and takes "1junk" for true: here the whole value must be a word.
 *
 * Return: 0, or -EINVAL.
 */
int myslab_param_parse_bool(const char *val, bool *res)
{
	static const char * const words[2][5] = {
		{ "0", "n", "no", "off", "false" },
		{ "1", "y", "yes", "on", "true" },
	};
	size_t len = strlen(val);
	unsigned int i, j;

	if (len && val[len - 1] == '\n')
		len--;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		for (j = 0; j < ARRAY_SIZE(words[i]); j++) {
			if (strlen(words[i][j]) == len &&
			    !strncasecmp(val, words[i][j], len)) {
				*res = i;
				return 0;
			}
		}
	}
	return -EINVAL;
}

static int param_set_bool_strict(const char *val, const struct kernel_param *kp)
{
	bool on;

	/* The name alone turns it on, as for the kernel's bool parameters. */
	if (!val) {
		*(bool *)kp->arg = true;
		return 0;
	}
	if (myslab_param_parse_bool(val, &on))
		return myslab_param_refuse(kp, val,
					   "expected 1, y, yes, on, true or 0, n, no, off, false");
	*(bool *)kp->arg = on;
	return 0;
}

/* A bool parameter that accepts whole words only (module_param_cb()). */
const struct kernel_param_ops myslab_param_ops_bool = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = param_set_bool_strict,
	.get = param_get_bool,
};

/* === Fault injection values === */

/* Decimal digits only (no sign, no blanks), at most @max. */
static bool parse_decimal(const char *s, size_t len, unsigned long long max,
			  unsigned long long *v)
{
	size_t i;

	*v = 0;
	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (!isdigit(s[i]) ||
		    check_mul_overflow(*v, 10ULL, v) ||
		    check_add_overflow(*v, (unsigned long long)(s[i] - '0'), v))
			return false;
	}
	return *v <= max;
}

/**
 * myslab_fault_parse() - parse "<interval>,<probability>,<space>,<times>"
 * @val:	the value, one trailing newline allowed
 * @f:		set only when the whole value is good
 *
 * Stricter than the kernel's setup_fault_attr() (sscanf()), which takes
 * "1,10,0,1junk" and lets big numbers wrap: exactly four decimal fields,
 * in the ranges of MYSLAB_FAULT_SYNTAX; times may be -1.
 *
 * Return: 0, or -EINVAL.
 */
int myslab_fault_parse(const char *val, struct myslab_fault_numbers *f)
{
	static const unsigned long long max[] = { ULONG_MAX, 100, INT_MAX, INT_MAX };
	const char *s = val, *end = val + strlen(val), *comma;
	unsigned long long v[ARRAY_SIZE(max)];
	bool minus = false;
	unsigned int i;
	size_t n;

	if (end > val && end[-1] == '\n')
		end--;
	for (i = 0; i < ARRAY_SIZE(max); i++) {
		comma = memchr(s, ',', end - s);
		/* A comma after each field but the last, none after it. */
		if ((i < ARRAY_SIZE(max) - 1) != !!comma)
			return -EINVAL;
		n = (comma ? comma : end) - s;
		if (i == ARRAY_SIZE(max) - 1 && n && *s == '-') {
			minus = true;
			s++;
			n--;
		}
		if (!parse_decimal(s, n, max[i], &v[i]))
			return -EINVAL;
		s += n + 1;
	}
	if (!v[0] || (minus && v[3] != 1))
		return -EINVAL;
	f->interval = v[0];
	f->probability = v[1];
	f->space = v[2];
	f->times = minus ? -1 : v[3];
	return 0;
}

#ifdef CONFIG_FAULT_INJECTION
/**
 * myslab_fault_apply() - set fault injection attributes, as
 * setup_fault_attr() does, from checked numbers
 * @attr:	the attributes
 * @f:		numbers from myslab_fault_parse()
 */
void myslab_fault_apply(struct fault_attr *attr,
			const struct myslab_fault_numbers *f)
{
	attr->interval = f->interval;
	attr->probability = f->probability;
	atomic_set(&attr->space, f->space);
	atomic_set(&attr->times, f->times);
}
#endif
