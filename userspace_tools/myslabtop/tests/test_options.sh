# SPDX-License-Identifier: GPL-2.0
# The command line: --help, --version, and every kind of bad usage (exit 1
# with the reason and the usage on stderr).

test_help() {
	local key missing=
	run "$MYSLABTOP" --help
	for key in a b c l v n o p s u; do
		grep -q "^ $key: sort by " <<<"$OUT" || missing+=" $key"
	done
	if [ "$RC" != 0 ] || [ -n "$ERR" ]; then
		fail "--help" "exit $RC, stderr '$ERR'"
	elif [ -n "$missing" ] || ! grep -q -- '--json' <<<"$OUT" ||
	     ! grep -q '^ 3  a file is not readable' <<<"$OUT"; then
		fail "--help" "missing sort keys [$missing], --json or the exit statuses"
	else
		pass "--help lists options, every sort key and the exit statuses"
	fi
}

test_version() {
	local want
	want=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$HERE/../dkms/dkms.conf")
	run "$MYSLABTOP" --version
	if [ "$RC" = 0 ] && [ "$OUT" = "myslabtop $want" ]; then
		pass "--version prints the package version ($want)"
	else
		fail "--version" "exit $RC, printed '$OUT', want 'myslabtop $want'"
	fi
}

test_help
test_version
expect_usage_error "unknown short option" "invalid option -- 'x'" -x
expect_usage_error "unknown long option" "unrecognized option '--bogus'" --bogus
expect_usage_error "missing option argument" "option '--delay' requires an argument" --delay
expect_usage_error "unknown sort key" "unknown sort key 'z'" -s z
expect_usage_error "sort key of two letters" "unknown sort key 'ab'" -s ab
expect_usage_error "zero delay" "illegal delay '0'" -d 0
expect_usage_error "negative delay" "illegal delay '-1'" -d -1
expect_usage_error "delay not a number" "illegal delay 'abc'" -d abc
expect_usage_error "delay with garbage" "illegal delay '2s'" -d 2s
expect_usage_error "-d with -o (as slabtop)" "cannot combine -d and -o options" -o -d 1
expect_usage_error "-d with --json" "cannot combine -d and --json" --json -d 1
expect_usage_error "stray argument" "unexpected argument 'extra'" -o extra
