"""Run-time values shared by compiled rules: the missing marker, orders, and the run context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel

from pmo_rules import limits
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


# isinstance() with a tuple, not a union (`list | tuple`): several times faster on the
# hot path, where these run once per element.
_SEQUENCES: Final = (list, tuple)
_COLLECTIONS: Final = (list, tuple, set, frozenset)
_TEXT_OR_MAP: Final = (str, dict)
_INDEXABLE: Final = (list, tuple, str)
_PLAIN: Final = (str, int, float, dt.date, dt.timedelta)
# Values that are never entities, told by their exact type (a set lookup, no isinstance).
_SCALARS: Final = frozenset({str, int, float, bool, dt.date, dt.datetime, dt.timedelta})

# What an entity is at run time: a record, or a model a plugin made (equal only to itself).
ENTITY_TYPES: Final = (Record, BaseModel)

# Data names that are not Python attribute names (`allocation.from`).
ATTRIBUTE: Final[Mapping[str, str]] = {"from": "from_"}


class RuleError(Exception):
    """A rule could not be evaluated for a subject (bad data shape, a plugin that raised)."""


class OverBudget(Exception):
    """A rule took more evaluation steps than the limit (limits.STEPS); it ends as an error."""


class Budget:
    """The evaluation steps a rule may still take (docs/checking.md, "Limits").

    Work is charged as it starts (a quantifier over n elements charges n before its
    first element), so a check costs one subtraction per loop, not per element. Once
    spent, every further charge raises again: code that swallows the first raise (a
    speed-up falling back to the reference path) cannot run on for free.
    """

    __slots__ = ("left", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def reset(self) -> None:
        """A fresh allowance, for the next rule."""
        self.left = self.limit

    @property
    def spent(self) -> bool:
        """Whether the rule ran out of steps."""
        return self.left < 0

    def charge(self, steps: int) -> None:
        """Take `steps` from the allowance; raise OverBudget when it is gone."""
        self.left -= steps
        if self.left < 0:
            raise OverBudget(self.limit)

    def items(self, value: Any) -> Any:
        """What a quantifier or aggregate iterates: a list's elements or a map's values,
        charged; None when the value is neither (a string or number in custom data)."""
        items: Any
        if isinstance(value, _SEQUENCES):
            items = value
        elif isinstance(value, dict):
            items = value.values()
        else:
            return None
        self.left -= len(items)
        if self.left < 0:
            raise OverBudget(self.limit)
        return items


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
    # The steps the rule being evaluated may still take (reset for each rule).
    budget: Budget = field(default_factory=lambda: Budget(limits.STEPS.value()))

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


# ---------------------------------------------------------------- kinds of run-time values

_KINDS: Final[Mapping[type, str]] = {
    int: "number", float: "number", bool: "bool", str: "string", dt.date: "date",
    dt.datetime: "date-time", dt.timedelta: "duration", list: "list", tuple: "list",
    dict: "map",
}


def kind_of(value: Any) -> str:
    """The language's name for the kind of a run-time value (`number`, `string`, `project`)."""
    kind = _KINDS.get(type(value))
    if kind is not None:
        return kind
    if value is MISSING or value is None:
        return "missing"
    if isinstance(value, ENTITY_TYPES):
        return type(value).__name__.lower()
    return type(value).__name__


def comparable(a: Any, b: Any) -> bool:
    """Whether two present values are of one kind, so comparing them means something:
    a string is never equal to, less or greater than a number, nor a bool to 1."""
    ka, kb = _KINDS.get(type(a)), _KINDS.get(type(b))
    if ka is None or kb is None:  # entities and plugin values: equal only to themselves
        return isinstance(a, ENTITY_TYPES) == isinstance(b, ENTITY_TYPES)
    return ka == kb


# ---------------------------------------------------------------- arithmetic

