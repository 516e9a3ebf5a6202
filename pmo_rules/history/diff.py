"""What changed between two runs: findings new, resolved and persisting (with their age),
rules whose severity or enforcement changed, waivers whose fate changed, and scores."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pmo_rules.history.snapshot import Item, Snapshot

NOT_IN_REGISTER = "not in the register"
Pair = tuple[float | None, float | None]


@dataclass(frozen=True, slots=True)
class Persisting:
    """A finding in both runs, its age, and what changed about it."""

    before: Item
    after: Item
    first_seen: dt.date
    days_open: int

    def changes(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for each field that differs: status, severity, ..."""
        out = []
        for name in ("status", "severity", "enforcement", "message"):
            a, b = getattr(self.before, name), getattr(self.after, name)
            if a != b:
                out.append((name, a, b))
        if self.before.blocking != self.after.blocking:
            out.append(("blocking", _yes(self.before.blocking), _yes(self.after.blocking)))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a persisting finding."""
        return {**self.after.to_dict(), "first_seen": self.first_seen.isoformat(),
                "days_open": self.days_open,
                "changes": [{"field": f, "before": a, "after": b} for f, a, b in self.changes()]}


@dataclass(frozen=True, slots=True)
class Change:
    """A value of a rule, waiver or score that differs between the runs."""

    subject: str  # rule id, `RULE SUBJECT` for a waiver, or a program/family id
    field: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a change."""
        return {"subject": self.subject, "field": self.field, "before": self.before,
                "after": self.after}


@dataclass(slots=True)
class RunDiff:
    """Run B compared with run A."""

    a: Snapshot
    b: Snapshot
    new: list[Item]
    resolved: list[Item]
    persisting: list[Persisting]
    rules: list[Change]
    waivers: list[Change]
    programs: dict[str, Pair]
    families: dict[str, Pair]

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON (schema pmo-rules/diff/v1)."""
        return {
            "schema": "pmo-rules/diff/v1",
            "a": self.a.describe(), "b": self.b.describe(),
            "summary": {"new": len(self.new), "resolved": len(self.resolved),
                        "persisting": len(self.persisting),
                        "blocking": _pair(self.a.blocking, self.b.blocking),
                        "score": _pair(self.a.score, self.b.score)},
            "new": [i.to_dict() for i in self.new],
            "resolved": [i.to_dict() for i in self.resolved],
            "persisting": [p.to_dict() for p in self.persisting],
            "rule_changes": [c.to_dict() for c in self.rules],
            "waiver_changes": [c.to_dict() for c in self.waivers],
            "scores": {
                "portfolio": _pair(self.a.score, self.b.score),
                "program": {k: _pair(*v) for k, v in self.programs.items()},
                "family": {k: _pair(*v) for k, v in self.families.items()},
            },
        }


def diff_runs(a: Snapshot, b: Snapshot) -> RunDiff:
    """Compare run B with run A, finding by finding (keyed on rule and subject)."""
    new = [item for key, item in sorted(b.items.items()) if key not in a.items]
    resolved = [item for key, item in sorted(a.items.items()) if key not in b.items]
    persisting = []
    for key, after in sorted(b.items.items()):
        before = a.items.get(key)
        if before is None:
            continue
        # B's own record of the series when it has one (a stored run), else A's, else A.
        first = after.first_seen or before.first_seen or a.as_of
        persisting.append(Persisting(before, after, first, (b.as_of - first).days))
    return RunDiff(
        a=a, b=b, new=new, resolved=resolved, persisting=persisting,
        rules=_rule_changes(a, b), waivers=_waiver_changes(a, b),
        programs=_pairs(a.program_scores, b.program_scores),
        families=_pairs(a.family_scores, b.family_scores),
    )


def _rule_changes(a: Snapshot, b: Snapshot) -> list[Change]:
    out = []
    for rule in sorted(set(a.rules) | set(b.rules)):
        before, after = a.rules.get(rule), b.rules.get(rule)
        if before is None or after is None:
            out.append(Change(rule, "rule", "ran" if before else "did not run",
                              "ran" if after else "did not run"))
            continue
        for name in ("severity", "enforcement"):
            if getattr(before, name) != getattr(after, name):
                out.append(Change(rule, name, getattr(before, name), getattr(after, name)))
    return out


def _waiver_changes(a: Snapshot, b: Snapshot) -> list[Change]:
    # A register can hold one waiver twice (the second is stale): the first fate counts.
    fates_a: dict[tuple[str, str], str] = {}
    fates_b: dict[tuple[str, str], str] = {}
    for fates, snap in ((fates_a, a), (fates_b, b)):
        for w in snap.waivers:
            fates.setdefault((w.rule, w.subject), w.status)
    out = []
    for rule, subject in sorted(set(fates_a) | set(fates_b)):
        before = fates_a.get((rule, subject), NOT_IN_REGISTER)
        after = fates_b.get((rule, subject), NOT_IN_REGISTER)
        if before != after:
            out.append(Change(f"{rule} {subject}", "fate", before, after))
    return out


def _pairs(a: dict[str, float], b: dict[str, float]) -> dict[str, Pair]:
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b))}


def _pair(before: float | None, after: float | None) -> dict[str, Any]:
    change = None if before is None or after is None else round(after - before, 4)
    return {"before": before, "after": after, "change": change}


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
