#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian's stock kernel of one series for `make bench-kernel`, without
# installing it: prints "<version> <bzImage> <build tree>".
#
# Usage: stock-kernel.sh SERIES       (e.g. 6.1, 6.12)
#
# An installed image of the series (/boot/vmlinuz-SERIES.*-amd64 with its
# headers in /lib/modules/<version>/build) is used as it is. Otherwise the
# image, headers and kbuild packages of the newest version that Debian's
# linux-image-SERIES-amd64 metapackage points to are downloaded with
# apt-get download and unpacked under $STOCK_CACHE (default
# /var/cache/myslab/stock/<version>) -- not installed, so /boot, the boot
# loader and the stock kernel of the other scripts (the newest in /boot)
# stay as they are. The guest only needs the bzImage: the benchmark's
# initramfs carries the two modules it loads.

set -euo pipefail

series=${1:?usage: stock-kernel.sh SERIES (e.g. 6.12)}
cache=${STOCK_CACHE:-/var/cache/myslab/stock}

# Installed: the newest version of the series in /boot, with headers.
# The generic flavour only: an installed 6.1.0-57-rt-amd64 is not the kernel
# the rows compare against.
v=$(for f in /boot/vmlinuz-"$series".*-amd64; do
	if [ -f "$f" ]; then echo "${f#/boot/vmlinuz-}"; fi
done | { grep -v -E -- '-(rt|cloud)-amd64$' || true; } | sort -V | tail -n 1)
if [ -n "$v" ] && [ -d "/lib/modules/$v/build" ]; then
	echo "$v /boot/vmlinuz-$v /lib/modules/$v/build"
	exit 0
fi

# The version the metapackage depends on, e.g. 6.12.117+deb12-amd64.
meta=linux-image-$series-amd64
v=$({ apt-cache depends "$meta" 2>/dev/null || true; } |
    sed -n '/^ *Depends: linux-image-\([0-9.]*+[a-z0-9]*-amd64\)$/{s//\1/p;q}')
if [ -z "$v" ]; then
	echo "stock-kernel: no $series image in /boot and no $meta in the apt sources" >&2
	exit 1
fi
root=$cache/$v
kdir=$root/usr/src/linux-headers-$v
if [ ! -f "$root/boot/vmlinuz-$v" ] || [ ! -f "$kdir/.unpacked" ]; then
	abi=${v%-amd64}
	debs=$cache/debs
	mkdir -p "$debs" "$root"
	echo "stock-kernel: fetching Debian's $v (about 125 MB, unpacked in $root)" >&2
	(cd "$debs" && apt-get download -q "linux-image-$v" "linux-headers-$v" \
		"linux-headers-$abi-common" "linux-kbuild-$abi" >&2)
	for p in "linux-image-$v" "linux-headers-$v" "linux-headers-$abi-common" \
		 "linux-kbuild-$abi"; do
		deb=("$debs/${p}"_*.deb)
		dpkg-deb -x "${deb[0]}" "$root"
	done
	# The headers' Makefile includes the common tree by its installed path.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
	touch "$kdir/.unpacked"
fi
echo "$v $root/boot/vmlinuz-$v $kdir"
