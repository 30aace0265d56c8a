// SPDX-License-Identifier: GPL-2.0
/*
 * myslab slab caches: the myslab_debug= option, which gives caches debug
 * options by name, as slub_debug= does.
 *
 * The module parses the value once while it loads (myslab_debug_parse()) and
 * installs it (myslab_debug_set_spec()); a cache created afterwards takes
 * the options the value gives its name (myslab_debug_flags_for(), from
 * myslab_cache_create()), which send it down the debug paths
 * (slab_debug.c). Parsing and writing a value back are pure functions of
 * their arguments, so that the module can refuse a bad value before
 * anything is set, and the tests can run them alone.
 *
 * Calls only the cache registry (for what a cache name may hold).
 *
 * Core file: no module glue, only the primitives userspace_tools/sim/ provides.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "slab_internal.h"

/* The myslab_debug= value; set once while the module loads. */
static struct myslab_debug_spec myslab_debug_spec;

/* === The syntax === */

static const struct {
	char letter;
	unsigned int flag;
} myslab_debug_letters[] = {
	{ 'F', MYSLAB_CONSISTENCY_CHECKS },
	{ 'Z', MYSLAB_RED_ZONE },
	{ 'P', MYSLAB_POISON },
	{ 'U', MYSLAB_STORE_USER },
	{ 'A', MYSLAB_FAILSLAB },
};

/**
 * myslab_debug_flags_string() - the letters of a set of debug options
 * @flags: MYSLAB_DEBUG_FLAGS bits (others are ignored)
 * @buf: output
 * @size: its size
 *
 * Letters in the order F Z P U A, or "-" for none.
 *
 * Return: the length of the string (as snprintf()).
 */
int myslab_debug_flags_string(unsigned int flags, char *buf, size_t size)
{
	char letters[ARRAY_SIZE(myslab_debug_letters) + 1];
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(myslab_debug_letters); i++)
		if (flags & myslab_debug_letters[i].flag)
			letters[n++] = myslab_debug_letters[i].letter;
	letters[n] = '\0';
	return snprintf(buf, size, "%s", n ? letters : "-");
}
EXPORT_SYMBOL_GPL(myslab_debug_flags_string);

static int myslab_debug_letter(char c, unsigned int *flag)
{
	unsigned int i;

	if (c >= 'a' && c <= 'z')
		c -= 'a' - 'A';
	for (i = 0; i < ARRAY_SIZE(myslab_debug_letters); i++) {
		if (myslab_debug_letters[i].letter == c) {
			*flag = myslab_debug_letters[i].flag;
			return 0;
		}
	}
	return -EINVAL;
}

/* The options field of a block: letters, or a lone '-'. */
static int myslab_debug_options(const char *s, size_t len, unsigned int *flags,
				const char **why)
{
	unsigned int flag;
	size_t i;

	*flags = 0;
	if (!len) {
		*why = "a block has no options (expected letters of FZPUA, or -)";
		return -EINVAL;
	}
	if (len == 1 && s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		if (myslab_debug_letter(s[i], &flag)) {
			*why = s[i] == '-' ? "'-' must stand alone" :
			       "unknown option letter (expected F, Z, P, U, A or -)";
			return -EINVAL;
		}
		*flags |= flag;
	}
	return 0;
}

static bool myslab_debug_rule_matches(const struct myslab_debug_rule *rule,
				      const char *name)
{
	if (rule->prefix)
		return !strncmp(name, rule->name, strlen(rule->name));
	return !strcmp(name, rule->name);
}

/* One cache name (or prefix*) of a block. */
static int myslab_debug_name(const char *s, size_t len, unsigned int flags,
			     struct myslab_debug_spec *spec, const char **why)
{
	struct myslab_debug_rule *rule;
	unsigned int i;

	if (spec->nr_rules == MYSLAB_DEBUG_SPEC_RULES) {
		*why = "more than 16 cache names";
		return -EINVAL;
	}
	rule = &spec->rules[spec->nr_rules];
	rule->flags = flags;
	rule->prefix = len && s[len - 1] == '*';
	if (rule->prefix)
		len--;
	if (!len || len >= MYSLAB_CACHE_NAME_LEN) {
		*why = "a cache name is empty or longer than 31 characters";
		return -EINVAL;
	}
	memcpy(rule->name, s, len);
	rule->name[len] = '\0';
	if (myslab_cache_name_check(rule->name) || strchr(rule->name, '*')) {
		*why = "a cache name has a character a cache name cannot have";
		return -EINVAL;
	}
	for (i = 0; i < spec->nr_rules; i++) {
		if (spec->rules[i].prefix == rule->prefix &&
		    !strcmp(spec->rules[i].name, rule->name)) {
			*why = "a cache name is given twice";
			return -EINVAL;
		}
	}
	spec->nr_rules++;
	return 0;
}

/* One block: "<options>[,<name>[,<name>...]]". */
static int myslab_debug_block(const char *s, size_t len,
			      struct myslab_debug_spec *spec, const char **why)
{
	const char *end = s + len, *field, *comma;
	unsigned int flags;
	int err;

