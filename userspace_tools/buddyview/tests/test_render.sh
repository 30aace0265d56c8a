# SPDX-License-Identifier: GPL-2.0
# The terminal rendering.

run "$BV" --render -w 16 -g 1 --color=never "$FIXTURES/named.page_map"
expect_same "render: one character per page, legend with cache letters" \
	"$FIXTURES/named.render" "$OUT"

run "$BV" --render -w 64 --color=never "$FIXTURES/stock-64m/after/page_map"
rows=$(echo "$OUT" | grep -cE '^ +[0-9]+ ')
if [[ $OUT == *"16384 pages, 8 pages per character, 64 per row"* ]] && [ "$rows" = 32 ]; then
	pass "render: 16384 pages fit 32 rows of 64 at 8 pages per character"
else
	fail "render: automatic group" "$rows rows: $(echo "$OUT" | head -n 1)"
fi
# Rows start at the page numbers their first character stands for.
if echo "$OUT" | grep -qE '^ +512 ' && echo "$OUT" | grep -qE '^ +15872 '; then
	pass "render: rows numbered by first page"
else
	fail "render: row numbers" "$(echo "$OUT" | sed -n 2,3p)"
fi

run "$BV" --render -w 16 -g 1 --color=always "$FIXTURES/named.page_map"
if [[ $OUT == *$'\033[48;5;'* && $OUT == *$'\033[0m'* ]]; then
	pass "render: --color=always uses 256-colour backgrounds"
else
	fail "render: --color=always" "no escape sequences"
fi
run "$BV" --render --color=auto "$FIXTURES/named.page_map"
[[ $OUT != *$'\033'* ]] && pass "render: --color=auto off when not a terminal" ||
	fail "render: --color=auto" "escape sequences in a pipe"
run "$BV" "$FIXTURES/named.page_map"
if [[ $OUT == *"order free blocks"* && $OUT == *"page map of region demo"* ]]; then
	pass "default output: table and map"
else
	fail "default output" "$(echo "$OUT" | head -n 2)"
fi
