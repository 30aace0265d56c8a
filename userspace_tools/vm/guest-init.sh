#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of myslab's test guests (busybox). Mounts the pseudo filesystems, runs
# /scenario.sh, has kmemleak scan what is left, prints the end-of-run marker
# the host's checker looks for, and reboots (QEMU runs with -no-reboot, so
# this ends the VM).

/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mkdir -p /tmp && mount -t tmpfs tmpfs /tmp

# The lean debug kernels leave a few objects behind at boot that kmemleak
# reports (ACPI's early caches, made at about 1-3 s). Report them now and mark
# them known (clear), so the scan at the end shows only what the scenario
# leaked. kmemleak skips objects younger than 5 s by jiffies, which lag the
# clock under a loaded TCG host: scan until the count holds still.
if [ -w /sys/kernel/debug/kmemleak ]; then
	known=-1
	while :; do
		echo scan >/sys/kernel/debug/kmemleak
		echo scan >/sys/kernel/debug/kmemleak
		now=$(grep -c '^unreferenced object' /sys/kernel/debug/kmemleak)
		up=$(cut -d. -f1 /proc/uptime)
		[ "$up" -ge 10 ] && [ "$now" -gt 0 ] && [ "$now" -eq "$known" ] && break
		[ "$up" -ge 30 ] && break
		known=$now
		sleep 1
	done
	echo clear >/sys/kernel/debug/kmemleak
	echo "MYSLAB-VM: kmemleak: $now objects leaked during boot marked as known"
fi

echo "MYSLAB-VM: START kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"
if [ -e /shell ]; then
	setsid cttyhack sh -l
	rc=0
else
	sh /scenario.sh
	rc=$?
fi

# kmemleak reports an object only when it is older than 5 s and two scans in
# a row found it unreferenced and unchanged.
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
echo "MYSLAB-VM: END rc=$rc"
reboot -f
