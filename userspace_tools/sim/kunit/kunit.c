// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit of the userspace build (kunit/test.h, kunit/resource.h): its
 * runtime, and a runner that runs every registered case and prints KTAP as
 * the kernel's executor does.
 *
 * Usage: <binary> [--list] [--no-fork] [--label L] [--timeout S] [--cpus N]
 *                 [--expect FILE] [GLOB...]
 *
 * A case runs when "suite.case" matches one of the GLOBs, or its suite
 * matches a GLOB without a dot (kunit.filter_glob's rule); all when none.
 * Each parameter of a parameterized case is a case of its own, counted as
 * kunit.py counts them. --list prints one line per case to run.
 *
 * Each case runs in a child process (a crash or a hang fails that case, not
 * the run; --timeout, default 300 s as KUnit's, bounds it), in a thread of
 * its own there, as the kernel runs it in a kthread. Around it the child
 * checks what a debug kernel would show: no WARNING splat (the sim's
 * WARN_ON and lock checker), no vmalloc area left behind, and, at its exit,
 * LeakSanitizer or valgrind look for leaks, once the module under test is
 * unloaded (sim_kunit_module_exit(): the process stands for a boot with the
 * module loaded, one case run, the module unloaded).
 *
 * With --expect (kunit_tests/suites.expect) the reports are judged as the
 * VM runner's console checker judges them (userspace_tools/vm/
 * check-console.py): a report is a message at warning level or worse that
 * starts with "myslab...: ", and one that no "plant <glob> <regex>" line of
 * the running case (its "suite.case[.parameter]" matching the glob)
 * accepts fails the case.
 *
 * Output: KTAP, the kernel's layout ("# Subtest:", plans, "ok N name",
 * "# SKIP reason", per-suite "# Totals:"), every case's plan known in
 * advance, so that a parameterized case has a plan too; then
 *	RESULT passed=N failed=N skipped=N
 * counting cases. The exit status is non-zero when a case failed.
 * Environment: SIM_TEST_SEED seeds the random source of every case.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <regex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <sim/runtime.h>
#include <sim/sim.h>

#include "kunit.h"

#define EXIT_SKIP	77

/* The suites: kunit_test_suites() puts pointers to them in this section. */
extern struct kunit_suite *__start_kunit_test_suites[] __attribute__((weak));
extern struct kunit_suite *__stop_kunit_test_suites[] __attribute__((weak));

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long seed = 0x5eed;

/* === Output === */

/* One line of output, "<indent><text>", whole even from several threads. */
static __printf(2, 0) void vout(const char *indent, const char *fmt, va_list args)
{
	char buf[1024];
	size_t len;

	vsnprintf(buf, sizeof(buf), fmt, args);
	len = strlen(buf);
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	pthread_mutex_lock(&out_lock);
	printf("%s%s\n", indent, buf);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static __printf(2, 3) void out(const char *indent, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vout(indent, fmt, args);
	va_end(args);
}

/* A diagnostic line of the case: "# <case>: <text>", at its indent. */
static __printf(2, 0) void case_vlog(struct kunit *test, const char *fmt,
				     va_list args)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, args);
	out(test->indent ? test->indent : KUNIT_SUBTEST_INDENT, "# %s: %s",
	    test->name, buf);
}

static __printf(2, 3) void case_log(struct kunit *test, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	case_vlog(test, fmt, args);
	va_end(args);
}

void kunit_info(struct kunit *test, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	case_vlog(test, fmt, args);
	va_end(args);
}

/* === Failing and skipping === */

void kunit_set_failure(struct kunit *test)
{
	WRITE_ONCE(test->status, KUNIT_FAILURE);
}

void kunit_mark_skipped(struct kunit *test, const char *fmt, ...)
{
	va_list args;

	/* A failure stays one: a skip never hides it. */
	if (READ_ONCE(test->status) != KUNIT_FAILURE)
		WRITE_ONCE(test->status, KUNIT_SKIPPED);
	va_start(args, fmt);
	vsnprintf(test->status_comment, sizeof(test->status_comment), fmt, args);
	va_end(args);
}

