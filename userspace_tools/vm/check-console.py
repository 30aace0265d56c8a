#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one test VM boot from its serial console log.

A boot passes only when everything below holds; each broken rule is one
failure with the console line quoted, and a boot that passes counts as its
scenario checks, its KUnit cases and one test for the boot itself. The last
line is machine-readable:  RESULT passed=N failed=N skipped=N

The console (run-vm.sh boots with console_msg_format=syslog) carries each
kernel record's syslog prefix "<N>", so the log level of every kernel line is
known. The guest writes the harness's markers (MYSLAB-VM, -PLAN, -CHECK,
-PLANT) to /dev/kmsg: they are records too, of the user facility, whole and
in exact order with the kernel's lines, and markers are read from there only.
Lines without a prefix are the guest's other output; a record that lands in
the middle of one is cut out of it.

Rules:
  boot      QEMU started and ended by itself (--boot-rc 0; 124 is a hang the
            runner killed, 75 a kernel that hung before the scenario started,
            on the retry too), the console is not empty and carries log levels,
            the guest reached "MYSLAB-VM: END rc=0".
  splats    no kernel detector report (BUG:, WARNING:, KASAN:, lockdep, ...)
            anywhere; one before "MYSLAB-VM: START" is reported as a kernel
            boot problem, apart from myslab's own failures.
  reports   a myslab report is a kernel line at level warning or worse whose
            text starts with one of myslab's module names ("myslab...: ").
            Each fails the boot unless it was planted on purpose:
            - in a scenario, between the /dev/kmsg markers that scenarios/lib.sh's
              planted() writes: "MYSLAB-PLANT: begin <id>", one
              "MYSLAB-PLANT: expect <id> <count> <regex>" per kind, and
              "MYSLAB-PLANT: end <id>". Every report between them must match
              a kind, and each kind must be seen exactly <count> times;
            - in a KUnit case that --expect-suites declares as planting them
              ("plant <suite.case glob> <regex>"): every report the case
              printed must match one of its regexes, and the case itself
              asserts their exact number (it fails otherwise).
  checks    the scenario printed "MYSLAB-PLAN: <n>" once, and exactly n
            well-formed "MYSLAB-CHECK: ok|not ok <name>[ - <why>]" lines with
            distinct names; every "not ok" is a failure.
  KUnit     KTAP as the kernel prints it (6.1 and 6.12): a suite's
            "# Subtest:" and plan are indented one level (4 spaces) and its
            result line is not; cases one level in, parameterized cases'
            parameters two. A result line closes the results one level deeper
            that came before it: its children. A plan must match the results
            it announced, a result must not be "not ok" when all its
            children passed, no result may be left unclosed, and with
            --expect-suites exactly the declared suites must report, each
            with at least its declared number of cases. Leaves are what is
            counted. With --ktap-out the module's KTAP is written as a file
            that the kernel's own parser (tools/testing/kunit/kunit.py
            parse, --kunit-py) must read with no errors and the same counts.
