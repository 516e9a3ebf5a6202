"""Primavera P6 XER: each PROJECT row is one project; one file may hold several.

The `%T` (table), `%F` (fields) and `%R` (row) layout is read by field name.
Lags are hours (`lag_hr_cnt`) converted through the calendar that
SCHEDOPTIONS.sched_calendar_on_relationship_lag names (predecessor's by default,
successor's, a 24-hour day, or the project's), each with its own `day_hr_cnt`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.run import plain_loader
from pmo_rules.importers.schedule import (
    Link,
    ScheduleProject,
    Task,
    add_milestones,
    portfolio,
    roll_up,
)
from pmo_rules.importers.values import Bad, parse_date, parse_number, slug
from pmo_rules.importers.xer_fields import SENTINEL, read_custom_fields
from pmo_rules.importers.xer_file import Row, XerFile, parse
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import ImportRequest, Loader

NAME = "xer"
TYPES = {"PR_FS": "FS", "PR_SS": "SS", "PR_FF": "FF", "PR_SF": "SF"}
MILESTONES = ("TT_Mile", "TT_FinMile")


def sniff(data: bytes) -> bool:
    """An XER: `ERMHDR` or a `%T` line near the start."""
    return data.startswith(b"ERMHDR") or data.startswith(b"%T\t") or b"\n%T\t" in data[:8192]


def read(request: ImportRequest) -> dict[str, Any]:
    """Every project of every XER source, with the dependencies among them."""
    projects: list[ScheduleProject] = []
    people: dict[str, dict[str, Any]] = {}
    as_of: list[str] = []
    for path in request.sources:
        request.report.source(str(path), NAME)
        xer = parse(path, path.read_bytes())
        if xer.encoding != "utf-8":
            request.report.note(f"{path.name}: read as cp1252 (it is not UTF-8)")
        reader = _Reader(xer, request.mapping, request.report)
        projects += reader.projects()
        people.update({p["id"]: p for p in reader.people.values()})
        as_of += reader.as_of
    return portfolio(projects, request.report, people=people, as_of=as_of)


load = plain_loader(NAME)


class _Reader:
    def __init__(self, xer: XerFile, mapping: ImportMapping, report: ImportReport) -> None:
        self.xer, self.mapping, self.report = xer, mapping, report
        self.people: dict[str, dict[str, Any]] = {}
        self.as_of: list[str] = []
        self.day_hours = {r.get("clndr_id"): _number(r.get("day_hr_cnt")) or 8.0
                          for r in xer.table("CALENDAR")}
        self.lag_calendar = {r.get("proj_id"): r.get("sched_calendar_on_relationship_lag")
                             for r in xer.table("SCHEDOPTIONS")}
        self.project_calendar = {r.get("proj_id"): r.get("clndr_id")
                                 for r in xer.table("PROJECT")}
        self.task_calendar: dict[str, str | None] = {}
        self.load_people()

    def place(self, row: Row, key: str | None = None, table: str = "") -> Place:
        return Place(str(self.xer.path), row.line, field=f"{table}.{key}" if key else table)

    def date(self, row: Row, key: str, table: str, subject: str) -> dt.date | None:
        raw = row.get(key)
        if raw is None or raw.startswith(SENTINEL):
            return None
        value = parse_date(raw)
        if isinstance(value, Bad):
            self.report.refuse(self.place(row, key, table), raw, value.reason, key, subject)
            return None
        return value

    def projects(self) -> list[ScheduleProject]:
        rows = self.xer.table("PROJECT")
        by_id = {r.get("proj_id"): r for r in rows}
        baselines = {r.get("sum_base_proj_id") for r in rows} - {None}
        names = {r.get("proj_id"): r.get("wbs_name") for r in self.xer.table("PROJWBS")
                 if r.get("proj_node_flag") == "Y"}
        tasks = self._tasks_by_project()
        made: dict[str, ScheduleProject] = {}
        for row in rows:
            proj_id = row.get("proj_id") or ""
            if proj_id in baselines:
                self.report.skipped["baseline project (read as another's baseline)"] += 1
                continue
            made[proj_id] = self._project(row, names.get(proj_id), tasks.get(proj_id, {}),
                                          by_id.get(row.get("sum_base_proj_id")))
        self._links(made)
        read_custom_fields(self, made)
        return list(made.values())

    def _tasks_by_project(self) -> dict[str | None, dict[str, Any]]:
        out: dict[str | None, dict[str, Any]] = {}
        for row in self.xer.table("TASK"):
            out.setdefault(row.get("proj_id"), {}).setdefault("rows", []).append(row)
        return out

    def _project(self, row: Row, name: str | None, tasks: dict[str, Any],
                 baseline: Row | None) -> ScheduleProject:
        short = row.get("proj_short_name") or row.get("proj_id") or "?"
        override = self.mapping.projects.get(short, {})
        pid = str(override.get("id") or slug(short))
        record: dict[str, Any] = {"id": pid, "name": name or short}
        record["custom"] = {"source_file": self.xer.path.name, "proj_id": row.get("proj_id")}
        project = ScheduleProject(record)
        status_date = self.date(row, "last_recalc_date", "PROJECT", pid)  # the data date
        if status_date is not None:
            self.as_of.append(status_date.isoformat())
        schedule: dict[str, Any] = {}
        for key, target in (("plan_start_date", "forecast_start"),
                            ("scd_end_date", "forecast_finish")):
            value = self.date(row, key, "PROJECT", pid)
            if value is not None:
                schedule[target] = value.isoformat()
                self.report.map(f"PROJECT.{key}", f"schedule.{target}")
        if baseline is not None:
            for key, target in (("plan_start_date", "baseline_start"),
                                ("scd_end_date", "baseline_finish")):
                value = self.date(baseline, key, "PROJECT", pid)
                if value is not None:
                    schedule[target] = value.isoformat()
                    self.report.map(f"baseline PROJECT.{key}", f"schedule.{target}")
        elif row.get("sum_base_proj_id"):
            self.report.note("a project's baseline (sum_base_proj_id) is another project not "
                             "in the export: no baseline dates (target dates are planned "
                             "dates, not a baseline)")
        if schedule:
            record["schedule"] = schedule
        base_tasks = {}
        if baseline is not None:
            base_tasks = {r.get("task_code"): r for r in self._tasks_by_project().get(
                baseline.get("proj_id"), {}).get("rows", [])}
        statuses = []
        for task_row in tasks.get("rows", []):
            task = self._task(task_row, pid, base_tasks.get(task_row.get("task_code")))
            project.tasks[task_row.get("task_id") or ""] = task
            statuses.append(task_row.get("status_code"))
        roll_up(project)
        _rolled_status(record, statuses)
        add_milestones(project)
        for key, value in override.items():
            if key != "id":
                record[key] = value
        self._costs(record, row.get("proj_id"))
        return project

    def _task(self, row: Row, pid: str, base: Row | None) -> Task:
        code = row.get("task_code") or row.get("task_id") or "?"
        kind = row.get("task_type")
        subject = f"{pid}:{code}"

        def date(key: str, source: Row = row) -> dt.date | None:
            return self.date(source, key, "TASK", subject)

        start = date("restart_date") or date("early_start_date")
        finish = date("reend_date") or date("early_end_date")
        task = Task(code, row.get("task_name"), self.place(row, table="TASK"),
                    milestone=kind in MILESTONES, forecast_start=start, forecast_finish=finish,
                    actual_start=date("act_start_date"), actual_finish=date("act_end_date"))
        if kind == "TT_Mile":  # a start milestone: its date is its start
            task.forecast_finish = task.forecast_start
            task.actual_finish = task.actual_finish or task.actual_start
        if base is not None:
            b_start = date("restart_date", base) or date("early_start_date", base) \
                or date("target_start_date", base)
            b_finish = date("reend_date", base) or date("early_end_date", base) \
                or date("target_end_date", base)
            task.baseline_start = b_start
            task.baseline_finish = b_start if kind == "TT_Mile" else b_finish
        hours = _number(row.get("target_drtn_hr_cnt"))
        day = self.day_hours.get(row.get("clndr_id"), 8.0)
        task.duration_days = hours / day if hours is not None else None
        self.task_calendar[row.get("task_id") or ""] = row.get("clndr_id")
        return task

    def _links(self, made: dict[str, ScheduleProject]) -> None:
        owner = {task_id: project for project in made.values() for task_id in project.tasks}
        for row in self.xer.table("TASKPRED"):
            succ, pred = row.get("task_id") or "", row.get("pred_task_id") or ""
            succ_project, pred_project = owner.get(succ), owner.get(pred)
            place = self.place(row, table="TASKPRED")
            if succ_project is None:
                self.report.links["link to a task not imported"] += 1
                continue
            code = row.get("pred_type") or "PR_FS"
            if code not in TYPES:
                self.report.refuse(place, code, "a relationship type is PR_FS, PR_SS, PR_FF "
                                   "or PR_SF", "dependencies.type")
                continue
            lag = self._lag(row, pred if pred in owner else None, succ, succ_project, place)
            if lag is None:
                continue
            link = Link(pred, succ, TYPES[code], lag, place,
                        predecessor_project=pred_project.id if pred_project else None,
                        successor_project=succ_project.id)
            if pred_project is None:
                link.external = f"{row.get('pred_proj_id')}/{pred}"
            succ_project.links.append(link)

    def _lag(self, row: Row, pred: str | None, succ: str, project: ScheduleProject,
             place: Place) -> float | None:
        raw = row.get("lag_hr_cnt") or "0"
        hours = _number(raw)
        if hours is None:
            self.report.refuse(place, raw, "lag_hr_cnt is not a number", "dependencies.lag_days")
            return None
        if hours == 0:
            return 0.0
        proj_id = project.record["custom"]["proj_id"]
        rule = self.lag_calendar.get(proj_id) or "rcal_Predecessor"
        if rule == "rcal_24Hour":
            return hours / 24
        if rule == "rcal_Successor":
            calendar = self.task_calendar.get(succ)
        elif rule == "rcal_ProjDefault":
            calendar = self.project_calendar.get(proj_id)
        else:
            calendar = self.task_calendar.get(pred or succ)
        return hours / self.day_hours.get(calendar, 8.0)

    def _costs(self, record: dict[str, Any], proj_id: str | None) -> None:
        totals = {"approved": 0.0, "actual_to_date": 0.0, "remaining": 0.0}
        seen = False
        for row in self.xer.table("TASKRSRC"):
            if row.get("proj_id") != proj_id:
                continue
            seen = True
            totals["approved"] += _number(row.get("target_cost")) or 0.0
            totals["actual_to_date"] += (_number(row.get("act_reg_cost")) or 0.0) + \
                (_number(row.get("act_ot_cost")) or 0.0)
            totals["remaining"] += _number(row.get("remain_cost")) or 0.0
            person = self.people.get(row.get("rsrc_id") or "")
            if person is not None:
                self._allocate(record, person["id"], row)
        if seen and totals["approved"]:
            record["budget"] = {
                "approved": round(totals["approved"], 2),
                "actual_to_date": round(totals["actual_to_date"], 2),
                "forecast_at_completion": round(totals["actual_to_date"] + totals["remaining"],
                                                2)}
            self.report.map("TASKRSRC.target_cost (summed)", "budget.approved")
            self.report.map("TASKRSRC.act_reg_cost+act_ot_cost (summed)", "budget.actual_to_date")
            self.report.map("TASKRSRC actual + remain_cost (summed)",
                            "budget.forecast_at_completion")

    def _allocate(self, record: dict[str, Any], person: str, row: Row) -> None:
        allocations = record.setdefault("allocations", [])
        entry = next((a for a in allocations if a["person"] == person), None)
        if entry is None:
            entry = {"person": person}
            allocations.append(entry)
        units = _number(row.get("target_qty_per_hr"))
        if units is not None:
            entry["fte"] = max(entry.get("fte", 0.0), units)
        for key, target, pick in (("target_start_date", "from", min),
                                  ("target_end_date", "to", max)):
            value = self.date(row, key, "TASKRSRC", record["id"])
            if value is not None:
                entry[target] = pick(entry.get(target, value.isoformat()), value.isoformat())

    def load_people(self) -> None:
        for row in self.xer.table("RSRC"):
            if row.get("rsrc_type") == "RT_Labor" and row.get("rsrc_name"):
                ident = slug(row.get("rsrc_short_name") or row.get("rsrc_name") or "")
                self.people[row.get("rsrc_id") or ""] = {"id": ident, "name": row.get("rsrc_name")}


def _rolled_status(record: dict[str, Any], statuses: list[str | None]) -> None:
    known = [s for s in statuses if s]
    if not known:
        return
    if all(s == "TK_Complete" for s in known):
        record["status"] = "closed"
    elif any(s in ("TK_Active", "TK_Complete") for s in known):
        record["status"] = "active"
    else:
        record["status"] = "proposed"


def _number(raw: str | None) -> float | None:
    value = parse_number(raw) if raw is not None else None
    return value if isinstance(value, float) else None


LOADERS = [Loader(NAME, (".xer",), load, "Primavera P6 XER", read=read, sniff=sniff)]


@hookimpl
def pmo_rules_loaders() -> list[Loader]:
    """The XER importer."""
    return LOADERS
