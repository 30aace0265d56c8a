// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the sim's stand-in for a CPU (sim/runtime.h): threads that
 * share a CPU number never run non-preemptible sections at once, whether
 * the CPU was alone or shared when a section began, a thread joining a CPU
 * waits for the section running there, a CPU counts its threads as they
 * bind, move and exit, and this_cpu_add() reaches the calling CPU's copy.
 * The core's own correctness on one CPU (the magazine under a CPU lock that
 * only disables preemption) rests on these.
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <linux/compiler.h>
#include <linux/percpu.h>
#include <linux/preempt.h>

#include "helpers.h"

/*
 * What a CPU's own data sees: @occupied is set inside each section with
 * plain (relaxed) accesses, as per-CPU data is; finding it set means two
 * sections overlapped.
 */
struct cpu_share {
	int occupied;
	unsigned long overlaps;		/* written inside sections only */
	unsigned long sections[2];
	unsigned long round, round_done;	/* cpu_resident()'s pacing */
	int stop;
	int hold_ready;			/* the holder is in its long section */
	int hold_done;			/* ...and about to leave it */
};

/*
 * A section with some length, so that another thread can land inside it:
 * it yields the processor in its middle, which also makes valgrind (one
 * thread at a time) switch threads there, and keeps the test's length set
 * by its work rather than by the scheduler's time slices.
 */
static void cpu_section(struct cpu_share *s, unsigned int who, unsigned int spin)
{
	unsigned int i;

	preempt_disable();
	if (READ_ONCE(s->occupied))
		s->overlaps++;
	WRITE_ONCE(s->occupied, 1);
	sched_yield();
	for (i = 0; i < spin; i++)
		barrier();
	if (READ_ONCE(s->occupied) != 1)
		s->overlaps++;
	WRITE_ONCE(s->occupied, 0);
	s->sections[who]++;
	preempt_enable();
}

#define CPU_ROUNDS	200
#define CPU_ROUND_SECTIONS	4

/*
 * CPU 0's resident: in round r, once the visitor has started it, a few
 * sections in a row, then it says so. Each side waits only for the other's
 * bounded work, so the test's length is set by its work on any scheduler.
 */
static void *cpu_resident(void *arg)
{
	struct cpu_share *s = arg;
	unsigned long r;
	unsigned int j;

	sim_set_cpu(0);
	for (r = 1; r <= CPU_ROUNDS; r++) {
		while (__atomic_load_n(&s->round, __ATOMIC_ACQUIRE) < r)
			sched_yield();
		for (j = 0; j < CPU_ROUND_SECTIONS; j++)
			cpu_section(s, 0, 100);
		__atomic_store_n(&s->round_done, r, __ATOMIC_RELEASE);
	}
	return NULL;
}

/*
 * One thread stays on CPU 0 while another joins it in each round, as the
 * resident runs its sections, and leaves again at the round's end: each
 * join switches the CPU from alone to shared while the resident is (most
 * likely) inside a section it entered without the flag, each leave switches
 * it back. No two sections may overlap.
 */
SIM_TEST(sim, cpu_sections_exclusive_across_joins_and_leaves)
{
	struct cpu_share s = { 0 };
	unsigned long r;
	unsigned int j;
	pthread_t th;

	sim_set_cpu(1);
	ASSERT_EQ(pthread_create(&th, NULL, cpu_resident, &s), 0);
	for (r = 1; r <= CPU_ROUNDS; r++) {
		__atomic_store_n(&s.round, r, __ATOMIC_RELEASE);
		sim_set_cpu(0);
		for (j = 0; j < CPU_ROUND_SECTIONS; j++)
			cpu_section(&s, 1, 100);
		sim_set_cpu(1);
		while (__atomic_load_n(&s.round_done, __ATOMIC_ACQUIRE) < r)
			sched_yield();
	}
	pthread_join(th, NULL);
	EXPECT_EQ(s.overlaps, 0);
	EXPECT_EQ(s.sections[0], CPU_ROUNDS * CPU_ROUND_SECTIONS);
	EXPECT_EQ(s.sections[1], CPU_ROUNDS * CPU_ROUND_SECTIONS);
}

/* Bound to CPU 0 before the other starts: the shared mode alone. */
static void *cpu_sharer(void *arg)
{
	struct cpu_share *s = arg;
	unsigned int i;

	sim_set_cpu(0);
	__atomic_store_n(&s->round_done, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&s->round, __ATOMIC_ACQUIRE))
		sched_yield();
	for (i = 0; i < CPU_ROUNDS * CPU_ROUND_SECTIONS; i++)
		cpu_section(s, 1, 100);
	return NULL;
}

SIM_TEST(sim, cpu_sections_exclusive_when_shared)
{
	struct cpu_share s = { 0 };
	unsigned int i;
	pthread_t th;

	sim_set_cpu(0);
	ASSERT_EQ(pthread_create(&th, NULL, cpu_sharer, &s), 0);
	while (!__atomic_load_n(&s.round_done, __ATOMIC_ACQUIRE))
		sched_yield();
	__atomic_store_n(&s.round, 1, __ATOMIC_RELEASE);
	for (i = 0; i < CPU_ROUNDS * CPU_ROUND_SECTIONS; i++)
		cpu_section(&s, 0, 100);
	pthread_join(th, NULL);
	EXPECT_EQ(s.overlaps, 0);
	EXPECT_EQ(s.sections[0], CPU_ROUNDS * CPU_ROUND_SECTIONS);
	EXPECT_EQ(s.sections[1], CPU_ROUNDS * CPU_ROUND_SECTIONS);
}

