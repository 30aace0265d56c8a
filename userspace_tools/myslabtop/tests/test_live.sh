# SPDX-License-Identifier: GPL-2.0
# The live curses view, driven without a person: under script(1) for a
# quick look, and under tmux, whose capture-pane shows exactly what is on the
# screen, to type sort keys, resize the terminal and quit.

LIVE_FIXTURE=$FIXTURES/busy.myslabinfo

test_live_needs_terminal() {
	expect_exit "live view without a terminal: exit 1" 1 \
		"the live view needs a terminal; use -o or --json in scripts" \
		"$MYSLABTOP" --file "$LIVE_FIXTURE"
}

test_live_under_script() {
	local rc=0
	if ! command -v script >/dev/null; then
		skip "live view under script(1)" "script not installed"
		return
	fi
	(sleep 1.5; printf q) | TERM=xterm timeout 20 script -qec \
		"$MYSLABTOP --file $LIVE_FIXTURE -d 1" "$WORK/script.out" >/dev/null 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		fail "live view under script(1)" "exit $rc"
	elif ! grep -q 'Active / Total Objects' "$WORK/script.out" ||
	     ! grep -q 'kmalloc-32' "$WORK/script.out"; then
		fail "live view under script(1)" "the screen lacked the summary or the caches"
	else
		pass "live view under script(1): drew the summary and the caches, q exits 0"
	fi
}

test_live_unknown_terminal() {
	local rc=0
	if ! command -v script >/dev/null; then
		skip "live view on an unknown terminal" "script not installed"
		return
	fi
	TERM=no-such-terminal timeout 20 script -qec \
		"$MYSLABTOP --file $LIVE_FIXTURE; echo \"exit \$?\"" "$WORK/script.out" \
		</dev/null >/dev/null 2>&1 || rc=$?
	if grep -q 'myslabtop: cannot drive the terminal (TERM=no-such-terminal)' "$WORK/script.out" &&
	   grep -q '^exit 5' "$WORK/script.out"; then
		pass "live view on an unknown terminal: exit 5 with the reason"
	else
		fail "live view on an unknown terminal" "$(tr -d '\r' <"$WORK/script.out" | tail -n 2)"
	fi
}

# --- tmux ---

# One tmux server per view, on its own socket: never another's.
TMUX_SOCKET=
live_count=0

tmux_do() {
	tmux -L "$TMUX_SOCKET" "$@"
}

live_stop() {
	[ -n "$TMUX_SOCKET" ] && tmux_do kill-server 2>/dev/null
	TMUX_SOCKET=
}

# live_start <width> <height> <args...>: myslabtop in a fresh tmux server;
# its exit status lands in $WORK/live.rc, its stderr in $WORK/live.err.
live_start() {
	local width=$1 height=$2
	shift 2
	live_stop
	live_count=$((live_count + 1))
	TMUX_SOCKET=myslabtop-tests-$$-$live_count
	rm -f "$WORK/live.rc" "$WORK/live.err"
	tmux_do -f /dev/null new-session -d -s live -x "$width" -y "$height" \
		sh -c '"$@" 2>"$0.err"; echo $? >"$0.rc"; sleep 60' "$WORK/live" \
		env TERM=screen "$MYSLABTOP" "$@"
}

screen_text() {
	tmux_do capture-pane -p -t live | sed 's/ *$//'
}

# The -o output as the screen must show it: the first <height - 1> lines,
# cut at <width> columns, then empty lines to the bottom.
expected_screen() {
	local width=$1 height=$2 key=$3
	"$MYSLABTOP" --file "$LIVE_FIXTURE" -o -s "$key" | head -n $((height - 1)) |
		cut -c "1-$width" | sed 's/ *$//' |
		awk -v height="$height" '{ print } END { while (NR++ < height) print "" }'
}

