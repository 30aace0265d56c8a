#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The allocator shoot-out (`make bench`): myslab's core built in userspace
# against glibc malloc, jemalloc, tcmalloc and mimalloc, all from Debian's
# archive, on the same harness, same machine, same run.
#
#   userspace_tools/bench/run.sh [--quick]
#
# Installs what is missing (apt-get: gcc, make, python3, gnuplot-nox and the
# three allocators' shared libraries), builds userspace_tools/bench/out/,
# runs every row REPS times (each run its own process, the allocators of a
# row interleaved and their order rotated from one repetition to the next),
# then prints the table and writes, under .build/bench/:
#   raw.tsv        every RESULT line, with the repetition number (rep=count:
#                  the instruction counts, ir_op and ir_floor per operation)
#   shootout.txt   the tables as printed
#   shootout.png   the plot
#
# Allocators: myslab (bench-myslab), glibc (bench-malloc as is), jemalloc,
# tcmalloc (tcmalloc_minimal) and mimalloc (bench-malloc under LD_PRELOAD of
# the Debian library), plus myslab-kspin: the same core with a kernel-like
# spinlock in place of the sim's pthread-mutex one, to show what the shim
# costs (an analysis row, not an allocator).
#
# Instructions per operation: after the timed repetitions, every one-thread
# timed row runs once more per allocator under valgrind's callgrind, which
# counts the user-space instructions of exactly the measured loop (bench.c
# collects only between its client requests; the warm-up is not counted),
# then of its floor; divided by the row's operation count. Unlike the times,
# these do not move with the machine's load. Kernel instructions (page
# faults, mmap) are not counted.
#
# Knobs (environment): REPS (default 5), SCALE (multiplies every operation
# count; default 1), COUNT (1: count instructions, the default; 0: do not),
# COUNT_OPS (operations per counted row, default 100000),
# BENCH_OUT (default <repo>/.build/bench), CORE_ROOT (a
# tree whose kmod/ and include/ to measure instead of the work tree's, e.g.
#   git archive HEAD kmod include | tar -x -C /tmp/core
# then CORE_ROOT=/tmp/core; it is built in $BENCH_OUT/out).
# --quick: REPS=1 SCALE=0.2 COUNT_OPS=20000, for trying the script out.
set -euo pipefail
trap 'echo "bench: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
REPS=${REPS:-5}
SCALE=${SCALE:-1}
COUNT=${COUNT:-1}
COUNT_OPS=${COUNT_OPS:-100000}
if [ "${1:-}" = "--quick" ]; then
	REPS=1
	SCALE=0.2
	COUNT_OPS=20000
fi
OUTDIR=${BENCH_OUT:-$ROOT/.build/bench}
CORE_ROOT=${CORE_ROOT:-$ROOT}
BIN=$HERE/out
[ "$CORE_ROOT" = "$ROOT" ] || BIN=$OUTDIR/out

# === Dependencies ===

PKGS="gcc make libc6-dev python3 gnuplot-nox valgrind libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0"

install_missing() {
	local missing=() p
	for p in $PKGS; do
		[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "bench: installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: not root: run apt-get install ${missing[*]} first" >&2
		exit 1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The shared library of an allocator, as the dynamic linker knows it (awk
# reads to the end: exiting early would SIGPIPE ldconfig and trip pipefail).
lib_path() {
	ldconfig -p | awk -v l="$1" '$1 == l && /x86-64|x86_64|64bit/ && !found { print $NF; found = 1 }'
}

install_missing
JEMALLOC=$(lib_path libjemalloc.so.2)
TCMALLOC=$(lib_path libtcmalloc_minimal.so.4)
MIMALLOC=$(lib_path libmimalloc.so.2)
for l in "$JEMALLOC" "$TCMALLOC" "$MIMALLOC"; do
	[ -n "$l" ] || { echo "bench: an allocator library is missing (ldconfig -p)" >&2; exit 1; }
done

make -C "$HERE" -j2 --no-print-directory CORE_ROOT="$CORE_ROOT" OUT="$BIN" >/dev/null

# === Rows ===

# task_struct-sized: 9344 bytes aligned to 64, as the 6.1 debug kernel's
# myslab task_struct cache reports it in the test VM's log.
TASK_STRUCT=9344

ops() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); print (v < 256 ? 256 : v) }'; }

ROWS=()
for t in 1 2; do
	for pat in reuse npattern; do
		ROWS+=("fixed 64 0 $pat $t $(ops 2000000)")
		ROWS+=("fixed 256 0 $pat $t $(ops 2000000)")
		ROWS+=("fixed $TASK_STRUCT 64 $pat $t $(ops 1000000)")
	done
	ROWS+=("fixed 64 0 bulk $t $(ops 2000000)")
	ROWS+=("fixed 256 0 bulk $t $(ops 2000000)")
	ROWS+=("mixed $t $(ops 2000000)")
done
FRAG="frag 8192 $(ops 1000000)"
REGION_SIZES="16 64 256 1024 4096"
REGION_OPS=$(ops 1000000)

ALLOCS=(myslab glibc jemalloc tcmalloc mimalloc myslab-kspin)

# Run one allocator on one row; prints its RESULT line. WRAP: a command
# to run it under (the count pass: valgrind), else empty.
WRAP=()
run_one() {
	local alloc=$1; shift
	case $alloc in
	myslab)		"${WRAP[@]}" "$BIN/bench-myslab" myslab "$@" ;;
	myslab:buddy)	"${WRAP[@]}" "$BIN/bench-myslab" myslab:buddy "$@" ;;
	myslab-kspin)	"${WRAP[@]}" "$BIN/bench-myslab-kspin" myslab-kspin "$@" ;;
	glibc)		"${WRAP[@]}" "$BIN/bench-malloc" glibc "$@" ;;
	jemalloc)	LD_PRELOAD=$JEMALLOC "${WRAP[@]}" "$BIN/bench-malloc" jemalloc "$@" ;;
	tcmalloc)	LD_PRELOAD=$TCMALLOC "${WRAP[@]}" "$BIN/bench-malloc" tcmalloc "$@" ;;
	mimalloc)	LD_PRELOAD=$MIMALLOC "${WRAP[@]}" "$BIN/bench-malloc" mimalloc "$@" ;;
	esac
}

