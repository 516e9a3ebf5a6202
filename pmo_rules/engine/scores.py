"""Severity-weighted compliance per project, program and portfolio.

Evaluation only appends each rule's passing subjects to a list (the hot path);
the tally over scopes happens once, when a report asks for a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pmo_rules.engine.results import SEVERITY_WEIGHT, Finding
from pmo_rules.model.entities import Project

Scope = tuple[str, str]


def owning_project(entity: Any) -> Any:
    """The project a subject belongs to: itself, its project, or a dependency's successor."""
    kind = type(entity).__name__
    if kind == "Project":
        return entity
    if kind == "Dependency":
        return owning_project(getattr(entity, "successor", None))
    project = getattr(entity, "project", None)
    if project is not None and type(project).__name__ == "Project":
        return project
    return None


class ScoreBoard:
    """Earned over possible severity weight per scope; waived findings count as compliant."""

    def __init__(self, portfolio_id: str) -> None:
        self.portfolio_id = portfolio_id
        self._passes: list[tuple[int, list[Any]]] = []
        self._findings: list[Finding] = []
        self._totals: tuple[dict[Scope, float], dict[Scope, float]] | None = None

    def passed(self, severity: str, entities: list[Any]) -> None:
        """Record the subjects that passed one rule."""
        weight = SEVERITY_WEIGHT.get(severity, 1)
        if weight and entities:
            self._passes.append((weight, entities))
            self._totals = None

    def judged(self, findings: Iterable[Finding]) -> None:
        """Record the findings (fail, waived) once waivers have been applied."""
        self._findings = [f for f in findings if f.status in ("fail", "waived")]
        self._totals = None

    def _tally(self) -> tuple[dict[Scope, float], dict[Scope, float]]:
        if self._totals is not None:
            return self._totals
        # Weight per entity, counted in C: a pass of weight w adds the entity w times.
        earned_of: Counter[int] = Counter()
        possible_of: Counter[int] = Counter()
        entity_of: dict[int, Any] = {}
        for weight, entities in self._passes:
            ids = list(map(id, entities))
            entity_of.update(zip(ids, entities, strict=True))
            for _ in range(weight):
                earned_of.update(ids)
        possible_of.update(earned_of)
        for f in self._findings:
            weight = SEVERITY_WEIGHT.get(f.rule.severity, 1)
            if weight:
                eid = id(f.entity)
                entity_of[eid] = f.entity
                possible_of[eid] += weight
                if f.status == "waived":
                    earned_of[eid] += weight
        # Then once per distinct subject: its project (and that project's program).
        # Plain dicts keyed by id(project) (models don't hash; Counter's misses are slow).
        project_possible: dict[int, int] = {}
        project_earned: dict[int, int] = {}
        project_of: dict[int, Any] = {}
        earned: dict[Scope, float] = {}
        possible: dict[Scope, float] = {}
        gained_of = earned_of.get
        for eid, total in possible_of.items():
            entity = entity_of[eid]
            project = entity if entity.__class__ is Project else owning_project(entity)
            if project is not None:
                pid = id(project)
                project_of[pid] = project
                project_possible[pid] = project_possible.get(pid, 0) + total
                project_earned[pid] = project_earned.get(pid, 0) + gained_of(eid, 0)
            elif type(entity).__name__ == "Program":
                key = ("program", entity.id)
                possible[key] = possible.get(key, 0.0) + total
                earned[key] = earned.get(key, 0.0) + gained_of(eid, 0)
        for pid, total in project_possible.items():
            project = project_of[pid]
            gained = float(project_earned[pid])
            possible[("project", project.id)] = float(total)
            earned[("project", project.id)] = gained
            program = project.program
            if program is not None:
                key = ("program", program.id)
                possible[key] = possible.get(key, 0.0) + total
                earned[key] = earned.get(key, 0.0) + gained
        portfolio = ("portfolio", self.portfolio_id)
        possible[portfolio] = float(sum(possible_of.values()))
        earned[portfolio] = float(sum(earned_of.values()))
        self._totals = (earned, possible)
        return self._totals

    def score(self, key: Scope) -> float:
        """Earned over possible weight, 1.0 where nothing weighed in."""
        earned, possible = self._tally()
        total = possible.get(key, 0.0)
        if total == 0:
            return 1.0
        return round(earned.get(key, 0.0) / total, 4)

    def table(self, kind: str) -> dict[str, float]:
        """Every score of one kind of scope (`project`, `program`), sorted by id."""
        earned, possible = self._tally()
        out = {}
        for (k, ident), total in sorted(possible.items()):
            if k == kind:
                out[ident] = 1.0 if total == 0 else round(earned.get((k, ident), 0.0) / total, 4)
        return out
