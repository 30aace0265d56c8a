/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace runtime behind the shim headers (lib/runtime.c, lib/lock.c):
 * per-thread "CPU" and atomic-context state, printk and WARN accounting,
 * per-CPU areas, metadata allocation with failure injection, the random
 * source and the lock checker. Tests and benchmarks use <sim/sim.h>.
 */
#ifndef _SIM_RUNTIME_H
#define _SIM_RUNTIME_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * SIM_CHECKS (default 1): lock-order checking, lockdep_assert_held, atomic
 * sleep and preemption checks. A benchmark build sets it to 0.
 */
#ifndef SIM_CHECKS
#define SIM_CHECKS 1
#endif

#define SIM_MAX_HELD_LOCKS	16

struct sim_lock_class {
	const char *name;
	int id;			/* assigned on first acquisition, 1.. */
};

/* A thread: its CPU, its "interrupts off" and "preemption off" state. */
struct sim_thread {
	int cpu;		/* -1 until first used; the CPU's bind lock */
	/*
	 * Spinlocks held + preempt_disable(): non-zero inside a non-preemptible
	 * section. Written only by the thread (plain stores on x86), read by a
	 * thread joining its CPU (see sim_cpus below).
	 */
	int preempt_count;
	/*
	 * Set while the thread has no CPU or shares it: its outermost
	 * preempt_disable() then takes sim_cpu_enter_slow(). Written under
	 * the CPU's bind lock, by whichever thread binds or leaves.
	 */
	int cpu_slow;
	int busy_cpu;		/* the CPU whose @busy this section holds, or -1 */
	struct sim_thread *next_bound;	/* the CPU's threads; its bind lock */
	int migrate_disabled;	/* migrate_disable() depth */
	int irqs_disabled;	/* local_irq_save() state: 0 or 1 */
	/*
	 * Non-zero while the thread runs an "interrupt": an irq_work handler
	 * that irq_work_queue() ran on the spot (linux/irq_work.h).
	 */
	int hardirq;
	int nr_held;
	struct sim_lock *held[SIM_MAX_HELD_LOCKS];
};

extern __thread struct sim_thread sim_self;

/* Both spinlock_t and struct mutex wrap one of these, as member "sl". */
struct sim_lock {
	pthread_mutex_t mutex;
	struct sim_lock_class *class;
	struct sim_thread *owner;	/* atomic, relaxed */
	bool sleeping;			/* a mutex: may sleep, must not nest in atomic */
};

void sim_lock_init(struct sim_lock *l, struct sim_lock_class *class,
		   bool sleeping);
void sim_lock_acquire(struct sim_lock *l);
void sim_lock_acquire_nest(struct sim_lock *l, const struct sim_lock *nest);
int sim_lock_try(struct sim_lock *l);
void sim_lock_release(struct sim_lock *l);
bool sim_lock_held_by_me(const struct sim_lock *l);
void sim_lock_assert_held(const struct sim_lock *l, const char *what,
			  const char *file, int line);
void sim_lock_destroy(struct sim_lock *l);

