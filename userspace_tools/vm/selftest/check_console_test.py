#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of check-console.py on hand-written consoles: each case is a
console, the checker's options, the exit status it must give and the text
its output must contain. Every hole the harness once had is planted here (a
lost suite closing line, a short plan, a missing suite, a "not ok" suite with
"ok" cases, an unplanned myslab report, a miscounted planted one, a dropped
check, ...), beside consoles that must pass. Ends with a RESULT line."""

import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "..", "check-console.py")
KUNIT_PY = os.environ.get("KUNIT_PY")     # optional: the kernel's kunit.py



def k(text, level=6):
    """A kernel console line as console_msg_format=syslog prints it."""
    return "<%d>[    3.900000] %s\n" % (level, text)


def kmsg(text):
    """A line a guest script wrote to /dev/kmsg (facility user)."""
    return "<12>[    3.900000] %s\n" % text


SUITE_S1 = "".join(k(l) for l in [
    "    KTAP version 1",
    "    # Subtest: s1",
    "    1..3",
    "    ok 1 plain",
    "        KTAP version 1",
    "        # Subtest: params",
    "        ok 1 order-0",
    "        ok 2 order-1",
    "        ok 3 order-2 # SKIP not enough memory",
    "    # params: pass:2 fail:0 skip:1 total:3",
    "    ok 2 params",
    "    ok 3 skipped_case # SKIP no SMP",
    "# s1: pass:2 fail:0 skip:1 total:3",
    "ok 1 s1",
])
SUITE_S2 = "".join(k(l) for l in [
    "    KTAP version 1",
    "    # Subtest: s2",
    "    1..2",
    "    ok 1 first",
    "    ok 2 second",
    "# s2: pass:2 fail:0 skip:0 total:2",
    "ok 2 s2",
])
# The guest's markers are /dev/kmsg records, as scenarios/lib.sh writes them.
START = kmsg("MYSLAB-VM: START kernel 6.1.0, 2 CPUs, jiffies 4294900000")
END = kmsg("MYSLAB-VM: END rc=0")
BOOT_KTAP = k("KTAP version 1") + k("1..0")
PLAN2 = kmsg("MYSLAB-PLAN: 2")
CHECKS2 = kmsg("MYSLAB-CHECK: ok load") + kmsg("MYSLAB-CHECK: ok unload")

# 6.1: the module's suites come without a document header.
KUNIT_61 = (k("Linux version 6.1.0") + BOOT_KTAP + START + PLAN2 + k("myslab: loaded") +
            SUITE_S1 + SUITE_S2 + CHECKS2 + END)
# 6.12: the module prints its own header and plan.
KUNIT_612 = (k("Linux version 6.12.0") + BOOT_KTAP + START + PLAN2 + k("myslab: loaded") +
             k("KTAP version 1") + k("1..2") + SUITE_S1 + SUITE_S2 + CHECKS2 + END)
SCENARIO = (k("Linux version 6.1.0") + START + PLAN2 + k("myslab: loaded") + CHECKS2 + END)

EXPECT = """\
# suites for the unit tests
suite s1 3
suite s2 2
plant s2.first myslab: cache x: .*double free
plant s1.params.order-* myslab: region kunit: .*poison
"""
EXPECT_MORE = EXPECT + "suite s3 1\n"
EXPECT_MIN = EXPECT.replace("suite s2 2", "suite s2 3")

REPORT = k("myslab: cache x: object at region offset 0x1000: double free", 3)


def planted(ident, kinds, body):
    out = kmsg("MYSLAB-PLANT: begin %s" % ident)
    for n, rx in kinds:
        out += kmsg("MYSLAB-PLANT: expect %s %d %s" % (ident, n, rx))
    return out + body + kmsg("MYSLAB-PLANT: end %s" % ident)


REFUSAL = k("myslab: max_order=21 rejected: expected 0 to 20", 3)
KPARAM = k("myslab: '21' invalid for parameter `max_order'", 3)

CASES = [
    # name, console, extra args, want exit, text the output must contain
    ("kunit61_pass", KUNIT_61, ["--expect-suites", "@EXPECT"], 0,
     "RESULT passed=8 failed=0 skipped=2"),
    ("kunit612_pass", KUNIT_612, ["--expect-suites", "@EXPECT"], 0, "s1: 3 passed, 0 failed, 2 skipped"),
    ("scenario_pass", SCENARIO, [], 0, "RESULT passed=3 failed=0 skipped=0"),
    ("failed_param", KUNIT_61.replace("ok 2 order-1", "not ok 2 order-1"),
     ["--expect-suites", "@EXPECT"], 1, "not ok s1.params.order-1"),
    ("crash_in_suite", KUNIT_61.split("        ok 1 order-0")[0], ["--expect-suites", "@EXPECT"], 1,
     "never closed"),
    # A lost suite closing line: the next suite's header must not swallow its not ok cases.
    ("lost_closing_line", KUNIT_61.replace(k("ok 1 s1"), "").replace("    ok 1 plain", "    not ok 1 plain"),
     ["--expect-suites", "@EXPECT"], 1, "not ok (unclosed).plain"),
    ("lost_closing_line_named", KUNIT_61.replace(k("ok 1 s1"), ""), ["--expect-suites", "@EXPECT"], 1,
     "were never closed by their parent's result line (a new subtest started: s2)"),
    ("lost_param_closing_line", KUNIT_61.replace(k("    ok 2 params"), ""),
     ["--expect-suites", "@EXPECT"], 1, "s1: planned 3 cases, 2 reported"),
    ("case_plan_mismatch", KUNIT_61.replace("    1..3", "    1..4"), ["--expect-suites", "@EXPECT"], 1,
     "s1: planned 4 cases, 3 reported"),
    ("short_top_plan", KUNIT_612.replace(k("1..2"), k("1..3")), ["--expect-suites", "@EXPECT"], 1,
     "a KTAP document planned 3 suites, 2 reported"),
    ("missing_suite", KUNIT_61, ["--expect-suites", "@EXPECT_MORE"], 1,
     "the declared suite s3 did not report"),
    ("too_few_cases", KUNIT_61, ["--expect-suites", "@EXPECT_MIN"], 1,
     "suite s2 reported 2 cases, at least 3 are declared"),
    ("undeclared_suite", KUNIT_61, ["--expect-suites", "@EXPECT_ONE"], 1,
     "suite s2 reported but is not declared"),
    ("kunit_unexpected", KUNIT_61, [], 1, "KUnit results in a boot that expects none"),
    ("not_ok_suite_ok_cases", KUNIT_61.replace(k("ok 2 s2"), k("not ok 2 s2")),
     ["--expect-suites", "@EXPECT"], 1, "s2 reported not ok although all its 2 cases passed"),
    ("not_ok_case_ok_params", KUNIT_61.replace("    ok 2 params", "    not ok 2 params"),
     ["--expect-suites", "@EXPECT"], 1, "s1.params reported not ok although all its 3 cases passed"),
    ("blank_description", KUNIT_61.replace("ok 2 order-1", "ok 2    "),
     ["--expect-suites", "@EXPECT"], 1, "result 2 has no description"),
    ("suite_twice", KUNIT_61.replace(SUITE_S2, SUITE_S2 + SUITE_S2), ["--expect-suites", "@EXPECT"], 1,
     "suite s2 reported twice"),
    # myslab reports
    ("report_in_scenario", SCENARIO.replace(END, REPORT + END), [], 1,
     "unplanned myslab report"),
    ("report_quoted", SCENARIO.replace(END, REPORT + END), [], 1,
     "myslab: cache x: object at region offset 0x1000: double free"),
    ("validator_complaint", SCENARIO.replace(END, k("myslab: cache x: validate: 2 problems found", 4) + END),
     [], 1, "unplanned myslab report"),
    ("info_not_a_report", SCENARIO.replace(END, k("myslab: cache x: validate: 0 problems found", 6) + END),
     [], 0, "no unplanned reports"),
    ("suppressed_note_not_a_report",
     SCENARIO.replace(END, k("myslab_report_invalid_free: 268 callbacks suppressed", 4) + END),
     [], 0, "no unplanned reports"),
    ("taint_not_a_report", SCENARIO.replace(END, k("myslab: loading out-of-tree module taints kernel.", 4) + END),
     [], 0, "no unplanned reports"),
    ("planted_exact", SCENARIO.replace(END, planted("p1", [(1, "max_order=21 rejected"), (1, "invalid for parameter")],
                                                    REFUSAL + KPARAM) + END), [], 0,
     "myslab reports: 2 planted, all accounted for"),
    ("planted_too_few", SCENARIO.replace(END, planted("p1", [(2, "max_order=21 rejected")], REFUSAL) + END), [], 1,
     "planted 'max_order=21 rejected' in p1: 2 reports expected, 1 seen"),
    ("planted_too_many", SCENARIO.replace(END, planted("p1", [(1, "rejected")], REFUSAL + REFUSAL) + END), [], 1,
     "1 reports expected, 2 seen"),
    ("planted_other_kind", SCENARIO.replace(END, planted("p1", [(1, "max_order=21 rejected")], REFUSAL + REPORT) + END),
     [], 1, "inside planted bracket p1 matches none of its kinds"),
    ("planted_unended", SCENARIO.replace(END, kmsg("MYSLAB-PLANT: begin p1") + REFUSAL + END), [], 1,
     "planted bracket p1 never ended"),
    ("planted_outside_bracket", SCENARIO.replace(END, planted("p1", [(1, "rejected")], REFUSAL) + REFUSAL + END),
     [], 1, "unplanned myslab report"),
    ("kunit_planted_case", KUNIT_61.replace(k("    ok 1 first"), REPORT + k("    ok 1 first")),
     ["--expect-suites", "@EXPECT"], 0, "myslab reports: 1 planted"),
    ("kunit_report_other_case", KUNIT_61.replace(k("    ok 2 second"), REPORT + k("    ok 2 second")),
     ["--expect-suites", "@EXPECT"], 1, "unplanned myslab report (in KUnit case s2.second)"),
    ("kunit_report_other_kind", KUNIT_61.replace(k("    ok 1 first"), REFUSAL + k("    ok 1 first")),
     ["--expect-suites", "@EXPECT"], 1, "unplanned myslab report (in KUnit case s2.first)"),
    ("kunit_report_after_suites", KUNIT_61.replace(CHECKS2, REPORT + CHECKS2), ["--expect-suites", "@EXPECT"], 1,
     "unplanned myslab report\n"),
    ("kunit_param_planted", KUNIT_61.replace(k("        ok 2 order-1"),
                                             k("myslab: region kunit: page 3 poison overwritten", 3) +
                                             k("        ok 2 order-1")),
     ["--expect-suites", "@EXPECT"], 0, "1 planted"),
    # splats
    ("warning", SCENARIO.replace(END, k("WARNING: CPU: 0 PID: 1 at x.c:1 f+0x0/0x1", 4) + END), [], 1,
     "kernel splat in the console (1 report lines), first: WARNING:"),
    ("lockdep", SCENARIO + k("WARNING: possible circular locking dependency detected", 4), [], 1,
     "kernel splat"),
    ("boot_splat", SCENARIO.replace(START, k("BUG: KASAN: wild-memory-access in do_raw_spin_lock+0x11d/0x270", 3) + START),
     [], 1, "kernel boot problem, before the scenario started (not myslab's doing)"),
    # kmemleak's records reach the console through the guest's cat of its file.
    ("boot_leak_ignored", SCENARIO + "unreferenced object 0xff11 (size 216):\n" +
     "  comm \"swapper/0\", pid 0, jiffies 4294892296\n", [], 0,
     "1 objects leaked during boot, before the scenario started: not counted"),
    ("scenario_leak_counted", SCENARIO + "unreferenced object 0xff12 (size 64):\n" +
     "  comm \"insmod\", pid 41, jiffies 4294901000\n", [], 1, "first: unreferenced object 0xff12"),
    ("expected_splat_present", SCENARIO.replace(END, k("BUG myslab-test: Redzone overwritten", 3) + END),
     ["--expect-splat", "Redzone overwritten"], 0, "no kernel splats"),
    ("expected_splat_missing", SCENARIO, ["--expect-splat", "Redzone overwritten"], 1,
     "the planted splat 'Redzone overwritten' did not appear"),
    # the end of the run and the checks
    ("no_marker", SCENARIO.replace(END, ""), [], 1, "no end-of-run marker"),
    ("no_marker_no_free_pass", SCENARIO.replace(END, ""), [], 1, "RESULT passed=2 failed=1"),
    ("scenario_rc", SCENARIO.replace("END rc=0", "END rc=1"), [], 1, "exited with status 1"),
    ("rc_zero_with_failures", SCENARIO.replace("ok unload", "not ok unload - no"), [], 1,
     "the scenario exited 0 although some of its checks failed"),
    ("failed_check", SCENARIO.replace("MYSLAB-CHECK: ok load", "MYSLAB-CHECK: not ok load - no"), [], 1,
     "check load: no"),
    ("check_with_space", SCENARIO.replace("ok unload", "ok un load"), [], 1, "malformed check line"),
    ("check_twice", SCENARIO.replace("ok unload", "ok load"), [], 1, "check load reported twice"),
    ("short_plan", SCENARIO.replace(PLAN2, kmsg("MYSLAB-PLAN: 3")), [], 1,
     "the scenario planned 3 checks, 2 reported"),
    # The guest's output and the kernel's records cut into each other.
    ("record_mid_line", SCENARIO.replace(kmsg("MYSLAB-CHECK: ok unload"),
                                         "partial output" + kmsg("MYSLAB-CHECK: ok unload") + "the rest\n"),
     [], 0, "scenario checks: 2 passed, 0 failed"),
    ("report_mid_line", SCENARIO.replace(END, "cat outp" + REPORT + "ut\n" + END), [], 1,
     "unplanned myslab report"),
    ("no_plan", SCENARIO.replace(PLAN2, ""), [], 1, "expected exactly one"),
    ("two_plans", SCENARIO.replace(PLAN2, PLAN2 + PLAN2), [], 1, "expected exactly one"),
    ("no_start", SCENARIO.replace(START, ""), [], 1, "the scenario never started"),
    ("timeout", SCENARIO.replace(END, ""), ["--boot-rc", "124", "--timeout", "45"], 1,
     "guest hung: no end-of-run marker after 45 s"),
    ("qemu_failed", SCENARIO, ["--boot-rc", "1"], 1, "QEMU failed (run-vm.sh exit status 1)"),
    ("hung_before_start", SCENARIO[:SCENARIO.index(START)], ["--boot-rc", "75"], 1,
     "kernel boot problem: the kernel hung before the scenario started"),
    ("boot_error", SCENARIO, ["--boot-error", "mkinitramfs.sh failed"], 1,
     "the boot did not happen: mkinitramfs.sh failed"),
    ("no_log", None, [], 1, "no console log"),
    ("empty_log", "", [], 1, "the console log is empty"),
    ("no_levels", re.sub(r"<\d+>", "", SCENARIO), [], 1, "carries no log levels"),
]


def main():
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for name, text in (("@EXPECT", EXPECT), ("@EXPECT_MORE", EXPECT_MORE),
                           ("@EXPECT_MIN", EXPECT_MIN),
                           ("@EXPECT_ONE", "suite s1 3\n")):
            files[name] = os.path.join(tmp, name[1:] + ".expect")
            with open(files[name], "w") as f:
                f.write(text)
        for name, console, extra, want, text in CASES:
            log = os.path.join(tmp, name + ".log")
            if console is not None:
                with open(log, "w") as f:
                    f.write(console)
            extra = [files.get(a, a) for a in extra]
            p = subprocess.run([sys.executable, CHECKER, *extra, log],
                               capture_output=True, text=True)
            ok = (p.returncode == 0) == (want == 0) and text in p.stdout
            if ok:
                passed += 1
            else:
                failed += 1
                print("[check-console] FAIL %s: exit %d, want %s and '%s' in:\n%s%s" %
                      (name, p.returncode, "pass" if want == 0 else "fail", text, p.stdout,
                       p.stderr))
        # The module's KTAP goes to a file the kernel's parser reads alike.
        if KUNIT_PY:
            for name, console in (("ktap61", KUNIT_61), ("ktap612", KUNIT_612),
                                  ("ktap_blank", KUNIT_61.replace("ok 2 order-1", "ok 2    "))):
                log = os.path.join(tmp, name + ".log")
                with open(log, "w") as f:
                    f.write(console)
                p = subprocess.run([sys.executable, CHECKER, "--expect-suites", files["@EXPECT"],
                                    "--ktap-out", log + ".ktap", "--kunit-py", KUNIT_PY, log],
                                   capture_output=True, text=True)
                want_pass = name != "ktap_blank"
                text = "kunit.py parse agrees: 7 tests" if want_pass else "kunit.py parse disagrees"
                if (p.returncode == 0) == want_pass and text in p.stdout:
                    passed += 1
                else:
                    failed += 1
                    print("[check-console] FAIL %s: exit %d, want '%s' in:\n%s%s" %
                          (name, p.returncode, text, p.stdout, p.stderr))
    print("[check-console] unit tests: %d passed, %d failed" % (passed, failed))
    print("RESULT passed=%d failed=%d skipped=0" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
