/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: spinlocks are pthread mutexes. Taking one counts as
 * disabling preemption; the _irqsave/_irq forms also set the thread's
 * "interrupts disabled" flag (irqflags.h). The lock checker in lib/lock.c
 * reports recursive locking and lock-order inversions between lock classes
 * (one class per spin_lock_init() call site, as lockdep keys them).
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

typedef struct spinlock {
	struct sim_lock sl;
} spinlock_t;

#define SIM_LOCK_INITIALIZER(lockname, is_sleeping) {			\
	.mutex = PTHREAD_MUTEX_INITIALIZER,				\
	.class = &(struct sim_lock_class){ .name = lockname },		\
	.sleeping = is_sleeping,					\
}

#define __SPIN_LOCK_UNLOCKED(name)	{ .sl = SIM_LOCK_INITIALIZER(#name, false) }
#define DEFINE_SPINLOCK(name)		spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

#define spin_lock_init(lock) do {					\
	static struct sim_lock_class __sim_key = { .name = #lock };	\
	sim_lock_init(&(lock)->sl, &__sim_key, false);			\
} while (0)

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	sim_lock_acquire(&lock->sl);
}

/* @nest (a spinlock_t or a struct mutex) serialises the nesting. */
#define spin_lock_nest_lock(lock, nest) do {				\
	preempt_disable();						\
	sim_lock_acquire_nest(&(lock)->sl, &(nest)->sl);		\
} while (0)

static inline void spin_unlock(spinlock_t *lock)
{
	sim_lock_release(&lock->sl);
	preempt_enable();
}

static inline int spin_trylock(spinlock_t *lock)
{
	preempt_disable();
	if (sim_lock_try(&lock->sl))
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

#define assert_spin_locked(lock) lockdep_assert_held(lock)
#define spin_is_locked(lock)	(__atomic_load_n(&(lock)->sl.owner, __ATOMIC_RELAXED) != NULL)

#endif /* _SIM_LINUX_SPINLOCK_H */
