"""The policy AST: frozen, typed nodes, each with a source span that equality ignores.

The builder (builder.py) is the only code that knows grammar rule names; every
later stage (checker, formatter, compiler) works on these nodes. The checker
returns the same node classes with `ty` filled in (and `Name.binding` resolved):
that is the checked AST the compiler consumes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from pmo_rules.diagnostics import Span
from pmo_rules.language.types import Type

NO_SPAN = Span("<none>", 0, 0, 0, 0)


def _span() -> Span:
    return field(default=NO_SPAN, compare=False, repr=False, kw_only=True)


def _ty() -> Type | None:
    return field(default=None, compare=False, repr=False, kw_only=True)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Number:
    """A number literal; `text` keeps the author's spelling (`20%`, `2.5M`, `1_000`)."""

    value: float | int
    text: str = field(default="", compare=False)
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class String:
    """A string literal, unescaped."""

    value: str
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class Bool:
    """`true` or `false`."""

    value: bool
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class Date:
    """An ISO date literal (`2026-03-31`)."""

    value: dt.date
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration literal in days (`14d`); `text` keeps the author's unit (`2w`)."""

    days: int
    text: str = field(default="", compare=False)
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class ListLit:
    """A list literal (`["a", "b"]`)."""

    items: tuple[Expr, ...]
    span: Span = _span()
    ty: Type | None = _ty()


Binding = Literal["var", "let", "param", "define_arg", "collection", "entity"]


@dataclass(frozen=True, slots=True)
class Name:
    """A bare name: a bound variable, a let, a param, a define argument or a collection.

    `binding` is None in the parsed AST and set by the checker; `policy` is set
    for params (the policy that declares the param, for `--param` overrides).
    """

    id: str
    span: Span = _span()
    ty: Type | None = _ty()
    binding: Binding | None = field(default=None, compare=False, kw_only=True)
    policy: str | None = field(default=None, compare=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Field:
    """Field access `obj.name`; any word after a dot is a field name, keywords included."""

    obj: Expr
    name: str
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class Index:
    """Indexing `obj[index]`."""

    obj: Expr
    index: Expr
    span: Span = _span()
    ty: Type | None = _ty()


CallKind = Literal["builtin", "define", "plugin"]


@dataclass(frozen=True, slots=True)
class Call:
    """A call to a built-in, a define or a plugin function (`lifecycle.gate_for(p)`).

    `func` is the dotted name as written. Arguments are positional, or named
    (`tier: 1`), positional first. The checker sets `kind`; for a call to a
    define it sets `inlined` to the define's body, checked for this call's
    argument types, in which the define's parameters are `Name`s bound as
    `define_arg` (the compiler binds them to the evaluated `args`).
    """

    func: str
    args: tuple[Expr, ...] = ()
    kwargs: tuple[tuple[str, Expr], ...] = ()
    span: Span = _span()
    ty: Type | None = _ty()
    kind: CallKind | None = field(default=None, compare=False, kw_only=True)
    inlined: Expr | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True, slots=True)
class Unary:
    """`not x` or `-x`."""

    op: Literal["not", "-"]
    operand: Expr
    span: Span = _span()
    ty: Type | None = _ty()


BinaryOp = Literal["and", "or", "+", "-", "*", "/"]


@dataclass(frozen=True, slots=True)
class Binary:
    """A boolean or arithmetic operator."""

    op: BinaryOp
    left: Expr
    right: Expr
    span: Span = _span()
    ty: Type | None = _ty()


CompareOp = Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in", "contains"]


@dataclass(frozen=True, slots=True)
class Compare:
    """A comparison, membership or containment test."""

    op: CompareOp
    left: Expr
    right: Expr
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class Matches:
    """`x matches "REGEX"`: an RE2 pattern found anywhere in the text (patterns.py)."""

    operand: Expr
    pattern: str
    span: Span = _span()
    ty: Type | None = _ty()


@dataclass(frozen=True, slots=True)
class Exists:
    """`x exists` (`negated=False`) or `x is missing` (`negated=True`)."""

    operand: Expr
    negated: bool = False
    span: Span = _span()
    ty: Type | None = _ty()


QuantKind = Literal["all", "any", "none"]


