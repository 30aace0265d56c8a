# SPDX-License-Identifier: GPL-2.0
# Host-side helpers shared by test.sh, demo.sh, the self-test and the other
# runners that boot guests (sourced; bash): booting a guest from nothing of
# an earlier run, judging its console, and adding up the results of steps.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$VM_DIR/../.." && pwd)
LOGS=$TOP/.build/logs
mkdir -p "$LOGS"

# stock_kernel [rt]: the newest stock Debian kernel installed from
# linux-image-amd64, or with "rt" from linux-image-rt-amd64 (Debian 12's
# PREEMPT_RT build of 6.1); prints "<version> <vmlinuz> <headers build dir>".
# The two flavours never stand in for each other.
stock_kernel() {
	local flavour=${1:-} v
	v=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | stock_flavour "$flavour" |
		sort -V | tail -n 1)
	[ -n "$v" ] || { echo "no stock ${flavour:+$flavour }kernel in /boot (install linux-image-${flavour:+$flavour-}amd64)" >&2; return 1; }
	[ -d "/lib/modules/$v/build" ] ||
		{ echo "no headers for $v (install linux-headers-${flavour:+$flavour-}amd64)" >&2; return 1; }
	echo "$v /boot/vmlinuz-$v /lib/modules/$v/build"
}

# Keep the kernel versions of one flavour: "rt" (6.1.0-57-rt-amd64) or the
# generic one (6.1.0-57-amd64, 6.12.117+deb12-amd64; not rt, not cloud).
stock_flavour() {
	if [ "$1" = rt ]; then
		grep -E -- '-rt-amd64$' || true
	else
		grep -v -E -- '-(rt|cloud)-amd64$' || true
	fi
}

# boot_once <kernel> <initrd> <log> <timeout> <append> <attempt>: one QEMU
# run; sets BOOT_RC (75: hung before the scenario started).
BOOT_STALL=${BOOT_STALL:-180}
BOOT_RETRIES=0
boot_once() {
	BOOT_RC=0
	"$VM_DIR/run-vm.sh" --kernel "$1" --initrd "$2" --log "$3" --timeout "$4" \
		--stall "$BOOT_STALL" --append "MYSLAB_BOOT_ATTEMPT=$6 $5" || BOOT_RC=$?
}

# boot <label> <bzImage> <scenario> <timeout> <append> <files...>: boot one
# guest and log its console to $LOGS/<label>.log. Everything an earlier boot
# of <label> left (console, QEMU's messages, initramfs, KTAP) is removed
# first, so a boot that fails early can never be judged on an old console.
# $BOOT_KIND ("debug" or "stock") goes to the guest as $MYSLAB_KERNEL.
# Sets BOOT_RC (run-vm.sh's status; 124: timed out), BOOT_ERROR (why the
# boot could not even start, else empty), BOOT_TIMEOUT and BOOT_SECONDS.
# A kernel that hangs before the scenario's start marker (BOOT_RC 75 from
# run-vm.sh --stall) is booted once more, said on the output and counted in
# the summary; a second such hang is judged a failure.
# Returns non-zero when the boot could not start or QEMU failed.
boot() {
	local label=$1 kernel=$2 scenario=$3 timeout=$4 append=$5
	shift 5
	local initrd=$TOP/.build/$label.cpio.gz log=$LOGS/$label.log start=$SECONDS

	rm -f "$initrd" "$log" "$log.qemu" "$log.hung" "$LOGS/$label.ktap" "$LOGS/$label.mkinitramfs"
	BOOT_RC=0 BOOT_ERROR= BOOT_TIMEOUT=$timeout BOOT_SECONDS=0
	[ -n "${BOOT_KIND:-}" ] && append="MYSLAB_KERNEL=$BOOT_KIND $append"
	if ! "$VM_DIR/mkinitramfs.sh" "$initrd" "$scenario" "$VM_DIR/scenarios/lib.sh" "$@" \
		2>"$LOGS/$label.mkinitramfs"; then
		BOOT_ERROR="packing the initramfs failed: $(tail -n 1 "$LOGS/$label.mkinitramfs")"
		return 1
	fi
	boot_once "$kernel" "$initrd" "$log" "$timeout" "$append" 1
	if [ "$BOOT_RC" = 75 ]; then
		# The kernel hung while booting, before the start marker and so
		# before any myslab code ran: said, kept, and booted once more.
		# A second hang is judged as the failure it is.
		mv "$log" "$log.hung"
		echo "[$label] kernel boot problem: no console output for $BOOT_STALL s before" \
			"the scenario started, after: $(tail -n 1 "$log.hung" | tr -d '\r' | cut -c1-120)"
		echo "[$label] no myslab code had run; booting once more (hung console: $log.hung)"
		BOOT_RETRIES=$((BOOT_RETRIES + 1))
		boot_once "$kernel" "$initrd" "$log" "$timeout" "$append" 2
	fi
	BOOT_SECONDS=$((SECONDS - start))
	[ "$BOOT_RC" = 0 ]
}

