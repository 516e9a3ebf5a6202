"""Baselines for gradual adoption: the failures a portfolio had when governance started.

`check --baseline` blocks only on findings that are not in the baseline, marks every
finding `new` or `unchanged`, and lists the baseline entries that no longer occur
(`absent`) so the baseline can shrink. Entries are keyed on rule and subject
(kind and id), never on message text, which is kept only to help people read the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.engine.report import Report
from pmo_rules.engine.results import AbsentEntry, BaselineMarks
from pmo_rules.history.snapshot import OPEN, Key, Snapshot, read_json

BASELINE_SCHEMA = "pmo-rules/baseline/v1"
ENTRY_FIELDS = ("rule", "kind", "subject")


@dataclass(frozen=True, slots=True)
class Entry:
    """One baselined finding."""

    rule: str
    kind: str
    subject: str
    severity: str = ""
    message: str = ""

    @property
    def key(self) -> Key:
        """The finding's identity."""
        return (self.rule, self.kind, self.subject)


@dataclass(frozen=True, slots=True)
class Baseline:
    """A baseline read from a file or taken from a recorded run."""

    source: str
    entries: dict[Key, Entry]


def baseline_of(snapshot: Snapshot) -> Baseline:
    """The baseline of a run: its failures that no waiver covers (a waived finding stays
    governed by its waiver, which may expire)."""
    entries = {key: Entry(i.rule, i.kind, i.subject, i.severity, i.message)
               for key, i in sorted(snapshot.items.items()) if i.status == "fail"}
    return Baseline(snapshot.source, entries)


def baseline_json(baseline: Baseline, snapshot: Snapshot) -> str:
    """The baseline file's text: sorted entries, the same bytes for the same run."""
    data = {
        "schema": BASELINE_SCHEMA, "portfolio": snapshot.portfolio,
        "as_of": snapshot.as_of.isoformat(), "source": snapshot.source,
        "entries": [{"rule": e.rule, "kind": e.kind, "subject": e.subject,
                     "severity": e.severity, "message": e.message}
                    for e in baseline.entries.values()],
    }
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"


def load_baseline(path: Path) -> Baseline:
    """A baseline file; a malformed one is a diagnostic naming the entry and its line."""
    what = "a baseline file (`pmo-rules baseline create`)"
    data = read_json(path, what)
    file = str(path)
    if not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA:
        raise DiagnosticError([Diagnostic(
            "PMO911", f"`{path}` is not a pmo-rules baseline", Span(file, 1, 1, 1, 2),
            help=f"a baseline has `\"schema\": \"{BASELINE_SCHEMA}\"`; write one with "
                 "`pmo-rules baseline create`",
        )])
    raw = data.get("entries")
    if not isinstance(raw, list):
        raise DiagnosticError([Diagnostic(
            "PMO911", "the baseline has no `entries` list", Span(file, 1, 1, 1, 2),
            help="write it again with `pmo-rules baseline create`",
        )])
    text = path.read_text(encoding="utf-8", errors="replace")
    problems = []
    entries: dict[Key, Entry] = {}
    for n, entry in enumerate(raw):
        missing = [f for f in ENTRY_FIELDS if not isinstance(_get(entry, f), str)
                   or not _get(entry, f)]
        if missing:
            line = _entry_line(text, n)
            problems.append(Diagnostic(
                "PMO911", f"baseline entry {n + 1} has no {', '.join(f'`{m}`' for m in missing)}",
                Span(file, line, 1, line, 2), path=f"entries[{n}]",
                help="each entry names a `rule`, a subject `kind` and a `subject` id",
            ))
            continue
        e = Entry(entry["rule"], entry["kind"], entry["subject"],
                  str(entry.get("severity") or ""), str(entry.get("message") or ""))
        entries.setdefault(e.key, e)
    if problems:
        raise DiagnosticError(problems)
    return Baseline(file, entries)


def apply_baseline(report: Report, baseline: Baseline) -> BaselineMarks:
    """Mark each finding `new` or `unchanged`; unchanged ones no longer block."""
    seen: set[Key] = set()
    new = unchanged = 0
    for f in report.findings:
        if f.status not in ("fail", "waived"):
            continue
        key = (f.rule.id, f.subject.kind, f.subject.id)
        if key in baseline.entries:
            f.baseline = "unchanged"
            f.blocking = False
            unchanged += 1
        else:
            f.baseline = "new"
            new += 1
        seen.add(key)
    seen |= {(f.rule.id, f.subject.kind, f.subject.id) for f in report.findings
             if f.status in OPEN}
    ran = {r.id for r in report.rules}
    absent = [AbsentEntry(e.rule, e.kind, e.subject, e.message,
                          "no longer fails" if e.rule in ran else "the rule did not run")
              for key, e in baseline.entries.items() if key not in seen]
    marks = BaselineMarks(baseline.source, new, unchanged, absent)
    report.baseline = marks
    return marks


def _get(entry: Any, name: str) -> Any:
    return entry.get(name) if isinstance(entry, dict) else None


def _entry_line(text: str, index: int) -> int:
    """The line where entry `index` of the `entries` array starts (1 when not found)."""
    pos = text.find('"entries"')
    pos = text.find("[", pos) if pos >= 0 else -1
    if pos < 0:
        return 1
    depth, count, quoted, escaped, expect = 0, -1, False, False, True
    for at in range(pos + 1, len(text)):
        ch = text[at]
        if quoted:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                quoted = False
            continue
        if depth == 0 and expect and not ch.isspace() and ch not in ",]":
            count, expect = count + 1, False
            if count == index:
                return text.count("\n", 0, at) + 1
        if ch == '"':
            quoted = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            if depth == 0:
                break
            depth -= 1
        elif ch == "," and depth == 0:
            expect = True
    return 1
