#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# buddyview's tests: builds it (gcc and clang with -Werror, gcc with
# ASan+UBSan, and without libpng) in a scratch directory, runs every group
# of tests declared in tests/groups (tests/test_*.sh, each with its count of
# tests) on the fixtures in tests/fixtures/ (files captured from the module
# in QEMU guests with guest-fragment.sh, and hand-made ones), and ends with
# the line "RESULT passed=N failed=N skipped=N". A group that does not
# parse, ends early or runs another number of tests than declared is a
# failure. Exits non-zero exactly when that line counts a failure. The
# checkout is left untouched.
#
# Usage: run-tests.sh [-v] [--only GROUP]... [--extra-group FILE COUNT]...
#   -v: also print the build logs; --only: run only these groups;
#   --extra-group: also run the group in FILE, which must run COUNT tests
#   (how ../test-lib-selftest.sh plants broken groups).

set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TESTS=$HERE/tests
FIXTURES=$TESTS/fixtures

. "$TESTS/lib.sh"
parse_run_args "$@"
start_run buddyview

# The builds: four tests (a missing compiler or sanitizer is one skip).
before=$(counted)
build gcc CC=gcc || finish_run
BV=$WORK/gcc/buddyview
if command -v clang >/dev/null; then
	build clang CC=clang
else
	skip "build: clang" "clang not installed"
fi
build nopng CC=gcc PNG=0 && NOPNG_BV=$WORK/nopng/buddyview
ASAN_BV=
if sanitizers_work; then
	build asan CC=gcc SANITIZE=1 && ASAN_BV=$WORK/asan/buddyview
else
	skip "build: asan" "gcc cannot build or run -fsanitize=address,undefined here"
fi
check_count builds 4 "$before"
PNG_OK=
"$BV" --help | grep 'PNG picture$' >/dev/null && PNG_OK=1

run_groups
finish_run
