// SPDX-License-Identifier: GPL-2.0
/*
 * The module's main region: its parameters and the two region providers.
 *
 *  reserved	a physical range the kernel was booted with reserved
 *		(memmap=SIZE$START), named by phys_base and phys_size, claimed
 *		in /proc/iomem and mapped with memremap(MEMREMAP_WB)
 *  vmalloc	the default: size bytes of vmalloc()ed memory
 *
 * Both providers hand out memory that kmemleak does not track: the reserved
 * range never was, and the vmalloc()ed area is untracked right after the
 * allocation, so that the slab layer can register its objects inside it
 * (kmemleak stops for good when a registered object overlaps a tracked one).
 * Like the kernel's page allocator, pages themselves are neither tracked nor
 * scanned.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#ifdef CONFIG_X86
#include <asm/e820/api.h>
#endif

#include "module.h"
#include "kernel/hooks/buddy_hooks.h"
#include "core/buddy/buddy_internal.h"
#include "params.h"

#define MAIN_REGION_NAME	"myslab"
#define DEFAULT_REGION_SIZE	(64ULL << 20)
#define MAX_REGION_SIZE		(64ULL << 30)

/* === Parameters === */

/*
 * memparse()'s syntax, as the kernel's memmap=SIZE$START takes it, so that
 * a range is named here in the words it was reserved with: a decimal, 0x
 * hexadecimal or 0 octal number, then an optional K, M, G, T, P or E (either
 * case, powers of 1024; in hexadecimal an E is a digit). Unlike memparse(),
 * whose simple_strtoull() wraps silently, a number or product that does
 * not fit in 64 bits is refused, and so is anything after the suffix.
 *
 * Return: 0, -ERANGE (does not fit) or -EINVAL.
 */
static int bytes_parse(const char *s, unsigned long long *bytes)
{
	static const char suffixes[] = "KMGTPE";
	unsigned int base = 10, digit, shift = 0;
	const char *digits, *suffix;
	unsigned long long v = 0;

	if (s[0] == '0' && tolower(s[1]) == 'x' && isxdigit(s[2])) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (digits = s; isxdigit(*s); s++) {
		digit = isdigit(*s) ? *s - '0' : tolower(*s) - 'a' + 10;
		if (digit >= base)
			break;
		if (check_mul_overflow(v, (unsigned long long)base, &v) ||
		    check_add_overflow(v, (unsigned long long)digit, &v))
			return -ERANGE;
	}
	if (s == digits)
		return -EINVAL;

	suffix = *s ? strchr(suffixes, toupper(*s)) : NULL;
	if (suffix) {
		shift = 10 * (suffix - suffixes + 1);
		s++;
	}
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (v > (ULLONG_MAX >> shift))
		return -ERANGE;
	*bytes = v << shift;
	return 0;
}

#define BYTES_SYNTAX \
	"a byte count below 2^64: a decimal, 0x hexadecimal or 0 octal number, optionally followed by K, M, G, T, P or E (powers of 1024)"

/* A byte count (bytes_parse()). The bounds are checked when the region is made. */
static int bytes_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned long long bytes;
	int err;

	if (!val)
		return myslab_param_refuse(kp, val, "expected " BYTES_SYNTAX);
	err = bytes_parse(val, &bytes);
	if (err == -ERANGE)
		return myslab_param_refuse(kp, val,
					   "does not fit in 64 bits; expected " BYTES_SYNTAX);
	if (err)
		return myslab_param_refuse(kp, val, "expected " BYTES_SYNTAX);
	*(unsigned long long *)kp->arg = bytes;
	return 0;
}

static int bytes_param_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%#llx\n", *(unsigned long long *)kp->arg);
}

static const struct kernel_param_ops bytes_param_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = bytes_param_set,
	.get = bytes_param_get,
};

/* An integer (kstrtouint(): decimal, 0x hex or 0 octal) from 0 to @max. */
static int uint_param_set(const char *val, const struct kernel_param *kp,
			  unsigned int max, const char *zero)
{
	unsigned int v;

	if (!val || kstrtouint(val, 0, &v) || v > max)
		return myslab_param_refuse(kp, val,
					   "expected an integer from 0%s to %u",
					   zero, max);
	*(unsigned int *)kp->arg = v;
	return 0;
}

static int max_order_set(const char *val, const struct kernel_param *kp)
{
	return uint_param_set(val, kp, MYSLAB_MAX_ORDER_LIMIT, "");
}

static const struct kernel_param_ops max_order_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = max_order_set,
	.get = param_get_uint,
};

static int pcp_batch_set(const char *val, const struct kernel_param *kp)
{
	return uint_param_set(val, kp, MYSLAB_PCP_BATCH_MAX,
			      " (no per-CPU page lists)");
}

