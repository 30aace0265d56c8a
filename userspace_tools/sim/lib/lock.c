// SPDX-License-Identifier: GPL-2.0
/*
 * Locks for the userspace build: pthread mutexes plus a small lock checker
 * in the spirit of lockdep.
 *
 * A lock class is one spin_lock_init()/mutex_init() call site or one static
 * definition, as lockdep keys them. Each thread keeps the stack of locks it
 * holds. Taking a lock of class B while holding one of class A records the
 * dependency A -> B; if B -> ... -> A was recorded before (by any thread, at
 * any time), the two orders can deadlock and the checker reports a "possible
 * circular locking dependency" splat. Taking a second lock of a class
 * already held is a "possible recursive locking" splat, and taking a lock
 * the thread holds is a BUG (it would deadlock right here). Each dependency
 * is checked once, when first seen, so the common path is a bit test.
 */
#include <stdio.h>
#include <string.h>

#include <sim/runtime.h>

#define SIM_MAX_CLASSES	128

#if SIM_CHECKS
static struct sim_lock_class *classes[SIM_MAX_CLASSES + 1];
static int nr_classes;
/* after[a] has bit b when class b was taken while class a was held. */
static uint64_t after[SIM_MAX_CLASSES + 1][(SIM_MAX_CLASSES + 64) / 64];
static pthread_mutex_t graph_lock = PTHREAD_MUTEX_INITIALIZER;
#endif

void sim_lock_init(struct sim_lock *l, struct sim_lock_class *class,
		   bool sleeping)
{
	pthread_mutex_init(&l->mutex, NULL);
	l->class = class;
	l->owner = NULL;
	l->sleeping = sleeping;
}

void sim_lock_destroy(struct sim_lock *l)
{
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED))
		sim_warn(__FILE__, __LINE__, "destroy",
			 "BUG: destroying held lock %s", l->class->name);
}

#if SIM_CHECKS
static bool edge(int a, int b)
{
	return __atomic_load_n(&after[a][b / 64], __ATOMIC_RELAXED) &
	       (1ULL << (b % 64));
}

static int class_id(struct sim_lock_class *c)
{
	int id = __atomic_load_n(&c->id, __ATOMIC_ACQUIRE);

	if (id)
		return id;
	pthread_mutex_lock(&graph_lock);
	if (!c->id) {
		if (nr_classes == SIM_MAX_CLASSES) {
			pthread_mutex_unlock(&graph_lock);
			sim_bug(__FILE__, __LINE__, "too many lock classes");
		}
		classes[++nr_classes] = c;
		__atomic_store_n(&c->id, nr_classes, __ATOMIC_RELEASE);
	}
	id = c->id;
	pthread_mutex_unlock(&graph_lock);
	return id;
}

/* Is @to reachable from @from along recorded dependencies? graph_lock held. */
static bool reaches(int from, int to, uint64_t *seen)
{
	int b;

	if (from == to)
		return true;
	seen[from / 64] |= 1ULL << (from % 64);
	for (b = 1; b <= nr_classes; b++)
		if (edge(from, b) && !(seen[b / 64] & (1ULL << (b % 64))) &&
		    reaches(b, to, seen))
			return true;
	return false;
}

static void check_order(struct sim_lock *l, bool nested)
{
	int b = class_id(l->class), i, a;

	for (i = 0; i < sim_self.nr_held; i++) {
		a = class_id(sim_self.held[i]->class);
		if (a == b && nested)
			continue;
		if (a == b) {
			sim_warn(__FILE__, __LINE__, "lockdep",
				 "possible recursive locking detected: taking %s while holding another lock of its class",
				 l->class->name);
			continue;
		}
		if (edge(a, b))
			continue;
		pthread_mutex_lock(&graph_lock);
		if (!edge(a, b)) {
			uint64_t seen[(SIM_MAX_CLASSES + 64) / 64] = { 0 };

			if (reaches(b, a, seen)) {
				pthread_mutex_unlock(&graph_lock);
				sim_warn(__FILE__, __LINE__, "lockdep",
					 "possible circular locking dependency detected: taking %s while holding %s, the opposite order was seen before",
					 l->class->name, classes[a]->name);
				continue;
			}
			__atomic_fetch_or(&after[a][b / 64], 1ULL << (b % 64),
					  __ATOMIC_RELAXED);
		}
		pthread_mutex_unlock(&graph_lock);
	}
}

static void push_held(struct sim_lock *l)
{
	if (sim_self.nr_held == SIM_MAX_HELD_LOCKS)
		sim_bug(__FILE__, __LINE__, "too many locks held");
	sim_self.held[sim_self.nr_held++] = l;
}

static void pop_held(struct sim_lock *l)
{
	int i;

	for (i = sim_self.nr_held - 1; i >= 0; i--) {
		if (sim_self.held[i] == l) {
			memmove(&sim_self.held[i], &sim_self.held[i + 1],
				(sim_self.nr_held - i - 1) * sizeof(l));
			sim_self.nr_held--;
			return;
		}
	}
}

#else

static inline void check_order(struct sim_lock *l, bool nested) { (void)l; (void)nested; }
static inline void push_held(struct sim_lock *l) { (void)l; }
static inline void pop_held(struct sim_lock *l) { (void)l; }

#endif /* SIM_CHECKS */

static void lock_acquire(struct sim_lock *l, bool nested)
{
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == &sim_self)
		sim_bug(__FILE__, __LINE__, "recursive locking: this thread already holds the lock (deadlock)");
	check_order(l, nested);
	pthread_mutex_lock(&l->mutex);
	__atomic_store_n(&l->owner, &sim_self, __ATOMIC_RELAXED);
	push_held(l);
}

void sim_lock_acquire(struct sim_lock *l)
{
	lock_acquire(l, false);
}

/*
 * As lockdep's nest_lock: several locks of one class may be held together
 * while @nest, which serialises everyone who does so, is held.
 */
void sim_lock_acquire_nest(struct sim_lock *l, const struct sim_lock *nest)
{
	if (!sim_lock_held_by_me(nest))
		sim_warn(__FILE__, __LINE__, "lockdep",
			 "taking %s nested in a lock this thread does not hold",
			 l->class ? l->class->name : "?");
	lock_acquire(l, true);
}

int sim_lock_try(struct sim_lock *l)
{
	if (pthread_mutex_trylock(&l->mutex))
		return 0;
	__atomic_store_n(&l->owner, &sim_self, __ATOMIC_RELAXED);
	push_held(l);
	return 1;
}

void sim_lock_release(struct sim_lock *l)
{
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != &sim_self) {
		sim_warn(__FILE__, __LINE__, "unlock",
			 "BUG: releasing lock %s this thread does not hold",
			 l->class ? l->class->name : "?");
		return;
	}
	pop_held(l);
	__atomic_store_n(&l->owner, NULL, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&l->mutex);
}

bool sim_lock_held_by_me(const struct sim_lock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == &sim_self;
}

void sim_lock_assert_held(const struct sim_lock *l, const char *what,
			  const char *file, int line)
{
	if (!sim_lock_held_by_me(l))
		sim_warn(file, line, what, "lockdep_assert_held(%s) failed", what);
}
