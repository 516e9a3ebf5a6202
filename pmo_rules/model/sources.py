"""Reading portfolio files into one raw document, remembering where each part came from.

Formats: a YAML or JSON file; a directory with `portfolio.yaml` plus
`projects/*.yaml`; a directory with `projects.csv` (plus `dependencies.csv`
and `portfolio.yaml`, both optional). Nothing here validates: syntax errors
become diagnostics, everything else is the validator's job.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, Span, missing_path_help, path_kind
from pmo_rules.model.parse import duplicate_key, parse
from pmo_rules.model.portfolio import SourceFile

PathKey = str | int
DocPath = tuple[PathKey, ...]

# CSV cells in these columns hold several values separated by `;`.
CSV_LIST_COLUMNS = frozenset({"objectives", "depends_on", "tags", "certifications"})
FILE_PROBLEM = "PMO400"


@dataclass
class CsvTable:
    """Where each row and column of a CSV file is: lines per row, raw lines, the header."""

    header: list[str]
    row_lines: list[int]
    lines: list[str]


@dataclass
class Segment:
    """A part of the merged document (`doc_prefix`) read from `file` at `file_prefix`."""

    doc_prefix: DocPath
    file: str
    text: str
    file_prefix: DocPath = ()
    table: CsvTable | None = None


@dataclass
class RawInput:
    """The merged raw document, the segments it came from, and any syntax errors."""

    document: dict[str, Any]
    segments: list[Segment] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_input(path: Path) -> RawInput:
    """Read `path` (file or directory) into one raw document; syntax errors are collected."""
    raw = RawInput(document={})
    kind = path_kind(path)
    if kind == "directory":
        if (path / "projects.csv").is_file():
            _read_csv_dir(path, raw)
        else:
            _read_yaml_dir(path, raw)
    elif kind == "file":
        if path.suffix.lower() not in (".yaml", ".yml", ".json"):
            raw.diagnostics.append(file_problem(
                path, f"`{path}` is not a portfolio file",
                "give a .yaml, .yml or .json file, or a directory holding "
                "portfolio.yaml and projects/*.yaml, or projects.csv",
            ))
            return raw
        doc = _read_document(path, raw)
        if isinstance(doc, dict):
            raw.document = doc
        elif doc is not None:
            raw.diagnostics.append(_not_a_mapping(path, "the portfolio file"))
    elif kind == "missing":
        raw.diagnostics.append(file_problem(
            path, f"`{path}` does not exist",
            missing_path_help(path, "give the path of a portfolio file or directory")))
    else:
        raw.diagnostics.append(file_problem(
            path, f"`{path}` is a {kind}, not a portfolio file or directory",
            "give the path of a regular file or a directory (pmo-rules does not read "
            "pipes or devices, which may never end)",
        ))
    return raw


def file_problem(path: Path, message: str, help_: str) -> Diagnostic:
    """PMO400: a path that cannot be read as a portfolio, placed at the path itself."""
    return Diagnostic(FILE_PROBLEM, message, Span(str(path), 1, 1), help=help_)


def _read_text(path: Path, raw: RawInput) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raw.diagnostics.append(file_problem(
            path, f"cannot read `{path}`: {exc.strerror}", "check the path and permissions"))
        return None
    raw.sources.append(SourceFile(str(path), hashlib.sha256(data).hexdigest()))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raw.diagnostics.append(Diagnostic(
            "PMO401", f"`{path}` is not UTF-8 text (bad byte at offset {exc.start})",
            Span(str(path), 1, 1), help="save the file as UTF-8",
        ))
        return None


def _parse_file(path: Path, raw: RawInput) -> tuple[str, Any] | None:
    """The text and value of one YAML or JSON file; None when it could not be read."""
    text = _read_text(path, raw)
    if text is None:
        return None
    parsed = parse(str(path), text, json_syntax=path.suffix.lower() == ".json")
    if parsed.problems:
        raw.diagnostics += parsed.problems
        return None
    return text, parsed.value


def _read_document(
    path: Path, raw: RawInput, doc_prefix: DocPath = (), file_prefix: DocPath = ()
) -> Any:
    """Parse one YAML or JSON file, register it as a segment, and return its content."""
    parsed = _parse_file(path, raw)
    if parsed is None:
        return None
    text, doc = parsed
    raw.segments.append(Segment(doc_prefix, str(path), text, file_prefix))
    return doc


def _not_a_mapping(path: Path, what: str) -> Diagnostic:
    return Diagnostic(
        "PMO402", f"{what} must be a mapping of keys to values",
        Span(str(path), 1, 1), help="start the file with keys such as `as_of:` and `projects:`",
    )


def _read_yaml_dir(path: Path, raw: RawInput) -> None:
    main = next(
        (path / n for n in ("portfolio.yaml", "portfolio.yml", "portfolio.json")
         if (path / n).is_file()),
        None,
    )
    if main is None:
        raw.diagnostics.append(file_problem(
            path, f"directory `{path}` has neither portfolio.yaml nor projects.csv",
            "add portfolio.yaml (with projects/*.yaml beside it), or projects.csv",
        ))
        return
    doc = _read_document(main, raw)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raw.diagnostics.append(_not_a_mapping(main, "portfolio.yaml"))
        doc = {}
    raw.document = doc
    project_files = sorted(  # regular files only: a pipe named x.yaml would never end
        p for pattern in ("*.yaml", "*.yml", "*.json")
        for p in (path / "projects").glob(pattern) if path_kind(p) == "file"
    )
    if not project_files:
        return
    projects = doc.get("projects")
    if not isinstance(projects, list):
        projects = [] if projects is None else [projects]
        doc["projects"] = projects
    for file in project_files:
        _read_project_file(file, raw, projects)


def _read_project_file(file: Path, raw: RawInput, projects: list[Any]) -> None:
    """One file under projects/: a single project (a mapping) or a list of projects."""
    parsed = _parse_file(file, raw)
    if parsed is None:
        return
    text, content = parsed
    items = content if isinstance(content, list) else [content]
    prefixes: list[DocPath] = (
        [(j,) for j in range(len(items))] if isinstance(content, list) else [()]
    )
    for item, file_prefix in zip(items, prefixes, strict=True):
        raw.segments.append(Segment(("projects", len(projects)), str(file), text, file_prefix))
        projects.append(item)


def _read_csv_dir(path: Path, raw: RawInput) -> None:
    main = path / "portfolio.yaml"
    doc: Any = _read_document(main, raw) if main.is_file() else {}
    if not isinstance(doc, dict):
        if doc is not None:
            raw.diagnostics.append(_not_a_mapping(main, "portfolio.yaml"))
        doc = {}
    raw.document = doc
    for table, key in (("projects.csv", "projects"), ("dependencies.csv", "dependencies")):
        file = path / table
        if not file.is_file():
            continue
        rows = doc.get(key)
        if not isinstance(rows, list):
            rows = [] if rows is None else [rows]
            doc[key] = rows
        _read_csv(file, raw, rows, key)


def _read_csv(file: Path, raw: RawInput, rows: list[Any], key: str) -> None:
    """Rows become records: dotted headers nest (`budget.approved`); empty cells are absent."""
    text = _read_text(file, raw)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        raw.diagnostics.append(Diagnostic(
            "PMO401", f"invalid CSV: {exc}", Span(str(file), 1, 1), help="fix the header row"
        ))
        return
    table = CsvTable(header, [], text.splitlines())
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in columns:  # a record keeps one cell per column name: the other is lost
            raw.diagnostics.append(duplicate_key(
                str(file), name, reader.line_num,
                csv_cell_column(table.lines[reader.line_num - 1], index),
                f"column {columns[name] + 1}"))
        elif name:
            columns[name] = index
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raw.diagnostics.append(Diagnostic(
                "PMO401", f"invalid CSV: {exc}", Span(str(file), line, 1),
                help="check the quotes on this row",
            ))
            return
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            raw.diagnostics.append(Diagnostic(
                "PMO402", f"row has {len(cells)} cells but the header names {len(header)} columns",
                Span(str(file), line, 1), path=f"{key}[{len(rows)}]",
                help="quote cells that contain commas, or add the missing column to the header",
            ))
        raw.segments.append(Segment((key, len(rows)), str(file), text, (len(table.row_lines),),
                                    table))
        table.row_lines.append(line)
        rows.append(_csv_record(header, cells))


def _csv_record(header: list[str], cells: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column, cell in zip(header, cells, strict=False):
        value = cell.strip()
        if not value or not column:
            continue
        parts = column.split(".")
        target = record
        for part in parts[:-1]:
            nested = target.setdefault(part, {})
            if not isinstance(nested, dict):
                break
            target = nested
        else:
            leaf = parts[-1]
            if leaf in CSV_LIST_COLUMNS and len(parts) == 1:
                target[leaf] = [v.strip() for v in value.split(";") if v.strip()]
            else:
                target[leaf] = value
    return record


def csv_cell_column(line: str, index: int) -> int:
    """The 1-based character column where cell `index` starts on a CSV line (quote-aware)."""
    cell, quoted = 0, False
    for pos, char in enumerate(line):
        if cell == index:
            return pos + 1
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            cell += 1
    return len(line) + 1 if cell == index else 1
