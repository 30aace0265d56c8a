# SPDX-License-Identifier: GPL-2.0
# Errors scripts can tell apart: 2 missing, 3 not readable, 4 malformed,
# 5 anything else; each with a message naming the file.

GOOD=$FIXTURES/fragmented.myslabinfo

test_missing() {
	local path=$WORK/no-such-dir/myslabinfo
	expect_exit "missing --file: exit 2" 2 \
		"myslabtop: myslab not loaded? ($path: No such file or directory)" \
		"$MYSLABTOP" -o --file "$path"
	expect_exit "missing --buddyinfo: exit 2" 2 \
		"myslab not loaded? ($WORK/nobuddy: No such file or directory)" \
		"$MYSLABTOP" --json --file "$GOOD" --buddyinfo "$WORK/nobuddy"
	if [ -e /proc/myslabinfo ]; then
		skip "default /proc/myslabinfo missing: exit 2" "myslab is loaded here"
	else
		expect_exit "default /proc/myslabinfo missing: exit 2" 2 \
			"myslabtop: myslab not loaded? (/proc/myslabinfo: No such file or directory)" \
			"$MYSLABTOP" -o
	fi
}

# As root, file modes do not apply: the unreadable case runs as nobody.
test_permission() {
	local secret=$WORK/secret.myslabinfo as_user=()
	cp "$GOOD" "$secret"
	chmod 0600 "$secret"
	if [ "$(id -u)" = 0 ]; then
		if ! command -v setpriv >/dev/null || ! id nobody >/dev/null 2>&1; then
			skip "unreadable file: exit 3" "needs setpriv and the user nobody"
			return
		fi
		as_user=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
	else
		chmod 0000 "$secret"
	fi
	expect_exit "unreadable --file: exit 3 (need root)" 3 \
		"myslabtop: need root ($secret: Permission denied)" \
		"${as_user[@]}" "$MYSLABTOP" -o --file "$secret"
	expect_exit "unreadable --buddyinfo: exit 3" 3 "need root ($secret: Permission denied)" \
		"${as_user[@]}" "$MYSLABTOP" --json --file "$GOOD" --buddyinfo "$secret"
}

# Every bad-* fixture: exit 4 and a message naming the file.
test_malformed_fixtures() {
	local f
	for f in "$FIXTURES"/bad-*.myslabinfo; do
		expect_exit "malformed $(basename "$f"): exit 4" 4 "myslabtop: $f" \
			"$MYSLABTOP" -o --file "$f"
	done
	for f in "$FIXTURES"/bad-*.mybuddyinfo; do
		expect_exit "malformed $(basename "$f"): exit 4" 4 "myslabtop: $f:1: not a buddyinfo line" \
			"$MYSLABTOP" --json --file "$GOOD" --buddyinfo "$f"
	done
}

test_messages() {
	expect_exit "empty file names the header it wanted" 4 \
		"$FIXTURES/bad-empty.myslabinfo: empty; expected \"slabinfo - version: 2.1\"" \
		"$MYSLABTOP" -o --file "$FIXTURES/bad-empty.myslabinfo"
	expect_exit "wrong version is quoted" 4 \
		"bad-version-2.0.myslabinfo:1: expected \"slabinfo - version: 2.1\", found \"slabinfo - version: 2.0\"" \
		"$MYSLABTOP" -o --file "$FIXTURES/bad-version-2.0.myslabinfo"
	expect_exit "bad row gives its line number" 4 \
		"bad-letter-in-number.myslabinfo:4: not a slabinfo 2.1 row" \
		"$MYSLABTOP" -o --file "$FIXTURES/bad-letter-in-number.myslabinfo"
}

test_generated_inputs() {
	{ head -n 3 "$GOOD"; printf 'kmalloc-8\0 0 0 8 489 1 : tunables 120 60 0 : slabdata 0 0 0\n'; } \
		>"$WORK/nul.myslabinfo"
	expect_exit "NUL byte: exit 4" 4 "holds a NUL byte" \
		"$MYSLABTOP" -o --file "$WORK/nul.myslabinfo"
	{ head -n 2 "$GOOD"; printf 'x%.0s' $(seq 3000); echo; } >"$WORK/long.myslabinfo"
	expect_exit "line over 2047 bytes: exit 4" 4 "long.myslabinfo:3: line of 2048 bytes or more" \
		"$MYSLABTOP" -o --file "$WORK/long.myslabinfo"
	expect_exit "a directory: exit 5" 5 "$WORK: Is a directory" \
		"$MYSLABTOP" -o --file "$WORK"
	expect_exit "header-only file: exit 0, no caches" 0 "" \
		"$MYSLABTOP" -o --file "$FIXTURES/header-only.myslabinfo"
}

test_write_error() {
	if [ ! -w /dev/full ]; then
		skip "write error: exit 5" "no /dev/full"
		return
	fi
	OUT= RC=0
	"$MYSLABTOP" -o --file "$GOOD" >/dev/full 2>"$WORK/stderr" || RC=$?
	ERR=$(cat "$WORK/stderr")
	if [ "$RC" = 5 ] && [[ $ERR == *"write error on standard output"* ]]; then
		pass "full disk on stdout: exit 5"
	else
		fail "full disk on stdout: exit 5" "exit $RC, stderr '$ERR'"
	fi
}

test_missing
test_permission
test_malformed_fixtures
test_messages
test_generated_inputs
test_write_error
