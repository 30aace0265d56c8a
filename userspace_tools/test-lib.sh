# SPDX-License-Identifier: GPL-2.0
# Helpers shared by the tools' run-tests.sh (sourced; bash): counting,
# running a tool, asserting on its exit status and messages, and running
# the test groups against the counts declared for them.
#
# A runner sets HERE (the tool's directory) and TESTS (its tests/), sources
# this file (through tests/lib.sh), then:
#   parse_run_args "$@"   -v, --only GROUP, --extra-group FILE COUNT (usage())
#   start_run             makes $WORK; whatever ends the run early is a failure
#   ... builds ...        then check_count "builds" <declared> <counted before>
#   run_groups            every group in $TESTS/groups, checked against its count
#   finish_run            the RESULT line; exit status 1 exactly when it counts
#                         a failure

passed=0 failed=0 skipped=0

pass() {
	echo "ok - $1"
	passed=$((passed + 1))
}

fail() {
	echo "not ok - $1: $2"
	failed=$((failed + 1))
}

# skip <name> <why> [<tests>]: a test not run; a skip that stands for
# several tests says how many, so that the group's count stays the same
# whatever the machine lacks.
skip() {
	local n=${3:-1}
	echo "skip - $1: $2${3:+ ($3 tests)}"
	skipped=$((skipped + n))
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

# === The run: arguments, groups, counts, the RESULT line ===

VERBOSE=
ONLY_GROUPS=()		# --only: declared groups to run (all when empty)
EXTRA_GROUPS=()		# --extra-group: file count file count ...
RUN_DONE=

usage() {
	cat >&2 <<USAGE
usage: ${0##*/} [-v] [--only GROUP]... [--extra-group FILE COUNT]...
  -v                          also print the build logs
  --only GROUP                run only this group of tests/groups (e.g. test_errors.sh)
  --extra-group FILE COUNT    also run the group in FILE, which must run COUNT
                              tests: how the harness self-test plants a broken
                              group (userspace_tools/test-lib-selftest.sh)
USAGE
}

# bad_usage <message>: the reason, the usage, a RESULT that counts it; exit 2.
bad_usage() {
	echo "${0##*/}: $1" >&2
	usage
	RUN_DONE=1
	echo "RESULT passed=0 failed=1 skipped=0"
	exit 2
}

parse_run_args() {
	while [ $# -gt 0 ]; do
		case $1 in
		-v)
			VERBOSE=1
			shift
			;;
		--only)
			[ $# -ge 2 ] || bad_usage "--only needs a group"
			ONLY_GROUPS+=("$2")
			shift 2
			;;
		--extra-group)
			[ $# -ge 3 ] || bad_usage "--extra-group needs a file and a count"
			[ -f "$2" ] || bad_usage "--extra-group: no file '$2'"
			[[ $3 =~ ^[0-9]+$ ]] || bad_usage "--extra-group: '$3' is not a count"
			# Absolute: "." looks a bare name up in $PATH first.
			EXTRA_GROUPS+=("$(cd "$(dirname "$2")" && pwd)/${2##*/}" "$3")
			shift 3
			;;
		*)
			bad_usage "unknown argument '$1'"
			;;
		esac
	done
}

# end_of_run <status>: the EXIT trap. A run that ends before finish_run (a
# shell error, an exit in the runner) still ends with a RESULT line, which
# counts it as a failure.
end_of_run() {
	[ -n "${WORK:-}" ] && rm -rf "$WORK"
	[ -n "$RUN_DONE" ] && return
	echo "not ok - ${0##*/}: ended early (status $1)"
	echo "RESULT passed=$passed failed=$((failed + 1)) skipped=$skipped"
	exit 1
}

# start_run <name>: the scratch directory $WORK, removed at the end.
start_run() {
	trap 'end_of_run $?' EXIT
	WORK=$(mktemp -d "/tmp/$1-tests.XXXXXX") || exit 1
	# The permission cases run the binary as nobody, who must reach it.
	chmod 0755 "$WORK"
}

finish_run() {
	RUN_DONE=1
	echo "RESULT passed=$passed failed=$failed skipped=$skipped"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}

counted() {
	echo $((passed + failed + skipped))
}

# check_count <what> <declared> <counted before>: <what> ran as many tests
# as declared, or the run fails.
check_count() {
	local ran=$(($(counted) - $3))
	[ "$ran" -eq "$2" ] ||
		fail "$1: test count" "ran $ran tests, $2 declared"
}

# run_group <file> <declared count>: one group, sourced in a subshell so that
# an exit or a shell error in it ends only the group. The group fails when
# it does not parse (it is then not run), when it ends early or with a
# non-zero status, or when it runs another number of tests than declared.
run_group() {
	local file=$1 want=$2 name syntax before ran end
	name=${file#"$HERE"/}
	echo "# $name"
	if ! syntax=$(bash -n "$file" 2>&1); then
		fail "group $name" "syntax error, not run: $(echo "$syntax" | head -n 2 | tr '\n' ' ')"
		return
	fi
	before=$(counted)
	rm -f "$WORK/group-counts"
	(
		trap 'echo "$passed $failed $skipped ${group_status:-early}" >"$WORK/group-counts"' EXIT
		group_status=
		. "$file"
		group_status=$?
	)
	if [ ! -s "$WORK/group-counts" ]; then
		fail "group $name" "its shell died without leaving its counts"
		return
	fi
	read -r passed failed skipped end <"$WORK/group-counts"
	ran=$(($(counted) - before))
	case $end in
	0) ;;
	early) fail "group $name" "ended early: an exit or a shell error in it (see above)" ;;
	*) fail "group $name" "ended with status $end (its last command failed)" ;;
	esac
	[ "$ran" -eq "$want" ] ||
		fail "group $name: test count" "ran $ran tests, $want declared"
}

