# SPDX-License-Identifier: GPL-2.0
# make -C userspace_tools install / uninstall, into a scratch DESTDIR.

test_install_uninstall() {
	local root=$WORK/root bin=$WORK/root/usr/bin/myslabtop top=$HERE/..
	if ! make -C "$top" O="$WORK/top" DESTDIR="$root" PREFIX=/usr install >"$WORK/install.log" 2>&1; then
		fail "make install" "$(tail -n 3 "$WORK/install.log")"
		return
	fi
	if [ -x "$bin" ] && "$bin" --version | grep -q '^myslabtop '; then
		pass "make install puts a working myslabtop in \$DESTDIR\$PREFIX/bin"
	else
		fail "make install" "no working $bin"
	fi
	make -C "$top" O="$WORK/top" DESTDIR="$root" PREFIX=/usr uninstall >"$WORK/install.log" 2>&1
	[ ! -e "$bin" ] && pass "make uninstall removes it" || fail "make uninstall" "$bin is still there"
}

test_install_uninstall
