"""Implementations of the built-in functions; their typed declarations live in the language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from pmo_rules.engine.lifecycle_functions import lifecycle_functions
from pmo_rules.engine.runtime import MISSING, Budget, RuleError, RunContext, in_range, kind_of
from pmo_rules.model.records import Milestone, Project


def _missing_safe(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Any missing argument makes the result missing, as for operators."""

    def call(*args: Any) -> Any:
        for a in args:
            if a is MISSING:
                return MISSING
        result = fn(*args)
        return MISSING if result is None else result

    call.__name__ = fn.__name__
    return call


# A value of the wrong kind (known only at run time: custom data) has no result: the
# function returns MISSING and evidence says what the argument held (`problem` below).

def _len(value: Any) -> Any:
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    return MISSING


def _text(method: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if not isinstance(value, str):
            return MISSING
        return getattr(value, method)()

    convert.__name__ = method
    return convert


def _days(value: Any) -> Any:
    if isinstance(value, dt.timedelta):
        return value.days
    return MISSING


# What each built-in accepts, for values typed only at run time (the checker has the rest).
_ACCEPTS: dict[str, tuple[str, tuple[type, ...]]] = {
    "len": ("a list, a map or a string", (str, list, tuple, dict)),
    "lower": ("a string", (str,)),
    "upper": ("a string", (str,)),
    "days": ("a duration", (dt.timedelta,)),
}
_GRAPH_FUNCTIONS = ("predecessors", "successors", "ancestors", "descendants", "path",
                    "in_cycle", "on_critical_path", "slack", "depth")
# Graph functions whose result is a list: what they return is charged to the budget.
LISTING = frozenset({"predecessors", "successors", "ancestors", "descendants", "path",
                     "cycles", "critical_path"})


def problem(name: str, args: Sequence[Any]) -> str | None:
    """Why a built-in call has no value for these arguments, in words for evidence."""
    if any(a is MISSING for a in args):
        return None
    wanted = _ACCEPTS.get(name)
    if wanted is not None and args and not isinstance(args[0], wanted[1]):
        return f"{name}() needs {wanted[0]}, not {_a(kind_of(args[0]))}"
    if name in _GRAPH_FUNCTIONS:
        for arg in args:
            if not isinstance(arg, _NODES):
                return f"{name}() needs a project or a milestone, not {_a(kind_of(arg))}"
    return None


_NODES = (Project, Milestone)  # a tuple: isinstance is several times faster than with a union


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def _nodes(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A graph function that has no value for anything but projects and milestones."""

    def call(*args: Any) -> Any:
        for a in args:
            if not isinstance(a, _NODES):
                return MISSING
        return fn(*args)

    call.__name__ = fn.__name__
    return call


def _charged(fn: Callable[..., Any], budget: Budget) -> Callable[..., Any]:
    """A graph function whose listed result is charged to the rule's budget."""

    def call(*args: Any) -> Any:
        result = fn(*args)
        if isinstance(result, list):
            budget.charge(len(result))
        return result

    call.__name__ = fn.__name__
    return call


def coalesce(*values: Any) -> Any:
    """The first present value (neither missing nor null), else MISSING."""
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
        "coalesce": coalesce,
        "cycles": graph.cycles,
        "critical_path": graph.critical_path,
    }
    for function in _GRAPH_FUNCTIONS:
        table[function] = _missing_safe(_nodes(getattr(graph, function)))
    table.update(lifecycle_functions(ctx))
    try:
        found = table[name]
    except KeyError:
        raise RuleError(f"built-in function `{name}` has no implementation") from None
    return _charged(found, ctx.budget) if name in LISTING else found


def fold(kind: str, values: Sequence[Any], durations: bool) -> Any:
    """sum, min, max or avg over present values, skipping missing ones as SQL does.

    Values of another kind than the rest (text among numbers in custom data), a bool, or
    a result out of range leave the aggregate without a value (missing).
    """
    if kind == "sum" and not values:
        return dt.timedelta(0) if durations else 0
    if not values:
        return MISSING
    first = type(values[0])
    # Plain loops, not all() over a generator: this runs once per aggregate per subject.
    if first is int or first is float:
        for v in values:
            if type(v) not in _NUMBERS:
                return MISSING
    elif (kind in ("sum", "avg") and first is not dt.timedelta) or first not in _ORDERED:
        return MISSING
    else:
        for v in values:
            if type(v) is not first:
                return MISSING
    try:
        if kind == "min":
            return min(values)
        if kind == "max":
            return max(values)
        total = sum(values, dt.timedelta(0)) if first is dt.timedelta else sum(values)
        result = total if kind == "sum" else total / len(values)
    except (ArithmeticError, ValueError, TypeError):  # a duration sum past its range
        return MISSING
    return result if in_range(result) else MISSING


_ORDERED = (int, float, str, dt.date, dt.datetime, dt.timedelta)
_NUMBERS = (int, float)
