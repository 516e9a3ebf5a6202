"""MPP, MPX, PMXML and Planner files through MPXJ (the optional `mpxj` extra, on a JVM).

MPXJ (LGPL) reads the file into its ProjectFile model; each of its projects then
goes through the same granularity as the other schedule formats. XML-based files
are first parsed with defusedxml, so an entity bomb or an external entity is
refused before MPXJ's parser sees it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.run import plain_loader
from pmo_rules.importers.safexml import parse_xml
from pmo_rules.importers.schedule import (
    LINK_TYPES,
    Link,
    ScheduleProject,
    Task,
    add_milestones,
    portfolio,
    roll_up,
)
from pmo_rules.importers.values import slug
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import ImportRequest, Loader

NAME = "mpxj"
SUFFIXES = (".mpp", ".mpx", ".pmxml", ".planner", ".mrproject", ".xml")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> bool:
    """An MPP (an OLE compound file), MPX, PMXML or Planner file."""
    head = data[:4096]
    text = head.decode("utf-8", "replace")
    return head.startswith(_OLE) or head.startswith(b"MPX,") or "APIBusinessObjects" in text \
        or "mrproject-version" in text


def available() -> str | None:
    """Why MPXJ cannot run here (the extra or a Java runtime missing), or None when it can."""
    try:
        import jpype
        import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)
    except ImportError:
        return "the mpxj extra is not installed: pip install \"pmo-rules[mpxj]\""
    if jpype.isJVMStarted():
        return None
    try:
        jpype.getDefaultJVMPath()
    except Exception:  # jpype's JVMNotFoundException and platform errors alike
        return "no Java runtime was found (install one, e.g. Debian's default-jre-headless, " \
            "or set JAVA_HOME)"
    return None


def _start() -> Any:
    import jpype
    import mpxj  # noqa: F401

    if not jpype.isJVMStarted():
        jpype.startJVM("-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple."
                       "SimpleLoggerContextFactory", convertStrings=True)
    from org.mpxj.reader import UniversalProjectReader  # type: ignore[import-not-found]

    return UniversalProjectReader


def read(request: ImportRequest) -> dict[str, Any]:
    """Every source's projects through MPXJ."""
    why = available()
    if why is not None:
        raise DiagnosticError([Diagnostic(
            "PMO465", f"`{request.sources[0].name}` needs MPXJ: {why}",
            Span(str(request.sources[0]), 1, 1),
            help="MS Project XML, XER and GanttProject files need no Java; save the file in "
            "one of those formats, or install the extra and a Java runtime")])
    reader_class = _start()
    projects: list[ScheduleProject] = []
    as_of: list[str] = []
    for path in request.sources:
        request.report.source(str(path), NAME)
        data = path.read_bytes()
        if data.lstrip()[:1] == b"<":
            parse_xml(path, data)  # refuse hostile XML before MPXJ parses it
        try:
            files = list(reader_class().readAll(str(path)))
        except Exception as exc:  # MPXJ's Java exceptions arrive as Python exceptions
            raise DiagnosticError([Diagnostic(
                "PMO462", f"MPXJ could not read `{path.name}`: {exc}", Span(str(path), 1, 1),
                help="check the file is a schedule export, or force another format with "
                "--from")]) from None
        if not files:
            raise DiagnosticError([Diagnostic(
                "PMO462", f"MPXJ found no project in `{path.name}`", Span(str(path), 1, 1),
                help="check the file is a schedule export, or force another format with "
                "--from")])
        for index, project_file in enumerate(files):
            project, status = _project(project_file, path, index, len(files), request)
            projects.append(project)
            if status:
                as_of.append(status)
    return portfolio(projects, request.report, as_of=as_of)


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    return dt.date(value.getYear(), value.getMonthValue(), value.getDayOfMonth())


