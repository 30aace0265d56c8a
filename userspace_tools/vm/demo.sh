#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build myslab for the stock Debian kernel, boot it in QEMU, run
# scenarios/demo.sh (load, show /proc files, allocate, unload) and say how it
# went; then the stock scenario on Debian's PREEMPT_RT kernel. With --shell
# (make vm): the same guest with an interactive shell; the modules are in
# /modules.

set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$VM_DIR/install-deps.sh" build vm kernels || exit 1
read -r version kernel kdir < <(stock_kernel) || exit 1
lock_label stock
mods=$("$VM_DIR/build-modules.sh" stock "$kdir") || exit 1
echo "demo: myslab.ko built for Debian's $version kernel; booting it in QEMU (TCG, ${SMP:-2} CPUs)"

if [ "${1:-}" = --shell ]; then
	initrd=$TOP/.build/vm-shell.cpio.gz
	"$VM_DIR/mkinitramfs.sh" "$initrd" --shell "$VM_DIR/scenarios/lib.sh" "$mods/myslab.ko"
	echo "demo: interactive guest; try: insmod /modules/myslab.ko; cat /proc/myslabinfo; exit ends it"
	exec "$VM_DIR/run-vm.sh" --kernel "$kernel" --initrd "$initrd" --interactive
fi

BOOT_KIND=stock
boot demo "$kernel" "$VM_DIR/scenarios/demo.sh" 300 "" "$mods/myslab.ko" \
	"$TOP/userspace_tools/buddyview/guest-fragment.sh"
# Show what the scenario printed (it shows myslab's kernel messages itself),
# not the whole boot.
# The kernel's lines and the harness's marks are records ("<N>[time] ...").
sed -n '/MYSLAB-VM: START/,/MYSLAB-VM: END/p' "$LOGS/demo.log" | tr -d '\r' |
	grep -v -e '^MYSLAB-CAPTURE' -e '^<[0-9]*>\[ *[0-9.]*\] '
echo
pictures=$TOP/.build/demo
echo "=== the region before and after the fragmenting workload ==="
if "$TOP/userspace_tools/buddyview/demo-pictures.sh" --log "$LOGS/demo.log" "$pictures"; then
	echo "demo: pictures in $pictures: before.png and after.png (and .svg)"
else
	echo "demo: FAILED to draw the pictures"
	picture_failed=1
fi
echo
verdict=$("$VM_DIR/check-console.py" --label demo --boot-rc "$BOOT_RC" --timeout "$BOOT_TIMEOUT" \
	--boot-error "$BOOT_ERROR" "$LOGS/demo.log")
rc=$?
echo "$verdict" | grep -v '^RESULT '
[ -n "${picture_failed:-}" ] && rc=1
if [ $rc -eq 0 ]; then
	echo "demo: myslab loaded, showed its state and unloaded cleanly on $version (${BOOT_SECONDS} s in the VM)"
else
	echo "demo: FAILED; the whole console is in $LOGS/demo.log"
fi

# The same module source on Debian's PREEMPT_RT kernel (linux-image-rt-amd64):
# the stock scenario, judged as strictly.
echo
unlock_label
if read -r rt_version rt_kernel rt_kdir < <(stock_kernel rt) &&
   lock_label stock-rt && rt_mods=$("$VM_DIR/build-modules.sh" stock-rt "$rt_kdir"); then
	echo "demo: myslab.ko built for Debian's $rt_version kernel (PREEMPT_RT); booting it"
	boot demo-rt "$rt_kernel" "$VM_DIR/scenarios/stock.sh" 300 "" "$rt_mods/myslab.ko"
	verdict=$("$VM_DIR/check-console.py" --label demo-rt --boot-rc "$BOOT_RC" \
		--timeout "$BOOT_TIMEOUT" --boot-error "$BOOT_ERROR" "$LOGS/demo-rt.log")
	rt_rc=$?
	echo "$verdict" | grep -v '^RESULT '
else
	rt_rc=1
fi
if [ $rt_rc -eq 0 ]; then
	echo "demo: myslab loaded, passed the stock scenario and unloaded cleanly on $rt_version (${BOOT_SECONDS} s in the VM)"
else
	echo "demo: FAILED on the PREEMPT_RT kernel; the console is in $LOGS/demo-rt.log"
	rc=1
fi
exit $rc
