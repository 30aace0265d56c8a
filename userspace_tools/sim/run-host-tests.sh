#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The userspace build of myslab's core, tested on the host: builds the
# unit tests with ASan+UBSan (clang) and without (gcc, for valgrind) and
# the libFuzzer harness, runs the unit tests under the sanitizers (on plain
# regions, then on regions with the debug hooks), the same tests under
# valgrind memcheck, and a short fuzz run. Prints "[host] ..."
# lines and ends with "RESULT passed=N failed=N skipped=N" (each unit test
# counts once per build it ran in, the fuzz run once). Exits non-zero on a
# failure. Logs: userspace_tools/sim/out/logs/.
#
# Usage: run-host-tests.sh [FUZZ_SECONDS]     (default 15; 0 skips the fuzz run)

set -uo pipefail

SIM=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SIM/../.." && pwd)
OUT=$SIM/out
LOGS=$OUT/logs
FUZZ_SECONDS=${1:-15}

passed=0 failed=0 skipped=0

# tally <RESULT line>
tally() {
	local p f s
	read -r p f s < <(echo "$1" | sed -E 's/.*RESULT passed=([0-9]+) failed=([0-9]+) skipped=([0-9]+).*/\1 \2 \3/')
	if [ -z "${p:-}" ] || [ -z "${f:-}" ]; then
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${s:-0}))
}

finish() {
	echo "RESULT passed=$passed failed=$failed skipped=$skipped"
	[ "$failed" -eq 0 ]
	exit
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- dependencies ---
mkdir -p "$LOGS"
if ! "$ROOT/userspace_tools/vm/install-deps.sh" host >"$LOGS/deps.log" 2>&1; then
	echo "[host] FAIL: could not install the host packages: $(tail -1 "$LOGS/deps.log")"
	failed=$((failed + 1))
	finish
fi
# make and gcc come with the "build" group (build-essential).
for tool in make gcc; do
	if ! command -v $tool >/dev/null; then
		"$ROOT/userspace_tools/vm/install-deps.sh" build >>"$LOGS/deps.log" 2>&1
		break
	fi
done

# --- build ---
t0=$(now)
if ! make -C "$SIM" -j2 all >"$LOGS/build.log" 2>&1; then
	echo "[host] FAIL: build of the userspace core failed (log: $LOGS/build.log)"
	grep -E 'error|Error' "$LOGS/build.log" | head -10 | sed 's/^/[host]   /'
	failed=$((failed + 1))
	finish
fi
echo "[host] build: core $(make -s -C "$SIM" print-core | wc -w) files x 3 builds (clang ASan+UBSan, gcc plain, clang libFuzzer) in $(since "$t0") s"

# run_tests <label> <command...>: a unit test run, reported and tallied.
run_tests() {
	local label=$1 t0 out
	shift
	t0=$(now)
	out=$("$@" 2>"$LOGS/$label.log")
	echo "$out" >"$LOGS/$label.txt"
	echo "$out" | grep -E '^(not ok|#)' | sed "s/^/[host] $label: /"
	local result
	result=$(echo "$out" | grep '^RESULT ' || echo 'RESULT passed=0 failed=1 skipped=0')
	echo "[host] $label: $(echo "$result" | sed 's/RESULT //') in $(since "$t0") s (log: $LOGS/$label.log)"
	tally "$result"
}

# --- unit tests ---
run_tests asan "$OUT/asan/host_tests"
# Every region with the debug hooks: free pages poisoned for ASan, page
# blocks tracked, the core's debug paths instead of its normal ones.
run_tests asan-debug env SIM_REGION_DEBUG=0 "$OUT/asan/host_tests" --label debug-regions
run_tests valgrind env SIM_TEST_SCALE=10 valgrind -q --error-exitcode=1 \
	--leak-check=full --errors-for-leak-kinds=definite,possible \
	"$OUT/plain/host_tests" --label valgrind --timeout 300

# --- fuzz ---
if [ "$FUZZ_SECONDS" -gt 0 ]; then
	rm -rf "$OUT/fuzz-short"
	out=$("$SIM/fuzz/run-fuzz.sh" "$OUT/fuzz/fuzz_ops" "$FUZZ_SECONDS" "$OUT/fuzz-short")
	echo "$out" | grep -v '^RESULT ' | sed 's/^\[fuzz\]/[host] fuzz:/'
	tally "$(echo "$out" | grep '^RESULT ' || echo 'RESULT passed=0 failed=1 skipped=0')"
fi

finish
