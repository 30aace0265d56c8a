#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the guest: load myslab, show its /proc files, make
# allocations happen through debugfs, show how the numbers moved, unload.
. /modules/lib.sh

ctl=/sys/kernel/debug/myslab/ctl

say() {
	echo
	echo "=== $* ==="
}

show() {
	say "$1"
	echo "/proc/mybuddyinfo:"
	cat /proc/mybuddyinfo
	echo "/proc/myslabinfo (task_struct and the caches holding slabs):"
	sed -n 2p /proc/myslabinfo
	awk 'NR > 2 && ($1 == "task_struct" || $3 > 0)' /proc/myslabinfo
}

# active_objs <cache>: the cache's active objects column.
active_objs() {
	awk -v c="$1" '$1 == c { print $2 }' /proc/myslabinfo
}

plan 17
say "insmod myslab.ko"
check load_myslab insmod /modules/myslab.ko
dmesg | grep 'myslab' | sed 's/^\[[^]]*\] //'
check_slabinfo_header
show "at load"
cat /proc/myslabinfo

say "allocate: 2000 task_struct, 5000 x kmalloc(64), 3000 x kmalloc(700), 8 x kmalloc(1 MiB)"
check ctl_alloc_task sh -c "echo 'alloc task_struct 2000' >$ctl"
check ctl_kmalloc_64 sh -c "echo 'kmalloc 64 5000' >$ctl"
check ctl_kmalloc_700 sh -c "echo 'kmalloc 700 3000' >$ctl"
check ctl_kmalloc_1m sh -c "echo 'kmalloc 1048576 8' >$ctl"
show "after allocating"
if [ "$(active_objs task_struct)" -ge 2000 ]; then
	pass task_struct_moved
else
	fail task_struct_moved "task_struct active objects: $(active_objs task_struct)"
fi

say "free half: 1000 task_struct, 2500 x kmalloc(64), all 1 MiB blocks"
check ctl_free_task sh -c "echo 'free task_struct 1000' >$ctl"
check ctl_kfree_64 sh -c "echo 'kfree 64 2500' >$ctl"
check ctl_kfree_1m sh -c "echo 'kfree 1048576 8' >$ctl"
show "after freeing half"
cat /sys/kernel/debug/myslab/held

say "a bad request is refused and changes nothing"
check_fails ctl_unknown_cache sh -c "echo 'alloc no_such_cache 1' >$ctl"
sh -c "echo 'alloc no_such_cache 1' >$ctl" 2>&1 | sed 's/^/    /'

say "free everything"
check ctl_reset sh -c "echo reset >$ctl"
show "after freeing everything"

say "rmmod myslab"
check unload_myslab rmmod myslab
dmesg | grep 'myslab: unloaded' | sed 's/^\[[^]]*\] //'
check_unloaded

# A small region makes a readable picture: the host draws the page maps
# captured before and after a fragmenting workload (buddyview).
say "fragmenting a 16 MiB region (pictures drawn on the host)"
check load_small insmod /modules/myslab.ko size=16M
if sh /modules/guest-fragment.sh >/tmp/fragment.out; then
	pass buddy_capture
else
	fail buddy_capture "guest-fragment.sh exited $?"
fi
cat /tmp/fragment.out
check unload_small rmmod myslab
finish
