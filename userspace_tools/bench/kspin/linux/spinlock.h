/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ANALYSIS ONLY - not the project's shim. The shoot-out builds myslab a
 * second time ("myslab-kspin") with this header ahead of
 * userspace_tools/sim/include, to measure how much of myslab's userspace
 * time is the sim's spinlock (a pthread mutex behind an out-of-line call:
 * a locked op to lock and another to unlock) rather than the core itself.
 *
 * This lock costs what the kernel's uncontended spinlock costs on x86: one
 * lock cmpxchg to take it (queued_spin_lock's fast path), one plain release
 * store to drop it, preemption counted as the shim does. No lock checking:
 * it is only usable with SIM_CHECKS=0.
 */
#ifndef _SIM_LINUX_SPINLOCK_H
#define _SIM_LINUX_SPINLOCK_H

#include <sim/runtime.h>
#include <linux/types.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/lockdep.h>

#if SIM_CHECKS
#error "bench/kspin/linux/spinlock.h is for SIM_CHECKS=0 builds only"
#endif

/* <linux/mutex.h> builds its sleeping lock from this (unchanged). */
#define SIM_LOCK_INITIALIZER(lockname, is_sleeping) {			\
	.mutex = PTHREAD_MUTEX_INITIALIZER,				\
	.class = &(struct sim_lock_class){ .name = lockname },		\
	.sleeping = is_sleeping,					\
}

typedef struct spinlock {
	int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ .locked = 0 }
#define DEFINE_SPINLOCK(name)		spinlock_t name = __SPIN_LOCK_UNLOCKED(name)
#define spin_lock_init(lock)		do { (lock)->locked = 0; } while (0)

static inline void spin_lock(spinlock_t *lock)
{
	int unlocked = 0;

	preempt_disable();
	while (!__atomic_compare_exchange_n(&lock->locked, &unlocked, 1, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		unlocked = 0;
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED))
			__builtin_ia32_pause();
	}
}

static inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
	preempt_enable();
}

static inline int spin_trylock(spinlock_t *lock)
{
	int unlocked = 0;

	preempt_disable();
	if (__atomic_compare_exchange_n(&lock->locked, &unlocked, 1, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 1;
	preempt_enable();
	return 0;
}

#define spin_lock_irqsave(lock, flags) do {				\
	local_irq_save(flags);						\
	spin_lock(lock);						\
} while (0)

#define spin_unlock_irqrestore(lock, flags) do {			\
	spin_unlock(lock);						\
	local_irq_restore(flags);					\
} while (0)

#define spin_lock_irq(lock) do { local_irq_disable(); spin_lock(lock); } while (0)
#define spin_unlock_irq(lock) do { spin_unlock(lock); local_irq_enable(); } while (0)
#define spin_lock_bh(lock)	spin_lock(lock)
#define spin_unlock_bh(lock)	spin_unlock(lock)

#define assert_spin_locked(lock) do { (void)(lock); } while (0)
#define spin_is_locked(lock)	(__atomic_load_n(&(lock)->locked, __ATOMIC_RELAXED) != 0)

#endif /* _SIM_LINUX_SPINLOCK_H */
