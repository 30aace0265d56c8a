# SPDX-License-Identifier: GPL-2.0
# Helpers for guest scenarios (sourced; busybox sh). A check prints
# "MYSLAB-CHECK: ok <name>" or "MYSLAB-CHECK: not ok <name> - <why>", which
# the host's check-console.py counts as one test each.

failures=0

pass() {
	echo "MYSLAB-CHECK: ok $1"
}

fail() {
	echo "MYSLAB-CHECK: not ok $1 - $2"
	failures=$((failures + 1))
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

check_slabinfo_header() {
	if [ "$(sed -n 1p /proc/myslabinfo)" = "$SLABINFO_HEADER1" ] &&
	   [ "$(sed -n 2p /proc/myslabinfo)" = "$SLABINFO_HEADER2" ]; then
		pass slabinfo_header
	else
		fail slabinfo_header "header differs: $(head -n 2 /proc/myslabinfo | tr '\n' '|')"
	fi
}

check_unloaded() {
	if grep -q '^myslab ' /proc/modules || [ -e /proc/myslabinfo ]; then
		fail unload_clean "myslab still listed or /proc/myslabinfo still present"
	else
		pass unload_clean
	fi
}
