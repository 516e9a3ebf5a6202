"""Severity-weighted compliance per project, program and portfolio.

Evaluation only appends each rule's passing subjects to a list (the hot path);
the tally over scopes happens once, when a report asks for a score.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import groupby, repeat
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


_PROJECT = attrgetter("project")
_SUCCESSOR = attrgetter("successor")
_ID = attrgetter("id")
_PROGRAM = attrgetter("program")


def _owners(entities: list[Any], kinds: set[str]) -> Iterable[Any]:
    """The project each subject belongs to (None where it belongs to none), read in C where
    the subjects are all of one kind."""
    if kinds == {"Project"}:
        return entities
    if kinds <= _OWNED:
        return map(_PROJECT, entities)
    if kinds == {"Dependency"}:  # a dependency weighs on its successor's project
        if _kinds(map(_SUCCESSOR, entities)) == {"Project"}:
            return map(_SUCCESSOR, entities)
        return (e if type(e).__name__ == "Project" else e.project
                for e in map(_SUCCESSOR, entities))
    return map(owning_project, entities)


def _kinds(entities: Iterable[Any]) -> set[str]:
    return {t.__name__ for t in set(map(type, entities))}


def _runs(findings: list[Finding]) -> Iterator[tuple[int, str, list[Any]]]:
    """(weight, status, subjects) for each run of findings of one rule and status."""
    for (_, status), run in groupby(findings, key=lambda f: (id(f.rule), f.status)):
        items = list(run)
        yield SEVERITY_WEIGHT.get(items[0].rule.severity, 1), status, [f.entity for f in items]


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
        # Weight per project, counted in C: a rule's subjects of weight w add each owning
        # project w times. A rule's subjects are one kind, so their owners are found by one
        # attribute read per subject (`.project`), or are the subjects themselves. Owners
        # are counted by id() (records don't hash), all rules of one weight in one Counter.
        project_of = self._project_of
        program_earned: Counter[str] = Counter()
        program_possible: Counter[str] = Counter()
        earned_total = sum(weight * len(entities) for weight, entities in self._passes)
        earned_by = self._weighed(self._passes, program_earned)
        program_possible.update(program_earned)
        judged: list[tuple[int, list[Any]]] = []  # failed or waived: possible weight
        waived: list[tuple[int, list[Any]]] = []  # earned too
        for weight, status, entities in _runs(self._findings):
            judged.append((weight, entities))
            if status == "waived":
                waived.append((weight, entities))
        possible_total = earned_total + sum(w * len(e) for w, e in judged)
        earned_total += sum(w * len(e) for w, e in waived)
        possible_by = self._weighed(judged, program_possible, earned_by)
        earned_by = self._weighed(waived, program_earned, earned_by)
        owners = list(map(project_of.__getitem__, possible_by))
        ids = list(map(_ID, owners))
        gained = list(map(earned_by.get, possible_by, repeat(0)))
        project_possible = dict(zip(ids, possible_by.values(), strict=True))
        project_earned = dict(zip(ids, gained, strict=True))
        in_programs = list(map(_PROGRAM, owners))
        if in_programs.count(None) != len(in_programs):  # no programs: no loop
            for program, total, earned in zip(in_programs, possible_by.values(), gained,
                                              strict=True):
                if program is not None:
                    program_possible[program.id] += total
                    program_earned[program.id] += earned
        self._totals = {
            "project": (project_earned, project_possible),
            "program": (dict(program_earned), dict(program_possible)),
            "portfolio": ({self.portfolio_id: earned_total},
                          {self.portfolio_id: possible_total}),
        }
        return self._totals

    def _weighed(
        self, groups: list[tuple[int, list[Any]]], programs: Counter[str],
        base: dict[int, int] | None = None,
    ) -> dict[int, int]:
        """`base` (by id() of project) plus each group's weight for every subject's owning
        project; a program's own subjects add to `programs` instead."""
        project_of = self._project_of
        # Most rules judge projects. Their subjects are counted as they are, without reading
        # each one's type (at 100k projects, reading every record again costs most of the
        # tally); if any is not one of the portfolio's projects, the groups of that weight
        # are counted the exact way instead.
        by_weight: dict[int, list[list[Any]]] = {}
        exact: dict[int, list[list[Any]]] = {}
        for weight, entities in groups:
            if entities and weight:
                where = by_weight if type(entities[0]).__name__ == "Project" else exact
                where.setdefault(weight, []).append(entities)
        counted: dict[int, Counter[int]] = {}
        for weight, lists in by_weight.items():
            counts: Counter[int] = Counter()
            for entities in lists:
                counts.update(map(id, entities))
            if counts.keys() - project_of.keys():
                exact.setdefault(weight, []).extend(lists)
            else:
                counted[weight] = counts
        for weight, lists in exact.items():
            counts = counted.setdefault(weight, Counter())
            for entities in lists:
                kinds = _kinds(entities)
                counts.update(map(id, _owners(entities, kinds)))
                if "Program" in kinds:  # a program's own rules
                    for entity in entities:
                        if type(entity).__name__ == "Program":
                            programs[entity.id] += weight
            counts.pop(id(None), None)  # subjects that belong to no project
            unknown = counts.keys() - project_of.keys()  # owners from outside the portfolio
            if unknown:
                self._learn_owners(lists, unknown)
        out = dict(base) if base is not None else {}
        for weight, counts in counted.items():
            if not out:
                out = {pid: n * weight for pid, n in counts.items()}
                continue
            get = out.get
            for pid, n in counts.items():
                out[pid] = get(pid, 0) + n * weight
        return out

    def _learn_owners(self, lists: list[list[Any]], unknown: set[int]) -> None:
        """Note the owners counted by id() that are not the portfolio's projects."""
        for entities in lists:
            for owner in _owners(entities, _kinds(entities)):
                if id(owner) in unknown:
                    self._project_of[id(owner)] = owner

    def _scope(self, kind: str) -> tuple[dict[str, int], dict[str, int]]:
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
_Totals = dict[str, tuple[dict[str, int], dict[str, int]]]
