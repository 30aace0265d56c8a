#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel style and static checks over myslab's C sources: checkpatch.pl
# --strict on every file (one test each) and sparse (make C=2) over the
# modules against the 6.1 debug tree. Each tool first proves on a planted
# file that it runs and finds something, so a tool that cannot run can never
# count every file clean. Last line: RESULT passed=N failed=N skipped=0

set -uo pipefail
. "$(dirname "$0")/lib.sh"

passed=0 failed=0
finish() {
	echo "RESULT passed=$passed failed=$failed skipped=0"
	[ $failed -eq 0 ]
	exit
}
bad() {
	echo "[style] FAIL: $1"
	failed=$((failed + 1))
}

tree=$("$VM_DIR/build-kernel.sh" 6.1) || { bad "no 6.1 debug tree for checkpatch and sparse"; finish; }
checkpatch=$tree/scripts/checkpatch.pl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# checkpatch <file>: its findings on stdout; exit status 0 only when clean.
checkpatch() {
	perl "$checkpatch" --no-tree --strict --terse --show-types \
		--ignore FILE_PATH_CHANGES -f "$1" 2>&1
}

# The positive control: a file with a known finding must be flagged.
printf '// SPDX-License-Identifier: GPL-2.0\nint planted_style_error(void) {\n\treturn 0;\n}\n' \
	>"$work/planted.c"
if out=$(checkpatch "$work/planted.c"); then
	bad "checkpatch passed a planted style error (is it runnable?): $out"
	finish
elif ! grep -q 'OPEN_BRACE' <<<"$out"; then
	bad "checkpatch failed on the planted file without finding its error: $out"
	finish
fi

cd "$TOP"
files=0
for f in $(find kmod -name '*.[ch]' | sort) include/myslab/*.h kunit_tests/*.[ch] \
	 userspace_tools/vm/selftest/*.c; do
	[ -e "$f" ] || continue
	files=$((files + 1))
	if out=$(checkpatch "$f"); then
		passed=$((passed + 1))
	else
		echo "[style] FAIL: checkpatch $f"
		echo "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "[style] checkpatch --strict: $passed of $files files clean (and the planted error caught)"

# sparse: the positive control first, then every module. C=2 runs sparse
# over every source file, whether or not it needs compiling; each must show.
mkdir -p "$work/sparse"
printf 'obj-m := planted.o\n' >"$work/sparse/Kbuild"
printf '// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\nint planted_global;\nMODULE_LICENSE("GPL");\n' \
	>"$work/sparse/planted.c"
make -C "$tree" M="$work/sparse" C=2 -j2 modules >"$work/sparse/log" 2>&1
if ! grep -q "symbol 'planted_global' was not declared" "$work/sparse/log"; then
	bad "sparse did not flag a planted undeclared global (is sparse installed?):"
	sed 's/^/    /' "$work/sparse/log" | tail -n 5
	finish
fi
expect_checked=$( (find kmod -name '*.c'; ls kunit_tests/*.c) | wc -l)
if ! out=$("$VM_DIR/build-modules.sh" sparse "$tree"); then
	bad "the modules do not build for sparse"
elif ! make -C "$tree" M="$out" C=2 W=1 -j2 modules >"$out/sparse.log" 2>&1; then
	bad "make C=2 failed:"
	tail -n 20 "$out/sparse.log" | sed 's/^/    /'
elif grep -E 'warning:|error:' "$out/sparse.log" >/dev/null; then
	bad "sparse (C=2) findings:"
	grep -E 'warning:|error:' "$out/sparse.log" | sed 's/^/    /' | head -n 40
elif checked=$(grep -c '^ *CHECK ' "$out/sparse.log") && [ "$checked" -lt "$expect_checked" ]; then
	bad "sparse checked $checked files, expected at least $expect_checked"
else
	echo "[style] sparse (C=2): $checked files checked, clean (and the planted symbol caught)"
	passed=$((passed + 1))
fi

# The API boundary: what include/myslab/ does not declare is exported only
# into the MYSLAB_INTERNAL namespace, so a client that uses such a symbol
# without importing the namespace must fail to link, and link once it does.
if [ -n "${out:-}" ] && [ -s "$out/Module.symvers" ]; then
	mkdir -p "$work/client"
	printf 'obj-m := client.o\nccflags-y := -I%s/include\n' "$TOP" >"$work/client/Kbuild"
	{
		printf '// SPDX-License-Identifier: GPL-2.0\n#include <linux/module.h>\n'
		printf '#include <myslab/buddy.h>\n'
		printf 'bool myslab_region_contains(const struct myslab_region *r, const void *p);\n'
		printf 'static int __init client_init(void)\n{\n'
		printf '\treturn myslab_region_contains(myslab_main_region(), NULL) ? -EINVAL : 0;\n}\n'
		printf 'module_init(client_init);\nMODULE_LICENSE("GPL");\n'
	} >"$work/client/client.c"
	client() {
		make -C "$tree" M="$work/client" KBUILD_EXTRA_SYMBOLS="$out/Module.symvers" \
			modules >"$work/client/log" 2>&1
	}
	if client; then
		bad "a client using an internal symbol without importing MYSLAB_INTERNAL linked"
	elif ! grep -q 'from namespace MYSLAB_INTERNAL, but does not import it' "$work/client/log"; then
		bad "the namespace client failed for another reason:"
		tail -n 5 "$work/client/log" | sed 's/^/    /'
	elif echo 'MODULE_IMPORT_NS(MYSLAB_INTERNAL);' >>"$work/client/client.c" && ! client; then
		bad "a client importing MYSLAB_INTERNAL did not link:"
		tail -n 5 "$work/client/log" | sed 's/^/    /'
	else
		echo "[style] namespace: an internal symbol links only with MODULE_IMPORT_NS(MYSLAB_INTERNAL)"
		passed=$((passed + 1))
	fi
fi
finish
