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

# The lean debug kernels leave objects behind at boot that kmemleak reports
# (ACPI's early caches), some only late, once their contents stop changing.
# The jiffies at the start let the host tell them from the scenario's leaks.
jiffies=$(awk '$1 == "jiffies" { print $3; exit }' /sys/kernel/debug/sched/debug 2>/dev/null)

# The harness's selftest plants a kernel that hangs before the scenario
# starts, on the boot attempts it lists (MYSLAB_PLANT_EARLY_HANG=1 or 1,2;
# the host numbers its attempts in MYSLAB_BOOT_ATTEMPT).
case ",${MYSLAB_PLANT_EARLY_HANG:-}," in
*",${MYSLAB_BOOT_ATTEMPT:-1},"*)
	echo "guest-init: hanging before the start marker, as planted" >/dev/kmsg
	while :; do sleep 1000; done ;;
esac

# The host's markers go to /dev/kmsg, as scenarios/lib.sh's do: each is one
# whole record of the kernel log, in exact order with the kernel's lines.
echo "MYSLAB-VM: START kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs, jiffies ${jiffies:-unknown}" >/dev/kmsg
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
	while IFS= read -r line; do
		printf '%s\n' "$line" >/dev/kmsg
	done </sys/kernel/debug/kmemleak
fi
echo "MYSLAB-VM: END rc=$rc" >/dev/kmsg
reboot -f
