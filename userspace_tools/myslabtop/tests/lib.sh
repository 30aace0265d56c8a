# SPDX-License-Identifier: GPL-2.0
# Helpers for myslabtop's run-tests.sh (sourced; bash), on top of the ones all the
# tools share (pass, fail, skip, run, expect_exit).

. "$(dirname "${BASH_SOURCE[0]}")/../../test-lib.sh"

# expect_usage_error <name> <message> <args...>: exit 1, the message, the usage.
expect_usage_error() {
	local name=$1 text=$2
	shift 2
	run "$MYSLABTOP" "$@"
	if [ "$RC" != 1 ]; then
		fail "$name" "exit $RC, want 1"
	elif [[ $ERR != *"myslabtop: $text"* || $ERR != *"Usage:"* ]]; then
		fail "$name" "stderr lacks 'myslabtop: $text' or the usage: $(echo "$ERR" | head -n 1)"
	else
		pass "$name"
	fi
}

# buddyinfo_of <fixture.myslabinfo>: its captured buddy file, or "-".
buddyinfo_of() {
	local b=${1%.*}.mybuddyinfo
	[ -f "$b" ] && echo "$b" || echo -
}

# json_of <binary> <fixture> <sort key>: the tool's JSON for the fixture and
# its buddy file.
json_of() {
	local b
	b=$(buddyinfo_of "$2")
	if [ "$b" = - ]; then
		"$1" --file "$2" --json -s "$3"
	else
		"$1" --file "$2" --buddyinfo "$b" --json -s "$3"
	fi
}
