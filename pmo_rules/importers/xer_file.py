"""The XER file format: `%T` tables, `%F` field names and `%R` rows, read by field name.

Below both the XER importer (xer.py) and its custom fields (xer_fields.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span

__all__ = ["Row", "XerFile", "decode", "parse"]


@dataclass
class Row:
    """One `%R` row: its values by field name and its line in the file."""

    values: dict[str, str]
    line: int

    def get(self, key: str) -> str | None:
        """The value, None for an empty string (XER's null)."""
        value = self.values.get(key, "")
        return value if value != "" else None


@dataclass
class XerFile:
    """The tables of one XER file by name, and the encoding it was read with."""

    path: Path
    tables: dict[str, list[Row]] = field(default_factory=dict)
    encoding: str = "utf-8"

    def table(self, name: str) -> list[Row]:
        """The rows of a table (empty when the file has none)."""
        return self.tables.get(name, [])


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 when it decodes, else cp1252 (P6's default), keeping undefined bytes as U+FFFD."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def parse(path: Path, data: bytes) -> XerFile:
    """The tables of an XER file; PMO462 when it has none."""
    text, encoding = decode(data)
    out = XerFile(path, encoding=encoding)
    fields: list[str] | None = None
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), 1):
        cells = line.split("\t")
        marker = cells[0]
        if marker == "%T" and len(cells) > 1:
            rows = out.tables.setdefault(cells[1].strip(), [])
            fields = None
        elif marker == "%F":
            fields = [c.strip() for c in cells[1:]]
        elif marker == "%R" and fields is not None:
            rows.append(Row(dict(zip(fields, cells[1:], strict=False)), number))
        elif marker == "%R":
            raise _structure(path, number, "a %R row before its table's %F field names")
    if not out.tables:
        raise _structure(path, 1, "no %T table: this is not a Primavera XER export")
    if "PROJECT" not in out.tables:
        raise _structure(path, 1, "no PROJECT table: the export holds no project")
    return out


def _structure(path: Path, line: int, why: str) -> DiagnosticError:
    return DiagnosticError([Diagnostic(
        "PMO462", f"`{path.name}` is not a readable XER file: {why}", Span(str(path), line, 1),
        help="export it again from P6 (File > Export > Primavera PM XER), or force another "
        "format with --from")])