total_pass=0 total_fail=0 total_skip=0

# tally <RESULT line>: add its counts to the totals; a line that is not
# exactly "RESULT passed=N failed=N skipped=N" is one failure. Sets
# TALLY_FAILED to the line's failure count.
tally() {
	local re='^RESULT passed=([0-9]+) failed=([0-9]+) skipped=([0-9]+)$'

	if [[ $1 =~ $re ]]; then
		total_pass=$((total_pass + BASH_REMATCH[1]))
		total_fail=$((total_fail + BASH_REMATCH[2]))
		total_skip=$((total_skip + BASH_REMATCH[3]))
		TALLY_FAILED=${BASH_REMATCH[2]}
		return 0
	fi
	echo "[tally] FAIL: not a RESULT line: '$1'"
	total_fail=$((total_fail + 1))
	TALLY_FAILED=1
	return 1
}

# broken <step> <why>: a step that could not run at all is one failure.
broken() {
	echo "[$1] FAIL: $2"
	total_fail=$((total_fail + 1))
}

# judge <label> [check-console options]: judge $LOGS/<label>.log after
# boot(), add its counts to the totals. Returns the checker's status.
judge() {
	local label=$1 out rc
	shift
	out=$("$VM_DIR/check-console.py" --label "$label" --boot-rc "$BOOT_RC" \
		--timeout "$BOOT_TIMEOUT" --boot-error "$BOOT_ERROR" "$@" "$LOGS/$label.log")
	rc=$?
	echo "$out" | grep -v '^RESULT '
	tally "$(echo "$out" | tail -n 1)"
	if [ $rc -ne 0 ] && [ "$TALLY_FAILED" = 0 ]; then
		broken "$label" "check-console.py exited with status $rc but counted no failure"
	fi
	[ $rc -ne 0 ] && echo "[$label] console log: $LOGS/$label.log"
	echo "[$label] boot took ${BOOT_SECONDS} s"
	return $rc
}

# host_step <command...>: a step that ends its output with one
# "RESULT passed=N failed=N skipped=N" line. Its exit status and its RESULT
# line must agree: a step that printed a clean RESULT and then failed, or
# that printed none, or two, is a failure.
host_step() {
	local out rc n step
	step=$(basename "$1")
	out=$("$@")
	rc=$?
	echo "$out" | grep -v '^RESULT '
	n=$(echo "$out" | grep -c '^RESULT ')
	if [ "$n" != 1 ] || ! echo "$out" | tail -n 1 | grep -q '^RESULT '; then
		broken "$step" "printed $n RESULT lines, expected exactly one as its last line (exit status $rc)"
		return 1
	fi
	tally "$(echo "$out" | tail -n 1)" || return 1
	if [ $rc -ne 0 ] && [ "$TALLY_FAILED" = 0 ]; then
		broken "$step" "exited with status $rc although its RESULT line counts no failure"
		return 1
	fi
	if [ $rc -eq 0 ] && [ "$TALLY_FAILED" != 0 ]; then
		broken "$step" "exited 0 although its RESULT line counts $TALLY_FAILED failures"
		return 1
	fi
	return $rc
}

# summary: the count line every runner ends with.
summary() {
	[ "$BOOT_RETRIES" -gt 0 ] &&
		echo "[summary] $BOOT_RETRIES boot(s) hung before the scenario started and were booted once more (see above)"
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
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
