#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In-kernel benchmark, on the stock Debian kernel: load myslab, load
# myslab_bench (it measures every row inside insmod and prints the table to
# the console), check that the kernel's caches it compared against were not
# merged with other caches, and unload everything. The host's
# userspace_tools/kbench/run.sh boots this twice and extracts the table.
#
# Knob, from the kernel command line (the kernel hands unknown name=value
# parameters to init, hence to this script, as environment variables):
#   KBENCH_ARGS="runs=9 run_ms=30 sections=slab,pages,kmalloc"
. /modules/lib.sh

echo "MYSLAB-BENCH: cmdline: $(cat /proc/cmdline)"
check load_myslab insmod /modules/myslab.ko
# shellcheck disable=SC2086 # KBENCH_ARGS is a list of parameters
check load_bench insmod /modules/myslab_bench.ko ${KBENCH_ARGS:-}

# A cache that may not merge gets its own directory in /sys/kernel/slab;
# a mergeable one is a symlink to its alias. Each is one check.
plan $((6 + $(ls -d /sys/kernel/slab/myslab_bench_* 2>/dev/null | wc -l)))
for d in /sys/kernel/slab/myslab_bench_*; do
	[ -e "$d" ] || continue
	name=$(basename "$d")
	if [ -d "$d" ] && [ ! -L "$d" ]; then
		pass "unmerged_$name"
	else
		fail "unmerged_$name" "$d is an alias: the cache was mergeable"
	fi
done

done_line=$(dmesg | sed -n 's/.*myslab_bench: done: //p' | tail -n 1)
case $done_line in
*" 0 failed"*) pass bench_rows ;;
*) fail bench_rows "benchmark: ${done_line:-no done line}" ;;
esac

check unload_bench rmmod myslab_bench
check unload_myslab rmmod myslab
check_unloaded
finish
