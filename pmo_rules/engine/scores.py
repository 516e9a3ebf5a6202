"""Severity-weighted compliance per project, program and portfolio.

Evaluation only appends each rule's passing subjects to a list (the hot path);
the tally over scopes happens once, when a report asks for a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from pmo_rules.engine.results import SEVERITY_WEIGHT, Finding

Scope = tuple[str, str]


def owning_project(entity: Any) -> Any:
    """The project a subject belongs to: itself, its project, or a dependency's successor."""
    kind = type(entity).__name__
    if kind == "Project":
        return entity
    if kind == "Dependency":
        return owning_project(entity.successor)
    if kind in _OWNED:
        project = entity.project
        return project if type(project).__name__ == "Project" else None
    return None  # people, programs, objectives, the portfolio: no project


_OWNED = frozenset({"Milestone", "Risk", "Issue", "Allocation"})


def _owners(entities: list[Any], kinds: set[str]) -> list[Any]:
    """The project each subject belongs to (None where it belongs to none)."""
    if kinds == {"Project"}:
        return entities
    if kinds <= _OWNED:
        return list(map(attrgetter("project"), entities))
    if kinds == {"Dependency"}:  # a dependency weighs on its successor's project
        ends = list(map(attrgetter("successor"), entities))
        if {type(e).__name__ for e in set(map(type, ends))} == {"Project"}:
            return ends
        return [e if type(e).__name__ == "Project" else e.project for e in ends]
    return [owning_project(e) for e in entities]


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
        # Weight per project, counted in C: a rule's passes of weight w add each owning
        # project w times. A rule's subjects are one kind, so their owners are found by one
        # attribute read per subject (`.project`), or are the subjects themselves.
        project_of: dict[int, Any] = {}  # id -> project (models don't hash)
        earned_by: Counter[int] = Counter()
        possible_by: Counter[int] = Counter()
        program_earned: Counter[str] = Counter()
        program_possible: Counter[str] = Counter()
        earned_total = possible_total = 0
        ids_by_weight: dict[int, list[int]] = {}
        for weight, entities in self._passes:
            kinds = {t.__name__ for t in set(map(type, entities))}
            owners = _owners(entities, kinds)
            present = owners if kinds == {"Project"} else [o for o in owners if o is not None]
            ids = list(map(id, present))
            project_of.update(zip(ids, present, strict=True))
            ids_by_weight.setdefault(weight, []).extend(ids)
            earned_total += weight * len(entities)
            if "Program" in kinds:  # a program's own rules
                for entity in entities:
                    if type(entity).__name__ == "Program":
                        program_earned[entity.id] += weight
        for weight, ids in ids_by_weight.items():  # one count per weight, then scaled
            earned_by.update({pid: n * weight for pid, n in Counter(ids).items()})
        possible_by.update(earned_by)
        possible_total = earned_total
        program_possible.update(program_earned)
        for f in self._findings:
            weight = SEVERITY_WEIGHT.get(f.rule.severity, 1)
            if not weight:
                continue
            waived = weight if f.status == "waived" else 0
            possible_total += weight
            earned_total += waived
            owner = owning_project(f.entity)
            if owner is not None:
                project_of[id(owner)] = owner
                possible_by[id(owner)] += weight
                earned_by[id(owner)] += waived
            elif type(f.entity).__name__ == "Program":
                program_possible[f.entity.id] += weight
                program_earned[f.entity.id] += waived
        earned: dict[Scope, float] = {}
        possible: dict[Scope, float] = {}
        for pid, total in possible_by.items():
            project = project_of[pid]
            gained = earned_by.get(pid, 0)
            possible[("project", project.id)] = float(total)
            earned[("project", project.id)] = float(gained)
            program = project.program
            if program is not None:
                program_possible[program.id] += total
                program_earned[program.id] += gained
        for ident, total in program_possible.items():
            possible[("program", ident)] = float(total)
            earned[("program", ident)] = float(program_earned.get(ident, 0))
        portfolio = ("portfolio", self.portfolio_id)
        possible[portfolio] = float(possible_total)
        earned[portfolio] = float(earned_total)
        self._totals = (earned, possible)
        return self._totals

    def score(self, key: Scope) -> float:
        """Earned over possible weight, 1.0 where nothing weighed in."""
        earned, possible = self._tally()
        total = possible.get(key, 0.0)
        if total == 0:
            return 1.0
        return round(earned.get(key, 0.0) / total, 4)

    def weighed(self, key: Scope) -> float:
        """The possible weight of a scope: 0 when nothing was weighed there."""
        return self._tally()[1].get(key, 0.0)

    def table(self, kind: str) -> dict[str, float]:
        """Every score of one kind of scope (`project`, `program`), sorted by id."""
        earned, possible = self._tally()
        out = {}
        for (k, ident), total in sorted(possible.items()):
            if k == kind:
                out[ident] = 1.0 if total == 0 else round(earned.get((k, ident), 0.0) / total, 4)
        return out
