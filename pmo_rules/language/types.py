"""The static types of the policy language, shared by checker, declarations and compiler."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What sort of value an expression produces."""

    NUMBER = "number"
    MONEY = "money"
    STRING = "string"
    BOOL = "bool"
    DATE = "date"
    DURATION = "duration"
    LIST = "list"
    MAP = "map"  # keyed by a word: p.artifacts.charter, p.gates.G2, pmo.policy.NAME
    ENTITY = "entity"  # project, person, risk ... and nested records (budget, health)
    PHASE = "phase"
    STAGE = "stage"
    SEVERITY = "severity"
    ANY = "any"  # custom data and untyped plugin values: checked at run time


@dataclass(frozen=True, slots=True)
class Type:
    """A language type. `name` names the entity kind; `elem` is a list's or map's element
    type; `values` lists the allowed strings of an enum-valued field."""

    kind: Kind
    name: str | None = None
    elem: Type | None = None
    values: tuple[str, ...] | None = None

    def __str__(self) -> str:
        if self.kind is Kind.ENTITY:
            return self.name or "entity"
        if self.kind in (Kind.LIST, Kind.MAP) and self.elem is not None:
            return f"{self.kind.value} of {self.elem}"
        return self.kind.value

    @property
    def is_numeric(self) -> bool:
        """Numbers and money mix freely in arithmetic and comparison."""
        return self.kind in (Kind.NUMBER, Kind.MONEY, Kind.ANY)

    @property
    def is_ordered(self) -> bool:
        """Whether `<`, `<=`, `>`, `>=` apply."""
        return self.kind in ORDERED


NUMBER = Type(Kind.NUMBER)
MONEY = Type(Kind.MONEY)
STRING = Type(Kind.STRING)
BOOL = Type(Kind.BOOL)
DATE = Type(Kind.DATE)
DURATION = Type(Kind.DURATION)
PHASE = Type(Kind.PHASE)
STAGE = Type(Kind.STAGE)
SEVERITY = Type(Kind.SEVERITY)
ANY = Type(Kind.ANY)

ORDERED = frozenset(
    {Kind.NUMBER, Kind.MONEY, Kind.STRING, Kind.DATE, Kind.DURATION, Kind.PHASE, Kind.STAGE,
     Kind.SEVERITY, Kind.ANY}
)


def list_of(elem: Type) -> Type:
    """The type of a list of `elem`."""
    return Type(Kind.LIST, elem=elem)


def map_of(elem: Type) -> Type:
    """The type of a word-keyed map of `elem` (read with `.key`)."""
    return Type(Kind.MAP, elem=elem)


def entity(name: str) -> Type:
    """The type of an entity or record of the given kind (`project`, `budget`)."""
    return Type(Kind.ENTITY, name=name)


def enum(*values: str) -> Type:
    """A string restricted to the given values (comparisons with other literals are errors)."""
    return Type(Kind.STRING, values=tuple(values))


def compatible(a: Type, b: Type) -> bool:
    """Whether values of the two types may be compared with each other."""
    if Kind.ANY in (a.kind, b.kind):
        return True
    if a.is_numeric and b.is_numeric:
        return True
    # Phases, stages and severities are written as string literals.
    textual = {Kind.STRING, Kind.PHASE, Kind.STAGE, Kind.SEVERITY}
    if a.kind in textual and b.kind in textual:
        return True
    if a.kind != b.kind:
        return False
    if a.kind is Kind.ENTITY:
        names = {a.name, b.name}
        # A dependency end ("node") is a project or a milestone.
        return len(names) == 1 or None in names or names in ({"node", "project"},
                                                               {"node", "milestone"})
    if a.kind in (Kind.LIST, Kind.MAP) and a.elem is not None and b.elem is not None:
        return compatible(a.elem, b.elem)
    return True
