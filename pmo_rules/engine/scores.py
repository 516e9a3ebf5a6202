"""Severity-weighted compliance per project, program and portfolio.

Evaluation only appends each rule's passing subjects to a list (the hot path);
the tally over scopes happens once, when a report asks for a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pmo_rules.engine.results import SEVERITY_WEIGHT, Finding

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


def scopes_of(entity: Any, portfolio_id: str) -> tuple[Scope, ...]:
    """The scopes a result weighs on: the portfolio, its project, that project's program."""
    keys: list[Scope] = [("portfolio", portfolio_id)]
    if entity is None:
        return tuple(keys)
    project = entity if type(entity).__name__ == "Project" else owning_project(entity)
    if project is not None:
        keys.append(("project", project.id))
        program = getattr(project, "program", None)
        if program is not None and hasattr(program, "id"):
            keys.append(("program", program.id))
    elif type(entity).__name__ == "Program":
        keys.append(("program", entity.id))
    return tuple(keys)


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
        # Then once per distinct subject: its project, that project's program, the portfolio.
        earned: dict[Scope, float] = {}
        possible: dict[Scope, float] = {}
        portfolio = ("portfolio", self.portfolio_id)
        for eid, total in possible_of.items():
            gained = float(earned_of.get(eid, 0))
            for key in scopes_of(entity_of[eid], self.portfolio_id)[1:]:
                possible[key] = possible.get(key, 0.0) + total
                earned[key] = earned.get(key, 0.0) + gained
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

    def scopes(self) -> list[Scope]:
        """Every scope that has a score, sorted."""
        return sorted(self._tally()[1])