# wait_screen <width> <height> <key>: until the screen shows the -o output
# sorted by <key>, up to 10 s. Returns non-zero on timeout.
wait_screen() {
	local i
	expected_screen "$@" >"$WORK/screen.want"
	for i in $(seq 50); do
		screen_text >"$WORK/screen.got"
		cmp -s "$WORK/screen.got" "$WORK/screen.want" && return 0
		sleep 0.2
	done
	return 1
}

wait_exit() {
	local i
	for i in $(seq 50); do
		[ -s "$WORK/live.rc" ] && return 0
		sleep 0.2
	done
	return 1
}

screen_step() {
	local name=$1
	shift
	if wait_screen "$@"; then
		pass "$name"
	else
		fail "$name" "screen differs: $(diff "$WORK/screen.want" "$WORK/screen.got" | head -n 4 | tr '\n' ' ')"
	fi
}

# The delay is long, so only the key or the resize itself can redraw in time.
test_live_under_tmux() {
	live_start 100 30 --file "$LIVE_FIXTURE" -d 60
	screen_step "tmux 100x30: the screen shows slabtop -o's lines" 100 30 o
	if tmux_do capture-pane -p -e -t live | sed -n 7p | grep -q $'\e\[7m  OBJS ACTIVE'; then
		pass "tmux: the column headings are in reverse video"
	else
		fail "tmux: the column headings are in reverse video" \
			"$(tmux_do capture-pane -p -e -t live | sed -n 7p | cat -v)"
	fi
	tmux_do send-keys -t live n
	screen_step "tmux: key n sorts by name" 100 30 n
	tmux_do send-keys -t live C
	screen_step "tmux: key C (either case) sorts by cache size" 100 30 c
	tmux_do resize-window -t live -x 60 -y 12
	screen_step "tmux: resized to 60x12, the screen follows (4 rows, cut at 60)" 60 12 c
	tmux_do resize-window -t live -x 120 -y 40
	screen_step "tmux: resized to 120x40, every cache fits" 120 40 c
	tmux_do send-keys -t live q
	if wait_exit && [ "$(cat "$WORK/live.rc")" = 0 ]; then
		pass "tmux: q quits with exit 0"
	else
		fail "tmux: q quits with exit 0" "status '$(cat "$WORK/live.rc" 2>/dev/null)'"
	fi
}

test_live_sigterm() {
	local shell_pid pid
	live_start 100 30 --file "$LIVE_FIXTURE" -d 1
	wait_screen 100 30 o
	shell_pid=$(tmux_do display-message -p -t live '#{pane_pid}')
	pid=$(pgrep -x -P "$shell_pid" myslabtop)
	[ -n "$pid" ] && kill -TERM "$pid"
	if wait_exit && [ "$(cat "$WORK/live.rc")" = 0 ]; then
		pass "tmux: SIGTERM ends the live view with exit 0"
	else
		fail "tmux: SIGTERM ends the live view" "pid '$pid', status '$(cat "$WORK/live.rc" 2>/dev/null)'"
	fi
}

# The module unloaded under a running view: the view ends, the message
# comes after the screen is restored, and the status says why.
test_live_file_vanishes() {
	cp "$LIVE_FIXTURE" "$WORK/vanishing.myslabinfo"
	live_start 100 30 --file "$WORK/vanishing.myslabinfo" -d 0.2
	sleep 1
	rm -f "$WORK/vanishing.myslabinfo"
	if wait_exit && [ "$(cat "$WORK/live.rc")" = 2 ] &&
	   grep -q "myslab not loaded? ($WORK/vanishing.myslabinfo" "$WORK/live.err"; then
		pass "tmux: file gone while live: exit 2 with the message"
	else
		fail "tmux: file gone while live" "status '$(cat "$WORK/live.rc" 2>/dev/null)', stderr '$(cat "$WORK/live.err" 2>/dev/null)'"
	fi
}

test_live_needs_terminal
test_live_under_script
test_live_unknown_terminal
if command -v tmux >/dev/null; then
	test_live_under_tmux
	test_live_sigterm
	test_live_file_vanishes
	live_stop
else
	skip "live view under tmux" "tmux not installed"
fi
