"""Microsoft Project XML (MSPDI): one file is one project.

The project summary task (UID 0) gives the roll-up: dates, baseline, costs
(hundredths of the currency) and earned value; without it the roll-up comes from
the tasks. Link types are 0 FF, 1 FS, 2 SF, 3 SS; lags are tenths of minutes in
working (format 3-11 odd; +32 estimated) or elapsed time (4-12 even), or a percent
of the predecessor's duration (19, 20; 51, 52 estimated).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.safexml import XmlDoc, children_text, local, parse_xml
from pmo_rules.importers.schedule import (
    Link,
    ScheduleProject,
    Task,
    add_milestones,
    dependencies,
    roll_up,
)
from pmo_rules.importers.targets import place_value
from pmo_rules.importers.values import Bad, parse_date, parse_number, slug
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import ImportRequest, Loader

NAME = "mspdi"
TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
WORKING = {3: 1, 5: 60, 7: 1, 9: 1, 11: 1}  # minutes, hours, days, weeks, months (all in minutes)
ELAPSED = {4, 6, 8, 10, 12}
PERCENT = {19: False, 20: True, 51: False, 52: True}  # format -> elapsed
_DURATION = re.compile(r"^-?PT(\d+(?:\.\d+)?)H(\d+(?:\.\d+)?)M(\d+(?:\.\d+)?)S$")


def sniff(data: bytes) -> bool:
    """An MSPDI file: a `Project` root in Microsoft's project namespace."""
    text = data[:4096].decode("utf-8", "replace")
    return "schemas.microsoft.com/project" in text and "<Project" in text


def read(request: ImportRequest) -> dict[str, Any]:
    """Every MSPDI source as one project each, with the dependencies among them."""
    projects = []
    people: dict[str, dict[str, Any]] = {}
    as_of: list[str] = []
    currency = None
    for path in request.sources:
        request.report.source(str(path), NAME)
        doc = parse_xml(path, path.read_bytes())
        project, found_as_of, found_currency, staff = read_project(
            doc, path, request.mapping, request.report)
        projects.append(project)
        people.update(staff)
        currency = currency or found_currency
        if found_as_of:
            as_of.append(found_as_of)
    _resolve_cross_project(projects, request.report)
    out: dict[str, Any] = {"projects": [p.record for p in projects],
                           "dependencies": dependencies(projects, request.report)}
    if people:
        out["people"] = list(people.values())
    if as_of:
        out["as_of"] = max(as_of)
    if currency:
        out["currency"] = currency
    return out


def load(path: Path) -> dict[str, Any]:
    """The plain loader API: one file, default mapping."""
    from pmo_rules.importers.run import import_sources

    return import_sources([path], from_=NAME).document


class _Reader:
    def __init__(self, doc: XmlDoc, path: Path, mapping: ImportMapping, report: ImportReport):
        self.doc, self.path, self.mapping, self.report = doc, path, mapping, report
        self.ns = doc.root.tag[:-len("Project")] if doc.root.tag.endswith("}Project") else ""
        self.paths: dict[str, str] = {}

    def place(self, element: ET.Element, field: str | None = None) -> Place:
        return Place(self.doc.file, self.doc.line(element), field=field)

    def find(self, element: ET.Element, path: str) -> list[ET.Element]:
        full = self.paths.get(path)
        if full is None:
            full = self.paths[path] = "/".join(self.ns + p for p in path.split("/"))
        return element.findall(full)

    def date(self, element: ET.Element, values: dict[str, str], key: str,
             subject: str) -> dt.date | None:
        raw = values.get(key)
        if raw is None:
            return None
        value = parse_date(raw)
        if isinstance(value, Bad):
            self.report.refuse(self.place(element, key), raw, value.reason, key, subject)
            return None
        return value