@dataclass(frozen=True, slots=True)
class Quantifier:
    """`all|any|none var in coll [where cond]: body`."""

    kind: QuantKind
    var: str
    coll: Expr
    where: Expr | None
    body: Expr
    span: Span = _span()
    ty: Type | None = _ty()


AggKind = Literal["count", "sum", "min", "max", "avg"]


@dataclass(frozen=True, slots=True)
class Aggregate:
    """`count(var in coll [where cond])` or `sum|min|max|avg(var in coll [where cond]: body)`."""

    kind: AggKind
    var: str
    coll: Expr
    where: Expr | None
    body: Expr | None
    span: Span = _span()
    ty: Type | None = _ty()


Expr: TypeAlias = (
    Number | String | Bool | Date | Duration | ListLit | Name | Field | Index | Call
    | Unary | Binary | Compare | Matches | Exists | Quantifier | Aggregate
)
Literal_: TypeAlias = Number | String | Bool | Date | Duration | ListLit


# ---------------------------------------------------------------- rule items


@dataclass(frozen=True, slots=True)
class Template:
    """A message with `{expr}` placeholders: text parts and expressions, in order."""

    parts: tuple[str | Expr, ...]
    raw: str = field(default="", compare=False)
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class ForClause:
    """`for var in coll [where cond]`: a rule's subjects."""

    var: str
    coll: Expr
    where: Expr | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Let:
    """`let name = expr`, evaluated per subject."""

    name: str
    value: Expr
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Require:
    """`require expr`; `text` is the clause as written, for evidence."""

    expr: Expr
    text: str = field(default="", compare=False)
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class CheckCall:
    """`check plugin.name(arg: value, ...)`: a rule whose logic is a plugin check."""

    name: str
    kwargs: tuple[tuple[str, Expr], ...] = ()
    span: Span = _span()


Severity = Literal["info", "low", "medium", "high", "critical"]
Enforcement = Literal["advisory", "soft", "mandatory"]
SEVERITIES: tuple[Severity, ...] = ("info", "low", "medium", "high", "critical")
ENFORCEMENTS: tuple[Enforcement, ...] = ("advisory", "soft", "mandatory")


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule as written. `severity`/`enforcement` are None when the author left the default."""

    id: str
    title: str
    severity: Severity | None = None
    enforcement: Enforcement | None = None
    tags: tuple[str, ...] = ()
    maturity: int | None = None
    for_: ForClause | None = None
    body: tuple[Let | Require, ...] = ()
    check: CheckCall | None = None
    message: Template | None = None
    fix: str | None = None
    doc: str | None = None
    span: Span = _span()

    @property
    def effective_severity(self) -> Severity:
        """The severity, with the language default (medium)."""
        return self.severity or "medium"

    @property
    def effective_enforcement(self) -> Enforcement:
        """The enforcement, with the language default (soft)."""
        return self.enforcement or "soft"

    @property
    def requires(self) -> tuple[Require, ...]:
        """The rule's require clauses, in order."""
        return tuple(item for item in self.body if isinstance(item, Require))


@dataclass(frozen=True, slots=True)
class Override:
    """`override RULE-ID { ... }` in a derived policy: may only raise or add, never weaken."""

    rule_id: str
    severity: Severity | None = None
    enforcement: Enforcement | None = None
    tags: tuple[str, ...] = ()
    message: Template | None = None
    fix: str | None = None
    doc: str | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Param:
    """`param name = literal [tighten up|down]`."""

    name: str
    value: Literal_
    tighten: Literal["up", "down"] | None = None
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Define:
    """`define name(args) = expr`: a non-recursive helper."""

    name: str
    params: tuple[str, ...]
    body: Expr
    span: Span = _span()


Authority = Literal["enterprise", "department"]


@dataclass(frozen=True, slots=True)
class Policy:
    """One `policy "name" [extends "parent"] { ... }` block."""

    name: str
    extends: str | None = None
    title: str | None = None
    version: str | None = None
    owner: str | None = None
    description: str | None = None
    authority: Authority | None = None
    params: tuple[Param, ...] = ()
    defines: tuple[Define, ...] = ()
    rules: tuple[Rule, ...] = ()
    overrides: tuple[Override, ...] = ()
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class PolicyFile:
    """A parsed .pmo file: its path, its text and the policies it holds."""

    path: str
    policies: tuple[Policy, ...]
    source: str = field(default="", compare=False, repr=False)
