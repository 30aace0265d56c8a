/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: atomic_t and atomic_long_t on __atomic builtins. Plain
 * operations are relaxed, value-returning ones fully ordered, as the
 * kernel's atomic_t.txt specifies.
 */
#ifndef _SIM_LINUX_ATOMIC_H
#define _SIM_LINUX_ATOMIC_H

#include <linux/types.h>

#define ATOMIC_INIT(i)	{ (i) }

#define __SIM_ATOMIC_OPS(pfx, type, atype)					\
static inline type pfx##_read(const atype *v)					\
{ return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }			\
static inline void pfx##_set(atype *v, type i)					\
{ __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_add(type i, atype *v)					\
{ __atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_sub(type i, atype *v)					\
{ __atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED); }			\
static inline void pfx##_inc(atype *v) { pfx##_add(1, v); }			\
static inline void pfx##_dec(atype *v) { pfx##_sub(1, v); }			\
static inline type pfx##_add_return(type i, atype *v)				\
{ return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }		\
static inline type pfx##_sub_return(type i, atype *v)				\
{ return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }		\
static inline type pfx##_inc_return(atype *v) { return pfx##_add_return(1, v); } \
static inline type pfx##_dec_return(atype *v) { return pfx##_sub_return(1, v); } \
static inline type pfx##_fetch_add(type i, atype *v)				\
{ return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }		\
static inline bool pfx##_dec_and_test(atype *v)				\
{ return pfx##_dec_return(v) == 0; }						\
static inline bool pfx##_inc_and_test(atype *v)				\
{ return pfx##_inc_return(v) == 0; }						\
static inline type pfx##_xchg(atype *v, type n)				\
{ return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); }		\
static inline type pfx##_cmpxchg(atype *v, type old, type n)			\
{										\
	__atomic_compare_exchange_n(&v->counter, &old, n, false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);	\
	return old;								\
}										\
static inline bool pfx##_try_cmpxchg(atype *v, type *old, type n)		\
{										\
	return __atomic_compare_exchange_n(&v->counter, old, n, false,		\
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);	\
}

__SIM_ATOMIC_OPS(atomic, int, atomic_t)
__SIM_ATOMIC_OPS(atomic_long, long, atomic_long_t)

#define smp_mb()	__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()	__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define cmpxchg(p, o, n) ({						\
	typeof(*(p)) __old = (o);					\
	__atomic_compare_exchange_n(p, &__old, n, false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	__old; })
#define xchg(p, n)	__atomic_exchange_n(p, n, __ATOMIC_SEQ_CST)

#endif /* _SIM_LINUX_ATOMIC_H */