_NUMBER = (int, float)
# The operand types each operator accepts, as the checker's table types them; `bool`,
# date-times, lists and maps are none of them (`True + 1`, `"ab" * 3` are not arithmetic).
_OPERANDS: Final[Mapping[str, frozenset[tuple[type, type]]]] = {
    "+": frozenset({*((a, b) for a in _NUMBER for b in _NUMBER), (dt.date, dt.timedelta),
                    (dt.timedelta, dt.date), (dt.timedelta, dt.timedelta), (str, str)}),
    "-": frozenset({*((a, b) for a in _NUMBER for b in _NUMBER), (dt.date, dt.date),
                    (dt.date, dt.timedelta), (dt.timedelta, dt.timedelta)}),
    "*": frozenset({*((a, b) for a in _NUMBER for b in _NUMBER),
                    *((a, dt.timedelta) for a in _NUMBER),
                    *((dt.timedelta, b) for b in _NUMBER)}),
    "/": frozenset({*((a, b) for a in _NUMBER for b in _NUMBER),
                    *((dt.timedelta, b) for b in _NUMBER), (dt.timedelta, dt.timedelta)}),
}
_OPERATORS: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b,
    "*": lambda a, b: a * b, "/": lambda a, b: a / b,
}
_INT_RANGE = 1 << limits.MAX_INT_BITS


def in_range(value: Any) -> bool:
    """Whether a computed value is one the language holds: a finite number within
    limits.MAX_INT_BITS, text within limits.MAX_TEXT (dates and durations raise instead)."""
    kind = type(value)
    if kind is float:
        return bool(value - value == 0.0)  # false for infinities and NaN
    if kind is int:
        return bool(-_INT_RANGE < value < _INT_RANGE)
    if kind is str:
        return len(value) <= limits.MAX_TEXT
    return True


def arithmetic(op: str, bad: Any = MISSING) -> Callable[[Any, Any], Any]:
    """`a op b` as the language means it, for present operands; `bad` when it has no value:
    a division by zero, operands of the wrong kinds, a result out of range. One definition
    for both evaluation paths (the fast path asks for None as its `bad`)."""
    allowed = _OPERANDS[op]
    apply = _OPERATORS[op]

    def compute(a: Any, b: Any) -> Any:
        if (type(a), type(b)) not in allowed:
            return bad
        try:
            value = apply(a, b)
        except (ArithmeticError, ValueError):  # zero division, date or duration overflow
            return bad
        return value if in_range(value) else bad

    return compute


def negative(value: Any, bad: Any = MISSING) -> Any:
    """`-x` for a number or a duration; `bad` for anything else or out of range."""
    if type(value) not in (int, float, dt.timedelta):
        return bad
    try:
        result = -value
    except OverflowError:
        return bad
    return result if in_range(result) else bad


def arithmetic_problem(op: str, a: Any, b: Any) -> str | None:
    """Why `a op b` has no value, in words for evidence; None when it has one."""
    if a is MISSING or b is MISSING:
        return None
    if (type(a), type(b)) not in _OPERANDS[op]:
        return f"`{op}` cannot combine {_article(kind_of(a))} and {_article(kind_of(b))}"
    try:
        value = _OPERATORS[op](a, b)
    except ZeroDivisionError:
        return "division by zero"
    except (ArithmeticError, ValueError):
        kinds = {kind_of(a), kind_of(b)}
        what = "date" if "date" in kinds else "duration" if "duration" in kinds else "number"
        return f"{what} out of range ({_brief(a)} {op} {_brief(b)})"
    return None if in_range(value) else out_of_range(value)


def _brief(value: Any) -> str:
    """An operand in a message: long numbers by their size, not their digits."""
    if type(value) is int and abs(value) >= 10**20:
        return f"a {len(str(abs(value)))}-digit number"
    return display(value)


def out_of_range(value: Any) -> str:
    """Why a computed value is out of the language's range."""
    if isinstance(value, str):
        return f"text longer than {limits.MAX_TEXT:,} characters"
    if isinstance(value, float):
        return "number out of range (not finite)"
    return f"number out of range (more than {limits.MAX_INT_BITS} bits)"


def _article(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"


def same(a: Any, b: Any) -> bool:
    """`a == b` as the language means it: entities are equal only to themselves."""
    if isinstance(a, ENTITY_TYPES) or isinstance(b, ENTITY_TYPES):
        return a is b
    return bool(a == b)


def loose_equal(a: Any, b: Any) -> bool | None:
    """`a == b` where a side's type is known only at run time: None (missing) when the
    two are of different kinds, so `p.custom.code == 5` on text is no answer at all."""
    if not comparable(a, b):
        return None
    return a is b if isinstance(a, ENTITY_TYPES) else bool(a == b)


_ORDERS: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}
_ORDERED_KINDS = frozenset({"number", "string", "date", "date-time", "duration"})


