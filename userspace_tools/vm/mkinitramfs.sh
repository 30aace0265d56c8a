#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pack a busybox initramfs: guest-init.sh as /init, the scenario as
# /scenario.sh, and the given files (modules, data) under /modules/.
#
# Usage: mkinitramfs.sh <output.cpio.gz> <scenario.sh|--shell> [file...]

set -euo pipefail

out=${1:?usage: mkinitramfs.sh <out> <scenario|--shell> [file...]}
scenario=${2:?usage: mkinitramfs.sh <out> <scenario|--shell> [file...]}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox

file "$busybox" 2>/dev/null | grep 'statically linked' >/dev/null ||
	ldd "$busybox" 2>&1 | grep 'not a dynamic' >/dev/null ||
	{ echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,modules,etc}
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 0755 "$here/guest-init.sh" "$root/init"
if [ "$scenario" = --shell ]; then
	touch "$root/shell"
else
	install -m 0755 "$scenario" "$root/scenario.sh"
fi
for f in "$@"; do
	cp "$f" "$root/modules/"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
