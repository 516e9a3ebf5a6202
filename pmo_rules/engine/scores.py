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

    def __init__(self, portfolio_id: str, projects: Iterable[Any] = ()) -> None:
        self.portfolio_id = portfolio_id
        # The portfolio's projects by id(): the owners scores are tallied for, known up
        # front so the tally need not note each one again for every rule it passed.
        self._project_of: dict[int, Any] = {id(p): p for p in projects}
        self._passes: list[tuple[int, list[Any]]] = []
        self._findings: list[Finding] = []
        self._totals: _Totals | None = None
        self._tables: dict[str, dict[str, float]] = {}

    def passed(self, severity: str, entities: list[Any]) -> None:
        """Record the subjects that passed one rule."""
        weight = SEVERITY_WEIGHT.get(severity, 1)
        if weight and entities:
            self._passes.append((weight, entities))
            self._totals = None
            self._tables = {}

    def judged(self, findings: Iterable[Finding]) -> None:
        """Record the findings (fail, waived) once waivers have been applied."""
        self._findings = [f for f in findings if f.status in ("fail", "waived")]
        self._totals = None
        self._tables = {}

    def _tally(self) -> _Totals:
        if self._totals is not None:
            return self._totals
        # Weight per project, counted in C: a rule's passes of weight w add each owning
        # project w times. A rule's subjects are one kind, so their owners are found by one
        # attribute read per subject (`.project`), or are the subjects themselves. Owners
        # are counted by id() (records don't hash), all rules of one weight in one Counter.
        project_of = self._project_of
        owners_by_weight: dict[int, list[list[Any]]] = {}
        program_earned: Counter[str] = Counter()
        program_possible: Counter[str] = Counter()
        earned_total = 0

        def exactly(weight: int, entities: list[Any]) -> None:
            kinds = {t.__name__ for t in set(map(type, entities))}
            owners_by_weight.setdefault(weight, []).append(_owners(entities, kinds))
            if "Program" in kinds:  # a program's own rules
                for entity in entities:
                    if type(entity).__name__ == "Program":
                        program_earned[entity.id] += weight

        # Most rules judge projects. Their passes are counted as they are, without reading
        # each subject's type (at 100k projects, reading every record again costs most of
        # the tally); if any is not one of the portfolio's projects, the rules of that
        # weight are counted the exact way instead.
        projects_by_weight: dict[int, list[list[Any]]] = {}
        for weight, entities in self._passes:
            earned_total += weight * len(entities)
            if type(entities[0]).__name__ == "Project":
                projects_by_weight.setdefault(weight, []).append(entities)
            else:
                exactly(weight, entities)
        counted: dict[int, Counter[int]] = {}
        for weight, groups in projects_by_weight.items():
            counts: Counter[int] = Counter()
            for entities in groups:
                counts.update(map(id, entities))
            if counts.keys() - project_of.keys():
                for entities in groups:
                    exactly(weight, entities)
            else:
                counted[weight] = counts
        for weight, groups in owners_by_weight.items():
            counts = counted.setdefault(weight, Counter())
            for owners in groups:
                counts.update(map(id, owners))
            counts.pop(id(None), None)  # subjects that belong to no project
            unknown = counts.keys() - project_of.keys()  # owners from outside the portfolio
            if unknown:
                for owners in groups:
                    project_of.update((id(o), o) for o in owners if id(o) in unknown)
        earned_by: dict[int, int] = {}
        for weight, counts in counted.items():
            get = earned_by.get
            for pid, n in counts.items():
                earned_by[pid] = get(pid, 0) + n * weight
        possible_by = dict(earned_by)
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
                project_of.setdefault(id(owner), owner)
                possible_by[id(owner)] = possible_by.get(id(owner), 0) + weight
                earned_by[id(owner)] = earned_by.get(id(owner), 0) + waived
            elif type(f.entity).__name__ == "Program":
                program_possible[f.entity.id] += weight
                program_earned[f.entity.id] += waived
        project_earned: dict[str, float] = {}
        project_possible: dict[str, float] = {}
        for pid, total in possible_by.items():
            project = project_of[pid]
            gained = earned_by.get(pid, 0)
            project_possible[project.id] = float(total)
            project_earned[project.id] = float(gained)
            program = project.program
            if program is not None:
                program_possible[program.id] += total
                program_earned[program.id] += gained
        self._totals = {
            "project": (project_earned, project_possible),
            "program": ({k: float(v) for k, v in program_earned.items()},
                        {k: float(v) for k, v in program_possible.items()}),
            "portfolio": ({self.portfolio_id: float(earned_total)},
                          {self.portfolio_id: float(possible_total)}),
        }
        return self._totals

    def _scope(self, kind: str) -> tuple[dict[str, float], dict[str, float]]:
        return self._tally().get(kind) or ({}, {})

    def score(self, key: Scope) -> float:
        """Earned over possible weight, 1.0 where nothing weighed in."""
        earned, possible = self._scope(key[0])
        total = possible.get(key[1], 0.0)
        if total == 0:
            return 1.0
        return round(earned.get(key[1], 0.0) / total, 4)

    def weighed(self, key: Scope) -> float:
        """The possible weight of a scope: 0 when nothing was weighed there."""
        return self._scope(key[0])[1].get(key[1], 0.0)

    def table(self, kind: str) -> dict[str, float]:
        """Every score of one kind of scope (`project`, `program`), sorted by id."""
        found = self._tables.get(kind)
        if found is None:
            earned, possible = self._scope(kind)
            found = self._tables[kind] = {
                ident: 1.0 if total == 0 else round(earned.get(ident, 0.0) / total, 4)
                for ident, total in sorted(possible.items())}
        return dict(found)


# Earned and possible weight by scope kind (`project`, `program`, `portfolio`), then id.
_Totals = dict[str, tuple[dict[str, float], dict[str, float]]]