# Count the instructions of one allocator on one one-thread row (bench.c's
# count mode, under callgrind); prints its RESULT line with rep=count and
# ir_op, ir_floor: instructions per operation of the loop and of its floor.
count_one() {
	local alloc=$1 dir=$OUTDIR/callgrind line ops
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	WRAP=(valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no
	      "--callgrind-out-file=$dir/out.%p" --log-file="$dir/valgrind.log")
	line=$(BENCH_COUNT=1 run_one "$alloc" "$@") || {
		echo "bench: counting $alloc $* failed:" >&2
		cat "$dir/valgrind.log" >&2
		return 1
	}
	WRAP=()
	ops=$(echo "$line" | tr '\t' '\n' | sed -n 's/^ops=//p')
	# Each dump names its client request ("loop", "floor") and its total.
	awk -v ops="$ops" -v line="$line" '
		/^desc: Trigger: Client Request: / { what = $NF }
		/^totals: / && what != "" { ir[what] = $2; what = "" }
		END {
			if (!("loop" in ir) || !("floor" in ir) || ops <= 0)
				exit 1
			sub(/^RESULT/, "RESULT\trep=count", line)
			printf "%s\tir_op=%.1f\tir_floor=%.1f\n", line, ir["loop"] / ops, ir["floor"] / ops
		}' "$dir"/out.*
}

mkdir -p "$OUTDIR"
RAW=$OUTDIR/raw.tsv
: >"$RAW"

{
	echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
	echo "versions: $(dpkg-query -W -f='${Package} ${Version}, ' libc6 libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0 gcc 2>/dev/null | sed 's/, $//')"
	echo "reps: $REPS, scale: $SCALE"
	echo "core: $CORE_ROOT ($(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?') in $ROOT)"
	echo "loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"
	[ "$COUNT" = 1 ] && echo "instructions: $(valgrind --version) callgrind, $COUNT_OPS operations per one-thread row"
} >"$OUTDIR/env.txt"
cat "$OUTDIR/env.txt"

start=$(date +%s)
for ((rep = 1; rep <= REPS; rep++)); do
	echo "bench: repetition $rep of $REPS (loadavg $(cut -d' ' -f1 /proc/loadavg))"
	n=${#ALLOCS[@]}
	for row in "${ROWS[@]}"; do
		for ((i = 0; i < n; i++)); do
			alloc=${ALLOCS[$(((i + rep) % n))]}
			# shellcheck disable=SC2086
			run_one "$alloc" $row | sed "s/^RESULT/RESULT\trep=$rep/" >>"$RAW"
		done
	done
	for alloc in myslab:buddy myslab glibc jemalloc tcmalloc mimalloc; do
		# shellcheck disable=SC2086
		run_one "$alloc" $FRAG | sed "s/^RESULT/RESULT\trep=$rep/" >>"$RAW"
	done
	for mib in $REGION_SIZES; do
		"$BIN/bench-region" "$mib" "$REGION_OPS" |
			sed "s/^RESULT/RESULT\trep=$rep/" >>"$RAW"
	done
done
if [ "$COUNT" = 1 ]; then
	echo "bench: counting instructions (callgrind, one-thread rows)"
	for row in "${ROWS[@]}"; do
		# shellcheck disable=SC2086
		set -- $row
		if [ "$1" = fixed ] && [ "$5" = 1 ]; then
			args=(fixed "$2" "$3" "$4" 1 "$COUNT_OPS")
		elif [ "$1" = mixed ] && [ "$2" = 1 ]; then
			args=(mixed 1 "$COUNT_OPS")
		else
			continue
		fi
		for alloc in "${ALLOCS[@]}"; do
			count_one "$alloc" "${args[@]}" >>"$RAW"
		done
	done
fi
echo "loadavg after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUTDIR/env.txt"
echo "elapsed: $(($(date +%s) - start)) s" >>"$OUTDIR/env.txt"

python3 "$HERE/report.py" "$RAW" "$OUTDIR"
