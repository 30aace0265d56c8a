#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debug kernel: myslab's buddy debugfs files and debug parameters. Bad module
# parameters are refused; every file exists with its mode and reads in its
# documented format; every bad write to a writable file is refused and
# changes nothing; the accepted writes work; fault injection through the
# kernel's fail_page_alloc files fails exactly the allocations it should.
. /modules/lib.sh

dbg=/sys/kernel/debug/myslab
d=$dbg/buddy
ctl=$dbg/ctl
fail_dir=$dbg/fail_page_alloc

# --- Parameters ---------------------------------------------------------

# Every check below is one test: the plan is their number (on a debug kernel,
# which has fault injection).
plan 156

for bad in fail_page_alloc=garbage fail_page_alloc=1,101,0,-1 fail_page_alloc=0,10,0,1 \
	   fail_page_alloc=1,10,0 fail_page_alloc=1,10,0,-2 fail_page_alloc=1,10,0,1,1 \
	   fail_page_alloc=+1,10,0,1 page_poison=maybe; do
	load_refused "param_refused_${bad%%=*}_$(echo "${bad#*=}" | tr -c 'a-z0-9\n' '_')" \
		"^myslab: ${bad%%=*}=.* rejected" "$bad"
done
check load_myslab insmod /modules/myslab.ko page_poison=1 fail_page_alloc=1,0,0,-1
check param_fail_page_alloc_kept \
	sh -c "[ \"\$(cat /sys/module/myslab/parameters/fail_page_alloc)\" = 1,0,0,-1 ]"
check param_page_poison_on sh -c "[ \"\$(cat /sys/module/myslab/parameters/page_poison)\" = Y ]"

# --- Modes and formats ----------------------------------------------------

for f in free_blocks:444 stats:444 extfrag_unusable:444 extfrag_index:444 \
	 page_map:400 validate:600 reset_counters:200 drain_pcp:200; do
	name=${f%:*}
	mode=$(stat -c %a "$d/$name" 2>/dev/null)
	if [ "$mode" = "${f#*:}" ]; then
		pass "mode_$name"
	else
		fail "mode_$name" "mode '$mode', expected ${f#*:}"
	fi
done
for f in free_blocks stats extfrag_unusable extfrag_index page_map validate; do
	check "read_$f" sh -c "cat $d/$f >/dev/null"
done

# stat_of <name>: a value of the stats file.
stat_of() {
	awk -v k="$1" '$1 == k { print $2 }' "$d/stats"
}

check stats_counters sh -c "for c in failed splits merges invalid_frees faults_injected \
	poison_errors pcp_refills pcp_drains nofail_failed pcp_busy nr_pages free_pages pcp_pages alloc_pages \
	high_water allocs_order0 frees_order10; do grep -q \"^\$c [0-9][0-9]*\$\" $d/stats || exit 1; done"
check stats_page_poison sh -c "[ \"\$(awk '\$1 == \"page_poison\" { print \$2 }' $d/stats)\" = 1 ]"
check free_blocks_format sh -c "[ \"\$(sed -n 1p $d/free_blocks)\" = '# order blocks pages' ] &&
	[ \$(grep -c '^[0-9]* [0-9]* [0-9]*\$' $d/free_blocks) = 11 ]"
check extfrag_unusable_format \
	sh -c "grep -Eq '^Node 0, zone   myslab( -?[0-9]\.[0-9]{3}){11} \$' $d/extfrag_unusable"
check extfrag_index_format \
	sh -c "grep -Eq '^Node 0, zone   myslab( ( |-)[0-9]\.[0-9]{3}){11} \$' $d/extfrag_index"
check page_map_header sh -c "sed -n 1p $d/page_map |
	grep -Eq '^myslab page_map v1 region=myslab pages=16384 max_order=10 page_size=4096 blocks=[0-9]+\$'"
# Every page once, in order, aligned blocks, as many lines as announced.
check page_map_covers_region sh -c "awk '
	NR == 1 { split(\$0, h, \" \"); for (i in h) { split(h[i], kv, \"=\"); v[kv[1]] = kv[2] } next }
	{ size = 1; for (k = 0; k < \$2; k++) size *= 2
	  if (\$1 != next_page || \$1 % size || \$3 !~ /^(free|pcp|alloc|slab)\$/) { bad = 1; exit }
	  next_page += size; n++ }
	END { if (bad) exit 1; exit !(next_page == v[\"pages\"] && n == v[\"blocks\"]) }' $d/page_map"
for f in free_blocks extfrag_unusable extfrag_index stats; do
	echo "--- $d/$f"
	cat "$d/$f"
done
echo "--- $d/page_map (first lines)"
head -n 4 "$d/page_map"
check validate_none_yet sh -c "[ \"\$(cat $d/validate)\" = none ]"

# --- Some state to protect: counters moved, pages in per-CPU page lists -------

# 16 KiB: above the largest size class (8k), so order-2 blocks of the buddy.
check ctl_kmalloc_pages sh -c "echo 'kmalloc 16384 16' >$ctl"
check ctl_kfree_pages sh -c "echo 'kfree 16384 16' >$ctl"
check pcp_holds_pages sh -c "[ \"\$(awk '\$1 == \"pcp_pages\" { print \$2 }' $d/stats)\" -gt 0 ]"

# 4096 ones, written in one write() by dd.
awk 'BEGIN { while (i++ < 4096) printf 1 }' >/tmp/ones

snapshot() {
	cat "$d/stats" "$d/validate" "$d/free_blocks"
}

# --- Bad writes: refused, nothing changes -------------------------------

# bad_write <file> <label> <command writing to stdout>
bad_write() {
	file=$1 label=$2
	shift 2
	before=$(snapshot)
	check_fails "refused_${file}_$label" sh -c "$* >$d/$file"
	if [ "$(snapshot)" = "$before" ]; then
		pass "unchanged_${file}_$label"
	else
		fail "unchanged_${file}_$label" "state changed after a refused write"
	fi
}

for file in validate reset_counters drain_pcp; do
	bad_write "$file" zero "printf 0"
	bad_write "$file" two "printf 2"
	bad_write "$file" eleven "printf 11"
	bad_write "$file" newline_only "printf '\n'"
	bad_write "$file" two_newlines "printf '1\n\n'"
	bad_write "$file" trailing_space "printf '1 '"
	bad_write "$file" leading_space "printf ' 1'"
	bad_write "$file" carriage_return "printf '1\r'"
	bad_write "$file" minus_one "printf %s -1"
	bad_write "$file" hex "printf 0x1"
	bad_write "$file" word "printf yes"
	bad_write "$file" action_name "printf $file"
	bad_write "$file" binary "printf '\001'"
	bad_write "$file" high_byte "printf '\377\n'"
	bad_write "$file" nul "printf '1\000'"
	bad_write "$file" oversized "dd if=/tmp/ones bs=4096 count=1 2>/dev/null"
done

# --- Accepted writes -----------------------------------------------------

check validate_run sh -c "echo 1 >$d/validate"
check validate_clean sh -c "[ \"\$(cat $d/validate)\" = 0 ]"
check validate_logged sh -c "dmesg | grep -q 'region myslab: validate found 0 inconsistencies'"
check drain_pcp_run sh -c "printf 1 >$d/drain_pcp"
check drain_pcp_emptied sh -c "[ \"\$(awk '\$1 == \"pcp_pages\" { print \$2 }' $d/stats)\" = 0 ]"
check page_map_no_pcp sh -c "! grep -q ' pcp\$' $d/page_map"
check reset_counters_run sh -c "echo 1 >$d/reset_counters"
check reset_counters_zeroed sh -c "[ \"\$(awk '\$1 == \"splits\" || \$1 == \"merges\" ||
	\$1 == \"pcp_refills\" || \$1 ~ /^allocs_order/ { s += \$2 } END { print s }' $d/stats)\" = 0 ]"

# --- Fault injection through the kernel's own files ----------------------

if [ -d "$fail_dir" ]; then
	pass fail_page_alloc_dir
	for f in probability interval times space verbose; do
		check "fail_page_alloc_$f" test -f "$fail_dir/$f"
	done
	check fail_arm sh -c "echo 0 >$fail_dir/verbose && echo 1 >$fail_dir/interval &&
		echo 1 >$fail_dir/times && echo 100 >$fail_dir/probability"
	planted 1 '^myslab: region myslab: order-2 allocation failed: fault injected$' -- \
		check_fails fail_injected_alloc sh -c "echo 'kmalloc 16384 1' >$ctl"
	check fail_counted sh -c "[ \"\$(awk '\$1 == \"faults_injected\" { print \$2 }' $d/stats)\" = 1 ]"
	check fail_times_spent sh -c "echo 'kmalloc 16384 1' >$ctl && echo 'kfree 16384 1' >$ctl"
	check fail_disarm sh -c "echo 0 >$fail_dir/probability"
else
	fail fail_page_alloc_dir "$fail_dir missing: kernel without CONFIG_FAULT_INJECTION_DEBUG_FS?"
fi

check validate_after sh -c "echo 1 >$d/validate && [ \"\$(cat $d/validate)\" = 0 ]"
check poison_clean sh -c "[ \"\$(awk '\$1 == \"poison_errors\" { print \$2 }' $d/stats)\" = 0 ]"

check unload_myslab rmmod myslab
check debugfs_gone sh -c "[ ! -e $dbg ]"
check_unloaded
finish
