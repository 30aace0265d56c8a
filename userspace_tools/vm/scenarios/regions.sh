#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stock kernel booted with memmap=64M$0x30000000: the reserved-physical-memory
# provider takes that range; every bad parameter value refuses the load with a
# clear message and leaves nothing behind.
. /modules/lib.sh

# Two checks per refused load (63), and 9 for the good loads.
plan 135

# busybox insmod tries finit_module() and, when that fails, init_module():
# every refused load says what it says twice.
TRIES=2
# main.c's line after the refusal: a refused parameter value fails the load
# in its first step ("parameters"), a bad range or size in the main region's.
SETUP_FAILED='^myslab: (parameters|main region) setup failed: -22$'
# What the parameters take (params.c, region_main.c), for the patterns below.
BYTES='expected a byte count below 2\^64: a decimal, 0x hexadecimal or 0 octal number, optionally followed by K, M, G, T, P or E \(powers of 1024\)$'
BOOL='expected 1, y, yes, on, true or 0, n, no, off, false$'
FAULT='expected <interval>,<probability>,<space>,<times> in decimal: interval >= 1, probability 0 to 100, space 0 to 2147483647, times -1 \(no limit\) to 2147483647$'
NO_FAULT_INJECTION='rejected: this kernel is built without CONFIG_FAULT_INJECTION, so no faults can be injected$'
FORGED='
MYSLAB-CHECK: ok forged'

nothing_left() {
	! grep -q '^myslab ' /proc/modules && [ ! -e /proc/myslabinfo ] &&
		[ ! -e /proc/mybuddyinfo ] && [ ! -e /sys/module/myslab ] &&
		[ ! -e /sys/kernel/debug/myslab ] && ! grep -q myslab /proc/iomem
}

# refused <name> <ERE> <param=value...>: insmod must fail, leave nothing
# behind, and log one line matching <ERE> (and main.c's) per attempt.
refused() {
	name=$1 ere=$2
	shift 2
	dmesg -c >/dev/null
	planted $TRIES "$ere" $TRIES "$SETUP_FAILED" -- \
		check_fails "$name" insmod /modules/myslab.ko "$@"
	grep -q '^myslab ' /proc/modules && rmmod myslab
	log=$(dmesg | sed 's/^\[[^]]*\] //')
	seen=$(echo "$log" | grep -cE "$ere")
	if ! nothing_left; then
		fail "${name}_clean" "a refused load left myslab state behind"
	elif [ "$seen" -ne $TRIES ]; then
		fail "${name}_clean" "$seen lines match '$ere', expected $TRIES: $(echo "$log" | tail -n 1)"
	else
		pass "${name}_clean"
		echo "$log" | grep -E "$ere" | head -n 1 | sed 's/^/    /'
	fi
}

# --- The reserved range ---------------------------------------------------

refused phys_unaligned '^myslab: phys range \[0x30000100-0x340000ff\] rejected: not page aligned' \
	phys_base=0x30000100 phys_size=64M
refused phys_size_unaligned '^myslab: phys range \[0x30000000-0x300003e7\] rejected: not page aligned' \
	phys_base=0x30000000 phys_size=1000
refused phys_empty '^myslab: phys range at 0x30000000 rejected: empty' \
	phys_base=0x30000000 phys_size=0
refused phys_overflow '^myslab: phys range at 0xfffffffffff00000 of 0x1000000 bytes rejected: overflows' \
	phys_base=0xfffffffffff00000 phys_size=16M
refused phys_system_ram '^myslab: phys range \[0x1000000-0x1ffffff\] rejected: intersects System RAM' \
	phys_base=0x1000000 phys_size=16M
refused phys_partly_ram '^myslab: phys range \[0x2f000000-0x30ffffff\] rejected: intersects System RAM' \
	phys_base=0x2f000000 phys_size=32M
# 2^64 + 64M and 2^64 + 0x30000000 used to wrap to the reserved range and load.
refused phys_size_wrap "^myslab: phys_size=\"18446744073776660480\" rejected: does not fit in 64 bits; $BYTES" \
	phys_base=0x30000000 phys_size=18446744073776660480
refused phys_base_wrap "^myslab: phys_base=\"0x10000000030000000\" rejected: does not fit in 64 bits; $BYTES" \
	phys_base=0x10000000030000000 phys_size=64M
refused phys_base_suffix_wrap "^myslab: phys_base=\"16E\" rejected: does not fit in 64 bits; $BYTES" \
	phys_base=16E phys_size=64M
refused phys_size_trailing "^myslab: phys_size=\"64M,\" rejected: $BYTES" \
	phys_base=0x30000000 phys_size=64M,

# --- size -------------------------------------------------------------------