def loose_order(op: str) -> Callable[[Any, Any], bool | None]:
    """`a < b` (or another order) where a side's type is known only at run time: None
    (missing) unless both are of one ordered kind."""
    cmp = _ORDERS[op]

    def order(a: Any, b: Any) -> bool | None:
        kind = _KINDS.get(type(a))
        if kind is None or kind != _KINDS.get(type(b)) or kind not in _ORDERED_KINDS:
            return None
        try:
            return bool(cmp(a, b))
        except (TypeError, ValueError):  # date against date-time: no order
            return None

    return order


def member(x: Any, c: Any) -> bool | None:
    """`x in c` as the language means it (None: missing). A missing operand is missing;
    entities are in a list only as themselves; a string holds substrings."""
    if x is None or x is MISSING or c is None or c is MISSING:
        return None
    if isinstance(c, _COLLECTIONS):
        # Entities are equal only when they are the same entity.
        if type(x) in _SCALARS or not isinstance(x, ENTITY_TYPES):
            return x in c
        return _holds(c, x)
    if isinstance(c, str):
        return isinstance(x, str) and x in c
    if isinstance(c, dict):
        return isinstance(x, str) and x in c
    return None


def _holds(c: Any, x: Any) -> bool:
    """Whether `x` itself (not an equal copy) is an element of `c`."""
    for y in c:  # noqa: SIM110 (a plain loop: 5x faster than any() over a generator)
        if y is x:
            return True
    return False


def loose_member(x: Any, c: Any) -> bool | None:
    """`x in c` where a side's type is known only at run time: None (missing) when `x` is
    of a kind nothing in `c` is (a number looked for in text or in a list of names)."""
    if x is None or x is MISSING or c is None or c is MISSING:
        return None
    if isinstance(c, _TEXT_OR_MAP):
        return member(x, c) if isinstance(x, str) else None
    if not isinstance(c, _SEQUENCES):
        return None
    if isinstance(x, ENTITY_TYPES):
        return _holds(c, x)
    kinds = False
    for y in c:
        if comparable(x, y):
            if x == y:
                return True
            kinds = True
    return False if kinds or not c else None


def index_of(obj: Any, key: Any) -> Any:
    """`obj[key]` as the language means it (None: missing): out of range is missing, and so
    is a key of the wrong kind (a bool, a fraction that is not finite)."""
    if obj is None or obj is MISSING or key is None or key is MISSING:
        return None
    if isinstance(obj, _INDEXABLE) and type(key) in (int, float):
        if key != key or key in (float("inf"), float("-inf")):
            return None
        i = int(key)
        return obj[i] if -len(obj) <= i < len(obj) else None
    if isinstance(obj, dict) and isinstance(key, str):
        return obj.get(key)
    return None


_NATURAL_KEYS = ("id", "gate", "type", "name", "title", "text")


def entity_id(value: Any) -> str:
    """A short, stable label for an entity in evidence: its id, else its natural key
    (a gate's id, an artifact's type), else its kind."""
    ident = getattr(value, "id", None)  # the common case first: no plain value has an id
    if ident.__class__ is str:
        return ident
    if isinstance(value, _PLAIN):
        return display(value)  # a plain value (from a custom list) stands for itself
    for key in _NATURAL_KEYS:
        ident = getattr(value, key, None)
        if isinstance(ident, str):
            return ident
    return type(value).__name__.lower()


_JSON_INT = 1 << 63  # orjson (and many JSON readers) hold integers in 64 bits


def to_plain(value: Any) -> Any:
    """A JSON-friendly rendering of a run-time value for evidence.

    Every value the engine can hold renders, exactly: an integer beyond 64 bits becomes
    its decimal digits as a string, and a float that is not finite becomes "Infinity",
    "-Infinity" or "NaN" (JSON has no such numbers; docs/checking.md, "The JSON report").
    """
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if -_JSON_INT <= value < _JSON_INT else str(value)
    if isinstance(value, float):
        if value - value != 0.0:
            return _NON_FINITE.get(value, "NaN")
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


_NON_FINITE: Final[Mapping[float, str]] = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def json_safe(value: Any) -> Any:
    """A JSON document with every integer beyond 64 bits and every non-finite float made
    a string, as `to_plain` renders them; anything else unchanged (for reports holding
    values that did not come through `to_plain`, such as a plugin's)."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return to_plain(value)
    return value


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
