"""A value a user gave for a run, remembering where it was given.

Settings files and command-line options hand the engine plain strings (a pack name, a
`--select` pattern, a param's value). `Given` is such a string that also knows its
source (`--param`, `settings`, ...) and, for a settings file, the file and line, so that
a diagnostic about the value points where the user wrote it and the report records
where each setting of the run came from. It is a `str`: code that only needs the text
never notices the difference.
"""

from __future__ import annotations

from typing import Any

from pmo_rules.diagnostics import Span


class Given(str):
    """A string with its source (`--param`, `settings`, ...) and, when known, its span."""

    __slots__ = ("source", "span")
    source: str
    span: Span | None

    def __new__(cls, value: str, source: str, span: Span | None = None) -> Given:
        """The text `value`, given by `source` at `span`."""
        out = super().__new__(cls, value)
        out.source = source
        out.span = span
        return out

    def __reduce__(self) -> tuple[Any, ...]:
        return (Given, (str(self), self.source, self.span))


def span_of(value: object) -> Span | None:
    """Where a value was given, when it is a Given with a known place."""
    return value.span if isinstance(value, Given) else None


def source_of(value: object, default: str) -> str:
    """Who gave a value (`settings`, `--param` ...), or `default` for a plain one."""
    return value.source if isinstance(value, Given) else default


def where_of(value: object) -> str | None:
    """`FILE:LINE` where a value was given, when known."""
    span = span_of(value)
    return f"{span.file}:{span.line}" if span is not None else None
