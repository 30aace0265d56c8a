#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the buddyview demo: before/after pictures of the myslab
# region around a fragmenting workload.
#
#   demo-pictures.sh BEFORE_PAGE_MAP AFTER_PAGE_MAP OUTDIR
#       draws OUTDIR/before.png and OUTDIR/after.png (.svg as well, and
#       .svg instead of .png when buddyview has no PNG support), and prints
#       both fragmentation tables
#   demo-pictures.sh --log CONSOLE_LOG OUTDIR
#       first extracts what guest-fragment.sh printed on a guest's console
#       into OUTDIR/before/ and OUTDIR/after/ (page_map, free_blocks,
#       extfrag_unusable, extfrag_index, stats), then the same
#
# buddyview is built into a scratch directory unless BUDDYVIEW names one.
# Exit status: 0; 1 bad usage; 2 a capture is missing from the log; or
# buddyview's own status.

set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)

usage() {
	sed -n '5,15p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 1
}

# extract <log> <label> <dir>: the files of one capture, checked for length.
extract() {
	local log=$1 label=$2 dir=$3 f want got

	mkdir -p "$dir"
	for f in page_map free_blocks extfrag_unusable extfrag_index stats; do
		want=$(tr -d '\r' <"$log" |
		       sed -n "s/^MYSLAB-CAPTURE: END $label $f \([0-9]*\)\$/\1/p" | tail -n 1)
		if [ -z "$want" ]; then
			echo "demo-pictures: no '$label $f' capture in $log (did guest-fragment.sh run?)" >&2
			return 2
		fi
		tr -d '\r' <"$log" | sed -n "s/^MYSLAB-CAPTURE: $label $f: //p" >"$dir/$f"
		got=$(wc -l <"$dir/$f")
		if [ "$got" != "$want" ]; then
			echo "demo-pictures: '$label $f' capture in $log has $got lines, the guest sent $want" >&2
			return 2
		fi
	done
}

if [ "${1:-}" = --log ]; then
	[ $# -eq 3 ] || usage
	log=$2 out=$3
	[ -r "$log" ] || { echo "demo-pictures: cannot read $log" >&2; exit 2; }
	extract "$log" before "$out/before" || exit 2
	extract "$log" after "$out/after" || exit 2
	before=$out/before/page_map after=$out/after/page_map
else
	[ $# -eq 3 ] || usage
	before=$1 after=$2 out=$3
fi
mkdir -p "$out" || exit 1

bv=${BUDDYVIEW:-}
if [ -z "$bv" ]; then
	scratch=$(mktemp -d /tmp/buddyview-demo.XXXXXX)
	trap 'rm -rf "$scratch"' EXIT
	make -s -C "$HERE" O="$scratch" >"$scratch/build.log" 2>&1 ||
		{ cat "$scratch/build.log" >&2; exit 5; }
	bv=$scratch/buddyview
fi

rc=0
for which in before after; do
	map=$before
	[ $which = after ] && map=$after
	pictures=(--svg "$out/$which.svg")
	"$bv" --help | grep 'PNG picture$' >/dev/null && pictures+=(--png "$out/$which.png")
	echo "=== $which the fragmenting workload ==="
	"$bv" --table "${pictures[@]}" --title "$which the fragmenting workload" "$map" || rc=$?
	echo
done
[ $rc -eq 0 ] && echo "demo-pictures: wrote $(cd "$out" && ls before.* after.* | tr '\n' ' ')in $out"
exit $rc
