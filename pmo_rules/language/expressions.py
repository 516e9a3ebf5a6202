"""Name resolution and typing of expressions: returns each Expr with `ty` (and bindings) set."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pmo_rules import limits
from pmo_rules.diagnostics import Diagnostic, Span, did_you_mean
from pmo_rules.language import ast, schema
from pmo_rules.language.ast import SEVERITIES, Binding, Define, Expr
from pmo_rules.language.declarations import FunctionDecl, ParamDecl, Registry, accepts
from pmo_rules.language.patterns import pattern_help, pattern_problem
from pmo_rules.language.types import (
    ANY,
    BOOL,
    DATE,
    DURATION,
    MONEY,
    NUMBER,
    PHASE,
    SEVERITY,
    STAGE,
    STRING,
    Kind,
    Type,
    compatible,
    list_of,
)


@dataclass(frozen=True)
class Var:
    """A name in scope: its type and how it was bound."""

    ty: Type
    binding: Binding


@dataclass
class Context:
    """What expressions of one rule (or define) can see."""

    registry: Registry
    params: Mapping[str, Type]
    param_policy: str
    defines: Mapping[str, Define]
    diags: list[Diagnostic]
    # The define being declared: calls to it or to later defines would recurse.
    declaring: str | None = None
    later: frozenset[str] = frozenset()
    # Defines whose own declaration failed: calls to them are not expanded again.
    broken: frozenset[str] = frozenset()
    # How deep the expression being checked nests with its defines expanded, how many
    # nodes it has expanded to, and the define calls being expanded (outermost first).
    depth: int = 0
    nodes: int = 0
    calls: list[Span] = field(default_factory=list)
    overflowed: bool = False
    max_depth: int = field(default_factory=limits.NESTING.value)


def literal_type(lit: ast.Literal_) -> Type:
    """The type of a param's literal value."""
    if isinstance(lit, ast.Number):
        return NUMBER
    if isinstance(lit, ast.String):
        return STRING
    if isinstance(lit, ast.Bool):
        return BOOL
    if isinstance(lit, ast.Date):
        return DATE
    if isinstance(lit, ast.Duration):
        return DURATION
    elems = [literal_type(i) for i in lit.items if isinstance(i, ast.Number | ast.String
             | ast.Bool | ast.Date | ast.Duration | ast.ListLit)]
    return list_of(elems[0] if elems else ANY)


def _is(t: Type | None, *kinds: Kind) -> bool:
    return t is not None and t.kind in kinds


