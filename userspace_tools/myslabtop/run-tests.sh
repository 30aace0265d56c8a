#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# myslabtop's tests: builds it (gcc and clang with -Werror, and gcc with
# ASan+UBSan) in a scratch directory, runs every case in tests/test_*.sh on
# the fixtures in tests/fixtures/ (files captured from the module in a QEMU
# guest, and hand-made malformed ones), and ends with the line
# "RESULT passed=N failed=N skipped=N". Exits non-zero on any failure.
# The checkout is left untouched.
#
# Usage: run-tests.sh [-v]   (-v: also print the build commands)

set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
TESTS=$HERE/tests
FIXTURES=$TESTS/fixtures
VERBOSE=${1:-}
WORK=$(mktemp -d /tmp/myslabtop-tests.XXXXXX)
export PYTHONDONTWRITEBYTECODE=1	# no __pycache__ in the checkout
trap 'rm -rf "$WORK"' EXIT
# The permission cases run the binary as nobody, who must reach it.
chmod 0755 "$WORK"

. "$TESTS/lib.sh"

build gcc CC=gcc || { echo "RESULT passed=$passed failed=$failed skipped=$skipped"; exit 1; }
MYSLABTOP=$WORK/gcc/myslabtop
if command -v clang >/dev/null; then
	build clang CC=clang
else
	skip "build: clang" "clang not installed"
fi
ASAN_MYSLABTOP=
if sanitizers_work; then
	build asan CC=gcc SANITIZE=1 && ASAN_MYSLABTOP=$WORK/asan/myslabtop
else
	skip "build: asan" "gcc cannot build or run -fsanitize=address,undefined here"
fi

for group in "$TESTS"/test_*.sh; do
	echo "# $(basename "$group" .sh)"
	. "$group"
done

echo "RESULT passed=$passed failed=$failed skipped=$skipped"
[ "$failed" -eq 0 ]
