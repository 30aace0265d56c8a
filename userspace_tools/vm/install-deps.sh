#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages that building, booting and testing myslab need.
# Idempotent: installs only what is missing, touches nothing else.
# Usage: install-deps.sh [group...]   groups: build vm kernels host (default: all)

set -euo pipefail

declare -A groups=(
	[build]="build-essential bc flex bison libelf-dev libssl-dev kmod cpio xz-utils rsync python3 sparse dkms pahole"
	[vm]="qemu-system-x86 busybox-static cpio gzip"
	[kernels]="linux-source-6.1 linux-source-6.12 linux-image-amd64 linux-headers-amd64 linux-image-rt-amd64 linux-headers-rt-amd64"
	[host]="clang llvm libclang-rt-14-dev valgrind libncurses-dev tmux procps libpng-dev pkg-config"
)

wanted=()
for g in "${@:-build vm kernels host}"; do
	for word in $g; do
		[ -n "${groups[$word]+x}" ] || { echo "install-deps: unknown group '$word'" >&2; exit 2; }
		wanted+=(${groups[$word]})
	done
done

missing=()
for p in "${wanted[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages: ${missing[*]}" >&2
	echo "install-deps: run as root (or: apt-get install ${missing[*]})" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
