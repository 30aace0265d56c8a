# SPDX-License-Identifier: GPL-2.0
# demo-pictures.sh: from two page maps, and from a captured console log.

DEMO=$HERE/demo-pictures.sh
run env BUDDYVIEW="$BV" "$DEMO" "$FIXTURES/stock-16m/before/page_map" \
	"$FIXTURES/stock-16m/after/page_map" "$WORK/demo1"
want="before.svg after.svg${PNG_OK:+ before.png after.png}"
missing=
for f in $want; do [ -s "$WORK/demo1/$f" ] || missing+=" $f"; done
if [ "$RC" = 0 ] && [ -z "$missing" ] && [[ $OUT == *"=== after the fragmenting workload ==="* ]]; then
	pass "demo-pictures: two page maps, before and after pictures"
else
	fail "demo-pictures: two page maps" "exit $RC, missing:$missing; $(echo "$ERR" | head -n 2)"
fi

run env BUDDYVIEW="$BV" "$DEMO" --log "$FIXTURES/console-16m.log" "$WORK/demo2"
if [ "$RC" = 0 ] && cmp -s "$WORK/demo2/after/page_map" "$FIXTURES/stock-16m/after/page_map" &&
   cmp -s "$WORK/demo2/before/extfrag_index" "$FIXTURES/stock-16m/before/extfrag_index" &&
   [ -s "$WORK/demo2/after.svg" ]; then
	pass "demo-pictures --log: captures extracted intact, pictures drawn"
else
	fail "demo-pictures --log" "exit $RC: $(echo "$ERR" | head -n 2)"
fi

grep -v 'after page_map' "$FIXTURES/console-16m.log" >"$WORK/nocapture.log"
expect_exit "demo-pictures --log without the after capture: exit 2" 2 \
	"no 'after page_map' capture" env BUDDYVIEW="$BV" "$DEMO" --log "$WORK/nocapture.log" "$WORK/demo3"
awk '/^MYSLAB-CAPTURE: after page_map: / && ++n == 100 { next } { print }' \
	"$FIXTURES/console-16m.log" >"$WORK/short.log"
expect_exit "demo-pictures --log with a lost line: exit 2" 2 "the guest sent 582" \
	env BUDDYVIEW="$BV" "$DEMO" --log "$WORK/short.log" "$WORK/demo4"
expect_exit "demo-pictures: bad usage" 1 "" "$DEMO" only-one-file
