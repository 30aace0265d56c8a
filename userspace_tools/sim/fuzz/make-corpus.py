#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of fuzz_ops.c: small inputs that each exercise one
area (buddy orders, caches, constructors and bulk, size classes, misuse,
exhaustion, tuning across CPUs). The encoding is fuzz_ops.c's: 4 setup bytes
(region pages: 2 bytes, max_order | pcp batch index << 4, CPUs), then one
opcode byte and its argument bytes per operation.

Usage: make-corpus.py DIR
"""
import os
import sys


class Seed:
    def __init__(self, pages, max_order, pcp_idx, cpus, debug=0):
        p = pages - 1
        self.b = bytearray([p & 0xff, p >> 8, max_order | pcp_idx << 4,
                            (cpus - 1) | debug << 2])

    def op(self, code, *args):
        self.b.append(code)
        self.b.extend(args)
        return self

    def create(self, size, align_idx=0, bits=0):
        return self.op(0, size & 0xff, size >> 8, align_idx, bits)

    def destroy(self, k):
        return self.op(1, k)

    def alloc(self, k, gfp=0):
        return self.op(2, k, gfp)

    def free(self, i):
        return self.op(4, i & 0xff, i >> 8)

    def bulk_alloc(self, k, n, gfp=0):
        return self.op(5, k, n - 1, gfp)

    def bulk_free(self, k, n):
        return self.op(6, k, n - 1)

    def shrink(self, k):
        return self.op(7, k)

    def pages(self, order, gfp=0):
        return self.op(8, order, gfp)

    def pages_free(self, i):
        return self.op(9, i & 0xff, i >> 8)

    def sizes(self, size, gfp=0):
        if size < 256:
            return self.op(10, 0, size, gfp)
        return self.op(10, 1, size & 0xff, size >> 8, gfp)

    def sizes_free(self, i):
        return self.op(11, i & 0xff, i >> 8)

    def drain(self):
        return self.op(12)

    def cpu(self, c):
        return self.op(13, c)

    def misuse(self, how, b=0, cache=0):
        # Only "wrong cache" (3) reads a cache byte after its argument.
        if how == 3:
            return self.op(14, how, b & 0xff, b >> 8, cache)
        return self.op(14, how, b & 0xff, b >> 8)

    def tune(self, k, limit, batch, bad=1):
        return self.op(15, k, limit - 1, batch, bad)

    def inject(self, nth, and_after=False):
        # Debug modes 1 and 2: the nth next page allocation fails (and all after).
        return self.op(240, (nth - 1) | (8 if and_after else 0))

    def inject_off(self):
        return self.op(240, 0x80)

    def poison_write(self, page, off):
        # Debug mode 3: a stray write into a free page, caught by validation.
        return self.op(241, page & 0xff, page >> 8, off & 0xff, off >> 8)


def seeds():
    s = Seed(64, 6, 3, 2)            # buddy orders with per-CPU pages
    for o in (0, 1, 2, 0, 3, 0, 4, 7):
        s.pages(o, 2)
    s.cpu(1).pages_free(3).pages_free(0).pages(0).drain().pages(6).pages_free(1)
    yield "buddy-orders", s

    s = Seed(100, 5, 0, 1)           # odd region, no per-CPU pages
    for o in (2, 2, 2, 2, 5, 0, 0, 1):
        s.pages(o)
    for i in range(8):
        s.pages_free(i * 3)
    yield "buddy-odd-region", s

    s = Seed(256, 8, 4, 2)           # one cache: alloc, free, shrink, destroy
    s.create(64)
    for i in range(70):
        s.alloc(0, 2 if i % 7 == 0 else 0)
    for i in range(40):
        s.free(i * 5)
    s.shrink(0).cpu(1)
    for i in range(10):
        s.alloc(0)
    s.destroy(0)
    yield "cache-basic", s

    s = Seed(300, 9, 2, 3)           # constructors, alignment, bulk
    s.create(100, 0, 4).create(24, 4, 1).create(1000, 6, 4)
    s.bulk_alloc(0, 30).bulk_alloc(1, 40, 2).bulk_alloc(2, 12)
    s.bulk_free(0, 20).bulk_free(1, 39).cpu(2).bulk_alloc(0, 25)
    s.shrink(0).shrink(1).bulk_free(2, 12).shrink(2)
    yield "cache-ctor-bulk", s

    s = Seed(512, 9, 5, 4)           # size classes, small and large
    s.sizes(1)
    for size in (0, 1, 8, 9, 64, 65, 96, 97, 200, 256, 300, 1024, 2048, 2049,
                 4096, 5000, 8191):
        s.sizes(size, 2 if size > 2000 else 0)
    for i in range(10):
        s.sizes_free(i * 7)
    s.drain()
    yield "size-classes", s

    s = Seed(128, 7, 3, 2)           # misuse of every kind
    s.create(48).create(48, 0, 4).sizes(1)
    for _ in range(6):
        s.alloc(0).alloc(1)
    s.pages(2).pages(0).sizes(100).sizes(5000)
    s.free(0).misuse(0, 0)           # double free of the first freed
    s.misuse(1, 3).misuse(2, 0).misuse(3, 1, 1).misuse(4).misuse(6, 0)
    s.destroy(0).misuse(5, 1).misuse(0, 0)
    yield "misuse", s

    s = Seed(5, 2, 0, 1)             # a tiny region runs out
    s.create(3000).create(700, 0, 4)
    for _ in range(10):
        s.alloc(0).alloc(1)
    s.pages(2).pages(0).bulk_alloc(1, 10).free(0).alloc(0)
    yield "exhaustion", s

    s = Seed(200, 8, 1, 4)           # tuning and magazines on several CPUs
    s.create(32).create(512, 7)
    for c in range(4):
        s.cpu(c)
        for _ in range(12):
            s.alloc(0).alloc(1)
        s.tune(0, 4 + c, 2).tune(1, 2, 1, 0)
        for i in range(5):
            s.free(i * 11 + c)
    s.shrink(0).shrink(1).drain()
    yield "tune-cpus", s

    s = Seed(37, 11, 5, 2)           # max_order beyond the region
    s.pages(5).pages(3).pages(0).create(4000).alloc(0).alloc(0)
    s.sizes(1).sizes(3000).sizes(20000).pages_free(0).shrink(0).destroy(0)
    yield "order-beyond-region", s


def debug_seeds():
    s = Seed(96, 6, 2, 2, debug=2)   # hooks + poisoning, injected failures
    s.create(128).create(3000, 0, 4).sizes(1)
    s.inject(1).alloc(0).alloc(0).inject(2, True).bulk_alloc(0, 40).alloc(1)
    s.sizes(100).sizes(9000).pages(3).inject_off()
    s.bulk_alloc(0, 40).pages(2).sizes(5000).shrink(0).drain()
    yield "debug-inject", s

    s = Seed(40, 4, 3, 1, debug=3)   # poisoning alone, stray writes
    s.pages(2).pages(0).pages_free(0).poison_write(3, 17).poison_write(30, 4095)
    s.create(64).alloc(0).poison_write(39, 1).drain().poison_write(1, 0)
    yield "debug-poison", s

    s = Seed(64, 6, 4, 4, debug=1)   # shadow hooks with everything
    s.create(200, 0, 4).sizes(1)
    for c in range(4):
        s.cpu(c).alloc(0).sizes(40 * c + 1).pages(c)
    for i in range(6):
        s.free(i).sizes_free(i).pages_free(i)
    s.misuse(0, 0).misuse(1, 2).drain()
    yield "debug-shadow", s


def slab_debug_seeds():
    # Caches with SLUB-style debug options: bits 4..7 of the create byte
    # are F, Z, P, U.
    s = Seed(128, 7, 2, 2)
    s.create(40, 0, 0xf0).create(100, 2, 0x20 | 4).create(256, 0, 0x40 | 1)
    s.create(24, 3, 0x10 | 0x80)
    for k in range(4):
        s.bulk_alloc(k, 12).alloc(k, 2)
    s.misuse(1, 3).misuse(0, 0).bulk_free(0, 10).bulk_free(1, 10).shrink(2)
    s.destroy(3).misuse(5, 0)
    yield "slab-debug", s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    n = 0
    for name, s in list(seeds()) + list(debug_seeds()) + list(slab_debug_seeds()):
        with open(os.path.join(out, name), "wb") as fp:
            fp.write(bytes(s.b))
        n += 1
    print("wrote %d seeds to %s" % (n, out))


if __name__ == "__main__":
    main()
