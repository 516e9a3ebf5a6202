"""What `pmo-rules readiness` finds, in a deterministic order; `to_dict` is its JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pmo_rules.engine.results import Finding

SCHEMA = "pmo-rules/readiness/v1"
State = Literal["ready", "not_ready", "no_gate_ahead", "no_phase"]
STATE_LABEL: dict[str, str] = {
    "ready": "ready", "not_ready": "not ready", "no_gate_ahead": "no gate ahead",
    "no_phase": "no phase recorded",
}


@dataclass(frozen=True)
class NextGate:
    """The gate a project meets next, as its lifecycle defines it for the project's tier."""

    id: str
    title: str | None
    lifecycle: str
    position: int
    admits: str | None  # None: the gate closes the project
    decider_grade: str | None
    milestone: str | None
    due: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a next gate."""
        return {"id": self.id, "title": self.title, "lifecycle": self.lifecycle,
                "position": self.position, "admits": self.admits,
                "closes": self.admits is None, "decider_grade": self.decider_grade,
                "milestone": self.milestone,
                "due": self.due.isoformat() if self.due is not None else None}


@dataclass(frozen=True)
class MissingArtifact:
    """An artifact the next gate needs that the project lacks, or has at another status."""

    type: str
    needed: tuple[str, ...]
    status: str | None  # None: the project has no such artifact

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a missing artifact."""
        return {"type": self.type, "needed": list(self.needed), "status": self.status}


@dataclass(frozen=True)
class OpenCondition:
    """A condition of an earlier gate's go that is not closed."""

    gate: str
    text: str | None
    due: dt.date | None
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of an open condition."""
        return {"gate": self.gate, "text": self.text,
                "due": self.due.isoformat() if self.due is not None else None,
                "overdue": self.overdue}


@dataclass(frozen=True)
class WouldFail:
    """A finding the project would have once through its next gate; `already` when the
    same rule already fails on the same subject today."""

    finding: Finding
    already: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: the finding as `check` reports it, and whether it fails today."""
        return {**self.finding.to_dict(), "already_failing": self.already}


@dataclass
class ProjectReadiness:
    """One live project and everything between it and a pass at its next gate."""

    id: str
    name: str | None
    lifecycle: str
    phase: str | None
    status: str | None
    tier: int | None
    state: State
    gate: NextGate | None = None
    days_to_gate: int | None = None  # negative: the gate's milestone date has passed
    missing: list[MissingArtifact] = field(default_factory=list)
    conditions: list[OpenCondition] = field(default_factory=list)
    would_fail: list[WouldFail] = field(default_factory=list)

    @property
    def blocking(self) -> list[WouldFail]:
        """The would-be failures that would block (soft or mandatory rules)."""
        return [w for w in self.would_fail if w.finding.blocking]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of one project's readiness."""
        return {
            "id": self.id, "name": self.name, "lifecycle": self.lifecycle, "phase": self.phase,
            "status": self.status, "tier": self.tier, "state": self.state,
            "ready": self.state == "ready",
            "next_gate": self.gate.to_dict() if self.gate is not None else None,
            "days_to_gate": self.days_to_gate,
            "missing_artifacts": [m.to_dict() for m in self.missing],
            "open_conditions": [c.to_dict() for c in self.conditions],
            "would_fail": [w.to_dict() for w in self.would_fail],
        }


@dataclass
class Readiness:
    """The readiness of the selected live projects, ordered by gate date, then id."""

    as_of: dt.date
    portfolio_id: str
    portfolio_name: str | None
    projects: list[ProjectReadiness]
    within: int | None = None
    gate: str | None = None
    undated: list[str] = field(default_factory=list)  # left out by --within: no gate date
    policies: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every listed project with a gate ahead is ready, else 1."""
        return 1 if any(p.state == "not_ready" for p in self.projects) else 0

    def summary(self) -> dict[str, int]:
        """How many listed projects are in each state."""
        out = {state: 0 for state in STATE_LABEL}
        for p in self.projects:
            out[p.state] += 1
        return {"projects": len(self.projects), **out}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (`pmo-rules/readiness/v1`)."""
        return {
            "schema": SCHEMA, "as_of": self.as_of.isoformat(),
            "portfolio": {"id": self.portfolio_id, "name": self.portfolio_name},
            "filters": {"within_days": self.within, "gate": self.gate},
            "policies": self.policies, "summary": self.summary(),
            "projects": [p.to_dict() for p in self.projects],
            "undated": self.undated,
        }