# run_groups: the groups of $TESTS/groups (all, or those given with --only),
# then the --extra-group ones. $TESTS/groups lists every tests/test_*.sh
# with its count of tests, once: a group missing from it, or listed but
# missing, or a malformed line, is a failure.
run_groups() {
	local manifest=$TESTS/groups line name count f i
	local -A declared=()
	local -a order=()

	if [ ! -f "$manifest" ]; then
		fail "tests/groups" "missing: no declared groups"
	else
		while IFS= read -r line || [ -n "$line" ]; do
			line=${line%%#*}
			[ -z "${line//[[:space:]]/}" ] && continue
			if ! [[ $line =~ ^[[:space:]]*(test_[A-Za-z0-9_]+\.sh)[[:space:]]+([0-9]+)[[:space:]]*$ ]]; then
				fail "tests/groups" "malformed line '$line'"
				continue
			fi
			name=${BASH_REMATCH[1]} count=${BASH_REMATCH[2]}
			if [ -n "${declared[$name]+x}" ]; then
				fail "tests/groups" "$name declared twice"
				continue
			fi
			declared[$name]=$count
			order+=("$name")
			[ -f "$TESTS/$name" ] || fail "tests/groups" "declares $name, which does not exist"
		done <"$manifest"
	fi
	for f in "$TESTS"/test_*.sh; do
		[ -e "$f" ] || continue
		[ -n "${declared[${f##*/}]+x}" ] ||
			fail "tests/groups" "${f##*/} is not declared (add it with its count of tests)"
	done
	for name in "${ONLY_GROUPS[@]}"; do
		[ -n "${declared[$name]+x}" ] ||
			fail "--only $name" "not a group of tests/groups"
	done

	for name in "${order[@]}"; do
		[ -f "$TESTS/$name" ] || continue
		if [ ${#ONLY_GROUPS[@]} -gt 0 ] && [[ " ${ONLY_GROUPS[*]} " != *" $name "* ]]; then
			continue
		fi
		run_group "$TESTS/$name" "${declared[$name]}"
	done
	for ((i = 0; i < ${#EXTRA_GROUPS[@]}; i += 2)); do
		run_group "${EXTRA_GROUPS[i]}" "${EXTRA_GROUPS[i + 1]}"
	done
}
