"""The import report: what an import made of every value it read (kept, mapped, refused)."""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, Span
from pmo_rules.model.sources import csv_cell_column


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value was read: a file and a line (XML, XER) or a row and column (CSV, XLSX)."""

    file: str
    line: int | None = None
    column: int | None = None
    row: int | None = None
    field: str | None = None  # the source's name for the value (header, element, XER field)

    def __str__(self) -> str:
        if self.row is not None:
            where = f"{self.file}: row {self.row}"
            if self.column is not None:
                where += f", column {self.column}"
        elif self.line is not None:
            where = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        else:
            where = self.file
        return where + (f" ({self.field})" if self.field else "")

    def span(self, raw: str | None = None) -> Span:
        """As a diagnostic span: rows count as lines in row-based files. In a CSV file the
        span is the line the row starts on and the character where the cell starts (as
        every file:line:column is), when that line holds `raw` in that cell: a quoted cell
        holding a line break moves later rows down, and a cell number would put the caret
        under the wrong text."""
        if self.row is not None and self.column is not None and raw is not None:
            record = _csv_record(self.file, self.row)
            if record is not None:
                line_no, line = record
                cells = next(csv.reader([line]), [])
                if len(cells) >= self.column and cells[self.column - 1].strip() == raw.strip():
                    return Span(self.file, line_no, csv_cell_column(line, self.column - 1))
        return Span(self.file, self.line or self.row or 1, self.column or 1)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: only the parts known."""
        out: dict[str, Any] = {"file": self.file}
        for key in ("line", "column", "row", "field"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class Refusal:
    """A value the import would not use: where it was, its raw text, and why."""

    place: Place
    raw: str
    reason: str
    target: str = ""  # the field of our model it would have filled (`schedule.baseline_finish`)
    subject: str = ""  # the id of the entity it belonged to

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a refusal."""
        return {**self.place.to_dict(), "raw": self.raw, "reason": self.reason,
                "target": self.target, "subject": self.subject}

    def diagnostic(self) -> Diagnostic:
        """A warning-level data diagnostic (PMO466) naming the place and the raw text."""
        target = f" for `{self.target}`" if self.target else ""
        return Diagnostic(
            "PMO466", f"refused {self.raw!r}{target}: {self.reason}", self.place.span(self.raw),
            help="fix the value in the source, or map it in the mapping file; it was left "
            "out, never guessed", level="warning", path=self.place.field)


@dataclass
class ImportReport:
    """Everything an import did, by source: entities by kind, fields mapped, kept, refused."""

    sources: list[tuple[str, str]] = field(default_factory=list)  # (file, format)
    entities: Counter[str] = field(default_factory=Counter)
    mapped: Counter[str] = field(default_factory=Counter)  # "source field -> target"
    custom: Counter[str] = field(default_factory=Counter)  # source fields kept under custom
    refused: list[Refusal] = field(default_factory=list)
    links: Counter[str] = field(default_factory=Counter)  # what became of schedule links
    skipped: Counter[str] = field(default_factory=Counter)  # rows/tasks not imported, by why
    notes: list[str] = field(default_factory=list)  # decisions taken on the user's behalf

    def source(self, file: str, fmt: str) -> None:
        """Record one source file and the format it was read as."""
        self.sources.append((file, fmt))

    def map(self, source_field: str, target: str) -> None:
        """Count one value of `source_field` placed at `target` of our model."""
        self.mapped[f"{source_field} -> {target}"] += 1

    def keep(self, source_field: str) -> None:
        """Count one value of `source_field` kept under `custom`."""
        self.custom[source_field] += 1

    def refuse(self, place: Place, raw: Any, reason: str, target: str = "",
               subject: str = "") -> None:
        """Record a refused value with its place and raw text."""
        self.refused.append(Refusal(place, str(raw), reason, target, subject))

    def note(self, text: str) -> None:
        """Record a decision the import took (once per distinct text)."""
        if text not in self.notes:
            self.notes.append(text)

    def count_entities(self, document: dict[str, Any]) -> None:
        """Count the entities of the written document by kind."""
        self.entities.clear()
        for kind in ("people", "programs", "objectives", "projects", "dependencies"):
            if document.get(kind):
                self.entities[kind] = len(document[kind])
        for project in document.get("projects", []):
            for kind in ("milestones", "allocations", "risks", "issues"):
                if project.get(kind):
                    self.entities[kind] += len(project[kind])
        by_type: Counter[str] = Counter(
            f"{d.get('type', 'FS')}/{d.get('kind', 'hard')}"
            for d in document.get("dependencies", []))
        self.links.update({f"dependency {k}": v for k, v in by_type.items()})

    def in_order(self) -> list[Refusal]:
        """The refused values in reading order: file, then line or row, then column."""
        return sorted(self.refused, key=lambda r: (
            r.place.file, r.place.line or r.place.row or 0, r.place.column or 0))

    def dependencies_by_type(self) -> dict[str, int]:
        """The written dependencies by `TYPE/kind` (`FS/hard`)."""
        return {k.removeprefix("dependency "): v for k, v in sorted(self.links.items())
                if k.startswith("dependency ")}

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the whole report (`pmo-rules import --format json`)."""
        return {
            "sources": [{"file": f, "format": fmt} for f, fmt in self.sources],
            "entities": dict(sorted(self.entities.items())),
            "dependencies_by_type": self.dependencies_by_type(),
            "links": {k: v for k, v in sorted(self.links.items())
                      if not k.startswith("dependency ")},
            "fields_mapped": dict(sorted(self.mapped.items())),
            "fields_kept_under_custom": dict(sorted(self.custom.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "refused": [r.to_dict() for r in self.in_order()],
            "notes": list(self.notes),
        }

    def render_text(self) -> str:
        """The report for people: counts first, then every refused value with its place."""
        lines = ["import report"]
        for file, fmt in self.sources:
            lines.append(f"  source: {file} ({fmt})")
        lines.append("entities: " + (", ".join(
            f"{n} {k}" for k, n in sorted(self.entities.items())) or "none"))
        deps = self.dependencies_by_type()
        if deps:
            lines.append("dependencies by type: " + ", ".join(f"{n} {k}" for k, n in deps.items()))
        other_links = {k: v for k, v in sorted(self.links.items())
                       if not k.startswith("dependency ")}
        if other_links:
            lines.append("schedule links: " + ", ".join(f"{n} {k}" for k, n in other_links.items()))
        for title, table in (("fields mapped", self.mapped),
                             ("fields kept under custom", self.custom),
                             ("not imported", self.skipped)):
            if table:
                lines.append(f"{title}:")
                lines += [f"  {k}: {n}" for k, n in sorted(table.items())]
        lines.append(f"refused values: {len(self.refused)}")
        lines += [f"  {r.place}{f' [{r.subject}]' if r.subject else ''}: {r.raw!r} -> "
                  f"{r.target or '?'}: {r.reason}" for r in self.in_order()]
        if self.notes:
            lines.append("notes:")
            lines += [f"  {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


def _csv_records(file: str) -> list[tuple[int, str]] | None:
    """For each row of a small CSV file, the line it starts on and that line's text
    (None: not a readable CSV)."""
    path = Path(file)
    try:
        stat = path.stat()
    except OSError:
        return None
    if path.suffix.lower() != ".csv" or stat.st_size > (8 << 20):
        return None
    return _records_of(file, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _records_of(file: str, mtime_ns: int, size: int) -> list[tuple[int, str]] | None:
    """_csv_records of one version of the file (keyed by its time and size, so a file
    written again is read again)."""
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text, newline=""))
    out, start = [], 1
    try:
        for _ in reader:
            out.append((start, lines[start - 1] if start <= len(lines) else ""))
            start = reader.line_num + 1
    except csv.Error:
        return None
    return out


def _csv_record(file: str, row: int) -> tuple[int, str] | None:
    """Row `row` of a CSV file: the line it starts on and that line's text."""
    records = _csv_records(file)
    return records[row - 1] if records is not None and 0 < row <= len(records) else None
