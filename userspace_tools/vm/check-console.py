#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one test VM boot from its serial console log.

A boot passes when the guest reached the end-of-run marker with a zero
scenario exit code, printed no kernel splat, and every KUnit case and every
scenario check it printed passed. Results are printed per suite; the last line
is machine-readable:  RESULT passed=N failed=N skipped=N

KTAP as the kernel prints it (6.1 and 6.12): a suite's "# Subtest:" and plan
are indented one level (4 spaces) and its result line is not; cases are one
level in, parameterized cases' parameters two. A result line closes the
results one level deeper that came before it: those are its children. Leaves
are what is counted.

Scenario checks are lines "MYSLAB-CHECK: ok <name>" or
"MYSLAB-CHECK: not ok <name> - <why>" printed by the guest's scenario.
"""

import argparse
import re
import sys

END_MARKER = re.compile(r"^MYSLAB-VM: END rc=(\d+)")
START_JIFFIES = re.compile(r"^MYSLAB-VM: START .*jiffies (\d+)")
LEAK = re.compile(r"^unreferenced object ")
LEAK_JIFFIES = re.compile(r"^\s*comm .*, jiffies (\d+)")
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\] ?")
RESULT = re.compile(r"^(not ok|ok) (\d+)(?: -)? ?([^#]*?)\s*(#\s*(.*))?$")
PLAN = re.compile(r"^1\.\.(\d+)$")
SUBTEST = re.compile(r"^# Subtest: (.+)$")
CHECK = re.compile(r"^MYSLAB-CHECK: (not ok|ok) (\S+)(?: - (.*))?$")

# The reports of the kernel's detectors (shared/guide/testing.md).
SPLATS = [
    "BUG:", "WARNING:", "Oops", "general protection fault", "KASAN:", "UBSAN:",
    "possible circular locking dependency", "possible recursive locking",
    "inconsistent lock state", "sleeping function called from invalid context",
    "list_add corruption", "list_del corruption", "unreferenced object",
    "Kernel panic", "kernel BUG at", "soft lockup", "hung_task",
]
# SLUB-style object reports ("BUG <cache> (Tainted: ...): Redzone overwritten").
SPLAT_START = re.compile(r"^BUG \S")


class Result:
    def __init__(self, level, status, num, name, directive, diag):
        self.level = level
        self.status = status
        self.num = num
        self.name = name
        self.directive = directive or ""
        self.children = []
        self.diag = diag
        self.problem = None

    @property
    def skipped(self):
        return self.directive.upper().startswith("SKIP")

    def leaves(self):
        if not self.children:
            return [self]
        out = []
        for c in self.children:
            out.extend(c.leaves())
        return out


def clean_lines(raw):
    for line in raw.splitlines():
        line = line.replace("\r", "")
        yield TIMESTAMP.sub("", line)


def parse_ktap(lines):
    """Return (suites, problems): top-level results and structural problems."""
    pending = {}        # level -> results seen at that level, not yet closed
    plans = {}          # level -> planned count
    diag = []
    problems = []

    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        level = indent // 4
        m = SUBTEST.match(stripped)
        if m:
            pending[level] = []
            plans.pop(level, None)
            continue
        m = PLAN.match(stripped)
        if m and indent % 4 == 0:
            plans[level] = int(m.group(1))
            pending[level] = []
            continue
        m = RESULT.match(stripped)
        if m and indent % 4 == 0:
            res = Result(level, m.group(1), int(m.group(2)), m.group(3).strip(),
                         m.group(5), diag)
            diag = []
            res.children = pending.pop(level + 1, [])
            plan = plans.pop(level + 1, None)
            if plan is not None and plan != len(res.children):
                res.problem = "planned %d cases, %d reported" % (plan, len(res.children))
            pending.setdefault(level, []).append(res)
            continue
        if stripped.startswith("#") and indent >= 4:
            diag.append(stripped)
            diag = diag[-12:]

    for level, results in pending.items():
        if level > 0 and results:
            problems.append("a suite did not finish (%d results at depth %d were never "
                            "closed: the guest crashed or hung inside a suite)" % (len(results), level))
    return pending.get(0, []), problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", help="console log of the boot")
    ap.add_argument("--label", default="vm", help="prefix for every printed line")
    ap.add_argument("--timed-out", type=int, metavar="SECONDS",
                    help="the runner killed the guest after this many seconds")
    ap.add_argument("--min-suites", type=int, default=0,
                    help="fail unless at least this many KUnit suites reported")
    ap.add_argument("--expect-splat", action="append", default=[], metavar="TEXT",
                    help="a planted report: must appear; splat lines containing it are not failures")
    args = ap.parse_args()

    with open(args.log, errors="replace") as f:
        lines = list(clean_lines(f.read()))

    tag = "[%s]" % args.label
    passed = failed = skipped = 0
    messages = []

    def fail(msg):
        nonlocal failed
        failed += 1
        messages.append("%s FAIL: %s" % (tag, msg))

    suites, problems = parse_ktap(lines)
    for suite in suites:
        leaves = suite.leaves()
        sp = sum(1 for x in leaves if x.status == "ok" and not x.skipped)
        ss = sum(1 for x in leaves if x.skipped)
        bad = [x for x in leaves if x.status != "ok" and not x.skipped]
        print("%s %s: %d passed, %d failed, %d skipped" % (tag, suite.name, sp, len(bad), ss))
        for x in bad:
            print("%s   not ok %s" % (tag, x.name))
            for d in x.diag[-6:]:
                print("%s       %s" % (tag, d))
        passed += sp
        skipped += ss
        failed += len(bad)
        for r in [suite] + [c for c in suite.children]:
            if r.problem:
                fail("%s: %s" % (r.name, r.problem))
    for p in problems:
        fail(p)
    if len(suites) < args.min_suites:
        fail("expected at least %d KUnit suites, saw %d" % (args.min_suites, len(suites)))

    checks = [CHECK.match(l) for l in lines]
    checks = [m for m in checks if m]
    for m in checks:
        if m.group(1) == "ok":
            passed += 1
        else:
            fail("check %s: %s" % (m.group(2), m.group(3) or "failed"))
    if checks:
        print("%s scenario checks: %d passed, %d failed" %
              (tag, sum(1 for m in checks if m.group(1) == "ok"),
               sum(1 for m in checks if m.group(1) != "ok")))

    # kmemleak's report of an object allocated before the scenario started
    # (jiffies in the line after it) is the boot's, not the scenario's.
    start = [START_JIFFIES.match(l) for l in lines]
    start = [int(m.group(1)) for m in start if m]
    boot_leaks = set()
    for i, l in enumerate(lines[:-1]):
        m = LEAK_JIFFIES.match(lines[i + 1])
        if start and LEAK.match(l) and m and int(m.group(1)) < start[0]:
            boot_leaks.add(i)
    if boot_leaks:
        print("%s kmemleak: %d objects leaked during boot, before the scenario started: not counted" %
              (tag, len(boot_leaks)))

    expected_seen = {e: 0 for e in args.expect_splat}
    splats = []
    for i, l in enumerate(lines):
        if l.startswith("MYSLAB-") or i in boot_leaks:
            continue
        planted = [e for e in args.expect_splat if e in l]
        for e in planted:
            expected_seen[e] += 1
        if planted:
            continue
        if SPLAT_START.match(l) or any(s in l for s in SPLATS):
            splats.append((i, l.strip()))
    for e, n in expected_seen.items():
        if n == 0:
            fail("the planted report '%s' did not appear" % e)
    if expected_seen and all(expected_seen.values()):
        passed += 1
        print("%s planted reports: all %d kinds appeared (%d lines)" %
              (tag, len(expected_seen), sum(expected_seen.values())))
    if splats:
        fail("kernel splat in the console (%d report lines), first: %s" % (len(splats), splats[0][1]))
        for i, l in splats[:5]:
            messages.append("%s   console line %d: %s" % (tag, i + 1, l))
    else:
        passed += 1
        print("%s console: no kernel splats" % tag)

    ends = [END_MARKER.match(l) for l in lines]
    ends = [m for m in ends if m]
    if args.timed_out:
        fail("guest hung: no end-of-run marker after %d s, killed" % args.timed_out)
    elif not ends:
        fail("no end-of-run marker: the guest crashed or stopped early")
    elif int(ends[-1].group(1)) != 0:
        fail("the guest's scenario exited with status %s" % ends[-1].group(1))
    else:
        passed += 1
        print("%s run: reached the end-of-run marker" % tag)

    for m in messages:
        print(m)
    print("RESULT passed=%d failed=%d skipped=%d" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
