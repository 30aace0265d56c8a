#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# myslab's test runner: builds the modules for each kernel, boots test guests,
# judges every console with check-console.py, runs the host-side steps, and
# ends with the line "N passed, N failed, N skipped" whatever happened.
# Exits non-zero on any failure.
#
# Usage: test.sh all | kunit [6.1 6.12 6.12-rt] | stock | harness | style | tools | host

set -uo pipefail
. "$(dirname "$0")/lib.sh"

# The suites myslab_kunit.ko must report and the cases that plant reports.
SUITES=$TOP/kunit_tests/suites.expect

run_kunit() {
	local series=$1 tree mods label=$1-debug append

	tree=$("$VM_DIR/build-kernel.sh" "$series") || { broken "$label" "debug kernel build failed"; return; }
	lock_label "$label"
	if mods=$("$VM_DIR/build-modules.sh" "$label" "$tree"); then
		BOOT_KIND=debug
		# One kernel runs the suites under the zeroing policies (Debian's
		# stock kernels default to init_on_alloc=1), the other without.
		append=""
		[ "$series" = 6.12 ] && append="init_on_alloc=1 init_on_free=1"
		boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/kunit.sh" 600 "$append" \
			"$mods/myslab.ko" "$mods/myslab_kunit.ko"
		# The KTAP also goes through the kernel's own parser, which must agree.
		judge "$label" --expect-suites "$SUITES" --ktap-out "$LOGS/$label.ktap" \
			--kunit-py "$tree/tools/testing/kunit/kunit.py"
		# Every buddy debugfs file read, and written with good and bad input.
		label=$series-debugfs-buddy
		boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/debugfs_buddy.sh" \
			600 "" "$mods/myslab.ko"
		judge "$label"
		# Every per-cache debugfs file, the debug parameters, kmemleak.
		label=$series-debugfs-caches
		boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/debugfs_caches.sh" \
			600 "" "$mods/myslab.ko"
		judge "$label"
		# CPUs going offline and online while allocating: a dead CPU's
		# per-CPU pages and magazines come back, the accounting stays exact.
		label=$series-hotplug
		SMP=4 boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/hotplug.sh" \
			900 "" "$mods/myslab.ko"
		judge "$label"
		# The torture test: kthreads on 4 CPUs, a positive control, faults.
		label=$series-torture
		SMP=4 boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/torture.sh" \
			"${TORTURE_TIMEOUT:-600}" "${TORTURE_APPEND:-}" "$mods/myslab.ko" \
			"$mods/myslab_torture.ko"
		judge "$label"
		unset BOOT_KIND
	else
		broken "$label" "module build failed"
	fi
	unlock_label
}

# The boots of each stock Debian kernel, in order, one a line: <label>
# <scenario> [<kernel command line>]. The first label also names the module
# build, its lock and the line saying which kernel it is.
# linux-image-amd64: the stock scenario, the reserved-memory provider (64 MiB
# at 768 MiB reserved at boot; the $ is memmap's, quoted from the shell), the
# /proc writes, the per-cache debugfs files.
STOCK_BOOTS='stock stock.sh
stock-regions regions.sh memmap=64M$0x30000000
stock-writes writes.sh
stock-debugfs-caches debugfs_caches.sh'
# linux-image-rt-amd64 (Debian's PREEMPT_RT build of 6.1): the stock
# scenario and the /proc writes.
STOCK_RT_BOOTS='stock-rt stock.sh
stock-rt-writes writes.sh'

# run_stock_flavour <flavour> <boots>: build myslab.ko against the headers of
# the newest stock kernel of <flavour> ("" or "rt", see stock_kernel) and
# boot and judge each of <boots> on that kernel.
run_stock_flavour() {
	local flavour=$1 version kernel kdir mods label scenario append line
	local -a boots

	mapfile -t boots <<<"$2"
	label=${boots[0]%% *}
	read -r version kernel kdir < <(stock_kernel "$flavour") ||
		{ broken "$label" "no stock ${flavour:+$flavour }kernel"; return; }
	lock_label "$label"
	mods=$("$VM_DIR/build-modules.sh" "$label" "$kdir") ||
		{ broken "$label" "module build failed"; unlock_label; return; }
	echo "[$label] Debian kernel $version"
	BOOT_KIND=stock
	for line in "${boots[@]}"; do
		read -r label scenario append <<<"$line"
		boot "$label" "$kernel" "$VM_DIR/scenarios/$scenario" 300 "$append" "$mods/myslab.ko"
		judge "$label"
	done
	unset BOOT_KIND
	unlock_label
}

# Both stock flavours, each on its own: one that cannot run does not stop
# the other.
run_stock() {
	run_stock_flavour "" "$STOCK_BOOTS"
	run_stock_flavour rt "$STOCK_RT_BOOTS"
}

if ! "$VM_DIR/install-deps.sh" build vm kernels host; then
	broken install-deps "could not install the Debian packages the tests need"
	summary
	exit 1
fi

what=${1:-all}
[ $# -gt 0 ] && shift
case $what in
all)
	host_step "$VM_DIR/check-style.sh"
	host_step "$TOP/userspace_tools/sim/run-host-tests.sh"
	host_step "$TOP/userspace_tools/myslabtop/run-tests.sh"
	host_step "$TOP/userspace_tools/buddyview/run-tests.sh"
	host_step "$TOP/userspace_tools/dkms/ci-build-all.sh" --fetch 6.12 --dkms
	run_stock
	for k in 6.1 6.12 6.12-rt; do run_kunit "$k"; done
	host_step "$TOP/userspace_tools/myslabtop/tests/vm/run-in-guest.sh"
	host_step "$VM_DIR/selftest/selftest.sh"
	;;
tools)
	host_step "$TOP/userspace_tools/myslabtop/run-tests.sh"
	host_step "$TOP/userspace_tools/buddyview/run-tests.sh"
	host_step "$TOP/userspace_tools/myslabtop/tests/vm/run-in-guest.sh"
	host_step "$TOP/userspace_tools/dkms/ci-build-all.sh" --fetch 6.12 --dkms
	;;
kunit)
	for k in ${*:-6.1 6.12 6.12-rt}; do run_kunit "$k"; done
	;;
stock) run_stock ;;
harness) host_step "$VM_DIR/selftest/selftest.sh" ;;
style) host_step "$VM_DIR/check-style.sh" ;;
host) host_step "$TOP/userspace_tools/sim/run-host-tests.sh" ;;
*)
	echo "usage: test.sh all | kunit [6.1 6.12 6.12-rt] | stock | harness | style | tools | host" >&2
	broken test.sh "unknown step '$what'"
	;;
esac

summary
[ $total_fail -eq 0 ]
