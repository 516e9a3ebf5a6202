"""Lifecycle models as data: ordered phases, their canonical stages, and gates.

A gate admits a phase (or closes the project), names the artifacts it needs at
the status they need (some only for certain tiers) and the grade of person who
decides it (which may depend on the tier). Models come from the built-ins, from
plugins and from YAML files a PMO writes (lifecycle_files.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import get_args

from pmo_rules.model.entities import Grade
from pmo_rules.model.records import ReadOnlyList

STAGES: tuple[str, ...] = ("initiating", "planning", "executing", "closing")
# Highest first: a gate needing a director may be decided by an executive.
GRADES: tuple[str, ...] = tuple(str(g) for g in get_args(Grade))


def grade_at_least(grade: str | None, needed: str | None) -> bool | None:
    """Whether `grade` is `needed` or higher; None when the grade is unknown."""
    if needed is None:
        return True
    if grade not in GRADES or needed not in GRADES:
        return None
    return GRADES.index(grade) <= GRADES.index(needed)


class SharedStatuses(ReadOnlyList):
    """The statuses a gate accepts for an artifact, as the language reads them: one list
    read by every project the gate applies to (a plugin function may be handed it), so it
    refuses changes."""

    __slots__ = ()
    refusal = ("these statuses are shared by every project the gate applies to; "
               "copy them (list(...)) to change them")


@dataclass(frozen=True)
class ArtifactNeed:
    """An artifact a gate needs: its type, the statuses that satisfy it, the tiers it is for."""

    type: str
    statuses: tuple[str, ...] = ("approved",)
    tiers: tuple[int, ...] = ()  # empty: every tier

    def applies_to(self, tier: int | None) -> bool:
        """Whether a project of this tier needs it (a project without a tier needs all)."""
        return not self.tiers or tier is None or tier in self.tiers

    @cached_property
    def listed(self) -> SharedStatuses:
        """`statuses` as the one list every resolved gate shows (progress.GateArtifact)."""
        return SharedStatuses(self.statuses)


@dataclass(frozen=True)
class GateSpec:
    """A gate: the phase it admits (None: it closes the project), what it needs, who decides.

    `requires_artifacts` holds artifact types (needing status approved) or ArtifactNeeds;
    `decider_grade` is the grade that decides for every tier not in `decider_by_tier`.
    """

    id: str
    admits: str | None
    requires_artifacts: tuple[str | ArtifactNeed, ...] = ()
    decider_grade: str | None = None
    decider_by_tier: Mapping[int, str] = field(default_factory=dict)
    title: str | None = None
    # for_tier's answers: asked once per project and gate on every run.
    _by_tier: dict[int | None, tuple[tuple[ArtifactNeed, ...], str | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "decider_by_tier", MappingProxyType(dict(self.decider_by_tier)))

    @property
    def closes(self) -> bool:
        """Whether passing this gate closes the project instead of admitting a phase."""
        return self.admits is None

    @property
    def needs(self) -> tuple[ArtifactNeed, ...]:
        """Every artifact need, whatever the tier."""
        return tuple(a if isinstance(a, ArtifactNeed) else ArtifactNeed(a)
                     for a in self.requires_artifacts)

    def needs_for(self, tier: int | None) -> tuple[ArtifactNeed, ...]:
        """The artifact needs of a project of this tier."""
        return self.for_tier(tier)[0]

    def grade_for(self, tier: int | None) -> str | None:
        """The grade that decides this gate for a project of this tier (the highest listed
        when the project has no tier)."""
        return self.for_tier(tier)[1]

    def for_tier(self, tier: int | None) -> tuple[tuple[ArtifactNeed, ...], str | None]:
        """(needs_for, grade_for) of a tier, worked out once per gate and tier."""
        found = self._by_tier.get(tier)
        if found is None:
            needs = tuple(n for n in self.needs if n.applies_to(tier))
            if tier is None:
                grades = [g for g in (self.decider_grade, *self.decider_by_tier.values()) if g]
                grade = min(grades, key=GRADES.index) if grades else None
            else:
                grade = self.decider_by_tier.get(tier, self.decider_grade)
            found = self._by_tier[tier] = (needs, grade)
        return found


@dataclass(frozen=True)
class LifecycleModel:
    """A lifecycle: ordered phases, each mapped to one canonical stage, and its gates.

    `max_days` optionally limits the time a project may spend in a phase.
    """

    id: str
    phases: tuple[str, ...]
    stages: Mapping[str, str]
    gates: tuple[GateSpec, ...] = ()
    max_days: Mapping[str, int] = field(default_factory=dict)
    title: str | None = None
    source: str | None = None  # the file a model written in YAML came from
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _ranks: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", MappingProxyType(dict(self.stages)))
        object.__setattr__(self, "max_days", MappingProxyType(dict(self.max_days)))
        object.__setattr__(
            self, "_index", MappingProxyType({p: i for i, p in enumerate(self.phases)})
        )
        object.__setattr__(self, "_ranks", tuple(self.gate_rank(g) for g in self.gates))
        problems = self.problems()
        if problems:
            raise ValueError(f"lifecycle `{self.id}`: " + "; ".join(problems))

    def problems(self) -> list[str]:
        """What makes this model unusable (empty when it is sound)."""
        out = []
        lacking = [p for p in self.phases if self.stages.get(p) not in STAGES]
        if lacking:
            out.append(f"phases {lacking} lack a canonical stage {STAGES}")
        seen: set[str] = set()
        for gate in self.gates:
            if gate.id in seen:
                out.append(f"gate `{gate.id}` is declared twice")
            seen.add(gate.id)
            if gate.admits is not None and gate.admits not in self._index:
                out.append(f"gate `{gate.id}` admits `{gate.admits}`, which is not a phase")
            for grade in (gate.decider_grade, *gate.decider_by_tier.values()):
                if grade is not None and grade not in GRADES:
                    out.append(f"gate `{gate.id}` names grade `{grade}`, not one of {GRADES}")
        return out

    def phase_index(self, phase: str) -> int | None:
        """The position of `phase` in this lifecycle, or None when it has no such phase."""
        return self._index.get(phase)

    def stage_of(self, phase: str) -> str | None:
        """The canonical stage of `phase`, or None when it has no such phase."""
        return self.stages.get(phase)

    def gate(self, gate_id: str) -> GateSpec | None:
        """The gate called `gate_id`, or None."""
        return next((g for g in self.gates if g.id == gate_id), None)

    @property
    def gate_ranks(self) -> tuple[int, ...]:
        """`gate_rank` of each gate, in order."""
        return self._ranks

    def gate_rank(self, gate: GateSpec) -> int:
        """Where passing `gate` puts a project: its admitted phase's position, or past the
        last phase for a gate that closes the project."""
        if gate.admits is None:
            return len(self.phases)
        return self._index.get(gate.admits, len(self.phases))


class LifecycleRegistry:
    """The lifecycle models known to a run: the built-ins plus what plugins add."""

    def __init__(self, models: tuple[LifecycleModel, ...] = ()) -> None:
        self._models: dict[str, LifecycleModel] = {}
        for model in models:
            self.add(model)

    def add(self, model: LifecycleModel) -> None:
        """Register a model; a second model with the same id is refused."""
        if model.id in self._models:
            raise ValueError(f"lifecycle `{model.id}` is already registered")
        self._models[model.id] = model

    def get(self, lifecycle_id: str) -> LifecycleModel | None:
        """The model with this id, or None."""
        return self._models.get(lifecycle_id)

    def ids(self) -> list[str]:
        """Every registered id, sorted."""
        return sorted(self._models)

    def all_phases(self) -> frozenset[str]:
        """Every phase of every registered model (what a phase literal may name)."""
        return frozenset(p for m in self._models.values() for p in m.phases)

    def __iter__(self) -> Iterator[LifecycleModel]:
        return iter(self._models[i] for i in self.ids())

    def __contains__(self, lifecycle_id: object) -> bool:
        return lifecycle_id in self._models


# Tier-1 projects carry the largest bets, so an executive decides each of their gates.
_PMBOK_DECIDERS = {1: "executive"}

PMBOK = LifecycleModel(
    id="pmbok",
    title="PMBOK-style gated lifecycle",
    phases=STAGES,
    stages={s: s for s in STAGES},
    gates=(
        GateSpec("G1", "planning", ("business_case", "charter"), "director", _PMBOK_DECIDERS,
                 title="Authorise planning"),
        GateSpec("G2", "executing", ("project_management_plan",), "director", _PMBOK_DECIDERS,
                 title="Authorise execution"),
        GateSpec("G3", "closing", ("acceptance",), "director", _PMBOK_DECIDERS,
                 title="Release"),
        GateSpec("G4", None, ("closure_report", "lessons_learned"), "director",
                 _PMBOK_DECIDERS, title="Close"),
    ),
)


def builtin_lifecycles() -> LifecycleRegistry:
    """A fresh registry holding the built-in `pmbok` model."""
    return LifecycleRegistry((PMBOK,))