"""

import argparse
import fnmatch
import os
import re
import subprocess
import sys

END_MARKER = re.compile(r"^MYSLAB-VM: END rc=(\d+)$")
START_MARKER = re.compile(r"^MYSLAB-VM: START ")
START_JIFFIES = re.compile(r"^MYSLAB-VM: START .*jiffies (\d+)")
PLAN_MARKER = re.compile(r"^MYSLAB-PLAN: (.*)$")
CHECK_LINE = re.compile(r"^MYSLAB-CHECK: (.*)$")
CHECK = re.compile(r"^(not ok|ok) ([A-Za-z0-9_.:+-]+)(?: - (.*))?$")
PLANT = re.compile(r"^MYSLAB-PLANT: (begin|expect|end) (.*)$")
LEAK = re.compile(r"^unreferenced object ")
LEAK_JIFFIES = re.compile(r"^\s*comm .*, jiffies (\d+)")
SYSLOG = re.compile(r"^<(\d+)>")
RECORD_START = re.compile(r"<\d+>\[\s*\d+\.\d+\] ")
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\] ?")
KTAP_VERSION = re.compile(r"^(?:KTAP|TAP) version \d+$")
RESULT = re.compile(r"^(not ok|ok) (\d+)(?: -)?(?: ([^#]*?))?\s*(?:#\s*(.*))?$")
KTAP_PLAN = re.compile(r"^1\.\.(\d+)$")
SUBTEST = re.compile(r"^# Subtest: (.+)$")

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

# A myslab report: the module prefix, at log level warning (4) or worse.
REPORT = re.compile(r"^myslab[A-Za-z0-9_]*: ")
REPORT_LEVEL = 4
# What the kernel itself prints about any out-of-tree module, once per boot;
# and the rate limiter's note on reports it kept off the console: those were
# made by whatever made the reports just printed before them (a planted
# flood, counted by the case that planted it), but the note comes with the
# next report from the same place, in whatever case or bracket that is. Any
# burst of reports prints its first ten lines, which are judged.
NOT_REPORTS = [
    re.compile(r"^myslab[A-Za-z0-9_]*: loading out-of-tree module taints kernel\.$"),
    re.compile(r"^myslab[A-Za-z0-9_]*: module verification failed: signature and/or "
               r"required key missing - tainting kernel$"),
    re.compile(r"^myslab[A-Za-z0-9_]*: \d+ callbacks suppressed$"),
]


def console_lines(raw):
    """The console's lines, each kernel record on a line of its own: the
    guest's output goes to the console through the tty, the kernel's records
    through printk, and one can cut into the other mid-line. A record starts
    with its "<N>[time] " prefix wherever it lands. Yields Line objects that
    keep the console's line numbers."""
    for num, text in enumerate(raw.splitlines(), 1):
        text = text.replace("\r", "")
        cuts = [m.start() for m in RECORD_START.finditer(text) if m.start() > 0]
        prev = 0
        for cut in cuts:
            if text[prev:cut].strip():
                yield Line(num, text[prev:cut])
            prev = cut
        yield Line(num, text[prev:])


class Line:
    """One console line: its text without prefixes, and its printk level
    and facility when the kernel printed it (None for the guest's output)."""

    def __init__(self, num, raw):
        self.num = num
        text = raw.replace("\r", "")
        self.level = self.facility = None
        m = SYSLOG.match(text)
        if m:
            prio = int(m.group(1))
            self.level, self.facility = prio & 7, prio >> 3
            text = text[m.end():]
        self.text = TIMESTAMP.sub("", text)

    @property
    def kernel(self):
        return self.facility == 0

    @property
    def mark(self):
        """Written to /dev/kmsg by the guest (a user facility record): where
        the harness's markers come from, and only there."""
        return self.facility is not None and self.facility != 0

    def quote(self):
        return "console line %d: %s" % (self.num, self.text.strip()[:300])


class Result:
    def __init__(self, line, level, status, num, name, directive):
        self.line = line
        self.level = level
        self.status = status
        self.num = num
        self.name = name
        self.directive = directive or ""
        self.children = []
        self.parent = None
        self.problems = []
        self.reports = []

    @property
    def skipped(self):
        return self.directive.upper().startswith("SKIP")

    @property
    def passed(self):
        return self.status == "ok"

    def path(self):
        names = []
        r = self
        while r:
            names.append(r.name)
            r = r.parent
        return ".".join(reversed(names))

    def leaves(self):
        if not self.children:
            return [self]
        out = []
        for c in self.children:
            out.extend(c.leaves())
        return out

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


class Ktap:
    """The KTAP results of one console, as trees of Result."""

    def __init__(self):
        self.suites = []        # level-0 results
        self.docs = []          # [plan or None, results at level 0] per document
        self.problems = []      # (message, Line)
        self.lines = []         # the KTAP lines, unindented by nothing, for kunit.py
        self.owner = {}         # index of a non-KTAP line -> the Result printed next


