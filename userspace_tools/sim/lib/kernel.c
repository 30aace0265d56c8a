// SPDX-License-Identifier: GPL-2.0
/*
 * The rest of the kernel that module glue and the KUnit suites use, for the
 * userspace build: irq_work run on the spot (linux/irq_work.h), vmalloc
 * areas between guard pages (linux/vmalloc.h), fault injection's decision
 * (linux/fault-inject.h), rate limits (linux/ratelimit.h) and the bool
 * parameter getter (linux/moduleparam.h).
 */
/* This file provides should_fail(): the header declares it only then. */
#define CONFIG_FAULT_INJECTION 1

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <linux/fault-inject.h>
#include <linux/irq_work.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>
#include <sim/runtime.h>

/* === irq_work === */

bool irq_work_queue(struct irq_work *work)
{
	unsigned long flags;

	if (__atomic_exchange_n(&work->busy, 1, __ATOMIC_ACQUIRE))
		return false;
	if (WARN(irqs_disabled(),
		 "irq_work_queue() with interrupts off: the sim cannot defer the work until they are on")) {
		__atomic_store_n(&work->busy, 0, __ATOMIC_RELEASE);
		return true;
	}
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		/* The CPU's irq_work thread preempts the task: task context. */
		work->func(work);
	} else {
		/* A hard interrupt: preemption and interrupts off. */
		preempt_disable();
		local_irq_save(flags);
		sim_self.hardirq++;
		work->func(work);
		sim_self.hardirq--;
		local_irq_restore(flags);
		preempt_enable();
	}
	__atomic_store_n(&work->busy, 0, __ATOMIC_RELEASE);
	return true;
}

void irq_work_sync(struct irq_work *work)
{
	might_sleep();
	WARN_ON(__atomic_load_n(&work->busy, __ATOMIC_ACQUIRE));
}

/* === vmalloc === */

struct vm_area {
	struct vm_area *next;
	void *addr;
	unsigned long size;		/* without the guard pages */
};

static pthread_mutex_t vm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vm_area *vm_areas;	/* vm_lock */
static long vm_live;			/* vm_lock */

void *vmalloc(unsigned long size)
{
	struct vm_area *area;
	char *p;

	might_sleep();
	if (!size)
		return NULL;
	size = PAGE_ALIGN(size);
	area = malloc(sizeof(*area));
	if (!area)
		return NULL;
	p = mmap(NULL, size + 2 * PAGE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		free(area);
		return NULL;
	}
	if (mprotect(p + PAGE_SIZE, size, PROT_READ | PROT_WRITE)) {
		munmap(p, size + 2 * PAGE_SIZE);
		free(area);
		return NULL;
	}
	area->addr = p + PAGE_SIZE;
	area->size = size;
	pthread_mutex_lock(&vm_lock);
	area->next = vm_areas;
	vm_areas = area;
	vm_live++;
	pthread_mutex_unlock(&vm_lock);
	return area->addr;
}

/* Fresh anonymous pages are zero already. */
void *vzalloc(unsigned long size)
{
	return vmalloc(size);
}

void vfree(const void *addr)
{
	struct vm_area **pp, *area = NULL;

	if (!addr)
		return;
	pthread_mutex_lock(&vm_lock);
	for (pp = &vm_areas; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr == addr) {
			area = *pp;
			*pp = area->next;
			vm_live--;
			break;
		}
	}
	pthread_mutex_unlock(&vm_lock);
	if (WARN(!area, "vfree(%p): not a vmalloc area", addr))
		return;
	munmap((char *)area->addr - PAGE_SIZE, area->size + 2 * PAGE_SIZE);
	free(area);
}

bool is_vmalloc_addr(const void *addr)
{
	const char *p = addr;
	struct vm_area *area;
	bool found = false;

	pthread_mutex_lock(&vm_lock);
	for (area = vm_areas; area && !found; area = area->next)
		found = p >= (char *)area->addr &&
			p < (char *)area->addr + area->size;
	pthread_mutex_unlock(&vm_lock);
	return found;
}

long sim_vmalloc_live(void)
{
	long n;

	pthread_mutex_lock(&vm_lock);
	n = vm_live;
	pthread_mutex_unlock(&vm_lock);
	return n;
}

/* === Rate limits: lib/ratelimit.c === */

int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	int ret;

	if (!rs->interval)
		return 1;
	pthread_mutex_lock(&rs->lock);
	if (!rs->begin)
		rs->begin = jiffies;
	if (time_is_before_jiffies(rs->begin + rs->interval)) {
		if (rs->missed)
			printk(KERN_WARNING "%s: %d callbacks suppressed\n",
			       func, rs->missed);
		rs->begin = jiffies;
		rs->printed = 0;
		rs->missed = 0;
	}
	if (rs->burst && rs->burst > rs->printed) {
		rs->printed++;
		ret = 1;
	} else {
		rs->missed++;
		ret = 0;
	}
	pthread_mutex_unlock(&rs->lock);
	return ret;
}

/* === Fault injection: lib/fault-inject.c's decision === */

static void fail_dump(struct fault_attr *attr)
{
	if (attr->verbose > 0 && __ratelimit(&attr->ratelimit_state))
		printk(KERN_NOTICE "FAULT_INJECTION: forcing a failure.\n"
		       "interval %lu, probability %lu, space %d, times %d\n",
		       attr->interval, attr->probability,
		       atomic_read(&attr->space), atomic_read(&attr->times));
}

bool should_fail_ex(struct fault_attr *attr, ssize_t size, int flags)
{
	int times;

	/* No need to check any other properties if the probability is 0. */
	if (attr->probability == 0)
		return false;
	if (attr->task_filter && !(in_task() && current->make_it_fail))
		return false;
	if (atomic_read(&attr->times) == 0)
		return false;
	if (atomic_read(&attr->space) > size) {
		atomic_sub(size, &attr->space);
		return false;
	}
	if (attr->interval > 1) {
		attr->count++;
		if (attr->count % attr->interval)
			return false;
	}
	if (attr->probability <= get_random_u32_below(100))
		return false;

	if (!(flags & FAULT_NOWARN))
		fail_dump(attr);
	/* atomic_dec_not_zero(), unless there is no limit (-1). */
	times = atomic_read(&attr->times);
	while (times != -1 && times != 0 &&
	       !atomic_try_cmpxchg(&attr->times, &times, times - 1))
		;
	return true;
}

bool should_fail(struct fault_attr *attr, ssize_t size)
{
	return should_fail_ex(attr, size, 0);
}

/* === Module parameters === */

int param_get_bool(char *buffer, const struct kernel_param *kp)
{
	return sprintf(buffer, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}