void __kunit_abort(struct kunit *test)
{
	if (pthread_equal(pthread_self(), test->thread) && test->abort_jmp)
		longjmp(*test->abort_jmp, 1);
	/*
	 * Another thread of the case (a kthread it started): the kernel's
	 * abort ends whichever kthread calls it, and so does this.
	 */
	case_log(test, "aborted from a thread other than the case's: that thread ends");
	kunit_set_failure(test);
	pthread_exit(NULL);
}

void __kunit_failed(struct kunit *test, enum kunit_assert_type type,
		    const char *file, int line, const char *what,
		    const char *fmt, ...)
{
	const char *indent = test->indent ? test->indent : KUNIT_SUBTEST_INDENT;
	char msg[512];
	const char *p, *nl;
	va_list args;

	kunit_set_failure(test);
	pthread_mutex_lock(&out_lock);
	printf("%s# %s: %s FAILED at %s:%d\n", indent, test->name,
	       type == KUNIT_ASSERTION ? "ASSERTION" : "EXPECTATION", file, line);
	for (p = what; p && *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		printf("%s%.*s\n", indent, (int)(nl - p), p);
		if (!*nl)
			break;
	}
	if (fmt) {
		va_start(args, fmt);
		vsnprintf(msg, sizeof(msg), fmt, args);
		va_end(args);
		printf("%s%s%s", indent, msg,
		       msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	}
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

/* Does @text spell @value (a literal the kernel does not print again)? */
static bool is_literal(const char *text, long long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", value);
	return !strcmp(text, buf);
}

void __kunit_int_text(char *buf, const char *left, const char *op,
		      const char *right, long long lval, long long rval)
{
	int n;

	n = snprintf(buf, KUNIT_ASSERT_TEXT_SIZE, "Expected %s %s %s, but",
		     left, op, right);
	if (!is_literal(left, lval) && n < KUNIT_ASSERT_TEXT_SIZE)
		n += snprintf(buf + n, KUNIT_ASSERT_TEXT_SIZE - n,
			      "\n    %s == %lld (0x%llx)", left, lval, lval);
	if (!is_literal(right, rval) && n < KUNIT_ASSERT_TEXT_SIZE)
		snprintf(buf + n, KUNIT_ASSERT_TEXT_SIZE - n,
			 "\n    %s == %lld (0x%llx)", right, rval, rval);
}

void __kunit_ptr_text(char *buf, const char *left, const char *op,
		      const char *right, const void *lval, const void *rval)
{
	snprintf(buf, KUNIT_ASSERT_TEXT_SIZE,
		 "Expected %s %s %s, but\n    %s == %p\n    %s == %p",
		 left, op, right, left, lval, right, rval);
}

void __kunit_str_text(char *buf, const char *left, const char *op,
		      const char *right, const char *lval, const char *rval)
{
	snprintf(buf, KUNIT_ASSERT_TEXT_SIZE,
		 "Expected %s %s %s, but\n    %s == \"%s\"\n    %s == \"%s\"",
		 left, op, right, left, lval, right, rval);
}

void __kunit_bool_text(char *buf, const char *cond, bool expected)
{
	snprintf(buf, KUNIT_ASSERT_TEXT_SIZE, "Expected %s to be %s, but is %s",
		 cond, expected ? "true" : "false", expected ? "false" : "true");
}

void __kunit_ptr_not_err_text(char *buf, const char *text, const void *ptr)
{
	if (!ptr)
		snprintf(buf, KUNIT_ASSERT_TEXT_SIZE,
			 "Expected %s is not null, but is", text);
	else
		snprintf(buf, KUNIT_ASSERT_TEXT_SIZE,
			 "Expected %s is not error, but is: %ld", text,
			 PTR_ERR(ptr));
}

/* === Resources === */

int __kunit_add_resource(struct kunit *test, kunit_resource_init_t init,
			 kunit_resource_free_t free, struct kunit_resource *res,
			 void *data)
{
	int ret;

	res->free = free;
	res->refcount = 1;
	INIT_LIST_HEAD(&res->node);
	if (init) {
		ret = init(res, data);
		if (ret)
			return ret;
	} else {
		res->data = data;
	}
	pthread_mutex_lock(&test->lock);
	list_add_tail(&res->node, &test->resources);
	pthread_mutex_unlock(&test->lock);
	return 0;
}

void *kunit_alloc_resource(struct kunit *test, kunit_resource_init_t init,
			   kunit_resource_free_t free, gfp_t internal_gfp,
			   void *context)
{
	struct kunit_resource *res = kzalloc(sizeof(*res), internal_gfp);

	if (!res)
		return NULL;
	res->should_kfree = true;
	if (!__kunit_add_resource(test, init, free, res, context))
		return res->data;
	kfree(res);
	return NULL;
}

void kunit_get_resource(struct kunit_resource *res)
{
	__atomic_fetch_add(&res->refcount, 1, __ATOMIC_RELAXED);
}

void kunit_put_resource(struct kunit_resource *res)
{
	if (__atomic_sub_fetch(&res->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	if (res->free)
		res->free(res);
	if (res->should_kfree)
		kfree(res);
}

/* The last match, as the kernel's (list_for_each_entry_reverse()). */
struct kunit_resource *kunit_find_resource(struct kunit *test,
					   kunit_resource_match_t match,
					   void *match_data)
{
	struct kunit_resource *res, *found = NULL;

	pthread_mutex_lock(&test->lock);
	list_for_each_entry_reverse(res, &test->resources, node) {
		if (match(test, res, match_data)) {
			found = res;
			kunit_get_resource(found);
			break;
		}
	}
	pthread_mutex_unlock(&test->lock);
	return found;
}

void kunit_remove_resource(struct kunit *test, struct kunit_resource *res)
{
	bool was_linked;

	pthread_mutex_lock(&test->lock);
	was_linked = !list_empty(&res->node);
	list_del_init(&res->node);
	pthread_mutex_unlock(&test->lock);
	if (was_linked)
		kunit_put_resource(res);
}

/* === Memory freed with the case === */

static int kmalloc_res_init(struct kunit_resource *res, void *context)
{
	res->data = context;
	return 0;
}

static void kmalloc_res_free(struct kunit_resource *res)
{
	kfree(res->data);
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp)
{
	void *p = kmalloc_array(n, size, gfp);

	if (!p)
		return NULL;
	if (!kunit_alloc_resource(test, kmalloc_res_init, kmalloc_res_free,
				  gfp, p)) {
		kfree(p);
		return NULL;
	}
	return p;
}

static bool kmalloc_res_match(struct kunit *test, struct kunit_resource *res,
			      void *match_data)
{
	return res->free == kmalloc_res_free && res->data == match_data;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct kunit_resource *res;

	if (!ptr)
		return;
	res = kunit_find_resource(test, kmalloc_res_match, (void *)ptr);
	if (!res) {
		KUNIT_FAIL(test, "kunit_kfree(%p): not allocated by this test", ptr);
		return;
	}
	kunit_remove_resource(test, res);
	kunit_put_resource(res);
}

/* === Reports: planted, or a failure (--expect) === */

struct plant {
	char *glob;		/* suite.case[.parameter] */
	regex_t rx;
};

static struct plant *plants;
static int nr_plants;
static bool judge_reports;
static regex_t report_rx, not_report_rx;
/* The case running in this process, for the log hook. */
static struct kunit *report_test;
static char report_path[512];

/*
 * A Python regex of suites.expect as a POSIX extended one: the classes
 * \d \s \S \w spelled out, every other escape kept (an escaped special
 * character is itself in both).
 */
static void compile_python_regex(regex_t *rx, const char *py, const char *where)
{
	char ere[1024], err[256];
	size_t n = 0;
	const char *cls;
	int rc;

	for (; *py && n < sizeof(ere) - 16; py++) {
		if (*py != '\\' || !py[1]) {
			ere[n++] = *py;
			continue;
		}
		py++;
		cls = *py == 'd' ? "[0-9]" :
		      *py == 's' ? "[[:space:]]" :
		      *py == 'S' ? "[^[:space:]]" :
		      *py == 'w' ? "[[:alnum:]_]" : NULL;
		if (cls) {
			n += snprintf(ere + n, sizeof(ere) - n, "%s", cls);
		} else {
			ere[n++] = '\\';
			ere[n++] = *py;
		}
	}
	ere[n] = '\0';
	rc = regcomp(rx, ere, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		regerror(rc, rx, err, sizeof(err));
		fprintf(stderr, "kunit: %s: bad regex '%s': %s\n", where, ere, err);
		exit(2);
	}
}

/* The "plant <glob> <regex>" lines of @file ("suite" lines are the VM runner's). */
static void read_expectations(const char *file)
{
	char line[1024], where[1100], *glob, *regex, *nl;
	unsigned int nr = 0;
	FILE *f = fopen(file, "r");

	if (!f) {
		fprintf(stderr, "kunit: %s: %s\n", file, strerror(errno));
		exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		nr++;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(line, "plant", 5) || !isspace((unsigned char)line[5]))
			continue;
		glob = line + 5 + strspn(line + 5, " \t");
		regex = glob + strcspn(glob, " \t");
		if (!*regex) {
			fprintf(stderr, "kunit: %s:%u: malformed plant line\n", file, nr);
			exit(2);
		}
		*regex++ = '\0';
		regex += strspn(regex, " \t");
		plants = realloc(plants, (nr_plants + 1) * sizeof(*plants));
		if (plants)
			plants[nr_plants].glob = strdup(glob);
		if (!plants || !plants[nr_plants].glob) {
			fprintf(stderr, "kunit: out of memory\n");
			exit(2);
		}
		snprintf(where, sizeof(where), "%s:%u", file, nr);
		compile_python_regex(&plants[nr_plants].rx, regex, where);
		nr_plants++;
	}
	fclose(f);
	compile_python_regex(&report_rx, "^myslab[A-Za-z0-9_]*: ", "report");
	compile_python_regex(&not_report_rx, "^myslab[A-Za-z0-9_]*: \\d+ callbacks suppressed$",
			     "not a report");
	judge_reports = true;
}

static bool planted(const char *text)
{
	int i;

	for (i = 0; i < nr_plants; i++)
		if (!fnmatch(plants[i].glob, report_path, 0) &&
		    !regexec(&plants[i].rx, text, 0, NULL, 0))
			return true;
	return false;
}

/* The sim's log hook: each line of a message, judged. */
static void judge_message(int level, const char *msg, void *arg)
{
	char line[512];
	const char *p, *nl;

	/* Splats (level -1) are counted apart; info and debug are no reports. */
	if (level < 0 || level > SIM_LOG_WARNING || !report_test)
		return;
	for (p = msg; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(nl - p), p);
		if (regexec(&report_rx, line, 0, NULL, 0) ||
		    !regexec(&not_report_rx, line, 0, NULL, 0) || planted(line))
			continue;
		KUNIT_FAIL(report_test, "unplanned myslab report (not declared in --expect): %s",
			   line);
	}
}

/* === Running a case === */

struct case_run {
	struct kunit_suite *suite;
	struct kunit_case *tc;
	struct kunit test;
};

/* Free the resources, the last added first; an abort in one goes on. */
static void cleanup_resources(struct kunit *test)
{
	struct kunit_resource *res;
	jmp_buf env;

	test->abort_jmp = &env;
	setjmp(env);
	for (;;) {
		pthread_mutex_lock(&test->lock);
		if (list_empty(&test->resources)) {
			pthread_mutex_unlock(&test->lock);
			break;
		}
		res = list_last_entry(&test->resources, struct kunit_resource, node);
		/* Unlocked: freeing one may remove another. */
		pthread_mutex_unlock(&test->lock);
		kunit_remove_resource(test, res);
	}
	test->abort_jmp = NULL;
}

/*
 * What the kernel warns of when a kthread ends in the wrong state: a case
 * must end as it began, preemptible, interrupts on, no lock held.
 */
static void check_context(struct kunit *test)
{
	if (!sim_self.preempt_count && !sim_self.irqs_disabled &&
	    !sim_self.migrate_disabled && !sim_self.nr_held)
		return;
	KUNIT_FAIL(test, "the case ended in atomic context: preempt_count %d, interrupts %s, migrate_disable %d, %d locks held",
		   sim_self.preempt_count, sim_self.irqs_disabled ? "off" : "on",
		   sim_self.migrate_disabled, sim_self.nr_held);
}

/* The case's thread: init, the case, exit, the resources. */
static void *case_thread(void *arg)
{
	struct case_run *run = arg;
	struct kunit *test = &run->test;
	struct kunit_suite *suite = run->suite;
	jmp_buf env;
	int err;

	current->kunit_test = test;
	test->thread = pthread_self();
	test->abort_jmp = &env;
	if (!setjmp(env)) {
		err = suite->init ? suite->init(test) : 0;
		if (err) {
			case_log(test, "failed to initialize: %d", err);
			kunit_set_failure(test);
		} else {
			run->tc->run_case(test);
		}
	}
	/* As kunit_run_case_cleanup(): exit even after a failed init. */
	test->abort_jmp = &env;
	if (!setjmp(env) && suite->exit)
		suite->exit(test);
	cleanup_resources(test);
	current->kunit_test = NULL;
	check_context(test);
	return NULL;
}

/* What a case's process tells the runner besides its exit status. */
struct case_outcome {
	enum kunit_status status;
	char comment[KUNIT_STATUS_COMMENT_SIZE];
};

/*
 * Run one case (one parameter of a parameterized one) in this process.
 * Return: 0 passed, 1 failed, EXIT_SKIP skipped; @outcome says the same.
 */
static int run_case_here(struct kunit_suite *suite, struct kunit_case *tc,
			 const void *param, int index, const char *desc,
			 const char *indent, struct case_outcome *outcome)
{
	struct case_run *run = calloc(1, sizeof(*run));
	struct kunit *test;
	unsigned long splats0 = sim_splats();
	long vmalloc0 = sim_vmalloc_live();
	pthread_t thread;
	int err;

	if (!run) {
		out(indent, "# %s: out of memory", tc->name);
		return 1;
	}
	test = &run->test;
	run->suite = suite;
	run->tc = tc;
	test->name = tc->name;
	test->param_value = param;
	test->param_index = index;
	test->indent = indent;
	pthread_mutex_init(&test->lock, NULL);
	INIT_LIST_HEAD(&test->resources);
	sim_seed_random(seed);
	snprintf(report_path, sizeof(report_path), "%s.%s%s%s", suite->name,
		 tc->name, desc ? "." : "", desc ? desc : "");
	fprintf(stderr, "==== %s\n", report_path);
	WRITE_ONCE(report_test, test);

	err = suite->suite_init ? suite->suite_init(suite) : 0;
	if (err) {
		case_log(test, "suite %s failed to initialize: %d", suite->name, err);
		kunit_set_failure(test);
	} else {
		err = pthread_create(&thread, NULL, case_thread, run);
		if (err) {
			case_log(test, "cannot start the case's thread: %s", strerror(err));
			kunit_set_failure(test);
		} else {
			pthread_join(thread, NULL);
		}
		if (suite->suite_exit)
			suite->suite_exit(suite);
	}

	WRITE_ONCE(report_test, NULL);
	/*
	 * What a debug kernel's console would show. Leaks of kmalloc memory
	 * are LeakSanitizer's or valgrind's to find at exit; vmalloc areas,
	 * which the sim keeps on a list, are counted here.
	 */
	if (sim_splats() != splats0)
		KUNIT_FAIL(test, "%lu WARNING splats during the case (see the log)",
			   sim_splats() - splats0);
	if (sim_vmalloc_live() != vmalloc0)
		KUNIT_FAIL(test, "%ld vmalloc areas left behind",
			   sim_vmalloc_live() - vmalloc0);

	outcome->status = READ_ONCE(test->status);
	snprintf(outcome->comment, sizeof(outcome->comment), "%s",
		 test->status_comment);
	free(run);
	switch (outcome->status) {
	case KUNIT_SUCCESS:
		return 0;
	case KUNIT_SKIPPED:
		return EXIT_SKIP;
	default:
		return 1;
	}
}

static bool fork_cases = true;
static unsigned int timeout_s = 300;

/* Run one case in a child process; the outcome, whatever became of it. */
static enum kunit_status run_case(struct kunit_suite *suite,
				  struct kunit_case *tc, const void *param,
				  int index, const char *desc,
				  const char *indent, char *comment)
{
	struct case_outcome *outcome;
	enum kunit_status status;
	int rc, wstatus;
	pid_t pid;

	outcome = mmap(NULL, sizeof(*outcome), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (outcome == MAP_FAILED) {
		out(indent, "# %s: mmap: %s", tc->name, strerror(errno));
		return KUNIT_FAILURE;
	}
	outcome->status = KUNIT_FAILURE;
	outcome->comment[0] = '\0';

	if (!fork_cases) {
		rc = run_case_here(suite, tc, param, index, desc, indent, outcome);
		goto done;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		out(indent, "# %s: fork: %s", tc->name, strerror(errno));
		rc = 1;
		goto done;
	}
	if (!pid) {
		alarm(timeout_s);
		rc = run_case_here(suite, tc, param, index, desc, indent, outcome);
		/* The module goes with the process: unloaded before the leak check. */
		sim_kunit_module_exit();
		fflush(stdout);
		exit(rc);	/* exit(), not _exit(): leak checkers run at exit */
	}
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(wstatus)) {
		out(indent, "# %s: killed by signal %d%s", tc->name,
		    WTERMSIG(wstatus), WTERMSIG(wstatus) == SIGALRM ?
		    " (time limit: hung?)" : " (see the log)");
		rc = 1;
	} else {
		rc = WEXITSTATUS(wstatus);
		if (rc != 0 && rc != 1 && rc != EXIT_SKIP) {
			out(indent, "# %s: exit status %d (a sanitizer, leak or memcheck report: see the log)",
			    tc->name, rc);
			rc = 1;
		}
	}
done:
	/* The exit status and the outcome must agree (a leak checker at exit). */
	status = outcome->status;
	if (rc == 1 && status != KUNIT_FAILURE) {
		if (fork_cases)
			out(indent, "# %s: the process failed after the case ended (a leak or memcheck report: see the log)",
			    tc->name);
		status = KUNIT_FAILURE;
	}
	snprintf(comment, KUNIT_STATUS_COMMENT_SIZE, "%s", outcome->comment);
	munmap(outcome, sizeof(*outcome));
	return status;
}

/* === The runner === */

struct stats {
	unsigned long passed, failed, skipped;
};

static void count(struct stats *s, enum kunit_status status)
{
	if (status == KUNIT_SUCCESS)
		s->passed++;
	else if (status == KUNIT_SKIPPED)
		s->skipped++;
	else
		s->failed++;
}

static unsigned long total(const struct stats *s)
{
	return s->passed + s->failed + s->skipped;
}

static char **globs;
static int nr_globs;

static bool selected(const struct kunit_suite *suite, const struct kunit_case *tc)
{
	char full[256];
	int i;

	if (!nr_globs)
		return true;
	snprintf(full, sizeof(full), "%s.%s", suite->name, tc->name);
	for (i = 0; i < nr_globs; i++) {
		if (strchr(globs[i], '.') ? !fnmatch(globs[i], full, 0) :
		    !fnmatch(globs[i], suite->name, 0))
			return true;
	}
	return false;
}

static unsigned int nr_selected_cases(struct kunit_suite *suite)
{
	struct kunit_case *tc;
	unsigned int n = 0;

	for (tc = suite->test_cases; tc->run_case; tc++)
		n += selected(suite, tc);
	return n;
}

/* A result line: "ok N name", "not ok N name" or "ok N name # SKIP why". */
static void result_line(const char *indent, enum kunit_status status,
			unsigned int n, const char *name, const char *comment)
{
	out(indent, "%s %u %s%s%s", status == KUNIT_FAILURE ? "not ok" : "ok",
	    n, name, status == KUNIT_SKIPPED ? " # SKIP " : "",
	    status == KUNIT_SKIPPED ? comment : "");
}

/* A parameter's description, as the kernel names one without: param-N. */
static void param_name(char *desc, int index)
{
	if (!desc[0])
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "param-%d", index);
}

static unsigned int nr_params(struct kunit_case *tc)
{
	char desc[KUNIT_PARAM_DESC_SIZE] = "";
	const void *param;
	unsigned int n = 0;

	for (param = tc->generate_params(NULL, desc); param;
	     param = tc->generate_params(param, desc))
		n++;
	return n;
}

static void list_cases(void)
{
	char desc[KUNIT_PARAM_DESC_SIZE];
	struct kunit_suite **sp;
	struct kunit_case *tc;
	const void *param;
	int i;

	for (sp = __start_kunit_test_suites; sp < __stop_kunit_test_suites; sp++) {
		for (tc = (*sp)->test_cases; tc->run_case; tc++) {
			if (!selected(*sp, tc))
				continue;
			if (!tc->generate_params) {
				printf("%s.%s\n", (*sp)->name, tc->name);
				continue;
			}
			desc[0] = '\0';
			for (i = 0, param = tc->generate_params(NULL, desc); param;
			     i++, param = tc->generate_params(param, desc)) {
				param_name(desc, i);
				printf("%s.%s.%s\n", (*sp)->name, tc->name, desc);
				desc[0] = '\0';
			}
		}
	}
}

/* The kernel's kunit_run_tests(), for one suite; @all gets its cases. */
static enum kunit_status run_suite(struct kunit_suite *suite, unsigned int nr,
				   struct stats *all)
{
	char desc[KUNIT_PARAM_DESC_SIZE], comment[KUNIT_STATUS_COMMENT_SIZE];
	struct stats suite_stats = {}, total_stats = {};
	enum kunit_status status, case_status;
	struct kunit_case *tc;
	const void *param;
	unsigned int n = 0;
	int i;

	out(KUNIT_SUBTEST_INDENT, "KTAP version 1");
	out(KUNIT_SUBTEST_INDENT, "# Subtest: %s", suite->name);
	out(KUNIT_SUBTEST_INDENT, "1..%u", nr);
	for (tc = suite->test_cases; tc->run_case; tc++) {
		struct stats param_stats = {};

		if (!selected(suite, tc))
			continue;
		n++;
		comment[0] = '\0';
		if (!tc->generate_params) {
			case_status = run_case(suite, tc, NULL, 0, NULL,
					       KUNIT_SUBTEST_INDENT, comment);
			count(&param_stats, case_status);
		} else {
			out(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT, "KTAP version 1");
			out(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT, "# Subtest: %s",
			    tc->name);
			out(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT, "1..%u",
			    nr_params(tc));
			/*
			 * The case's status, as the kernel propagates the
			 * parameters': failed if one failed, else passed if
			 * one passed, else skipped.
			 */
			case_status = KUNIT_SKIPPED;
			desc[0] = '\0';
			for (i = 0, param = tc->generate_params(NULL, desc); param;
			     i++, param = tc->generate_params(param, desc)) {
				param_name(desc, i);
				status = run_case(suite, tc, param, i, desc,
						  KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT,
						  comment);
				result_line(KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT,
					    status, i + 1, desc, comment);
				count(&param_stats, status);
				if (status == KUNIT_FAILURE)
					case_status = KUNIT_FAILURE;
				else if (case_status != KUNIT_FAILURE &&
					 status == KUNIT_SUCCESS)
					case_status = KUNIT_SUCCESS;
				desc[0] = '\0';
			}
			out(KUNIT_SUBTEST_INDENT,
			    "# %s: pass:%lu fail:%lu skip:%lu total:%lu", tc->name,
			    param_stats.passed, param_stats.failed,
			    param_stats.skipped, total(&param_stats));
			/* A parameterized case's skip comment: all skipped. */
			if (case_status != KUNIT_SKIPPED)
				comment[0] = '\0';
		}
		result_line(KUNIT_SUBTEST_INDENT, case_status, n, tc->name, comment);
		count(&suite_stats, case_status);
		total_stats.passed += param_stats.passed;
		total_stats.failed += param_stats.failed;
		total_stats.skipped += param_stats.skipped;
	}
	out(KUNIT_SUBTEST_INDENT, "# %s: pass:%lu fail:%lu skip:%lu total:%lu",
	    suite->name, suite_stats.passed, suite_stats.failed,
	    suite_stats.skipped, total(&suite_stats));
	out(KUNIT_SUBTEST_INDENT, "# Totals: pass:%lu fail:%lu skip:%lu total:%lu",
	    total_stats.passed, total_stats.failed, total_stats.skipped,
	    total(&total_stats));
	all->passed += total_stats.passed;
	all->failed += total_stats.failed;
	all->skipped += total_stats.skipped;
	if (suite_stats.failed)
		return KUNIT_FAILURE;
	return suite_stats.passed || !suite_stats.skipped ? KUNIT_SUCCESS :
							    KUNIT_SKIPPED;
}

/* Loading and unloading the module under test (kunit/kunit.h); by default nothing. */
__attribute__((weak)) void sim_kunit_module_init(void)
{
}

__attribute__((weak)) void sim_kunit_module_exit(void)
{
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--list] [--no-fork] [--label L] [--timeout S] [--cpus N] [--expect FILE] [GLOB...]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	struct kunit_suite **sp;
	struct stats all = {};
	enum kunit_status status;
	const char *label = NULL, *env;
	unsigned int nr_suites = 0, n = 0, nr;
	bool list = false;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--list"))
			list = true;
		else if (!strcmp(argv[i], "--no-fork"))
			fork_cases = false;
		else if (!strcmp(argv[i], "--label") && i + 1 < argc)
			label = argv[++i];
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout_s = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--cpus") && i + 1 < argc)
			sim_set_nr_cpus(strtoul(argv[++i], NULL, 0));
		else if (!strcmp(argv[i], "--expect") && i + 1 < argc)
			read_expectations(argv[++i]);
		else
			usage(argv[0]);
	}
	globs = argv + i;
	nr_globs = argc - i;
	env = getenv("SIM_TEST_SEED");
	if (env)
		seed = strtoull(env, NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (list) {
		list_cases();
		return 0;
	}
	if (judge_reports)
		sim_set_log_hook(judge_message, NULL);
	sim_kunit_module_init();
	for (sp = __start_kunit_test_suites; sp < __stop_kunit_test_suites; sp++)
		nr_suites += nr_selected_cases(*sp) > 0;
	printf("KTAP version 1\n");
	if (label)
		printf("# label: %s\n", label);
	printf("1..%u\n", nr_suites);
	for (sp = __start_kunit_test_suites; sp < __stop_kunit_test_suites; sp++) {
		nr = nr_selected_cases(*sp);
		if (!nr)
			continue;
		status = run_suite(*sp, nr, &all);
		result_line("", status, ++n, (*sp)->name, "");
	}
	if (!fork_cases)
		sim_kunit_module_exit();
	printf("RESULT passed=%lu failed=%lu skipped=%lu\n", all.passed,
	       all.failed, all.skipped);
	return all.failed ? 1 : 0;
}