def read_project(doc: XmlDoc, path: Path, mapping: ImportMapping, report: ImportReport
                 ) -> tuple[ScheduleProject, str | None, str | None, dict[str, dict[str, Any]]]:
    """One MSPDI document as a schedule project, its status date, currency and people."""
    root = doc.root
    if local(root.tag) != "Project":
        raise DiagnosticError([Diagnostic(
            "PMO462", f"`{path.name}` is XML but not a Microsoft Project file: its root is "
            f"<{local(root.tag)}>, expected <Project>", Span(str(path), doc.line(root) or 1, 1),
            help="export it from MS Project as XML, or force another format with --from")])
    reader = _Reader(doc, path, mapping, report)
    info = children_text(root)
    override = mapping.projects.get(path.stem, {})
    pid = str(override.get("id") or slug(path.stem))
    name = info.get("Title") or re.sub(r"\.xml$", "", info.get("Name") or "", flags=re.I) \
        or path.stem
    record: dict[str, Any] = {"id": pid, "name": name}
    custom: dict[str, Any] = {"source_file": path.name}
    if info.get("GUID"):
        custom["guid"] = info["GUID"]
    minutes_per_day = _number(info.get("MinutesPerDay")) or 480.0
    status = info.get("StatusDate") or info.get("CurrentDate")
    as_of = status[:10] if status else None
    aliases = {a["FieldID"]: a.get("Alias") or a.get("FieldName") or a["FieldID"]
               for a in (children_text(e) for e in reader.find(root, "ExtendedAttributes/"
                                                                      "ExtendedAttribute"))
               if "FieldID" in a}
    project = ScheduleProject(record)
    summary = None
    link_elements: list[tuple[str, ET.Element]] = []
    for element in reader.find(root, "Tasks/Task"):
        values = children_text(element)
        uid = values.get("UID")
        if uid is None:
            continue
        if values.get("IsNull") == "1":
            report.skipped["blank task (IsNull)"] += 1
            continue
        if values.get("Active") == "0":
            report.skipped["inactive task (Active=0)"] += 1
            continue
        if uid == "0":
            summary = (element, values)
            continue
        if values.get("ExternalTask") == "1":
            report.skipped["external task placeholder (ExternalTask=1)"] += 1
            continue
        project.tasks[uid] = _task(reader, element, values, pid, minutes_per_day, aliases)
        link_elements += [(uid, link) for link in reader.find(element, "PredecessorLink")]
    for uid, link in link_elements:  # after every task: a percent lag needs its predecessor
        made = _link(reader, link, uid, minutes_per_day, project)
        if made is not None:
            project.links.append(made)
    if summary is not None:
        _summary(reader, *summary, record, pid, aliases)
    else:
        report.note("a file without a project summary task (UID 0) rolls up from its tasks")
    roll_up(project)
    add_milestones(project)
    _phase(reader, root, record, mapping.as_of.isoformat() if mapping.as_of else as_of)
    if as_of and record.get("evm"):
        record["evm"]["as_of"] = as_of
    for key, value in override.items():
        if key != "id":
            record[key] = value
    record["custom"] = {**custom, **record.get("custom", {})}
    people = _people(reader, root, project)
    return project, as_of, info.get("CurrencyCode"), people


def _number(raw: str | None) -> float | None:
    value = parse_number(raw) if raw is not None else None
    return value if isinstance(value, float) else None


def _duration_minutes(raw: str | None) -> float | None:
    match = _DURATION.match(raw or "")
    if not match:
        return None
    return float(match[1]) * 60 + float(match[2]) + float(match[3]) / 60


def _task(reader: _Reader, element: ET.Element, values: dict[str, str], pid: str,
          minutes_per_day: float, aliases: dict[str, str]) -> Task:
    uid = values["UID"]
    subject = f"{pid}:{uid}"
    baseline = _baseline(reader, element)
    minutes = _duration_minutes(values.get("Duration"))
    task = Task(
        uid, values.get("Name"), reader.place(element, "Task"),
        milestone=values.get("Milestone") == "1", summary=values.get("Summary") == "1",
        forecast_start=reader.date(element, values, "Start", subject),
        forecast_finish=reader.date(element, values, "Finish", subject),
        actual_start=reader.date(element, values, "ActualStart", subject),
        actual_finish=reader.date(element, values, "ActualFinish", subject),
        baseline_start=reader.date(element, baseline, "Start", subject) if baseline else None,
        baseline_finish=reader.date(element, baseline, "Finish", subject) if baseline else None,
        duration_days=minutes / minutes_per_day if minutes is not None else None,
    )
    if values.get("Manual") == "1":
        task.custom["manual"] = True  # user-typed dates, not scheduled ones
    if task.milestone:
        for attribute in reader.find(element, "ExtendedAttribute"):
            item = children_text(attribute)
            alias = aliases.get(item.get("FieldID", ""), item.get("FieldID", "?"))
            if item.get("Value") is not None:
                task.custom[alias] = item["Value"]
                reader.report.keep(alias)
    return task


def _baseline(reader: _Reader, element: ET.Element) -> dict[str, str] | None:
    for baseline in reader.find(element, "Baseline"):
        values = children_text(baseline)
        if values.get("Number") == "0":
            return values
    return None


