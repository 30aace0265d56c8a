// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace runtime behind the shim headers: CPU numbers, per-CPU
 * areas, printk/WARN/BUG accounting, metadata allocation with failure
 * injection, the random source and kstrto*(). The lock checker is in
 * lock.c, region memory providers in mem.c.
 */
#include <errno.h>
#include <limits.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sim/runtime.h>
#include <sim/sim.h>

__thread struct sim_thread sim_self = { .cpu = -1, .cpu_slow = 1, .busy_cpu = -1 };
/* linux/cpu.h: holds of the (pretend) CPU hotplug lock. */
__thread int sim_cpus_read_held;

/* === The kernel's zeroing policy (linux/mm.h) === */

bool sim_init_on_alloc;
bool sim_init_on_free;

/* === CPUs and per-CPU areas === */

unsigned int nr_cpu_ids = 4;
static unsigned int next_cpu;
static long percpu_live;

static void cpu_leave(struct sim_thread *t);
static unsigned int cpu_nr_bound(unsigned int cpu);
static void bind_init(void);

void sim_set_nr_cpus(unsigned int nr)
{
	unsigned int cpu;

	if (nr < 1 || nr > SIM_MAX_CPUS || __atomic_load_n(&percpu_live, __ATOMIC_RELAXED))
		sim_bug(__FILE__, __LINE__, "sim_set_nr_cpus() with per-CPU areas live or nr == 0");
	/*
	 * No thread may stay bound beyond the new count: sim_cpu_current()
	 * only checks that a thread has a CPU. The caller moves itself.
	 */
	if (sim_self.cpu >= (int)nr)
		cpu_leave(&sim_self);
	for (cpu = nr; cpu < SIM_MAX_CPUS; cpu++)
		if (cpu_nr_bound(cpu))
			sim_bug(__FILE__, __LINE__, "sim_set_nr_cpus() below a CPU with threads");
	nr_cpu_ids = nr;
	next_cpu = 0;
}

unsigned int sim_nr_cpus(void)
{
	return nr_cpu_ids;
}

/*
 * A CPU runs one non-preemptible section at a time; sim/runtime.h says how
 * (the alone and shared modes) and why a CPU counts the threads bound to it.
 * Not a sim_lock: it stands for the CPU, not for a lock the checker should
 * order.
 */
struct sim_cpu_state sim_cpus[SIM_MAX_CPUS];

/*
 * Who is bound where. Each CPU's bind lock orders its list of threads and
 * their @cpu_slow; a thread moving leaves its CPU under that CPU's lock, then
 * joins the new one under the new one's, never holding both. A joiner may
 * wait under the lock for a section to end, as a task migrating to a CPU
 * waits for that CPU to run it.
 */
struct sim_cpu_bind {
	pthread_mutex_t lock;
	struct sim_thread *threads;	/* by next_bound */
	unsigned int nr_threads;
};

static struct sim_cpu_bind cpu_binds[SIM_MAX_CPUS];
static pthread_once_t bind_once = PTHREAD_ONCE_INIT;
static pthread_key_t bind_key;		/* its destructor unbinds an exiting thread */
/* membarrier(2) registered: a CPU with one thread needs no flag. */
static bool have_membarrier;

static int membarrier(int cmd)
{
	return (int)syscall(__NR_membarrier, cmd, 0, 0);
}

static void cpu_binds_reset(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < SIM_MAX_CPUS; cpu++) {
		pthread_mutex_init(&cpu_binds[cpu].lock, NULL);
		cpu_binds[cpu].threads = NULL;
		cpu_binds[cpu].nr_threads = 0;
		sim_cpus[cpu].busy = 0;
	}
}

/* The calling thread leaves its CPU; it is in no section. */
static void cpu_leave(struct sim_thread *t)
{
	struct sim_cpu_bind *b;
	struct sim_thread **pp;

	if (t->cpu < 0)
		return;
	b = &cpu_binds[t->cpu];
	pthread_mutex_lock(&b->lock);
	for (pp = &b->threads; *pp != t; pp = &(*pp)->next_bound)
		;
	*pp = t->next_bound;
	/*
	 * The thread left alone needs no flag from its next section on. A
	 * section of it that took the flag still gives it back (@busy_cpu);
	 * the release orders this thread's last section before the other's
	 * next, which loads @cpu_slow with acquire.
	 */
	if (--b->nr_threads == 1 && have_membarrier)
		__atomic_store_n(&b->threads->cpu_slow, 0, __ATOMIC_RELEASE);
	t->cpu = -1;
	t->cpu_slow = 1;
	pthread_mutex_unlock(&b->lock);
}

/* The calling thread joins @cpu; it is in no section, bound to no CPU. */
static void cpu_join(struct sim_thread *t, int cpu)
{
	struct sim_cpu_bind *b = &cpu_binds[cpu];
	struct sim_thread *alone;

	pthread_mutex_lock(&b->lock);
	alone = b->threads;
	if (b->nr_threads == 1 && have_membarrier) {
		/*
		 * @alone enters sections without the flag. Once the
		 * membarrier returns, each section it starts sees @cpu_slow
		 * and takes the flag, and one it started before shows in its
		 * preempt count (sim/runtime.h): wait for that one to end,
		 * but not for later ones, which set @busy_cpu (release, after
		 * the end of the one before).
		 */
		__atomic_store_n(&alone->cpu_slow, 1, __ATOMIC_RELAXED);
		if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED))
			sim_bug(__FILE__, __LINE__, "membarrier() failed once registered");
		while (__atomic_load_n(&alone->preempt_count, __ATOMIC_ACQUIRE) &&
		       __atomic_load_n(&alone->busy_cpu, __ATOMIC_ACQUIRE) < 0)
			sched_yield();
	}
	t->next_bound = b->threads;
	b->threads = t;
	b->nr_threads++;
	t->cpu = cpu;
	/* Alone on the CPU: the lock orders the last thread's sections first. */
	t->cpu_slow = b->nr_threads > 1 || !have_membarrier;
	pthread_mutex_unlock(&b->lock);
}

