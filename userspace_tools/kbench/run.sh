#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-kernel: myslab against SLUB and the page allocator, in the same
# boot of the stock Debian kernel (production config) under QEMU. Builds
# myslab.ko and myslab_bench.ko for that kernel, boots it twice -- with
# Debian's default init_on_alloc=1 and with init_on_alloc=0 -- running
# userspace_tools/vm/scenarios/kbench.sh, which loads the benchmark (it
# measures everything inside insmod and prints one line per row). Then it
# prints the two tables side by side and saves, under .build/bench/:
#
#   kernel-bench<tag>.txt        the table (what this script prints)
#   kernel-bench<tag>.png        myslab / kernel ratio per row, both boots
#   kernel-rows-<boot><tag>.txt  the benchmark's own lines of each boot
# where <tag> is empty with the default knobs, else names the ones that
# differ (e.g. -6.12-smp4-icount), so that runs of several set-ups coexist.
#
# Usage: run.sh          (knobs from the environment)
#   SMP=2                guest CPUs (the all-CPU rows use every one; SMP=4
#                        with KBENCH_ARGS=match=-all measures only those)
#   KBENCH_KERNEL=       Debian stock kernel series: empty for the newest
#                        image in /boot (as `make demo`), or 6.1, 6.12, ...:
#                        that series from /boot, else downloaded and unpacked
#                        by stock-kernel.sh without installing it
#   KBENCH_ICOUNT=0      1: guest time follows the guest's instruction count
#                        (QEMU -icount shift=0,sleep=off: one instruction is
#                        one ns), not the host's clock, so that the load of
#                        the host does not enter the figures. One guest CPU
#                        only (SMP=1, the default then): with QEMU 7.2 a
#                        2-CPU guest never got past bringing up its second
#                        CPU (its clock stayed at 0.372 s for 4 minutes).
#                        Two runs of a row gave the same figures to 0.1 ns;
#                        the ratio then compares guest instructions, not TCG
#                        time (64B-reuse: 0.967 against 1.56 by the clock)
#   KBENCH_BOOTS="default ioa0"
#                        the boots to run: init_on_alloc=1 (Debian's
#                        default) and init_on_alloc=0
#   KBENCH_ARGS="runs=9 run_ms=30 warmup_ms=2000 sections=slab,pages,kmalloc match=ROW"
#                        myslab_bench parameters (match: only the rows whose
#                        name contains ROW; warmup_ms: unmeasured runs of the
#                        first row before it is measured)
# Exit: 0 when both boots ran every row without a splat, 1 otherwise.

set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../vm/lib.sh"

KBENCH_ICOUNT=${KBENCH_ICOUNT:-0}
if [ "$KBENCH_ICOUNT" = 1 ]; then
	export SMP=${SMP:-1}
	if [ "$SMP" != 1 ]; then
		echo "kbench: KBENCH_ICOUNT=1 needs SMP=1: a guest of more CPUs hangs bringing them up under -icount" >&2
		exit 1
	fi
else
	export SMP=${SMP:-2}
fi
KBENCH_BOOTS=${KBENCH_BOOTS:-default ioa0}
OUT=$TOP/.build/bench
mkdir -p "$OUT"

"$VM_DIR/install-deps.sh" build vm kernels || exit 1
if ! command -v gnuplot >/dev/null; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "kbench: installing gnuplot-nox for the plot"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			gnuplot-nox >/dev/null || echo "kbench: gnuplot-nox not installed: no plot" >&2
	else
		echo "kbench: gnuplot missing (apt-get install gnuplot-nox): no plot" >&2
	fi
fi

tag=
if [ -n "${KBENCH_KERNEL:-}" ]; then
	read -r version kernel kdir < <("$HERE/stock-kernel.sh" "$KBENCH_KERNEL") || exit 1
	tag=-$KBENCH_KERNEL
else
	read -r version kernel kdir < <(stock_kernel) || exit 1
fi
[ "$SMP" = 2 ] || tag=$tag-smp$SMP
clock="host clock"
if [ "$KBENCH_ICOUNT" = 1 ]; then
	export QEMU_EXTRA="-icount shift=0,sleep=off"
	tag=$tag-icount
	clock="guest instruction count (-icount shift=0,sleep=off)"
