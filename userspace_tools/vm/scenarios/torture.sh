#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Torture test, for the debug kernels (booted with -smp 4): load myslab, run
# myslab_torture (the whole test runs inside insmod) and require its last
# line to be "End of test: SUCCESS"; then run its positive control
# (broken=1), which must end in "End of test: FAILURE (pattern mismatches: 1)"
# and nothing else: the planted corruption is caught once and the accounting
# is still exact. Unload everything; exit with the number of failures.
#
# Knobs, from the kernel command line (the kernel hands unknown name=value
# parameters to init, hence to this script, as environment variables):
#   TORTURE_DURATION=S         seconds of the normal run (default 5)
#   TORTURE_BROKEN_DURATION=S  seconds of the positive control (default 2)
#   TORTURE_ARGS="k=v ..."     more myslab_torture parameters (nthreads=,
#                              objects=, stat_interval_s=)
. /modules/lib.sh

duration=${TORTURE_DURATION:-5}
broken_duration=${TORTURE_BROKEN_DURATION:-2}

# The verdict of the last run: its "End of test: ..." line, without prefix.
last_verdict() {
	dmesg | sed -n 's/.*myslab_torture: \(End of test: .*\)$/\1/p' | tail -n 1
}

# torture <name> <expected verdict> <parameters...>
torture() {
	name=$1
	want=$2
	shift 2
	check "${name}_insmod" insmod /modules/myslab_torture.ko "$@"
	got=$(last_verdict)
	if [ "$got" = "$want" ]; then
		pass "${name}_verdict"
	else
		fail "${name}_verdict" "expected '$want', got '${got:-no End of test line}'"
	fi
	check "${name}_rmmod" rmmod myslab_torture
}

check load_myslab insmod /modules/myslab.ko
# shellcheck disable=SC2086 # TORTURE_ARGS is a list of parameters
torture torture 'End of test: SUCCESS' duration_s="$duration" ${TORTURE_ARGS:-}
# shellcheck disable=SC2086
torture torture_broken 'End of test: FAILURE (pattern mismatches: 1)' \
	broken=1 duration_s="$broken_duration" ${TORTURE_ARGS:-}
check unload_myslab rmmod myslab
check_unloaded
exit $failures
