#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The userspace build of myslab's core, tested on the host: builds the
# unit tests and the KUnit suites of kunit_tests/ (on the sim's KUnit,
# kunit/) with ASan+UBSan (clang), also as PREEMPT_RT builds the core, and
# without (gcc, for valgrind), and the libFuzzer harness; runs the unit
# tests under the sanitizers (on plain regions, then on regions with the
# debug hooks), the KUnit suites under them, both under valgrind memcheck,
# the KUnit self-test (planted failures must fail), and a short fuzz run.
# Prints "[host] ..." lines and ends with "RESULT passed=N failed=N
# skipped=N": each unit test and each KUnit case (each parameter of a
# parameterized one) counts once per build it ran in, the self-test and the
# fuzz run once each (the fuzz run skipped when FUZZ_SECONDS is 0), and
# every failure of a step itself once (a command that failed, a run that
# printed no RESULT, a RESULT that disagrees with its run's exit status or
# with the number of tests or cases the binary lists, KTAP that is not
# well formed or does not add up to its RESULT). Exits non-zero exactly
# when that line counts a failure. Logs: userspace_tools/sim/out/logs/.
#
# Usage: run-host-tests.sh [FUZZ_SECONDS]     (default 15; 0 skips the fuzz run)

set -uo pipefail

SIM=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SIM/../.." && pwd)
OUT=$SIM/out
LOGS=$OUT/logs
FUZZ_SECONDS=${1:-15}
# valgrind runs the tests' whole work (no scaling down): the threaded tests
# are paced by their work (struct t_pace), so their length no longer depends
# on valgrind's one-thread-at-a-time scheduling, and the whole valgrind run
# is about 10 s of CPU here (2 cores).
VALGRIND_SCALE=1

passed=0 failed=0 skipped=0 finished=

finish() {
	finished=1
	echo "RESULT passed=$passed failed=$failed skipped=$skipped"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}

# Whatever ends the script early (a shell error, a signal) still ends with
# a RESULT line that counts it as a failure.
on_exit() {
	[ -n "$finished" ] && return
	echo "[host] FAIL: run-host-tests.sh ended early (status $1)"
	echo "RESULT passed=$passed failed=$((failed + 1)) skipped=$skipped"
	exit 1
}
trap 'on_exit $?' EXIT

