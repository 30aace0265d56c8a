#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check buddyview's pictures without an imaging library.

  picture_check.py agree FILE.svg FILE.png
      both pictures have the same size, and at the centre of every block
      rectangle of the SVG the PNG has the SVG's fill colour
  picture_check.py fill FILE.svg TITLE_WORDS...
      print the fill colour of the first block whose hover title contains
      the words (e.g. "slab kmalloc-64")
  picture_check.py blocks FILE.svg
      print how many block titles the SVG has

Exit 0 when the check holds, 1 with a message when not."""
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

SVG = "{http://www.w3.org/2000/svg}"


def read_png(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour != 2:
                sys.exit(f"{path}: not 8-bit RGB")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * 3, [], bytearray(width * 3)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0
            b, c = prev[i], prev[i - 3] if i >= 3 else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xff
            elif kind == 2:
                line[i] = (line[i] + b) & 0xff
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xff
        rows.append([tuple(line[x * 3:x * 3 + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def svg_rects(path):
    root = ET.parse(path).getroot()
    return root, [r for r in root.iter(SVG + "rect")]


def agree(svg_path, png_path):
    root, rects = svg_rects(svg_path)
    width, height, rows = read_png(png_path)
    if (int(root.get("width")), int(root.get("height"))) != (width, height):
        sys.exit(f"sizes differ: SVG {root.get('width')}x{root.get('height')}, PNG {width}x{height}")
    painted = [r for r in rects if r.get("fill-opacity") != "0" and r.get("width") != "100%"]
    checked = 0
    for r in rects:
        if r.find(SVG + "title") is None:
            continue
        x, y = int(r.get("x")) + int(r.get("width")) // 2, int(r.get("y")) + int(r.get("height")) // 2
        top = None
        for p in painted:
            px, py, pw, ph = (int(p.get(k)) for k in ("x", "y", "width", "height"))
            if px <= x < px + pw and py <= y < py + ph:
                top = p
        want = tuple(int(top.get("fill")[i:i + 2], 16) for i in (1, 3, 5))
        if rows[y][x] != want:
            sys.exit(f"at ({x},{y}) ({r.find(SVG + 'title').text}): PNG {rows[y][x]}, SVG {want}")
        checked += 1
    if not checked:
        sys.exit("no block rectangles with titles in the SVG")
    print(f"{checked} blocks agree")


def fill(svg_path, words):
    _, rects = svg_rects(svg_path)
    for r in rects:
        t = r.find(SVG + "title")
        if t is not None and words in t.text:
            x, y = int(r.get("x")) + 1, int(r.get("y")) + 1
            for p in rects:
                if p.get("fill-opacity") == "0" or p.get("width") == "100%":
                    continue
                px, py, pw, ph = (int(p.get(k)) for k in ("x", "y", "width", "height"))
                if px <= x + 2 < px + pw and py <= y + 2 < py + ph:
                    colour = p.get("fill")
            print(colour)
            return
    sys.exit(f"no block titled '{words}'")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "agree":
        agree(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "fill":
        fill(sys.argv[2], " ".join(sys.argv[3:]))
    elif len(sys.argv) == 3 and sys.argv[1] == "blocks":
        _, rects = svg_rects(sys.argv[2])
        print(sum(1 for r in rects if r.find(SVG + "title") is not None))
    else:
        sys.exit(__doc__)
