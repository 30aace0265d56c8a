#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel style and static checks over myslab's C sources: checkpatch.pl
# --strict on every file (one test each) and sparse (make C=2) over both
# modules against the 6.1 debug tree. Last line: RESULT passed=N failed=N skipped=0

set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0 failed=0
tree=$("$VM_DIR/build-kernel.sh" 6.1) || { echo "RESULT passed=0 failed=1 skipped=0"; exit 1; }

cd "$TOP"
for f in kmod/*.[ch] include/myslab/*.h kunit_tests/*.[ch] kunit_tests/torture/*.[ch] \
	 userspace_tools/kbench/*.[ch] userspace_tools/vm/selftest/*.c; do
	[ -e "$f" ] || continue
	out=$(perl "$tree/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES -f "$f" 2>&1)
	if ! echo "$out" | grep -Eq '(ERROR|WARNING|CHECK):'; then
		passed=$((passed + 1))
	else
		echo "[style] FAIL: checkpatch $f"
		echo "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "[style] checkpatch --strict: $passed files clean, $failed with findings"

# C=2 runs sparse over every source file, whether or not it needs compiling.
if out=$("$VM_DIR/build-modules.sh" sparse "$tree" 2>/dev/null) &&
   make -C "$tree" M="$out" C=2 W=1 -j2 modules >"$out/sparse.log" 2>&1 &&
   ! grep -E 'warning:|error:' "$out/sparse.log" >/dev/null; then
	echo "[style] sparse (C=2): clean"
	passed=$((passed + 1))
else
	echo "[style] FAIL: sparse (C=2) findings:"
	grep -E 'warning:|error:' "$TOP/.build/sparse/sparse.log" "$TOP/.build/sparse/build.log" 2>/dev/null |
		sed 's/^/    /' | head -n 40
	failed=$((failed + 1))
fi
echo "RESULT passed=$passed failed=$failed skipped=0"
[ $failed -eq 0 ]
