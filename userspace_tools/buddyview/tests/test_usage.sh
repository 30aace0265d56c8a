# SPDX-License-Identifier: GPL-2.0
# --help, --version and every kind of bad usage (exit 1 with the usage).

run "$BV" --help
if [ "$RC" = 0 ] && [[ $OUT == *"Usage: buddyview"* && $OUT == *"Exit status"* ]]; then
	pass "--help: usage on stdout, exit 0"
else
	fail "--help" "exit $RC"
fi
run "$BV" --version
[[ $RC == 0 && $OUT == "buddyview "* ]] && pass "--version" || fail "--version" "exit $RC: $OUT"

# usage_error <name> <message> <args...>: exit 1, the message, the usage.
usage_error() {
	local name=$1 text=$2
	shift 2
	run "$BV" "$@"
	if [ "$RC" != 1 ]; then
		fail "$name" "exit $RC, want 1"
	elif [[ $ERR != *"buddyview: $text"* || $ERR != *"Usage:"* ]]; then
		fail "$name" "stderr lacks 'buddyview: $text' or the usage: $(echo "$ERR" | head -n 1)"
	else
		pass "$name"
	fi
}

usage_error "unknown option" "unknown option '--frobnicate'" --frobnicate
usage_error "missing argument" "--png needs an argument" --png
usage_error "width zero" "--width wants 1 to 1024, not '0'" -w 0
usage_error "width not a number" "--width wants 1 to 1024, not '12x'" --width 12x
usage_error "group not a power of two" "--group wants a power of two, not '3'" -g 3
usage_error "group negative" "--group wants a power of two, not '-4'" --group=-4
usage_error "bad colour mode" "--color wants auto, always or never, not 'maybe'" --color=maybe
usage_error "cell too large" "--cell wants 1 to 32 pixels, not '99'" --cell 99
usage_error "two page maps" "one page map at most, 'b' is one too many" a b
usage_error "quiet with table" "options: --quiet with --table or --render" -q -t
if [ -n "${NOPNG_BV:-}" ]; then
	run "$NOPNG_BV" --png "$WORK/x.png" "$FIXTURES/named.page_map"
	if [ "$RC" = 1 ] && [[ $ERR == *"built without libpng, use --svg"* ]] && [ ! -e "$WORK/x.png" ]; then
		pass "--png without libpng: usage error"
	else
		fail "--png without libpng" "exit $RC: $ERR"
	fi
fi
