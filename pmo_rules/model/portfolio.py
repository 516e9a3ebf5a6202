"""The loaded portfolio: validated entities with references resolved, ready for rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pmo_rules.diagnostics import Diagnostic
from pmo_rules.model.lifecycles import LifecycleRegistry
from pmo_rules.model.records import (
    Allocation,
    Dependency,
    Issue,
    Milestone,
    Objective,
    Person,
    Pmo,
    Portfolio,
    Program,
    Project,
    Record,
    Risk,
    from_models,
)


@dataclass(frozen=True)
class SourceFile:
    """One input file of a run and the SHA-256 of its bytes (recorded in reports)."""

    path: str
    sha256: str


class LoadedPortfolio:
    """Every entity of a portfolio, resolved: reference fields hold entities, not ids.

    Entities are records (records.py); resolved pydantic models given here instead (a
    plugin loader's, a test's) are turned into records first.
    """

    def __init__(
        self,
        *,
        as_of: dt.date,
        currency: str | None,
        pmo: Pmo,
        portfolio: Portfolio,
        people: list[Person],
        objectives: list[Objective],
        programs: list[Program],
        projects: list[Project],
        dependencies: list[Dependency],
        lifecycles: LifecycleRegistry,
        sources: list[SourceFile],
        warnings: list[Diagnostic],
        index: dict[str, dict[str, Any]] | None = None,
        children: dict[str, list[Any]] | None = None,
        project_edges: list[tuple[int, int]] | None = None,
    ) -> None:
        if isinstance(pmo, BaseModel) and not isinstance(pmo, Record):
            pmo, portfolio, people, objectives, programs, projects, dependencies = from_models(
                pmo, portfolio, people, objectives, programs, projects, dependencies)
            index = children = None
        self.as_of = as_of
        self.currency = currency
        self.pmo = pmo
        self.portfolio = portfolio
        self.people = people
        self.objectives = objectives
        self.programs = programs
        self.projects = projects
        self.dependencies = dependencies
        # `children`: every project's milestones, risks and issues, when already gathered.
        flat: dict[str, list[Any]] = children or {}
        self.milestones: list[Milestone] = flat.get("milestones") or [
            m for p in projects for m in p.milestones]
        self.risks: list[Risk] = flat.get("risks") or [r for p in projects for r in p.risks]
        self.issues: list[Issue] = flat.get("issues") or [i for p in projects for i in p.issues]
        self.allocations: list[Allocation] = flat.get("allocations") or [
            a for p in projects for a in p.allocations]
        # `index`: the resolver's id tables by kind, when it has them (they hold no duplicates).
        known: dict[str, dict[str, Any]] = index or {}
        self.people_by_id = known.get("person") or {e.id: e for e in people}
        self.objectives_by_id = known.get("objective") or {e.id: e for e in objectives}
        self.programs_by_id = known.get("program") or {e.id: e for e in programs}
        self.projects_by_id = known.get("project") or {e.id: e for e in projects}
        self.milestones_by_id = known.get("milestone") or {e.id: e for e in self.milestones}
        self.risks_by_id = known.get("risk") or {e.id: e for e in self.risks}
        self.issues_by_id = known.get("issue") or {e.id: e for e in self.issues}
        self.dependencies_by_id = {str(e.id): e for e in dependencies}
        # Per dependency, the positions in `projects` of the projects at its ends (a
        # milestone lifted to its project), when the loader had them at hand; the
        # graph computes them itself otherwise.
        self.project_edges = project_edges
        self.lifecycles = lifecycles
        self.sources = sources
        self.warnings = warnings

    def __repr__(self) -> str:
        return (
            f"LoadedPortfolio(as_of={self.as_of}, projects={len(self.projects)}, "
            f"dependencies={len(self.dependencies)})"
        )
