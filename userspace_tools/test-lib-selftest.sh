#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proof that the tools' test runners (myslabtop/run-tests.sh and
# buddyview/run-tests.sh, on test-lib.sh) fail when a group of tests is
# broken. Each runner runs twice beside one small real group (--only),
# with groups planted by --extra-group:
#   - a clean group that runs its declared count: the run must pass;
#   - then three broken groups in one run, which must fail with exactly
#     these failures, each naming its group:
#     a group with a shell syntax error (and none of it run),
#     a group that runs fewer tests than it declares (both counts given),
#     a group that exits in its middle (and so runs fewer tests, too).
# Each run must end with a RESULT line whose counts agree with its ok, not
# ok and skip lines and with its exit status. One test per runner and
# planted group; the last line is "RESULT passed=N failed=N skipped=0", and
# the exit status is non-zero exactly when it counts a failure. No VM; about
# 20 s of CPU.
#
# Usage: test-lib-selftest.sh

set -uo pipefail

TOP=$(cd "$(dirname "$0")" && pwd)
CASES=4		# per runner, as listed above
WORK=$(mktemp -d /tmp/test-lib-selftest.XXXXXX) || exit 1
trap 'rm -rf "$WORK"' EXIT

# plant <dir>: the planted groups, each named for what it plants.
plant() {
	mkdir -p "$1"
	cat >"$1/clean.sh" <<'GROUP'
pass "planted: clean 1"
pass "planted: clean 2"
GROUP
	cat >"$1/syntax.sh" <<'GROUP'
pass "planted: before the syntax error"
if then
pass "planted: after the syntax error"
GROUP
	cat >"$1/count.sh" <<'GROUP'
pass "planted: one of three"
pass "planted: two of three"
GROUP
	cat >"$1/early.sh" <<'GROUP'
pass "planted: before the exit"
exit 0
pass "planted: after the exit"
GROUP
}

# run_case <tool> <case> <real group> <planted group> <declared>...: runs
# the runner with the planted groups; its output, then its exit status, in
# $WORK/<tool>/<case>.*
run_case() {
	local tool=$1 case=$2 group=$3 args=()
	shift 3
	while [ $# -gt 0 ]; do
		args+=(--extra-group "$WORK/$tool/$1.sh" "$2")
		shift 2
	done
	"$TOP/$tool/run-tests.sh" --only "$group" "${args[@]}" >"$WORK/$tool/$case.out" 2>&1
	echo $? >"$WORK/$tool/$case.rc"
}

# run_tool <tool> <real group>: the clean run, then the broken one.
run_tool() {
	plant "$WORK/$1"
	run_case "$1" clean "$2" clean 2
	run_case "$1" broken "$2" syntax 2 count 3 early 2
}

passed=0 failed=0

# judge <tool> <case> <title> <want status> <not ok lines in the run>
# <not ok lines wanted...>: the run exited as wanted, its RESULT agrees with
# its lines and its status, it has that many not ok lines, and the ones
# wanted are among them (each a prefix).
judge() {
	local tool=$1 case=$2 title=$3 want=$4 want_nok=$5 out rc result why= p f s nok lines w
	shift 5
	out=$WORK/$tool/$case.out
	rc=$(cat "$WORK/$tool/$case.rc" 2>/dev/null)
	result=$(grep '^RESULT ' "$out")
	if ! [[ $result =~ ^RESULT\ passed=([0-9]+)\ failed=([0-9]+)\ skipped=([0-9]+)$ ]]; then
		why="no single RESULT line (exit status $rc)"
	else
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
		nok=$(grep -c '^not ok - ' "$out")
		lines=$(grep -cE '^(ok|not ok|skip) - ' "$out")
		if [ "$rc" != "$want" ]; then
			why="exit status $rc, want $want"
		elif [ $((f > 0)) -ne $((rc != 0)) ]; then
			why="exit status $rc disagrees with failed=$f"
		elif [ "$nok" -ne "$f" ] || [ "$lines" -ne $((p + f + s)) ]; then
			why="RESULT ($result) disagrees with the $lines ok/not ok/skip lines, $nok not ok"
		elif [ "$nok" -ne "$want_nok" ]; then
			why="$nok not ok lines, want $want_nok: $(grep '^not ok - ' "$out" | head -n 5 | tr '\n' '|')"
		fi
		for w in "$@"; do
			[ -z "$why" ] && ! grep -qF -- "not ok - $w" "$out" && why="no line 'not ok - $w'"
		done
	fi
	[ -z "$why" ] && [ "$title" = "$SYNTAX" ] && grep -q 'planted: before the syntax error' "$out" &&
		why="ran part of the group that does not parse"
	[ -z "$why" ] && [ "$case" = clean ] && ! grep -q '^ok - planted: clean 2$' "$out" &&
		why="the planted group did not run"
	[ -z "$why" ] && [ "$title" = "$EARLY" ] && ! grep -q '^ok - planted: before the exit$' "$out" &&
		why="the group ended before its first test"
	if [ -z "$why" ]; then
		echo "ok - $tool: $title"
		passed=$((passed + 1))
	else
		echo "not ok - $tool: $title: $why (output: $(tail -n 2 "$out" | tr '\n' '|'))"
		failed=$((failed + 1))
	fi
}

# The two runners side by side (2 cores); a small real group each.
run_tool myslabtop test_options.sh &
pid1=$!
run_tool buddyview test_usage.sh &
pid2=$!
wait $pid1
wait $pid2

SYNTAX="a group with a syntax error fails the run, named, not run"
EARLY="a group that exits in its middle fails the run, named"
for tool in myslabtop buddyview; do
	g=$WORK/$tool
	judge $tool clean "a clean planted group passes" 0 0
	# The broken run: 4 not ok lines, syntax 1, count 1, early 2.
	judge $tool broken "$SYNTAX" 1 4 \
		"group $g/syntax.sh: syntax error, not run:"
	judge $tool broken "a group running 2 tests of 3 declared fails the run" 1 4 \
		"group $g/count.sh: test count: ran 2 tests, 3 declared"
	judge $tool broken "$EARLY" 1 4 \
		"group $g/early.sh: ended early" \
		"group $g/early.sh: test count: ran 1 tests, 2 declared"
done

if [ $((passed + failed)) -ne $((2 * CASES)) ]; then
	echo "not ok - test-lib-selftest: judged $((passed + failed)) cases, $((2 * CASES)) declared"
	failed=$((failed + 1))
fi
echo "RESULT passed=$passed failed=$failed skipped=0"
[ "$failed" -eq 0 ]
