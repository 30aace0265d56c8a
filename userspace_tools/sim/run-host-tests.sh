#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The userspace build of myslab's core, tested on the host: builds the
# unit tests with ASan+UBSan (clang) and without (gcc, for valgrind) and
# the libFuzzer harness, runs the unit tests under the sanitizers (on plain
# regions, then on regions with the debug hooks), the same tests under
# valgrind memcheck, and a short fuzz run. Prints "[host] ..." lines and
# ends with "RESULT passed=N failed=N skipped=N": each unit test counts once
# per build it ran in, the fuzz run once (skipped when FUZZ_SECONDS is 0),
# and every failure of a step itself once (a command that failed, a run
# that printed no RESULT, a RESULT that disagrees with its run's exit status
# or with the number of tests the binary lists). Exits non-zero exactly
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
echo "[host] build: core $(echo "$core" | wc -w) files x 4 builds (clang ASan+UBSan, the same as PREEMPT_RT, gcc plain, clang libFuzzer) in $(since "$t0") s"

# nr_tests <binary>: how many tests it holds (its --list).
nr_tests() {
	local list
	list=$("$1" --list) || return 1
	echo "$list" | grep -c .
}

# check_run <label> <expected tests> <exit status> <output>: tally the
# run's RESULT line; a missing or malformed RESULT, one that disagrees with
# the exit status, or a count of tests other than expected is a failure.
check_run() {
	local label=$1 want=$2 rc=$3 out=$4 result p f s lines
	result=$(echo "$out" | grep '^RESULT ')
	if [ "$(echo "$result" | grep -c .)" -ne 1 ]; then
		step_fail "$label: $(echo "$result" | grep -c .) RESULT lines, want 1 (exit status $rc)"
		return
	fi
	if ! [[ $result =~ ^RESULT\ passed=([0-9]+)\ failed=([0-9]+)\ skipped=([0-9]+)$ ]]; then
		step_fail "$label: malformed '$result'"
		return
	fi
	p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		step_fail "$label: exit status $rc, yet its RESULT counts no failure (see its log)"
	elif [ "$rc" -eq 0 ] && [ "$f" -ne 0 ]; then
		step_fail "$label: exit status 0, yet its RESULT counts $f failures"
	fi
	if [ $((p + f + s)) -ne "$want" ]; then
		step_fail "$label: $((p + f + s)) tests counted, $want expected"
	fi
	lines=$(echo "$out" | grep -cE '^(not )?ok ')
	if [ "$lines" -ne $((p + f + s)) ]; then
		step_fail "$label: $lines ok/not ok lines, RESULT counts $((p + f + s))"
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
