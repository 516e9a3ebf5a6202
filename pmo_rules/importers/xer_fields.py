"""Primavera XER custom fields: project codes, user-defined fields (UDFs), activity codes.

A project's codes and UDFs go to the field the mapping file maps their name to
(`Programme: program`, `RAG: health.overall`), else to `custom.NAME`. A milestone's
UDFs and activity codes go to the milestone's `custom`. Values on anything the
portfolio has no counterpart for (ordinary activities, resources, WBS nodes, a
baseline project) are counted in the report as not imported; a value pointing at a
code or field type the export does not hold is refused with its line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.schedule import ScheduleProject, Task, milestone_id
from pmo_rules.importers.targets import place_value
from pmo_rules.importers.xer_file import Row, XerFile

SENTINEL = "1899-12-30"  # P6's "no date"
NUMERIC = ("FT_INT", "FT_FLOAT", "FT_FLOAT_2_DECIMALS", "FT_MONEY")


class _Reader(Protocol):
    """What reading custom fields needs of the XER reader (xer.py)."""

    xer: XerFile
    mapping: ImportMapping
    report: ImportReport

    def place(self, row: Row, key: str | None = None, table: str = "") -> Place:
        """Where `row` (its `key` field in `table`) is in the file."""


def read_custom_fields(reader: _Reader, made: dict[str, ScheduleProject]) -> None:
    """Every project code, UDF value and activity code assignment of the export."""
    _Fields(reader, made).read()


class _Fields:
    def __init__(self, reader: _Reader, made: dict[str, ScheduleProject]) -> None:
        self.reader, self.report = reader, reader.report
        self.projects = {p.record["custom"]["proj_id"]: p for p in made.values()}
        self.tasks = {task_id: (p, t) for p in made.values() for task_id, t in p.tasks.items()}

    def read(self) -> None:
        self.project_codes()
        self.udfs()
        self.activity_codes()

    def table(self, name: str) -> list[Row]:
        return self.reader.xer.table(name)

    def on_project(self, proj_id: str | None, name: str, raw: str, row: Row, table: str,
                   what: str) -> None:
        project = self.projects.get(proj_id)
        if project is None:
            self.report.skipped[f"{what} of a project not imported (a baseline, or not in "
                                "the export)"] += 1
            return
        target = self.reader.mapping.target(name) or f"custom.{name}"
        place_value(project.record, target, raw, self.reader.place(row, name, table),
                    self.report, self.reader.mapping, project.id)

    def on_milestone(self, task_id: str | None, name: str, raw: str, table: str,
                     what: str) -> None:
        found = self.tasks.get(task_id or "")
        if found is None:
            self.report.skipped[f"{what} of an activity not imported (a baseline's, or not "
                                "in the export)"] += 1
            return
        project, task = found
        if not task.milestone:
            self.report.skipped[f"{what} of an ordinary activity (no portfolio "
                                "counterpart)"] += 1
            return
        task.custom[name] = raw
        _milestone_record(project, task).setdefault("custom", {})[name] = raw
        self.report.keep(f"{table}.{name}")

    def refuse(self, row: Row, table: str, raw: Any, why: str) -> None:
        self.report.refuse(self.reader.place(row, table=table), raw, why)

    def project_codes(self) -> None:
        """PCATTYPE/PCATVAL/PROJPCAT: a project's code values."""
        for row, name, raw in self._codes(
                ("PCATTYPE", "proj_catg_type_id", "proj_catg_type"),
                ("PCATVAL", "proj_catg_id", "proj_catg_short_name", "proj_catg_name"),
                "PROJPCAT", "a project code"):
            self.on_project(row.get("proj_id"), name, raw, row, "PROJPCAT", "project code")

    def _codes(self, types: tuple[str, str, str], values: tuple[str, str, str, str],
               assigned: str, what: str) -> Iterator[tuple[Row, str, str]]:
        """Each code assignment (a row of `assigned`) with its type's name and its value's
        text; an assignment whose type or value the export lacks is refused.

        `types` is (table, id field, name field); `values` is (table, id field, short
        name field, name field): P6 writes project codes and activity codes alike."""
        type_table, type_id, type_name = types
        value_table, value_id, short, long = values
        names = {r.get(type_id): r.get(type_name) for r in self.table(type_table)}
        found = {r.get(value_id): r for r in self.table(value_table)}
        for row in self.table(assigned):
            name = names.get(row.get(type_id))
            value = found.get(row.get(value_id))
            if name is None or value is None:
                self.refuse(row, assigned, row.get(value_id), f"{what} whose value or type "
                            f"is not in the export's {value_table}/{type_table}")
                continue
            yield row, name, value.get(short) or value.get(long) or ""

    def udfs(self) -> None:
        """UDFTYPE/UDFVALUE (and UDFCODE): user-defined field values by the table they
        belong to."""
        types = {r.get("udf_type_id"): r for r in self.table("UDFTYPE")}
        codes = {r.get("udf_code_id"): r for r in self.table("UDFCODE")}
        for row in self.table("UDFVALUE"):
            kind = types.get(row.get("udf_type_id"))
            if kind is None:
                self.refuse(row, "UDFVALUE", row.get("udf_type_id"), "a user-defined field "
                            "value whose field is not in the export's UDFTYPE table")
                continue
            name = kind.get("udf_type_label") or kind.get("udf_type_name") or "?"
            raw = self.udf_value(row, kind, codes)
            if raw is None:
                continue
            table = kind.get("table_name")
            if table == "PROJECT":
                self.on_project(row.get("fk_id"), name, raw, row, "UDFVALUE",
                                "user-defined field")
            elif table == "TASK":
                self.on_milestone(row.get("fk_id"), name, raw, "UDFVALUE", "user-defined field")
            else:
                self.report.skipped[f"user-defined field of {table} (no portfolio "
                                    "counterpart)"] += 1

    def udf_value(self, row: Row, kind: Row, codes: dict[str | None, Row]) -> str | None:
        """The value a UDF row holds, read from the column its data type fills."""
        if row.get("udf_code_id"):
            code = codes.get(row.get("udf_code_id"))
            if code is None:
                self.refuse(row, "UDFVALUE", row.get("udf_code_id"), "a user-defined field "
                            "value naming a code that is not in the export's UDFCODE table")
                return None
            return code.get("short_name") or code.get("udf_code_name")
        data_type = kind.get("logical_data_type") or ""
        first = "udf_date" if "DATE" in data_type else \
            "udf_number" if data_type in NUMERIC else "udf_text"
        for key in (first, "udf_text", "udf_number", "udf_date"):
            value = row.get(key)
            if value is not None and not (key == "udf_date" and value.startswith(SENTINEL)):
                return value
        return None

    def activity_codes(self) -> None:
        """ACTVTYPE/ACTVCODE/TASKACTV: an activity's code value, by code type."""
        for row, name, raw in self._codes(
                ("ACTVTYPE", "actv_code_type_id", "actv_code_type"),
                ("ACTVCODE", "actv_code_id", "short_name", "actv_code_name"),
                "TASKACTV", "an activity code"):
            self.on_milestone(row.get("task_id"), name, raw, "TASKACTV", "activity code")


def _milestone_record(project: ScheduleProject, task: Task) -> dict[str, Any]:
    ident = milestone_id(project.id, task.uid)
    return next(m for m in project.record["milestones"] if m["id"] == ident)
