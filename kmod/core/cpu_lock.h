/* SPDX-License-Identifier: GPL-2.0 */
/*
 * myslab CPU locks: a lock per CPU that only its own CPU ever takes, with a
 * trylock that any context may call and a fast path with no locked
 * instruction and no interrupt toggling. The semantics are those of the
 * kernel's local_trylock_t (Linux 6.16), which neither 6.1 nor 6.12 has.
 *
 * Without CONFIG_PREEMPT_RT the lock is preemption disabled plus a byte,
 * @acquired, that only its own CPU writes, with plain stores. A trylock
 * tests the byte and sets it. An interrupt arriving between the test and
 * the set runs to completion before the set (whatever it took, it released),
 * so the sections nest properly; an interrupt arriving while the byte is set
 * finds it set and fails, and its caller takes a slow path that needs no
 * CPU lock. Compiler barriers order the byte against the section for an
 * interrupt on the same CPU; the byte's release is also a store-release, so
 * that another CPU reading it (myslab_cpu_lock_seen_held()) after a store of
 * the section sees the section's stores before it sees the byte clear.
 *
 * With CONFIG_PREEMPT_RT the lock is a per-CPU spinlock_t (a sleeping lock
 * there) taken with migration disabled: a task preempted inside the section
 * keeps its CPU and its lock, and a trylock by another task on that CPU fails
 * as an interrupt's does without RT. Hard interrupt and NMI context, where
 * a sleeping lock cannot be taken at all, always fail the trylock.
 *
 * myslab_cpu_trylock() may be called from any context. myslab_cpu_lock()
 * waits for the lock and is for task context only: without RT it cannot
 * wait (nothing else can hold the lock while a task of this CPU runs with
 * preemption enabled) and warns if the lock is held; with RT it sleeps until
 * a preempted holder is done. Neither form may nest on one CPU.
 *
 * Lockdep knows the lock as a per-CPU lock; the trylock is annotated as one,
 * and lockdep does not mark a trylock as used in hard interrupt context, so
 * the blocking form in task context with interrupts enabled is not an
 * inversion.
 *
 * The lock is reached through the per-CPU object that contains it (@ptr a
 * __percpu pointer to that object, @member the lock's name in it), and the
 * lock functions return this CPU's object: its address is only stable while
 * the lock is held, and the userspace build (userspace_tools/sim) cannot
 * step through a per-CPU array from a member's address.
 */
#ifndef _MYSLAB_CPU_LOCK_H
#define _MYSLAB_CPU_LOCK_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/cpu.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#ifndef CONFIG_PREEMPT_RT

/**
 * struct myslab_cpu_lock - one CPU's instance of a CPU lock
 * @acquired:	1 while held; written only by its own CPU, with preemption
 *		disabled, by plain stores
 * @dep_map:	lockdep's view (empty without lockdep)
 */
struct myslab_cpu_lock {
	u8 acquired;
	struct lockdep_map dep_map;
};

/* Set up one CPU's instance, unheld; one lockdep class per call site. */
#define myslab_cpu_lock_init(l) do {					\
	static struct lock_class_key __myslab_cpu_lock_key;		\
	struct myslab_cpu_lock *__myslab_l = (l);			\
									\
	__myslab_l->acquired = 0;					\
	lockdep_init_map_type(&__myslab_l->dep_map, #l,			\
			      &__myslab_cpu_lock_key, 0, LD_WAIT_CONFIG,	\
			      LD_WAIT_INV, LD_LOCK_PERCPU);		\
} while (0)

/* Preemption is disabled: try this CPU's instance. */
static __always_inline bool __myslab_cpu_trylock(struct myslab_cpu_lock *l)
{
	if (READ_ONCE(l->acquired))
		return false;
	WRITE_ONCE(l->acquired, 1);
	/* The section's accesses stay after the store an interrupt reads. */
	barrier();
	lock_map_acquire_try(&l->dep_map);
	return true;
}

static __always_inline void __myslab_cpu_lock(struct myslab_cpu_lock *l)
{
	lock_map_acquire(&l->dep_map);
	WARN_ON_ONCE(READ_ONCE(l->acquired));
	WRITE_ONCE(l->acquired, 1);
	barrier();
}

/**
 * myslab_cpu_unlock() - release this CPU's instance of a CPU lock
 * @l: the instance myslab_cpu_trylock() or myslab_cpu_lock() returned the
 *     object of
 */
static __always_inline void myslab_cpu_unlock(struct myslab_cpu_lock *l)
{
	lock_map_release(&l->dep_map);
	/* The section's accesses before the store that ends it, seen so. */
	smp_store_release(&l->acquired, 0);
	preempt_enable();
}

/*
 * Keep the task on this CPU for a section on its per-CPU data: without RT,
 * by disabling preemption. The per-CPU page lists (buddy_pcp.c) pin this
 * way around the trylock of their spinlock.
 */
#define myslab_cpu_pin()		preempt_disable()
#define myslab_cpu_unpin()		preempt_enable()
/* Without RT any context may try. */
#define __myslab_cpu_may_try()		true

