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
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.run import plain_loader
from pmo_rules.importers.safexml import Node, parse_records
from pmo_rules.importers.schedule import (
    Link,
    ScheduleProject,
    Task,
    add_milestones,
    portfolio,
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
# Elements read even when empty: an empty link is still a link (to no task), and counted.
RECORDS = frozenset({"PredecessorLink"})
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
        root = parse_records(path, path.read_bytes(), RECORDS)
        project, found_as_of, found_currency, staff = read_project(
            root, path, request.mapping, request.report)
        projects.append(project)
        people.update(staff)
        currency = currency or found_currency
        if found_as_of:
            as_of.append(found_as_of)
    _resolve_cross_project(projects, request.report)
    return portfolio(projects, request.report, people=people, as_of=as_of, currency=currency)


load = plain_loader(NAME)


class _Reader:
    def __init__(self, path: Path, mapping: ImportMapping, report: ImportReport):
        self.file, self.path, self.mapping, self.report = str(path), path, mapping, report
        self.dates: dict[str, dt.date | Bad | None] = {}  # a schedule repeats its dates

    def place(self, element: Node, field: str | None = None) -> Place:
        return Place(self.file, element.line, field=field)

    def date(self, element: Node, values: dict[str, str], key: str,
             subject: str) -> dt.date | None:
        raw = values.get(key)
        if raw is None:
            return None
        try:
            value = self.dates[raw]
        except KeyError:
            value = self.dates[raw] = parse_date(raw)
        if isinstance(value, Bad):
            self.report.refuse(self.place(element, key), raw, value.reason, key, subject)
            return None
        return value


class CustomFields:
    """The file's custom field definitions: each field's name (its alias, else its field
    name) and each outline code's values, by id and by GUID, as their full codes."""

    def __init__(self, root: Node) -> None:
        attributes = [e.fields for e in root.find("ExtendedAttributes/ExtendedAttribute")]
        self.names = {a["FieldID"]: a.get("Alias") or a.get("FieldName") or a["FieldID"]
                      for a in attributes if "FieldID" in a}
        by_lookup = {a["Ltuid"]: a["FieldID"] for a in attributes
                     if a.get("Ltuid") and "FieldID" in a}  # Project 2007 on: by the code's GUID
        self.codes: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        for code in root.find("OutlineCodes/OutlineCode"):
            info = code.fields
            field_id = info.get("FieldID") or by_lookup.get(info.get("Guid", ""))
            if field_id is None:
                continue
            if info.get("Alias") or field_id not in self.names:  # Project 2002/2003 layout
                self.names[field_id] = info.get("Alias") or info.get("FieldName") or field_id
            self.codes[field_id] = _code_values(code)

    def read(self, reader: _Reader, element: Node, subject: str
             ) -> list[tuple[str, str, Node]]:
        """The custom field values of a task: (name, value, element) for each extended
        attribute, and each outline code resolved to its full code; an outline code whose
        value is not in the file's table is refused."""
        out = []
        for item in element.children:
            values = item.fields
            field_id = values.get("FieldID", "?")
            if item.tag == "ExtendedAttribute" and values.get("Value") is not None:
                out.append((self.names.get(field_id, field_id), values["Value"], item))
            elif item.tag == "OutlineCode":
                name = self.names.get(field_id, field_id)
                by_id, by_guid = self.codes.get(field_id, ({}, {}))
                value = by_guid.get(values.get("ValueGUID", "")) or by_id.get(
                    values.get("ValueID", ""))
                if value is not None:
                    out.append((name, value, item))
                elif values.get("ValueID") or values.get("ValueGUID"):
                    reader.report.refuse(
                        reader.place(item, name), values.get("ValueID") or values["ValueGUID"],
                        "an outline code value that is not in the file's OutlineCodes table",
                        f"custom.{name}", subject)
        return out


def _code_values(code: Node) -> tuple[dict[str, str], dict[str, str]]:
    """An outline code's values by ValueID and by GUID, each its full code: the levels from
    the top down, joined by the separator of the level above (the code's mask, `.` when
    none is given)."""
    separators = {m.fields.get("Level"): m.fields.get("Separator") or "."
                  for m in code.find("Masks/Mask")}
    rows = {v.fields.get("ValueID", ""): v.fields for v in code.find("Values/Value")}
    by_id: dict[str, str] = {}
    by_guid: dict[str, str] = {}
    for value_id, row in rows.items():
        parts = [row.get("Value", "")]
        parent = rows.get(row.get("ParentValueID", "0"))
        while parent is not None and len(parts) < len(rows):  # bounded: a cycle must end
            parts.insert(0, parent.get("Value", ""))
            parent = rows.get(parent.get("ParentValueID", "0"))
        text = parts[0]
        for level, part in enumerate(parts[1:], start=1):
            text += separators.get(str(level), ".") + part
        by_id[value_id] = text
        if row.get("FieldGUID"):
            by_guid[row["FieldGUID"]] = text
    return by_id, by_guid


def read_project(root: Node, path: Path, mapping: ImportMapping, report: ImportReport
                 ) -> tuple[ScheduleProject, str | None, str | None, dict[str, dict[str, Any]]]:
    """One MSPDI document as a schedule project, its status date, currency and people."""
    if root.tag != "Project":
        raise DiagnosticError([Diagnostic(
            "PMO462", f"`{path.name}` is XML but not a Microsoft Project file: its root is "
            f"<{root.tag}>, expected <Project>", Span(str(path), root.line or 1, 1),
            help="export it from MS Project as XML, or force another format with --from")])
    reader = _Reader(path, mapping, report)
    info = root.fields
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
    fields = CustomFields(root)
    project = ScheduleProject(record)
    summary = None
    link_elements: list[tuple[str, Node]] = []
    for element in root.find("Tasks/Task"):
        values = element.fields
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
        project.tasks[uid] = _task(reader, element, values, pid, minutes_per_day, fields)
        link_elements += [(uid, link) for link in element.find("PredecessorLink")]
    for uid, link in link_elements:  # after every task: a percent lag needs its predecessor
        made = _link(reader, link, uid, minutes_per_day, project)
        if made is not None:
            project.links.append(made)
    if summary is not None:
        _summary(reader, *summary, record, pid, fields)
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


def _task(reader: _Reader, element: Node, values: dict[str, str], pid: str,
          minutes_per_day: float, fields: CustomFields) -> Task:
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
        for name, value, _ in fields.read(reader, element, subject):
            task.custom[name] = value
            reader.report.keep(name)
    return task


def _baseline(reader: _Reader, element: Node) -> dict[str, str] | None:
    for baseline in element.find("Baseline"):
        values = baseline.fields
        if values.get("Number") == "0":
            return values
    return None


def _link(reader: _Reader, element: Node, successor: str, minutes_per_day: float,
          project: ScheduleProject) -> Link | None:
    values = element.fields
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


def _summary(reader: _Reader, element: Node, values: dict[str, str],
             record: dict[str, Any], pid: str, fields: CustomFields) -> None:
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
    for other in element.find("Baseline"):  # baselines 1-10: kept, not used
        saved = other.fields
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
    for name, raw, item in fields.read(reader, element, pid):
        target = reader.mapping.target(name) or f"custom.{name}"
        place_value(record, target, raw, reader.place(item, name), reader.report,
                    reader.mapping, pid)


def _cost(raw: str) -> float | str:
    amount = _number(raw)
    return amount / 100 if amount is not None else raw


def _phase(reader: _Reader, root: Node, record: dict[str, Any], as_of: str | None
           ) -> None:
    """The current phase: the top-level summary task whose dates hold as_of, through the
    mapping's `values: {phase: ...}` (never guessed from names without that map)."""
    names = reader.mapping.values.get("phase")
    if not names or as_of is None or "phase" in record:
        return
    for element in root.find("Tasks/Task"):
        values = element.fields
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


def _people(reader: _Reader, root: Node, project: ScheduleProject
            ) -> dict[str, dict[str, Any]]:
    """Work resources as people (by a slug of their name); assignments as allocations."""
    people: dict[str, dict[str, Any]] = {}
    by_uid: dict[str, str] = {}
    for element in root.find("Resources/Resource"):
        values = element.fields
        name = values.get("Name")
        if values.get("Type", "1") != "1" or not name or values.get("IsNull") == "1":
            continue
        person = slug(name)
        by_uid[values.get("UID", "")] = person
        people[person] = {"id": person, "name": name}
    spans: dict[str, dict[str, Any]] = {}
    for element in root.find("Assignments/Assignment"):
        values = element.fields
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
