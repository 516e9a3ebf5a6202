"""Implementations of the built-in functions; their typed declarations live in the language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pmo_rules.engine.lifecycle_functions import lifecycle_functions
from pmo_rules.engine.runtime import MISSING, RuleError, RunContext


def _missing_safe(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Any missing argument makes the result missing, as for operators."""

    def call(*args: Any) -> Any:
        if any(a is MISSING for a in args):
            return MISSING
        result = fn(*args)
        return MISSING if result is None else result

    call.__name__ = fn.__name__
    return call


def _len(value: Any) -> Any:
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    raise RuleError(f"len() needs a list or a string, got {type(value).__name__}")


def _text(method: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            raise RuleError(f"{method}() needs a string, got {type(value).__name__}")
        return getattr(value, method)()

    convert.__name__ = method
    return convert


def _days(value: Any) -> Any:
    if isinstance(value, dt.timedelta):
        return value.days
    raise RuleError(f"days() needs a duration, got {type(value).__name__}")


def _coalesce(*values: Any) -> Any:
    for value in values:
        if value is not MISSING and value is not None:
            return value
    return MISSING


def builtin(name: str, ctx: RunContext) -> Callable[..., Any]:
    """The implementation of built-in function `name` for this run."""
    graph = ctx.graph
    table: dict[str, Callable[..., Any]] = {
        "len": _missing_safe(_len),
        "lower": _missing_safe(_text("lower")),
        "upper": _missing_safe(_text("upper")),
        "days": _missing_safe(_days),
        "today": lambda: ctx.as_of,
        "coalesce": _coalesce,
        "predecessors": _missing_safe(graph.predecessors),
        "successors": _missing_safe(graph.successors),
        "ancestors": _missing_safe(graph.ancestors),
        "descendants": _missing_safe(graph.descendants),
        "path": _missing_safe(graph.path),
        "in_cycle": _missing_safe(graph.in_cycle),
        "cycles": graph.cycles,
        "critical_path": graph.critical_path,
        "on_critical_path": _missing_safe(graph.on_critical_path),
        "slack": _missing_safe(graph.slack),
        "depth": _missing_safe(graph.depth),
    }
    table.update(lifecycle_functions(ctx))
    try:
        return table[name]
    except KeyError:
        raise RuleError(f"built-in function `{name}` has no implementation") from None


def fold(kind: str, values: Sequence[Any], durations: bool) -> Any:
    """sum, min, max or avg over present values, skipping missing ones as SQL does."""
    if kind == "sum":
        if durations:
            return sum(values, dt.timedelta(0))
        return sum(values)
    if not values:
        return MISSING
    try:
        if kind == "min":
            return min(values)
        if kind == "max":
            return max(values)
        if kind == "avg":
            if durations:
                return sum(values, dt.timedelta(0)) / len(values)
            return sum(values) / len(values)
    except TypeError as exc:
        raise RuleError(f"cannot take {kind} of mixed values: {exc}") from exc
    raise RuleError(f"unknown aggregate {kind}")
