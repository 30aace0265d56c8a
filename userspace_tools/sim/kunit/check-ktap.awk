#!/usr/bin/awk -f
# SPDX-License-Identifier: GPL-2.0
#
# Check the KTAP a host KUnit binary printed (kunit/kunit.c) and count its
# cases, for run-host-tests.sh. Every (sub)test block must open with
# "KTAP version 1", carry a plan "1..N" before its first result, and end
# with exactly N results numbered 1..N; a block nested in another ends with
# the result line that names it in its parent (a suite in the run, a
# parameterized case in its suite). A case is a result line that ends no
# block (each parameter of a parameterized case is one, as kunit.py counts).
#
# Prints one line:
#	KTAP ok cases=N passed=N failed=N skipped=N
# or, for each problem found,
#	KTAP error: <line>: <what>
# and exits 0 exactly when there was none. With -v leaves=1 it also prints
# "CASE <ok|fail|skip> <name>" for each case, for the self-test's checks.

function fail(what) {
	printf "KTAP error: %d: %s\n", NR, what
	errors++
}

# Close the block at depth d: its results must match its plan.
function close_block(d) {
	if (plan[d] < 0)
		fail("block \"" name[d] "\" (depth " d ") has no plan")
	else if (results[d] != plan[d])
		fail("block \"" name[d] "\" has " results[d] " results, its plan says " plan[d])
	depth = d - 1
}

BEGIN {
	depth = -1		# the innermost open block
	errors = 0
}

{
	line = $0
	match(line, /^ */)
	indent = RLENGTH
	text = substr(line, indent + 1)
}

text == "KTAP version 1" {
	if (indent % 4)
		fail("KTAP version line indented by " indent)
	d = indent / 4
	if (d != depth + 1)
		fail("a block at depth " d " inside depth " depth)
	depth = d
	plan[d] = -1
	results[d] = 0
	name[d] = d ? "" : "(run)"
	opened++
	next
}

depth >= 0 && indent == 4 * depth && text ~ /^# Subtest: / {
	name[depth] = substr(text, 12)
	next
}

depth >= 0 && text ~ /^1\.\.[0-9]+$/ {
	d = indent / 4
	if (indent % 4 || d != depth)
		fail("plan at the wrong depth")
	else if (plan[d] >= 0)
		fail("a second plan in block \"" name[d] "\"")
	else if (results[d])
		fail("plan after results in block \"" name[d] "\"")
	else
		plan[d] = substr(text, 4) + 0
	next
}

text ~ /^(not )?ok [0-9]+( |$)/ {
	if (indent % 4) {
		fail("result line indented by " indent)
		next
	}
	d = indent / 4
	n = text
	sub(/^(not )?ok /, "", n)
	title = n
	sub(/ .*/, "", n)
	sub(/^[0-9]+ ?/, "", title)
	desc = title
	sub(/ # .*/, "", desc)
	parent = 0
	if (d == depth - 1) {
		# It ends the block nested here, which must be the one it names.
		if (name[depth] != desc)
			fail("result \"" desc "\" ends block \"" name[depth] "\"")
		close_block(depth)
		parent = 1
	}
	if (d != depth) {
		fail("result at depth " d " in a block at depth " depth)
		next
	}
	results[d]++
	if (n + 0 != results[d])
		fail("result numbered " n ", expected " results[d])
	if (plan[d] >= 0 && results[d] > plan[d])
		fail("more results than the plan " plan[d] " of block \"" name[d] "\"")
	if (parent)
		next
	cases++
	if (text ~ /^not ok /) {
		failed++
		kind = "fail"
	} else if (title ~ / # SKIP/) {
		skipped++
		kind = "skip"
	} else {
		passed++
		kind = "ok"
	}
	if (leaves)
		printf "CASE %s %s\n", kind, desc
	next
}

END {
	if (!opened)
		fail("no KTAP output")
	else if (depth != 0)
		fail("output ends inside block \"" name[depth] "\" (depth " depth ")")
	else
		close_block(0)
	if (errors)
		exit 1
	printf "KTAP ok cases=%d passed=%d failed=%d skipped=%d\n",
	       cases, passed, failed, skipped
}