def parse_ktap(lines):
    """Parse every KTAP line of @lines (kernel lines only)."""
    k = Ktap()
    pending = {}        # level -> results seen at that level, not yet closed
    plans = {}          # level -> (planned count, Line)
    waiting = []        # indices of lines printed before the next result
    doc = None

    def unclosed(level, why, line):
        res = pending.pop(level, [])
        if res:
            k.problems.append(("%d results at depth %d were never closed by their "
                               "parent's result line (%s), last: '%s'" %
                               (len(res), level, why, res[-1].name), line))
            # They still count, under a stand-in for the lost result line:
            # a lost closing line must not hide a failure.
            lost = Result(line, level - 1, "not ok", 0, "(unclosed)", None)
            lost.children = res
            for c in res:
                c.parent = lost
            if level == 1:
                k.suites.append(lost)
            else:
                pending.setdefault(level - 1, []).append(lost)

    for idx, ln in enumerate(lines):
        if not ln.kernel:
            # The boot's own KTAP (the built-in executor's, often an empty
            # "1..0") ends where the scenario starts; 6.1 prints no document
            # header for a module's suites.
            if ln.mark and START_MARKER.match(ln.text):
                doc = None
            continue
        text = ln.text
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        level = indent // 4
        if indent % 4:
            waiting.append(idx)
            continue
        if KTAP_VERSION.match(stripped):
            k.lines.append(text)
            if level == 0:
                # A new document: whatever is still open belonged to the last.
                for lv in sorted(pending, reverse=True):
                    if lv > 0:
                        unclosed(lv, "a new KTAP document started", ln)
                doc = [None, []]
                k.docs.append(doc)
            continue
        m = SUBTEST.match(stripped)
        if m:
            k.lines.append(text)
            for lv in sorted(pending, reverse=True):
                if lv >= level and lv > 0:
                    unclosed(lv, "a new subtest started: " + m.group(1), ln)
            plans.pop(level, None)
            continue
        m = KTAP_PLAN.match(stripped)
        if m:
            k.lines.append(text)
            if level > 0:
                for lv in sorted(pending, reverse=True):
                    if lv >= level:
                        unclosed(lv, "a new plan started", ln)
            plans[level] = (int(m.group(1)), ln)
            if level == 0:
                if doc is None:
                    doc = [None, []]
                    k.docs.append(doc)
                doc[0] = (int(m.group(1)), ln)
            continue
        m = RESULT.match(stripped)
        if m:
            k.lines.append(text)
            res = Result(ln, level, m.group(1), int(m.group(2)), (m.group(3) or "").strip(),
                         m.group(4))
            for lv in sorted(pending, reverse=True):
                if lv > level + 1:
                    unclosed(lv, "its parent's result came first", ln)
            res.children = pending.pop(level + 1, [])
            for c in res.children:
                c.parent = res
            plan = plans.pop(level + 1, None)
            if plan is not None and plan[0] != len(res.children):
                res.problems.append("planned %d cases, %d reported" % (plan[0], len(res.children)))
            if not res.name:
                res.problems.append("result %d has no description" % res.num)
            for i in waiting:
                k.owner[i] = res
            waiting = []
            if level == 0:
                k.suites.append(res)
                if doc is None:
                    doc = [None, []]
                    k.docs.append(doc)
                doc[1].append(res)
            else:
                pending.setdefault(level, []).append(res)
            continue
        if stripped.startswith("#"):
            k.lines.append(text)
        waiting.append(idx)

    for lv in sorted(pending, reverse=True):
        if lv > 0:
            unclosed(lv, "the console ended: the guest crashed or hung inside a suite",
                     lines[-1] if lines else None)
    # The owner links of the results that were never closed.
    for s in k.suites:
        for r in s.walk():
            for c in r.children:
                c.parent = r
    return k


