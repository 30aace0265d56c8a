# SPDX-License-Identifier: GPL-2.0
"""An independent model of what myslabtop must print, for its tests.

Written from the specifications, not from myslabtop's C: the /proc/slabinfo 2.1
row layout, procps' derived numbers (library/slabinfo.c) and the kernel's
fragmentation indices (mm/vmstat.c). The tests compare the tool's output with
what this model computes from the same fixture.
"""
import struct

HEADER = "slabinfo - version: 2.1"
NUMERIC_FIELDS = ("active_objs", "num_objs", "objsize", "objperslab", "pagesperslab",
                  "limit", "batchcount", "sharedfactor",
                  "active_slabs", "num_slabs", "sharedavail")


def _f32(x):
    """Round a double to IEEE single precision, as a C float holds it."""
    return struct.unpack("f", struct.pack("f", x))[0]


def parse_slabinfo(raw):
    """Rows of a 2.1 file as dicts; names are bytes decoded as Latin-1."""
    lines = raw.decode("latin-1").split("\n")
    assert lines[0] == HEADER, "fixture header"
    caches = []
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        t = line.split()
        assert t[6:8] == [":", "tunables"] and t[11:13] == [":", "slabdata"], line
        nums = [int(x) for x in t[1:6] + t[8:11] + t[13:16]]
        cache = dict(zip(NUMERIC_FIELDS, nums), name=t[0], row=len(caches))
        caches.append(cache)
    return caches


def derive(caches, page_size):
    for c in caches:
        c["cache_size_bytes"] = c["num_slabs"] * c["pagesperslab"] * page_size
        if c["num_objs"]:
            quotient = _f32(_f32(c["active_objs"]) / _f32(c["num_objs"]))
            c["use_percent"] = int(_f32(100.0 * quotient))
        else:
            c["use_percent"] = 0


def summary(caches):
    s = {
        "active_objs": sum(c["active_objs"] for c in caches),
        "num_objs": sum(c["num_objs"] for c in caches),
        "active_slabs": sum(c["active_slabs"] for c in caches),
        "num_slabs": sum(c["num_slabs"] for c in caches),
        "active_caches": sum(1 for c in caches if c["num_objs"]),
        "num_caches": len(caches),
        "active_size_bytes": sum(c["active_objs"] * c["objsize"] for c in caches),
        "total_size_bytes": sum(c["num_objs"] * c["objsize"] for c in caches),
        "pages": sum(c["num_slabs"] * c["pagesperslab"] for c in caches),
        "min_objsize": min((c["objsize"] for c in caches), default=0),
        "max_objsize": max((c["objsize"] for c in caches), default=0),
    }
    s["avg_objsize"] = s["total_size_bytes"] // s["num_objs"] if s["num_objs"] else 0
    return s


SORT_FIELDS = {"a": "active_objs", "b": "objperslab", "c": "cache_size_bytes",
               "l": "num_slabs", "v": "active_slabs", "n": "name", "o": "num_objs",
               "p": "pagesperslab", "s": "objsize", "u": "use_percent"}


def sort(caches, key):
    """Name ascending, every other key largest first; ties keep file order."""
    field = SORT_FIELDS[key.lower()]
    if field == "name":
        return sorted(caches, key=lambda c: c["name"].encode("latin-1"))
    return sorted(caches, key=lambda c: -c[field])


def parse_buddyinfo(raw):
    zones = []
    for line in raw.decode("ascii").splitlines():
        head, _, counts = line.partition(", zone ")
        words = counts.split()
        zones.append({"node": int(head.split()[1]), "zone": words[0],
                      "free_blocks": [int(x) for x in words[1:]]})
    return zones


def indices(free_blocks):
    """mm/vmstat.c unusable_free_index() and __fragmentation_index(), per order."""
    unusable, frag = [], []
    free_pages = sum(n << o for o, n in enumerate(free_blocks))
    total = sum(free_blocks)
    for j in range(len(free_blocks)):
        suitable = sum(n << (o - j) for o, n in enumerate(free_blocks) if o >= j)
        unusable.append(1000 if free_pages == 0 else
                        (free_pages - (suitable << j)) * 1000 // free_pages)
        if total == 0:
            frag.append(0)
        elif suitable:
            frag.append(-1000)
        else:
            frag.append(1000 - (1000 + free_pages * 1000 // (1 << j)) // total)
    return free_pages, total, unusable, frag