fi
mods=$("$VM_DIR/build-modules.sh" "kbench-stock-$version" "$kdir") || exit 1
echo "kbench: modules built for Debian's $version; boots $KBENCH_BOOTS in QEMU (TCG, $SMP CPUs, time from the $clock), about 2 minutes each"

# Boots: label, extra kernel parameters, heading.
boots=(default "" "init_on_alloc=1 (default)"
       ioa0 "init_on_alloc=0" "init_on_alloc=0")
rc=0
for ((i = 0; i < ${#boots[@]}; i += 3)); do
	name=${boots[i]} append=${boots[i + 1]}
	label=bench-$name$tag
	rows=$OUT/kernel-rows-$name$tag.txt
	: >"$rows"
	case " $KBENCH_BOOTS " in
	*" $name "*) ;;
	*) continue ;;
	esac
	[ -n "${KBENCH_ARGS:-}" ] && append="$append KBENCH_ARGS=\"$KBENCH_ARGS\""
	boot "$label" "$kernel" "$VM_DIR/scenarios/kbench.sh" 1800 "$append" \
		"$mods/myslab.ko" "$mods/myslab_bench.ko"
	if ! verdict=$("$VM_DIR/check-console.py" --label "$label" --boot-rc "$BOOT_RC" \
		--timeout "$BOOT_TIMEOUT" --boot-error "$BOOT_ERROR" "$LOGS/$label.log"); then
		echo "$verdict" | grep -v '^RESULT '
		echo "kbench: the $name boot failed; its console is in $LOGS/$label.log"
		rc=1
	fi
	tr -d '\r' <"$LOGS/$label.log" | sed -E 's/^(<[0-9]+>)?\[ *[0-9.]+\] //' |
		grep '^myslab_bench: ' >"$rows"
	echo "kbench: $name boot took ${BOOT_SECONDS} s"
done

# The boot-independent part of the benchmark's info line.
info=$(sed -n '/^myslab_bench: info: /{s///;s/, init_on_alloc [a-z]*//;p;q}' \
	"$OUT/kernel-rows-default$tag.txt" "$OUT/kernel-rows-ioa0$tag.txt")

# The table: both boots side by side, goals marked, then CPU scaling.
table() {
	echo "myslab vs the kernel, in the same boot: ${info:-no info line}"
	echo "time: from the $clock"
	echo "ns per operation (an alloc+free pair; per object for N256, bulk and cross rows), median of the"
	echo "runs; ratio = median over the interleaved run pairs of myslab / kernel; min/mn = fastest myslab"
	echo "run / fastest kernel run (least disturbed by a busy host); empty = empty-loop ns."
	echo "A '*' marks a ratio above its goal (the fast-path issue's): 0.80 for the cache reuse and N256"
	echo "rows and kmalloc up to 2048 bytes, 0.40 for single-CPU order-0 pages, 1.00 for every other row."
	echo
	awk '
	function goal(sec, name, cpus) {
		if (sec == "slab" && name ~ /-(reuse|N256)(-all)?$/) return 0.80
		if (sec == "kmalloc" && name !~ /-(4096|8192)$/) return 0.80
		if (sec == "pages" && name == "order0") return 0.40
		return 1.00
	}
	function cell(key, m,   r) {
		if ((m, key) in skipped) return sprintf("%-41s", skipped[m, key])
		if (!((m, key) in ok)) return sprintf("%-41s", failed[m, key] ? "FAILED" : "-")
		r = ratio[m, key]
		return sprintf("%6s %9s %9s %6.4f%s %6.4f", empty[m, key], my[m, key], kern[m, key], r,
			       r > goal(sec[key], nm[key], cpus[key]) ? "*" : " ", rmin[m, key])
	}
	$2 != "row" { next }
	{
		key = $3 " " $4
		if (!(key in seen)) { seen[key] = 1; order[++n] = key; sec[key] = $3; nm[key] = $4 }
		if ($5 == "FAILED:") { failed[m, key] = 1; next }
		# "row SECTION NAME skipped: needs N CPUs, M online"
		if ($5 == "skipped:") { skipped[m, key] = "skipped: needs " $7 " CPUs"; cpus[key] = $7; next }
		ok[m, key] = 1; cpus[key] = $5; empty[m, key] = $6
		my[m, key] = $8; kern[m, key] = $10; ratio[m, key] = $11; rmin[m, key] = $12
	}
	END {
		printf "%-7s %-16s %4s | %-41s | %s\n", "", "", "", "init_on_alloc=1 (default)", "init_on_alloc=0"
		printf "%-7s %-16s %4s | %6s %9s %9s %6s  %6s | %6s %9s %9s %6s  %6s\n", "section", "row", "cpus",
		       "empty", "myslab", "kernel", "ratio", "min/mn", "empty", "myslab", "kernel", "ratio", "min/mn"
		for (i = 1; i <= n; i++) {
			k = order[i]
			printf "%-7s %-16s %4s | %s | %s\n", sec[k], nm[k], cpus[k], cell(k, 1), cell(k, 2)
		}
		print ""
		print "CPU scaling: time per operation with every CPU at once / with one CPU (goal: myslab <= kernel)"
		printf "%-7s %-16s | %-17s | %-17s\n", "section", "row", "init_on_alloc=1", "init_on_alloc=0"
		printf "%-7s %-16s | %8s %8s | %8s %8s\n", "", "", "myslab", "kernel", "myslab", "kernel"
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (nm[k] !~ /-all$/) continue
			b = sec[k] " " substr(nm[k], 1, length(nm[k]) - 4)
			line = sprintf("%-7s %-16s |", sec[k], nm[k])
			for (mm = 1; mm <= 2; mm++) {
				if (((mm, k) in ok) && ((mm, b) in ok) && my[mm, b] > 0 && kern[mm, b] > 0)
					line = line sprintf(" %8.2f %8.2f%s", my[mm, k] / my[mm, b],
						kern[mm, k] / kern[mm, b], mm == 1 ? " |" : "")
				else
					line = line sprintf(" %17s%s", "-", mm == 1 ? " |" : "")
			}
			print line
		}
	}' m=1 "$OUT/kernel-rows-default$tag.txt" m=2 "$OUT/kernel-rows-ioa0$tag.txt"
}