refused size_zero '^myslab: size=0 rejected: expected a non-zero multiple of 4096 up to 68719476736 bytes$' size=0
refused size_unaligned '^myslab: size=12345 rejected: expected a non-zero multiple' size=12345
# T, P and E are accepted (as memmap= takes them): 1T is 2^40, too big.
refused size_1T '^myslab: size=1099511627776 rejected: expected a non-zero multiple' size=1T
refused size_garbage "^myslab: size=\"12abc\" rejected: $BYTES" size=12abc
refused size_trailing "^myslab: size=\"64Mjunk\" rejected: $BYTES" size=64Mjunk
refused size_two_suffixes "^myslab: size=\"64MK\" rejected: $BYTES" size=64MK
refused size_negative "^myslab: size=\"-64M\" rejected: $BYTES" size=-64M
refused size_empty "^myslab: size=\"\" rejected: $BYTES" size=
refused size_no_value "^myslab: size \\(no value\\) rejected: $BYTES" size
# 2^64 (was 0), 2^64 + 64M (was 64M, and loaded), in hex, by a suffix.
refused size_wrap "^myslab: size=\"18446744073709551616\" rejected: does not fit in 64 bits; $BYTES" \
	size=18446744073709551616
refused size_wrap_64M "^myslab: size=\"18446744073776660480\" rejected: does not fit in 64 bits; $BYTES" \
	size=18446744073776660480
refused size_hex_wrap "^myslab: size=\"0x10000000004000000\" rejected: does not fit in 64 bits; $BYTES" \
	size=0x10000000004000000
refused size_suffix_wrap "^myslab: size=\"16E\" rejected: does not fit in 64 bits; $BYTES" size=16E
refused size_suffix_wrap_G "^myslab: size=\"17179869184G\" rejected: does not fit in 64 bits; $BYTES" \
	size=17179869184G
# Control characters are logged escaped, a long value cut after 64 bytes.
refused size_escape "^myslab: size=\"64M\\\\e\\[2J\" rejected: $BYTES" "size=$(printf '64M\033[2J')"
refused size_newline "^myslab: size=\"64M\\\\nMYSLAB-CHECK: ok forged\" rejected: $BYTES" \
	"size=\"64M$FORGED\""
refused size_long "^myslab: size=\"1{64}\"\\.\\.\\. \\(300 bytes\\) rejected: does not fit in 64 bits; $BYTES" \
	"size=$(printf '%0300d' 0 | tr 0 1)"
# A refusal is sticky: a later good value of the same parameter does not
# undo it: the load still fails, with the bad value's refusal.
refused size_sticky "^myslab: size=\"junk\" rejected: $BYTES" size=junk size=64M

# --- Integers ---------------------------------------------------------------

refused max_order_big '^myslab: max_order="21" rejected: expected an integer from 0 to 20$' max_order=21
refused max_order_junk '^myslab: max_order="1junk" rejected: expected an integer from 0 to 20$' max_order=1junk
refused max_order_wrap '^myslab: max_order="4294967296" rejected: expected an integer from 0 to 20$' \
	max_order=4294967296
refused max_order_negative '^myslab: max_order="-1" rejected: expected an integer from 0 to 20$' max_order=-1
refused max_order_no_value '^myslab: max_order \(no value\) rejected: expected an integer from 0 to 20$' max_order
refused max_order_escape '^myslab: max_order="5\\e\[2J" rejected: expected an integer from 0 to 20$' \
	"max_order=$(printf '5\033[2J')"
# The upper bound is MYSLAB_PCP_BATCH_MAX, whatever it is.
refused pcp_batch_big '^myslab: pcp_batch="1000000" rejected: expected an integer from 0 \(no per-CPU page lists\) to [0-9]+$' \
	pcp_batch=1000000
refused pcp_batch_junk '^myslab: pcp_batch="1junk" rejected: expected an integer from 0 \(no per-CPU page lists\) to [0-9]+$' \
	pcp_batch=1junk
refused pcp_batch_wrap '^myslab: pcp_batch="99999999999999999999" rejected: expected an integer from 0 \(no per-CPU page lists\) to [0-9]+$' \
	pcp_batch=99999999999999999999

# --- Booleans (were true or false by their first letters) -------------------

refused page_poison_junk "^myslab: page_poison=\"1junk\" rejected: $BOOL" page_poison=1junk
refused page_poison_yesplease "^myslab: page_poison=\"yesplease\" rejected: $BOOL" page_poison=yesplease
refused page_poison_ofx "^myslab: page_poison=\"ofx\" rejected: $BOOL" page_poison=ofx
refused page_poison_two "^myslab: page_poison=\"2\" rejected: $BOOL" page_poison=2
refused page_poison_empty "^myslab: page_poison=\"\" rejected: $BOOL" page_poison=
refused page_poison_escape "^myslab: page_poison=\"1\\\\e\\[31m\" rejected: $BOOL" \
	"page_poison=$(printf '1\033[31m')"
refused page_poison_newline "^myslab: page_poison=\"1\\\\nMYSLAB-CHECK: ok forged\" rejected: $BOOL" \
	"page_poison=\"1$FORGED\""
