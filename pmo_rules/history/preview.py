"""A policy change's impact before it ships: both policy sets over the same portfolio,
compared rule by rule (findings added, removed or changed), with the blocking count
and the score before and after. Waivers apply to both sides alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pmo_rules.engine.report import Report
from pmo_rules.history.diff import Change, Persisting, RunDiff, diff_runs
from pmo_rules.history.snapshot import Item, RuleRow, snapshot_of_report


@dataclass(slots=True)
class RuleImpact:
    """What the change does to one rule's findings."""

    rule: str
    title: str
    current: RuleRow | None
    proposed: RuleRow | None
    added: list[Item]
    removed: list[Item]
    changed: list[Persisting]

    @property
    def blocking_change(self) -> int:
        """Blocking findings of this rule, proposed minus current."""
        after = sum(i.blocking for i in self.added) + sum(p.after.blocking for p in self.changed)
        before = sum(i.blocking for i in self.removed) + sum(p.before.blocking
                                                             for p in self.changed)
        return after - before

    @property
    def state(self) -> str:
        """`added`, `removed` or `kept`: whether the rule runs on each side."""
        if self.current is None:
            return "added"
        return "removed" if self.proposed is None else "kept"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one rule's impact."""
        def side(r: RuleRow | None) -> dict[str, Any] | None:
            return None if r is None else {
                "severity": r.severity, "enforcement": r.enforcement, "fail": r.failed,
                "waived": r.waived}

        return {
            "rule": self.rule, "title": self.title, "state": self.state,
            "current": side(self.current), "proposed": side(self.proposed),
            "added": [i.to_dict() for i in self.added],
            "removed": [i.to_dict() for i in self.removed],
            "changed": [{**p.after.to_dict(), "changes": [
                {"field": f, "before": a, "after": b} for f, a, b in p.changes()]}
                for p in self.changed],
            "blocking_change": self.blocking_change,
        }


@dataclass(slots=True)
class Preview:
    """The proposed policies' run compared with the current policies' run."""

    diff: RunDiff
    rules: list[RuleImpact]

    @property
    def rule_changes(self) -> list[Change]:
        """Rules whose severity or enforcement the proposal changes, or that it adds or drops."""
        return self.diff.rules

    def to_dict(self) -> dict[str, Any]:
        """The preview as JSON (schema pmo-rules/preview/v1)."""
        d = self.diff
        return {
            "schema": "pmo-rules/preview/v1", "portfolio": d.b.portfolio,
            "as_of": d.b.as_of.isoformat(),
            "summary": {
                "added": len(d.new), "removed": len(d.resolved),
                "changed": sum(len(r.changed) for r in self.rules),
                "blocking": {"current": d.a.blocking, "proposed": d.b.blocking,
                             "change": d.b.blocking - d.a.blocking},
                "score": {"current": d.a.score, "proposed": d.b.score,
                          "change": None if d.a.score is None or d.b.score is None
                          else round(d.b.score - d.a.score, 4)},
            },
            "rules": [r.to_dict() for r in self.rules],
            "rule_changes": [c.to_dict() for c in d.rules],
            "waiver_changes": [c.to_dict() for c in d.waivers],
            "scores": d.to_dict()["scores"],
        }


def preview(current: Report, proposed: Report) -> Preview:
    """Compare the run of the proposed policies with the run of the current ones."""
    a = snapshot_of_report(current, "current policies")
    b = snapshot_of_report(proposed, "proposed policies")
    diff = diff_runs(a, b)
    # One register serves both sides; a waiver of a rule one side lacks is left out there.
    diff.waivers = [_orphaned(c, a.rules, b.rules) for c in diff.waivers]
    impacts: dict[str, RuleImpact] = {}

    def impact(rule: str) -> RuleImpact:
        if rule not in impacts:
            row = b.rules.get(rule) or a.rules.get(rule)
            impacts[rule] = RuleImpact(rule, row.title if row else "", a.rules.get(rule),
                                       b.rules.get(rule), [], [], [])
        return impacts[rule]

    for rule in sorted(set(a.rules) | set(b.rules)):
        impact(rule)
    for item in diff.new:
        impact(item.rule).added.append(item)
    for item in diff.resolved:
        impact(item.rule).removed.append(item)
    for p in diff.persisting:
        if p.changes():
            impact(p.after.rule).changed.append(p)
    touched = [r for r in impacts.values() if r.added or r.removed or r.changed
               or r.state != "kept" or _reclassified(r)]
    return Preview(diff, sorted(touched, key=lambda r: r.rule))


def _orphaned(c: Change, current: Mapping[str, Any], proposed: Mapping[str, Any]) -> Change:
    rule = c.subject.split(" ", 1)[0]
    before = "its rule is not in force yet" if rule not in current else c.before
    after = "orphaned: its rule is retired" if rule not in proposed else c.after
    return Change(c.subject, c.field, before, after)


def _reclassified(r: RuleImpact) -> bool:
    a, b = r.current, r.proposed
    return a is not None and b is not None and (
        a.severity != b.severity or a.enforcement != b.enforcement)
