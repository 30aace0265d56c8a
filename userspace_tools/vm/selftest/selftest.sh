#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness proves itself. Every hole a reviewer found in it is planted here
# and the run must fail with a clear message; the clean controls must pass
# with exactly the counts they should have.
#   1. unit tests of check-console.py on hand-written consoles (KTAP holes,
#      myslab reports, plans, markers), and its KTAP read back by the
#      kernel's own kunit.py;
#   2. the host side without a guest: a stale console left by an earlier
#      run, a failed initramfs, a host step whose exit status and RESULT line
#      disagree, a malformed RESULT, the scenario library's exit status after
#      256 failures, .ci/run's last line when make fails, and the tool
#      runners' syntax-error and miscount plants;
#   3. boots of the 6.1 debug kernel, one per planted failure (a failing KUnit
#      case, a WARN, a KASAN report, a kmemleak leak, an unplanned myslab
#      report, 256 failed checks, a scenario that stops early, a hung guest),
#      and the controls (nothing planted; a report inside its planted bracket).
# Each assertion is one test; the last line is RESULT passed=N failed=N skipped=0.

set -uo pipefail
. "$(dirname "$0")/../lib.sh"

SELF=$VM_DIR/selftest
passed=0 failed=0
ok() {
	echo "[harness] ok: $1"
	passed=$((passed + 1))
}
not_ok() {
	echo "[harness] FAIL: $1"
	failed=$((failed + 1))
}
finish() {
	echo "RESULT passed=$passed failed=$failed skipped=0"
	[ $failed -eq 0 ]
	exit
}
# add <RESULT line of a sub-step> <its exit status>
add() {
	local re='^RESULT passed=([0-9]+) failed=([0-9]+) skipped=0$' p f

	if ! [[ $1 =~ $re ]]; then
		not_ok "a sub-step printed '$1' (not a RESULT line) and exited $2"
		return
	fi
	p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	passed=$((passed + p)) failed=$((failed + f))
	if { [ "$f" = 0 ] && [ "$2" != 0 ]; } || { [ "$f" != 0 ] && [ "$2" = 0 ]; }; then
		not_ok "a sub-step printed '$1' but exited $2"
	fi
}
scen=$(mktemp -d)
trap 'rm -rf "$scen"' EXIT

tree=$("$VM_DIR/build-kernel.sh" 6.1) || { not_ok "no 6.1 debug kernel"; finish; }

# === 1. The console checker ===
out=$(KUNIT_PY=$tree/tools/testing/kunit/kunit.py "$SELF/check_console_test.py")
rc=$?
echo "$out" | grep -v '^RESULT '
add "$(echo "$out" | tail -n 1)" $rc

# === 2. The host side ===
# expect_verdict <name> <want: pass|fail> <regex> <command...>: the command's
# output must match and its status say <want>.
expect_verdict() {
	local name=$1 want=$2 regex=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if { [ "$want" = pass ] && [ $rc -eq 0 ]; } || { [ "$want" = fail ] && [ $rc -ne 0 ]; } &&
	   grep -Eq "$regex" <<<"$out"; then
		ok "$name: $(echo "$out" | grep -E "$regex" | head -n 1 | sed 's/^\[[^]]*\] //')"
	else
		not_ok "$name: expected $want matching /$regex/ (status $rc), got:"
		echo "$out" | sed 's/^/    /' | tail -n 20
	fi
}

# The verdict must not depend on the size of what it reads: a match near the
# top of a long output is still a match under pipefail.
expect_verdict long_output pass '^first line$' sh -c 'echo "first line"; yes filler | head -n 200000'

# A console from an earlier run must never be judged: boot() removes it, so a
# boot that cannot start leaves no log at all.
printf '<6>[ 1.0] x\n<12>[ 1.1] MYSLAB-VM: START kernel x, 2 CPUs, jiffies 1\n<12>[ 1.2] MYSLAB-PLAN: 0\n<12>[ 1.3] MYSLAB-VM: END rc=0\n' \
	>"$LOGS/harness-stale.log"
stale() {
	boot harness-stale "$scen/no-such-kernel" "$SELF/selftest.sh" 30 ""
	judge harness-stale
}
expect_verdict stale_log fail 'no console log .*harness-stale.log' stale

# A failed packing must fail the boot, not boot the previous initramfs.
: >"$TOP/.build/harness-packing.cpio.gz"
packing() {
	boot harness-packing "$tree/arch/x86/boot/bzImage" "$scen/no-such-scenario.sh" 30 ""
	judge harness-packing
}
expect_verdict failed_packing fail 'the boot did not happen: packing the initramfs failed' packing
[ -e "$TOP/.build/harness-packing.cpio.gz" ] && not_ok "the old initramfs survived a failed packing" ||
	ok "the old initramfs is gone after a failed packing"

