#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of check-console.py on hand-written consoles, including the
shapes a real guest rarely produces: a suite that crashed after its plan, a
failing parameter, skips, splats between KTAP lines. Ends with a RESULT line."""

import os
import subprocess
import sys
import tempfile

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "check-console.py")

KTAP_OK = """\
[    3.8] myslab: loaded
[    3.9]     KTAP version 1
[    3.9]     # Subtest: s1
[    3.9]     1..3
[    3.9]     ok 1 plain
[    3.9]         KTAP version 1
[    3.9]         # Subtest: params
[    3.9]         ok 1 order-0
[    3.9]         ok 2 order-1
[    3.9]         ok 3 order-2 # SKIP not enough memory
[    3.9]     # params: pass:2 fail:0 skip:1 total:3
[    3.9]     ok 2 params
[    3.9]     ok 3 skipped_case # SKIP no SMP
[    3.9] # s1: pass:2 fail:0 skip:1 total:3
[    3.9] ok 1 s1
MYSLAB-CHECK: ok load
MYSLAB-VM: END rc=0
"""

CASES = [
    # name, console, extra args, want exit, text the output must contain
    ("all_pass", KTAP_OK, [], 0, "s1: 3 passed, 0 failed, 2 skipped"),
    ("closing_counts", KTAP_OK, [], 0, "RESULT passed=6 failed=0 skipped=2"),
    ("failed_param", KTAP_OK.replace("ok 2 order-1", "not ok 2 order-1"), [], 1, "not ok order-1"),
    ("crash_after_plan", "\n".join(KTAP_OK.splitlines()[:6]) + "\n", [], 1, "did not finish"),
    ("plan_mismatch", KTAP_OK.replace("1..3", "1..4"), [], 1, "planned 4 cases, 3 reported"),
    ("warning", KTAP_OK.replace("[    3.8] myslab: loaded",
                                "[    3.8] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1"), [], 1,
     "kernel splat in the console (1 report lines), first: WARNING:"),
    ("lockdep", KTAP_OK + "[ 4.0] WARNING: possible circular locking dependency detected\n", [], 1,
     "kernel splat"),
    ("no_marker", KTAP_OK.replace("MYSLAB-VM: END rc=0\n", ""), [], 1, "no end-of-run marker"),
    ("scenario_rc", KTAP_OK.replace("END rc=0", "END rc=2"), [], 1, "exited with status 2"),
    ("failed_check", KTAP_OK.replace("MYSLAB-CHECK: ok load", "MYSLAB-CHECK: not ok load - no"),
     [], 1, "check load: no"),
    ("timeout", KTAP_OK, ["--timed-out", "45"], 1, "guest hung: no end-of-run marker after 45 s"),
    ("min_suites", "MYSLAB-VM: END rc=0\n", ["--min-suites", "1"], 1,
     "expected at least 1 KUnit suites, saw 0"),
    ("boot_leak_ignored", "MYSLAB-VM: START kernel 6.1, 2 CPUs, jiffies 4294900000\n" + KTAP_OK +
     "unreferenced object 0xff11 (size 216):\n  comm \"swapper/0\", pid 0, jiffies 4294892296\n", [], 0,
     "1 objects leaked during boot, before the scenario started: not counted"),
    ("scenario_leak_counted", "MYSLAB-VM: START kernel 6.1, 2 CPUs, jiffies 4294900000\n" + KTAP_OK +
     "unreferenced object 0xff12 (size 64):\n  comm \"insmod\", pid 41, jiffies 4294901000\n", [], 1,
     "first: unreferenced object 0xff12"),
    ("expected_splat_present", KTAP_OK.replace("[    3.8] myslab: loaded",
                                               "[ 3.8] BUG myslab-test: Redzone overwritten"),
     ["--expect-splat", "Redzone overwritten"], 0, "no kernel splats"),
    ("expected_splat_missing", KTAP_OK, ["--expect-splat", "Redzone overwritten"], 1,
     "the planted report 'Redzone overwritten' did not appear"),
]


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, console, extra, want, text in CASES:
            log = os.path.join(tmp, name + ".log")
            with open(log, "w") as f:
                f.write(console)
            p = subprocess.run([sys.executable, CHECKER, *extra, log],
                               capture_output=True, text=True)
            ok = (p.returncode == 0) == (want == 0) and text in p.stdout
            if ok:
                passed += 1
            else:
                failed += 1
                print("[check-console] FAIL %s: exit %d, want %s and '%s' in:\n%s" %
                      (name, p.returncode, "pass" if want == 0 else "fail", text, p.stdout))
    print("[check-console] unit tests: %d passed, %d failed" % (passed, failed))
    print("RESULT passed=%d failed=%d skipped=0" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
