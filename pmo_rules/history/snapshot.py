"""One run as history sees it, wherever it comes from: this check, the store, a JSON report.

A finding's identity is its key: (rule id, subject kind, subject id). Diffs, baselines
and trends compare keys; messages, clauses and values are data that may change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from pmo_rules.diagnostics import Diagnostic, DiagnosticError
from pmo_rules.engine.report import REPORT_SCHEMA, Report
from pmo_rules.engine.results import SEVERITY_WEIGHT, Finding, RuleCounts
from pmo_rules.reports.facts import family, program_of

Key = tuple[str, str, str]
# Results that are findings for history: a failure, waived or not, or a rule that could
# not be evaluated for the subject (so an error never reads as "resolved").
OPEN = ("fail", "waived", "error")


@dataclass(frozen=True, slots=True)
class Item:
    """One finding of a run."""

    rule: str
    kind: str
    subject: str
    name: str | None
    status: str
    severity: str
    enforcement: str
    blocking: bool
    message: str
    first_seen: dt.date | None = None  # None when unknown (a JSON report file)
    program: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list, compare=False)
    waiver: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def key(self) -> Key:
        """The finding's identity across runs."""
        return (self.rule, self.kind, self.subject)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a finding in history outputs."""
        return {
            "rule": self.rule, "subject": {"kind": self.kind, "id": self.subject,
                                           **({"name": self.name} if self.name else {})},
            "status": self.status, "severity": self.severity, "enforcement": self.enforcement,
            "blocking": self.blocking, "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class RuleRow:
    """A rule as it ran, with its counts."""

    id: str
    title: str
    policy: str
    severity: str
    enforcement: str
    passed: int = 0
    failed: int = 0
    waived: int = 0
    errors: int = 0
    not_applicable: int = 0


@dataclass(frozen=True, slots=True)
class WaiverRow:
    """A waiver of the register and its fate in a run."""

    rule: str
    subject: str
    status: str
    reason: str
    approved_by: str
    expires: str | None
    note: str


@dataclass(slots=True)
class Snapshot:
    """A run's findings, rules, waiver fates and scores."""

    source: str
    portfolio: str
    as_of: dt.date
    items: dict[Key, Item]
    rules: dict[str, RuleRow]
    waivers: list[WaiverRow]
    score: float | None  # none when rules errored and nothing was weighed
    program_scores: dict[str, float]
    blocking: int
    run_id: int | None = None
    recorded_at: dt.datetime | None = None
    family_scores: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.family_scores:
            self.family_scores = family_scores(self.rules.values())

    def describe(self) -> dict[str, Any]:
        """Which run this is, for the header of a diff."""
        return {
            "source": self.source, "run": self.run_id, "portfolio": self.portfolio,
            "as_of": self.as_of.isoformat(),
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "score": self.score, "blocking": self.blocking,
        }


def family_scores(rules: Iterable[RuleRow]) -> dict[str, float]:
    """Severity-weighted compliance per rule family (LC-001 is in LC), as the portfolio's
    score is computed: passing or waived subjects over evaluated ones, by weight."""
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    for r in rules:
        name = family(r.id)
        weight = SEVERITY_WEIGHT.get(r.severity, 1)
        earned[name] = earned.get(name, 0) + weight * (r.passed + r.waived)
        possible[name] = possible.get(name, 0) + weight * (r.passed + r.failed + r.waived)
    return {name: round(earned[name] / total, 4) if total else 1.0
            for name, total in sorted(possible.items())}


def item_of(f: Finding, first_seen: dt.date | None = None) -> Item:
    """A report's finding as history keeps it."""
    s = f.subject
    return Item(
        rule=f.rule.id, kind=s.kind, subject=s.id, name=s.name, status=f.status,
        severity=f.rule.severity, enforcement=f.rule.enforcement, blocking=f.blocking,
        message=f.message, first_seen=first_seen, program=program_of(f),
        evidence=[e.to_dict() for e in f.evidence], waiver=f.waiver,
    )


def rule_rows(report: Report) -> list[RuleRow]:
    """Every rule of the run with its counts."""
    out = []
    for r in report.rules:
        c = report.counts.get(r.id) or RuleCounts()
        out.append(RuleRow(r.id, r.title, r.policy, r.severity, r.enforcement,
                           c.passed, c.failed, c.waived, c.error, c.not_applicable))
    return out


def waiver_rows(report: Report) -> list[WaiverRow]:
    """The run's waiver fates, in register order."""
    return [WaiverRow(w.rule, w.subject, w.status, w.reason, w.approved_by, w.expires, w.note)
            for w in report.waivers]


