"""The one problem report every stage uses: parse, check, data, waiver and plugin errors."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file; lines and columns are 1-based, the end is exclusive."""

    file: str
    line: int
    column: int
    end_line: int = 0
    end_column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in user input, with where it is and how to fix it.

    `code` is stable (documented in docs/diagnostics.md); `message` is one
    lowercase sentence; `help` suggests the likely fix (a did-you-mean where one
    exists); `path` is the path of a value inside a data file
    (`projects[3].schedule.baseline_finish`); `source_line` is the text of the
    offending line, shown with a caret under the column.
    """

    code: str
    message: str
    span: Span | None = None
    help: str | None = None
    level: Level = "error"
    path: str | None = None
    source_line: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order by file, line, column, then code: the order users read them in."""
        if self.span is None:
            return ("", 0, 0, self.code, self.message)
        return (self.span.file, self.span.line, self.span.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a diagnostic (for `--format json`)."""
        out: dict[str, Any] = {"code": self.code, "level": self.level, "message": self.message}
        if self.span is not None:
            out["file"] = self.span.file
            out["line"] = self.span.line
            out["column"] = self.span.column
            out["end_line"] = self.span.end_line
            out["end_column"] = self.span.end_column
        if self.path is not None:
            out["path"] = self.path
        if self.help is not None:
            out["help"] = self.help
        return out

    def render(self) -> str:
        """Plain text: `file:line:col: error[CODE]: message`, the source line, a caret, help."""
        where = f"{self.span}: " if self.span is not None else ""
        lines = [f"{where}{self.level}[{self.code}]: {self.message}"]
        if self.path is not None:
            lines.append(f"  at: {self.path}")
        if self.source_line is not None and self.span is not None:
            text = self.source_line.rstrip("\n").expandtabs(1)
            gutter = f"{self.span.line} | "
            lines.append(f"  {gutter}{text}")
            width = 1
            if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
                width = self.span.end_column - self.span.column
            pad = " " * (len(gutter) + self.span.column - 1)
            lines.append(f"  {pad}{'^' * width}")
        if self.help is not None:
            lines.append(f"  help: {self.help}")
        return "\n".join(lines)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Deduplicate and sort diagnostics into reading order."""
    return sorted(set(diags), key=Diagnostic.sort_key)


def render_all(diags: Sequence[Diagnostic]) -> str:
    """Render diagnostics as text, one block each, with a closing count."""
    blocks = [d.render() for d in sort_diagnostics(diags)]
    errors = sum(1 for d in diags if d.level == "error")
    warnings = len(diags) - errors
    summary = f"{errors} error{'s' * (errors != 1)}"
    if warnings:
        summary += f", {warnings} warning{'s' * (warnings != 1)}"
    return "\n\n".join([*blocks, summary]) + "\n"


def with_source(diag: Diagnostic, text: str) -> Diagnostic:
    """Attach the offending source line from `text` (the whole file) to a diagnostic."""
    if diag.span is None or diag.source_line is not None:
        return diag
    lines = text.splitlines()
    if not 1 <= diag.span.line <= len(lines):
        return diag
    return Diagnostic(
        diag.code, diag.message, diag.span, diag.help, diag.level, diag.path,
        lines[diag.span.line - 1],
    )


class DiagnosticError(Exception):
    """Raised by a pipeline stage whose input had problems; carries every one of them."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sort_diagnostics(diagnostics)
        super().__init__(render_all(self.diagnostics))

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the diagnostics at error level."""
        return [d for d in self.diagnostics if d.level == "error"]


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt word, or None when nothing is close."""
    import difflib

    pool = sorted(set(candidates))
    lowered = {c.lower(): c for c in pool}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return match[0] if match else None
