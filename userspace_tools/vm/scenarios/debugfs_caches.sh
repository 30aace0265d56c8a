#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The slab layer's debugging from the outside: the myslab_debug= and
# failslab= parameters (bad values refuse the load), every file of
# /sys/kernel/debug/myslab/caches/<name>/ read, every writable one given bad
# input (refused with its errno, nothing changed) and good input, failslab
# and, on kernels with kmemleak, a planted leak found and a held object not.
# Runs on the stock kernel (no fault injection, no kmemleak: those parts are
# skipped) and on the debug kernels.
. /modules/lib.sh
D=/sys/kernel/debug/myslab
C=$D/caches
P=/sys/module/myslab/parameters

# value <file> <name>: the value of a "name value" line
value() {
	awk -v n="$2" '$1 == n { print $2 }' "$1"
}
expect_value() {
	name=$1; file=$2; key=$3; want=$4
	got=$(value "$file" "$key")
	[ "$got" = "$want" ] && pass "$name" || fail "$name" "$key is '$got', expected '$want'"
}
# expect_mode <file> <ls -l permissions>
expect_mode() {
	got=$(ls -l "$1" | cut -c1-10)
	[ "$got" = "$2" ] && pass "mode_$(basename "$1")" || fail "mode_$(basename "$1")" "$1 is $got, expected $2"
}
# kmemleak_count <size> <function>: reports of objects of that size whose
# allocation backtrace names the function. A record starts with
# "unreferenced object 0x... (size N):". Never printed to the console.
kmemleak_count() {
	awk -v size="(size $1):" -v fn="$2" '
		/^unreferenced object/ { sz = $4 " " $5; hit = 0 }
		index($0, fn) && sz == size && !hit { n++; hit = 1 }
		END { print n + 0 }' /sys/kernel/debug/kmemleak
}
# What the kernel offers is known, not probed: the debug kernels have fault
# injection and kmemleak, Debian's stock kernel neither. The checks of each
# part are counted in the plan.
if [ "${MYSLAB_KERNEL:-}" = debug ]; then
	FI=1 KMEMLEAK=1
	plan 133
else
	FI=0 KMEMLEAK=0
	plan 105
fi

# === Parameters ===
load_refused param_unknown_letter '^myslab: myslab_debug=.* rejected: unknown option letter' myslab_debug=X
load_refused param_dash_with_letters "^myslab: myslab_debug=.* rejected: '-' must stand alone" myslab_debug=F-
load_refused param_empty_name '^myslab: myslab_debug=.* rejected: a cache name is empty' myslab_debug=F,a,,b
load_refused param_twice '^myslab: myslab_debug=.* rejected: a cache name is given twice' myslab_debug='F,a;Z,a'
load_refused param_two_globals '^myslab: myslab_debug=.* rejected: two blocks without cache names' \
	myslab_debug='F;Z'
load_refused param_long '^myslab: myslab_debug=.* rejected: longer than 255 characters' \
	myslab_debug=$(printf '%0300d' 0 | tr 0 F)
for bad in 1,101,0,-1 one,two,3,4 1,10,0 0,10,0,-1; do
	load_refused "failslab_$(echo "$bad" | tr -c 'a-z0-9\n' '_')" '^myslab: failslab=.* rejected: expected ' \
		failslab=$bad
done

check load_probe insmod /modules/myslab.ko
[ -d $D/failslab ] && found=1 || found=0
[ $found = $FI ] && pass fault_injection_as_expected ||
	fail fault_injection_as_expected "failslab directory: $found, expected $FI on a ${MYSLAB_KERNEL:-unknown} kernel"
[ -w /sys/kernel/debug/kmemleak ] && found=1 || found=0
[ $found = $KMEMLEAK ] && pass kmemleak_as_expected ||
	fail kmemleak_as_expected "kmemleak: $found, expected $KMEMLEAK on a ${MYSLAB_KERNEL:-unknown} kernel"