static const struct kernel_param_ops pcp_batch_ops = {
	.flags = KERNEL_PARAM_OPS_FL_NOARG,
	.set = pcp_batch_set,
	.get = param_get_uint,
};

static unsigned long long phys_base_param;
module_param_cb(phys_base, &bytes_param_ops, &phys_base_param, 0444);
MODULE_PARM_DESC(phys_base, "Physical start of a range reserved at boot with memmap=SIZE$START to use as the main region (with phys_size)");

static unsigned long long phys_size_param;
module_param_cb(phys_size, &bytes_param_ops, &phys_size_param, 0444);
MODULE_PARM_DESC(phys_size, "Length in bytes of the reserved physical range (K/M/G/T/P/E suffixes accepted)");

static unsigned long long region_size = DEFAULT_REGION_SIZE;
module_param_cb(size, &bytes_param_ops, &region_size, 0444);
MODULE_PARM_DESC(size, "Size of the vmalloc()ed main region when no physical range is given (default 64M)");

static unsigned int max_order = 10;
module_param_cb(max_order, &max_order_ops, &max_order, 0444);
MODULE_PARM_DESC(max_order, "Largest block order of the main region (default 10: 4 MiB blocks, at most 20)");

static unsigned int pcp_batch = 32;
module_param_cb(pcp_batch, &pcp_batch_ops, &pcp_batch, 0444);
MODULE_PARM_DESC(pcp_batch, "Pages moved between a per-CPU page list (blocks of orders 0-3) and the free lists at once (default 32, 0 disables the lists)");

/* === Provider: reserved physical memory === */

static void phys_release(struct myslab_mem *mem)
{
	memunmap(mem->base);
	release_mem_region(mem->phys, mem->size);
}

/* Every refusal reads "myslab: phys range [START-END] rejected: why". */
static __printf(3, 4) void phys_reject(unsigned long long base,
				       unsigned long long size,
				       const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("phys range [%#llx-%#llx] rejected: %pV\n", base, base + size - 1, &vaf);
	va_end(args);
}

#ifdef CONFIG_X86
/* Is every page of the range in an e820 "reserved" entry (memmap=SIZE$START)? */
static bool e820_all_reserved(unsigned long long base, unsigned long long size)
{
	unsigned long long off;

	for (off = 0; off < size; off += PAGE_SIZE) {
		if (!e820__mapped_any(base + off, base + off + PAGE_SIZE,
				      E820_TYPE_RESERVED))
			return false;
		if (!(off & (SZ_1G - 1)))
			cond_resched();
	}
	return true;
}
#else
static bool e820_all_reserved(unsigned long long base, unsigned long long size)
{
	return true;
}
#endif

/*
 * memmap=SIZE$START makes the range an e820 "reserved" entry, which x86
 * publishes in /proc/iomem only from pcibios_resource_survey(): kernels
 * without PCI (like the lean test kernels) list nothing there. So: a range
 * /proc/iomem shows as reserved is accepted; one touching any other listed
 * resource (device memory, ACPI tables) is refused; one nothing is listed in
 * is accepted only when the firmware memory map (e820) says it is reserved,
 * so that a hole in the physical address space is never mapped as memory.
 */
static int phys_check_reserved(unsigned long long base, unsigned long long size)
{
	int ret = region_intersects(base, size, IORESOURCE_MEM, IORES_DESC_RESERVED);

	if (ret == REGION_INTERSECTS)
		return 0;
	if (ret != REGION_DISJOINT ||
	    region_intersects(base, size, IORESOURCE_MEM, IORES_DESC_NONE) != REGION_DISJOINT) {
		phys_reject(base, size,
			    "overlaps a resource other than reserved memory (see /proc/iomem); reserve it at boot with memmap=%lluK$%#llx",
			    size >> 10, base);
		return -EINVAL;
	}
	if (!e820_all_reserved(base, size)) {
		phys_reject(base, size,
			    "not reserved memory in the firmware memory map; reserve it at boot with memmap=%lluK$%#llx",
			    size >> 10, base);
		return -EINVAL;
	}
	return 0;
}

