"""Spreadsheet registers (CSV, XLSX): one project per row (or per column), by a column mapping.

Cells are read as values only: openpyxl gives an XLSX formula's last saved value
and never evaluates it. Each cell is read for the field its column is mapped to;
a cell that does not read is refused with its row and column, never coerced.
Unmapped columns are kept under `custom`. The register importer (register.py) and
the presets (presets.py) read through `read_register`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.targets import place_value
from pmo_rules.importers.values import clean, slug

Grid = list[list[Any]]


@dataclass
class Sheet:
    """A table of cells as read (rows of values), its file, and whether it was transposed."""

    file: str
    rows: Grid
    transposed: bool = False

    def place(self, row: int, column: int, header: str) -> Place:
        """A cell's place, in the file's own rows and columns (1-based)."""
        if self.transposed:
            row, column = column, row
        return Place(self.file, row=row, column=column, field=header.split("\n")[0].strip())


def read_grid(path: Path, mapping: ImportMapping) -> Grid:
    """The cells of a CSV (UTF-8 with or without BOM, else cp1252) or XLSX sheet."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _xlsx(path, mapping)
        for r, row in enumerate(grid, 1):
            for c, cell in enumerate(row, 1):
                if isinstance(cell, str) and len(cell) > MAX_CELL:
                    raise DiagnosticError([Diagnostic(
                        "PMO462", f"`{path.name}` row {r}, column {c} holds {len(cell):,} "
                        f"characters, more than an Excel cell can ({MAX_CELL:,})",
                        Span(str(path), r, c), help="export the register from Excel again")])
        return grid
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise _structure(path, 1, "it holds binary data, not comma-separated text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise _structure(path, 1, f"it is not valid CSV ({exc})") from None


# Excel holds at most 32,767 characters in a cell: a longer one is no spreadsheet's.
MAX_CELL = 32_767
# A workbook is zipped XML, often ten times its size unpacked: a bound on what it unpacks
# to keeps a small file that unpacks to gigabytes (a zip bomb) from being read.
UNPACKED_FACTOR = 10


def _xlsx(path: Path, mapping: ImportMapping) -> Grid:
    import zipfile

    import openpyxl

    limit = mapping.max_file_mb * UNPACKED_FACTOR
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _structure(path, 1, f"it is not an Excel workbook ({type(exc).__name__})") from None
    if unpacked > limit * 1024 * 1024:
        raise DiagnosticError([Diagnostic(
            "PMO460", f"`{path.name}` unpacks to {unpacked / 1048576:,.0f} MB, over the "
            f"{limit:g} MB a workbook may unpack to ({UNPACKED_FACTOR} times the "
            f"{mapping.max_file_mb:g} MB file limit)", Span(str(path), 1, 1),
            help="raise `limits: {max_file_mb: N}` in the mapping file if the workbook is "
            "genuine")])
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl's own errors: not a workbook
        raise _structure(path, 1, f"it is not an Excel workbook ({type(exc).__name__})") from None
    try:
        wanted = mapping.register.get("sheet")
        if wanted is not None and wanted not in book.sheetnames:
            raise _structure(path, 1, f"it has no sheet `{wanted}` (sheets: "
                             f"{', '.join(book.sheetnames)})")
        sheet = book[wanted] if wanted else book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            # Read-only sheets trust the file's <dimension>, which writers leave stale:
            # rows past it would be dropped without a word.
            sheet.reset_dimensions()
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _structure(path: Path, row: int, why: str) -> DiagnosticError:
    return DiagnosticError([Diagnostic(
        "PMO462", f"`{path.name}` cannot be read as a register: {why}", Span(str(path), row, 1),
        help="give a CSV or XLSX file with one header row, or force another format with --from")])


Finisher = Callable[[dict[str, Any], dict[str, tuple[Any, Place]], ImportReport, ImportMapping],
                    None]


def read_register(path: Path, mapping: ImportMapping, report: ImportReport, fmt: str,
                  finish_row: Finisher | None = None) -> list[dict[str, Any]]:
    """The projects of one register file."""
    report.source(str(path), fmt)
    grid = read_grid(path, mapping)
    sheet = Sheet(str(path), grid)
    if mapping.register.get("layout") == "columns" or (
            "layout" not in mapping.register and _looks_transposed(grid, mapping)):
        sheet = Sheet(str(path), _transpose(grid), transposed=True)
        report.note(f"{path.name}: read one project per column (the transposed layout)")
    header_at = mapping.register.get("header_row") or _header_row(sheet.rows, mapping)
    if header_at is None or header_at > len(sheet.rows):
        raise _structure(path, 1, "no header row names a column mapped to `name` (map the "
                         "project name column under `fields:`, e.g. `Project Name: name`)")
    header = [str(clean(h) or "") if h is not None else "" for h in sheet.rows[header_at - 1]]
    targets = [mapping.target(h) if h else None for h in header]
    if "name" not in targets:
        raise _structure(path, header_at, "no column is mapped to `name` (map one under "
                         "`fields:`, e.g. `Project Name: name`)")
    projects: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, cells in enumerate(sheet.rows[header_at:], start=header_at + 1):
        if all(clean(c) is None if not isinstance(c, int | float) else False for c in cells):
            continue
        record = _record(sheet, index, header, targets, cells, report, mapping, finish_row)
        if record is None:
            continue
        _unique_id(record, seen, sheet.place(index, 1, "id"), report)
        projects.append(record)
    return projects


def _record(sheet: Sheet, index: int, header: list[str], targets: list[str | None],
            cells: list[Any], report: ImportReport, mapping: ImportMapping,
            finish_row: Finisher | None) -> dict[str, Any] | None:
    record: dict[str, Any] = {}
    filled: set[str] = set()
    by_target: dict[str, tuple[Any, Place]] = {}
    for column, raw in enumerate(cells, start=1):
        name = header[column - 1] if column <= len(header) else ""
        place = sheet.place(index, column, name or f"column {column}")
        if column > len(header) or not name:
            if clean(raw) is not None if not isinstance(raw, int | float) else True:
                report.refuse(place, raw, "a value in a column without a header: the header "
                              "does not match this row")
            continue
        target = targets[column - 1]
        if target is None:
            text = clean(raw) if isinstance(raw, str) else raw
            if text is not None:
                record.setdefault("custom", {})[_custom_key(name)] = text
                report.keep(place.field or name)
            continue
        by_target.setdefault(target, (raw, place))
        # When two columns map to one field, the first that reads wins (IPA before SRO).
        if (target.startswith("custom.") or target not in filled) and place_value(
                record, target, raw, place, report, mapping, str(record.get("id", ""))):
            filled.add(target)
    if finish_row is not None:
        finish_row(record, by_target, report, mapping)
    if not record.get("name"):
        name_place = next((p for t, (_, p) in by_target.items() if t == "name"),
                          sheet.place(index, 1, "name"))
        report.refuse(name_place, "", "a row without a project name is not imported", "name")
        return None
    if not record.get("id"):
        record["id"] = slug(str(record["name"]))
        report.note("rows without an id got one from their name (letters, digits, dashes)")
    return record


def _unique_id(record: dict[str, Any], seen: dict[str, int], place: Place,
               report: ImportReport) -> None:
    ident = str(record["id"])
    if ident not in seen:
        seen[ident] = place.row or 0
        return
    new = f"{ident}-row{place.row}"
    report.refuse(Place(place.file, row=place.row, field="id"), ident,
                  f"a duplicate id (first on row {seen[ident]}); this row was imported as "
                  f"`{new}`", "id", new)
    record["id"] = new


def _custom_key(header: str) -> str:
    first = header.replace("_x000D_", "").split("\n")[0].strip()
    return re.sub(r"\s+", " ", first)


def _header_row(rows: Grid, mapping: ImportMapping) -> int | None:
    for number, row in enumerate(rows[:20], start=1):
        if any(isinstance(c, str) and mapping.target(c) == "name" for c in row):
            return number
    return None


def _looks_transposed(grid: Grid, mapping: ImportMapping) -> bool:
    """More mapped names down the first column than along any of the first rows."""
    def mapped(cells: list[Any]) -> int:
        return sum(1 for c in cells if isinstance(c, str) and mapping.target(c))

    across = max((mapped(row) for row in grid[:20]), default=0)
    return mapped([row[0] if row else None for row in grid[:80]]) > across


def _transpose(grid: Grid) -> Grid:
    width = max((len(r) for r in grid), default=0)
    return [[row[i] if i < len(row) else None for row in grid] for i in range(width)]
