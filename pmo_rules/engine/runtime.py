"""Run-time values shared by compiled rules: the missing marker, orders, and the run context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel

from pmo_rules.model.records import Record

if TYPE_CHECKING:
    from pmo_rules.graph.portfolio_graph import PortfolioGraph
    from pmo_rules.model.portfolio import LoadedPortfolio


class _Missing:
    """The value of a field the data lacks; it propagates through every operator."""

    __slots__ = ()
    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "missing"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()

Env = dict[str, Any]
Compiled = Callable[[Env], Any]

STAGE_ORDER: Final[Mapping[str, int]] = {
    "initiating": 0, "planning": 1, "executing": 2, "closing": 3,
}
SEVERITY_ORDER: Final[Mapping[str, int]] = {
    "info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4,
}


# What an entity is at run time: a record, or a model a plugin made (equal only to itself).
ENTITY_TYPES: Final = (Record, BaseModel)

# Data names that are not Python attribute names (`allocation.from`).
ATTRIBUTE: Final[Mapping[str, str]] = {"from": "from_"}


class RuleError(Exception):
    """A rule could not be evaluated for a subject (bad data shape, a plugin that raised)."""


@dataclass
class RunContext:
    """What compiled rules read at run time: the portfolio, its graph, the date, the params."""

    portfolio: LoadedPortfolio
    graph: PortfolioGraph
    as_of: dt.date
    params: Mapping[tuple[str, str], Any] = field(default_factory=dict)
    plugin_functions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    # Per-run indexes of top-level collections, by (collection, field path): joins.py.
    indexes: dict[tuple[str, tuple[str, ...]], Callable[[Any], list[Any]]] = field(
        default_factory=dict)
    # Per-run memo of derived values keyed by their maker (lifecycle_functions.py).
    memo: dict[str, Any] = field(default_factory=dict)

    def phase_index(self, project: Any, phase: Any) -> int | None:
        """The position of `phase` in `project`'s own lifecycle, or None if it has no such phase."""
        if not isinstance(phase, str):
            return None
        lifecycle_id = (
            getattr(project, "lifecycle", None) or self.portfolio.portfolio.default_lifecycle
        )
        model = self.portfolio.lifecycles.get(lifecycle_id)
        if model is None:
            return None
        return model.phase_index(phase)


def same(a: Any, b: Any) -> bool:
    """`a == b` as the language means it: entities are equal only to themselves."""
    if isinstance(a, ENTITY_TYPES) or isinstance(b, ENTITY_TYPES):
        return a is b
    return bool(a == b)


def member(x: Any, c: Any) -> bool | None:
    """`x in c` as the language means it (None: missing). A missing operand is missing;
    entities are in a list only as themselves; a string holds substrings."""
    if x is None or x is MISSING or c is None or c is MISSING:
        return None
    if isinstance(c, str):
        return isinstance(x, str) and x in c
    if isinstance(c, list | tuple | set | frozenset):
        # Entities are equal only when they are the same entity.
        return any(y is x for y in c) if isinstance(x, ENTITY_TYPES) else x in c
    if isinstance(c, dict):
        return x in c
    return None


def index_of(obj: Any, key: Any) -> Any:
    """`obj[key]` as the language means it (None: missing): out of range is missing."""
    if obj is None or obj is MISSING or key is None or key is MISSING:
        return None
    if isinstance(obj, list | tuple | str) and isinstance(key, int | float):
        i = int(key)
        return obj[i] if -len(obj) <= i < len(obj) else None
    if isinstance(obj, dict) and isinstance(key, str):
        return obj.get(key)
    return None


_NATURAL_KEYS = ("id", "gate", "type", "name", "title", "text")


def entity_id(value: Any) -> str:
    """A short, stable label for an entity in evidence: its id, else its natural key
    (a gate's id, an artifact's type), else its kind."""
    if isinstance(value, str | int | float | dt.date | dt.timedelta):
        return display(value)  # a plain value (from a custom list) stands for itself
    for key in _NATURAL_KEYS:
        ident = getattr(value, key, None)
        if isinstance(ident, str):
            return ident
    return type(value).__name__.lower()


def to_plain(value: Any) -> Any:
    """A JSON-friendly rendering of a run-time value for evidence."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return f"{value.days}d"
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if hasattr(value, "id"):
        return entity_id(value)
    return str(value)


def show(value: Any) -> str:
    """Like `display`, but strings are quoted, as evidence shows operand values."""
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    return display(value)


def display(value: Any) -> str:
    """A human rendering of a run-time value for messages (`{expr}` placeholders)."""
    if value.__class__ is str:  # the common case first: messages are mostly names
        return value
    if value is MISSING or value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.timedelta):
        return f"{value.days}d"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(display(v) for v in value) + "]"
    if hasattr(value, "id") and not isinstance(value, dict):
        return entity_id(value)
    return str(value)