/* printk/WARN/BUG */
void sim_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sim_warn(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sim_bug(const char *file, int line, const char *cond) __attribute__((noreturn));

/* Atomic-context checks */
void sim_might_sleep(const char *file, int line);
/*
 * cond_resched(): the check, then a yield of the CPU, as the kernel's gives
 * way to another runnable task. Without the yield a loop that waits for
 * other threads' progress (a validator polling busy allocators) can starve
 * them where threads are scheduled coarsely, as under valgrind.
 */
void sim_cond_resched(const char *file, int line);
int sim_cpu(void);
void sim_set_cpu(int cpu);
void sim_leave_cpu(void);
void sim_cpu_rebind(int cpu);
extern unsigned int nr_cpu_ids;
/*
 * One non-preemptible section per CPU at a time (linux/preempt.h): the
 * outermost preempt_disable() enters the thread's CPU, the matching
 * preempt_enable() exits. Threads stand in for tasks and several may share
 * a CPU number, but most CPUs have one thread (every benchmark row, most
 * tests), and there the kernel pays for the preempt count alone, so a CPU
 * is in one of two modes:
 *
 * - alone: one thread is bound to the CPU and nothing else can run a
 *   section on it. Entering is the store of the thread's preempt count and
 *   a load of its @cpu_slow, exiting the store of the count and a load of
 *   its @busy_cpu: no locked instruction, no fence.
 * - shared: two or more threads are bound, their @cpu_slow is set, and a
 *   section also holds the CPU's @busy, a test-and-set flag (one exchange
 *   to enter, one store to leave), yielding while another thread's section
 *   holds it (sim_cpu_enter_slow()).
 *
 * A thread is bound to a CPU from its first use of one (round robin) or from
 * sim_set_cpu(), until it moves, calls sim_leave_cpu() or exits; binding is
 * rare and serialised by the CPU's bind lock (lib/runtime.c).
 *
 * Alone to shared: the second thread to bind sets the first one's @cpu_slow,
 * issues membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), then waits while the
 * first thread is in a section without @busy (its preempt count is not zero
 * and its @busy_cpu is -1). The membarrier is the fence the entering thread
 * leaves out (liburcu's asymmetric fence): it runs a full barrier on every
 * running thread of the process. If that barrier came before the first
 * thread's store of its count, its load of @cpu_slow after the store sees
 * the joiner's store and it takes @busy; if after, its store is visible to
 * the joiner, which waits for the section to end. Either way no section
 * without @busy is left once the joiner binds.
 *
 * Shared to alone, when a CPU is left with one thread: the leaving thread is
 * outside any section, and its release store clearing the other's
 * @cpu_slow orders its last section before the other's next one (an acquire
 * load). A section that entered shared still gives @busy back: its
 * @busy_cpu says it holds it.
 *
 * Where membarrier(2) is not available (an old kernel, a seccomp filter),
 * or with SIM_CPU_SHARED=1 in the environment, every CPU stays shared:
 * slower, always exact. Valgrind passes membarrier through, so its counts
 * see the alone mode too.
 */
#define SIM_MAX_CPUS	64
struct sim_cpu_state {
	int busy;		/* shared mode: a section runs */
} __attribute__((aligned(64)));
extern struct sim_cpu_state sim_cpus[SIM_MAX_CPUS];
void sim_cpu_enter_slow(void);
int sim_cpu_assign(void);

/* The calling thread's CPU, binding it to one on first use. */
static inline int sim_cpu_current(void)
{
	int cpu = sim_self.cpu;

	/* sim_set_nr_cpus() leaves no thread bound beyond nr_cpu_ids. */
	if (__builtin_expect(cpu < 0, 0))
		cpu = sim_cpu_assign();
	return cpu;
}

/* this_cpu_ptr(), smp_processor_id(): warn when preemptible, with checks. */
#if SIM_CHECKS
int sim_cpu_checked(const char *what, const char *file, int line);
#else
static inline int sim_cpu_checked(const char *what, const char *file, int line)
{
	(void)what;
	(void)file;
	(void)line;
	return sim_cpu_current();
}
#endif

static inline void sim_preempt_disable(void)
{
	int count = sim_self.preempt_count;

	/*
	 * Release, for a joiner that reads it: @busy_cpu was reset before.
	 * Only a compiler barrier orders it before the load of @cpu_slow:
	 * the joiner's membarrier is the fence.
	 */
	__atomic_store_n(&sim_self.preempt_count, count + 1, __ATOMIC_RELEASE);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (!count && __builtin_expect(__atomic_load_n(&sim_self.cpu_slow,
						       __ATOMIC_ACQUIRE), 0))
		sim_cpu_enter_slow();
}

static inline void sim_preempt_enable(void)
{
	int count = sim_self.preempt_count - 1;
	int cpu = sim_self.busy_cpu;

	if (!count && __builtin_expect(cpu >= 0, 0)) {
		sim_self.busy_cpu = -1;
		__atomic_store_n(&sim_cpus[cpu].busy, 0, __ATOMIC_RELEASE);
	}
	/* Release: a joiner that reads 0 sees the section's stores. */
	__atomic_store_n(&sim_self.preempt_count, count, __ATOMIC_RELEASE);
}

/*
 * Per-CPU areas: nr_cpu_ids copies, SIM_PERCPU_UNIT bytes apart whatever
 * their size (linux/percpu.h); an area is at most a unit.
 */
#define SIM_PERCPU_UNIT		16384
void *sim_alloc_percpu(size_t size);
void sim_free_percpu(void *ptr);

/* Metadata allocation (kmalloc family) with failure injection. */
void *sim_kmalloc(size_t size, bool zero);
void sim_kfree(const void *ptr);

/* Random source */
uint64_t sim_random_u64(void);

#endif /* _SIM_RUNTIME_H */