refused page_kmemleak_junk "^myslab: page_kmemleak=\"1junk\" rejected: $BOOL" page_kmemleak=1junk
# Debian's kernel has no kmemleak: asking for it is refused, not ignored.
refused page_kmemleak_unsupported '^myslab: page_kmemleak="1" rejected: this kernel is built without CONFIG_DEBUG_KMEMLEAK, so no page can be tracked$' \
	page_kmemleak=1
refused page_kmemleak_no_value '^myslab: page_kmemleak \(no value\) rejected: this kernel is built without CONFIG_DEBUG_KMEMLEAK' \
	page_kmemleak

# --- Fault injection (Debian's kernel has none) -------------------------------

refused fail_page_alloc_garbage "^myslab: fail_page_alloc=\"garbage\" rejected: $FAULT" fail_page_alloc=garbage
refused fail_page_alloc_junk "^myslab: fail_page_alloc=\"1,10,0,-1junk\" rejected: $FAULT" \
	fail_page_alloc=1,10,0,-1junk
refused fail_page_alloc_wrap "^myslab: fail_page_alloc=\"18446744073709551616,10,0,-1\" rejected: $FAULT" \
	fail_page_alloc=18446744073709551616,10,0,-1
refused fail_page_alloc_times "^myslab: fail_page_alloc=\"1,10,0,2147483648\" rejected: $FAULT" \
	fail_page_alloc=1,10,0,2147483648
refused fail_page_alloc_no_value "^myslab: fail_page_alloc \\(no value\\) rejected: $FAULT" fail_page_alloc
refused fail_page_alloc_escape "^myslab: fail_page_alloc=\"1,10,0,1\\\\e\\[2J\" rejected: $FAULT" \
	"fail_page_alloc=$(printf '1,10,0,1\033[2J')"
refused fail_page_alloc_newline "^myslab: fail_page_alloc=\"1,10,0,1\\\\nMYSLAB-CHECK: ok forged\" rejected: $FAULT" \
	"fail_page_alloc=\"1,10,0,1$FORGED\""
refused fail_page_alloc_long "^myslab: fail_page_alloc=\"0{64}\"\\.\\.\\. \\(500 bytes\\) rejected: $FAULT" \
	"fail_page_alloc=$(printf '%0500d' 1)"
# A good value cannot be honoured here: refused, not ignored with a warning.
refused fail_page_alloc_unsupported "^myslab: fail_page_alloc=\"1,10,0,-1\" $NO_FAULT_INJECTION" \
	fail_page_alloc=1,10,0,-1
refused failslab_junk "^myslab: failslab=\"1,10,0,-1junk\" rejected: $FAULT" failslab=1,10,0,-1junk
refused failslab_wrap "^myslab: failslab=\"1,10,0,99999999999\" rejected: $FAULT" failslab=1,10,0,99999999999
refused failslab_no_value "^myslab: failslab \\(no value\\) rejected: $FAULT" failslab
refused failslab_unsupported "^myslab: failslab=\"1,10,0,-1\" $NO_FAULT_INJECTION" failslab=1,10,0,-1

# --- myslab_debug -----------------------------------------------------------

refused myslab_debug_junk '^myslab: myslab_debug="1junk" rejected: unknown option letter' myslab_debug=1junk
refused myslab_debug_no_value '^myslab: myslab_debug \(no value\) rejected: expected <FZPUA or ->' myslab_debug
refused myslab_debug_long '^myslab: myslab_debug="F{64}"\.\.\. \(300 bytes\) rejected: longer than 255 characters' \
	"myslab_debug=$(printf '%0300d' 0 | tr 0 F)"

# --- Good values --------------------------------------------------------------

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
# Every parameter is read-only (its value is only ever set while the module
# loads, where params.c's refusals apply) and shows what the load was given.
params=$(cd /sys/module/myslab/parameters && for p in *; do
	echo "$p $(stat -c %a "$p") $(cat "$p")"; done | tr '\n' ' ')
want='fail_page_alloc 444  failslab 444  max_order 444 10 myslab_debug 444  page_kmemleak 444 N page_poison 444 N pcp_batch 444 32 phys_base 444 0x30000000 phys_size 444 0x4000000 size 444 0x4000000 '
if [ "$params" = "$want" ]; then
	pass params_read_only
else
	fail params_read_only "parameters: '$params', expected '$want'"
fi
check unload_reserved rmmod myslab
check_unloaded

# 5 MiB with max_order 8 (1 MiB blocks): 5 blocks of order 8. Hexadecimal,
# a lower-case suffix and a word for a boolean are accepted.
check load_odd_size insmod /modules/myslab.ko size=0x5m max_order=0x8 page_poison=off
cat /proc/mybuddyinfo
if awk '{ exit !(NF == 4 + 9 && $NF >= 4 && $NF <= 5) }' /proc/mybuddyinfo; then
	pass odd_size_buddyinfo
else
	fail odd_size_buddyinfo "expected orders 0..8 and 4-5 free order-8 blocks: $(cat /proc/mybuddyinfo)"
fi
check unload_odd_size rmmod myslab
finish