def read_expectations(path):
    """Read kunit_tests' declaration: 'suite <name> <min cases>' and
    'plant <suite.case glob> <regex>' lines; '#' starts a comment."""
    suites, plants = {}, []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 2)
            if parts[0] == "suite" and len(parts) == 3 and parts[2].isdigit():
                suites[parts[1]] = int(parts[2])
            elif parts[0] == "plant" and len(parts) == 3:
                plants.append((parts[1], re.compile(parts[2])))
            else:
                raise SystemExit("%s:%d: malformed line: %s" % (path, n, line))
    if not suites:
        raise SystemExit("%s: declares no suite" % path)
    return suites, plants


def kunit_py_counts(kunit_py, ktap_path):
    """Run the kernel's own KTAP parser; return (counts dict, output)."""
    p = subprocess.run([sys.executable, kunit_py, "parse", ktap_path],
                       capture_output=True, text=True, timeout=300)
    out = p.stdout + p.stderr
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    counts = {"rc": p.returncode}
    m = re.search(r"Ran (\d+) tests?: (.*)", out)
    if m:
        counts["total"] = int(m.group(1))
        for key, val in re.findall(r"(passed|failed|crashed|skipped|errors): (\d+)", m.group(2)):
            counts[key] = int(val)
    return counts, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", help="console log of the boot")
    ap.add_argument("--label", default="vm", help="prefix for every printed line")
    ap.add_argument("--boot-rc", type=int, default=0,
                    help="exit status of run-vm.sh (124: the runner killed a hung guest)")
    ap.add_argument("--timeout", type=int, default=0, metavar="SECONDS",
                    help="the runner's time limit, for the message of a hang")
    ap.add_argument("--boot-error", default="",
                    help="the runner could not prepare or start the boot: why")
    ap.add_argument("--expect-suites", metavar="FILE",
                    help="the KUnit suites that must report and the planting cases "
                         "(kunit_tests/suites.expect); without it no KUnit result may appear")
    ap.add_argument("--ktap-out", metavar="FILE",
                    help="write the module's KTAP here, for tools/testing/kunit/kunit.py parse")
    ap.add_argument("--kunit-py", metavar="PATH",
                    help="the kernel's kunit.py: parse --ktap-out with it and demand the same counts")
    ap.add_argument("--expect-splat", action="append", default=[], metavar="TEXT",
                    help="a kernel splat planted on purpose (harness self-test only): "
                         "lines containing TEXT must appear and are not failures")
    args = ap.parse_args()

    tag = "[%s]" % args.label
    passed = failed = skipped = 0
    boot_failures = 0
    messages = []

    def fail(msg, line=None):
        nonlocal failed, boot_failures
        failed += 1
        boot_failures += 1
        messages.append("%s FAIL: %s" % (tag, msg))
        if line is not None:
            messages.append("%s   %s" % (tag, line.quote()))

    if args.boot_error:
        fail("the boot did not happen: %s" % args.boot_error)
    if args.boot_rc == 124:
        fail("guest hung: no end-of-run marker after %d s, killed" % args.timeout)
    elif args.boot_rc == 75:
        fail("kernel boot problem: the kernel hung before the scenario started "
             "(its console went silent; run-vm.sh --stall killed it), twice in a row")
    elif args.boot_rc:
        fail("QEMU failed (run-vm.sh exit status %d); see %s.qemu" % (args.boot_rc, args.log))

    raw = ""
    if not os.path.exists(args.log):
        fail("no console log %s: the guest never started" % args.log)
    else:
        with open(args.log, errors="replace") as f:
            raw = f.read()
    lines = list(console_lines(raw))
    if os.path.exists(args.log) and not lines:
        fail("the console log is empty: the guest never started")
    elif lines and not any(l.level is not None for l in lines):
        fail("the console carries no log levels: boot with console_msg_format=syslog")

    start = next((i for i, l in enumerate(lines) if l.mark and START_MARKER.match(l.text)), None)

    # --- KUnit ---
    suites_expected, plants = ({}, [])
    if args.expect_suites:
        suites_expected, plants = read_expectations(args.expect_suites)
    ktap = parse_ktap(lines)
    for msg, line in ktap.problems:
        fail(msg, line)
    for i, (plan, results) in enumerate(ktap.docs):
        if plan is not None and plan[0] != len(results):
            fail("a KTAP document planned %d suites, %d reported" % (plan[0], len(results)), plan[1])
    seen = {}
    for suite in ktap.suites:
        leaves = suite.leaves()
        sp = sum(1 for x in leaves if x.passed and not x.skipped)
        ss = sum(1 for x in leaves if x.skipped)
        bad = [x for x in leaves if not x.passed and not x.skipped]
        print("%s %s: %d passed, %d failed, %d skipped" % (tag, suite.name, sp, len(bad), ss))
        for x in bad:
            print("%s   not ok %s" % (tag, x.path()))
        passed += sp
        skipped += ss
        failed += len(bad)
        for r in suite.walk():
            for p in r.problems:
                fail("%s: %s" % (r.path(), p), r.line)
            if r.children and not r.passed and not r.skipped and \
                    all(c.passed for c in r.children):
                fail("%s reported not ok although all its %d cases passed (an init, exit or "
                     "suite failure)" % (r.path(), len(r.children)), r.line)
        if suite.name in seen:
            fail("suite %s reported twice" % suite.name, suite.line)
        seen[suite.name] = len(suite.children)
    if args.expect_suites:
        for name, least in suites_expected.items():
            if name not in seen:
                fail("the declared suite %s did not report" % name)
            elif seen[name] < least:
                fail("suite %s reported %d cases, at least %d are declared" %
                     (name, seen[name], least))
        for name in seen:
            if name not in suites_expected:
                fail("suite %s reported but is not declared in %s" % (name, args.expect_suites))
    elif ktap.suites:
        fail("KUnit results in a boot that expects none: %s" % ktap.suites[0].name,
             ktap.suites[0].line)

    # --- the module's KTAP, for the kernel's own parser ---
    if args.ktap_out:
        module = [s for s in ktap.suites if s.name in suites_expected]
        with open(args.ktap_out, "w") as f:
            own = [l for l in lines[start or 0:] if l.kernel]
            ktap_lines = parse_ktap(own).lines
            # 6.1 prints no document header for a module's suites, 6.12 does.
            if not ktap_lines or not KTAP_VERSION.match(ktap_lines[0]):
                ktap_lines = ["KTAP version 1", "1..%d" % len(suites_expected)] + ktap_lines
            f.write("\n".join(ktap_lines) + "\n")
        if args.kunit_py:
            counts, out = kunit_py_counts(args.kunit_py, args.ktap_out)
            ours = {"passed": 0, "failed": 0, "skipped": 0}
            for s in module:
                for x in s.leaves():
                    key = "skipped" if x.skipped else "passed" if x.passed else "failed"
                    ours[key] += 1
            theirs = {k: counts.get(k, 0) for k in ("passed", "failed", "skipped")}
            theirs["failed"] += counts.get("crashed", 0)
            errors = counts.get("errors", 0)
            if "total" not in counts:
                fail("kunit.py parse printed no summary: %s" % out.strip().splitlines()[-1:])
            elif errors or theirs != ours:
                fail("kunit.py parse disagrees: it counted %s with %d errors, we counted %s (%s)" %
                     (theirs, errors, ours, args.ktap_out))
                for l in [l for l in out.splitlines() if "rror" in l][:5]:
                    messages.append("%s   kunit.py: %s" % (tag, l.strip()))
            else:
                print("%s kunit.py parse agrees: %d tests, %d passed, %d failed, %d skipped, 0 errors" %
                      (tag, counts["total"], theirs["passed"], theirs["failed"], theirs["skipped"]))

    # --- scenario checks ---
    plan_lines = [(l, PLAN_MARKER.match(l.text)) for l in lines if l.mark]
    plan_lines = [(l, m) for l, m in plan_lines if m]
    checks = []
    names = {}
    for l in lines:
        if not l.mark:
            continue
        m = CHECK_LINE.match(l.text)
        if not m:
            continue
        c = CHECK.match(m.group(1))
        if not c:
            fail("malformed check line (a check's name is one word of [A-Za-z0-9_.:+-])", l)
            continue
        checks.append(c)
        if c.group(2) in names:
            fail("check %s reported twice" % c.group(2), l)
        names[c.group(2)] = l
        if c.group(1) != "ok":
            fail("check %s: %s" % (c.group(2), c.group(3) or "failed"), l)
    n_ok = sum(1 for c in checks if c.group(1) == "ok")
    print("%s scenario checks: %d passed, %d failed" % (tag, n_ok, len(checks) - n_ok))
    if len(plan_lines) != 1:
        fail("the scenario printed %d 'MYSLAB-PLAN: <checks>' lines, expected exactly one" %
             len(plan_lines), plan_lines[1][0] if len(plan_lines) > 1 else None)
    elif not plan_lines[0][1].group(1).isdigit():
        fail("malformed plan", plan_lines[0][0])
    elif int(plan_lines[0][1].group(1)) != len(checks):
        fail("the scenario planned %s checks, %d reported" % (plan_lines[0][1].group(1), len(checks)),
             plan_lines[0][0])

    # --- kmemleak's reports of the boot itself ---
    # An object allocated before the scenario started (jiffies in the line
    # after "unreferenced object") is the boot's, not the scenario's.
    start_jiffies = [START_JIFFIES.match(l.text) for l in lines]
    start_jiffies = [int(m.group(1)) for m in start_jiffies if m]
    boot_leaks = set()
    for i, l in enumerate(lines[:-1]):
        m = LEAK_JIFFIES.match(lines[i + 1].text)
        if start_jiffies and LEAK.match(l.text) and m and int(m.group(1)) < start_jiffies[0]:
            boot_leaks.add(i)
    if boot_leaks:
        print("%s kmemleak: %d objects leaked during boot, before the scenario started: not counted" %
              (tag, len(boot_leaks)))

    # --- myslab reports: planted in a bracket or a declared KUnit case, or failures ---
    bracket = None      # [id, kinds: [[regex, want, seen, Line]], Line]
    unplanned = []
    planted_total = 0
    for i, l in enumerate(lines):
        if l.mark:
            m = PLANT.match(l.text)
            if not m:
                continue
            verb, rest = m.group(1), m.group(2)
            if verb == "begin":
                if bracket:
                    fail("planted bracket %s begins inside %s" % (rest, bracket[0]), l)
                bracket = [rest.strip(), [], l]
            elif verb == "expect":
                parts = rest.split(None, 2)
                if not bracket or len(parts) != 3 or parts[0] != bracket[0] or \
                        not parts[1].isdigit():
                    fail("malformed or stray planted expectation", l)
                    continue
                try:
                    bracket[1].append([re.compile(parts[2]), int(parts[1]), 0, l])
                except re.error as e:
                    fail("planted expectation with a bad regex (%s)" % e, l)
            else:
                if not bracket or rest.strip() != bracket[0]:
                    fail("planted bracket end without its begin", l)
                    continue
                for rx, want, got, bl in bracket[1]:
                    if got != want:
                        fail("planted '%s' in %s: %d reports expected, %d seen" %
                             (rx.pattern, bracket[0], want, got), bl)
                    planted_total += got
                bracket = None
            continue
        if not (l.kernel and l.level is not None and l.level <= REPORT_LEVEL and
                REPORT.match(l.text)) or any(n.match(l.text) for n in NOT_REPORTS):
            continue
        if bracket:
            kind = next((k for k in bracket[1] if k[0].search(l.text)), None)
            if kind:
                kind[2] += 1
                continue
            fail("a myslab report inside planted bracket %s matches none of its kinds" %
                 bracket[0], l)
            continue
        owner = ktap.owner.get(i)
        if owner is not None:
            path = owner.path()
            rxs = [rx for glob, rx in plants if fnmatch.fnmatchcase(path, glob)]
            if any(rx.search(l.text) for rx in rxs):
                owner.reports.append(l)
                planted_total += 1
                continue
        unplanned.append((l, owner))
    if bracket:
        fail("planted bracket %s never ended" % bracket[0], bracket[2])
    for l, owner in unplanned[:10]:
        where = " (in KUnit case %s)" % owner.path() if owner else ""
        fail("unplanned myslab report%s" % where, l)
    if len(unplanned) > 10:
        fail("%d more unplanned myslab reports" % (len(unplanned) - 10))
    if planted_total:
        print("%s myslab reports: %d planted, all accounted for" % (tag, planted_total))
    for glob, rx in plants:
        hits = [r for s in ktap.suites for r in s.walk()
                if fnmatch.fnmatchcase(r.path(), glob) and not r.children]
        if args.expect_suites and suites_expected and not hits:
            fail("the declared planting case %s did not run" % glob)

    # --- kernel splats ---
    # Kernel lines, and the guest's own output too: kmemleak's records reach
    # the console through the guest's cat of /sys/kernel/debug/kmemleak.
    expected_seen = {e: 0 for e in args.expect_splat}
    splats = []
    for i, l in enumerate(lines):
        if i in boot_leaks or (not l.kernel and l.text.startswith("MYSLAB-")):
            continue
        planted = [e for e in args.expect_splat if e in l.text]
        for e in planted:
            expected_seen[e] += 1
        if planted:
            continue
        if SPLAT_START.match(l.text) or any(s in l.text for s in SPLATS):
            splats.append(l)
    for e, n in expected_seen.items():
        if n == 0:
            fail("the planted splat '%s' did not appear" % e)
    early = [l for l in splats if start is None or l.num <= start]
    late = [l for l in splats if l not in early]
    if early:
        fail("kernel boot problem, before the scenario started (not myslab's doing): "
             "%d splat lines, first: %s" % (len(early), early[0].text.strip()), early[0])
    if late:
        fail("kernel splat in the console (%d report lines), first: %s" %
             (len(late), late[0].text.strip()), late[0])
        for l in late[1:5]:
            messages.append("%s   %s" % (tag, l.quote()))

    # --- the end of the run ---
    ends = [END_MARKER.match(l.text) for l in lines if l.mark]
    ends = [m for m in ends if m]
    if start is None and lines:
        fail("the scenario never started (no 'MYSLAB-VM: START' line)")
    if args.boot_rc in (124, 75):
        pass
    elif not ends:
        fail("no end-of-run marker: the guest crashed or stopped early")
    elif int(ends[-1].group(1)) != 0:
        fail("the guest's scenario exited with status %s" % ends[-1].group(1))
    elif len(ends) > 1:
        fail("%d end-of-run markers" % len(ends))
    elif checks and sum(1 for c in checks if c.group(1) != "ok") and \
            int(ends[-1].group(1)) == 0:
        fail("the scenario exited 0 although some of its checks failed")

    passed += n_ok
    if boot_failures:
        print("%s boot: FAILED (%d problems)" % (tag, boot_failures))
    else:
        passed += 1
        print("%s boot: reached the end-of-run marker, no kernel splats, no unplanned reports" % tag)

    for m in messages:
        print(m)
    print("RESULT passed=%d failed=%d skipped=%d" % (passed, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