def snapshot_of_report(report: Report, source: str = "this check") -> Snapshot:
    """A run just evaluated, as a snapshot."""
    items = {}
    for f in report.findings:
        if f.status in OPEN:
            item = item_of(f)
            items[item.key] = item
    return Snapshot(
        source=source, portfolio=report.portfolio_id, as_of=report.as_of, items=items,
        rules={r.id: r for r in rule_rows(report)}, waivers=waiver_rows(report),
        score=report.summary()["score"], program_scores=report.score_table()["program"],
        blocking=len(report.blocking),
    )


def snapshot_of_json(path: Path) -> Snapshot:
    """A JSON report file (`check --format json`) as a snapshot."""
    data = read_json(path, "a JSON report (`pmo-rules check --format json`)")
    if not isinstance(data, dict) or data.get("schema") != REPORT_SCHEMA:
        raise DiagnosticError([_not_a(path, "is not a pmo-rules JSON report",
                                      f"a report has `\"schema\": \"{REPORT_SCHEMA}\"`")])
    try:
        return _from_json(data, path)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DiagnosticError([_not_a(
            path, f"is a JSON report with a missing or malformed part ({exc})",
            "write it again with `pmo-rules check --format json --output FILE`")]) from None


def _from_json(data: Mapping[str, Any], path: Path) -> Snapshot:
    items = {}
    for f in data["findings"]:
        if _text(f["status"]) not in OPEN:
            continue
        s = f["subject"]
        item = Item(
            rule=_text(f["rule"]), kind=_text(s["kind"]), subject=_text(s["id"]),
            name=s.get("name"), status=f["status"], severity=_text(f["severity"]),
            enforcement=_text(f["enforcement"]), blocking=bool(f["blocking"]),
            message=f.get("message") or "", evidence=list(f.get("evidence") or []),
            waiver=f.get("waiver"),
        )
        items[item.key] = item
    rules = {_text(r["id"]): RuleRow(
        r["id"], r.get("title", ""), r.get("policy", ""), _text(r["severity"]),
        _text(r["enforcement"]), int(r.get("pass", 0)), int(r.get("fail", 0)),
        int(r.get("waived", 0)), int(r.get("error", 0)), int(r.get("not_applicable", 0)),
    ) for r in data["rules"]}
    waivers = [WaiverRow(_text(w["rule"]), _text(w["subject"]), _text(w["status"]),
                         w.get("reason", ""), w.get("approved_by", ""), w.get("expires"),
                         w.get("note", ""))
               for w in data.get("waivers", [])]
    scores = data["scores"]
    summary = data["summary"]
    portfolio = (data.get("portfolio") or _portfolio_of(data) or path.stem)
    return Snapshot(
        source=str(path), portfolio=str(portfolio),
        as_of=dt.date.fromisoformat(data["as_of"]), items=items, rules=rules,
        waivers=waivers,
        score=None if scores["portfolio"] is None else float(scores["portfolio"]),
        program_scores={k: float(v) for k, v in scores.get("program", {}).items()},
        blocking=int(summary["blocking"]),
    )


def _text(value: Any) -> str:
    """A report's identifier or label, which must be text to be compared and sorted."""
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {value!r}")
    return value


def _portfolio_of(data: Mapping[str, Any]) -> str | None:
    # The report names its portfolio in its portfolio-scope findings' subjects.
    for f in data.get("findings", []):
        if f["subject"]["kind"] == "portfolio":
            return str(f["subject"]["id"])
    return None


def read_json(path: Path, what: str) -> Any:
    """A JSON file, or a diagnostic naming the file and what it should have been."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DiagnosticError([_not_a(path, f"cannot be read: {exc.strerror}",
                                      f"give {what}")]) from None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        line = raw[:exc.pos].count(b"\n") + 1
        column = exc.pos - (raw.rfind(b"\n", 0, exc.pos) + 1) + 1
        from pmo_rules.diagnostics import Span

        raise DiagnosticError([Diagnostic(
            "PMO909", f"`{path}` is not valid JSON: {exc.msg}",
            Span(str(path), line, column, line, column + 1), help=f"give {what}",
        )]) from None


def _not_a(path: Path, problem: str, help_: str) -> Diagnostic:
    from pmo_rules.diagnostics import Span

    return Diagnostic("PMO909", f"`{path}` {problem}", Span(str(path), 1, 1, 1, 2),
                      help=help_)
