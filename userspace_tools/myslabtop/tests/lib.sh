# SPDX-License-Identifier: GPL-2.0
# Helpers for run-tests.sh (sourced; bash): counting, running the tool,
# asserting on its exit status and messages.

passed=0 failed=0 skipped=0

pass() {
	echo "ok - $1"
	passed=$((passed + 1))
}

fail() {
	echo "not ok - $1: $2"
	failed=$((failed + 1))
}

skip() {
	echo "skip - $1: $2"
	skipped=$((skipped + 1))
}

# run <command...>: runs it with no input; sets OUT, ERR and RC.
run() {
	OUT=$("$@" </dev/null 2>"$WORK/stderr")
	RC=$?
	ERR=$(cat "$WORK/stderr")
}

# expect_exit <name> <status> <stderr text|""> <command...>: the command must
# exit with <status> and, unless the text is empty, say it on stderr.
expect_exit() {
	local name=$1 status=$2 text=$3
	shift 3
	run "$@"
	if [ "$RC" != "$status" ]; then
		fail "$name" "exit $RC, want $status; stderr: $(echo "$ERR" | head -n 2)"
	elif [ -n "$text" ] && [[ $ERR != *"$text"* ]]; then
		fail "$name" "stderr lacks '$text': $(echo "$ERR" | head -n 2)"
	else
		pass "$name"
	fi
}

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
