#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# myslabtop inside a QEMU guest running Debian's stock kernel, against the
# live module: installs myslab.ko and a static myslabtop with `make install`
# into a staging root, boots guest.sh with the project's VM runner, judges the
# console with check-console.py, whose last line is
# "RESULT passed=N failed=N skipped=N" (also when it cannot get that far).
#
# Usage: run-in-guest.sh [--save DIR]
#   --save DIR   also write the /proc files the guest printed to
#                DIR/<moment>.myslabinfo and DIR/<moment>.mybuddyinfo
#                (how tests/fixtures/ are refreshed)

set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
tools=$(cd "$here/../../.." && pwd)
vm=$tools/vm
save=
case ${1:-} in
--save) save=${2:?usage: run-in-guest.sh [--save DIR]} ;;
"") ;;
*) echo "usage: run-in-guest.sh [--save DIR]" >&2; exit 2 ;;
esac

# broken <why>: this step could not run; that is one failure.
broken() {
	echo "[myslabtop-guest] FAIL: $1"
	echo "RESULT passed=0 failed=1 skipped=0"
	exit 1
}

. "$vm/lib.sh"
work=$(mktemp -d /tmp/myslabtop-guest.XXXXXX)
trap 'rm -rf "$work"' EXIT

# save_captures <console log> <dir>
save_captures() {
	mkdir -p "$2"
	tr -d '\r' <"$1" | awk -v dir="$2" '
		/^=== CAPTURE END/ { out = ""; next }
		/^=== CAPTURE / { out = dir "/" $3 "." $4; printf "" > out; next }
		out != "" && !/^(<[0-9]+>)?\[ *[0-9.]+\]/ && !/^MYSLAB-/ { print >> out }'
}

"$vm/install-deps.sh" build vm kernels || broken "could not install the packages it needs"
read -r version kernel kdir < <(stock_kernel) || broken "no stock kernel"
# What the guest runs is what `make install` puts in place: the module
# built against the stock kernel's headers and a static myslabtop, installed
# into a staging root (built in a copy of the tree, so the checkout stays clean).
src=$work/src
stage=$work/root
mkdir -p "$src"
rsync -a --exclude .git --exclude .build --exclude '*/out/' "$tools/../" "$src/"
make -C "$src" install KDIR="$kdir" DESTDIR="$stage" PREFIX=/usr STATIC=1 >"$work/make.log" 2>&1 ||
	{ cat "$work/make.log" >&2; broken "make install failed"; }
ko=$(find "$stage/lib/modules" -name myslab.ko)
[ -f "$ko" ] && [ -x "$stage/usr/bin/myslabtop" ] ||
	broken "make install did not install myslab.ko and myslabtop"
echo "run-in-guest: booting Debian's $version kernel with myslab.ko and myslabtop"
lock_label myslabtop-guest
BOOT_KIND=stock
boot myslabtop-guest "$kernel" "$here/guest.sh" 300 "" "$ko" "$stage/usr/bin/myslabtop"
"$vm/check-console.py" --label myslabtop-guest --boot-rc "$BOOT_RC" --timeout "$BOOT_TIMEOUT" \
	--boot-error "$BOOT_ERROR" "$LOGS/myslabtop-guest.log"
rc=$?
[ -n "$save" ] && save_captures "$LOGS/myslabtop-guest.log" "$save"
[ "$rc" = 0 ] || echo "[myslabtop-guest] console log: $LOGS/myslabtop-guest.log"
exit $rc
