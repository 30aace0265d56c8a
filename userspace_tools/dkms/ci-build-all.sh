#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build myslab.ko against every kernel header tree at hand, as DKMS would on
# each kernel upgrade: one test per tree, passed when myslab.ko links with no
# compiler warning at W=1. Ends with "RESULT passed=N failed=N skipped=N".
#
# Usage: ci-build-all.sh [--fetch SERIES]... [--require "SERIES..."] [KDIR...]
#
#   Trees built: every installed Debian header tree (/usr/src/linux-headers-*
#   with a .config), every tree fetched earlier into $MYSLAB_CACHE/headers/,
#   and each KDIR given.
#   --fetch SERIES   fetch the newest linux-headers-SERIES.*-amd64 that Debian
#                    offers (e.g. 6.12) with its -common and linux-kbuild
#                    packages by apt-get download, and unpack them under
#                    $MYSLAB_CACHE/headers/: nothing is installed, no kernel
#                    image comes along. Kept for later runs.
#   --require LIST   series that must have at least one tree (default
#                    "6.1 6.12"); a missing one counts as a failure.
#   --dkms           also the real thing, as root: dkms-install.sh
#                    --build-only for each kernel with /lib/modules/<k>/build
#                    (one test each), then dkms-install.sh --remove.
#
# Builds run one at a time (-j2) in scratch copies made by
# copy-module-sources.sh (what dkms-install.sh ships), so only myslab.ko is
# built and the checkout stays clean.

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${MYSLAB_CACHE:-/var/cache/myslab}/headers
work=$(mktemp -d /tmp/myslab-ci-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0 skipped=0

usage() {
	sed -n '3,/^$/{/^#/s/^# \{0,1\}//p}' "$0" | sed 1d >&$(($1 ? 2 : 1))
	exit "$1"
}

# --- fetching header packages without installing them ---

# newest_headers_package <series>: e.g. linux-headers-6.12.117+deb12-amd64.
newest_headers_package() {
	local pattern="^linux-headers-${1//./\\.}[.-][0-9][^ ]*-amd64\$"
	apt-cache search --names-only "$pattern" | cut -d' ' -f1 |
		grep -v -e '-cloud-amd64$' -e '-rt-amd64$' | sort -V | tail -n 1
}

# The -common and linux-kbuild packages <package> depends on.
headers_dependencies() {
	apt-cache show "$1" | sed -n 's/^Depends: //p' | head -n 1 | tr ',' '\n' |
		sed 's/^ *//; s/ .*//' | grep -e '^linux-headers-.*-common$' -e '^linux-kbuild-'
}

fetch() {
	local series=$1 package dir deps
	package=$(newest_headers_package "$series")
	[ -n "$package" ] || { echo "ci-build-all: Debian offers no linux-headers-$series.*-amd64" >&2; return 1; }
	dir=$cache/${package#linux-headers-}
	if [ -f "$dir/ready" ]; then
		echo "ci-build-all: $package already fetched in $dir"
		return 0
	fi
	deps=$(headers_dependencies "$package")
	rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root" || return 1
	echo "ci-build-all: fetching $package $(echo $deps)"
	(cd "$dir/debs" && apt-get download -q "$package" $deps) >"$dir/fetch.log" 2>&1 ||
		{ cat "$dir/fetch.log" >&2; return 1; }
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root" || return 1
	done
	# The flavour's Makefile includes the -common tree by absolute path.
	sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" \
		"$dir"/root/usr/src/"$package"/Makefile
	rm -rf "$dir/debs"
	touch "$dir/ready"
}

# --- building ---

# What the tree stamps into vermagic (Debian's kernel.release file says 6.1.192).
kernel_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null
}

# build_one <kdir>: one test.
build_one() {
	local kdir=$1 release copy log
	release=$(kernel_release "$kdir")
	copy=$work/$release
	log=$work/$release.log
	"$here/copy-module-sources.sh" "$top" "$copy"
	if ! make -C "$kdir" M="$copy" W=1 -j2 modules >"$log" 2>&1; then
		echo "not ok - $release: build failed"
		grep -E 'error|Error' "$log" | head -n 5 | sed 's/^/    /'
		failed=$((failed + 1))
	elif grep -q 'warning:' "$log"; then
		echo "not ok - $release: compiler warnings"
		grep 'warning:' "$log" | head -n 5 | sed 's/^/    /'
		failed=$((failed + 1))
	elif [ "$(modinfo -F vermagic "$copy/myslab.ko" | cut -d' ' -f1)" != "$release" ]; then
		echo "not ok - $release: myslab.ko missing or built for another kernel"
		failed=$((failed + 1))
	else
		echo "ok - $release: built $(cd "$copy" && echo *.ko) against $kdir"
		passed=$((passed + 1))
	fi
}

header_trees() {
	local d
	for d in /usr/src/linux-headers-* "$cache"/*/root/usr/src/linux-headers-*; do
		[ -f "$d/.config" ] && [ -f "$d/Makefile" ] && echo "$d"
	done
}

# dkms_build_all: dkms add + build for every installed kernel, then remove.
dkms_build_all() {
	local build kernel
	for build in /lib/modules/*/build; do
		[ -f "$build/Makefile" ] || continue
		kernel=$(basename "$(dirname "$build")")
		if "$here/dkms-install.sh" --build-only -k "$kernel" >"$work/dkms-$kernel.log" 2>&1; then
			echo "ok - dkms build myslab for $kernel"
			passed=$((passed + 1))
		else
			echo "not ok - dkms build myslab for $kernel"
			tail -n 5 "$work/dkms-$kernel.log" | sed 's/^/    /'
			failed=$((failed + 1))
		fi
	done
	"$here/dkms-install.sh" --remove >"$work/dkms-remove.log" 2>&1 ||
		{ echo "not ok - dkms-install.sh --remove"; failed=$((failed + 1)); }
}

series_of() {
	kernel_release "$1" | cut -d. -f1,2
}

fetches=() required="6.1 6.12" extra=() with_dkms=
while [ $# -gt 0 ]; do
	case $1 in
	--fetch) [ $# -ge 2 ] || usage 1; fetches+=("$2"); shift 2 ;;
	--require) [ $# -ge 2 ] || usage 1; required=$2; shift 2 ;;
	--dkms) with_dkms=1; shift ;;
	-h|--help) usage 0 ;;
	-*) usage 1 ;;
	*) extra+=("$1"); shift ;;
	esac
done

for series in "${fetches[@]}"; do
	fetch "$series" || { echo "not ok - fetch $series"; failed=$((failed + 1)); }
done
mapfile -t trees < <(header_trees; printf '%s\n' "${extra[@]}" | grep .)
built_series=
for kdir in "${trees[@]}"; do
	build_one "$kdir"
	built_series+=" $(series_of "$kdir")"
done
for series in $required; do
	if [[ " $built_series " != *" $series "* ]]; then
		echo "not ok - no $series header tree: install linux-headers-$series...-amd64 or use --fetch $series"
		failed=$((failed + 1))
	fi
done
[ -n "$with_dkms" ] && dkms_build_all
echo "RESULT passed=$passed failed=$failed skipped=$skipped"
[ "$failed" -eq 0 ]
