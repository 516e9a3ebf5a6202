"""The Report of a run: findings, waiver fates, counts, scores, inputs, and the exit code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import orjson

from pmo_rules.diagnostics import Diagnostic
from pmo_rules.engine.results import BaselineMarks, Finding, RuleCounts, RuleInfo, WaiverOutcome
from pmo_rules.engine.scores import ScoreBoard

REPORT_SCHEMA = "pmo-rules/report/v1"
EXIT_OK, EXIT_BLOCKING, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass(slots=True)
class Report:
    """Everything a run found, in a deterministic order; `to_json` is the v1 contract."""

    as_of: dt.date
    portfolio_id: str
    findings: list[Finding]
    waivers: list[WaiverOutcome]
    counts: dict[str, RuleCounts]
    rules: list[RuleInfo]
    scores: ScoreBoard
    inputs: dict[str, Any]
    policies: list[dict[str, Any]]
    plugins: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    programs: dict[str, str | None] = field(default_factory=dict)
    # People's and programs' names by id, the portfolio's name and currency: for reports
    # that show "Name (ID)" and money as people read them.
    names: dict[str, str] = field(default_factory=dict)
    portfolio_name: str | None = None
    currency: str | None = None
    # How the run was set up (engine/record.py): params and their sources, options, waivers.
    settings: dict[str, Any] = field(default_factory=dict)
    baseline: BaselineMarks | None = None  # set by `check --baseline`

    @property
    def failures(self) -> list[Finding]:
        """Failed (not waived) findings."""
        return [f for f in self.findings if f.status == "fail"]

    @property
    def blocking(self) -> list[Finding]:
        """Failures that block: not waived, and soft or mandatory above --fail-on."""
        return [f for f in self.findings if f.blocking]

    @property
    def errors(self) -> list[Finding]:
        """Rules that could not be evaluated for a subject."""
        return [f for f in self.findings if f.status == "error"]

    @property
    def exit_code(self) -> int:
        """0 nothing blocking, 1 blocking findings, 3 a rule could not be evaluated."""
        if self.errors:
            return EXIT_INTERNAL
        return EXIT_BLOCKING if self.blocking else EXIT_OK

    def summary(self) -> dict[str, Any]:
        """Counts over every (rule, subject) pair, and the portfolio's compliance score."""
        total = RuleCounts()
        for c in self.counts.values():
            total.passed += c.passed
            total.failed += c.failed
            total.waived += c.waived
            total.error += c.error
            total.not_applicable += c.not_applicable
        return {
            "rules": len(self.rules),
            "subjects": total.subjects,
            "pass": total.passed,
            "fail": total.failed,
            "waived": total.waived,
            "error": total.error,
            "not_applicable": total.not_applicable,
            "blocking": len(self.blocking),
            "blocking_unknown": sum(1 for f in self.findings if f.blocking_unknown),
            "expiring_waivers": sum(1 for w in self.waivers if w.expiring),
            "score": self.portfolio_score(),
        }

    def portfolio_score(self) -> float | None:
        """The portfolio's score; None ("n/a") when rules errored and nothing was weighed:
        a run that evaluated nothing is not 100% compliant."""
        key = ("portfolio", self.portfolio_id)
        if self.errors and not self.scores.weighed(key):
            return None
        return self.scores.score(key)

    def failures_by(self) -> dict[str, dict[str, int]]:
        """Failures (not waived) by severity, then enforcement, most severe first; with the
        blocking ones under `blocking`."""
        out = {s: {"mandatory": 0, "soft": 0, "advisory": 0, "blocking": 0}
               for s in ("critical", "high", "medium", "low", "info")}
        for f in self.findings:
            if f.status == "fail":
                row = out.setdefault(f.rule.severity, {"mandatory": 0, "soft": 0,
                                                       "advisory": 0, "blocking": 0})
                row[f.rule.enforcement] = row.get(f.rule.enforcement, 0) + 1
                row["blocking"] += f.blocking
        return out

    def score_table(self) -> dict[str, dict[str, float]]:
        """Compliance scores per project and per program, sorted by id."""
        return {"project": self.scores.table("project"), "program": self.scores.table("program")}

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as a dict (DESIGN.md, schema pmo-rules/report/v1)."""
        return {
            "schema": REPORT_SCHEMA,
            "portfolio": self.portfolio_id,
            "as_of": self.as_of.isoformat(),
            "settings": self.settings,
            "summary": self.summary(),
            "findings": _finding_dicts(self.findings),
            "waivers": [w.to_dict() for w in self.waivers],
            "errors": [f.to_dict() for f in self.errors],
            "scores": {"portfolio": self.portfolio_score(), **self.score_table()},
            "rules": [
                {"id": r.id, "title": r.title, "policy": r.policy, "severity": r.severity,
                 "enforcement": r.enforcement, "tags": list(r.tags), "maturity": r.maturity,
                 **_counts(self.counts.get(r.id))}
                for r in self.rules
            ],
            "inputs": self.inputs,
            "policies": self.policies,
            "plugins": self.plugins,
            "warnings": [d.to_dict() for d in self.warnings],
            **({"baseline": self.baseline.to_dict()} if self.baseline is not None else {}),
        }

    def to_json(self) -> str:
        """The JSON report: the same inputs always give the same bytes."""
        return self.to_json_bytes().decode("utf-8")

    def to_json_bytes(self) -> bytes:
        """The JSON report as UTF-8 bytes, as written (no text copy of a large report)."""
        # orjson: the standard library's indenting encoder is pure Python and slow on big runs.
        doc = self.to_dict()
        option = orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
        try:
            return orjson.dumps(doc, option=option)
        except TypeError:  # an integer past 64 bits that did not come through to_plain
            from pmo_rules.engine.runtime import json_safe

            return orjson.dumps(json_safe(doc), option=option)


def _finding_dicts(findings: list[Finding]) -> list[dict[str, Any]]:
    """Every finding's JSON shape (Finding.to_dict), with what its rule gives every finding
    (title, policy, location...) built once per rule: large runs have many per rule."""
    out = []
    locations: dict[int, dict[str, Any]] = {}
    for f in findings:
        location = locations.get(id(f.rule))
        if location is None:
            location = locations[id(f.rule)] = f.rule.location.to_dict()
        out.append(f.to_dict(location))
    return out


def _counts(c: RuleCounts | None) -> dict[str, int]:
    c = c or RuleCounts()
    return {"pass": c.passed, "fail": c.failed, "waived": c.waived, "error": c.error,
            "not_applicable": c.not_applicable}