# host_step: status and RESULT must agree.
step() {
	printf '#!/bin/sh\n%s\n' "$1" >"$scen/step.sh"
	chmod +x "$scen/step.sh"
	total_pass=0 total_fail=0 total_skip=0
	host_step "$scen/step.sh"
	echo "totals: $total_pass passed, $total_fail failed"
	[ "$total_fail" = 0 ]
}
expect_verdict host_step_good_result_bad_status fail \
	'exited with status 1 although its RESULT line counts no failure' \
	step 'echo "RESULT passed=5 failed=0 skipped=0"; exit 1'
expect_verdict host_step_bad_result_good_status fail 'exited 0 although its RESULT line counts 2 failures' \
	step 'echo "RESULT passed=5 failed=2 skipped=0"; exit 0'
expect_verdict host_step_two_results fail 'printed 2 RESULT lines' \
	step 'echo "RESULT passed=0 failed=1 skipped=0"; echo "RESULT passed=9 failed=0 skipped=0"'
expect_verdict host_step_no_result fail 'printed 0 RESULT lines' step 'echo done'
expect_verdict host_step_result_not_last fail 'expected exactly one as its last line' \
	step 'echo "RESULT passed=1 failed=0 skipped=0"; echo later'
expect_verdict host_step_malformed fail 'not a RESULT line' step 'echo "RESULT passed=1 failed=zero skipped=0"'
expect_verdict host_step_clean pass 'totals: 3 passed, 0 failed' step 'echo "RESULT passed=3 failed=0 skipped=0"'

# The guest library, run by busybox sh as in the guest: 256 failed checks must
# not wrap to exit status 0, and a check name with a space is refused.
guest_lib() {
	printf '. %s\nplan 1\ni=0\nwhile [ $i -lt %s ]; do fail "c$i" planted; i=$((i + 1)); done\n%s\nfinish\n' \
		"$VM_DIR/scenarios/lib.sh" "$1" "${2:-}" >"$scen/lib-test.sh"
	local rc
	: >"$scen/lib-test.out"
	MYSLAB_MARKS=$scen/lib-test.out busybox sh "$scen/lib-test.sh" >>"$scen/lib-test.out"
	rc=$?
	echo "exit status $rc; $(grep -c '^MYSLAB-CHECK: not ok' "$scen/lib-test.out") failed checks;" \
		"$(grep 'bad_check_name' "$scen/lib-test.out")"
	return $rc
}
expect_verdict lib_256_failures fail 'exit status 1; 256 failed checks' guest_lib 256
expect_verdict lib_space_in_name fail "bad_check_name - 'a b'" guest_lib 0 'pass "a b"'
expect_verdict lib_clean pass 'exit status 0; 0 failed checks' guest_lib 0

# .ci/run: whatever make does, the last line is the count.
ci() {
	mkdir -p "$scen/bin"
	printf '#!/bin/sh\n%s\n' "$1" >"$scen/bin/make"
	chmod +x "$scen/bin/make"
	PATH=$scen/bin:$PATH "$TOP/.ci/run" | tail -n 1
	return "${PIPESTATUS[0]}"
}
expect_verdict ci_make_error fail '^7 passed, 1 failed, 0 skipped$' \
	ci 'echo "7 passed, 1 failed, 0 skipped"; echo "make: *** [Makefile:1: test] Error 1" >&2; exit 2'
expect_verdict ci_no_count fail '^0 passed, 1 failed, 0 skipped$' \
	ci 'echo "install-deps: apt-get failed" >&2; exit 2'
expect_verdict ci_clean_count_bad_status fail '^7 passed, 1 failed, 0 skipped$' \
	ci 'echo "7 passed, 0 failed, 0 skipped"; exit 2'
expect_verdict ci_clean pass '^7 passed, 0 failed, 0 skipped$' ci 'echo "7 passed, 0 failed, 0 skipped"'

# The tool runners: a group with a syntax error and a miscounted group.
if [ -x "$TOP/userspace_tools/test-lib-selftest.sh" ]; then
	out=$("$TOP/userspace_tools/test-lib-selftest.sh")
	rc=$?
	echo "$out" | grep -v '^RESULT '
	add "$(echo "$out" | tail -n 1)" $rc
else
	not_ok "userspace_tools/test-lib-selftest.sh is missing: the tool runners' plants cannot run"
fi

