"""Typed declarations of functions and checks: what the checker reads (never how they run)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from pmo_rules.language.lifecycle_types import FUNCTIONS as LIFECYCLE_FUNCTIONS
from pmo_rules.language.types import (
    ANY,
    BOOL,
    DATE,
    DURATION,
    NUMBER,
    STRING,
    Kind,
    Type,
    entity,
    list_of,
)

PMBOK_PHASES: tuple[str, ...] = ("initiating", "planning", "executing", "closing")
STAGES: tuple[str, ...] = ("initiating", "planning", "executing", "closing")
# A project or a milestone: what the graph functions take.
GRAPH_NODE = entity("node")
PROJECT = entity("project")


@dataclass(frozen=True)
class ParamDecl:
    """One declared parameter of a function or check. `kinds` narrows a parameter typed
    `any` to some kinds (`len` takes lists, maps and strings), with their spelling."""

    name: str
    type: Type
    required: bool = True
    doc: str = ""
    kinds: tuple[frozenset[Kind], str] | None = None


@dataclass(frozen=True)
class FunctionDecl:
    """A function callable from expressions; `returns` may compute the type from the arguments'."""

    name: str
    params: tuple[ParamDecl, ...]
    returns: Type | Callable[[Sequence[Type]], Type]
    doc: str = ""
    plugin: str | None = None
    # Parameters whose arguments must be of one type (`coalesce(value, default)`).
    alike: tuple[str, ...] = ()

    def result(self, args: Sequence[Type]) -> Type:
        """The result type for arguments of these types."""
        return self.returns if isinstance(self.returns, Type) else self.returns(args)


@dataclass(frozen=True)
class CheckDecl:
    """A check written in Python, used by `check NAME(...)`; its findings are about `subject`."""

    name: str
    params: tuple[ParamDecl, ...]
    subject: str
    doc: str = ""
    plugin: str | None = None


@dataclass
class Registry:
    """The functions and checks a policy may use, and the phase and stage names it may write."""

    functions: dict[str, FunctionDecl] = field(default_factory=dict)
    checks: dict[str, CheckDecl] = field(default_factory=dict)
    phases: frozenset[str] = frozenset(PMBOK_PHASES)
    stages: tuple[str, ...] = STAGES

    def add_function(self, decl: FunctionDecl) -> None:
        """Declare a function; a second declaration of the same name is a ValueError."""
        if decl.name in self.functions:
            raise ValueError(f"function `{decl.name}` is already declared")
        self.functions[decl.name] = decl

    def add_check(self, decl: CheckDecl) -> None:
        """Declare a check; a second declaration of the same name is a ValueError."""
        if decl.name in self.checks:
            raise ValueError(f"check `{decl.name}` is already declared")
        self.checks[decl.name] = decl

    def add_phases(self, phases: Iterable[str]) -> None:
        """Make more phase names known (a lifecycle's)."""
        self.phases = self.phases | frozenset(phases)


def accepts(declared: Type, actual: Type) -> bool:
    """Whether an argument of type `actual` may be passed where `declared` is expected."""
    if Kind.ANY in (declared.kind, actual.kind):
        return True
    if declared == GRAPH_NODE:
        return actual.kind is Kind.ENTITY and actual.name in ("project", "milestone", "node")
    if declared.kind is Kind.LIST and actual.kind is Kind.LIST:
        return declared.elem is None or actual.elem is None or accepts(declared.elem, actual.elem)
    if declared.kind is Kind.STRING and actual.kind in (Kind.PHASE, Kind.STAGE, Kind.SEVERITY):
        return True
    if declared.kind in (Kind.PHASE, Kind.STAGE) and actual.kind is Kind.STRING:
        return True
    if declared.kind is Kind.NUMBER and actual.kind is Kind.MONEY:
        return True
    if declared.kind is Kind.ENTITY and actual.kind is Kind.ENTITY:
        return declared.name is None or declared.name == actual.name
    return declared.kind == actual.kind


def _same_list(args: Sequence[Type]) -> Type:
    first = args[0] if args else ANY
    return list_of(first if first.kind is Kind.ENTITY else PROJECT)


def _first_known(args: Sequence[Type]) -> Type:
    # A value typed only at run time may be what comes out: then so is the result.
    if any(a.kind is Kind.ANY for a in args):
        return ANY
    return next((a for a in args if a.kind is not Kind.ANY), ANY)


_SIZED = (frozenset({Kind.LIST, Kind.MAP, Kind.STRING, Kind.PHASE, Kind.STAGE, Kind.SEVERITY}),
          "a list, a map or a string")


def _fn(name: str, params: Sequence[tuple[str, Type]], returns: Type | Callable[
        [Sequence[Type]], Type], doc: str) -> FunctionDecl:
    return FunctionDecl(name, tuple(ParamDecl(n, t) for n, t in params), returns, doc)


def _builtins() -> list[FunctionDecl]:
    node = [("node", GRAPH_NODE)]
    return [
        FunctionDecl("len", (ParamDecl("value", ANY, kinds=_SIZED),), NUMBER,
                     "the number of elements of a list or map, or of characters of a string"),
        _fn("lower", [("text", STRING)], STRING, "the text in lower case"),
        _fn("upper", [("text", STRING)], STRING, "the text in upper case"),
        _fn("today", [], DATE, "the run's as-of date (never the clock)"),
        _fn("days", [("duration", DURATION)], NUMBER, "a duration as a number of days"),
        FunctionDecl("coalesce", (ParamDecl("value", ANY), ParamDecl("default", ANY)),
                     _first_known, "the value, or the default when the value is missing",
                     alike=("value", "default")),
        _fn("predecessors", node, _same_list, "direct prerequisites"),
        _fn("successors", node, _same_list, "direct dependents"),
        _fn("ancestors", node, _same_list, "all transitive prerequisites (never the node itself)"),
        _fn("descendants", node, _same_list, "all transitive dependents (never the node itself)"),
        _fn("path", [("source", GRAPH_NODE), ("target", GRAPH_NODE)], _same_list,
            "the shortest dependency chain from source to target, or missing"),
        _fn("in_cycle", node, BOOL, "whether the node is on a dependency cycle"),
        _fn("cycles", [], list_of(list_of(PROJECT)),
            "one cycle per strongly connected component that has one"),
        _fn("critical_path", [], list_of(PROJECT), "the longest schedule chain by duration"),
        _fn("on_critical_path", node, BOOL, "whether the node is on the critical path"),
        _fn("slack", node, DURATION, "total float"),
        _fn("depth", node, NUMBER, "the length of the longest upstream chain"),
        *(_fn(name, params, returns, doc)
          for name, (params, returns, doc) in LIFECYCLE_FUNCTIONS.items()),
    ]


def builtin_registry(phases: Iterable[str] = PMBOK_PHASES) -> Registry:
    """A registry holding only the built-in functions, knowing the given phases."""
    registry = Registry(phases=frozenset(phases))
    for decl in _builtins():
        registry.add_function(decl)
    return registry