# step_fail <message>: a failure of the step itself, counted once.
step_fail() {
	echo "[host] FAIL: $*"
	failed=$((failed + 1))
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if ! [[ $FUZZ_SECONDS =~ ^[0-9]+$ ]]; then
	echo "usage: run-host-tests.sh [FUZZ_SECONDS]   (a number of seconds, not '$FUZZ_SECONDS')" >&2
	step_fail "bad FUZZ_SECONDS '$FUZZ_SECONDS'"
	finish
fi

# --- dependencies ---
mkdir -p "$LOGS" || { step_fail "cannot create $LOGS"; finish; }
if ! "$ROOT/userspace_tools/vm/install-deps.sh" host >"$LOGS/deps.log" 2>&1; then
	step_fail "could not install the host packages: $(tail -1 "$LOGS/deps.log")"
	finish
fi
# make and gcc come with the "build" group (build-essential).
if ! command -v make >/dev/null || ! command -v gcc >/dev/null; then
	if ! "$ROOT/userspace_tools/vm/install-deps.sh" build >>"$LOGS/deps.log" 2>&1; then
		step_fail "could not install make and gcc: $(tail -1 "$LOGS/deps.log")"
		finish
	fi
fi

# --- build ---
t0=$(now)
if ! make -C "$SIM" -j2 all >"$LOGS/build.log" 2>&1; then
	step_fail "build of the userspace core failed (log: $LOGS/build.log)"
	grep -E 'error|Error' "$LOGS/build.log" | head -10 | sed 's/^/[host]   /'
	finish
fi
if ! core=$(make -s -C "$SIM" print-core); then
	step_fail "make print-core failed"
	finish
fi
echo "[host] build: core $(echo "$core" | wc -w) files x 4 builds (clang ASan+UBSan, the same as PREEMPT_RT, gcc plain, clang libFuzzer), unit tests and KUnit suites in the first 3, in $(since "$t0") s"

# nr_tests <binary>: how many tests it holds (its --list).
nr_tests() {
	local list
	list=$("$1" --list) || return 1
	echo "$list" | grep -c .
}

# tally_result <label> <expected tests> <exit status> <output>: tally the
# run's RESULT line into the totals and into rp, rf and rs; a missing or
# malformed RESULT (return 1), one that disagrees with the exit status, or a
# count of tests other than expected is a failure.
tally_result() {
	local label=$1 want=$2 rc=$3 out=$4 result
	result=$(echo "$out" | grep '^RESULT ')
	if [ "$(echo "$result" | grep -c .)" -ne 1 ]; then
		step_fail "$label: $(echo "$result" | grep -c .) RESULT lines, want 1 (exit status $rc)"
		return 1
	fi
	if ! [[ $result =~ ^RESULT\ passed=([0-9]+)\ failed=([0-9]+)\ skipped=([0-9]+)$ ]]; then
		step_fail "$label: malformed '$result'"
		return 1
	fi
	rp=${BASH_REMATCH[1]} rf=${BASH_REMATCH[2]} rs=${BASH_REMATCH[3]}
	passed=$((passed + rp)) failed=$((failed + rf)) skipped=$((skipped + rs))
	if [ "$rc" -ne 0 ] && [ "$rf" -eq 0 ]; then
		step_fail "$label: exit status $rc, yet its RESULT counts no failure (see its log)"
	elif [ "$rc" -eq 0 ] && [ "$rf" -ne 0 ]; then
		step_fail "$label: exit status 0, yet its RESULT counts $rf failures"
	fi
	if [ $((rp + rf + rs)) -ne "$want" ]; then
		step_fail "$label: $((rp + rf + rs)) tests counted, $want expected"
	fi
	return 0
}

# check_run <label> <expected tests> <exit status> <output>: tally_result,
# and one ok/not ok line per test counted.
check_run() {
	local label=$1 want=$2 rc=$3 out=$4 lines
	tally_result "$@" || return
	lines=$(echo "$out" | grep -cE '^(not )?ok ')
	if [ "$lines" -ne $((rp + rf + rs)) ]; then
		step_fail "$label: $lines ok/not ok lines, RESULT counts $((rp + rf + rs))"
	fi
}

# run_tests <label> <expected tests> <command...>: a unit test run,
# reported and tallied.
run_tests() {
	local label=$1 want=$2 t0 out rc
	shift 2
	t0=$(now)
	out=$("$@" 2>"$LOGS/$label.log")
	rc=$?
	echo "$out" >"$LOGS/$label.txt"
	echo "$out" | grep -E '^(not ok|#)' | sed "s/^/[host] $label: /"
	echo "[host] $label: $(echo "$out" | grep '^RESULT ' | sed 's/RESULT //'), exit status $rc, in $(since "$t0") s (log: $LOGS/$label.log)"
	check_run "$label" "$want" "$rc" "$out"
}

# --- unit tests ---
if ! nr_asan=$(nr_tests "$OUT/asan/host_tests") ||
   ! nr_plain=$(nr_tests "$OUT/plain/host_tests") ||
   ! nr_rt=$(nr_tests "$OUT/rt/host_tests"); then
	step_fail "host_tests --list failed"
	finish
fi
if [ "$nr_asan" -ne "$nr_plain" ] || [ "$nr_asan" -ne "$nr_rt" ] ||
   [ "$nr_asan" -eq 0 ]; then
	step_fail "the builds list $nr_asan (asan), $nr_rt (rt) and $nr_plain (plain) tests"
fi
run_tests asan "$nr_asan" "$OUT/asan/host_tests"
# Every region with the debug hooks: free pages poisoned for ASan, page
# blocks tracked, the core's debug paths instead of its normal ones.
run_tests asan-debug "$nr_asan" env SIM_REGION_DEBUG=0 "$OUT/asan/host_tests" --label debug-regions
# The core as PREEMPT_RT builds it: CPU locks are per-CPU spinlocks.
run_tests asan-rt "$nr_rt" "$OUT/rt/host_tests" --label preempt-rt
run_tests valgrind "$nr_plain" env SIM_TEST_SCALE=$VALGRIND_SCALE valgrind -q --error-exitcode=1 \
	--leak-check=full --errors-for-leak-kinds=definite,possible \
	"$OUT/plain/host_tests" --label valgrind --timeout 300

# --- KUnit suites (kunit_tests/) on the sim's KUnit (kunit/) ---

CHECK_KTAP=$SIM/kunit/check-ktap.awk

# check_kunit <label> <expected cases> <exit status> <output>: check_run's
# rules, and the KTAP must be well formed (kunit/check-ktap.awk: every
# block opened, planned and complete) and count what the RESULT counts.
check_kunit() {
	local label=$1 want=$2 rc=$3 out=$4 ktap
	tally_result "$@" || return
	if ! ktap=$(echo "$out" | awk -f "$CHECK_KTAP"); then
		echo "$ktap" | head -5 | sed "s/^/[host] $label: /"
		step_fail "$label: its KTAP is not well formed"
	elif [ "$ktap" != "KTAP ok cases=$((rp + rf + rs)) passed=$rp failed=$rf skipped=$rs" ]; then
		step_fail "$label: the KTAP counts '${ktap#KTAP ok }', its RESULT passed=$rp failed=$rf skipped=$rs"
	fi
}

# run_kunit <label> <expected cases> <command...>: a run of KUnit suites,
# reported (each suite's totals, each case that failed or was skipped) and
# tallied.
run_kunit() {
	local label=$1 want=$2 t0 out rc
	shift 2
	t0=$(now)
	out=$("$@" 2>"$LOGS/$label.log")
	rc=$?
	echo "$out" >"$LOGS/$label.txt"
	echo "$out" | awk '
		/^    # Subtest: / { suite = substr($0, 16) }
		/^    # Totals: / { sub(/^    # Totals: /, ""); printf "%s: %s\n", suite, $0 }
		/^ +KTAP version 1$/ || /^ +# Subtest: / { next }
		/^ +not ok / || /^ +ok .* # SKIP/ { sub(/^ +/, ""); printf "%s: %s\n", suite, $0 }' |
		sed "s/^/[host] $label: /"
	echo "[host] $label: $(echo "$out" | grep '^RESULT ' | sed 's/RESULT //'), exit status $rc, in $(since "$t0") s (log: $LOGS/$label.log, KTAP: $LOGS/$label.txt)"
	check_kunit "$label" "$want" "$rc" "$out"
}

if ! nk_asan=$(nr_tests "$OUT/asan/kunit_tests") ||
   ! nk_plain=$(nr_tests "$OUT/plain/kunit_tests") ||
   ! nk_rt=$(nr_tests "$OUT/rt/kunit_tests"); then
	step_fail "kunit_tests --list failed"
	finish
fi
if [ "$nk_asan" -ne "$nk_plain" ] || [ "$nk_asan" -ne "$nk_rt" ] ||
   [ "$nk_asan" -eq 0 ]; then
	step_fail "the KUnit builds list $nk_asan (asan), $nk_rt (rt) and $nk_plain (plain) cases"
fi
# Reports are judged as the VM runner judges them: planted, or a failure.
EXPECT=$ROOT/kunit_tests/suites.expect
run_kunit kunit-asan "$nk_asan" "$OUT/asan/kunit_tests" --label asan --expect "$EXPECT"
run_kunit kunit-rt "$nk_rt" "$OUT/rt/kunit_tests" --label preempt-rt --expect "$EXPECT"
run_kunit kunit-valgrind "$nk_plain" valgrind -q --error-exitcode=1 \
	--leak-check=full --errors-for-leak-kinds=definite,possible \
	--child-silent-after-fork=no "$OUT/plain/kunit_tests" --label valgrind \
	--expect "$EXPECT"

# The harness itself: the self-test plants failures (kunit/selftest.c),
# each case named for the outcome it must have. Its run must fail, its KTAP
# be well formed, every case end as its name says, an assertion end its
# case; then the step counts as one passed.
kunit_selftest() {
	local t0 out rc ktap want bad
	t0=$(now)
	if ! want=$(nr_tests "$OUT/asan/kunit_selftest"); then
		step_fail "kunit-selftest: --list failed"
		return
	fi
	out=$("$OUT/asan/kunit_selftest" --timeout 5 --expect "$SIM/kunit/selftest.expect" \
		2>"$LOGS/kunit-selftest.log")
	rc=$?
	echo "$out" >"$LOGS/kunit-selftest.txt"
	if ! ktap=$(echo "$out" | awk -v leaves=1 -f "$CHECK_KTAP"); then
		echo "$ktap" | grep '^KTAP error' | head -5 | sed 's/^/[host] kunit-selftest: /'
		step_fail "kunit-selftest: its KTAP is not well formed"
		return
	fi
	# "CASE <kind> <name>": a name starting with pass/fail/skip must end so.
	bad=$(echo "$ktap" | awk '/^CASE / {
		want = $3; sub(/[_ ].*/, "", want)
		if ((want == "pass" && $2 != "ok") || (want == "fail" && $2 != "fail") ||
		    (want == "skip" && $2 != "skip") || want !~ /^(pass|fail|skip)$/)
			print $3 ": " $2
	}')
	if [ -n "$bad" ]; then
		echo "$bad" | sed 's/^/[host] kunit-selftest: wrong outcome: /'
		step_fail "kunit-selftest: cases did not end as planted"
	elif [ "$(echo "$ktap" | grep -c '^CASE ')" -ne "$want" ]; then
		step_fail "kunit-selftest: $(echo "$ktap" | grep -c '^CASE ') cases, $want listed"
	elif [ "$rc" -eq 0 ] || ! echo "$out" | grep -q '^RESULT passed=[0-9]* failed=[1-9]'; then
		step_fail "kunit-selftest: the run with planted failures did not fail (exit status $rc)"
	elif ! echo "$out" | grep -q '# fail_assertion_ends_case: cleanup ran; the code after the failed assertion did not run'; then
		step_fail "kunit-selftest: a failed assertion did not end its case, or its cleanup did not run"
	else
		echo "[host] kunit-selftest: $(echo "$ktap" | tail -1 | sed 's/^KTAP ok //'), each as planted; exit status $rc, in $(since "$t0") s"
		passed=$((passed + 1))
	fi
}
kunit_selftest

# --- fuzz ---
if [ "$FUZZ_SECONDS" -gt 0 ]; then
	rm -rf "$OUT/fuzz-short"
	out=$("$SIM/fuzz/run-fuzz.sh" "$OUT/fuzz/fuzz_ops" "$FUZZ_SECONDS" "$OUT/fuzz-short")
	rc=$?
	echo "$out" | grep -v -E '^(RESULT|ok) ' | sed 's/^\[fuzz\]/[host] fuzz:/'
	check_run fuzz 1 "$rc" "$out"
else
	echo "[host] fuzz: skipped (FUZZ_SECONDS=0)"
	skipped=$((skipped + 1))
fi

finish
