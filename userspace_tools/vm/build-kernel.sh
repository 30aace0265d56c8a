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
# Usage: build-kernel.sh 6.1|6.12|6.12-rt
#
# 6.12-rt is the 6.12 debug kernel with PREEMPT_RT (rt-kernel.config on top).

set -euo pipefail

series=${1:?usage: build-kernel.sh 6.1|6.12|6.12-rt}
here=$(cd "$(dirname "$0")" && pwd)
fragments=("$here/debug-kernel.config")
cache=${MYSLAB_CACHE:-/var/cache/myslab}
case $series in
6.1 | 6.12) source_series=$series ;;
6.12-rt)
	source_series=6.12
	fragments+=("$here/rt-kernel.config")
	;;
*) echo "build-kernel: unknown series '$series' (6.1, 6.12 or 6.12-rt)" >&2; exit 1 ;;
esac
pkg=linux-source-$source_series
tarball=/usr/src/$pkg.tar.xz

log() { echo "build-kernel[$series]: $*" >&2; }

# The settings of the fragments, in order, a later fragment's setting of a
# symbol replacing an earlier one's (rt-kernel.config turns PREEMPT off,
# since PREEMPT_RT is the other answer to the same choice): one line per
# symbol, "CONFIG_X=v" or "# CONFIG_X is not set".
config_settings() {
	cat "${fragments[@]}" | awk '
		/^CONFIG_[A-Za-z0-9_]+=/ { sym = $0; sub(/=.*/, "", sym) }
		/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { sym = $2 }
		sym != "" {
			if (!(sym in setting))
				order[n++] = sym
			setting[sym] = $0
			sym = ""
		}
		END { for (i = 0; i < n; i++) print setting[order[i]] }'
}

version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	{ log "package $pkg is not installed (run install-deps.sh)"; exit 1; }
[ -f "$tarball" ] || { log "$tarball missing"; exit 1; }

# The series without its dashes, so that 6.12's stale-key glob below never
# matches a 6.12-rt tree.
key=${series//-/}-${version//[~:]/_}-$(cat "${fragments[@]}" | sha256sum | cut -c1-12)
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
for old in "$cache/kernels/${series//-/}"-*; do
	[ -d "$old" ] && [ "$old" != "$tree" ] && { log "removing stale $old"; rm -rf "$old"; }
done

log "building $pkg $version into $tree (about 4 minutes)"
start=$SECONDS
rm -rf "$tree" "$tree.tmp"
mkdir -p "$tree.tmp"
tar -xf "$tarball" -C "$tree.tmp" --strip-components=1

cd "$tree.tmp"
config_settings >.config
make -s olddefconfig >&2

# Every setting of the fragments must have survived olddefconfig.
bad=0
while read -r line; do
	case $line in
	"# "*) sym=${line#\# }; sym=${sym%% *}
	       ! grep -q "^$sym=" .config ;;
	*) grep -qx "$line" .config ;;
	esac || { log "config: '$line' did not survive olddefconfig"; bad=1; }
done < <(config_settings)
[ $bad -eq 0 ] || exit 1

jobs=$(( $(nproc) + 1 ))
make -s -j"$jobs" bzImage modules >&2
cd /
mv "$tree.tmp" "$tree"
touch "$stamp"
log "built in $((SECONDS - start)) s"
echo "$tree"
