# SPDX-License-Identifier: GPL-2.0
# The ASan+UBSan build on every fixture, in both one-shot modes: the same exit
# status as the plain build and not one sanitizer report (leaks included).

sanitized_run() {
	local expected
	"$MYSLABTOP" "$@" >/dev/null 2>&1
	expected=$?
	ASAN_OPTIONS=detect_leaks=1 "$ASAN_MYSLABTOP" "$@" >/dev/null 2>"$WORK/asan.err"
	RC=$?
	if [ "$RC" != "$expected" ] || grep -q 'Sanitizer\|runtime error' "$WORK/asan.err"; then
		echo "$* -> exit $RC (plain build: $expected): $(grep -m1 'Sanitizer\|runtime error' "$WORK/asan.err")"
	fi
}

test_sanitized_fixtures() {
	local f report buddy
	for f in "$FIXTURES"/*.myslabinfo "$FIXTURES"/*.slabinfo; do
		buddy=()
		[ "$(buddyinfo_of "$f")" = - ] || buddy=(--buddyinfo "$(buddyinfo_of "$f")")
		report=$(sanitized_run --file "$f" -o -s u
			 sanitized_run --file "$f" "${buddy[@]}" --json -s n)
		[ -z "$report" ] && pass "asan+ubsan clean: $(basename "$f")" ||
			fail "asan+ubsan: $(basename "$f")" "$report"
	done
	for f in "$FIXTURES"/*.mybuddyinfo; do
		report=$(sanitized_run --file "$FIXTURES/busy.myslabinfo" --buddyinfo "$f" --json)
		[ -z "$report" ] && pass "asan+ubsan clean: $(basename "$f")" ||
			fail "asan+ubsan: $(basename "$f")" "$report"
	done
	report=$(sanitized_run --file "$WORK/no-such-file" -o; sanitized_run -s q -o)
	[ -z "$report" ] && pass "asan+ubsan clean: error paths" ||
		fail "asan+ubsan: error paths" "$report"
}

if [ -n "$ASAN_MYSLABTOP" ]; then
	test_sanitized_fixtures
else
	skip "asan+ubsan runs" "no sanitizer build"
fi
