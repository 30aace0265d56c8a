#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the guest: load myslab, show its /proc files, make some
# allocations happen, show them again, unload.
. /modules/lib.sh

say() {
	echo
	echo "=== $* ==="
}

say "insmod myslab.ko"
check load_myslab insmod /modules/myslab.ko
dmesg | grep 'myslab' | sed 's/^\[[^]]*\] //'

say "/proc/myslabinfo"
cat /proc/myslabinfo
check_slabinfo_header

say "rmmod myslab"
check unload_myslab rmmod myslab
check_unloaded
exit $failures
