/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: lockdep assertions. lockdep_assert_held() works on a
 * spinlock_t or a struct mutex (both wrap a struct sim_lock named "sl") and
 * WARNs when the calling thread does not hold it.
 */
#ifndef _SIM_LINUX_LOCKDEP_H
#define _SIM_LINUX_LOCKDEP_H

#include <sim/runtime.h>
#include <linux/bug.h>

#if SIM_CHECKS
#define lockdep_assert_held(l)						\
	sim_lock_assert_held(&(l)->sl, #l, __FILE__, __LINE__)
#define lockdep_assert_not_held(l)					\
	WARN(sim_lock_held_by_me(&(l)->sl), "%s held", #l)
#define lockdep_assert_irqs_disabled()					\
	WARN(!sim_self.irqs_disabled, "interrupts enabled")
#define lockdep_assert_irqs_enabled()					\
	WARN(sim_self.irqs_disabled, "interrupts disabled")
#else
#define lockdep_assert_held(l)		do { (void)(l); } while (0)
#define lockdep_assert_not_held(l)	do { (void)(l); } while (0)
#define lockdep_assert_irqs_disabled()	do { } while (0)
#define lockdep_assert_irqs_enabled()	do { } while (0)
#endif

#if SIM_CHECKS
#define lockdep_assert(c)		WARN_ON(!(c))
#else
#define lockdep_assert(c)		do { } while (0)
#endif

/*
 * Lock maps, for locks the checker does not see (kmod/core/cpu_lock.h): the
 * kernel's types and calls, doing nothing here.
 */
struct lock_class_key {
	char unused;
};

struct lockdep_map {
	char unused;
};

enum lockdep_wait_type {
	LD_WAIT_INV = 0,
	LD_WAIT_FREE,
	LD_WAIT_SPIN,
	LD_WAIT_CONFIG,
	LD_WAIT_SLEEP,
};

enum lockdep_lock_type {
	LD_LOCK_NORMAL = 0,
	LD_LOCK_PERCPU,
};

#define lockdep_init_map_type(map, name, key, sub, inner, outer, type)	\
	do { (void)(map); (void)(name); (void)(key); } while (0)
#define lock_map_acquire(map)		do { (void)(map); } while (0)
#define lock_map_acquire_try(map)	do { (void)(map); } while (0)
#define lock_map_release(map)		do { (void)(map); } while (0)

#define lockdep_assert_held_once(l)	lockdep_assert_held(l)
#define lockdep_set_class(l, key)	do { (void)(l); (void)(key); } while (0)
#define lock_is_held(l)			1

#endif /* _SIM_LINUX_LOCKDEP_H */
