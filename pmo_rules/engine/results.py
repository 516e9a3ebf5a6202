"""The results of a run: findings with evidence, waiver fates, counts and scores."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Literal

Status = Literal["pass", "fail", "waived", "error", "not_applicable"]
WaiverFate = Literal["applied", "expired", "stale", "rejected"]

SEVERITY_WEIGHT = {"critical": 8, "high": 4, "medium": 2, "low": 1, "info": 0}


@dataclass(frozen=True, slots=True)
class Subject:
    """What a finding is about: a project, a dependency ("PRED->SUCC"), the portfolio ..."""

    kind: str
    id: str
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a subject."""
        out: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.name is not None:
            out["name"] = self.name
        return out


@dataclass(slots=True)  # not frozen: made once per failing clause, and frozen costs 3x
class Evidence:
    """Why a clause failed: the clause as written, its operand values, and any chain."""

    clause: str
    values: dict[str, Any]
    path: tuple[str, ...]
    missing: tuple[str, ...] = ()
    witnesses: tuple[str, ...] = ()
    # The same values rendered for people (strings quoted, durations as 14d); not in JSON.
    shown: dict[str, str] = field(default_factory=dict, compare=False)
    # Why an operand has no usable value, by operand: "date out of range (...)", "holds a
    # string; compared with a number" (a value of the wrong kind in custom data).
    problems: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of evidence."""
        out: dict[str, Any] = {
            "clause": self.clause, "values": self.values, "path": list(self.path),
        }
        if self.missing:
            out["missing"] = list(self.missing)
        if self.witnesses:
            out["witnesses"] = list(self.witnesses)
        if self.problems:
            out["problems"] = self.problems
        return out


@dataclass(frozen=True, slots=True)
class Location:
    """Where a rule is written."""

    file: str
    line: int
    column: int

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a location."""
        return {"file": self.file, "line": self.line, "column": self.column}


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's metadata, as reports show it."""

    id: str
    title: str
    policy: str
    severity: str
    enforcement: str
    tags: tuple[str, ...]
    maturity: int | None
    location: Location
    fix: str | None
    doc: str | None


@dataclass(slots=True)
class Finding:
    """One (rule, subject) result that is not a plain pass (or is, with --show-passes)."""

    rule: RuleInfo
    subject: Subject
    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    blocking: bool = False
    waiver: dict[str, Any] | None = None
    entity: Any = field(default=None, repr=False, compare=False)  # for scores; not reported
    # An error of a rule that would block had it failed: whether it blocks is unknown.
    blocking_unknown: bool = False
    baseline: str | None = None  # `new` or `unchanged` when the run has a baseline

    def sort_key(self) -> tuple[str, str, str]:
        """Findings are sorted by rule, then subject id."""
        return FINDING_ORDER(self)

    def to_dict(self, location: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON shape of a finding (DESIGN.md); `location`: its rule's, when the
        caller has it built already."""
        r = self.rule
        return {
            "rule": r.id,
            "title": r.title,
            "policy": r.policy,
            "severity": r.severity,
            "enforcement": r.enforcement,
            "subject": self.subject.to_dict(),
            "status": self.status,
            "blocking": None if self.blocking_unknown else self.blocking,
            "message": self.message,
            "evidence": [e.to_dict() for e in self.evidence],
            "location": r.location.to_dict() if location is None else location,
            "fix": r.fix,
            "waiver": self.waiver,
            **({"baseline": self.baseline} if self.baseline is not None else {}),
        }


# Finding.sort_key in C: a run sorts tens of thousands of findings.
FINDING_ORDER = attrgetter("rule.id", "subject.id", "subject.kind")


@dataclass(frozen=True, slots=True)
class WaiverOutcome:
    """A waiver from the register and what became of it in this run."""

    rule: str
    subject: str
    status: WaiverFate
    reason: str
    approved_by: str
    expires: str | None
    note: str
    line: int = 0
    expiring: bool = False  # applied, and expires within the run's expiring window
    days_left: int | None = None  # from the run's as-of date to `expires`

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a waiver's fate."""
        return {
            "rule": self.rule,
            "subject": self.subject,
            "status": self.status,
            "reason": self.reason,
            "approved_by": self.approved_by,
            "expires": self.expires,
            "expiring": self.expiring,
            "note": self.note,
        }


@dataclass(slots=True)
class RuleCounts:
    """How each rule's subjects ended."""

    passed: int = 0
    failed: int = 0
    waived: int = 0
    error: int = 0
    not_applicable: int = 0

    @property
    def subjects(self) -> int:
        """Subjects the rule was evaluated on (not-applicable excluded)."""
        return self.passed + self.failed + self.waived + self.error


@dataclass(frozen=True, slots=True)
class AbsentEntry:
    """A baseline entry that no longer occurs in this run."""

    rule: str
    kind: str
    subject: str
    message: str
    reason: str  # `no longer fails`, or `the rule did not run`

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of an absent baseline entry."""
        return {"rule": self.rule, "subject": {"kind": self.kind, "id": self.subject},
                "message": self.message, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class BaselineMarks:
    """How a run compares with its baseline: counts, and the entries gone since."""

    source: str
    new: int
    unchanged: int
    absent: list[AbsentEntry]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the baseline comparison."""
        return {"source": self.source, "new": self.new, "unchanged": self.unchanged,
                "absent": [a.to_dict() for a in self.absent]}
