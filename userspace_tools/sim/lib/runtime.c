// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace runtime behind the shim headers: CPU numbers, per-CPU
 * areas, printk/WARN/BUG accounting, metadata allocation with failure
 * injection, the random source and kstrto*(). The lock checker is in
 * lock.c, region memory providers in mem.c.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sim/runtime.h>
#include <sim/sim.h>

__thread struct sim_thread sim_self = { .cpu = -1 };
/* linux/cpu.h: holds of the (pretend) CPU hotplug lock. */
__thread int sim_cpus_read_held;

/* === The kernel's zeroing policy (linux/mm.h) === */

bool sim_init_on_alloc;
bool sim_init_on_free;

/* === CPUs and per-CPU areas === */

unsigned int nr_cpu_ids = 4;
static unsigned int next_cpu;
static long percpu_live;

void sim_set_nr_cpus(unsigned int nr)
{
	if (nr < 1 || nr > SIM_MAX_CPUS || __atomic_load_n(&percpu_live, __ATOMIC_RELAXED))
		sim_bug(__FILE__, __LINE__, "sim_set_nr_cpus() with per-CPU areas live or nr == 0");
	nr_cpu_ids = nr;
	next_cpu = 0;
}

unsigned int sim_nr_cpus(void)
{
	return nr_cpu_ids;
}

void sim_set_cpu(int cpu)
{
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids)
		sim_bug(__FILE__, __LINE__, "sim_set_cpu() out of range");
	/* A thread in a non-preemptible section cannot move. */
	if (sim_self.preempt_count || sim_self.migrate_disabled)
		sim_bug(__FILE__, __LINE__, "sim_set_cpu() with preemption disabled");
	sim_self.cpu = cpu;
}

/*
 * A CPU runs one non-preemptible section at a time: several threads may
 * share a CPU number, so the outermost preempt_disable() of a thread holds
 * its CPU until the section ends (sim_cpu_enter()). Not a sim_lock: it
 * stands for the CPU, not for a lock the checker should order.
 */
struct sim_cpu_state sim_cpus[SIM_MAX_CPUS];

/* The CPU is in another thread's section: yield until it is free. */
void sim_cpu_wait(int cpu)
{
	do {
		while (__atomic_load_n(&sim_cpus[cpu].busy, __ATOMIC_RELAXED))
			sched_yield();
	} while (__atomic_exchange_n(&sim_cpus[cpu].busy, 1, __ATOMIC_ACQUIRE));
}

int sim_cpu(void)
{
	if (sim_self.cpu < 0 || (unsigned int)sim_self.cpu >= nr_cpu_ids)
		sim_self.cpu = __atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) %
			       nr_cpu_ids;
	return sim_self.cpu;
}

int sim_cpu_checked(const char *what, const char *file, int line)
{
#if SIM_CHECKS
	if (!sim_self.preempt_count && !sim_self.irqs_disabled &&
	    !sim_self.migrate_disabled)
		sim_warn(file, line, what,
			 "BUG: using %s() in preemptible code", what);
#endif
	return sim_cpu();
}

void *sim_alloc_percpu(size_t size)
{
	void *p = sim_kmalloc(SIM_PERCPU_STRIDE(size) * nr_cpu_ids, true);

	if (p)
		__atomic_fetch_add(&percpu_live, 1, __ATOMIC_RELAXED);
	return p;
}

void sim_free_percpu(void *ptr)
{
	if (!ptr)
		return;
	__atomic_fetch_sub(&percpu_live, 1, __ATOMIC_RELAXED);
	sim_kfree(ptr);
}

/* === Log === */

static unsigned long log_counts[SIM_LOG_NR_LEVELS];
static unsigned long splat_count;
static bool quiet;
static void (*log_hook)(int level, const char *msg, void *arg);
static void *log_hook_arg;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char last_message[512];

static const char *const level_tags[SIM_LOG_NR_LEVELS] = {
	"EMERG", "ALERT", "CRIT", "ERR", "WARN", "NOTICE", "INFO", "DEBUG",
};