check unload_probe rmmod myslab
if [ $FI = 1 ]; then
	check load_myslab insmod /modules/myslab.ko 'myslab_debug=FZPU,kmalloc-64;U,task_struct;A,kmalloc-128' failslab=1,0,0,-1
	[ "$(cat $P/failslab)" = "1,0,0,-1" ] && pass param_failslab_shown || fail param_failslab_shown "$(cat $P/failslab)"
else
	load_refused failslab_needs_fault_injection '^myslab: failslab=.* rejected: this kernel is built without CONFIG_FAULT_INJECTION' \
		failslab=1,0,0,-1
	check load_myslab insmod /modules/myslab.ko 'myslab_debug=FZPU,kmalloc-64;U,task_struct;A,kmalloc-128'
fi
[ "$(cat $P/myslab_debug)" = "FZPU,kmalloc-64;U,task_struct;A,kmalloc-128" ] &&
	pass param_debug_shown || fail param_debug_shown "$(cat $P/myslab_debug)"

# === The tree ===
ls $C
for c in task_struct kmalloc-8 kmalloc-64 kmalloc-128 kmalloc-2k; do
	[ -d $C/$c ] && pass "dir_$c" || fail "dir_$c" "no $C/$c"
done
K=$C/kmalloc-64
ls -l $K
for f in geometry occupancy cpu_caches stats debug; do
	expect_mode $K/$f -r--r--r--
done
for f in alloc_traces free_traces; do
	expect_mode $K/$f -r--------
done
for f in shrink reset_counters; do
	expect_mode $K/$f --w-------
done
expect_mode $K/validate -rw-------
[ $FI = 1 ] && expect_mode $K/failslab -rw-------
[ -e $C/kmalloc-32/alloc_traces ] && fail no_traces_without_U "kmalloc-32 has alloc_traces" || pass no_traces_without_U

