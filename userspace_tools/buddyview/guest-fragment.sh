#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the buddyview demo (busybox sh, myslab loaded, debugfs
# mounted): prints the buddy allocator's files, runs a fragmenting workload
# through /sys/kernel/debug/myslab/ctl, prints them again, and frees
# everything. The host turns the console log into pictures with
#   demo-pictures.sh --log <console log> <output dir>
#
# Each file goes to stdout between markers, every line prefixed so that it
# survives kernel messages interleaved on a serial console:
#
#   MYSLAB-CAPTURE: BEGIN <label> <file>
#   MYSLAB-CAPTURE: <label> <file>: <line of the file>
#   MYSLAB-CAPTURE: END <label> <file> <number of lines>
#
# Workload: ROUNDS rounds (default 40) of four interleaved batches, each kept
# by ctl under its own kind: 32 x kmalloc(4096) (objects of the 4k class, in
# order-4 slabs), 4 x kmalloc(16384) (order-2 blocks, through the per-CPU
# caches), 12 task_struct objects (order-5 slabs) and 64 x kmalloc(256) (slab
# objects). Then every kmalloc(4096) and kmalloc(256) batch is freed: the
# order-2 blocks and task_struct slabs stay behind, scattered, with holes
# between them where emptied slabs went back.
#
# Usage: guest-fragment.sh [--keep] [ROUNDS]   (--keep: do not free at the end)
# Exit status: 0, or 1 when a file is missing or ctl refuses a command.

dbg=/sys/kernel/debug/myslab
ctl=$dbg/ctl
keep=
[ "${1:-}" = --keep ] && { keep=1; shift; }
rounds=${1:-40}
status=0

capture() {
	label=$1
	for f in page_map free_blocks extfrag_unusable extfrag_index stats; do
		if [ ! -r "$dbg/buddy/$f" ]; then
			echo "guest-fragment: $dbg/buddy/$f missing (myslab not loaded, debugfs not mounted?)" >&2
			status=1
			continue
		fi
		cat "$dbg/buddy/$f" >/tmp/capture.$$
		echo "MYSLAB-CAPTURE: BEGIN $label $f"
		sed "s/^/MYSLAB-CAPTURE: $label $f: /" /tmp/capture.$$
		echo "MYSLAB-CAPTURE: END $label $f $(wc -l </tmp/capture.$$)"
	done
	rm -f /tmp/capture.$$
}

run() {
	if ! echo "$1" >"$ctl"; then
		echo "guest-fragment: ctl refused '$1'" >&2
		status=1
	fi
}

[ -w "$ctl" ] || { echo "guest-fragment: no $ctl (myslab not loaded, debugfs not mounted?)" >&2; exit 1; }
capture before
i=0
while [ "$i" -lt "$rounds" ]; do
	run "kmalloc 4096 32"
	run "kmalloc 16384 4"
	run "alloc task_struct 12"
	run "kmalloc 256 64"
	i=$((i + 1))
done
run "kfree 4096 $((rounds * 32))"
run "kfree 256 $((rounds * 64))"
capture after
[ -n "$keep" ] || run reset
exit $status
