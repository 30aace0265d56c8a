#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build myslab's modules against one kernel tree, in a copy of the sources
# under .build/<name>/ so that builds for several kernels never share object
# files and the checkout stays clean. Any compiler warning (at W=1) fails the
# build. Prints the build directory on stdout.
#
# Usage: build-modules.sh <name> <kernel build tree> [module source dir]
# (default source: the project's Kbuild, kmod/, include/ and kunit_tests/)

set -euo pipefail

name=${1:?usage: build-modules.sh <name> <kdir> [module source dir]}
kdir=${2:?usage: build-modules.sh <name> <kdir> [module source dir]}
src=${3:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$top/.build/$name

mkdir -p "$out"
if [ -n "$src" ]; then
	rsync -a --delete "$src/" "$out/"
else
	rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
		--exclude '*.mod' --exclude '*.mod.c' \
		"$top/Kbuild" "$top/kmod" "$top/include" "$top/kunit_tests" "$out/"
fi

build() {
	local dir=$1 log=$1/build.log

	if ! make -C "$kdir" M="$dir" W=1 -j2 modules >"$log" 2>&1; then
		cat "$log" >&2
		echo "build-modules[$name]: build failed in $dir" >&2
		return 1
	fi
	if grep -q 'warning:' "$log"; then
		grep -B2 -A4 'warning:' "$log" >&2
		echo "build-modules[$name]: warnings at W=1 in $dir" >&2
		return 1
	fi
}

build "$out"
echo "$out"
