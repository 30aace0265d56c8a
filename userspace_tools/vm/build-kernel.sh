#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) a debug test kernel from Debian's linux-source-<series> package
# and print the path of its build tree on stdout.
#
# The tree is cached outside the checkout, keyed by the source package version
# and the hash of the config fragment: a later run with the same key reuses it,
# a new package or a changed fragment builds a fresh one.
#
# Usage: build-kernel.sh 6.1|6.12

set -euo pipefail

series=${1:?usage: build-kernel.sh 6.1|6.12}
here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug-kernel.config
cache=${MYSLAB_CACHE:-/var/cache/myslab}
pkg=linux-source-$series
tarball=/usr/src/$pkg.tar.xz

log() { echo "build-kernel[$series]: $*" >&2; }

version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	{ log "package $pkg is not installed (run install-deps.sh)"; exit 1; }
[ -f "$tarball" ] || { log "$tarball missing"; exit 1; }

key=$series-${version//[~:]/_}-$(sha256sum "$fragment" | cut -c1-12)
tree=$cache/kernels/$key
stamp=$tree/.myslab-built

mkdir -p "$cache/kernels"
exec 9>"$cache/kernels/.lock-$series"
flock 9

if [ -f "$stamp" ]; then
	log "cached: $tree"
	echo "$tree"
	exit 0
fi

# An older key for this series is stale: drop it so the cache does not grow.
for old in "$cache/kernels/$series"-*; do
	[ -d "$old" ] && [ "$old" != "$tree" ] && { log "removing stale $old"; rm -rf "$old"; }
done

log "building $pkg $version into $tree (about 4 minutes)"
start=$SECONDS
rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xf "$tarball" -C "$tree.tmp" --strip-components=1

cd "$tree.tmp"
grep '^CONFIG_' "$fragment" >.config
make -s olddefconfig >&2

# Every line of the fragment must have survived olddefconfig.
bad=0
while read -r line; do
	grep -qx "$line" .config || { log "config: '$line' did not survive olddefconfig"; bad=1; }
done < <(grep '^CONFIG_' "$fragment")
[ $bad -eq 0 ] || exit 1

jobs=$(( $(nproc) + 1 ))
make -s -j"$jobs" bzImage modules >&2
cd /
mv "$tree.tmp" "$tree"
touch "$stamp"
log "built in $((SECONDS - start)) s"
echo "$tree"
