# SPDX-License-Identifier: GPL-2.0
# Helpers for buddyview's run-tests.sh (sourced; bash), on top of the ones all the
# tools share (pass, fail, skip, run, expect_exit).

. "$(dirname "${BASH_SOURCE[0]}")/../../test-lib.sh"

# expect_ok <name> <command...>: exit 0 and nothing on stderr.
expect_ok() {
	local name=$1
	shift
	run "$@"
	if [ "$RC" != 0 ]; then
		fail "$name" "exit $RC; stderr: $(echo "$ERR" | head -n 2)"
	elif [ -n "$ERR" ]; then
		fail "$name" "unexpected stderr: $(echo "$ERR" | head -n 2)"
	else
		pass "$name"
	fi
}

# expect_same <name> <expected file> <actual text>
expect_same() {
	if [ "$3" == "$(cat "$2")" ]; then
		pass "$1"
	else
		fail "$1" "output differs from $2: $(diff <(echo "$3") "$2" | head -n 6 | tr '\n' '|')"
	fi
}