class ExprChecker:
    """Checks expressions within one scope chain, reporting into `ctx.diags`."""

    def __init__(self, ctx: Context, scope: dict[str, Var] | None = None) -> None:
        self.ctx = ctx
        self.scope: dict[str, Var] = dict(scope or {})

    def error(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        """Report one problem."""
        self.ctx.diags.append(Diagnostic(code, message, span, help))

    def bind(self, name: str, ty: Type, binding: Binding, span: Span) -> None:
        """Add a name to the scope; rebinding a visible name is an error."""
        if name in self.scope:
            self.error("PMO215", f"`{name}` is already bound in this rule", span,
                       help="choose another name")
        self.scope[name] = Var(ty, binding)

    def condition(self, expr: Expr, what: str) -> Expr:
        """Check an expression that must be bool (`require`, `where`)."""
        out = self.check(expr)
        if out.ty is not None and not _is(out.ty, Kind.BOOL, Kind.ANY):
            self.error("PMO208", f"`{what}` needs a true/false condition, not a {out.ty}",
                       expr.span, help="compare the value, e.g. `x > 0` or `x exists`")
        return out

    def check(self, e: Expr) -> Expr:
        """The expression with its type (and names' bindings) filled in."""
        ctx = self.ctx
        ctx.nodes += 1
        if ctx.depth >= ctx.max_depth or ctx.nodes > limits.MAX_EXPANDED:
            self._overflow(e)
            return replace(e, ty=ANY)
        method: Callable[[Any], Expr] = getattr(self, f"_{type(e).__name__.lower()}")
        ctx.depth += 1
        try:
            return method(e)
        finally:
            ctx.depth -= 1

    def _overflow(self, e: Expr) -> None:
        """Report, once per checked item, an expression that define calls made too big."""
        ctx = self.ctx
        if ctx.overflowed:
            return
        ctx.overflowed = True
        span = ctx.calls[0] if ctx.calls else e.span
        if ctx.nodes > limits.MAX_EXPANDED:
            what = f"expands to more than {limits.MAX_EXPANDED:,} expressions"
        else:
            what = f"nests more than {ctx.max_depth} levels deep"
        self.error("PMO219", f"with its defines expanded, this expression {what}", span,
                   help="defines are expanded where they are called: compute the value once "
                   "in a `let`, or call fewer defines inside one another (docs/checking.md)")

    # ------------------------------------------------------------ literals and names

    def _number(self, e: ast.Number) -> Expr:
        return replace(e, ty=NUMBER)

    def _string(self, e: ast.String) -> Expr:
        return replace(e, ty=STRING)

    def _bool(self, e: ast.Bool) -> Expr:
        return replace(e, ty=BOOL)

    def _date(self, e: ast.Date) -> Expr:
        return replace(e, ty=DATE)

    def _duration(self, e: ast.Duration) -> Expr:
        return replace(e, ty=DURATION)

    def _listlit(self, e: ast.ListLit) -> Expr:
        items = tuple(self.check(i) for i in e.items)
        elem = next((i.ty for i in items if i.ty is not None and i.ty.kind is not Kind.ANY), ANY)
        for item in items:
            if item.ty is not None and not compatible(elem, item.ty):
                self.error("PMO207", f"a list mixes {elem} and {item.ty}", item.span,
                           help="keep every element of a list the same type")
        return replace(e, items=items, ty=list_of(elem))

    def _name(self, e: ast.Name) -> Expr:
        var = self.scope.get(e.id)
        if var is not None:
            return replace(e, ty=var.ty, binding=var.binding)
        if e.id in self.ctx.params:
            return replace(e, ty=self.ctx.params[e.id], binding="param",
                           policy=self.ctx.param_policy)
        top = schema.top_level()
        if e.id in top:
            binding: Binding = "entity" if e.id in schema.ENTITIES else "collection"
            return replace(e, ty=top[e.id], binding=binding)
        if e.id in self.ctx.defines or e.id in self.ctx.registry.functions:
            self.error("PMO201", f"`{e.id}` is a function; it needs arguments", e.span,
                       help=f"call it: `{e.id}(...)`")
            return replace(e, ty=ANY)
        known = [*self.scope, *self.ctx.params, *top]
        guess = did_you_mean(e.id, known)
        self.error("PMO201", f"unknown name `{e.id}`", e.span,
                   help=f"did you mean `{guess}`?" if guess else
                   "declare it with `let` or `param`, or bind it with `for`")
        return replace(e, ty=ANY)

    # ------------------------------------------------------------ postfix

    def _field(self, e: ast.Field) -> Expr:
        obj = self.check(e.obj)
        t = obj.ty or ANY
        ty: Type = ANY
        if t.kind is Kind.MAP:
            ty = t.elem or ANY
        elif t.kind is Kind.ENTITY:
            found = schema.field_type(t.name, e.name)
            if found is None:
                guess = did_you_mean(e.name, schema.field_names(t.name))
                self.error("PMO202", f"{t} has no field `{e.name}`", self._name_span(e),
                           help=f"did you mean `{guess}`?" if guess else
                           "data the model does not know is read under `custom`")
            else:
                ty = found
        elif t.kind is not Kind.ANY:
            help = ("use a quantifier or an aggregate over it, such as `any x in xs: x."
                    f"{e.name} ...`") if t.kind is Kind.LIST else "only entities have fields"
            self.error("PMO202", f"a {t} value has no field `{e.name}`", self._name_span(e),
                       help=help)
        return replace(e, obj=obj, ty=ty)

    @staticmethod
    def _name_span(e: ast.Field) -> Span:
        s = e.span
        if s.end_line == s.line and s.end_column > len(e.name):
            return Span(s.file, s.line, s.end_column - len(e.name), s.line, s.end_column)
        return s

    def _index(self, e: ast.Index) -> Expr:
        obj, index = self.check(e.obj), self.check(e.index)
        t = obj.ty or ANY
        ty: Type = ANY
        if t.kind is Kind.LIST:
            ty = t.elem or ANY
            if not _is(index.ty, Kind.NUMBER, Kind.ANY):
                self.error("PMO207", f"a list index must be a number, not a {index.ty}",
                           index.span, help="index from 0: `xs[0]`")
        elif t.kind is Kind.MAP:
            ty = t.elem or ANY
        elif t.kind is not Kind.ANY:
            self.error("PMO207", f"a {t} value cannot be indexed", e.span,
                       help="only lists and maps take `[...]`")
        return replace(e, obj=obj, index=index, ty=ty)

    def _call(self, e: ast.Call) -> Expr:
        args = tuple(self.check(a) for a in e.args)
        kwargs = tuple((k, self.check(v)) for k, v in e.kwargs)
        define = self.ctx.defines.get(e.func)
        if e.func == self.ctx.declaring or (define is None and e.func in self.ctx.later):
            self.error("PMO212", f"define `{self.ctx.declaring}` calls `{e.func}`, which is "
                       "itself or declared after it", e.span,
                       help="a define may only call defines declared before it: the language "
                       "has no recursion")
            return replace(e, args=args, kwargs=kwargs, ty=ANY, kind="define")
        if define is not None and e.func in self.ctx.broken:
            return replace(e, args=args, kwargs=kwargs, ty=ANY, kind="define")
        if define is not None:
            return self._call_define(e, define, args, kwargs)
        decl = self.ctx.registry.functions.get(e.func)
        if decl is None:
            known = [*self.ctx.registry.functions, *self.ctx.defines]
            guess = did_you_mean(e.func, known)
            self.error("PMO203", f"unknown function `{e.func}`", e.span,
                       help=f"did you mean `{guess}`?" if guess else
                       "declare it with `define`, or install the plugin that provides it")
            return replace(e, args=args, kwargs=kwargs, ty=ANY)
        types = self.arguments(f"function `{e.func}`", decl.params, args, kwargs, e.span)
        if decl.alike:
            self._alike(e, decl, types)
        kind: ast.CallKind = "builtin" if decl.plugin is None else "plugin"
        return replace(e, args=args, kwargs=kwargs, ty=decl.result(types), kind=kind)

    def _call_define(self, e: ast.Call, define: Define, args: tuple[Expr, ...],
                     kwargs: tuple[tuple[str, Expr], ...]) -> Expr:
        params = tuple(ParamDecl(p, ANY) for p in define.params)
        types = self.arguments(f"define `{define.name}`", params, args, kwargs, e.span)
        inner = ExprChecker(self.ctx)
        for name, ty in zip(define.params, types, strict=False):
            inner.scope[name] = Var(ty, "define_arg")
        self.ctx.calls.append(e.span)
        try:
            body = inner.check(define.body)
        finally:
            self.ctx.calls.pop()
        return replace(e, args=args, kwargs=kwargs, ty=body.ty, kind="define", inlined=body)

    def _alike(self, e: ast.Call, decl: FunctionDecl, types: Sequence[Type]) -> None:
        """Arguments that must be of one type are (`coalesce(p.tier, "none")` is not)."""
        named = dict(zip((p.name for p in decl.params), types, strict=False))
        alike = [named[n] for n in decl.alike if n in named]
        for ty in alike[1:]:
            if not compatible(alike[0], ty):
                self.error("PMO206", f"the arguments of function `{e.func}` must be of one "
                           f"type, not a {alike[0]} and a {ty}", e.span,
                           help=f"give `{e.func}` a default of the value's type, e.g. "
                           "`coalesce(p.tier, 3)`")
                return

    def arguments(self, what: str, params: Sequence[ParamDecl], args: Sequence[Expr],
                  kwargs: Sequence[tuple[str, Expr]], span: Span) -> list[Type]:
        """Match arguments to declared parameters; the argument types in parameter order."""
        given: dict[str, Expr] = {}
        if len(args) > len(params):
            self.error("PMO204", f"{what} takes {len(params)} argument"
                       f"{'s' * (len(params) != 1)}, but {len(args)} were given", span,
                       help=f"its parameters: {_signature(params)}")
        for p, a in zip(params, args, strict=False):
            given[p.name] = a
        names = [p.name for p in params]
        for key, value in kwargs:
            if key not in names:
                guess = did_you_mean(key, names)
                self.error("PMO205", f"{what} has no parameter `{key}`", value.span,
                           help=f"did you mean `{guess}`?" if guess else
                           f"its parameters: {_signature(params)}")
            elif key in given:
                self.error("PMO205", f"argument `{key}` of {what} is given twice", value.span,
                           help="pass each argument once")
            else:
                given[key] = value
        out: list[Type] = []
        for p in params:
            arg = given.get(p.name)
            if arg is None:
                if p.required:
                    self.error("PMO204", f"{what} needs the argument `{p.name}`", span,
                               help=f"its parameters: {_signature(params)}")
                out.append(ANY)
                continue
            if p.type.kind in (Kind.PHASE, Kind.STAGE):
                arg = self._coerce(arg, p.type)  # reports a literal naming no phase
            ty = arg.ty or ANY
            if not accepts(p.type, ty):
                self.error("PMO206", f"argument `{p.name}` of {what} must be a {p.type}, "
                           f"not a {ty}", arg.span, help=f"its parameters: {_signature(params)}")
            elif p.kinds is not None and ty.kind not in p.kinds[0] | {Kind.ANY}:
                self.error("PMO206", f"argument `{p.name}` of {what} must be {p.kinds[1]}, "
                           f"not a {ty}", arg.span, help=f"its parameters: {_signature(params)}")
            out.append(ty)
        return out

    # ------------------------------------------------------------ operators

    def _unary(self, e: ast.Unary) -> Expr:
        operand = self.check(e.operand)
        t = operand.ty or ANY
        if e.op == "not":
            if not _is(t, Kind.BOOL, Kind.ANY):
                self.error("PMO207", f"`not` needs a true/false value, not a {t}", e.span,
                           help="negate a comparison: `not (x > 0)`")
            return replace(e, operand=operand, ty=BOOL)
        if not _is(t, Kind.NUMBER, Kind.MONEY, Kind.DURATION, Kind.ANY):
            self.error("PMO207", f"cannot negate a {t}", e.span,
                       help="`-` applies to numbers, money and durations")
        return replace(e, operand=operand, ty=t)

    def _binary(self, e: ast.Binary) -> Expr:
        left, right = self.check(e.left), self.check(e.right)
        a, b = left.ty or ANY, right.ty or ANY
        if e.op in ("and", "or"):
            for side in (left, right):
                if not _is(side.ty, Kind.BOOL, Kind.ANY):
                    self.error("PMO207", f"`{e.op}` needs true/false values, not a {side.ty}",
                               side.span, help="compare the value, e.g. `x > 0`")
            return replace(e, left=left, right=right, ty=BOOL)
        ty = _arith(e.op, a, b)
        if ty is None:
            self.error("PMO207", f"cannot apply `{e.op}` to {a} and {b}", e.span,
                       help=_arith_help(e.op, a, b))
            ty = ANY
        return replace(e, left=left, right=right, ty=ty)

    def _compare(self, e: ast.Compare) -> Expr:
        left, right = self.check(e.left), self.check(e.right)
        a, b = left.ty or ANY, right.ty or ANY
        if e.op in ("in", "not in", "contains"):
            container, member = (right, left) if e.op != "contains" else (left, right)
            c = container.ty or ANY
            if c.kind is Kind.LIST:
                elem = c.elem or ANY
                member = self._coerce(member, elem)
                container = self._coerce_items(container, member.ty or ANY)
                if not compatible(elem, member.ty or ANY):
                    self.error("PMO207", f"a {member.ty} is never in a list of {elem}",
                               e.span, help="compare values of the same type")
            elif c.kind is Kind.STRING:
                if not _is(member.ty, Kind.STRING, Kind.ANY):
                    self.error("PMO207", f"`{e.op}` on text needs text, not a {member.ty}",
                               member.span, help="search text for text")
            elif c.kind is not Kind.ANY:
                self.error("PMO207", f"`{e.op}` needs a list or text, not a {c}",
                           container.span, help="use `==` to compare single values")
            left, right = (member, container) if e.op != "contains" else (container, member)
            return replace(e, left=left, right=right, ty=BOOL)
        left, right = self._coerce(left, b), self._coerce(right, a)
        a, b = left.ty or ANY, right.ty or ANY
        if not compatible(a, b):
            self.error("PMO207", f"cannot compare {a} with {b}", e.span,
                       help=_compare_help(a, b))
        elif e.op not in ("==", "!=") and not (a.is_ordered and b.is_ordered):
            self.error("PMO207", f"`{e.op}` needs ordered values, not {a} and {b}", e.span,
                       help="order numbers, money, dates, durations, text, phases, stages "
                       "and severities; test others with `==`")
        return replace(e, left=left, right=right, ty=BOOL)

    def _coerce(self, expr: Expr, other: Type) -> Expr:
        """Check a string literal met by a phase, stage, severity or enum value."""
        if not isinstance(expr, ast.String):
            return expr
        names: Sequence[str]
        if other.kind is Kind.PHASE:
            names, what = sorted(self.ctx.registry.phases), "phase"
        elif other.kind is Kind.STAGE:
            names, what = self.ctx.registry.stages, "stage"
        elif other.kind is Kind.SEVERITY:
            names, what = SEVERITIES, "severity"
        elif other.kind is Kind.STRING and other.values is not None:
            names, what = other.values, "value here"
        else:
            return expr
        if expr.value not in names:
            guess = did_you_mean(expr.value, names)
            code = "PMO210" if what == "value here" else "PMO209"
            self.error(code, f"`{expr.value}` is not a known {what}", expr.span,
                       help=f"did you mean `{guess}`?" if guess else
                       "expected one of " + ", ".join(f"`{n}`" for n in names))
        if other.kind is Kind.STRING:
            return replace(expr, ty=other)
        return replace(expr, ty={"phase": PHASE, "stage": STAGE}.get(what, SEVERITY))

    def _coerce_items(self, container: Expr, elem: Type) -> Expr:
        if not isinstance(container, ast.ListLit):
            return container
        items = tuple(self._coerce(i, elem) for i in container.items)
        coerced = next((i.ty for i in items if i.ty is not None), ANY)
        return replace(container, items=items, ty=list_of(coerced) if items else container.ty)

    def _matches(self, e: ast.Matches) -> Expr:
        operand = self.check(e.operand)
        if not _is(operand.ty, Kind.STRING, Kind.PHASE, Kind.STAGE, Kind.SEVERITY, Kind.ANY):
            self.error("PMO207", f"`matches` needs text, not a {operand.ty}", operand.span,
                       help="match text fields such as `p.name`")
        problem = pattern_problem(e.pattern)
        if problem is not None:
            self.error("PMO211", problem, e.span, help=pattern_help(e.pattern))
        return replace(e, operand=operand, ty=BOOL)

    def _exists(self, e: ast.Exists) -> Expr:
        return replace(e, operand=self.check(e.operand), ty=BOOL)

    # ------------------------------------------------------------ quantifiers, aggregates

    def _iterate(self, var: str, coll: Expr, span: Span) -> tuple[Expr, ExprChecker]:
        checked = self.check(coll)
        t = checked.ty or ANY
        elem = ANY
        if t.kind in (Kind.LIST, Kind.MAP):
            # A map (p.gates, p.artifacts) iterates over its values, as a list of them would.
            elem = t.elem or ANY
        elif t.kind is not Kind.ANY:
            self.error("PMO217", f"cannot iterate over a {t}", coll.span,
                       help="iterate over a collection (`projects`), a list field "
                       "(`p.risks`) or a map field (`p.gates`)")
        inner = ExprChecker(self.ctx, self.scope)
        inner.bind(var, elem, "var", span)
        return checked, inner

    def _quantifier(self, e: ast.Quantifier) -> Expr:
        coll, inner = self._iterate(e.var, e.coll, e.span)
        where = inner.condition(e.where, "where") if e.where is not None else None
        body = inner.condition(e.body, e.kind)
        return replace(e, coll=coll, where=where, body=body, ty=BOOL)

    def _aggregate(self, e: ast.Aggregate) -> Expr:
        coll, inner = self._iterate(e.var, e.coll, e.span)
        where = inner.condition(e.where, "where") if e.where is not None else None
        if e.body is None:
            return replace(e, coll=coll, where=where, ty=NUMBER)
        body = inner.check(e.body)
        t = body.ty or ANY
        ty: Type = t
        if e.kind in ("sum", "avg"):
            if not _is(t, Kind.NUMBER, Kind.MONEY, Kind.DURATION, Kind.ANY):
                self.error("PMO207", f"`{e.kind}` needs numbers, money or durations, not {t}",
                           body.span, help="aggregate a numeric field, e.g. `p.budget.approved`")
                ty = NUMBER
        elif not t.is_ordered:
            self.error("PMO207", f"`{e.kind}` needs ordered values, not {t}", body.span,
                       help="take the minimum or maximum of numbers, dates or durations")
        return replace(e, coll=coll, where=where, body=body, ty=ty)


def _signature(params: Sequence[ParamDecl]) -> str:
    if not params:
        return "none"
    return ", ".join(f"{p.name}: {p.kinds[1] if p.kinds else p.type}" for p in params)


_ARITH: dict[tuple[str, Kind, Kind], Type] = {
    ("+", Kind.DATE, Kind.DURATION): DATE,
    ("+", Kind.DURATION, Kind.DATE): DATE,
    ("+", Kind.DURATION, Kind.DURATION): DURATION,
    ("+", Kind.STRING, Kind.STRING): STRING,
    ("-", Kind.DATE, Kind.DATE): DURATION,
    ("-", Kind.DATE, Kind.DURATION): DATE,
    ("-", Kind.DURATION, Kind.DURATION): DURATION,
    ("*", Kind.NUMBER, Kind.DURATION): DURATION,
    ("*", Kind.DURATION, Kind.NUMBER): DURATION,
    ("/", Kind.DURATION, Kind.NUMBER): DURATION,
    ("/", Kind.DURATION, Kind.DURATION): NUMBER,
    ("/", Kind.MONEY, Kind.MONEY): NUMBER,
}


def _arith(op: str, a: Type, b: Type) -> Type | None:
    if Kind.ANY in (a.kind, b.kind):
        return ANY
    found = _ARITH.get((op, a.kind, b.kind))
    if found is not None:
        return found
    if a.kind in (Kind.NUMBER, Kind.MONEY) and b.kind in (Kind.NUMBER, Kind.MONEY):
        return MONEY if Kind.MONEY in (a.kind, b.kind) else NUMBER
    return None


def _arith_help(op: str, a: Type, b: Type) -> str:
    if Kind.DATE in (a.kind, b.kind) and Kind.NUMBER in (a.kind, b.kind):
        return "write a duration with a unit, such as `14d` or `2w`, or use `days(...)`"
    if Kind.DURATION in (a.kind, b.kind) and Kind.NUMBER in (a.kind, b.kind):
        return "compare durations with durations (`14d`), or use `days(x)` for a number"
    return "arithmetic works on numbers, money, dates and durations (docs/language.md)"


def _compare_help(a: Type, b: Type) -> str:
    if {a.kind, b.kind} == {Kind.DURATION, Kind.NUMBER}:
        return "write the number as a duration, such as `30d`, or compare `days(x)`"
    return "compare values of the same type"