table | tee "$OUT/kernel-bench$tag.txt"

# The plot: one pair of bars per row, log scale, with the goal lines.
dat=$OUT/kernel-bench$tag.dat
awk '$2 == "row" && $5 != "FAILED:" && $5 != "skipped:" {
	key = $3 "/" $4; if (!(key in r1) && !(key in r2)) order[++n] = key
	if (m == 1) r1[key] = $11; else r2[key] = $11 }
     END { for (i = 1; i <= n; i++) { k = order[i]
	printf "%s %s %s\n", k, (k in r1) ? r1[k] : "NaN", (k in r2) ? r2[k] : "NaN" } }' \
	m=1 "$OUT/kernel-rows-default$tag.txt" m=2 "$OUT/kernel-rows-ioa0$tag.txt" >"$dat"
# One series per boot that ran: gnuplot refuses a series with no point.
series=
for col in 2 3; do
	awk -v c="$col" '$c != "NaN" { found = 1 } END { exit !found }' "$dat" 2>/dev/null || continue
	[ "$col" = 2 ] && t="init_on_alloc=1 (Debian default)" || t="init_on_alloc=0"
	series="${series:+$series, }\"$dat\" using $col:xtic(1) title \"$t\""
done
if command -v gnuplot >/dev/null && [ -n "$series" ]; then
	gnuplot <<-EOF && echo "kbench: plot in $OUT/kernel-bench$tag.png"
		set terminal pngcairo size 1800,760 font ",10" noenhanced
		set output "$OUT/kernel-bench$tag.png"
		set title "myslab / kernel time per operation, same boot (below 1: myslab faster)\n${info//\"/}; time from the $clock"
		set style data histograms
		set style histogram clustered gap 1
		set style fill solid 0.85 border -1
		set logscale y
		set yrange [0.0001:*]
		set ylabel "myslab / kernel (log scale)"
		set xtics rotate by -60 scale 0 font ",8"
		set grid ytics
		set key top left
		set arrow from graph 0, first 1 to graph 1, first 1 nohead lw 2 lc rgb "black"
		set arrow from graph 0, first 0.8 to graph 1, first 0.8 nohead dt 2 lc rgb "dark-green"
		set arrow from graph 0, first 0.4 to graph 1, first 0.4 nohead dt 3 lc rgb "blue"
		plot $series
	EOF
fi
echo "kbench: table in $OUT/kernel-bench$tag.txt"
exit $rc
