/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: compiler attributes, sparse annotations, READ_ONCE. */
#ifndef _SIM_LINUX_COMPILER_H
#define _SIM_LINUX_COMPILER_H

#include <linux/kconfig.h>

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#ifndef noinline
#define noinline		__attribute__((__noinline__))
#endif
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#ifndef __maybe_unused
#define __maybe_unused		__attribute__((__unused__))
#endif
#ifndef __always_unused
#define __always_unused		__attribute__((__unused__))
#endif
#ifndef __used
#define __used			__attribute__((__used__))
#endif
#ifndef __cold
#define __cold			__attribute__((__cold__))
#endif
#ifndef __pure
#define __pure			__attribute__((__pure__))
#endif
#ifndef __packed
#define __packed		__attribute__((__packed__))
#endif
#ifndef __aligned
#define __aligned(x)		__attribute__((__aligned__(x)))
#endif
#ifndef __printf
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#endif
#ifndef __noreturn
#define __noreturn		__attribute__((__noreturn__))
#endif
#ifndef __must_check
#define __must_check		__attribute__((__warn_unused_result__))
#endif
#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif

/* Sparse annotations: nothing to check in userspace. */
#ifndef __must_hold
#define __must_hold(x)
#endif
#ifndef __acquires
#define __acquires(x)
#endif
#ifndef __releases
#define __releases(x)
#endif
#ifndef __cond_acquires
#define __cond_acquires(x)
#endif
#ifndef __percpu
#define __percpu
#endif
#ifndef __rcu
#define __rcu
#endif
#ifndef __user
#define __user
#endif
#ifndef __iomem
#define __iomem
#endif
#ifndef __kernel
#define __kernel
#endif
#ifndef __force
#define __force
#endif
#ifndef __bitwise
#define __bitwise
#endif

#ifndef barrier
#define barrier()		__asm__ __volatile__("" : : : "memory")
#endif

/*
 * READ_ONCE/WRITE_ONCE as relaxed atomics: the same single, untorn access
 * the kernel's volatile casts give, and visible as such to the sanitizers.
 */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
/* A plain access whose race is intended (KCSAN's annotation). */
#define data_race(expr)		(expr)

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))

#endif /* _SIM_LINUX_COMPILER_H */