/* Warn unless @l, this CPU's instance, is held. */
#define myslab_cpu_lock_assert_held(l)					\
	lockdep_assert(READ_ONCE((l)->acquired))

/*
 * Another CPU may read whether @l is held: its byte. A section that wants
 * that reading to cover its stores orders them after the byte with
 * smp_wmb(); myslab_cpu_unlock() releases the byte after them; the reader
 * orders its reads with smp_rmb(), as for a sequence count.
 */
#define MYSLAB_CPU_LOCK_SEEN_HELD	true

static __always_inline bool
myslab_cpu_lock_seen_held(const struct myslab_cpu_lock *l)
{
	return READ_ONCE(l->acquired);
}

#else /* CONFIG_PREEMPT_RT */

struct myslab_cpu_lock {
	spinlock_t lock;	/* a sleeping lock with PREEMPT_RT */
};

#define myslab_cpu_lock_init(l)		spin_lock_init(&(l)->lock)

static __always_inline bool __myslab_cpu_trylock(struct myslab_cpu_lock *l)
{
	return spin_trylock(&l->lock);
}

static __always_inline void __myslab_cpu_lock(struct myslab_cpu_lock *l)
{
	spin_lock(&l->lock);
}

static __always_inline void myslab_cpu_unlock(struct myslab_cpu_lock *l)
{
	spin_unlock(&l->lock);
	migrate_enable();
}

/* With RT, by disabling migration only: the section stays preemptible. */
#define myslab_cpu_pin()		migrate_disable()
#define myslab_cpu_unpin()		migrate_enable()
/* A sleeping lock: never from hard interrupt or NMI context. */
#define __myslab_cpu_may_try()		(!in_nmi() && !in_hardirq())

#define myslab_cpu_lock_assert_held(l)	lockdep_assert_held(&(l)->lock)

/* A sleeping lock is not read from another CPU: sections mark themselves. */
#define MYSLAB_CPU_LOCK_SEEN_HELD	false

static __always_inline bool
myslab_cpu_lock_seen_held(const struct myslab_cpu_lock *l)
{
	return false;
}

#endif /* CONFIG_PREEMPT_RT */

/* The lock @off bytes into this CPU's object @obj. */
static __always_inline struct myslab_cpu_lock *
__myslab_cpu_lock_at(void *obj, size_t off)
{
	return (struct myslab_cpu_lock *)((char *)obj + off);
}

/**
 * myslab_cpu_trylock() - try this CPU's instance of a CPU lock
 * @ptr:	__percpu pointer to the per-CPU objects holding the lock
 * @member:	the lock's member in them (a struct myslab_cpu_lock)
 *
 * Any context. Fails when this CPU's instance is held: by the task this
 * context interrupted, or with PREEMPT_RT by a preempted task of this CPU
 * (and always in hard interrupt or NMI context there).
 *
 * Return: this CPU's object, locked, or NULL.
 */
#define myslab_cpu_trylock(ptr, member) ({				\
	typeof(ptr) __myslab_pcp = (ptr);				\
	typeof(*__myslab_pcp) __kernel __force *__myslab_obj = NULL;	\
	size_t __myslab_off = offsetof(typeof(*__myslab_pcp), member);	\
									\
	if (__myslab_cpu_may_try()) {					\
		myslab_cpu_pin();					\
		__myslab_obj = this_cpu_ptr(__myslab_pcp);		\
		if (unlikely(!__myslab_cpu_trylock(			\
				__myslab_cpu_lock_at(__myslab_obj, __myslab_off)))) { \
			myslab_cpu_unpin();				\
			__myslab_obj = NULL;				\
		}							\
	}								\
	__myslab_obj;							\
})

/**
 * myslab_cpu_lock() - take this CPU's instance of a CPU lock
 * @ptr:	__percpu pointer to the per-CPU objects holding the lock
 * @member:	the lock's member in them (a struct myslab_cpu_lock)
 *
 * Context: task context only (with PREEMPT_RT it may sleep).
 * Return: this CPU's object, locked.
 */
#define myslab_cpu_lock(ptr, member) ({					\
	typeof(ptr) __myslab_pcp = (ptr);				\
	typeof(*__myslab_pcp) __kernel __force *__myslab_obj;		\
	size_t __myslab_off = offsetof(typeof(*__myslab_pcp), member);	\
									\
	myslab_cpu_pin();						\
	__myslab_obj = this_cpu_ptr(__myslab_pcp);			\
	__myslab_cpu_lock(__myslab_cpu_lock_at(__myslab_obj, __myslab_off));	\
	__myslab_obj;							\
})

/*
 * The caller holds the CPU hotplug lock (cpus_read_lock()). The kernel does
 * not export lockdep_assert_cpus_held() to modules, so the module checks
 * nothing; the userspace build checks its stand-in for the lock.
 */
#ifdef MODULE
#define myslab_assert_cpus_held()	do { } while (0)
#else
#define myslab_assert_cpus_held()	lockdep_assert_cpus_held()
#endif

#endif /* _MYSLAB_CPU_LOCK_H */
