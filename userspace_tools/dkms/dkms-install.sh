#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Put myslab under DKMS, so that myslab.ko is rebuilt for every kernel.
#
# Usage: dkms-install.sh [-k KERNEL]... [--build-only]
#        dkms-install.sh --remove
#
#   (default)     copy the module's sources and dkms.conf to
#                 /usr/src/myslab-<version>/, then dkms add, build and install
#                 for each -k KERNEL (default: the running kernel). Sources
#                 already registered under this version are replaced.
#   --build-only  add and build, install nothing under /lib/modules (CI)
#   --remove      dkms remove myslab/<version> from every kernel and delete
#                 /usr/src/myslab-<version>/
#
# <version> is PACKAGE_VERSION in dkms.conf beside this script. Needs root and
# the dkms package; each kernel needs its headers (linux-headers-<KERNEL>).
# Nothing here loads a module: installing only copies myslab.ko into
# /lib/modules/<KERNEL>/updates/dkms/.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
name=myslab
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$here/dkms.conf")
src=/usr/src/$name-$version
dkms_tree=${DKMS_TREE:-/var/lib/dkms}

# usage <status>: the comment block at the top, to stdout for --help.
usage() {
	sed -n '3,/^$/{/^#/s/^# \{0,1\}//p}' "$0" | sed 1d >&$(($1 ? 2 : 1))
	exit "$1"
}

die() {
	echo "dkms-install: $*" >&2
	exit 1
}

# Is this version known to dkms (added, built or installed for any kernel)?
registered() {
	dkms status -m "$name" -v "$version" 2>/dev/null | grep . >/dev/null
}

# dkms remove --all skips kernels that have no /lib/modules/<kernel> (built
# with --kernelsourcedir): their builds are deleted from the dkms tree by hand.
remove() {
	if registered; then
		dkms remove -m "$name" -v "$version" --all
	fi
	rm -rf "${dkms_tree:?}/$name/$version" "$src"
	rmdir "$dkms_tree/$name" 2>/dev/null || true	# other versions stay
	echo "dkms-install: $name $version removed"
}

copy_sources() {
	rm -rf "$src"
	"$here/copy-module-sources.sh" "$top" "$src"
	cp "$here/dkms.conf" "$src/"
}

add_build_install() {
	local kernel
	registered && dkms remove -m "$name" -v "$version" --all
	copy_sources
	dkms add -m "$name" -v "$version"
	for kernel in "${kernels[@]}"; do
		[ -d "/lib/modules/$kernel/build" ] ||
			die "no headers for $kernel: install linux-headers-$kernel"
		dkms build -m "$name" -v "$version" -k "$kernel"
		[ -n "$build_only" ] || dkms install -m "$name" -v "$version" -k "$kernel"
	done
	dkms status -m "$name" -v "$version"
}

kernels=() build_only= action=install
while [ $# -gt 0 ]; do
	case $1 in
	-k) [ $# -ge 2 ] || usage 1; kernels+=("$2"); shift 2 ;;
	--build-only) build_only=1; shift ;;
	--remove) action=remove; shift ;;
	-h|--help) usage 0 ;;
	*) usage 1 ;;
	esac
done
[ -n "$version" ] || die "no PACKAGE_VERSION in $here/dkms.conf"
[ "$(id -u)" = 0 ] || die "run as root (it writes /usr/src and the dkms tree)"
command -v dkms >/dev/null || die "dkms is not installed: apt-get install dkms"
[ ${#kernels[@]} -gt 0 ] || kernels=("$(uname -r)")

case $action in
remove) remove ;;
install) add_build_install ;;
esac
