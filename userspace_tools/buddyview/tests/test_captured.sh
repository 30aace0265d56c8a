# SPDX-License-Identifier: GPL-2.0
# Files captured from the module in QEMU guests (guest-fragment.sh): what
# buddyview computes from page_map agrees with the module's own free_blocks,
# extfrag_unusable, extfrag_index and stats captured at the same moment.

# stat_of <dir> <name>: a value of a captured stats file.
stat_of() {
	awk -v k="$2" '$1 == k { print $2 }' "$1/stats"
}

for dir in "$FIXTURES"/stock-64m/before "$FIXTURES"/stock-64m/after \
	   "$FIXTURES"/stock-16m/before "$FIXTURES"/stock-16m/after \
	   "$FIXTURES"/stock-16m-named/after "$FIXTURES"/debug61-poison/after; do
	name=${dir#"$FIXTURES"/}
	# Silent: the cross-check with free_blocks and both extfrag files passed.
	expect_ok "$name: table, no disagreement with the module's files" "$BV" --table --dir "$dir"
	table=$OUT
	# Per-order rows equal free_blocks; indices equal the extfrag lines.
	rows=$(echo "$table" | awk '/^ *[0-9]+ +[0-9]+ +[0-9]+ +-?[0-9]\.[0-9]+ +-?[0-9]\.[0-9]+$/ { print $1, $2, $3 }')
	if [ "$rows" == "$(grep -v '^#' "$dir/free_blocks")" ]; then
		pass "$name: free blocks per order as free_blocks says"
	else
		fail "$name: free blocks per order" "$(diff <(echo "$rows") <(grep -v '^#' "$dir/free_blocks") | head -n 4 | tr '\n' '|')"
	fi
	unusable=$(echo "$table" | awk '/^ *[0-9]+ +[0-9]+ +[0-9]+ +-?[0-9]\./ { printf "%s ", $4 }')
	index=$(echo "$table" | awk '/^ *[0-9]+ +[0-9]+ +[0-9]+ +-?[0-9]\./ { printf "%s ", $5 }')
	# "Node 0, zone   myslab v0 v1 ...": the values are fields 5 on.
	values='{ for (i = 5; i <= NF; i++) printf "%s ", $i }'
	if [ "$unusable" == "$(awk "$values" "$dir/extfrag_unusable")" ] &&
	   [ "$index" == "$(awk "$values" "$dir/extfrag_index")" ]; then
		pass "$name: indices as extfrag_unusable and extfrag_index say"
	else
		fail "$name: indices" "table '$unusable' / '$index'"
	fi
	# Pages per state as the stats file counts them.
	pages=$(echo "$table" | sed -n 's/^pages: \([0-9]*\) free.* \([0-9]*\) per-CPU.* \([0-9]*\) allocated.* \([0-9]*\) slab.*/\1 \2 \3 \4/p')
	read -r free pcp alloc slab <<<"$pages"
	if [ "$free" = "$(stat_of "$dir" free_pages)" ] && [ "$pcp" = "$(stat_of "$dir" pcp_pages)" ] &&
	   [ $((alloc + slab)) = "$(stat_of "$dir" alloc_pages)" ]; then
		pass "$name: pages per state as stats says"
	else
		fail "$name: pages per state" "map: $pages; stats: free $(stat_of "$dir" free_pages) pcp $(stat_of "$dir" pcp_pages) alloc $(stat_of "$dir" alloc_pages)"
	fi
done

# The fragmented 16 MiB region: no order-10 block left, index towards 1.
run "$BV" --table --dir "$FIXTURES/stock-16m/after"
if echo "$OUT" | grep -Eq '^ +10 +0 +0 +1\.000 +0\.976$'; then
	pass "stock-16m after: order 10 unusable 1.000, fragmentation 0.976"
else
	fail "stock-16m after: order 10" "$(echo "$OUT" | grep -E '^ +10 ')"
fi

# With the slab layer's namer registered, slabs carry their cache's name.
run "$BV" --render --color=never --dir "$FIXTURES/stock-16m-named/after"
if [[ $OUT == *"A task_struct"* && $OUT == *"B kmalloc-256"* ]] &&
   echo "$OUT" | grep -qE '^ +[0-9]+ .*A'; then
	pass "stock-16m-named: cache names in the map and its legend"
else
	fail "stock-16m-named: cache names" "$(echo "$OUT" | tail -n 3 | tr '\n' '|')"
fi

# A file changed after the capture is noticed, without failing the run.
cp -r "$FIXTURES/stock-16m/after" "$WORK/tampered"
sed -i 's/ 0.976 / 0.975 /' "$WORK/tampered/extfrag_index"
expect_exit "tampered extfrag_index: a warning, exit 0" 0 \
	"warning: $WORK/tampered/extfrag_index differs from what page_map gives" \
	"$BV" -t --dir "$WORK/tampered"
sed -i 's/^3 37 296$/3 36 288/' "$WORK/tampered/free_blocks"
expect_exit "tampered free_blocks: a warning, exit 0" 0 \
	"warning: $WORK/tampered/free_blocks differs" "$BV" -t --dir "$WORK/tampered"
expect_ok "--no-check: no comparison" "$BV" -t --no-check --dir "$WORK/tampered"

# A page map given by name checks the files beside it; from stdin, none.
expect_ok "page map by path: checked against its neighbours" \
	"$BV" -t "$FIXTURES/stock-64m/after/page_map"
run "$BV" -t - <"$FIXTURES/stock-64m/after/page_map"
OUT=$("$BV" -t - <"$FIXTURES/stock-64m/after/page_map" 2>"$WORK/stderr")
RC=$?
if [ "$RC" = 0 ] && [[ $OUT == *"region myslab: 16384 pages"* ]] && [ ! -s "$WORK/stderr" ]; then
	pass "page map from standard input"
else
	fail "page map from standard input" "exit $RC"
fi

if [ -n "${ASAN_BV:-}" ]; then
	for dir in "$FIXTURES"/*/after "$FIXTURES"/*/before; do
		[ -d "$dir" ] || continue
		run "$ASAN_BV" --dir "$dir" --color=always --svg "$WORK/a.svg" \
			${PNG_OK:+--png "$WORK/a.png"}
		if [ "$RC" = 0 ] && [ -z "$ERR" ]; then
			pass "asan: ${dir#"$FIXTURES"/}"
		else
			fail "asan: ${dir#"$FIXTURES"/}" "exit $RC: $(echo "$ERR" | head -n 3)"
		fi
	done
	for f in "$FIXTURES"/bad-*.page_map; do
		run "$ASAN_BV" "$f"
		[ "$RC" = 4 ] || [ "$RC" = 3 ] && pass "asan: refuses $(basename "$f")" ||
			fail "asan: $(basename "$f")" "exit $RC: $(echo "$ERR" | head -n 3)"
	done
fi
