"""Schedule files as PMOs see them: one file (or XER project) is one project.

Each schedule reader turns its tasks and links into `Task` and `Link`; this module
makes the project (its roll-up), its milestones (ids prefixed by the project id) and
the portfolio dependencies: links that cross projects, or join two milestones of one
project. Links between ordinary tasks of one project are counted, not kept: the
portfolio has no tasks.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pmo_rules.importers.report import ImportReport, Place

LINK_TYPES = ("FS", "SS", "FF", "SF")


@dataclass
class Task:
    """One schedule activity, as much as the portfolio needs of it."""

    uid: str
    name: str | None
    place: Place
    milestone: bool = False
    summary: bool = False
    forecast_start: dt.date | None = None
    forecast_finish: dt.date | None = None
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None
    baseline_start: dt.date | None = None
    baseline_finish: dt.date | None = None
    duration_days: float | None = None  # working days, for percent lags
    custom: dict[str, Any] = field(default_factory=dict)


@dataclass
class Link:
    """A predecessor link. `lag_days` is exact (a float); the project of each end may differ."""

    predecessor: str  # task uid
    successor: str
    type: str
    lag_days: float
    place: Place
    kind: str = "hard"
    predecessor_project: str | None = None  # None: the successor's project
    successor_project: str | None = None
    external: str | None = None  # a cross-project reference the reader could not resolve


@dataclass
class ScheduleProject:
    """A project read from a schedule: its record (our format), tasks and links."""

    record: dict[str, Any]
    tasks: dict[str, Task] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The project's id in the portfolio."""
        return str(self.record["id"])


def milestone_id(project_id: str, uid: str) -> str:
    """A milestone's portfolio id: the project id, a colon, the schedule's UID."""
    return f"{project_id}:{uid}"


def add_milestones(project: ScheduleProject) -> None:
    """Every milestone task of the project as a milestone record."""
    out = project.record.setdefault("milestones", [])
    for task in project.tasks.values():
        if not task.milestone:
            continue
        record: dict[str, Any] = {"id": milestone_id(project.id, task.uid)}
        if task.name and task.name.strip():
            record["name"] = task.name.strip()
        for ours, value in (("baseline", task.baseline_finish or task.baseline_start),
                            ("forecast", task.forecast_finish or task.forecast_start),
                            ("actual", task.actual_finish)):
            if value is not None:
                record[ours] = value.isoformat()
        if task.custom:
            record["custom"] = dict(task.custom)
        out.append(record)
    if not out:
        del project.record["milestones"]


def roll_up(project: ScheduleProject) -> None:
    """Fill the schedule dates the reader did not give from the tasks (no summary task)."""
    schedule = project.record.setdefault("schedule", {})
    tasks = [t for t in project.tasks.values() if not t.summary]
    if not tasks:
        return

    def pick(attr: str, latest: bool, complete: bool = False) -> None:
        values = [getattr(t, attr) for t in tasks]
        known = [v for v in values if v is not None]
        if not known or (complete and len(known) != len(values)):
            return
        schedule.setdefault(attr, (max(known) if latest else min(known)).isoformat())

    pick("forecast_start", False)
    pick("forecast_finish", True)
    pick("baseline_start", False, complete=True)
    pick("baseline_finish", True, complete=True)
    pick("actual_start", False)
    pick("actual_finish", True, complete=True)
    if not schedule:
        del project.record["schedule"]


def portfolio(projects: list[ScheduleProject], report: ImportReport, *,
              people: dict[str, dict[str, Any]] | None = None, as_of: Sequence[str] = (),
              currency: str | None = None) -> dict[str, Any]:
    """The portfolio document of schedule projects: their records, the dependencies among
    them, and what was found beside them (people, the latest status date, a currency)."""
    out: dict[str, Any] = {"projects": [p.record for p in projects],
                           "dependencies": dependencies(projects, report)}
    if people:
        out["people"] = list(people.values())
    if as_of:
        out["as_of"] = max(as_of)
    if currency:
        out["currency"] = currency
    return out


def dependencies(projects: list[ScheduleProject], report: ImportReport) -> list[dict[str, Any]]:
    """The portfolio dependencies among the links of these projects (deduplicated)."""
    by_id = {p.id: p for p in projects}
    out: dict[str, dict[str, Any]] = {}
    for project in projects:
        for link in project.links:
            pred_project = by_id.get(link.predecessor_project or project.id)
            succ_project = by_id.get(link.successor_project or project.id)
            if link.external is not None or pred_project is None or succ_project is None:
                report.links["cross-project link to a project not imported"] += 1
                report.refuse(link.place, link.external or link.predecessor,
                              "a cross-project link to a project not in this import; import "
                              "that project's file too", "dependencies")
                continue
            pred = pred_project.tasks.get(link.predecessor)
            succ = succ_project.tasks.get(link.successor)
            if pred is None or succ is None:
                report.links["link to a task not imported (inactive, blank or missing)"] += 1
                continue
            cross = pred_project is not succ_project
            if not cross and not (pred.milestone and succ.milestone):
                report.links["inside one project (not a portfolio dependency)"] += 1
                continue
            record = _dependency(link, _end(pred_project, pred, cross),
                                 _end(succ_project, succ, cross), report)
            report.links["cross-project" if cross else "milestone to milestone"] += 1
            key = record["id"]
            if key in out:
                report.links["duplicate link (kept once)"] += 1
                continue
            out[key] = record
    return list(out.values())


def _end(project: ScheduleProject, task: Task, cross: bool) -> str:
    # A milestone names itself; an ordinary task across projects stands for its project.
    return milestone_id(project.id, task.uid) if task.milestone else project.id


def _dependency(link: Link, pred: str, succ: str, report: ImportReport) -> dict[str, Any]:
    record: dict[str, Any] = {"id": f"{pred}->{succ}", "predecessor": pred, "successor": succ,
                              "type": link.type}
    lag = link.lag_days
    if lag:
        whole = int(math.copysign(math.floor(abs(lag) + 0.5), lag))
        if abs(whole - lag) > 1e-9:
            record.setdefault("custom", {})["lag_days_exact"] = round(lag, 6)
            report.note("lag_days is a whole number of days: fractional lags are rounded half "
                        "away from zero, the exact value kept as custom.lag_days_exact")
        if whole:
            record["lag_days"] = whole
    if link.kind != "hard":
        record["kind"] = link.kind
    return record
