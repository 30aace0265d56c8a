#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# buddyview's tests: builds it (gcc and clang with -Werror, gcc with
# ASan+UBSan, and without libpng) in a scratch directory, runs every group in
# tests/test_*.sh on the fixtures in tests/fixtures/ (files captured from the
# module in QEMU guests with guest-fragment.sh, and hand-made ones), and ends
# with the line "RESULT passed=N failed=N skipped=N". Exits non-zero on any
# failure. The checkout is left untouched.
#
# Usage: run-tests.sh [-v]   (-v: also print the build logs)

set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TESTS=$HERE/tests
FIXTURES=$TESTS/fixtures
VERBOSE=${1:-}
WORK=$(mktemp -d /tmp/buddyview-tests.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# The permission case runs the binary as nobody, who must reach it.
chmod 0755 "$WORK"

. "$TESTS/lib.sh"

build gcc CC=gcc || { echo "RESULT passed=$passed failed=$failed skipped=$skipped"; exit 1; }
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
PNG_OK=
"$BV" --help | grep -q 'PNG picture$' && PNG_OK=1

for group in "$TESTS"/test_*.sh; do
	echo "# $(basename "$group" .sh)"
	. "$group"
done

echo "RESULT passed=$passed failed=$failed skipped=$skipped"
[ "$failed" -eq 0 ]
