#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check_json.py SLABINFO BUDDYINFO|- SORTKEY < output: myslabtop --json's
output must be valid JSON and agree, field by field, with reference.py's model
of the fixtures. Exit 0 when it does; otherwise print each difference."""
import json
import os
import sys

import reference

errors = []


def expect(what, got, want):
    if got != want:
        errors.append(f"{what}: got {got!r}, want {want!r}")


def check_caches(doc, caches):
    expect("number of caches", len(doc["caches"]), len(caches))
    for i, (got, want) in enumerate(zip(doc["caches"], caches)):
        for field in reference.NUMERIC_FIELDS + ("name", "use_percent", "cache_size_bytes"):
            expect(f"caches[{i}].{field}", got.get(field), want[field])


def check_buddyinfo(doc, zones):
    if zones is None:
        expect("buddyinfo", doc["buddyinfo"], None)
        return
    expect("number of zones", len(doc["buddyinfo"]), len(zones))
    for got, want in zip(doc["buddyinfo"], zones):
        free_pages, total, unusable, frag = reference.indices(want["free_blocks"])
        where = f"zone {want['zone']}"
        expect(f"{where} node", got["node"], want["node"])
        expect(f"{where} name", got["zone"], want["zone"])
        expect(f"{where} free_blocks", got["free_blocks"], want["free_blocks"])
        expect(f"{where} free_pages", got["free_pages"], free_pages)
        expect(f"{where} free_blocks_total", got["free_blocks_total"], total)
        expect(f"{where} unusable index (thousandths)",
               [round(v * 1000) for v in got["unusable_free_space_index"]], unusable)
        expect(f"{where} fragmentation index (thousandths)",
               [round(v * 1000) for v in got["fragmentation_index"]], frag)


def main():
    slabinfo_path, buddyinfo_path, key = sys.argv[1:4]
    doc = json.load(sys.stdin)
    page_size = os.sysconf("SC_PAGE_SIZE")
    caches = reference.parse_slabinfo(open(slabinfo_path, "rb").read())
    reference.derive(caches, page_size)
    zones = None
    if buddyinfo_path != "-":
        zones = reference.parse_buddyinfo(open(buddyinfo_path, "rb").read())

    expect("slabinfo_version", doc["slabinfo_version"], "2.1")
    expect("page_size", doc["page_size"], page_size)
    expect("sort", doc["sort"], key.lower())
    expect("summary", doc["summary"], reference.summary(caches))
    check_caches(doc, reference.sort(caches, key))
    check_buddyinfo(doc, zones)
    for e in errors:
        print(f"check_json: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
