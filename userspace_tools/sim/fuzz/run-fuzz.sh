#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the fuzz_ops libFuzzer binary for a fixed time over a working corpus
# seeded from fuzz/corpus/, then print what it did and a RESULT line.
# Usage: run-fuzz.sh BINARY SECONDS WORKDIR
# A crash leaves its input in WORKDIR/artifacts/ and fails the run; replay it
# with: BINARY ARTIFACT (add FUZZ_OPS_VERBOSE=1 to see the allocator's log).

set -uo pipefail

if [ $# -ne 3 ]; then
	echo "usage: run-fuzz.sh BINARY SECONDS WORKDIR" >&2
	exit 2
fi
bin=$1 seconds=$2 work=$3
seeds=$(cd "$(dirname "$0")" && pwd)/corpus

# setup_failed <what>: the run cannot start; say so and fail.
setup_failed() {
	echo "[fuzz] FAIL: $1"
	echo "not ok 1 fuzz_ops"
	echo "RESULT passed=0 failed=1 skipped=0"
	exit 1
}

mkdir -p "$work/corpus" "$work/artifacts" || setup_failed "cannot create $work"
# The seeds the working corpus lacks (a grown corpus keeps its own files).
nseeds=0
for seed in "$seeds"/*; do
	[ -f "$seed" ] || continue
	nseeds=$((nseeds + 1))
	[ -e "$work/corpus/${seed##*/}" ] && continue
	cp "$seed" "$work/corpus/" || setup_failed "cannot copy $seed"
done
[ "$nseeds" -gt 0 ] || setup_failed "no seed inputs in $seeds"
log=$work/fuzz.log

start=$(date +%s.%N)
"$bin" -max_total_time="$seconds" -max_len=1024 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" \
	"$work/corpus" >"$log" 2>&1
rc=$?
end=$(date +%s.%N)

stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
execs=$(stat number_of_executed_units)
rate=$(stat average_exec_per_sec)
final=$(grep -E '^#[0-9]+' "$log" | tail -1)
cov=$(echo "$final" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(echo "$final" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corp=$(echo "$final" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')

printf '[fuzz] %s s: %s inputs run, %s exec/s, coverage %s edges (%s features), corpus %s inputs\n' \
	"$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')" "${execs:-?}" "${rate:-?}" \
	"${cov:-?}" "${ft:-?}" "${corp:-?}"
if [ $rc -ne 0 ]; then
	echo "[fuzz] FAIL: fuzz_ops exited $rc; log: $log"
	grep -E 'fuzz_ops:|ERROR:|SUMMARY:|runtime error|artifact' "$log" | head -20 | sed 's/^/[fuzz]   /'
	echo "not ok 1 fuzz_ops"
	echo "RESULT passed=0 failed=1 skipped=0"
	exit 1
fi
echo "ok 1 fuzz_ops"
echo "RESULT passed=1 failed=0 skipped=0"
