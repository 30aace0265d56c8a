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
	int cpu;		/* -1 until first used */
	int preempt_count;	/* spinlocks held + preempt_disable() */
	int cpu_held;		/* the CPU preempt_count > 0 holds */
	int migrate_disabled;	/* migrate_disable() depth */
	int irqs_disabled;	/* local_irq_save() state: 0 or 1 */
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
int sim_cpu_checked(const char *what, const char *file, int line);
int sim_cpu(void);
void sim_set_cpu(int cpu);
/*
 * One non-preemptible section per CPU at a time (linux/preempt.h): the
 * outermost preempt_disable() enters, the matching preempt_enable() exits.
 * A CPU is a test-and-set flag, not a pthread mutex: one exchange to enter
 * and one store to leave, so that what the benchmarks count is the core's
 * path rather than the stand-in's; a thread that finds its CPU busy yields
 * until it is free (sim_cpu_wait()).
 */
#define SIM_MAX_CPUS	64
struct sim_cpu_state {
	int busy;
} __attribute__((aligned(64)));
extern struct sim_cpu_state sim_cpus[SIM_MAX_CPUS];
void sim_cpu_wait(int cpu);

static inline void sim_cpu_enter(void)
{
	int cpu = sim_cpu();

	sim_self.cpu_held = cpu;
	if (__builtin_expect(__atomic_exchange_n(&sim_cpus[cpu].busy, 1,
						 __ATOMIC_ACQUIRE), 0))
		sim_cpu_wait(cpu);
}

static inline void sim_cpu_exit(void)
{
	__atomic_store_n(&sim_cpus[sim_self.cpu_held].busy, 0, __ATOMIC_RELEASE);
}

/* Per-CPU areas: nr_cpu_ids slots, each SIM_PERCPU_STRIDE(size) bytes. */
extern unsigned int nr_cpu_ids;
#define SIM_PERCPU_STRIDE(size)	(((size) + 63) & ~(size_t)63)
void *sim_alloc_percpu(size_t size);
void sim_free_percpu(void *ptr);

/* Metadata allocation (kmalloc family) with failure injection. */
void *sim_kmalloc(size_t size, bool zero);
void sim_kfree(const void *ptr);

/* Random source */
uint64_t sim_random_u64(void);

#endif /* _SIM_RUNTIME_H */
