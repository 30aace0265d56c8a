/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: sleeping locks as pthread mutexes; mutex_lock() checks it
 * is not called in atomic context (might_sleep), as the kernel's does.
 */
#ifndef _SIM_LINUX_MUTEX_H
#define _SIM_LINUX_MUTEX_H

#include <sim/runtime.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>

struct mutex {
	struct sim_lock sl;
};

#define __MUTEX_INITIALIZER(name)	{ .sl = SIM_LOCK_INITIALIZER(#name, true) }
#define DEFINE_MUTEX(name)		struct mutex name = __MUTEX_INITIALIZER(name)

#define mutex_init(lock) do {						\
	static struct sim_lock_class __sim_key = { .name = #lock };	\
	sim_lock_init(&(lock)->sl, &__sim_key, true);			\
} while (0)

static inline void mutex_lock(struct mutex *lock)
{
	might_sleep();
	sim_lock_acquire(&lock->sl);
}

static inline int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

static inline int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

static inline int mutex_trylock(struct mutex *lock)
{
	return sim_lock_try(&lock->sl);
}

static inline void mutex_unlock(struct mutex *lock)
{
	sim_lock_release(&lock->sl);
}

static inline bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->sl.owner, __ATOMIC_RELAXED) != NULL;
}

static inline void mutex_destroy(struct mutex *lock)
{
	sim_lock_destroy(&lock->sl);
}

#endif /* _SIM_LINUX_MUTEX_H */