static unsigned int cpu_nr_bound(unsigned int cpu)
{
	struct sim_cpu_bind *b = &cpu_binds[cpu];
	unsigned int nr;

	pthread_once(&bind_once, bind_init);
	pthread_mutex_lock(&b->lock);
	nr = b->nr_threads;
	pthread_mutex_unlock(&b->lock);
	return nr;
}

unsigned int sim_cpu_threads(unsigned int cpu)
{
	return cpu < SIM_MAX_CPUS ? cpu_nr_bound(cpu) : 0;
}

bool sim_cpu_alone(void)
{
	return sim_self.cpu >= 0 &&
	       !__atomic_load_n(&sim_self.cpu_slow, __ATOMIC_ACQUIRE);
}

static void bind_thread_exit(void *arg)
{
	cpu_leave(arg);
}

/*
 * The child of a fork() has only the thread that forked: it is the only one
 * bound anywhere (the registration of membarrier carries over with the
 * copied address space). A fork inside a section is not supported.
 */
static void bind_atfork_child(void)
{
	int cpu = sim_self.cpu;

	cpu_binds_reset();
	if (cpu >= 0) {
		sim_self.next_bound = NULL;
		sim_self.cpu_slow = !have_membarrier;
		cpu_binds[cpu].threads = &sim_self;
		cpu_binds[cpu].nr_threads = 1;
	}
}

static void bind_init(void)
{
	/* SIM_CPU_SHARED=1: test the fallback, every CPU shared. */
	const char *env = getenv("SIM_CPU_SHARED");

	have_membarrier = !(env && env[0] == '1') &&
		membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
	cpu_binds_reset();
	if (pthread_key_create(&bind_key, bind_thread_exit) ||
	    pthread_atfork(NULL, NULL, bind_atfork_child))
		sim_bug(__FILE__, __LINE__, "cannot track threads' CPUs");
}

/* Bind the calling thread to @cpu, or to none when @cpu is out of range. */
void sim_cpu_rebind(int cpu)
{
	struct sim_thread *t = &sim_self;

	if (cpu >= 0 && (unsigned int)cpu >= nr_cpu_ids)
		cpu = -1;
	if (cpu == t->cpu)
		return;
	pthread_once(&bind_once, bind_init);
	cpu_leave(t);
	if (cpu < 0)
		return;
	/* Unbound at exit: a joiner must not wait on a thread gone. */
	if (!pthread_getspecific(bind_key))
		pthread_setspecific(bind_key, t);
	cpu_join(t, cpu);
}

int sim_cpu_assign(void)
{
	int cpu = __atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) % nr_cpu_ids;

	sim_cpu_rebind(cpu);
	return cpu;
}

void sim_set_cpu(int cpu)
{
	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids)
		sim_bug(__FILE__, __LINE__, "sim_set_cpu() out of range");
	/* A thread in a non-preemptible section cannot move. */
	if (sim_self.preempt_count || sim_self.migrate_disabled)
		sim_bug(__FILE__, __LINE__, "sim_set_cpu() with preemption disabled");
	sim_cpu_rebind(cpu);
}

void sim_leave_cpu(void)
{
	if (sim_self.preempt_count || sim_self.migrate_disabled)
		sim_bug(__FILE__, __LINE__, "sim_leave_cpu() with preemption disabled");
	sim_cpu_rebind(-1);
}

/*
 * The outermost preempt_disable() of a thread with no CPU yet, or sharing
 * it: bind, then, if shared, take the CPU's flag, yielding while another
 * thread's section holds it.
 */
void sim_cpu_enter_slow(void)
{
	int cpu = sim_cpu_current();

	/* Bound now: set exactly when the CPU is shared. */
	if (!__atomic_load_n(&sim_self.cpu_slow, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&sim_self.busy_cpu, cpu, __ATOMIC_RELEASE);
	while (__atomic_exchange_n(&sim_cpus[cpu].busy, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&sim_cpus[cpu].busy, __ATOMIC_RELAXED))
			sched_yield();
}

int sim_cpu(void)
{
	return sim_cpu_current();
}

#if SIM_CHECKS
int sim_cpu_checked(const char *what, const char *file, int line)
{
	if (!sim_self.preempt_count && !sim_self.irqs_disabled &&
	    !sim_self.migrate_disabled)
		sim_warn(file, line, what,
			 "BUG: using %s() in preemptible code", what);
	return sim_cpu_current();
}
#endif

void *sim_alloc_percpu(size_t size)
{
	char *p;
	unsigned int cpu;

	if (size > SIM_PERCPU_UNIT)
		sim_bug(__FILE__, __LINE__, "per-CPU area larger than SIM_PERCPU_UNIT");
	/* Only each copy is zeroed: the rest of a unit is never touched. */
	p = sim_kmalloc((size_t)SIM_PERCPU_UNIT * nr_cpu_ids, false);
	if (!p)
		return NULL;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		memset(p + (size_t)cpu * SIM_PERCPU_UNIT, 0, size);
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

void sim_cond_resched(const char *file, int line)
{
	sim_might_sleep(file, line);
	sched_yield();
}

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
