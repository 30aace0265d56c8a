#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CPU hotplug, for the debug kernels (booted with -smp 4). myslab registers
# a CPUHP_BP_PREPARE_DYN state whose teardown, once a CPU is dead, gives its
# magazines back to the slabs and its per-CPU pages back to the free lists.
#
#  1. Exact figures on a quiet system: everything drained, then work pinned
#     to CPU 3 leaves exactly one batch of pages in its page list and a
#     known number of objects in its kmalloc-64 magazine; taking CPU 3
#     offline must bring both to 0 and the pages back to the free lists;
#     online again, CPU 3 allocates through a fresh page list.
#  2. Stress: background loops pinned to each CPU allocate and free through
#     debugfs ctl (pages, objects, order-1 blocks) while CPUs 1-3 go offline
#     and online; no write may fail, and afterwards the accounting is exact:
#     free + per-CPU + allocated pages == region pages, validate finds
#     nothing in the buddy or any cache, and reset plus shrink plus drain
#     brings every page back.
#  3. Unload with a CPU offline, load again, bring it online: its state
#     works, and the hotplug state is registered only while loaded.
#
# Knob, from the kernel command line (handed to init as the environment):
#   HOTPLUG_ROUNDS=N   rounds of the stress (default 2), each taking CPUs 3,
#                      1, 2 down and up one at a time, then 1 and 2 together:
#                      10 transitions a round
. /modules/lib.sh

rounds=${HOTPLUG_ROUNDS:-2}
plan 69

dbg=/sys/kernel/debug/myslab
ctl=$dbg/ctl
buddy=$dbg/buddy
cpus=/sys/devices/system/cpu
states=$cpus/hotplug/states
stop=/tmp/hotplug-stop

# stat_of <name>: a value of the buddy's stats file.
stat_of() {
	awk -v k="$1" '$1 == k { print $2 }' "$buddy/stats"
}

# mag_count <cache> <cpu>: objects in that CPU's magazine of the cache.
mag_count() {
	awk -v c="$2" '$1 == "cpu" && $2 == c { print $4 }' "$dbg/caches/$1/cpu_caches"
}

# expect_eq <name> <got> <want>
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "got '$2', expected '$3'"
	fi
}

# set_online <cpu> <0|1>
set_online() {
	echo "$2" >"$cpus/cpu$1/online"
}

# on_cpu <cpu> <ctl command>...: the commands, written by a shell pinned to <cpu>.
on_cpu() {
	c=$1
	shift
	script=
	for cmd in "$@"; do
		script="$script echo '$cmd' >$ctl &&"
	done
	taskset -c "$c" sh -c "$script true"
}