# === 3. Boots ===
mods=$("$VM_DIR/build-modules.sh" harness "$tree" "$SELF") || { not_ok "plant modules do not build"; finish; }

# expect <label> <scenario body> <timeout> <pass|fail> <regex> [expect file]:
# boot the scenario; the verdict must say <want> and match <regex>.
expect() {
	local label=harness-$1 body=$2 timeout=$3 want=$4 regex=$5 suites=${6:-$SELF/plant.expect}
	printf '#!/bin/sh\n. /modules/lib.sh\n%s\n' "$body" >"$scen/$1.sh"
	BOOT_KIND=debug
	boot "$label" "$tree/arch/x86/boot/bzImage" "$scen/$1.sh" "$timeout" "${APPEND:-}" \
		"$mods/myslab_plant.ko" "$mods/myslab_plant_fail.ko"
	unset BOOT_KIND
	expect_verdict "$1" "$want" "$regex" "$VM_DIR/check-console.py" --label "$label" \
		--boot-rc "$BOOT_RC" --timeout "$BOOT_TIMEOUT" --boot-error "$BOOT_ERROR" \
		--expect-suites "$suites" "$LOGS/$label.log"
}
# load <plant> [<checks planned> <more scenario lines>]
load() {
	printf 'plan %s\ncheck load_plant insmod /modules/myslab_plant.ko plant=%s\ncheck unload_plant rmmod myslab_plant\n%s\nfinish' \
		"${2:-2}" "$1" "${3:-}"
}

# The controls pass, with exactly the counts they should have: 2 checks, the
# suite's 4 leaves, the boot.
expect control "$(load none)" 300 pass \
	'^RESULT passed=7 failed=0 skipped=0$'
expect planted_report \
	"$(printf 'plan 2\nplanted 1 "cache plant: .*double free" -- check load_plant insmod /modules/myslab_plant.ko plant=report\ncheck unload_plant rmmod myslab_plant\nfinish')" \
	300 pass 'myslab reports: 1 planted, all accounted for'
expect kunit_fail \
	"$(printf 'plan 2\ncheck load_plant insmod /modules/myslab_plant_fail.ko\ncheck unload_plant rmmod myslab_plant_fail\nfinish')" \
	300 fail 'not ok myslab_harness_plant_fail.plant_failing_case' "$SELF/plant_fail.expect"
expect warn "$(load warn)" 300 fail 'kernel splat in the console \(1 report lines\), first: WARNING:'
expect kasan "$(load kasan)" 300 fail 'kernel splat in the console \([0-9]+ report lines\), first: BUG: KASAN:'
expect leak "$(load leak)" 300 fail 'kernel splat in the console \(1 report lines\), first: unreferenced object'
expect report "$(load report)" 300 fail \
	'console line [0-9]+: myslab_plant: cache plant: object at region offset 0x1000: double free'
expect fail256 "$(load none 258 'i=0; while [ $i -lt 256 ]; do fail "f$i" planted; i=$((i + 1)); done')" \
	300 fail "the guest's scenario exited with status 1"
expect stops_early "$(printf 'plan 5\ncheck load_plant insmod /modules/myslab_plant.ko\nexit 0\n')" 300 fail \
	'the scenario planned 5 checks, 1 reported'
expect hang "$(printf 'plan 1\necho "scenario: hanging on purpose"\nsleep 100000\n')" 45 fail \
	'guest hung: no end-of-run marker after 45 s'

# A kernel that hangs before the scenario starts is killed once its console
# has been silent BOOT_STALL seconds, said, and booted once more: a first
# hang is survived (and counted in BOOT_RETRIES), a second one fails.
retries=$BOOT_RETRIES
BOOT_STALL=60 APPEND=MYSLAB_PLANT_EARLY_HANG=1 expect early_hang_once "$(load none)" 300 pass \
	'^RESULT passed=7 failed=0 skipped=0$'
if [ "$BOOT_RETRIES" -eq $((retries + 1)) ] && [ -s "$LOGS/harness-early_hang_once.log.hung" ] &&
   grep -q 'hanging before the start marker, as planted' "$LOGS/harness-early_hang_once.log.hung"; then
	ok "early_hang_once: the hung boot was kept and booted once more"
else
	not_ok "early_hang_once: expected one retry ($retries -> $BOOT_RETRIES) and the hung console kept"
fi
BOOT_STALL=60 APPEND=MYSLAB_PLANT_EARLY_HANG=1,2 expect early_hang_twice "$(load none)" 300 fail \
	'kernel boot problem: the kernel hung before the scenario started'

finish