def _link(reader: _Reader, element: ET.Element, successor: str, minutes_per_day: float,
          project: ScheduleProject) -> Link | None:
    values = children_text(element)
    place = reader.place(element, "PredecessorLink")
    code = values.get("Type", "1")
    if code not in TYPES:
        reader.report.refuse(place, code, "a link type is 0 (FF), 1 (FS), 2 (SF) or 3 (SS)",
                             "dependencies.type")
        return None
    pred = values.get("PredecessorUID", "")
    lag = _lag(reader, values, place, minutes_per_day, project, pred)
    if lag is None:
        return None
    link = Link(pred, successor, TYPES[code], lag, place)
    if values.get("CrossProject") == "1":
        link.external = values.get("CrossProjectName") or "?"
    return link


def _lag(reader: _Reader, values: dict[str, str], place: Place, minutes_per_day: float,
         project: ScheduleProject, pred: str) -> float | None:
    raw = values.get("LinkLag", "0")
    amount = _number(raw)
    if amount is None:
        reader.report.refuse(place, raw, "LinkLag is not a number", "dependencies.lag_days")
        return None
    if amount == 0:
        return 0.0
    fmt = int(values.get("LagFormat", "7") or 7)
    base = fmt - 32 if fmt > 32 and fmt not in PERCENT else fmt
    if base in WORKING:
        return amount / 10 / minutes_per_day
    if base in ELAPSED:
        return amount / 10 / 1440
    if fmt in PERCENT:
        return _percent(project.tasks.get(pred), amount, PERCENT[fmt], reader.report, place)
    reader.report.refuse(place, f"{raw} (LagFormat {fmt})", "an unknown lag format",
                         "dependencies.lag_days")
    return None


def _percent(task: Task | None, percent: float, elapsed: bool, report: ImportReport,
             place: Place) -> float | None:
    if task is None:
        report.refuse(place, f"{percent:g}%", "a percent lag of a predecessor that is not "
                      "in the file", "dependencies.lag_days")
        return None
    if elapsed and task.forecast_start and task.forecast_finish:
        days: float | None = float((task.forecast_finish - task.forecast_start).days)
    else:
        days = task.duration_days
    if days is None:
        report.refuse(place, f"{percent:g}%", "a percent lag of a predecessor without a "
                      "duration", "dependencies.lag_days")
        return None
    return percent / 100 * days


def _summary(reader: _Reader, element: ET.Element, values: dict[str, str],
             record: dict[str, Any], pid: str, aliases: dict[str, str]) -> None:
    schedule: dict[str, Any] = {}
    for source, target in (("Start", "forecast_start"), ("Finish", "forecast_finish"),
                           ("ActualStart", "actual_start"), ("ActualFinish", "actual_finish")):
        value = reader.date(element, values, source, pid)
        if value is not None:
            schedule[target] = value.isoformat()
            reader.report.map(f"summary {source}", f"schedule.{target}")
    baseline = _baseline(reader, element) or {}
    for source, target in (("Start", "baseline_start"), ("Finish", "baseline_finish")):
        value = reader.date(element, baseline, source, pid)
        if value is not None:
            schedule[target] = value.isoformat()
            reader.report.map(f"summary Baseline/{source}", f"schedule.{target}")
    if schedule:
        record["schedule"] = schedule
    for other in reader.find(element, "Baseline"):  # baselines 1-10: kept, not used
        saved = children_text(other)
        number = saved.get("Number")
        if number and number != "0":
            for key in ("Start", "Finish", "Cost"):
                if saved.get(key):
                    kept = saved[key][:10] if key != "Cost" else _cost(saved[key])
                    record.setdefault("custom", {})[f"baseline{number}_{key.lower()}"] = kept
                    reader.report.keep(f"summary Baseline/{key} (baseline {number})")
    money = {"budget.approved": baseline.get("Cost"), "evm.bac": baseline.get("Cost"),
             "budget.forecast_at_completion": values.get("Cost"),
             "budget.actual_to_date": values.get("ActualCost"),
             "evm.pv": values.get("BCWS"), "evm.ev": values.get("BCWP"),
             "evm.ac": values.get("ACWP")}
    for target, raw in money.items():
        amount = _number(raw)
        if amount:  # MS Project writes 0 where no cost was ever entered
            section, key = target.split(".")
            record.setdefault(section, {})[key] = amount / 100
            reader.report.map(f"summary {raw and _source_of(target)}", target)
    for attribute in reader.find(element, "ExtendedAttribute"):
        item = children_text(attribute)
        alias = aliases.get(item.get("FieldID", ""), item.get("FieldID", "?"))
        raw = item.get("Value")
        if raw is None:
            continue
        target = reader.mapping.target(alias) or f"custom.{alias}"
        place_value(record, target, raw, reader.place(attribute, alias), reader.report,
                    reader.mapping, pid)