# Every readable file of every cache reads.
bad=0
for d in $C/*; do
	for f in geometry occupancy cpu_caches stats debug alloc_traces free_traces failslab validate; do
		[ -e $d/$f ] || continue
		cat $d/$f > /tmp/out || { bad=1; echo "cannot read $d/$f"; }
		[ -s /tmp/out ] || { bad=1; echo "$d/$f is empty"; }
	done
done
[ $bad = 0 ] && pass read_every_file || fail read_every_file "see above"
for f in geometry occupancy cpu_caches stats debug; do
	echo "--- kmalloc-64/$f"
	cat $K/$f
done

expect_value geometry_debug $K/geometry debug FZPU
expect_value geometry_usable $K/geometry usable_size 64
expect_value geometry_red_left $K/geometry red_left 64	# kmalloc-64 objects are 64-aligned
expect_value geometry_plain $C/kmalloc-32/geometry debug -
grep -q '^options FZPU$' $K/debug && pass debug_options || fail debug_options "$(cat $K/debug)"
grep -q '^options U$' $C/task_struct/debug && pass debug_options_task || fail debug_options_task "$(cat $C/task_struct/debug)"
grep -q '^options A$' $C/kmalloc-128/debug && pass debug_options_failslab || fail debug_options_failslab "$(cat $C/kmalloc-128/debug)"
# Every counter, by name, in order, once.
counters="alloc_fast alloc_slow free_fast free_slow refills flushes refills_barn flushes_barn drains slabs_taken slabs_given
alloc_failed err_outside_region err_not_object err_wrong_cache err_double_free err_freelist err_redzone
err_poison err_inconsistent faults_injected"
[ "$(awk '{ print $1 }' $K/stats | tr '\n' ' ')" = "$(echo $counters) " ] && pass stats_lines ||
	fail stats_lines "counters: $(awk '{ print $1 }' $K/stats | tr '\n' ' ')"
# One line per possible CPU.
cpus=$(($(cut -d- -f2 /sys/devices/system/cpu/possible) + 1))
[ "$(grep -c '^cpu ' $K/cpu_caches)" = "$cpus" ] && pass cpu_caches_lines ||
	fail cpu_caches_lines "$(grep -c '^cpu ' $K/cpu_caches) lines for $cpus possible CPUs"

# === Traces ===
grep -q '^No data$' $K/alloc_traces && pass traces_empty || fail traces_empty "$(cat $K/alloc_traces)"
expect_ok ctl_alloc_64 $D/ctl 'alloc kmalloc-64 10\n'
cat $K/alloc_traces
grep -Eq '^ +10 ctl_[a-z_]+\+0x[0-9a-f]+/0x[0-9a-f]+ \[myslab\] age=' $K/alloc_traces &&
	pass alloc_traces_site || fail alloc_traces_site "$(head -n 1 $K/alloc_traces)"
expect_ok ctl_free_64 $D/ctl 'free kmalloc-64 4\n'
cat $K/free_traces
grep -Eq '^ +4 ctl_[a-z_]+\+' $K/free_traces && pass free_traces_site || fail free_traces_site "$(head -n 1 $K/free_traces)"
grep -Eq '^ +6 ctl_[a-z_]+\+' $K/alloc_traces && pass alloc_traces_after_free || fail alloc_traces_after_free "$(head -n 1 $K/alloc_traces)"
expect_value occupancy_active $K/occupancy objects_active 6
expect_value stats_alloc_slow $K/stats alloc_slow 10
expect_value stats_free_slow $K/stats free_slow 4
expect_value stats_no_magazine $K/stats alloc_fast 0

# === Bad input to every writable file: refused, nothing changed ===
for f in shrink validate reset_counters; do
	cp $K/stats /tmp/stats.before
	cp $K/occupancy /tmp/occ.before
	expect_err ${f}_zero 'Invalid argument' $K/$f '0'
	expect_err ${f}_two 'Invalid argument' $K/$f '2\n'
	expect_err ${f}_eleven 'Invalid argument' $K/$f '11'
	expect_err ${f}_negative 'Invalid argument' $K/$f '-1'
	expect_err ${f}_blank 'Invalid argument' $K/$f '1 '
	expect_err ${f}_word 'Invalid argument' $K/$f 'yes\n'
	expect_err ${f}_binary 'Invalid argument' $K/$f '\001'
	out=$( (echo -ne '1\0' > $K/$f) 2>&1 ); echo "$out" | grep -q 'Invalid argument' && pass ${f}_nul || fail ${f}_nul "$out"
	expect_err ${f}_huge 'Invalid argument' $K/$f '%05000d' 0
	cmp -s $K/stats /tmp/stats.before && pass ${f}_stats_unchanged || fail ${f}_stats_unchanged "$(diff /tmp/stats.before $K/stats)"
	cmp -s $K/occupancy /tmp/occ.before && pass ${f}_occupancy_unchanged || fail ${f}_occupancy_unchanged "$(diff /tmp/occ.before $K/occupancy)"
done
for f in geometry occupancy stats; do
	expect_err ${f}_read_only 'Invalid argument' $K/$f '1\n'
done

# === Good input ===
[ "$(cat $K/validate)" = -1 ] && pass validate_never || fail validate_never "$(cat $K/validate)"
dmesg -c > /dev/null
expect_ok validate_ok $K/validate '1\n'
dmesg | grep -q 'cache kmalloc-64: validate: 0 problems found' && pass validate_logged || fail validate_logged "$(dmesg | tail -n 3)"
[ "$(cat $K/validate)" = 0 ] && pass validate_read_back || fail validate_read_back "$(cat $K/validate)"
expect_ok validate_no_newline $K/validate '1'
expect_ok ctl_free_rest $D/ctl 'free kmalloc-64 6\n'
expect_ok shrink_ok $K/shrink '1\n'
expect_value shrink_slabs $K/occupancy slabs 0
expect_ok reset_ok $K/reset_counters '1\n'
awk '$2 != 0 { bad = 1 } END { exit bad }' $K/stats && pass reset_all_zero || fail reset_all_zero "$(cat $K/stats)"

# === failslab ===
if [ $FI = 1 ]; then
	F=$D/failslab
	ls $F
	T=$C/kmalloc-128
	[ "$(cat $T/failslab)" = 1 ] && pass failslab_from_param || fail failslab_from_param "$(cat $T/failslab)"
	[ "$(cat $K/failslab)" = 0 ] && pass failslab_off_elsewhere || fail failslab_off_elsewhere "$(cat $K/failslab)"
	expect_err failslab_two 'Invalid argument' $T/failslab '2\n'
	expect_err failslab_word 'Invalid argument' $T/failslab 'on\n'
	expect_err failslab_blank 'Invalid argument' $T/failslab ' 1'
	expect_err failslab_binary 'Invalid argument' $T/failslab '\377'
	expect_err failslab_huge 'Invalid argument' $T/failslab '%05000d' 0
	[ "$(cat $T/failslab)" = 1 ] && pass failslab_unchanged || fail failslab_unchanged "$(cat $T/failslab)"
	expect_err failslab_attr_word 'Invalid argument' $F/probability 'lots\n'
	[ "$(cat $F/probability)" = 0 ] && pass failslab_attr_unchanged || fail failslab_attr_unchanged "$(cat $F/probability)"
	echo 0 > $F/verbose
	echo 100 > $F/probability
	expect_err failslab_injected 'Cannot allocate memory' $D/ctl 'kmalloc 100 1\n'
	expect_value failslab_counted $T/stats faults_injected 1
	expect_ok ctl_other_cache $D/ctl 'kmalloc 200 1\n'
	expect_ok failslab_switch_off $T/failslab '0\n'
	expect_ok ctl_after_switch_off $D/ctl 'kmalloc 100 1\n'
	expect_ok failslab_switch_on $T/failslab '1'
	echo 0 > $F/probability
	expect_ok ctl_after_probability_0 $D/ctl 'kmalloc 100 1\n'
	expect_value failslab_counted_once $T/stats faults_injected 1
	expect_ok ctl_reset_fs $D/ctl 'reset\n'
fi

# === The page map names slab blocks by cache (buddy side's file) ===
if [ -r $D/buddy/page_map ]; then
	expect_ok ctl_alloc_task $D/ctl 'alloc task_struct 1\n'
	grep -q ' slab task_struct$' $D/buddy/page_map && pass page_map_names || fail page_map_names "$(grep slab $D/buddy/page_map | head -n 3)"
	expect_ok ctl_reset_map $D/ctl 'reset\n'
fi

# === kmemleak: a planted leak is found, a held object is not ===
if [ $KMEMLEAK = 1 ]; then
	L=/sys/kernel/debug/kmemleak
	expect_ok ctl_hold_256 $D/ctl 'alloc kmalloc-256 8\n'
	expect_ok ctl_leak_192 $D/ctl 'leak kmalloc-192 8\n'
	grep -q '^leaked 8$' $D/held && pass leak_counted || fail leak_counted "$(cat $D/held)"
	expect_err ctl_leak_too_many 'No space' $D/ctl 'leak kmalloc-192 1017\n'
	sleep 6
	echo scan > $L
	echo scan > $L
	leaked=$(kmemleak_count 192 ctl_leak_one)
	held=$(kmemleak_count 256 myslab_cache_alloc_bulk)
	echo "kmemleak: $leaked of 8 leaked objects reported, $held of 8 held ones"
	[ "$leaked" = 8 ] && pass kmemleak_finds_leak || fail kmemleak_finds_leak "$leaked of the 8 leaked objects reported"
	[ "$held" = 0 ] && pass kmemleak_spares_held || fail kmemleak_spares_held "$held held objects reported"
	echo clear > $L
	expect_ok ctl_reset_leak $D/ctl 'reset\n'
	grep -q '^leaked 0$' $D/held && pass leak_freed || fail leak_freed "$(cat $D/held)"
fi

check unload_myslab rmmod myslab
check_unloaded
[ -e $C ] && fail caches_dir_gone "$C still there" || pass caches_dir_gone
finish
