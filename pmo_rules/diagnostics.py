"""The one problem report every stage uses: parse, check, data, waiver and plugin errors."""

from __future__ import annotations

import os
import stat
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
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
        """Plain text: `file:line:col: error[CODE]: message`, the source line, a caret, help.

        A long source line is cut to EXCERPT characters around the column, so a diagnostic
        is the same size whatever the line (a one-line JSON file is one long line).
        """
        where = f"{self.span}: " if self.span is not None else ""
        lines = [f"{where}{self.level}[{self.code}]: {self.message}"]
        if self.path is not None:
            lines.append(f"  at: {self.path}")
        if self.source_line is not None and self.span is not None:
            width = 1
            if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
                width = self.span.end_column - self.span.column
            text, column, width = _excerpt(self.source_line, self.span.column, width)
            gutter = f"{self.span.line} | "
            lines.append(f"  {gutter}{text}")
            pad = " " * (len(gutter) + column - 1)
            lines.append(f"  {pad}{'^' * width}")
        if self.help is not None:
            lines.append(f"  help: {self.help}")
        return "\n".join(lines)


# The longest source excerpt a rendered diagnostic shows, and how much of it comes
# before the column.
EXCERPT = 100
_BEFORE = 40


def _excerpt(line: str, column: int, width: int) -> tuple[str, int, int]:
    """The part of `line` around `column` (1-based) to show, the column in it, the caret width."""
    text = line.rstrip("\n")
    if len(text) <= EXCERPT:
        return text.expandtabs(1), column, width
    start = max(0, min(column - 1 - _BEFORE, len(text) - EXCERPT))
    shown = text[start:start + EXCERPT].expandtabs(1)
    head = "..." if start > 0 else ""
    tail = "..." if start + EXCERPT < len(text) else ""
    column = column - start + len(head)
    width = max(1, min(width, EXCERPT - (column - 1 - len(head))))
    return head + shown + tail, column, width


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Deduplicate and sort diagnostics into reading order."""
    return sorted(set(diags), key=Diagnostic.sort_key)


# A limit users may set (the rest are listed in limits.py, docs/checking.md "Limits"):
# its bad value is a diagnostic, and rendering needs one of them, so it lives here.
@dataclass(frozen=True)
class Limit:
    """A limit with a default that an environment variable may change, within bounds."""

    name: str
    env: str
    default: int
    minimum: int
    maximum: int
    unit: str

    def value(self) -> int:
        """The limit in force: the environment's value, else the default."""
        raw = os.environ.get(self.env, "").strip().replace("_", "")
        if not raw:
            return self.default
        try:
            value = int(raw) if len(raw) <= 30 else -1
        except ValueError:
            value = -1
        if not self.minimum <= value <= self.maximum:
            raise DiagnosticError([Diagnostic(
                "PMO630", f"environment variable {self.env}={os.environ[self.env]!r} is not a "
                f"{self.name} limit from {self.minimum:,} to {self.maximum:,} {self.unit}",
                help=f"set it to a whole number in that range, or unset it for the default "
                f"({self.default:,})")])
        return value


# How many diagnostics a command shows before summarising the rest by code.
MAX_DIAGNOSTICS = Limit("diagnostics", "PMO_RULES_MAX_DIAGNOSTICS", default=100, minimum=1,
                        maximum=10**9, unit="diagnostics")


def shown_limit() -> int:
    """How many diagnostics a command shows before summarising the rest (MAX_DIAGNOSTICS)."""
    try:
        return MAX_DIAGNOSTICS.value()
    except DiagnosticError:  # a bad setting is reported where settings are read
        return MAX_DIAGNOSTICS.default


def split_shown(diags: Sequence[Diagnostic]) -> tuple[list[Diagnostic], dict[str, int]]:
    """The first diagnostics to show, in reading order, and the count by code of the rest."""
    ordered = sort_diagnostics(diags)
    limit = shown_limit()
    rest: dict[str, int] = {}
    for diag in ordered[limit:]:
        rest[diag.code] = rest.get(diag.code, 0) + 1
    return ordered[:limit], dict(sorted(rest.items()))


def render_all(diags: Sequence[Diagnostic]) -> str:
    """Render diagnostics as text, one block each, with a closing count.

    Past the first MAX_DIAGNOSTICS (docs/diagnostics.md) the rest are summarised in
    one line by code, so a flood of problems costs the same as a screenful.
    """
    shown, rest = split_shown(diags)
    blocks = [d.render() for d in shown]
    if rest:
        omitted = sum(rest.values())
        by_code = ", ".join(f"{code} x{count:,}" for code, count in rest.items())
        blocks.append(f"... and {omitted:,} more not shown ({by_code}); set "
                      "PMO_RULES_MAX_DIAGNOSTICS to show more")
    errors = sum(1 for d in diags if d.level == "error")
    warnings = len(diags) - errors
    summary = f"{errors:,} error{'s' * (errors != 1)}"
    if warnings:
        summary += f", {warnings:,} warning{'s' * (warnings != 1)}"
    return "\n\n".join([*blocks, summary]) + "\n"


