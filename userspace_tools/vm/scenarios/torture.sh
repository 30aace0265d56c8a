#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Torture test, for the debug kernels (booted with -smp 4): load myslab, run
# myslab_torture (the whole test runs inside insmod) and require its verdict
# line to be "End of test: SUCCESS"; run it again under fault injection
# (myslab's fail_page_alloc, through debugfs, when the kernel has it): still
# SUCCESS, with at least one injected fault; then run its positive control
# (broken=1), which must end in "End of test: FAILURE (pattern mismatches: 1)"
# and nothing else: the planted corruption is caught once and the accounting
# is still exact. Unload everything. It runs on the debug kernels only, which
# have fault injection: a missing fault-injection directory is a failure.
#
# Knobs, from the kernel command line (the kernel hands unknown name=value
# parameters to init, hence to this script, as environment variables):
#   TORTURE_DURATION=S         seconds of the normal run (default 5)
#   TORTURE_FAULT_DURATION=S   seconds of the fault-injection run (default 3)
#   TORTURE_FAULT_PERCENT=P    chance of an injected failure (default 10)
#   TORTURE_BROKEN_DURATION=S  seconds of the positive control (default 2)
#   TORTURE_ARGS="k=v ..."     more myslab_torture parameters (nthreads=,
#                              objects=, stat_interval_s=)
. /modules/lib.sh

duration=${TORTURE_DURATION:-5}
fault_duration=${TORTURE_FAULT_DURATION:-3}
fault_percent=${TORTURE_FAULT_PERCENT:-10}
broken_duration=${TORTURE_BROKEN_DURATION:-2}
faults=/sys/kernel/debug/myslab/fail_page_alloc

# Every "End of test: ..." line so far, without prefix, one per run.
verdicts() {
	dmesg | sed -n 's/.*myslab_torture: \(End of test: .*\)$/\1/p'
}

# torture <run> <expected verdict> <parameters...> (lib.sh's check sets $name)
torture() {
	run=$1
	want=$2
	shift 2
	before=$(verdicts | wc -l)
	check "${run}_insmod" insmod /modules/myslab_torture.ko "$@"
	got=$(verdicts | sed -n "$((before + 1))p")
	if [ "$got" = "$want" ]; then
		pass "${run}_verdict"
	else
		fail "${run}_verdict" "expected '$want', got '${got:-no End of test line}'"
	fi
	check "${run}_rmmod" rmmod myslab_torture
}

plan 14
check load_myslab insmod /modules/myslab.ko
# shellcheck disable=SC2086 # TORTURE_ARGS is a list of parameters
torture torture 'End of test: SUCCESS' duration_s="$duration" ${TORTURE_ARGS:-}

# Fault injection on the main region: every allocation fails with the given
# chance, silently (verbose 0), as often as it comes (times is unsigned in
# debugfs: a large count rather than -1).
if [ -d "$faults" ]; then
	check fault_on sh -c "echo 0 >$faults/verbose && echo 1 >$faults/interval &&
		echo 100000000 >$faults/times && echo $fault_percent >$faults/probability"
	# shellcheck disable=SC2086
	torture torture_faults 'End of test: SUCCESS' expect_faults=1 \
		duration_s="$fault_duration" ${TORTURE_ARGS:-}
	check fault_off sh -c "echo 0 >$faults/probability"
else
	fail fault_run "no $faults: the debug kernel lacks fault injection (CONFIG_FAULT_INJECTION_DEBUG_FS)"
fi

# Its two reports are planted: the mismatch and the verdict, once each.
# shellcheck disable=SC2086
planted 1 'myslab_torture: error: pattern mismatch in ' \
	1 'myslab_torture: End of test: FAILURE \(pattern mismatches: 1\)$' -- \
	torture torture_broken 'End of test: FAILURE (pattern mismatches: 1)' \
	broken=1 duration_s="$broken_duration" ${TORTURE_ARGS:-}
check unload_myslab rmmod myslab
check_unloaded
finish
