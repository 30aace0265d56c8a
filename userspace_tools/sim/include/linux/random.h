/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: a seedable PRNG (sim_seed_random() in <sim/sim.h>). */
#ifndef _SIM_LINUX_RANDOM_H
#define _SIM_LINUX_RANDOM_H

#include <sim/runtime.h>
#include <linux/types.h>

static inline unsigned long get_random_long(void)
{
	return (unsigned long)sim_random_u64();
}

static inline u32 get_random_u32(void)
{
	return (u32)(sim_random_u64() >> 32);
}

static inline u64 get_random_u64(void)
{
	return sim_random_u64();
}

static inline u32 get_random_u32_below(u32 ceil)
{
	return (u32)(((u64)get_random_u32() * ceil) >> 32);
}

static inline void get_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len--)
		*p++ = (unsigned char)sim_random_u64();
}

#endif /* _SIM_LINUX_RANDOM_H */
