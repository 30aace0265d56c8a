# SPDX-License-Identifier: GPL-2.0
# SVG and PNG pictures: well formed, the same picture in both formats, a
# stable colour per cache name.

CHECK="python3 $TESTS/picture_check.py"
if ! command -v python3 >/dev/null; then
	skip "pictures" "python3 not installed"
	return 0
fi

for map in named.page_map stock-64m/after/page_map stock-16m/after/page_map; do
	name=${map%/page_map}
	pics=(--svg "$WORK/p.svg")
	[ -n "$PNG_OK" ] && pics+=(--png "$WORK/p.png")
	expect_ok "pictures of $name" "$BV" -q "${pics[@]}" "$FIXTURES/$map"
	if python3 -c "import xml.dom.minidom as m; m.parse('$WORK/p.svg')" 2>/dev/null; then
		pass "$name: SVG is well-formed XML"
	else
		fail "$name: SVG" "not well-formed"
	fi
	if [ -n "$PNG_OK" ]; then
		run $CHECK agree "$WORK/p.svg" "$WORK/p.png"
		[ "$RC" = 0 ] && pass "$name: PNG and SVG agree ($OUT)" ||
			fail "$name: PNG and SVG agree" "$ERR"
	else
		skip "$name: PNG and SVG agree" "built without libpng"
	fi
done

# Every block has a hover title in a small map.
"$BV" -q --svg "$WORK/named.svg" "$FIXTURES/named.page_map"
titles=$($CHECK blocks "$WORK/named.svg")
[ "$titles" = 13 ] && pass "SVG: a title per block" || fail "SVG titles" "$titles, want 13"

# A cache keeps its colour from one map to the next, whatever its position.
"$BV" -q --svg "$WORK/reordered.svg" "$FIXTURES/named-reordered.page_map"
for cache in kmalloc-64 task_struct dentry; do
	a=$($CHECK fill "$WORK/named.svg" "slab $cache")
	b=$($CHECK fill "$WORK/reordered.svg" "slab $cache")
	[ -n "$a" ] && [ "$a" = "$b" ] && pass "colour of $cache stable across maps ($a)" ||
		fail "colour of $cache" "$a vs $b"
done
# The same cache in a map captured from the module: the same colour.
"$BV" -q --svg "$WORK/captured.svg" --dir "$FIXTURES/stock-16m-named/after"
a=$($CHECK fill "$WORK/named.svg" "slab task_struct")
b=$($CHECK fill "$WORK/captured.svg" "slab task_struct")
[ -n "$a" ] && [ "$a" = "$b" ] && pass "task_struct: same colour in a captured map" ||
	fail "task_struct colour in a captured map" "$a vs $b"

colours=$(for c in kmalloc-64 task_struct dentry; do $CHECK fill "$WORK/named.svg" "slab $c"; done |
	  sort -u | wc -l)
[ "$colours" = 3 ] && pass "three caches, three colours" || fail "cache colours" "$colours distinct"
free0=$($CHECK fill "$WORK/named.svg" "order 0, free")
free3=$($CHECK fill "$WORK/named.svg" "order 3, free")
[ -n "$free0" ] && [ "$free0" != "$free3" ] && pass "free blocks shaded by order" ||
	fail "free shades" "order 0 $free0, order 3 $free3"

run "$BV" -q --svg "$WORK/t.svg" --title 'a <b> & "c"' "$FIXTURES/named.page_map"
grep -q 'a &lt;b&gt; &amp; &quot;c&quot;' "$WORK/t.svg" && pass "SVG: title escaped" ||
	fail "SVG title escaping" "$(grep -o 'demo -.*</text>' "$WORK/t.svg" | head -n 1)"
run "$BV" -q --svg "$WORK/c.svg" --cell 3 "$FIXTURES/named.page_map"
grep -q 'width="3" height="3"' "$WORK/c.svg" && pass "--cell 3: 3-pixel pages" ||
	fail "--cell" "no 3x3 page"
