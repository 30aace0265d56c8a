#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the shoot-out's RESULT lines into tables and a plot.

    report.py RAW.tsv OUTDIR

Every time is the median over the repetitions of a row (the min is in
raw.tsv for whoever wants it); instruction counts (rep=count lines, from
callgrind) are exact and printed as they are. Writes OUTDIR/shootout.txt (what is printed)
and OUTDIR/shootout.png (gnuplot), with the plot's data files beside them.
"""
import os
import statistics
import subprocess
import sys

ALLOCS = ["myslab", "glibc", "jemalloc", "tcmalloc", "mimalloc"]
ANALYSIS = "myslab-kspin"
TASK_STRUCT = "9344"


def parse(path):
    rows = []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if not fields or fields[0] != "RESULT":
                continue
            rows.append(dict(kv.split("=", 1) for kv in fields[1:] if "=" in kv))
    return rows


def med(values):
    return statistics.median(values) if values else None


def row_key(r):
    if r["workload"] == "fixed":
        return ("fixed", int(r["size"]), r["pattern"], int(r["threads"]))
    return ("mixed", 0, "", int(r["threads"]))


def row_label(key):
    kind, size, pattern, threads = key
    thr = "%d thr" % threads
    if kind == "mixed":
        return "mixed 16..1039 B, %s" % thr
    name = "task_struct %d B" % size if str(size) == TASK_STRUCT else "%d B" % size
    return "%s %s, %s" % (name, pattern, thr)


def row_order(key):
    kind, size, pattern, threads = key
    return (threads, kind != "fixed", pattern != "reuse", size)


def fmt(v, digits=1):
    return "-" if v is None else "%.*f" % (digits, v)


def table(title, header, lines, out):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines)]
    out.append(title)
    sep = "-+-".join("-" * w for w in widths)
    out.append(" | ".join(str(h).ljust(w) for h, w in zip(header, widths)))
    out.append(sep)
    for line in lines:
        cells = []
        for i, (x, w) in enumerate(zip(line, widths)):
            cells.append(str(x).ljust(w) if i == 0 else str(x).rjust(w))
        out.append(" | ".join(cells))
    out.append("")


def main():
    raw, outdir = sys.argv[1], sys.argv[2]
    results = parse(raw)
    out = []
    env = os.path.join(outdir, "env.txt")
    if os.path.exists(env):
        with open(env) as f:
            out += [l.rstrip("\n") for l in f]
        out.append("")

    # === Timed rows ===
    timed = {}
    counted = {}
    for r in results:
        if r["workload"] not in ("fixed", "mixed"):
            continue
        if r.get("rep") == "count":
            counted.setdefault(row_key(r), {})[r["alloc"]] = r
        else:
            timed.setdefault(row_key(r), {}).setdefault(r["alloc"], []).append(r)
    keys = sorted(timed, key=row_order)
    allocs = ALLOCS + ([ANALYSIS] if any(ANALYSIS in timed[k] for k in keys) else [])
    reps = max((len(v) for k in keys for v in timed[k].values()), default=0)

    def against_myslab(value):
        """One cell per allocator: value(alloc), and beside each peer's its
        ratio to myslab's ("-" where there is no figure)."""
        base = value("myslab")
        cells = []
        for a in allocs:
            v = value(a)
            if v is None:
                cells.append("-")
            elif a == "myslab" or not base:
                cells.append(fmt(v))
            else:
                cells.append("%s (x%.2f)" % (fmt(v), v / base))
        return cells

    def stat(key, alloc, field):
        runs = timed[key].get(alloc, [])
        return med([float(r[field]) for r in runs])

    for field, ffield, what in (("cpu_ns_op", "floor_cpu_ns",
                                 "CPU time of the slowest thread (CLOCK_THREAD_CPUTIME_ID)"),
                                ("ns_op", "floor_ns",
                                 "wall clock of the slowest thread (CLOCK_MONOTONIC)")):
        lines = []
        for k in keys:
            line = [row_label(k)] + against_myslab(lambda a: stat(k, a, field))
            line.append(fmt(med([float(r[ffield]) for a in allocs
                                 for r in timed[k].get(a, []) if ffield in r]), 2))
            lines.append(line)
        table("Time per operation (alloc+free pair), ns, median of %d; %s.\n"
              "(xR) = that allocator's time / myslab's: below 1 is faster than myslab. "
              "floor = the same loop without allocator calls."
              % (reps, what),
              ["row"] + allocs + ["floor"], lines, out)

    def count(key, alloc, field):
        r = counted.get(key, {}).get(alloc)
        return float(r[field]) if r and field in r else None

    ckeys = sorted(counted, key=row_order)
    if ckeys:
        lines = []
        for k in ckeys:
            line = [row_label(k)] + against_myslab(lambda a: count(k, a, "ir_op"))
            line.append(fmt(count(k, "myslab", "ir_floor")))
            lines.append(line)
        ops = next(iter(counted[ckeys[0]].values()))["ops"]
        table("Instructions per operation (alloc+free pair), user space, counted by callgrind over\n"
              "exactly the measured loop of one run (%s operations; warm-up not counted); the same\n"
              "for every load of the machine. (xR) = that allocator's count / myslab's. floor = the\n"
              "loop without allocator calls: allocator alone = count - floor."
              % ops, ["row"] + allocs + ["floor"], lines, out)

    lines = []
    for k in keys:
        lines.append([row_label(k)] + [fmt(stat(k, a, "maxrss_kib") / 1024
                                           if stat(k, a, "maxrss_kib") else None)
                                       for a in allocs])
    table("Peak RSS of the process (getrusage ru_maxrss), MiB, median",
          ["row"] + allocs, lines, out)

    # What myslab's counters say about each fixed-size row (slow paths, slab churn).
    lines = []
    for k in keys:
        runs = timed[k].get("myslab", [])
        if k[0] != "fixed" or not runs or "slab_order" not in runs[0]["notes"]:
            continue
        n = dict(kv.split("=", 1) for kv in runs[0]["notes"].split(";") if "=" in kv)
        total = float(runs[0]["ops"]) * 1.1 * int(runs[0]["threads"])
        slab_bytes = 4096 << int(n["slab_order"])
        lines.append([row_label(k), "%s x %s B" % (n["objs_per_slab"], n["slot_size"]),
                      "%d KiB" % (slab_bytes // 1024), n["header_size"],
                      "%.1f%%" % (100.0 * (int(n["header_size"]) + int(n["waste"])) / slab_bytes),
                      "%s/%s" % (n["limit"], n["batchcount"]),
                      "%.2f%%" % (100.0 * int(n["alloc_slow"]) / total),
                      "%.1f" % (1000.0 * int(n["slabs_taken"]) / total)])
    if lines:
        table("myslab internals per fixed-size row (first run): slab layout, metadata + leftover\n"
              "share of a slab, magazine limit/batch, allocations that missed the magazine, and\n"
              "slabs taken from the buddy per 1000 operations (warm-up included)",
              ["row", "objects/slab", "slab", "header B", "overhead", "limit/batch",
               "alloc slow", "slabs/1k ops"], lines, out)

    # === Fragmentation ===
    frag = {}
    for r in results:
        if r["workload"] == "frag":
            name = r["alloc"] + (" buddy alone" if r.get("mode") == "buddy" else
                                 " size classes" if r["alloc"] == "myslab" else "")
            frag.setdefault(name, []).append(r)
    forder = ["myslab buddy alone", "myslab size classes"] + ALLOCS[1:]
    lines = []
    fplot = []
    for name in [n for n in forder if n in frag]:
        runs = frag[name]
        g = lambda f: med([float(r[f]) for r in runs if f in r])
        what = runs[0].get("held_what", "-")
        lines.append([name, fmt(g("peak_live") / 2**20), fmt(g("peak_rss") / 2**20),
                      fmt(g("rss_ratio"), 3), fmt(g("avg_rss_ratio"), 3),
                      fmt(g("peak_held") / 2**20 if g("peak_held") else None),
                      fmt(g("held_ratio"), 3), fmt(g("avg_held_ratio"), 3), what])
        fplot.append((name, g("rss_ratio"), g("held_ratio") or 0))
    slots = results and next((r["slots"] for r in results if r["workload"] == "frag"), "?")
    table("Fragmentation: random power-of-two sizes 64 B..32 KiB, %s slots, about half live;\n"
          "footprint / peak live bytes requested. RSS = ru_maxrss less the RSS before the\n"
          "allocator started (every page of a live object is written); own = the allocator's\n"
          "count of memory taken from its page source (peak; sampled every 1024 steps where\n"
          "the allocator keeps no peak); avg = time-averaged over the samples."
          % slots,
          ["allocator", "live MiB", "RSS MiB", "RSS/live", "avg", "own MiB",
           "own/live", "avg", "own = "], lines, out)

    # === Region size ===
    region = {}
    for r in results:
        if r["workload"] == "region":
            region.setdefault(int(r["region_mib"]), []).append(r)
    lines = []
    rplot = []
    for mib in sorted(region):
        runs = region[mib]
        g = lambda f: med([float(r[f]) for r in runs])
        lines.append(["%d MiB" % mib if mib < 1024 else "%d GiB" % (mib // 1024),
                      "%d" % g("nr_pages"), "%d" % g("meta_bytes_per_page"),
                      fmt(g("meta_bytes") / 2**20, 2), fmt(g("meta_pct"), 2),
                      fmt(g("create_ms"), 1), "%d" % g("live_blocks"),
                      "%s (%s)" % (fmt(g("buddy_ns_op")), fmt(g("buddy_cpu_ns_op"))),
                      "%s (%s)" % (fmt(g("slab_ns_op")), fmt(g("slab_cpu_ns_op"))),
                      fmt(g("floor_ns"), 2)])
        rplot.append((mib, g("buddy_cpu_ns_op"), g("slab_cpu_ns_op"),
                      g("buddy_ns_op"), g("slab_ns_op")))
    table("Region size: metadata, and time per operation with half the pages allocated in random\n"
          "blocks of order 0..3 (buddy: free a random block + allocate a random order; slab:\n"
          "256 B cache alloc+free on the same region). ns/op wall (CPU), median.",
          ["region", "pages", "meta B/page", "meta MiB", "meta %", "create ms",
           "live blocks", "buddy ns/op", "slab ns/op", "floor"], lines, out)

    # === Goals ===
    goals = []

    def cmp(key, other, field):
        m, o = stat(key, "myslab", field), stat(key, other, field)
        if m is None or o is None:
            return "n/a"
        if m <= o:
            return "met (myslab %.1f <= %s %.1f)" % (m, other, o)
        return "behind x%.1f (myslab %.1f vs %s %.1f)" % (m / o, m, other, o)

    for k in keys:
        if k[0] == "fixed" and k[3] == 1:
            for other in ("mimalloc", "glibc", "jemalloc", "tcmalloc"):
                goals.append("%-34s vs %-8s cpu: %s; wall: %s" % (
                    row_label(k), other, cmp(k, other, "cpu_ns_op"), cmp(k, other, "ns_op")))
    for k in ckeys:
        m, o = count(k, "myslab", "ir_op"), count(k, "mimalloc", "ir_op")
        if m is not None and o is not None:
            goals.append("%-34s instructions/op <= mimalloc's: %s" % (
                row_label(k), "met (myslab %.1f <= %.1f)" % (m, o) if m <= o else
                "behind x%.1f (myslab %.1f vs %.1f)" % (m / o, m, o)))
    for k in keys:
        if k[0] == "mixed":
            goals.append("%-34s vs %-8s cpu: %s; wall: %s" % (
                row_label(k), "glibc", cmp(k, "glibc", "cpu_ns_op"), cmp(k, "glibc", "ns_op")))
    if rplot:
        for idx, what in ((1, "buddy"), (2, "slab")):
            vals = [p[idx] for p in rplot]
            goals.append("time/op flat as the region grows (%s, CPU): %s -> %s ns/op, max/min %.2f"
                         % (what, fmt(vals[0]), fmt(vals[-1]), max(vals) / min(vals)))
    out.append("Goals (benchmark figures, not tests):")
    out += ["  " + g for g in goals]
    out.append("")

    text = "\n".join(out)
    print(text)
    with open(os.path.join(outdir, "shootout.txt"), "w") as f:
        f.write(text + "\n")

    # === Plot ===
    with open(os.path.join(outdir, "timed.dat"), "w") as f:
        f.write("row " + " ".join('"%s"' % (a + " (analysis)" if a == ANALYSIS else a)
                                  for a in allocs) + "\n")
        for k in keys:
            vals = [stat(k, a, "cpu_ns_op") for a in allocs]
            f.write('"%s" %s\n' % (row_label(k).replace(" thr", "t"),
                                   " ".join("NaN" if v is None else "%.3f" % v for v in vals)))
    with open(os.path.join(outdir, "frag.dat"), "w") as f:
        for name, rss, held in fplot:
            f.write('"%s" %.3f %.3f\n' % (name.replace(" size classes", "\\nsizes")
                                          .replace(" buddy alone", "\\nbuddy"), rss, held))
    with open(os.path.join(outdir, "region.dat"), "w") as f:
        for p in rplot:
            f.write("%d %.3f %.3f %.3f %.3f\n" % p)
    rplot_meta = med([float(r["meta_bytes_per_page"]) for runs in region.values() for r in runs])
    gp = os.path.join(outdir, "shootout.gp")
    ncol = len(allocs)
    with open(gp, "w") as f:
        f.write("""set terminal pngcairo size 1600,1150 font "DejaVu Sans,11" noenhanced
set output "{out}/shootout.png"
set multiplot
set origin 0,0.45
set size 1,0.55
set title "Time per alloc+free pair, CPU ns (median of {reps}; log scale; lower is better)" font ",13"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [1:*]
set ylabel "ns per operation"
set grid ytics
set xtics rotate by 30 right nomirror font ",9"
set key top left horizontal maxcols 6 width 2
set bmargin 7
plot for [i=2:{last}] "{out}/timed.dat" using i:xtic(1) title columnheader(i)
unset logscale y
set yrange [0:*]
set origin 0,0
set size 0.5,0.45
set bmargin 5
set title "Fragmentation: footprint / peak live bytes (1 = no waste)" font ",13"
set ylabel "ratio"
set xtics norotate center font ",9"
set key top left horizontal maxcols auto width 0
plot "{out}/frag.dat" using 2:xtic(1) title "peak RSS growth", "" using 3 title "allocator's own count"
set origin 0.5,0
set size 0.5,0.45
set style data linespoints
set title "myslab vs region size (half the pages allocated), CPU ns/op\\nmetadata {meta} B per 4 KiB page" font ",13"
set logscale x 2
set xlabel "region size, MiB"
set ylabel "ns per operation"
set xtics auto
set key top left vertical
plot "{out}/region.dat" using 1:2 title "buddy: free + alloc, order 0..3" lw 2, \\
     "" using 1:3 title "slab: 256 B alloc + free" lw 2
unset multiplot
""".format(out=outdir, reps=reps, last=ncol + 1,
           meta=("%d" % rplot_meta) if rplot_meta else "?"))
    try:
        subprocess.run(["gnuplot", gp], check=True)
        print("plot: %s/shootout.png; table: %s/shootout.txt" % (outdir, outdir))
    except (OSError, subprocess.CalledProcessError) as e:
        print("plot: gnuplot failed: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
