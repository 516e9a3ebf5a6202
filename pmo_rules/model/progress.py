"""A project's progress through its own lifecycle: its gates in order, each resolved for the
project (what the gate needs for its tier, what the project has, what was decided).

The policy language reads these objects through the lifecycle functions
(`next_gate(p)`, `gates_required(p)` ...; language/lifecycle_types.py declares their
types) and `pmo-rules readiness` builds on them, so both see one definition of
"passed", "next" and "required".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pmo_rules.model.lifecycles import GateSpec, LifecycleModel, LifecycleRegistry, grade_at_least
from pmo_rules.model.records import Artifact, Condition, Gate, Milestone, Person, Project

PASSING = ("go", "go_with_conditions")


@dataclass(eq=False, slots=True)
class GateArtifact:
    """One artifact a gate needs from a project (language kind `gate_artifact`)."""

    type: str
    statuses: list[str]
    gate: str
    artifact: Artifact | None
    status: str | None
    met: bool

    def __repr__(self) -> str:
        return f"{self.gate}:{self.type}"


@dataclass(eq=False, slots=True)
class LifecycleGate:
    """One gate of a project's lifecycle, resolved for that project (kind `lifecycle_gate`)."""

    id: str
    title: str | None
    lifecycle: str
    position: int
    admits: str | None
    closes: bool
    artifacts: list[GateArtifact]
    missing_artifacts: list[str]
    decider_grade: str | None
    record: Gate | None
    decision: str
    passed: bool
    decided_on: dt.date | None
    decided_by: Person | None
    decided_at_grade: bool | None
    conditions: list[Condition]
    open_conditions: list[Condition]
    milestone: Milestone | None
    due: dt.date | None
    project: Project
    spec: GateSpec = field(repr=False)

    def __repr__(self) -> str:
        return self.id

    @property
    def phase(self) -> str | None:
        """The admitted phase, under the name phase comparisons read (compiler.py)."""
        return self.admits


@dataclass(eq=False, slots=True)
class ProjectLifecycle:
    """Where one project stands in its lifecycle."""

    project: Project
    model: LifecycleModel
    gates: list[LifecycleGate]
    passed: list[LifecycleGate]
    required: list[LifecycleGate] | None  # None: the phase is unknown, so is what it needs
    entry: LifecycleGate | None
    next: LifecycleGate | None
    phase_limit: dt.timedelta | None


def model_of(project: Any, registry: LifecycleRegistry, default: str) -> LifecycleModel | None:
    """The lifecycle model a project follows (its own, else the portfolio's default)."""
    return registry.get(getattr(project, "lifecycle", None) or default)


def resolve_gate(project: Project, model: LifecycleModel, spec: GateSpec,
                 position: int, milestones: dict[str, Milestone] | None = None) -> LifecycleGate:
    """One gate of `model` as it stands for `project` (`milestones`: the project's first
    milestone for each gate, when the caller has them)."""
    # Run for every gate of every project a rule reads (400,000 times at 100k projects):
    # what depends only on the gate and the tier is looked up, and the gate is made
    # positionally.
    tier = project.tier
    gate_id = spec.id
    needs, grade = spec.for_tier(tier)
    artifacts = []
    missing = []
    held = project.artifacts
    for need in needs:
        kind = need.type
        art = held.get(kind)
        status = art.status if art is not None else None
        met = status in need.statuses
        artifacts.append(GateArtifact(kind, need.listed, gate_id, art, status, met))
        if not met:
            missing.append(kind)
    record = project.gates.get(gate_id)
    if record is None:
        decision, decided_by, decided_on, conditions = "pending", None, None, []
        open_conditions: list[Condition] = []
    else:
        decision = record.decision or "pending"
        decided_by = record.decided_by if isinstance(record.decided_by, Person) else None
        decided_on = record.decided_on
        conditions = list(record.conditions)
        open_conditions = [c for c in conditions if c.closed_on is None] if conditions else []
    at_grade = None
    if decision != "pending" and decided_by is not None:
        at_grade = grade_at_least(decided_by.grade, grade)
    milestone = (milestones.get(gate_id) if milestones is not None
                 else next((m for m in project.milestones if m.gate == gate_id), None))
    admits = spec.admits
    return LifecycleGate(
        gate_id, spec.title, model.id, position, admits, admits is None, artifacts, missing,
        grade, record, decision, decision in PASSING, decided_on, decided_by, at_grade,
        conditions, open_conditions, milestone,
        milestone.date if milestone is not None else None, project, spec,
    )


def progress(project: Project, model: LifecycleModel) -> ProjectLifecycle:
    """Where `project` stands in `model`: passed, required, entry and next gates."""
    milestones: dict[str, Milestone] = {}
    for m in project.milestones:  # the first milestone of each gate, as resolve_gate reads
        if m.gate is not None:
            milestones.setdefault(m.gate, m)
    gates = [resolve_gate(project, model, spec, i + 1, milestones)
             for i, spec in enumerate(model.gates)]
    phase, status = project.phase, project.status
    here = model.phase_index(phase) if phase is not None else None
    if status == "closed":
        required: list[LifecycleGate] | None = list(gates)  # a closed one passed them all
    elif here is None:
        required = None
    else:
        required = [g for g, rank in zip(gates, model.gate_ranks, strict=True) if rank <= here]
    entry = None
    if phase is not None:
        for g in reversed(gates):
            if g.admits == phase:
                entry = g
                break
    passed = [g for g in gates if g.passed]
    ahead = None  # a gate the project skipped comes before those ahead of its phase
    if here is not None and status not in ("closed", "cancelled") and len(passed) < len(gates):
        ahead = next(g for g in gates if not g.passed)
    limit = model.max_days.get(phase) if phase is not None else None
    return ProjectLifecycle(
        project=project, model=model, gates=gates, passed=passed,
        required=required, entry=entry, next=ahead,
        phase_limit=dt.timedelta(days=limit) if limit is not None else None,
    )
