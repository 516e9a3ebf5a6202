"""Lifecycle models as data: ordered phases, their canonical stages, and gates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

STAGES: tuple[str, ...] = ("initiating", "planning", "executing", "closing")


@dataclass(frozen=True)
class GateSpec:
    """A gate: the phase it admits, the artifacts it needs approved, the grade that decides."""

    id: str
    admits: str
    requires_artifacts: tuple[str, ...] = ()
    decider_grade: str | None = None


@dataclass(frozen=True)
class LifecycleModel:
    """A lifecycle: ordered phases, each mapped to one canonical stage, and its gates."""

    id: str
    phases: tuple[str, ...]
    stages: Mapping[str, str]
    gates: tuple[GateSpec, ...] = ()
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "stages", MappingProxyType(dict(self.stages)))
        object.__setattr__(
            self, "_index", MappingProxyType({p: i for i, p in enumerate(self.phases)})
        )
        problems = [p for p in self.phases if self.stages.get(p) not in STAGES]
        if problems:
            raise ValueError(
                f"lifecycle `{self.id}`: phases {problems} lack a canonical stage {STAGES}"
            )

    def phase_index(self, phase: str) -> int | None:
        """The position of `phase` in this lifecycle, or None when it has no such phase."""
        return self._index.get(phase)

    def stage_of(self, phase: str) -> str | None:
        """The canonical stage of `phase`, or None when it has no such phase."""
        return self.stages.get(phase)

    def gate(self, gate_id: str) -> GateSpec | None:
        """The gate called `gate_id`, or None."""
        return next((g for g in self.gates if g.id == gate_id), None)


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


PMBOK = LifecycleModel(
    id="pmbok",
    phases=STAGES,
    stages={s: s for s in STAGES},
    gates=(
        GateSpec("G1", "planning", ("business_case", "charter"), "executive"),
        GateSpec(
            "G2", "executing",
            ("project_management_plan", "risk_register", "communication_plan"), "director",
        ),
        GateSpec("G3", "closing", ("acceptance",), "director"),
        GateSpec("G4", "closing", ("closure_report", "lessons_learned"), "director"),
    ),
)


def builtin_lifecycles() -> LifecycleRegistry:
    """A fresh registry holding the built-in `pmbok` model."""
    return LifecycleRegistry((PMBOK,))
