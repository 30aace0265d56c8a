#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness proves itself: unit tests of check-console.py on hand-written
# consoles, then boots the 6.1 debug kernel once per planted
# failure and asserts that check-console.py fails that run with the expected
# message, and once with nothing planted to show the same path passes.
# Each assertion is one test; the last line is RESULT passed=N failed=N skipped=0.

set -uo pipefail
. "$(dirname "$0")/../lib.sh"

passed=0 failed=0
unit=$("$VM_DIR/selftest/check_console_test.py")
echo "$unit" | grep -v '^RESULT '
read -r passed failed < <(echo "$unit" | sed -nE 's/^RESULT passed=([0-9]+) failed=([0-9]+).*/\1 \2/p')
passed=${passed:-0} failed=${failed:-1}
scen=$(mktemp -d)
trap 'rm -rf "$scen"' EXIT

tree=$("$VM_DIR/build-kernel.sh" 6.1) || { echo "RESULT passed=0 failed=1 skipped=0"; exit 1; }
mods=$("$VM_DIR/build-modules.sh" harness "$tree" "$VM_DIR/selftest") ||
	{ echo "RESULT passed=0 failed=1 skipped=0"; exit 1; }

# expect <label> <plant> <timeout> <want exit: pass|fail> <regex the verdict must match>
expect() {
	local label=harness-$1 plant=$2 timeout=$3 want=$4 regex=$5 verdict rc opts=()

	if [ "$plant" = hang ]; then
		printf '#!/bin/sh\necho "scenario: hanging on purpose"\nsleep 100000\n' >"$scen/$1.sh"
	else
		local mod=myslab_plant args="plant=$plant"
		[ "$plant" = kunit_fail ] && mod=myslab_plant_fail args=
		printf '#!/bin/sh\n. /modules/lib.sh\ncheck load_plant insmod /modules/%s.ko %s\ncheck unload_plant rmmod %s\nexit $failures\n' \
			"$mod" "$args" "$mod" >"$scen/$1.sh"
	fi
	boot "$label" "$tree/arch/x86/boot/bzImage" "$scen/$1.sh" "$timeout" "" \
		"$mods/myslab_plant.ko" "$mods/myslab_plant_fail.ko"
	[ "$BOOT_RC" = 124 ] && opts=(--timed-out "$timeout")
	verdict=$("$VM_DIR/check-console.py" --label "$label" "${opts[@]}" --min-suites 1 "$LOGS/$label.log")
	rc=$?
	if { [ "$want" = pass ] && [ $rc -eq 0 ]; } ||
	   { [ "$want" = fail ] && [ $rc -ne 0 ] && echo "$verdict" | grep -Eq "$regex"; }; then
		echo "[$label] ok: the runner said $want ($(echo "$verdict" | grep -E "$regex" | head -n 1 | sed 's/^\[[^]]*\] //'))"
		passed=$((passed + 1))
	else
		echo "[$label] FAIL: expected the runner to $want the run matching /$regex/, it said:"
		echo "$verdict" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

expect control none 300 pass 'run: reached the end-of-run marker'
expect kunit-fail kunit_fail 300 fail 'not ok plant_failing_case'
expect warn warn 300 fail 'kernel splat in the console \(1 report lines\), first: WARNING:'
expect kasan kasan 300 fail 'kernel splat in the console \(1 report lines\), first: BUG: KASAN:'
expect leak leak 300 fail 'kernel splat in the console \(1 report lines\), first: unreferenced object'
expect hang hang 45 fail 'guest hung: no end-of-run marker after 45 s'

echo "RESULT passed=$passed failed=$failed skipped=0"
[ $failed -eq 0 ]
