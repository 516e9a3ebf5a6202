"""GanttProject (.gan): one file is one project, tasks nested in summaries.

No finish date is stored: `start` plus `duration` in working days, counted over
the `<default-week>` and the holidays. A `<depend>` written inside task P names
a successor of P; types 1 SS, 2 FS, 3 FF, 4 SF; `difference` is the lag in days;
`Strong` is a hard link, `Rubber` a soft one.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.run import plain_loader
from pmo_rules.importers.safexml import XmlDoc, parse_xml
from pmo_rules.importers.schedule import (
    Link,
    ScheduleProject,
    Task,
    add_milestones,
    portfolio,
    roll_up,
)
from pmo_rules.importers.values import Bad, parse_date, parse_number, slug
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import ImportRequest, Loader

NAME = "gan"
TYPES = {"1": "SS", "2": "FS", "3": "FF", "4": "SF"}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def sniff(data: bytes) -> bool:
    """A GanttProject file: a `<project>` root holding `<tasks>`."""
    text = data[:8192].decode("utf-8", "replace")
    return "<project" in text and ("<tasks" in text or "ganttproject" in text.lower())


class Calendar:
    """Working days: the default week less holidays (dated, or every year when no year)."""

    def __init__(self, root: ET.Element) -> None:
        week = root.find("calendars/day-types/default-week")
        weekend = {"sat", "sun"} if week is None else {d for d in DAYS if week.get(d) == "1"}
        self.off_days = {DAYS.index(d) for d in weekend}
        self.holidays: set[dt.date] = set()
        self.yearly: set[tuple[int, int]] = set()
        for item in root.findall("calendars/date"):
            try:
                month, day = int(item.get("month", "")), int(item.get("date", ""))
                if item.get("year"):
                    self.holidays.add(dt.date(int(item.get("year", "")), month, day))
                else:
                    self.yearly.add((month, day))
            except ValueError:
                continue

    def working(self, day: dt.date) -> bool:
        """Whether `day` is a working day."""
        return day.weekday() not in self.off_days and day not in self.holidays \
            and (day.month, day.day) not in self.yearly

    def finish(self, start: dt.date, days: float) -> dt.date:
        """The last working day of a task of `days` working days starting on `start`."""
        if len(self.off_days) >= 7:
            return start
        left = max(round(min(days, 100_000)) - 1, 0)  # bounded: a hostile duration ends too
        day, steps = start, 0
        while not self.working(day) and steps < 1000:
            day += dt.timedelta(days=1)
            steps += 1
        while left > 0 and steps < 200_000:
            day += dt.timedelta(days=1)
            steps += 1
            if self.working(day):
                left -= 1
        return day


def read(request: ImportRequest) -> dict[str, Any]:
    """Each .gan source as one project, with the dependencies among them."""
    projects = []
    people: dict[str, dict[str, Any]] = {}
    for path in request.sources:
        request.report.source(str(path), NAME)
        doc = parse_xml(path, path.read_bytes())
        project, staff = read_project(doc, path, request)
        projects.append(project)
        people.update(staff)
    return portfolio(projects, request.report, people=people)


load = plain_loader(NAME)


def read_project(doc: XmlDoc, path: Path, request: ImportRequest
                 ) -> tuple[ScheduleProject, dict[str, dict[str, Any]]]:
    """One GanttProject document as a schedule project and its people."""
    root, report = doc.root, request.report
    if root.tag != "project" or root.find("tasks") is None:
        raise DiagnosticError([Diagnostic(
            "PMO462", f"`{path.name}` is not a GanttProject file: expected a <project> root "
            f"holding <tasks>, found <{root.tag}>", Span(str(path), doc.line(root) or 1, 1),
            help="save it from GanttProject as .gan, or force another format with --from")])
    override = request.mapping.projects.get(path.stem, {})
    pid = str(override.get("id") or slug(path.stem))
    record: dict[str, Any] = {"id": pid, "name": root.get("name") or path.stem,
                              "custom": {"source_file": path.name}}
    project = ScheduleProject(record)
    calendar = Calendar(root)
    properties = {p.get("id"): p.get("name") for p in root.findall("tasks/taskproperties/"
                                                                   "taskproperty")
                  if p.get("type") == "custom"}
    baselines = _baselines(root, calendar)
    depends: list[tuple[str, ET.Element]] = []

    def walk(element: ET.Element) -> None:
        for child in element.findall("task"):
            task = _task(doc, child, calendar, report, pid, properties)
            task.summary = child.find("task") is not None
            base = baselines.get(task.uid)
            if base is not None:
                task.baseline_start, task.baseline_finish = base
            project.tasks[task.uid] = task
            depends.extend((task.uid, d) for d in child.findall("depend"))
            walk(child)

    walk(root.find("tasks"))  # type: ignore[arg-type]
    for pred, element in depends:
        place = Place(doc.file, doc.line(element), field="depend")
        code = element.get("type", "2")
        if code not in TYPES:
            report.refuse(place, code, "a dependency type is 1 (SS), 2 (FS), 3 (FF) or 4 (SF)",
                          "dependencies.type")
            continue
        lag = parse_number(element.get("difference", "0"))
        if not isinstance(lag, float):
            report.refuse(place, element.get("difference"), "difference is not a number of days",
                          "dependencies.lag_days")
            continue
        kind = "soft" if element.get("hardness") == "Rubber" else "hard"
        project.links.append(Link(pred, element.get("id", ""), TYPES[code], lag, place, kind))
    roll_up(project)
    add_milestones(project)
    for key, value in override.items():
        if key != "id":
            record[key] = value
    return project, _people(root, project)


def _task(doc: XmlDoc, element: ET.Element, calendar: Calendar, report: ImportReport, pid: str,
          properties: dict[str | None, str | None]) -> Task:
    uid = element.get("id", "?")
    place = Place(doc.file, doc.line(element), field="task")
    task = Task(uid, element.get("name"), place, milestone=element.get("meeting") == "true")
    start = parse_date(element.get("start"))
    duration = parse_number(element.get("duration", "0"))
    if isinstance(start, Bad):
        report.refuse(place, element.get("start"), start.reason, "start", f"{pid}:{uid}")
    elif isinstance(start, dt.date):
        days = duration if isinstance(duration, float) else 0.0
        task.forecast_start = start
        task.forecast_finish = calendar.finish(start, days)
        task.duration_days = days
    complete = parse_number(element.get("complete", "0"))
    if isinstance(complete, float):
        task.custom["percent_complete"] = complete
        if complete >= 100 and task.forecast_finish is not None:
            task.actual_start, task.actual_finish = task.forecast_start, task.forecast_finish
    for prop in element.findall("customproperty"):
        name = properties.get(prop.get("taskproperty-id"))
        if name and prop.get("value") is not None and task.milestone:
            task.custom[name] = prop.get("value")
            report.keep(name)
    return task


def _baselines(root: ET.Element, calendar: Calendar
               ) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """The first saved baseline (`<previous-tasks>`): task id -> (start, finish)."""
    out: dict[str, tuple[dt.date | None, dt.date | None]] = {}
    first = root.find("previous/previous-tasks")
    if first is None:
        return out
    for item in first.findall("previous-task"):
        start = parse_date(item.get("start"))
        duration = parse_number(item.get("duration", "0"))
        if isinstance(start, dt.date):
            days = duration if isinstance(duration, float) else 0.0
            out[item.get("id", "")] = (start, calendar.finish(start, days))
    return out


def _people(root: ET.Element, project: ScheduleProject) -> dict[str, dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    by_id: dict[str | None, str] = {}
    for element in root.findall("resources/resource"):
        name = element.get("name")
        if name:
            by_id[element.get("id")] = slug(name)
            people[slug(name)] = {"id": slug(name), "name": name}
    spans: dict[str, dict[str, Any]] = {}
    for element in root.findall("allocations/allocation"):
        person = by_id.get(element.get("resource-id"))
        task = project.tasks.get(element.get("task-id", ""))
        load = parse_number(element.get("load", "100"))
        if person is None or task is None:
            continue
        entry = spans.setdefault(person, {"person": person})
        if isinstance(load, float):
            entry["fte"] = max(entry.get("fte", 0.0), load / 100)
        if task.forecast_start:
            entry["from"] = min(entry.get("from", "9999"), task.forecast_start.isoformat())
        if task.forecast_finish:
            entry["to"] = max(entry.get("to", ""), task.forecast_finish.isoformat())
    if spans:
        project.record["allocations"] = list(spans.values())
    return people


LOADERS = [Loader(NAME, (".gan",), load, "GanttProject (.gan)", read=read, sniff=sniff)]


@hookimpl
def pmo_rules_loaders() -> list[Loader]:
    """The GanttProject importer."""
    return LOADERS
