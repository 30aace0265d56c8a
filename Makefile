# SPDX-License-Identifier: GPL-2.0
#
# myslab: out-of-tree build wrapper and the project's commands.
# `make help` lists the targets and knobs.

KDIR		?= /lib/modules/$(shell uname -r)/build
export PREFIX	?= /usr/local
KRELEASE	= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
KERNELS		?= 6.1 6.12 6.12-rt
export SMP	?= 2
VM		:= userspace_tools/vm

.PHONY: all modules clean help deps test test-kunit test-stock test-harness test-tools demo vm check \
	tools install uninstall dkms dkms-remove bench bench-kernel stress test-host fuzz

all: modules

modules:
	@test -d "$(KDIR)" || { echo "make: no kernel build tree at KDIR=$(KDIR); install" \
		"linux-headers-$$(uname -r) or pass KDIR=/path/to/kernel/build" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tools:
	$(MAKE) -C userspace_tools

bench:
	userspace_tools/bench/run.sh

bench-kernel:
	userspace_tools/kbench/run.sh

# The torture test for minutes instead of seconds, on both debug kernels.
stress:
	TORTURE_APPEND="TORTURE_DURATION=300 TORTURE_FAULT_DURATION=60" TORTURE_TIMEOUT=1200 \
		$(VM)/test.sh kunit $(KERNELS)

install: modules tools
	install -D -m 0644 myslab.ko $(DESTDIR)/lib/modules/$(KRELEASE)/updates/myslab.ko
	install -d $(DESTDIR)$(PREFIX)/include/myslab
	install -m 0644 include/myslab/*.h $(DESTDIR)$(PREFIX)/include/myslab/
	$(MAKE) -C userspace_tools install
	test -n "$(DESTDIR)" || depmod -a $(KRELEASE)

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(KRELEASE)/updates/myslab.ko
	rm -rf $(DESTDIR)$(PREFIX)/include/myslab
	$(MAKE) -C userspace_tools uninstall
	test -n "$(DESTDIR)" || depmod -a $(KRELEASE)

dkms:
	userspace_tools/dkms/dkms-install.sh -k $(KRELEASE)

dkms-remove:
	userspace_tools/dkms/dkms-install.sh --remove

clean:
	-test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C userspace_tools clean
	rm -rf .build
	find kmod kunit_tests \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '*.mod.o' \) -delete
	rm -f Module.symvers modules.order

deps:
	$(VM)/install-deps.sh

test:
	$(VM)/test.sh all

test-kunit:
	$(VM)/test.sh kunit $(KERNELS)

test-stock:
	$(VM)/test.sh stock

test-host:
	$(VM)/test.sh host

fuzz:
	$(MAKE) -C userspace_tools/sim fuzz

test-tools:
	$(VM)/test.sh tools

test-harness:
	$(VM)/test.sh harness

demo:
	$(VM)/demo.sh

vm:
	$(VM)/demo.sh --shell

check:
	$(VM)/test.sh style

help:
	@echo "myslab - buddy page allocator and slab caches as an out-of-tree module"
	@echo
	@echo "Build:"
	@echo "  make [modules]      build myslab.ko (and myslab_kunit.ko when the tree has KUnit) against KDIR"
	@echo "  make clean          remove every build file"
	@echo "  make check          checkpatch --strict and sparse over the sources"
	@echo "  make tools          build the userspace tools (myslabtop)"
	@echo "  make install        install myslab.ko (KDIR's kernel), headers and tools; DESTDIR, PREFIX"
	@echo "  make uninstall      remove what install put there"
	@echo "  make dkms           register, build and install the module with DKMS (dkms-remove undoes)"
	@echo
	@echo "Run (inside QEMU guests only; installs missing Debian packages):"
	@echo "  make demo           boot the stock Debian kernel, load myslab, show its /proc files, unload"
	@echo "  make vm             the same guest with an interactive shell"
	@echo "  make test           every test; exits non-zero on any failure"
	@echo "  make test-kunit     KUnit suites on the debug kernels (KERNELS)"
	@echo "  make test-stock     load/unload checks on the stock Debian kernel"
	@echo "  make test-harness   prove the VM runner catches failures, splats and hangs"
	@echo "  make test-host      the core built in userspace: unit tests and the KUnit suites under"
	@echo "                      ASan/UBSan and valgrind, short fuzz"
	@echo "  make fuzz           the libFuzzer harness for longer (userspace_tools/sim/fuzz/)"
	@echo "  make test-tools     myslabtop tests (host and guest), dkms and header builds for 6.1 and 6.12"
	@echo "  make deps           install the Debian packages the above need"
	@echo
	@echo "Benchmarks (print ratios measured in one run; results and plots in .build/bench/):"
	@echo "  make bench          userspace shoot-out: myslab vs glibc, jemalloc, tcmalloc, mimalloc,"
	@echo "                      ns and instructions per alloc+free pair (callgrind; COUNT=0: no count)"
	@echo "  make bench-kernel   in-kernel: myslab vs SLUB and the page allocator on the stock kernel"
	@echo "                      (KBENCH_KERNEL=6.12, KBENCH_ICOUNT=1, SMP=4: see kbench/run.sh)"
	@echo "  make stress         the KUnit suites, then the torture test for 5 minutes, on both debug kernels"
	@echo
	@echo "Knobs:"
	@echo "  KDIR=$(KDIR)"
	@echo "                      kernel build tree for 'make modules'"
	@echo "  KERNELS=\"$(KERNELS)\" debug kernels for test-kunit"
	@echo "  SMP=$(SMP)              guest CPUs for the test and demo VMs (2 or 4)"
	@echo "  MYSLAB_CACHE=/var/cache/myslab"
	@echo "                      where debug kernels are built once and kept"