/* Hold CPU 0 in one long section, entered while alone on it. */
static void *cpu_holder(void *arg)
{
	struct cpu_share *s = arg;

	sim_set_cpu(0);
	preempt_disable();
	__atomic_store_n(&s->hold_ready, 1, __ATOMIC_RELEASE);
	usleep(100 * 1000);
	__atomic_store_n(&s->hold_done, 1, __ATOMIC_RELAXED);
	preempt_enable();
	return NULL;
}

/*
 * A thread joining a CPU while the CPU's only thread is inside a section
 * (one that took no flag) runs nothing there until that section is over.
 */
SIM_TEST(sim, cpu_join_waits_for_the_running_section)
{
	struct cpu_share s = { 0 };
	pthread_t th;
	int done;

	sim_set_cpu(1);
	ASSERT_EQ(pthread_create(&th, NULL, cpu_holder, &s), 0);
	while (!__atomic_load_n(&s.hold_ready, __ATOMIC_ACQUIRE))
		usleep(1000);
	sim_set_cpu(0);
	preempt_disable();
	done = __atomic_load_n(&s.hold_done, __ATOMIC_RELAXED);
	preempt_enable();
	EXPECT_EQ(done, 1);
	pthread_join(th, NULL);
}

/* Bound to CPU 0 until told to stop, running no section. */
static void *cpu_lodger(void *arg)
{
	struct cpu_share *s = arg;

	sim_set_cpu(0);
	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		sched_yield();
	return NULL;
}

static void *cpu_visitor(void *arg)
{
	struct cpu_share *s = arg;

	sim_set_cpu(0);
	cpu_section(s, 1, 0);
	return NULL;
}

/*
 * A CPU counts the threads bound to it: binding, moving and exiting are all
 * accounted, and a CPU left with one thread goes back to sections without
 * the flag (where membarrier(2) makes that possible at all).
 */
SIM_TEST(sim, cpu_counts_threads_as_they_bind_move_and_exit)
{
	struct cpu_share s = { 0 };
	unsigned int i;
	pthread_t th[3];
	bool alone;

	sim_set_cpu(0);
	EXPECT_EQ(sim_cpu_threads(0), 1);
	alone = sim_cpu_alone();
	for (i = 0; i < 3; i++)
		ASSERT_EQ(pthread_create(&th[i], NULL, cpu_visitor, &s), 0);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(s.sections[1], 3);
	/* The visitors exited: accounted as leaving. */
	EXPECT_EQ(sim_cpu_threads(0), 1);
	EXPECT_EQ(sim_cpu_alone(), alone);

	sim_set_cpu(2);
	EXPECT_EQ(sim_cpu_threads(0), 0);
	EXPECT_EQ(sim_cpu_threads(2), 1);
	ASSERT_EQ(pthread_create(&th[0], NULL, cpu_lodger, &s), 0);
	while (sim_cpu_threads(0) != 1)
		sched_yield();
	sim_set_cpu(0);
	EXPECT_EQ(sim_cpu_threads(0), 2);
	EXPECT_EQ(sim_cpu_threads(2), 0);
	EXPECT_FALSE(sim_cpu_alone());
	sim_leave_cpu();
	EXPECT_EQ(sim_cpu_threads(0), 1);
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th[0], NULL);
	EXPECT_EQ(sim_cpu_threads(0), 0);
	/* A thread with no CPU gets one on its next section. */
	preempt_disable();
	EXPECT_GE(sim_cpu(), 0);
	preempt_enable();
	EXPECT_EQ(sim_cpu_threads(sim_cpu()), 1);
	EXPECT_EQ(sim_cpu_alone(), alone);
	EXPECT_EQ(s.overlaps, 0);
}

/* === Per-CPU data === */

struct pcpu_pair {
	long a, b;
};

struct pcpu_adder {
	struct pcpu_pair __percpu *p;
	unsigned long n;
	int ready;			/* both adders start together */
};

/* this_cpu_add() from outside any section, racing another thread of CPU 0. */
static void *pcpu_adder(void *arg)
{
	struct pcpu_adder *ad = arg;
	unsigned long i;

	sim_set_cpu(0);
	__atomic_add_fetch(&ad->ready, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&ad->ready, __ATOMIC_ACQUIRE) < 2)
		sched_yield();
	for (i = 0; i < ad->n; i++)
		this_cpu_add(ad->p->b, 1);
	return NULL;
}

/*
 * this_cpu_add() on a member reaches the calling CPU's copy of the object
 * (the kernel's layout: CPU c's copy c units on), touches nothing else, and
 * loses no update when threads of one CPU add outside any section.
 */
SIM_TEST(sim, this_cpu_add_reaches_the_calling_cpus_copy)
{
	struct pcpu_pair __percpu *p = alloc_percpu(struct pcpu_pair);
	struct pcpu_adder ad = { .p = p, .n = 200000 };
	unsigned int cpu;
	pthread_t th;

	ASSERT_PTR_NE(p, NULL);
	ASSERT_GE(nr_cpu_ids, 4);
	for (cpu = 0; cpu < 4; cpu++) {
		sim_set_cpu(cpu);
		this_cpu_add(p->b, cpu + 1);
		preempt_disable();
		this_cpu_add(p->b, 10);
		preempt_enable();
	}
	for (cpu = 0; cpu < 4; cpu++) {
		EXPECT_EQ(per_cpu_ptr(p, cpu)->a, 0);
		EXPECT_EQ(per_cpu_ptr(p, cpu)->b, cpu + 11);
	}

	sim_set_cpu(0);
	ASSERT_EQ(pthread_create(&th, NULL, pcpu_adder, &ad), 0);
	pcpu_adder(&ad);
	pthread_join(th, NULL);
	EXPECT_EQ(per_cpu_ptr(p, 0)->b, 11 + 2 * ad.n);
	EXPECT_EQ(per_cpu_ptr(p, 1)->b, 12);
	free_percpu(p);
}
