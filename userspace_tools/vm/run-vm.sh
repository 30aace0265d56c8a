#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel with an initramfs in QEMU (TCG: KVM does not work on these
# machines) and write the whole serial console to a log. The guest ends with
# `reboot -f` under -no-reboot; a wall-clock timeout kills a guest that hangs.
#
# Usage: run-vm.sh --kernel BZIMAGE --initrd CPIO.GZ [--log FILE] [--smp N]
#                  [--mem MB] [--timeout S] [--stall S] [--append ARGS]
#                  [--interactive]
# QEMU's own messages go to <log>.qemu. QEMU_EXTRA (environment): more QEMU
# options, split on blanks (make bench-kernel's KBENCH_ICOUNT=1 passes
# "-icount shift=0,sleep=off").
# --stall S: a guest whose console stays silent for S seconds before the
# scenario's start marker is killed: its kernel hung while booting, before any
# myslab code ran (the 6.1 debug kernel does so in about 3% of -smp 4 boots,
# in its RCU-tasks boot self-test), so waiting the whole timeout is no use.
# Exit: 0 when QEMU ended by itself, 124 when the timeout killed it, 75 when
# the boot hung before the start marker (--stall).

set -euo pipefail

# Every console line of the kernel carries its log level ("<3>"), so the
# checker can tell a myslab report from an informational line; the scenario's
# /dev/kmsg markers are never rate-limited away.
CONSOLE_ARGS="console_msg_format=syslog printk.devkmsg=on"

kernel= initrd= log=/dev/null smp=${SMP:-2} mem=1024 timeout=300 stall=0 append= interactive=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--stall) stall=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	*) echo "run-vm: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -f "$kernel" ] || { echo "run-vm: no kernel image '$kernel'" >&2; exit 2; }
[ -f "$initrd" ] || { echo "run-vm: no initramfs '$initrd'" >&2; exit 2; }

# la57=off: with 5-level paging, the kernel's identify_cpu() clears the boot
# CPU's LA57 feature bit with interrupts on, before alternatives are patched;
# KASAN's address check reads that bit, so a timer tick in the window sees the
# ff11... direct map as a wild access (in 15 of 306 boots of the 6.12 debug
# kernel and 4 of 74 of the 6.1 one, none of 346 and 176 with la57=off).
# no_timer_check: on a starved host the IO-APIC timer probe can fail and panic.
read -ra extra <<<"${QEMU_EXTRA:-}"
qemu=(qemu-system-x86_64 -accel tcg -cpu max,la57=off -smp "$smp" -m "$mem"
      -kernel "$kernel" -initrd "$initrd" -no-reboot -nodefaults "${extra[@]}"
      -append "console=ttyS0 panic=-1 oops=panic printk.time=1 no_timer_check $CONSOLE_ARGS $append")

if [ -n "$interactive" ]; then
	exec "${qemu[@]}" -nographic -serial mon:stdio
fi
qemu_err=/dev/null
[ "$log" = /dev/null ] || qemu_err=$log.qemu
rc=0
rm -f "$log.stalled"
timeout --kill-after=10 "$timeout" "${qemu[@]}" -display none -serial "file:$log" \
	-monitor none </dev/null 2>"$qemu_err" &
qemu_pid=$!
if [ "$stall" -gt 0 ] && [ "$log" != /dev/null ]; then
	(
		last=-1 quiet=0
		while kill -0 "$qemu_pid" 2>/dev/null; do
			grep -q 'MYSLAB-VM: START' "$log" 2>/dev/null && exit 0
			size=$(stat -c %s "$log" 2>/dev/null || echo 0)
			if [ "$size" = "$last" ]; then
				quiet=$((quiet + 1))
			else
				quiet=0 last=$size
			fi
			if [ "$quiet" -ge "$stall" ]; then
				: >"$log.stalled"
				kill "$qemu_pid" 2>/dev/null
				exit 0
			fi
			sleep 1
		done
	) &
fi
wait "$qemu_pid" || rc=$?
wait
[ -e "$log.stalled" ] && rc=75
rm -f "$log.stalled"
exit $rc