static int phys_get(struct myslab_mem *mem)
{
	unsigned long long base = phys_base_param, size = phys_size_param, end;
	int err;

	if (!size) {
		pr_err("phys range at %#llx rejected: empty (phys_size=0); give phys_size as well\n",
		       base);
		return -EINVAL;
	}
	if (!PAGE_ALIGNED(base) || !PAGE_ALIGNED(size)) {
		phys_reject(base, size,
			    "not page aligned: base and size must be multiples of %lu",
			    PAGE_SIZE);
		return -EINVAL;
	}
	if (check_add_overflow(base, size - 1, &end) ||
	    end > (unsigned long long)(phys_addr_t)~0ULL ||
	    size > SIZE_MAX || size > MAX_REGION_SIZE) {
		pr_err("phys range at %#llx of %#llx bytes rejected: overflows the physical address space or exceeds %llu bytes\n",
		       base, size, MAX_REGION_SIZE);
		return -EINVAL;
	}

	/* memremap() of System RAM succeeds: this check is what keeps us off it. */
	if (region_intersects(base, size, IORESOURCE_SYSTEM_RAM, IORES_DESC_NONE) !=
	    REGION_DISJOINT) {
		phys_reject(base, size,
			    "intersects System RAM in use by the kernel; reserve it at boot with memmap=%lluK$%#llx",
			    size >> 10, base);
		return -EINVAL;
	}
	err = phys_check_reserved(base, size);
	if (err)
		return err;
	if (!request_mem_region(base, size, KBUILD_MODNAME)) {
		phys_reject(base, size,
			    "already claimed by another driver (see /proc/iomem)");
		return -EBUSY;
	}
	mem->base = memremap(base, size, MEMREMAP_WB);
	if (!mem->base) {
		phys_reject(base, size, "memremap(MEMREMAP_WB) failed");
		release_mem_region(base, size);
		return -ENOMEM;
	}
	mem->size = size;
	mem->phys = base;
	mem->provider = "reserved";
	mem->release = phys_release;
	return 0;
}

/* === Provider: vmalloc (default) === */

static void vmalloc_release(struct myslab_mem *mem)
{
	vfree(mem->base);
}

static int vmalloc_get(struct myslab_mem *mem)
{
	unsigned long long size = region_size;

	if (!size || !PAGE_ALIGNED(size) || size > MAX_REGION_SIZE ||
	    size > SIZE_MAX) {
		pr_err("size=%llu rejected: expected a non-zero multiple of %lu up to %llu bytes\n",
		       size, PAGE_SIZE, MAX_REGION_SIZE);
		return -EINVAL;
	}
	mem->base = __vmalloc(size, GFP_KERNEL | __GFP_NOWARN);
	if (!mem->base) {
		pr_err("cannot vmalloc a %llu-byte main region; load with a smaller size=\n",
		       size);
		return -ENOMEM;
	}
	/*
	 * Untrack the area (vfree() tolerates that): objects the slab layer
	 * registers with kmemleak inside it must not overlap a tracked object.
	 */
	kmemleak_free(mem->base);
	mem->size = size;
	mem->phys = 0;
	mem->provider = "vmalloc";
	mem->release = vmalloc_release;
	return 0;
}

/* === The main region === */

static struct myslab_region *main_region;

/**
 * myslab_main_region - the region the myslab module owns
 *
 * Return: the main region, set up while the module loads and valid until
 * it unloads.
 */
struct myslab_region *myslab_main_region(void)
{
	return main_region;
}
EXPORT_SYMBOL_GPL(myslab_main_region);

int myslab_main_region_init(void)
{
	struct myslab_region_debug debug;
	struct myslab_region *region;
	struct myslab_buddy_stats stats;
	struct myslab_mem mem = {};
	unsigned int largest;
	char summary[160];
	int err;

	err = (phys_base_param || phys_size_param) ? phys_get(&mem) : vmalloc_get(&mem);
	if (err)
		return err;

	/* KASAN can watch vmalloc()ed memory only (see buddy_hooks.c). */
	myslab_main_region_debug(&debug, mem.release == vmalloc_release);
	region = myslab_region_create_debug(MAIN_REGION_NAME, &mem, max_order,
					    pcp_batch, &debug);
	if (IS_ERR(region)) {
		mem.release(&mem);
		return PTR_ERR(region);
	}
	main_region = region;

	myslab_buddy_stats(region, &stats);
	if (mem.phys)
		pr_info("main region: %s provider, phys %pa, %zu bytes (%lu pages) at %p\n",
			mem.provider, &mem.phys, mem.size, stats.nr_pages, mem.base);
	else
		pr_info("main region: %s provider, %zu bytes (%lu pages) at %p\n",
			mem.provider, mem.size, stats.nr_pages, mem.base);
	pr_info("main region: max_order %u, pcp_batch %u (pcp_high %u), %u metadata bytes per page (%lu KiB)\n",
		stats.max_order, stats.pcp_batch, stats.pcp_high,
		stats.meta_bytes_per_page,
		(stats.nr_pages * stats.meta_bytes_per_page) >> 10);
	pr_info("main region: %s\n",
		myslab_main_region_debug_summary(&debug, summary, sizeof(summary)));
	largest = ilog2(stats.nr_pages);
	if (largest < max_order)
		pr_info("main region: max_order %u exceeds its largest block (order %u); orders above stay empty\n",
			max_order, largest);
	return 0;
}

void myslab_main_region_exit(void)
{
	struct myslab_region *region = main_region;

	main_region = NULL;
	myslab_region_destroy(region);
}
