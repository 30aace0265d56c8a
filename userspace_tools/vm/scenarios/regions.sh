#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stock kernel booted with memmap=64M$0x30000000: the reserved-physical-memory
# provider takes that range; every bad parameter refuses the load with a clear
# message and leaves nothing behind.
. /modules/lib.sh

nothing_left() {
	! grep -q '^myslab ' /proc/modules && [ ! -e /proc/myslabinfo ] &&
		[ ! -e /proc/mybuddyinfo ]
}

# refused <name> <expected message> <params...>
refused() {
	name=$1 msg=$2
	shift 2
	dmesg -c >/dev/null
	if insmod /modules/myslab.ko "$@" 2>/dev/null; then
		fail "$name" "insmod myslab.ko $* succeeded"
		rmmod myslab
	elif ! nothing_left; then
		fail "$name" "a refused load left myslab state behind"
	elif ! dmesg | grep -q "$msg"; then
		fail "$name" "no '$msg' in the kernel log: $(dmesg | tail -n 1)"
	else
		pass "$name"
		dmesg | grep "$msg" | sed 's/^\[[^]]*\] /    /'
	fi
}

refused phys_unaligned 'rejected: ' phys_base=0x30000100 phys_size=64M
refused phys_size_unaligned 'rejected: ' phys_base=0x30000000 phys_size=1000
refused phys_empty 'rejected: empty' phys_base=0x30000000 phys_size=0
refused phys_overflow 'rejected: overflows' phys_base=0xfffffffffff00000 phys_size=16M
refused phys_system_ram 'rejected: ' phys_base=0x1000000 phys_size=16M
refused phys_partly_ram 'rejected: ' phys_base=0x2f000000 phys_size=32M
refused size_zero 'size=0 rejected' size=0
refused size_unaligned 'rejected' size=12345
refused size_garbage 'rejected' size=12abc
refused max_order_big 'max_order=21 rejected' max_order=21
refused pcp_batch_big 'pcp_batch=1000000 rejected' pcp_batch=1000000

dmesg -c >/dev/null
check load_reserved insmod /modules/myslab.ko phys_base=0x30000000 phys_size=64M
dmesg | sed 's/^\[[^]]*\] //'
if dmesg | grep -q 'main region: reserved provider, phys 0x0*30000000'; then
	pass reserved_provider_used
else
	fail reserved_provider_used "the load did not report the reserved provider at 0x30000000"
fi
cat /proc/mybuddyinfo
# 64 MiB is 16 blocks of order 10 (4 MiB); the default caches may hold one.
if awk '{ exit !(NF == 4 + 11 && $NF >= 15 && $NF <= 16) }' /proc/mybuddyinfo; then
	pass reserved_buddyinfo
else
	fail reserved_buddyinfo "expected orders 0..10 and 15-16 free order-10 blocks: $(cat /proc/mybuddyinfo)"
fi
check unload_reserved rmmod myslab
check_unloaded

# 5 MiB with max_order 8 (1 MiB blocks): 5 blocks of order 8.
check load_odd_size insmod /modules/myslab.ko size=5M max_order=8
cat /proc/mybuddyinfo
if awk '{ exit !(NF == 4 + 9 && $NF >= 4 && $NF <= 5) }' /proc/mybuddyinfo; then
	pass odd_size_buddyinfo
else
	fail odd_size_buddyinfo "expected orders 0..8 and 4-5 free order-8 blocks: $(cat /proc/mybuddyinfo)"
fi
check unload_odd_size rmmod myslab
exit $failures
