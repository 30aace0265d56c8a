# SPDX-License-Identifier: GPL-2.0
# Host-side helpers shared by test.sh and demo.sh (sourced; bash).

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../.." && pwd)
LOGS=$TOP/.build/logs
mkdir -p "$LOGS"

# The newest stock Debian kernel installed from linux-image-amd64: prints
# "<version> <vmlinuz> <headers build dir>".
stock_kernel() {
	local v
	v=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1)
	[ -n "$v" ] || { echo "no stock kernel in /boot (install linux-image-amd64)" >&2; return 1; }
	[ -d "/lib/modules/$v/build" ] ||
		{ echo "no headers for $v (install linux-headers-amd64)" >&2; return 1; }
	echo "$v /boot/vmlinuz-$v /lib/modules/$v/build"
}

# boot <label> <bzImage> <scenario> <timeout> <append> <files...>: boot one
# guest, log its console to $LOGS/<label>.log; sets BOOT_RC (124: timed out).
boot() {
	local label=$1 kernel=$2 scenario=$3 timeout=$4 append=$5
	shift 5
	local initrd=$TOP/.build/$label.cpio.gz start=$SECONDS

	"$VM_DIR/mkinitramfs.sh" "$initrd" "$scenario" "$VM_DIR/scenarios/lib.sh" "$@"
	BOOT_RC=0
	"$VM_DIR/run-vm.sh" --kernel "$kernel" --initrd "$initrd" --log "$LOGS/$label.log" \
		--timeout "$timeout" --append "$append" || BOOT_RC=$?
	BOOT_SECONDS=$((SECONDS - start))
}

# lock_label <label>: hold an exclusive lock on <label>'s build directory and
# logs until unlock_label, so that concurrent runs (several developers in one
# checkout) wait for each other instead of mixing their files.
lock_label() {
	exec {LABEL_LOCK}>"$TOP/.build/.lock-$1"
	flock "$LABEL_LOCK"
}

unlock_label() {
	exec {LABEL_LOCK}>&-
}
