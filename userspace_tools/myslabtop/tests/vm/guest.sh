#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Inside a test guest (busybox): myslabtop, built static, against the live
# module. Each check is a MYSLAB-CHECK line; the files are also printed
# between "=== CAPTURE" markers, for run-in-guest.sh --save.
. /modules/lib.sh

mst=/modules/myslabtop
ctl=/sys/kernel/debug/myslab/ctl

capture() {
	echo "=== CAPTURE $1 myslabinfo"
	cat /proc/myslabinfo
	echo "=== CAPTURE $1 mybuddyinfo"
	cat /proc/mybuddyinfo
	echo "=== CAPTURE END"
}

# Every cache of /proc/myslabinfo is a row of myslabtop -o.
once_lists_every_cache() {
	out=$($mst -o) || { fail once_lists_every_cache "myslabtop -o failed"; return; }
	missing=
	for cache in $(awk 'NR > 2 { print $1 }' /proc/myslabinfo); do
		echo "$out" | grep -q " $cache *\$" || missing="$missing $cache"
	done
	if [ -z "$missing" ]; then
		pass once_lists_every_cache
	else
		fail once_lists_every_cache "missing:$missing"
	fi
}

# expect_first_row <sort key> <ACTIVE column> <name>: the top row of -o -s KEY.
expect_first_row() {
	got=$($mst -o -s "$1" | awk 'NR == 8 { print $2, $NF }')
	if [ "$got" = "$2 $3" ]; then
		pass "first_row_by_$1"
	else
		fail "first_row_by_$1" "got '$got', want '$2 $3'"
	fi
}

json_has() {
	if $mst --json | grep -q "$2"; then
		pass "$1"
	else
		fail "$1" "no '$2' in myslabtop --json"
	fi
}

plan 11
check load_myslab insmod /modules/myslab.ko
capture load
once_lists_every_cache
json_has json_buddyinfo_at_load '"free_blocks": \[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16\]'

check alloc_kmalloc_64 sh -c "echo 'kmalloc 64 5000' >$ctl"
check alloc_task_struct sh -c "echo 'alloc task_struct 30' >$ctl"
capture busy
expect_first_row a 5000 kmalloc-64
expect_first_row s 30 task_struct
json_has json_cache_counts '"name": "kmalloc-64", "active_objs": 5000,'

check reset sh -c "echo reset >$ctl"
check unload_myslab rmmod myslab
out=$($mst -o 2>&1)
rc=$?
if [ "$rc" = 2 ] && [ "$out" = "myslabtop: myslab not loaded? (/proc/myslabinfo: No such file or directory)" ]; then
	pass not_loaded_exit_2
else
	fail not_loaded_exit_2 "exit $rc: $out"
fi
finish