	comma = memchr(s, ',', len);
	err = myslab_debug_options(s, (comma ? comma : end) - s, &flags, why);
	if (err)
		return err;
	if (!comma) {
		if (spec->has_global) {
			*why = "two blocks without cache names";
			return -EINVAL;
		}
		spec->has_global = true;
		spec->global = flags;
		return 0;
	}
	for (field = comma + 1; ; field = comma + 1) {
		comma = memchr(field, ',', end - field);
		err = myslab_debug_name(field, (comma ? comma : end) - field,
					flags, spec, why);
		if (err || !comma)
			return err;
	}
}

/**
 * myslab_debug_parse() - parse a myslab_debug= value
 * @str: the value (NUL-terminated; one trailing newline is ignored)
 * @spec: filled in
 * @why: set to a short explanation when the value is refused
 *
 * Syntax, as slub_debug's: blocks separated by ';', each
 * "<options>[,<cache>[,<cache>...]]". Options are letters of F, Z, P, U, A
 * (either case) or a lone '-' for none; a cache is a name, or a prefix
 * ending in '*'. A block without names applies to every cache no other
 * block names; for a named cache, the first block naming it wins. An empty
 * value means no debugging. At most 255 characters and 16 names.
 *
 * Return: 0, or -EINVAL (nothing is set in @spec that means anything).
 */
int myslab_debug_parse(const char *str, struct myslab_debug_spec *spec,
		       const char **why)
{
	size_t len = strnlen(str, MYSLAB_DEBUG_SPEC_LEN), i;
	const char *block, *semi, *end;
	int err;

	memset(spec, 0, sizeof(*spec));
	*why = "";
	if (len == MYSLAB_DEBUG_SPEC_LEN) {
		*why = "longer than 255 characters";
		return -EINVAL;
	}
	if (len && str[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++) {
		if (str[i] <= ' ' || str[i] > '~') {
			*why = "blanks, control characters and non-ASCII bytes are not allowed";
			return -EINVAL;
		}
	}
	if (!len)
		return 0;
	end = str + len;
	for (block = str; ; block = semi + 1) {
		semi = memchr(block, ';', end - block);
		err = myslab_debug_block(block, (semi ? semi : end) - block,
					 spec, why);
		if (err) {
			memset(spec, 0, sizeof(*spec));
			return err;
		}
		if (!semi)
			return 0;
	}
}
EXPORT_SYMBOL_NS_GPL(myslab_debug_parse, MYSLAB_NS);

/**
 * myslab_debug_spec_string() - a parsed myslab_debug= value, written back
 * @spec: the value
 * @buf: output
 * @size: its size
 *
 * The global block first, then one block per name, so that parsing the
 * result gives @spec again. An empty spec gives "".
 *
 * Return: the length of the string (as snprintf()).
 */
int myslab_debug_spec_string(const struct myslab_debug_spec *spec, char *buf,
			     size_t size)
{
	char letters[8];
	unsigned int i;
	int len = 0;

	if (size)
		buf[0] = '\0';
	if (spec->has_global) {
		myslab_debug_flags_string(spec->global, letters, sizeof(letters));
		len += snprintf(buf, size, "%s", letters);
	}
	for (i = 0; i < spec->nr_rules; i++) {
		const struct myslab_debug_rule *rule = &spec->rules[i];

		myslab_debug_flags_string(rule->flags, letters, sizeof(letters));
		len += snprintf(buf + min_t(size_t, len, size),
				size - min_t(size_t, len, size), "%s%s,%s%s",
				len ? ";" : "", letters, rule->name,
				rule->prefix ? "*" : "");
	}
	return len;
}
EXPORT_SYMBOL_NS_GPL(myslab_debug_spec_string, MYSLAB_NS);

/**
 * myslab_debug_spec_flags() - the options a spec gives a cache name
 * @spec: the spec
 * @name: the cache name
 *
 * Return: MYSLAB_DEBUG_FLAGS bits: the first rule matching @name, else the
 * global block, else none.
 */
unsigned int myslab_debug_spec_flags(const struct myslab_debug_spec *spec,
				     const char *name)
{
	unsigned int i;

	for (i = 0; i < spec->nr_rules; i++)
		if (myslab_debug_rule_matches(&spec->rules[i], name))
			return spec->rules[i].flags;
	return spec->has_global ? spec->global : 0;
}
EXPORT_SYMBOL_NS_GPL(myslab_debug_spec_flags, MYSLAB_NS);

/* === The value in force === */

/*
 * Install the module's myslab_debug= value. Only while the module loads,
 * before any cache exists: creation reads it without a lock.
 */
void myslab_debug_set_spec(const struct myslab_debug_spec *spec)
{
	myslab_debug_spec = *spec;
}

/* The options myslab_debug= gives a cache of this name. */
unsigned int myslab_debug_flags_for(const char *name)
{
	return myslab_debug_spec_flags(&myslab_debug_spec, name);
}
