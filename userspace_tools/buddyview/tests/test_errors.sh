# SPDX-License-Identifier: GPL-2.0
# Files missing (2), unreadable (3), malformed (4), unwritable (5).

expect_exit "missing page map: exit 2, module not loaded?" 2 \
	"module not loaded or debugfs not mounted?" "$BV" "$WORK/no-such/page_map"
expect_exit "missing debugfs dir: exit 2" 2 "$WORK/nothing/page_map: No such file or directory" \
	"$BV" --dir "$WORK/nothing"
expect_exit "default directory, module not loaded here: exit 2" 2 \
	"/sys/kernel/debug/myslab/buddy/page_map" "$BV"

# As root, file modes do not apply: the unreadable case runs as nobody.
cp "$FIXTURES/named.page_map" "$WORK/secret.page_map"
chmod 0400 "$WORK/secret.page_map"
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
		expect_exit "unreadable page map: exit 3, root only" 3 "readable by root only" \
			setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
			"$BV" "$WORK/secret.page_map"
	else
		skip "unreadable page map: exit 3" "needs setpriv and the user nobody"
	fi
else
	expect_exit "unreadable page map: exit 3, root only" 3 "readable by root only" \
		"$BV" "$WORK/secret.page_map"
fi

# malformed <fixture> <message>: exit 4 naming the problem.
malformed() {
	expect_exit "malformed: $1" 4 "$2" "$BV" "$FIXTURES/$1.page_map"
}
malformed bad-empty "empty file"
malformed bad-not-a-map 'not a myslab page map: the first line must start with "myslab page_map v1"'
malformed bad-version "not a myslab page map"
malformed bad-missing-key "line 1: region, pages, max_order, page_size and blocks are all required"
malformed bad-gap "line 8: block at page 18, expected page 17"
malformed bad-misaligned "line 8: order-1 block at page 17 is not aligned"
malformed bad-past-end "line 14: order-2 block at page 30 is not aligned or runs past the end"
malformed bad-state "line 10: unknown state \"used\""
malformed bad-owner-on-free "line 8: only slab blocks have an owner"
malformed bad-truncated "truncated: 12 of 13 blocks"
malformed bad-extra-block "line 15: more blocks than the header's blocks=13"
malformed bad-order "line 6: bad page or order"
malformed bad-pcp-order "line 12: a per-CPU cached block is one page"
malformed bad-number "line 7: bad page or order"
malformed bad-fields "line 11: expected <first page> <order> <state> [<owner>]"

# Made here: a NUL byte, a line longer than any the module writes, binary.
{ head -n 3 "$FIXTURES/named.page_map"; printf '2 1 sl\0ab\n'; } >"$WORK/nul.page_map"
expect_exit "malformed: NUL byte" 4 "line 4: unexpected characters" "$BV" "$WORK/nul.page_map"
{ head -n 1 "$FIXTURES/named.page_map"; printf '0 0 slab %0300d\n' 0; } >"$WORK/long.page_map"
expect_exit "malformed: overlong line" 4 "line 2 is too long" "$BV" "$WORK/long.page_map"
head -c 2048 /dev/urandom >"$WORK/random.page_map"
expect_exit "malformed: random bytes" 4 "" "$BV" "$WORK/random.page_map"
sed 's/ /\t/' "$FIXTURES/named.page_map" >"$WORK/tab.page_map"
expect_exit "malformed: tab" 4 "unexpected characters" "$BV" "$WORK/tab.page_map"

expect_exit "unwritable picture: exit 5" 5 "$WORK/no-such/out.svg" \
	"$BV" -q --svg "$WORK/no-such/out.svg" "$FIXTURES/named.page_map"
if [ -w /dev/full ]; then
	expect_exit "full standard output: exit 5" 5 "write error" \
		sh -c "'$BV' '$FIXTURES/stock-64m/after/page_map' >/dev/full"
fi