def _cost(raw: str) -> float | str:
    amount = _number(raw)
    return amount / 100 if amount is not None else raw


def _phase(reader: _Reader, root: ET.Element, record: dict[str, Any], as_of: str | None
           ) -> None:
    """The current phase: the top-level summary task whose dates hold as_of, through the
    mapping's `values: {phase: ...}` (never guessed from names without that map)."""
    names = reader.mapping.values.get("phase")
    if not names or as_of is None or "phase" in record:
        return
    for element in reader.find(root, "Tasks/Task"):
        values = children_text(element)
        if values.get("OutlineLevel") != "1" or values.get("Summary") != "1":
            continue
        start, finish = values.get("Start", "")[:10], values.get("Finish", "")[:10]
        phase = names.get(" ".join((values.get("Name") or "").lower().split()))
        if phase is not None and start <= as_of <= finish:
            record["phase"] = phase
            reader.report.map("top-level summary task holding as_of (values.phase)", "phase")
            return


def _source_of(target: str) -> str:
    return {"budget.approved": "Baseline/Cost", "evm.bac": "Baseline/Cost",
            "budget.forecast_at_completion": "Cost", "budget.actual_to_date": "ActualCost",
            "evm.pv": "BCWS", "evm.ev": "BCWP", "evm.ac": "ACWP"}[target]


def _people(reader: _Reader, root: ET.Element, project: ScheduleProject
            ) -> dict[str, dict[str, Any]]:
    """Work resources as people (by a slug of their name); assignments as allocations."""
    people: dict[str, dict[str, Any]] = {}
    by_uid: dict[str, str] = {}
    for element in reader.find(root, "Resources/Resource"):
        values = children_text(element)
        name = values.get("Name")
        if values.get("Type", "1") != "1" or not name or values.get("IsNull") == "1":
            continue
        person = slug(name)
        by_uid[values.get("UID", "")] = person
        people[person] = {"id": person, "name": name}
    spans: dict[str, dict[str, Any]] = {}
    for element in reader.find(root, "Assignments/Assignment"):
        values = children_text(element)
        who = by_uid.get(values.get("ResourceUID", ""))
        if who is None or values.get("TaskUID") not in project.tasks:
            continue
        units = _number(values.get("Units"))
        start = parse_date(values.get("Start"))
        finish = parse_date(values.get("Finish"))
        entry = spans.setdefault(who, {"person": who})
        if units is not None:
            entry["fte"] = max(entry.get("fte", 0.0), units)
        if isinstance(start, dt.date):
            entry["from"] = min(entry.get("from", start.isoformat()), start.isoformat())
        if isinstance(finish, dt.date):
            entry["to"] = max(entry.get("to", finish.isoformat()), finish.isoformat())
    if spans:
        project.record["allocations"] = list(spans.values())
        reader.report.note("allocations: one per person and project, from the first to the "
                           "last assignment, fte the largest assignment's units")
    return people


def _resolve_cross_project(projects: list[ScheduleProject], report: ImportReport) -> None:
    """Point each CrossProjectName (`...\\Other.mpp\\12`) at an imported project's task."""
    by_stem = {}
    for project in projects:
        source = str(project.record.get("custom", {}).get("source_file", ""))
        by_stem[re.sub(r"\.\w+$", "", source).lower()] = project
        by_stem[project.id.lower()] = project
    for project in projects:
        for link in project.links:
            if link.external is None:
                continue
            file_part, _, uid = link.external.replace("/", "\\").rpartition("\\")
            stem = re.sub(r"\.\w+$", "", file_part.rsplit("\\", 1)[-1]).lower()
            other = by_stem.get(stem)
            if other is not None and uid in other.tasks:
                link.predecessor, link.predecessor_project = uid, other.id
                link.external = None


LOADERS = [Loader(NAME, (".xml",), load, "Microsoft Project XML (MSPDI)", read=read,
                  sniff=sniff)]


@hookimpl
def pmo_rules_loaders() -> list[Loader]:
    """The MSPDI importer."""
    return LOADERS