# Everything cached goes back: every cache shrunk, every page list drained.
drain_all() {
	for d in "$dbg"/caches/*/; do
		echo 1 >"$d/shrink" || return 1
	done
	echo 1 >"$buddy/drain_pcp"
}

# free + pcp + alloc == nr_pages
check_identity() {
	nr=$(stat_of nr_pages)
	sum=$(($(stat_of free_pages) + $(stat_of pcp_pages) + $(stat_of alloc_pages)))
	expect_eq "$1" "$sum" "$nr"
}

check load_myslab insmod /modules/myslab.ko
check_slabinfo_header
expect_eq cpus_online "$(cat $cpus/online)" 0-3
for c in 1 2 3; do
	check "cpu${c}_hotpluggable" test -w "$cpus/cpu$c/online"
done
check cpuhp_state_registered grep -q 'myslab:dead' "$states"
check taskset_works taskset -c 3 true

# --- 1. Exact figures: one dead CPU's caches --------------------------------

batch=$(stat_of pcp_batch)
check drain_before drain_all
expect_eq pcp_pages_drained "$(stat_of pcp_pages)" 0
expect_eq cpu3_magazine_empty "$(mag_count kmalloc-64 3)" 0

# On CPU 3: the first page allocation refills its page list by one batch
# (kmalloc 16384: above the largest size class, order-2 blocks of the buddy;
# a batch of pcp_batch pages is pcp_batch / 4 of them), 2 blocks go out and
# come back; the first kmalloc-64 allocation refills its magazine by
# batchcount objects, 10 go out and come back.
mag_batch=$(awk '$1 == "cpu" && $2 == 3 { print $8 }' "$dbg/caches/kmalloc-64/cpu_caches")
check cpu3_work on_cpu 3 'kmalloc 16384 2' 'kfree 16384 2' \
	'alloc kmalloc-64 10' 'free kmalloc-64 10'
free_before=$(stat_of free_pages)
drains_before=$(stat_of pcp_drains)
echo "MYSLAB-HOTPLUG: CPU 3 before offline: pcp_pages $(stat_of pcp_pages), kmalloc-64 magazine $(mag_count kmalloc-64 3), free_pages $free_before"
expect_eq cpu3_pcp_pages_one_batch "$(stat_of pcp_pages)" "$batch"
expect_eq cpu3_magazine_filled "$(mag_count kmalloc-64 3)" "$mag_batch"
alloc_before=$(stat_of alloc_pages)

check cpu3_offline set_online 3 0
echo "MYSLAB-HOTPLUG: CPU 3 after offline: pcp_pages $(stat_of pcp_pages), kmalloc-64 magazine $(mag_count kmalloc-64 3), free_pages $(stat_of free_pages)"
expect_eq cpu3_pcp_pages_drained "$(stat_of pcp_pages)" 0
expect_eq cpu3_pages_back_free "$(stat_of free_pages)" $((free_before + batch))
expect_eq cpu3_pcp_drains_counted "$(stat_of pcp_drains)" $((drains_before + 1))
expect_eq cpu3_alloc_pages_unchanged "$(stat_of alloc_pages)" "$alloc_before"
expect_eq cpu3_magazine_drained "$(mag_count kmalloc-64 3)" 0
expect_eq kmalloc64_nothing_cached \
	"$(awk '$1 == "objects_cached" { print $2 }' "$dbg/caches/kmalloc-64/occupancy")" 0
check_identity identity_cpu3_offline

check cpu3_online set_online 3 1
check cpu3_alloc_after_online on_cpu 3 'kmalloc 16384 1'
expect_eq cpu3_fresh_refill "$(stat_of pcp_pages)" $((batch - 4))
check cpu3_free_after_online on_cpu 3 'kfree 16384 1'
expect_eq cpu3_page_cached_again "$(stat_of pcp_pages)" "$batch"

# --- 2. Stress: allocations on every CPU while CPUs come and go -------------

# loop.sh <cpu> <alloc command> <free command>: until $stop exists, allocate
# and free through ctl, pinned to <cpu> whenever it is online (the kernel
# moves the shell elsewhere while it is not); at the end writes
# "<rounds> <failed writes>" to /tmp/loop.<cpu>.
cat >/tmp/loop.sh <<EOF
cpu=\$1 n=0 bad=0
while [ ! -e $stop ]; do
	taskset -p -c "\$cpu" \$\$ >/dev/null 2>&1
	echo "\$2" >$ctl || bad=\$((bad + 1))
	echo "\$3" >$ctl || bad=\$((bad + 1))
	n=\$((n + 1))
done
echo "\$n \$bad" >/tmp/loop.\$cpu
EOF
rm -f "$stop" /tmp/loop.[0-3]
sh /tmp/loop.sh 0 'alloc kmalloc-256 40' 'free kmalloc-256 40' &
sh /tmp/loop.sh 1 'kmalloc 16384 20' 'kfree 16384 20' &
sh /tmp/loop.sh 2 'alloc kmalloc-64 100' 'free kmalloc-64 100' &
sh /tmp/loop.sh 3 'kmalloc 32768 4' 'kfree 32768 4' &

transitions=0
round=0
while [ "$round" -lt "$rounds" ]; do
	round=$((round + 1))
	for c in 3 1 2; do
		if set_online "$c" 0 && set_online "$c" 1; then
			transitions=$((transitions + 2))
		else
			fail "stress_cycle_cpu${c}_round$round" "offline/online of CPU $c failed"
		fi
	done
	# Two CPUs down at once, the loops crowding onto the other two.
	if set_online 1 0 && set_online 2 0 && set_online 2 1 && set_online 1 1; then
		transitions=$((transitions + 4))
	else
		fail "stress_pair_round$round" "offline/online of CPUs 1 and 2 failed"
	fi
done
expect_eq stress_transitions "$transitions" $((rounds * 10))
touch "$stop"
wait
for c in 0 1 2 3; do
	read -r n bad <"/tmp/loop.$c" || { n=0 bad=missing; }
	echo "MYSLAB-HOTPLUG: loop on CPU $c: $n rounds, $bad failed writes"
	expect_eq "stress_loop${c}_no_failed_write" "$bad" 0
	check "stress_loop${c}_ran" test "$n" -gt 0
done
expect_eq cpus_online_after_stress "$(cat $cpus/online)" 0-3

# --- Exact accounting after the stress --------------------------------------

expect_eq held_total_zero "$(awk '$1 == "total" { print $2 }' "$dbg/held")" 0
check_identity identity_after_stress
echo "MYSLAB-HOTPLUG: after stress: $(grep -E '^(nr_pages|free_pages|pcp_pages|alloc_pages|pcp_drains|invalid_frees) ' "$buddy/stats" | tr '\n' ' ')"
check buddy_validate_write sh -c "echo 1 >$buddy/validate"
expect_eq buddy_validate_clean "$(cat "$buddy/validate")" 0
bad_caches=
for d in "$dbg"/caches/*/; do
	name=$(basename "$d")
	if ! echo 1 >"$d/validate" || [ "$(cat "$d/validate")" != 0 ]; then
		bad_caches="$bad_caches $name:$(cat "$d/validate")"
	fi
done
expect_eq caches_validate_clean "${bad_caches:-none}" none
expect_eq invalid_frees_none "$(stat_of invalid_frees)" 0

check reset_held sh -c "echo reset >$ctl"
check drain_after_reset drain_all
expect_eq reset_pcp_pages_zero "$(stat_of pcp_pages)" 0
expect_eq reset_alloc_pages_zero "$(stat_of alloc_pages)" 0
expect_eq reset_free_pages_total "$(stat_of free_pages)" "$(stat_of nr_pages)"

# --- 3. Unload and load while a CPU is offline -----------------------------

check cpu2_offline_for_reload set_online 2 0
check unload_with_cpu_offline rmmod myslab
check_fails cpuhp_state_removed grep -q 'myslab:dead' "$states"
check reload_with_cpu_offline insmod /modules/myslab.ko
check cpuhp_state_registered_again grep -q 'myslab:dead' "$states"
check cpu2_online_after_reload set_online 2 1
check cpu2_alloc_after_reload on_cpu 2 'kmalloc 16384 3' 'alloc kmalloc-64 3'
expect_eq cpu2_pcp_after_reload "$(stat_of pcp_pages)" $(($(stat_of pcp_batch) - 12))
expect_eq cpu2_magazine_after_reload "$(mag_count kmalloc-64 2)" $((mag_batch - 3))
alloc_before=$(stat_of alloc_pages)
check cpu2_offline_holding set_online 2 0
# The pages and objects handed out stay out; only what was cached comes back.
expect_eq cpu2_pcp_drained_holding "$(stat_of pcp_pages)" 0
expect_eq cpu2_magazine_drained_holding "$(mag_count kmalloc-64 2)" 0
expect_eq cpu2_alloc_kept_holding "$(stat_of alloc_pages)" "$alloc_before"
expect_eq cpu2_objects_kept_holding \
	"$(awk '$1 == "objects_active" { print $2 }' "$dbg/caches/kmalloc-64/occupancy")" 3
check_identity identity_cpu2_offline_holding
check cpu2_online_again set_online 2 1
check reset_after_reload sh -c "echo reset >$ctl"
check drain_after_reload drain_all
expect_eq reload_free_pages_total "$(stat_of free_pages)" "$(stat_of nr_pages)"

check unload_myslab rmmod myslab
check_unloaded
finish