@lru_cache(maxsize=4)
def _small_lines(text: str) -> list[str]:
    return text.splitlines()


# Texts up to this size are split once however many diagnostics they have (and kept for
# the next few calls); a larger text's caller passes its lines, split once, instead.
_CACHED = 1 << 20


def with_source(diag: Diagnostic, text: str | Sequence[str]) -> Diagnostic:
    """Attach the offending source line from `text` (the whole file, or its lines)."""
    if diag.span is None or diag.source_line is not None:
        return diag
    if isinstance(text, str):
        lines: Sequence[str] = _small_lines(text) if len(text) <= _CACHED else text.splitlines()
    else:
        lines = text
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
    """The closest candidate to a misspelt word, or None when nothing is close.

    Among many candidates (ids of a large portfolio) only words one edit away are
    looked up, so the cost does not grow with the number of candidates.
    """
    import difflib

    pool = candidates if isinstance(candidates, dict | set | frozenset) else set(candidates)
    if word in pool:
        return word
    if len(pool) > _MANY:
        return _one_edit(word, pool)
    lowered = word.lower()
    same = [c for c in pool if c.lower() == lowered]
    if same:
        return min(same)
    # No sort needed: ties in score go to the greater string whatever the order.
    match = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return match[0] if match else None


_MANY = 2000
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."


def _one_edit(word: str, pool: Container[str]) -> str | None:
    """The least candidate one deletion, transposition, replacement or insertion away."""
    alphabet = set(_ALPHABET) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    variants = {word.lower(), word.upper()}
    variants |= {a + b[1:] for a, b in splits if b}
    variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    variants |= {a + c + b[1:] for a, b in splits if b for c in alphabet}
    variants |= {a + c + b for a, b in splits for c in alphabet}
    found = [v for v in variants if v != word and v in pool]
    return min(found) if found else None


def date_help(value: object) -> str:
    """The fix for a value that should be a date: its calendar mistake when it is written
    as one (2026-04-31: April has 30 days), else the form to write."""
    import calendar
    import datetime as dt
    import re

    text = str(value)
    shaped = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if shaped is not None:
        year, month, _ = (int(part) for part in shaped.groups())
        if not 1 <= month <= 12:
            return f"{text} has no month {month}: write YYYY-MM-DD, month 01 to 12"
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            days = calendar.monthrange(year, month)[1]
            return (f"{calendar.month_name[month]} {year} has {days} days: "
                    f"use a day from 01 to {days}")
    return "write dates as YYYY-MM-DD, for example 2026-11-30"


def path_kind(path: str | Path) -> str:
    """`file`, `directory`, `missing`, or what else the path is (a FIFO, a device...)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except (OSError, ValueError):  # exists but cannot be examined: reading it says why
        return "file"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def not_a_file(code: str, path: str | Path, what: str = "", at: Span | None = None
               ) -> Diagnostic | None:
    """`code` for a path that is there but is a named pipe, a device or a socket, else None
    (a file, a directory, nothing). Reading one may never end, so no command does; `what`
    names the path in the message (`the waiver register `)."""
    kind = path_kind(path)
    if kind in ("file", "directory", "missing"):
        return None
    return Diagnostic(code, f"{what}`{path}` is a {kind}, not a file", at,
                      help="give the path of a regular file (pmo-rules does not read pipes "
                           "or devices, which may never end)")


def missing_path_help(path: str | Path, otherwise: str) -> str:
    """The help for a path that does not exist: the closest name beside it (portfolio.yml
    when portfolio.yaml is there), else `otherwise`."""
    missing = Path(path)
    try:
        siblings = [p.name for p in missing.parent.iterdir()] if missing.parent.is_dir() else []
    except OSError:
        siblings = []
    import difflib

    # Stricter than did_you_mean: file names share their extension, which makes any two
    # short names look alike (nomap.yaml and d.yaml).
    close = difflib.get_close_matches(missing.name, siblings[:10_000], n=1, cutoff=0.8) \
        if missing.name else []
    return f"did you mean `{missing.with_name(close[0])}`?" if close else otherwise


def did_you_mean_id(word: str, ids: Iterable[str]) -> str | None:
    """did_you_mean for identifiers, which share prefixes (`PER-`, `P-`): a guess must be
    close in what follows the prefix too, so `PER-NOBODY` does not suggest `PER-COO`.
    Where a guess names who approved something, a wrong one is worse than none."""
    import difflib

    guess = did_you_mean(word, ids)
    if guess is None or guess == word:
        return guess
    common = 0
    for a, b in zip(word.casefold(), guess.casefold(), strict=False):
        if a != b:
            break
        common += 1
    rest, other = word[common:], guess[common:]
    if max(len(rest), len(other)) <= 2:  # a slip in a character or two (PER-CF0)
        return guess
    return guess if difflib.SequenceMatcher(None, rest, other).ratio() >= 0.5 else None
