#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy what building myslab.ko needs, and nothing else, from a checkout to a
# directory: Kbuild, Makefile, include/ and myslab.ko's folders kmod/core/ and
# kmod/kernel/, without build products. Without kunit_tests/, kmod/torture/
# and kmod/bench/, Kbuild builds only myslab.ko whatever the kernel's
# configuration.
#
# Usage: copy-module-sources.sh <checkout> <destination>

set -euo pipefail

top=${1:?usage: copy-module-sources.sh <checkout> <destination>}
dest=${2:?usage: copy-module-sources.sh <checkout> <destination>}

mkdir -p "$dest/kmod"
cp -r "$top/Kbuild" "$top/Makefile" "$top/include" "$dest/"
cp -r "$top/kmod/core" "$top/kmod/kernel" "$dest/kmod/"
find "$dest" \( -name '*.o' -o -name '*.ko' -o -name '.*.cmd' -o -name '*.mod' \
	-o -name '*.mod.c' -o -name '*.a' -o -name 'modules.order' \) -delete
