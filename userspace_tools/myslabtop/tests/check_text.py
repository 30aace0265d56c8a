#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check_text.py SLABINFO SORTKEY < output: myslabtop -o's output must be
slabtop's layout holding reference.py's numbers for the fixture: five summary
lines, a blank line, the headings, then one row per cache in sort order."""
import os
import sys

import reference

HEADINGS = "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME"


def pct(part, whole):
    return 100.0 * part / whole if whole else 0.0


def expected_lines(caches, key):
    s = reference.summary(caches)
    k = 1024.0
    lines = [
        " %-35s: %d / %d (%.1f%%)" % ("Active / Total Objects (% used)", s["active_objs"],
                                      s["num_objs"], pct(s["active_objs"], s["num_objs"])),
        " %-35s: %d / %d (%.1f%%)" % ("Active / Total Slabs (% used)", s["active_slabs"],
                                      s["num_slabs"], pct(s["active_slabs"], s["num_slabs"])),
        " %-35s: %d / %d (%.1f%%)" % ("Active / Total Caches (% used)", s["active_caches"],
                                      s["num_caches"], pct(s["active_caches"], s["num_caches"])),
        " %-35s: %.2fK / %.2fK (%.1f%%)" % ("Active / Total Size (% used)",
                                            s["active_size_bytes"] / k, s["total_size_bytes"] / k,
                                            pct(s["active_size_bytes"], s["total_size_bytes"])),
        " %-35s: %.2fK / %.2fK / %.2fK" % ("Minimum / Average / Maximum Object",
                                           s["min_objsize"] / k, s["avg_objsize"] / k,
                                           s["max_objsize"] / k),
        "",
        "%-78s" % HEADINGS,
    ]
    for c in reference.sort(caches, key):
        lines.append("%6d %6d %3d%% %7.2fK %6d %8d %9dK %-23s" % (
            c["num_objs"], c["active_objs"], c["use_percent"], c["objsize"] / k,
            c["num_slabs"], c["objperslab"], c["cache_size_bytes"] // 1024, c["name"]))
    return lines


def main():
    slabinfo_path, key = sys.argv[1:3]
    caches = reference.parse_slabinfo(open(slabinfo_path, "rb").read())
    reference.derive(caches, os.sysconf("SC_PAGE_SIZE"))
    want = expected_lines(caches, key)
    got = sys.stdin.buffer.read().decode("latin-1").split("\n")
    if got[-1] == "":
        got.pop()
    bad = 0
    for i in range(max(len(got), len(want))):
        g = got[i] if i < len(got) else "<missing>"
        w = want[i] if i < len(want) else "<none>"
        if g != w:
            print(f"check_text: line {i + 1}: got  {g!r}\ncheck_text: line {i + 1}: want {w!r}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
