# SPDX-License-Identifier: GPL-2.0
# What myslabtop prints, checked three ways: against reference.py's model of
# each fixture (every sort key), against procps' own slabtop reading the same
# file, and against answers worked out by hand.

SORT_KEYS="a b c l v n o p s u"

valid_fixtures() {
	ls "$FIXTURES"/*.myslabinfo "$FIXTURES"/*.slabinfo | grep -v '/bad-'
}

# One test per fixture: -o with every sort key matches the model.
test_text_matches_model() {
	local f key bad
	for f in $(valid_fixtures); do
		bad=
		for key in $SORT_KEYS; do
			"$MYSLABTOP" --file "$f" -o -s "$key" >"$WORK/out" 2>&1 &&
				python3 "$TESTS/check_text.py" "$f" "$key" <"$WORK/out" >"$WORK/diff" ||
				bad+=" -s $key: $(head -n 2 "$WORK/diff" | tr '\n' ' ')"
		done
		[ -z "$bad" ] && pass "-o text, all sort keys: $(basename "$f")" ||
			fail "-o text: $(basename "$f")" "$bad"
	done
}

# One test per fixture: --json with every sort key matches the model.
test_json_matches_model() {
	local f key bad
	for f in $(valid_fixtures); do
		bad=
		for key in $SORT_KEYS; do
			json_of "$MYSLABTOP" "$f" "$key" >"$WORK/out" 2>&1 &&
				python3 "$TESTS/check_json.py" "$f" "$(buddyinfo_of "$f")" "$key" \
					<"$WORK/out" >"$WORK/diff" 2>&1 ||
				bad+=" -s $key: $(head -n 2 "$WORK/diff" | tr '\n' ' ')"
		done
		[ -z "$bad" ] && pass "--json, all sort keys: $(basename "$f")" ||
			fail "--json: $(basename "$f")" "$bad"
	done
}

# procps' slabtop reads only /proc/slabinfo: show it the fixture there, in a
# private mount namespace. slabtop prints "-nan%" for 0 of 0 where myslabtop
# prints "0.0%"; that is the one difference allowed.
slabtop_on() {
	LC_ALL=C unshare -m sh -c 'mount --bind "$1" /proc/slabinfo && exec slabtop -o -s "$2"' \
		sh "$1" "$2" | sed 's/(-nan%)/(0.0%)/'
}

test_same_as_slabtop() {
	local f key bad
	if ! command -v slabtop >/dev/null || ! slabtop_on "$FIXTURES/busy.myslabinfo" o >/dev/null 2>&1; then
		skip "same output as procps slabtop" "needs slabtop, root and unshare -m"
		return
	fi
	for f in $(valid_fixtures); do
		[ "$(grep -vc '^#\|^slabinfo' "$f")" -gt 0 ] || continue	# slabtop: min size INT_MAX
		bad=
		for key in $SORT_KEYS; do
			slabtop_on "$f" "$key" >"$WORK/slabtop.out" 2>&1
			"$MYSLABTOP" --file "$f" -o -s "$key" >"$WORK/out" 2>&1
			cmp -s "$WORK/slabtop.out" "$WORK/out" ||
				bad+=" -s $key: $(diff "$WORK/slabtop.out" "$WORK/out" | sed -n 2,3p | tr '\n' ' ')"
		done
		[ -z "$bad" ] && pass "byte for byte as slabtop -o, all sort keys: $(basename "$f")" ||
			fail "as slabtop: $(basename "$f")" "$bad"
	done
}

# json_value <python expression on doc>: evaluated on $WORK/out.
json_value() {
	python3 -c "import json, sys; doc = json.load(open(sys.argv[1])); print($1)" "$WORK/out"
}

expect_json() {
	local name=$1 expr=$2 want=$3 got
	got=$(json_value "$expr" 2>&1)
	[ "$got" = "$want" ] && pass "$name" || fail "$name" "$expr = $got, want $want"
}

# Answers worked out by hand from the kernel's formulas (mm/vmstat.c).
test_known_answers() {
	# At load: 16 free blocks of order 10 and nothing else. Every order is
	# served by an order-10 block: nothing unusable, no fragmentation (-1).
	json_of "$MYSLABTOP" "$FIXTURES/load.myslabinfo" o >"$WORK/out"
	expect_json "at load: 16384 pages free" 'doc["buddyinfo"][0]["free_pages"]' 16384
	expect_json "at load: unusable index 0 for every order" \
		'set(doc["buddyinfo"][0]["unusable_free_space_index"])' '{0.0}'
	expect_json "at load: fragmentation index -1 for every order" \
		'set(doc["buddyinfo"][0]["fragmentation_index"])' '{-1.0}'
	# Region full, one page free. Order 0: suitable, -1. Order j >= 1:
	# unusable (1 - 0) / 1 = 1; fragmentation 1000 - (1000 + 1000 / 2^j) / 1
	# = -1000 / 2^j: -500, -250, ... which the kernel itself prints as
	# "0.-500"; myslabtop says -0.5.
	json_of "$MYSLABTOP" "$FIXTURES/full.myslabinfo" o >"$WORK/out"
	expect_json "one page free: unusable index per order" \
		'doc["buddyinfo"][0]["unusable_free_space_index"][:3]' '[0.0, 1.0, 1.0]'
	expect_json "one page free: fragmentation index -1000/2^order" \
		'doc["buddyinfo"][0]["fragmentation_index"][:4]' '[-1.0, -0.5, -0.25, -0.125]'
	# Holes: free blocks 2 329 163 165 162 0 ... -> 5224 pages in 821 blocks.
	# Order 5 (32 pages): none suitable; 1000 - (1000 + 5224000 / 32) / 821
	# = 1000 - 164250 / 821 = 1000 - 200 = 800.
	json_of "$MYSLABTOP" "$FIXTURES/holes.myslabinfo" o >"$WORK/out"
	expect_json "holes: 5224 free pages in 821 blocks" \
		'(doc["buddyinfo"][0]["free_pages"], doc["buddyinfo"][0]["free_blocks_total"])' '(5224, 821)'
	expect_json "holes: fragmentation index 0.8 at order 5" \
		'doc["buddyinfo"][0]["fragmentation_index"][5]' 0.8
	# Summary of the fragmented capture: 20000 of 20331 objects active.
	json_of "$MYSLABTOP" "$FIXTURES/fragmented.myslabinfo" o >"$WORK/out"
	expect_json "fragmented: objects active/total" \
		'(doc["summary"]["active_objs"], doc["summary"]["num_objs"])' '(20000, 20331)'
	expect_json "fragmented: the largest cache first" 'doc["caches"][0]["name"]' kmalloc-32
}

test_buddyinfo_choice() {
	"$MYSLABTOP" --file "$FIXTURES/busy.myslabinfo" --json >"$WORK/out"
	expect_json "--file alone: no buddy file read" \
		'(doc["buddyinfo"], doc["buddyinfo_path"])' '(None, None)'
	"$MYSLABTOP" --file "$FIXTURES/busy.myslabinfo" --buddyinfo "$FIXTURES/empty.mybuddyinfo" \
		--json >"$WORK/out"
	expect_json "empty buddy file: no zones" 'doc["buddyinfo"]' '[]'
	"$MYSLABTOP" --file "$FIXTURES/busy.myslabinfo" --buddyinfo "$FIXTURES/two-zones.mybuddyinfo" \
		--json >"$WORK/out"
	expect_json "two zones: both, with their own orders" \
		'[(z["node"], z["zone"], len(z["free_blocks"])) for z in doc["buddyinfo"]]' \
		"[(0, 'myslab', 11), (1, 'second', 4)]"
	python3 "$TESTS/check_json.py" "$FIXTURES/busy.myslabinfo" "$FIXTURES/two-zones.mybuddyinfo" o \
		<"$WORK/out" >"$WORK/diff" && pass "two zones: indices match the model" ||
		fail "two zones: indices match the model" "$(head -n 3 "$WORK/diff")"
}

test_text_matches_model
test_json_matches_model
test_same_as_slabtop
test_known_answers
test_buddyinfo_choice