def _project(project_file: Any, path: Path, index: int, count: int, request: ImportRequest
             ) -> tuple[ScheduleProject, str | None]:
    props = project_file.getProjectProperties()
    stem = path.stem if count == 1 else f"{path.stem}-{index + 1}"
    override = request.mapping.projects.get(stem, {})
    pid = str(override.get("id") or slug(str(props.getProjectID() or "") if count > 1 and
                                         props.getProjectID() else stem))
    name = props.getProjectTitle() or props.getName() or stem
    record: dict[str, Any] = {"id": pid, "name": str(name), "custom": {"source_file": path.name}}
    project = ScheduleProject(record)
    report = request.report
    by_uid: dict[int, Any] = {}
    summary = None
    for task in project_file.getTasks():
        uid = task.getUniqueID()
        if uid is None:
            continue
        if task.getNull():
            report.skipped["blank task (IsNull)"] += 1
            continue
        if not task.getActive():
            report.skipped["inactive task (Active=0)"] += 1
            continue
        if int(uid) == 0 and task.getSummary():
            summary = task
            continue
        by_uid[int(uid)] = task
        duration = task.getDuration()
        project.tasks[str(uid)] = Task(
            str(uid), task.getName(), Place(str(path), field=f"task {uid}"),
            milestone=bool(task.getMilestone()), summary=bool(task.getSummary()),
            forecast_start=_date(task.getStart()), forecast_finish=_date(task.getFinish()),
            actual_start=_date(task.getActualStart()), actual_finish=_date(task.getActualFinish()),
            baseline_start=_date(task.getBaselineStart()),
            baseline_finish=_date(task.getBaselineFinish()),
            duration_days=_days(duration, props) if duration is not None else None)
    for uid, task in by_uid.items():
        for relation in task.getPredecessors():
            link = _link(relation, str(uid), props, project, report, path)
            if link is not None:
                project.links.append(link)
    if summary is not None:
        _summary(record, summary)
    roll_up(project)
    add_milestones(project)
    for key, value in override.items():
        if key != "id":
            record[key] = value
    status = _date(props.getStatusDate())  # never CurrentDate: MPXJ fills it with the clock
    return project, status.isoformat() if status else None


def _days(duration: Any, props: Any) -> float | None:
    from org.mpxj import TimeUnit  # type: ignore[import-not-found]

    units = str(duration.getUnits())
    if "PERCENT" in units:
        return None
    target = TimeUnit.ELAPSED_DAYS if units.startswith("ELAPSED") else TimeUnit.DAYS
    return float(duration.convertUnits(target, props).getDuration())


def _link(relation: Any, successor: str, props: Any, project: ScheduleProject,
          report: ImportReport, path: Path) -> Link | None:
    pred = relation.getPredecessorTask()
    kind = str(relation.getType())
    place = Place(str(path), field=f"task {successor} predecessor {pred.getUniqueID()}")
    if kind not in LINK_TYPES:
        report.refuse(place, kind, "not a link type (FS, SS, FF, SF)", "dependencies.type")
        return None
    lag = relation.getLag()
    days = 0.0
    if lag is not None and lag.getDuration() != 0:
        units = str(lag.getUnits())
        if "PERCENT" in units:
            base = project.tasks.get(str(pred.getUniqueID()))
            if base is None or base.duration_days is None:
                report.refuse(place, f"{lag.getDuration()}%", "a percent lag of a predecessor "
                              "without a duration", "dependencies.lag_days")
                return None
            days = float(lag.getDuration()) / 100 * base.duration_days
        else:
            days = _days(lag, props) or 0.0
    return Link(str(pred.getUniqueID()), successor, kind, days, place)


def _summary(record: dict[str, Any], task: Any) -> None:
    schedule = {key: _date(getter()) for key, getter in (
        ("forecast_start", task.getStart), ("forecast_finish", task.getFinish),
        ("actual_start", task.getActualStart), ("actual_finish", task.getActualFinish),
        ("baseline_start", task.getBaselineStart), ("baseline_finish", task.getBaselineFinish))}
    kept = {k: v.isoformat() for k, v in schedule.items() if v is not None}
    if kept:
        record["schedule"] = kept
    money = {"budget.approved": task.getBaselineCost(), "evm.bac": task.getBaselineCost(),
             "budget.forecast_at_completion": task.getCost(),
             "budget.actual_to_date": task.getActualCost()}
    for target, value in money.items():
        if value is not None and float(value.doubleValue()) != 0:
            section, key = target.split(".")
            record.setdefault(section, {})[key] = float(value.doubleValue())


load = plain_loader(NAME)


LOADERS = [Loader(NAME, SUFFIXES, load, "MPP, MPX, PMXML and Planner through MPXJ "
                  "(pip install \"pmo-rules[mpxj]\" and a Java runtime)", read=read, sniff=sniff)]


@hookimpl
def pmo_rules_loaders() -> list[Loader]:
    """The MPXJ importer (its loader is listed even without the extra, and says what is
    missing when used)."""
    return LOADERS
