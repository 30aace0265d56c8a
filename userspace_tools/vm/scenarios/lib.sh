# SPDX-License-Identifier: GPL-2.0
# Helpers for guest scenarios (sourced; busybox sh). A check prints
# "MYSLAB-CHECK: ok <name>" or "MYSLAB-CHECK: not ok <name> - <why>", which
# the host's check-console.py counts as one test each. A scenario declares
# how many checks it makes with plan (the host fails a boot whose count
# differs: a scenario that stops early cannot pass) and ends with finish.
# $MYSLAB_KERNEL (from the kernel command line) is "debug" on the debug
# kernels and "stock" on Debian's: what a kernel must offer is known, never
# probed and skipped.

failures=0

# mark <text>: a line for the host's checker. It goes to /dev/kmsg, so it is
# one record of the kernel log: the console prints it whole and in exact
# order with the kernel's own lines (written to the console directly, the
# guest's output and the kernel's can cut each other mid-line). Booted with
# printk.devkmsg=on, no rate limit drops it. One line, at most 400 bytes.
# ($MYSLAB_MARKS names another file, for the host's tests of this library.)
mark() {
	printf '%s\n' "$(printf '%s' "$*" | tr '\n\r' '  ' | cut -c1-400)" >>"${MYSLAB_MARKS:-/dev/kmsg}"
}

# plan <n>: the number of checks this scenario makes, said once.
plan() {
	mark "MYSLAB-PLAN: $1"
}

# finish: end the scenario; the exit status says whether every check passed
# (never the failure count itself, which would wrap to 0 at 256).
finish() {
	mark "MYSLAB-SCENARIO: $failures failed checks"
	[ "$failures" -eq 0 ] && exit 0
	exit 1
}

# A check's name is one word of [A-Za-z0-9_.:+-]: the host reads it so.
check_name_ok() {
	case $1 in
	'' | *[!A-Za-z0-9_.:+-]*) return 1 ;;
	esac
}

pass() {
	if check_name_ok "$1"; then
		mark "MYSLAB-CHECK: ok $1"
	else
		mark "MYSLAB-CHECK: not ok bad_check_name - '$1' is not one word of [A-Za-z0-9_.:+-]"
		failures=$((failures + 1))
	fi
}

fail() {
	if check_name_ok "$1"; then
		mark "MYSLAB-CHECK: not ok $1 - $2"
	else
		mark "MYSLAB-CHECK: not ok bad_check_name - '$1' is not one word of [A-Za-z0-9_.:+-] ($2)"
	fi
	failures=$((failures + 1))
}

# planted <count> <regex> [<count> <regex>]... -- <command...>: run the
# command, which must make myslab print exactly <count> report lines
# (kernel lines at warning level or worse from myslab) matching each regex
# (Python syntax, searched) and no other report. The brackets are marks, so
# they sit in the kernel log in exact order with the reports. Returns the
# command's status.
planted_seq=0
planted() {
	planted_seq=$((planted_seq + 1))
	_pl_id=plant$planted_seq
	mark "MYSLAB-PLANT: begin $_pl_id"
	while [ $# -ge 2 ] && [ "$1" != -- ]; do
		mark "MYSLAB-PLANT: expect $_pl_id $1 $2"
		shift 2
	done
	if [ "${1:-}" != -- ]; then
		fail "planted_usage_$planted_seq" "usage: planted <count> <regex>... -- <command>"
		mark "MYSLAB-PLANT: end $_pl_id"
		return 1
	fi
	shift
	"$@"
	_pl_rc=$?
	mark "MYSLAB-PLANT: end plant$planted_seq"
	return $_pl_rc
}

# check <name> <command...>: the command must succeed.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "'$*' failed: $(echo "$out" | tail -n 1)"
	fi
}

# check_fails <name> <command...>: the command must fail.
check_fails() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		fail "$name" "'$*' succeeded but should have failed"
	else
		pass "$name"
	fi
}

# expect_err <name> <errno text> <file> <printf format> [args...]: writing
# what the format gives to <file> must fail with that error text.
expect_err() {
	name=$1 want=$2 file=$3
	shift 3
	data=$(printf "$@"; echo x)
	data=${data%x}
	out=$( (echo -n "$data" >"$file") 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && echo "$out" | grep -q "$want"; then
		pass "$name"
	else
		fail "$name" "rc=$rc out='$out' want '$want'"
	fi
}

# expect_ok <name> <file> <printf format> [args...]: the write must succeed.
expect_ok() {
	name=$1 file=$2
	shift 2
	if out=$( (printf "$@" >"$file") 2>&1); then
		pass "$name"
	else
		fail "$name" "$out"
	fi
}

# The exact two header lines of /proc/slabinfo version 2.1.
SLABINFO_HEADER1='slabinfo - version: 2.1'
SLABINFO_HEADER2='# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>'

# check_slabinfo_header [suffix]: one check, named slabinfo_header[_suffix].
check_slabinfo_header() {
	if [ "$(sed -n 1p /proc/myslabinfo)" = "$SLABINFO_HEADER1" ] &&
	   [ "$(sed -n 2p /proc/myslabinfo)" = "$SLABINFO_HEADER2" ]; then
		pass "slabinfo_header${1:+_$1}"
	else
		fail "slabinfo_header${1:+_$1}" "header differs: $(head -n 2 /proc/myslabinfo | tr '\n' '|')"
	fi
}

# The lines a refused insmod of myslab.ko prints: myslab's refusal naming
# the parameter (matched by the caller), then either the kernel's
# "`<value>' invalid for parameter `<name>'" (a parameter refused while
# parsed) or myslab's "<part> setup failed: -22" (refused at init).
REFUSED_LOAD='^myslab: (`.*'"'"' invalid for parameter `[a-z_]+'"'"'|[a-z ]+ setup failed: -[0-9]+)$'

# load_refused <check name> <regex of the refusal> <parameters...>: loading
# myslab.ko with them must fail, with exactly that refusal and the line
# closing it (both planted reports), and leave nothing loaded. Each appears
# twice: busybox's insmod tries finit_module() and, when that fails, the
# same load again through init_module().
load_refused() {
	_lr_name=$1 _lr_rx=$2
	shift 2
	planted 2 "$_lr_rx" 2 "$REFUSED_LOAD" -- \
		check_fails "$_lr_name" insmod /modules/myslab.ko "$@"
	if grep -q '^myslab ' /proc/modules; then
		fail "${_lr_name}_left_loaded" "myslab is loaded after a refused insmod"
		rmmod myslab
	fi
}

# check_unloaded [suffix]: one check, named unload_clean[_suffix].
check_unloaded() {
	if grep -q '^myslab ' /proc/modules || [ -e /proc/myslabinfo ]; then
		fail "unload_clean${1:+_$1}" "myslab still listed or /proc/myslabinfo still present"
	else
		pass "unload_clean${1:+_$1}"
	fi
}