static void log_line(int level, const char *msg, bool splat)
{
	pthread_mutex_lock(&log_lock);
	if (level >= 0)
		log_counts[level]++;
	if (splat)
		splat_count++;
	snprintf(last_message, sizeof(last_message), "%s", msg);
	if (!quiet) {
		char cpu[16] = "-";

		if (sim_self.cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", sim_self.cpu);
		fprintf(stderr, "[cpu%s %s] %s%s", cpu,
			level >= 0 ? level_tags[level] : "SPLAT", msg,
			msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
	}
	pthread_mutex_unlock(&log_lock);
	if (log_hook)
		log_hook(level, msg, log_hook_arg);
}

void sim_printk(const char *fmt, ...)
{
	char buf[512];
	int level = SIM_LOG_WARNING;	/* the kernel's default loglevel */
	va_list ap;

	if (fmt[0] == '\001' && fmt[1]) {
		if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 2;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	log_line(level, buf, false);
}

void sim_warn(const char *file, int line, const char *cond, const char *fmt, ...)
{
	char msg[400], buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(buf, sizeof(buf), "WARNING: %s:%d: %s%s%s", file, line,
		 msg[0] ? msg : "WARN_ON(", msg[0] ? "" : cond,
		 msg[0] ? "" : ")");
	log_line(-1, buf, true);
}

void sim_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "kernel BUG at %s:%d: %s\n", file, line, cond);
	abort();
}

unsigned long sim_errors(void)
{
	unsigned long n;

	pthread_mutex_lock(&log_lock);
	n = log_counts[SIM_LOG_EMERG] + log_counts[SIM_LOG_ALERT] +
	    log_counts[SIM_LOG_CRIT] + log_counts[SIM_LOG_ERR];
	pthread_mutex_unlock(&log_lock);
	return n;
}

unsigned long sim_warnings(void)
{
	unsigned long n;

	pthread_mutex_lock(&log_lock);
	n = log_counts[SIM_LOG_WARNING];
	pthread_mutex_unlock(&log_lock);
	return n;
}

unsigned long sim_splats(void)
{
	unsigned long n;

	pthread_mutex_lock(&log_lock);
	n = splat_count;
	pthread_mutex_unlock(&log_lock);
	return n;
}

const char *sim_last_message(void)
{
	return last_message;
}

void sim_set_quiet(bool q)
{
	quiet = q;
}

void sim_set_log_hook(void (*hook)(int level, const char *msg, void *arg),
		      void *arg)
{
	log_hook = hook;
	log_hook_arg = arg;
}

/* === Atomic context === */

void sim_might_sleep(const char *file, int line)
{
#if SIM_CHECKS
	if (sim_self.preempt_count || sim_self.irqs_disabled)
		sim_warn(file, line, "might_sleep",
			 "BUG: sleeping function called from invalid context: preempt_count %d, irqs_disabled %d",
			 sim_self.preempt_count, sim_self.irqs_disabled);
#else
	(void)file;
	(void)line;
#endif
}

/* === Metadata allocations === */

static unsigned long fail_countdown;
static long kmalloc_live;

void sim_fail_kmalloc(unsigned long nth)
{
	__atomic_store_n(&fail_countdown, nth, __ATOMIC_RELAXED);
}

long sim_kmalloc_live(void)
{
	return __atomic_load_n(&kmalloc_live, __ATOMIC_RELAXED);
}

static bool fail_this_one(void)
{
	unsigned long n = __atomic_load_n(&fail_countdown, __ATOMIC_RELAXED);

	while (n) {
		if (__atomic_compare_exchange_n(&fail_countdown, &n, n - 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return n == 1;
	}
	return false;
}

void *sim_kmalloc(size_t size, bool zero)
{
	void *p;

	if (fail_this_one())
		return NULL;
	/* Cache-line aligned, like kmalloc objects of 64 bytes and more. */
	if (posix_memalign(&p, 64, size ? size : 1))
		return NULL;
	if (zero)
		memset(p, 0, size);
	__atomic_fetch_add(&kmalloc_live, 1, __ATOMIC_RELAXED);
	return p;
}

void sim_kfree(const void *ptr)
{
	if ((unsigned long)ptr <= 16)	/* NULL and ZERO_SIZE_PTR */
		return;
	__atomic_fetch_sub(&kmalloc_live, 1, __ATOMIC_RELAXED);
	free((void *)ptr);
}

/* === Random source: splitmix64 === */

static uint64_t random_state = 0x6d79736c6162ULL;	/* "myslab" */

void sim_seed_random(uint64_t seed)
{
	__atomic_store_n(&random_state, seed, __ATOMIC_RELAXED);
}

uint64_t sim_random_u64(void)
{
	uint64_t z = __atomic_add_fetch(&random_state, 0x9e3779b97f4a7c15ULL,
					__ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* === kstrto*(): lib/kstrtox.c's rules === */

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	unsigned long long v = 0;
	int digits = 0;

	if (*s == '+')
		s++;
	if (base == 0 || base == 16) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    ((s[2] >= '0' && s[2] <= '9') || ((s[2] | 0x20) >= 'a' && (s[2] | 0x20) <= 'f'))) {
			s += 2;
			base = 16;
		} else if (base == 0) {
			base = s[0] == '0' ? 8 : 10;
		}
	}
	for (; *s; s++, digits++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')
			d = (*s | 0x20) - 'a' + 10;
		else
			break;
		if (d >= base)
			break;
		if (__builtin_mul_overflow(v, base, &v) ||
		    __builtin_add_overflow(v, d, &v))
			return -ERANGE;
	}
	if (!digits)
		return -EINVAL;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int err;

	if (*s == '-') {
		err = kstrtoull(s + 1, base, &v);
		if (err)
			return err;
		if (v > (unsigned long long)LLONG_MAX + 1)
			return -ERANGE;
		*res = -(long long)v;
		return 0;
	}
	err = kstrtoull(s, base, &v);
	if (err)
		return err;
	if (v > LLONG_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}
