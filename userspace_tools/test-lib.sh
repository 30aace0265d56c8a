# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the tools' run-tests.sh (sourced; bash): counting,
# running a tool, asserting on its exit status and messages.

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

# build <name> <make variables...>: builds the tool in $HERE into
# $WORK/<name>; a test case. $VERBOSE set: show the build log.
build() {
	local name=$1
	shift
	if make -C "$HERE" O="$WORK/$name" "$@" >"$WORK/build-$name.log" 2>&1; then
		pass "build: $name"
		[ -n "$VERBOSE" ] && cat "$WORK/build-$name.log"
		return 0
	fi
	fail "build: $name" "$(tail -n 5 "$WORK/build-$name.log")"
	return 1
}

# sanitizers_work: gcc can build and run a program with ASan and UBSan here.
sanitizers_work() {
	echo 'int main(void) { return 0; }' >"$WORK/probe.c"
	gcc -fsanitize=address,undefined -o "$WORK/probe" "$WORK/probe.c" 2>/dev/null &&
		"$WORK/probe"
}
