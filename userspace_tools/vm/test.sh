#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# myslab's test runner: builds the modules for each kernel, boots test guests,
# judges every console with check-console.py, and ends with the line
# "N passed, N failed, N skipped". Exits non-zero on any failure.
#
# Usage: test.sh all | kunit [6.1 6.12] | stock | harness | style | tools | host

set -uo pipefail
. "$(dirname "$0")/lib.sh"

total_pass=0 total_fail=0 total_skip=0

# judge <label> [check-console options]: judge $LOGS/<label>.log, add its counts.
judge() {
	local label=$1 out rc
	shift
	local opts=()
	[ "$BOOT_RC" = 124 ] && opts+=(--timed-out "$BOOT_TIMEOUT")
	out=$("$VM_DIR/check-console.py" --label "$label" "${opts[@]}" "$@" "$LOGS/$label.log")
	rc=$?
	echo "$out" | grep -v '^RESULT '
	tally "$(echo "$out" | grep '^RESULT ')"
	if [ $rc -ne 0 ]; then
		echo "[$label] console log: $LOGS/$label.log"
	fi
	echo "[$label] boot took ${BOOT_SECONDS} s"
	return $rc
}

tally() {
	local p f s
	read -r p f s < <(echo "$1" | sed -E 's/RESULT passed=([0-9]+) failed=([0-9]+) skipped=([0-9]+)/\1 \2 \3/')
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-1}))
	total_skip=$((total_skip + ${s:-0}))
}

# A step that could not even boot (build failure, missing kernel) is one failure.
broken() {
	echo "[$1] FAIL: $2"
	total_fail=$((total_fail + 1))
}

run_kunit() {
	local series=$1 tree mods label=$1-debug

	tree=$("$VM_DIR/build-kernel.sh" "$series") || { broken "$label" "debug kernel build failed"; return; }
	lock_label "$label"
	if mods=$("$VM_DIR/build-modules.sh" "$label" "$tree"); then
		BOOT_TIMEOUT=600
		boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/kunit.sh" "$BOOT_TIMEOUT" "" \
			"$mods/myslab.ko" "$mods/myslab_kunit.ko"
		# The KUnit suites plant corruption on purpose: their reports must be there.
		judge "$label" --min-suites 1 \
			--expect-splat ': redzone overwritten at ' \
			--expect-splat ': poison overwritten: write after free at ' \
			--expect-splat ': corrupted free-list pointer: slab at region offset ' \
			--expect-splat ': double free' \
			--expect-splat 'myslab: region kunit: page ' \
			--expect-splat ': outside the region, expected an address in its '
		# Every buddy debugfs file read, and written with good and bad input.
		label=$series-debugfs-buddy
		boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/debugfs_buddy.sh" \
			"$BOOT_TIMEOUT" "" "$mods/myslab.ko"
		judge "$label"
		# Every per-cache debugfs file, the debug parameters, kmemleak.
		label=$series-debugfs-caches
		boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/debugfs_caches.sh" \
			"$BOOT_TIMEOUT" "" "$mods/myslab.ko"
		judge "$label"
		# The torture test: kthreads on 4 CPUs, a positive control, faults.
		label=$series-torture
		BOOT_TIMEOUT=${TORTURE_TIMEOUT:-600}
		SMP=4 boot "$label" "$tree/arch/x86/boot/bzImage" "$VM_DIR/scenarios/torture.sh" \
			"$BOOT_TIMEOUT" "${TORTURE_APPEND:-}" "$mods/myslab.ko" "$mods/myslab_torture.ko"
		judge "$label"
	else
		broken "$label" "module build failed"
	fi
	unlock_label
}

run_stock() {
	local version kernel kdir mods label=stock

	read -r version kernel kdir < <(stock_kernel) || { broken "$label" "no stock kernel"; return; }
	lock_label "$label"
	mods=$("$VM_DIR/build-modules.sh" "$label" "$kdir") ||
		{ broken "$label" "module build failed"; unlock_label; return; }
	BOOT_TIMEOUT=300
	echo "[$label] Debian kernel $version"
	boot "$label" "$kernel" "$VM_DIR/scenarios/stock.sh" "$BOOT_TIMEOUT" "" "$mods/myslab.ko"
	judge "$label"
	# 64 MiB at 768 MiB reserved at boot, for the reserved-memory provider.
	label=stock-regions
	boot "$label" "$kernel" "$VM_DIR/scenarios/regions.sh" "$BOOT_TIMEOUT" 'memmap=64M$0x30000000' \
		"$mods/myslab.ko"
	judge "$label"
	label=stock-writes
	boot "$label" "$kernel" "$VM_DIR/scenarios/writes.sh" "$BOOT_TIMEOUT" "" "$mods/myslab.ko"
	judge "$label"
	label=stock-debugfs-caches
	boot "$label" "$kernel" "$VM_DIR/scenarios/debugfs_caches.sh" "$BOOT_TIMEOUT" "" "$mods/myslab.ko"
	judge "$label"
	unlock_label
}

# host_step <script>: a host-side step that ends with a RESULT line.
host_step() {
	local out
	out=$("$@")
	echo "$out" | grep -v '^RESULT '
	tally "$(echo "$out" | grep '^RESULT ' || echo 'RESULT passed=0 failed=1 skipped=0')"
}

"$VM_DIR/install-deps.sh" build vm kernels host || exit 1

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
	for k in 6.1 6.12; do run_kunit "$k"; done
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
	for k in "${@:-6.1 6.12}"; do
		for kk in $k; do run_kunit "$kk"; done
	done
	;;
stock) run_stock ;;
harness) host_step "$VM_DIR/selftest/selftest.sh" ;;
style) host_step "$VM_DIR/check-style.sh" ;;
host) host_step "$TOP/userspace_tools/sim/run-host-tests.sh" ;;
*) echo "usage: test.sh all | kunit [6.1 6.12] | stock | harness | style | tools | host" >&2; exit 2 ;;
esac

echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ $total_fail -eq 0 ]
