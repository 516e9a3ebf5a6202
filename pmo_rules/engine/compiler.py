"""Compile checked expressions into Python closures: no tree is walked per subject.

Every closure takes the evaluation environment (a dict of bound names) and
returns a value or MISSING. Constants are folded; graph quantifiers over
`ancestors`/`descendants` whose body only reads the quantified variable are
planned as one whole-graph pass (PortfolioGraph.reach_witness). Policy text is
never passed to eval or exec.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from pmo_rules.engine import functions
from pmo_rules.engine.analysis import free_names, loose
from pmo_rules.engine.boundary import Invariants, Predicates
from pmo_rules.engine.joins import Join, lookup, plan_join
from pmo_rules.engine.runtime import (
    ATTRIBUTE,
    MISSING,
    SEVERITY_ORDER,
    STAGE_ORDER,
    Budget,
    Compiled,
    Env,
    RuleError,
    RunContext,
    arithmetic,
    index_of,
    loose_equal,
    loose_member,
    loose_order,
    member,
    negative,
    same,
)
from pmo_rules.language import ast

if TYPE_CHECKING:
    from pmo_rules.graph.portfolio_graph import ReachWitness
from pmo_rules.language.patterns import matcher
from pmo_rules.language.types import Kind

_UNSET = object()

_ORDER_OPS: Mapping[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


class Const:
    """A folded constant closure: callers can read `.value` without calling it."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, env: Env) -> Any:
        return self.value


def literal_value(node: ast.Expr) -> Any:
    """The run-time value of a literal node (params are literals)."""
    if isinstance(node, ast.Duration):
        return dt.timedelta(days=node.days)
    if isinstance(node, ast.Number | ast.String | ast.Bool | ast.Date):
        return node.value
    if isinstance(node, ast.ListLit):
        return [literal_value(item) for item in node.items]
    raise TypeError(f"not a literal: {type(node).__name__}")


def _kind(node: ast.Expr) -> Kind | None:
    ty = node.ty
    return ty.kind if ty is not None else None


class ExprCompiler:
    """Compiles the expressions of one run; remembers every closure for evidence."""

    def __init__(
        self,
        ctx: RunContext,
        defines: Mapping[str, ast.Define],
        policy: str,
        predicates: Predicates | None = None,
        invariants: Invariants | None = None,
    ) -> None:
        self.ctx = ctx
        self.defines = defines
        self.policy = policy
        self.closures: dict[int, Compiled] = {}
        # Planned graph quantifiers: id(node) -> their reach (chains for evidence).
        self.reach: dict[int, PlannedReach] = {}
        # Where planned graph quantifiers get a generated witness test (boundary.py);
        # None: they use the closures' own.
        self.predicates = predicates
        # Where values computed once per run get a generated function (boundary.py).
        self.invariants = invariants
        # Quantifiers and aggregates planned as index lookups: id(node) -> join, and the
        # closures of their candidates and residual filter (for evidence).
        self.joins: dict[int, Join] = {}
        self.sources: dict[int, tuple[Compiled, Compiled | None]] = {}

    # ------------------------------------------------------------ entry point

    def compile(self, node: ast.Expr) -> Compiled:
        """The closure computing `node`."""
        fn = self._compile(node)
        if isinstance(node, ast.Aggregate | ast.Quantifier) and not isinstance(fn, Const) \
                and not free_names(node):
            # Reads no subject, let or argument: the same for every subject of the run
            # (`sum(p in projects: ...)` inside `for o in objectives`). Computed once.
            fn = _once(fn, self._generated_value(node))
        self.closures[id(node)] = fn
        return fn

    def _compile(self, node: ast.Expr) -> Compiled:
        method = getattr(self, "_c_" + type(node).__name__.lower())
        fn: Compiled = method(node)
        return fn

    def _generated_value(self, node: ast.Expr) -> Callable[[], Any] | None:
        """The generated function computing a run invariant (made on first use), for
        `_once`; None without a generator. It raises where nothing was generated."""
        make = self.invariants
        if make is None:
            return None
        box: list[Callable[[], Any] | None] = []

        def value() -> Any:
            if not box:
                box.append(make(node, self.ctx, self))
            found = box[0]
            if found is None:
                raise _Ungenerated
            return found()

        return value

    # ------------------------------------------------------------ literals

    def _c_number(self, node: ast.Number) -> Compiled:
        return Const(node.value)

    def _c_string(self, node: ast.String) -> Compiled:
        return Const(node.value)

    def _c_bool(self, node: ast.Bool) -> Compiled:
        return Const(node.value)

    def _c_date(self, node: ast.Date) -> Compiled:
        return Const(node.value)

    def _c_duration(self, node: ast.Duration) -> Compiled:
        return Const(dt.timedelta(days=node.days))

    def _c_listlit(self, node: ast.ListLit) -> Compiled:
        items = [self.compile(item) for item in node.items]
        if all(isinstance(f, Const) for f in items):
            return Const([f.value for f in items])  # type: ignore[attr-defined]
        return lambda env: [f(env) for f in items]

    # ------------------------------------------------------------ names and fields

    def _c_name(self, node: ast.Name) -> Compiled:
        binding = node.binding
        if binding == "param":
            key = (node.policy or self.policy, node.id)
            if key not in self.ctx.params:
                raise RuleError(f"param `{node.id}` has no value in policy `{key[0]}`")
            return Const(self.ctx.params[key])
        if binding == "collection":
            return Const(list(getattr(self.ctx.portfolio, node.id)))
        if binding == "entity":
            return Const(getattr(self.ctx.portfolio, node.id))
        return operator.itemgetter(node.id)

    def _c_field(self, node: ast.Field) -> Compiled:
        steps: list[tuple[bool, str]] = []
        cur: ast.Expr = node
        while isinstance(cur, ast.Field):
            obj_kind = _kind(cur.obj)
            steps.append((obj_kind is Kind.ENTITY, cur.name))
            cur = cur.obj
        steps.reverse()
        root = self.compile(cur)
        return _chain(root, tuple(steps))

    def _c_index(self, node: ast.Index) -> Compiled:
        obj = self.compile(node.obj)
        idx = self.compile(node.index)

        def index(env: Env) -> Any:
            value = index_of(obj(env), idx(env))
            return MISSING if value is None else value

        return index

    # ------------------------------------------------------------ calls

    def _c_call(self, node: ast.Call) -> Compiled:
        if node.kind == "define":
            return self._define_call(node)
        args = [self.compile(a) for a in node.args]
        kwargs = {name: self.compile(a) for name, a in node.kwargs}
        if node.kind == "plugin":
            return self._plugin_call(node, args, kwargs)
        impl = functions.builtin(node.func, self.ctx)
        if node.func == "today":
            return Const(self.ctx.as_of)
        if len(args) == 1 and not kwargs:
            (only,) = args
            return lambda env: impl(only(env))
        return lambda env: impl(*[a(env) for a in args])

    def _define_call(self, node: ast.Call) -> Compiled:
        define = self.defines.get(node.func)
        if define is None or node.inlined is None:
            raise RuleError(f"define `{node.func}` is not visible here")
        names = define.params
        args = [self.compile(a) for a in node.args]
        body = self.compile(node.inlined)
        if len(names) == 1:  # most defines (`live(p)`): no lists built per call
            return _define_call1(names[0], args[0], body)

        def call(env: Env) -> Any:
            values = [a(env) for a in args]
            saved = [env.get(n, _UNSET) for n in names]
            for n, v in zip(names, values, strict=True):
                env[n] = v
            try:
                return body(env)
            finally:
                for n, old in zip(names, saved, strict=True):
                    if old is _UNSET:
                        env.pop(n, None)
                    else:
                        env[n] = old

        return call

    def _plugin_call(
        self, node: ast.Call, args: list[Compiled], kwargs: dict[str, Compiled]
    ) -> Compiled:
        impl = self.ctx.plugin_functions.get(node.func)
        name = node.func

        def call(env: Env) -> Any:
            if impl is None:
                raise RuleError(f"no loaded plugin implements function `{name}`")
            try:
                result = impl(*[a(env) for a in args], **{k: f(env) for k, f in kwargs.items()})
            except RuleError:
                raise
            except Exception as exc:
                raise RuleError(f"function `{name}` raised {type(exc).__name__}: {exc}") from exc
            return MISSING if result is None else result

        return call

    # ------------------------------------------------------------ operators

    def _c_unary(self, node: ast.Unary) -> Compiled:
        operand = self.compile(node.operand)
        if node.op == "not":
            if isinstance(operand, Const) and isinstance(operand.value, bool):
                return Const(not operand.value)

            def not_(env: Env) -> Any:
                v = operand(env)
                if v is True:
                    return False
                return True if v is False else MISSING  # missing, or not a bool at all

            return not_

        if isinstance(operand, Const) and operand.value is not MISSING:
            return Const(negative(operand.value))
        return lambda env: MISSING if (v := operand(env)) is MISSING else negative(v)

    def _c_binary(self, node: ast.Binary) -> Compiled:
        left = self.compile(node.left)
        right = self.compile(node.right)
        if node.op == "and":
            return _and(left, right)
        if node.op == "or":
            return _or(left, right)
        op = arithmetic(node.op)  # missing for a zero division, wrong kinds, out of range
        if isinstance(left, Const) and isinstance(right, Const):
            if left.value is MISSING or right.value is MISSING:
                return Const(MISSING)
            return Const(op(left.value, right.value))

        def arith(env: Env) -> Any:
            a = left(env)
            if a is MISSING:
                return MISSING
            b = right(env)
            if b is MISSING:
                return MISSING
            return op(a, b)

        return arith

    def _c_compare(self, node: ast.Compare) -> Compiled:
        left_kind, right_kind = _kind(node.left), _kind(node.right)
        if Kind.PHASE in (left_kind, right_kind):
            return self._phase_compare(node)
        left = self.compile(node.left)
        right = self.compile(node.right)
        op = node.op
        if Kind.STAGE in (left_kind, right_kind):
            return _ordered_compare(op, left, right, STAGE_ORDER)
        if Kind.SEVERITY in (left_kind, right_kind):
            return _ordered_compare(op, left, right, SEVERITY_ORDER)
        lax = loose(node.left, node.right)
        if op in ("==", "!="):
            entities = Kind.ENTITY in (left_kind, right_kind)
            return _equality(op == "!=", left, right, entities, lax)
        if op in _ORDER_OPS:
            return _order(op, left, right, lax)
        if op == "contains":
            left, right = right, left
        return _membership(op == "not in", left, right, lax)

    def _phase_compare(self, node: ast.Compare) -> Compiled:
        """Phases compare in the order of the project's own lifecycle."""
        phase_side, other_side = (node.left, node.right)
        swapped = False
        if _kind(node.left) is not Kind.PHASE:
            phase_side, other_side, swapped = node.right, node.left, True
        if not isinstance(phase_side, ast.Field):
            if node.op in ("==", "!=", "in", "not in", "contains"):
                left, right = self.compile(node.left), self.compile(node.right)
                lax = loose(node.left, node.right)
                if node.op in ("==", "!="):
                    return _equality(node.op == "!=", left, right, False, lax)
                if node.op == "contains":
                    left, right = right, left
                return _membership(node.op == "not in", left, right, lax)
            raise RuleError("a phase is ordered only within its project's lifecycle: "
                            "compare `p.phase` itself, not a copy of it")
        project = self.compile(phase_side.obj)
        self.compile(phase_side)
        other = self.compile(other_side)
        op = node.op
        ctx = self.ctx
        if op in ("in", "not in", "contains"):
            names = _membership(op == "not in", self.closures[id(phase_side)], other,
                                loose(other_side))
            return names
        cmp = _ORDER_OPS.get(op)
        name = phase_side.name  # `p.phase`, or a lifecycle gate's `g.admits`

        def compare(env: Env) -> Any:
            p = project(env)
            if p is MISSING:
                return MISSING
            mine = ctx.phase_index(p, getattr(p, name, None))
            theirs = other(env)
            if isinstance(theirs, str):
                theirs_idx = ctx.phase_index(p, theirs)
            else:
                return MISSING
            if mine is None or theirs_idx is None:
                return MISSING
            a, b = (theirs_idx, mine) if swapped else (mine, theirs_idx)
            if op == "==":
                return a == b
            if op == "!=":
                return a != b
            assert cmp is not None
            return cmp(a, b)

        return compare

    def _c_matches(self, node: ast.Matches) -> Compiled:
        operand = self.compile(node.operand)
        test = matcher(node.pattern)  # RE2: linear in the text, whatever the pattern

        def matches(env: Env) -> Any:
            v = operand(env)
            if not isinstance(v, str):
                return MISSING
            return test(v)

        return matches

    def _c_exists(self, node: ast.Exists) -> Compiled:
        operand = self.compile(node.operand)
        if node.negated:
            return lambda env: operand(env) is MISSING
        return lambda env: operand(env) is not MISSING

    # ------------------------------------------------------------ quantifiers

    def _joined(
        self, node: ast.Quantifier | ast.Aggregate, join: Join
    ) -> tuple[Compiled, Compiled | None]:
        """A join's candidates, looked up in an index (joins.py), and their filter."""
        key = self.compile(join.key)
        residual = self.compile(join.residual) if join.residual is not None else None
        ctx = self.ctx
        box: list[Callable[[Any], list[Any]]] = []

        def candidates(env: Env) -> Any:
            if not box:  # indexed on first use: rules that never run cost nothing
                box.append(lookup(ctx, join))
            return box[0](key(env))

        self.joins[id(node)] = join
        self.sources[id(node)] = (candidates, residual)
        return candidates, residual

    def _c_quantifier(self, node: ast.Quantifier) -> Compiled:
        planned = self._plan_graph_quantifier(node)
        if planned is not None:
            return planned
        coll = self.compile(node.coll)
        where = self.compile(node.where) if node.where is not None else None
        body = self.compile(node.body)
        budget = self.ctx.budget
        plain = _quantify(node.var, node.kind, coll, where, body, budget)
        join = plan_join(node)
        if join is None:
            return plain
        candidates, residual = self._joined(node, join)
        if join.absorbs_body:  # the body's other conjuncts, or nothing left to test
            body = self.compile(join.body) if join.body is not None else Const(True)
        return _prefer(node.var,
                       _quantify(node.var, node.kind, candidates, residual, body, budget),
                       plain)

    def _plan_graph_quantifier(self, node: ast.Quantifier) -> Compiled | None:
        """`any|all|none a in ancestors(x): body(a)` as one pass over the whole graph."""
        coll = node.coll
        if not (
            isinstance(coll, ast.Call)
            and coll.kind == "builtin"
            and coll.func in ("ancestors", "descendants")
            and len(coll.args) == 1
            and _kind(coll.args[0]) is Kind.ENTITY
            and coll.args[0].ty is not None
            and coll.args[0].ty.name == "project"
        ):
            return None
        inner = {node.var}
        if free_names((node.where, node.body)) - inner:
            return None
        where = self.compile(node.where) if node.where is not None else None
        body = self.compile(node.body)
        self.compile(coll)  # for evidence of the collection itself
        arg = self.compile(coll.args[0])
        var = node.var
        kind = node.kind

        def matches(entity: Any) -> bool:
            env: Env = {var: entity}
            try:
                if where is not None and where(env) is not True:
                    return False
                holds = body(env) is True
            except Exception:  # as a missing value would: the body does not hold
                holds = False
            return not holds if kind == "all" else holds

        graph = self.ctx.graph
        direction: Literal["ancestors", "descendants"] = (
            "ancestors" if coll.func == "ancestors" else "descendants")

        def plan() -> ReachWitness:
            generate = self.predicates
            test = generate(node, self.ctx, self, matches) if generate else None
            return graph.reach_witness(test or matches, direction)

        reach = self.reach[id(node)] = PlannedReach(plan)
        found_means = kind == "any"

        def planned(env: Env) -> Any:
            subject = arg(env)
            if subject is MISSING:
                return MISSING
            found = reach.found(subject)
            return found if found_means else not found

        return planned

    def _c_aggregate(self, node: ast.Aggregate) -> Compiled:
        coll = self.compile(node.coll)
        where = self.compile(node.where) if node.where is not None else None
        body = self.compile(node.body) if node.body is not None else None
        durations = node.ty is not None and node.ty.kind is Kind.DURATION
        budget = self.ctx.budget
        plain = _aggregate(node.var, node.kind, coll, where, body, durations, budget)
        join = plan_join(node)
        if join is None:
            return plain
        candidates, residual = self._joined(node, join)
        return _prefer(node.var, _aggregate(node.var, node.kind, candidates, residual, body,
                                            durations, budget), plain)


def _define_call1(name: str, arg: Compiled, body: Compiled) -> Compiled:
    """A one-parameter define's call: its argument bound while its body runs."""

    def call(env: Env) -> Any:
        value = arg(env)
        saved = env.get(name, _UNSET)
        env[name] = value
        try:
            return body(env)
        finally:
            if saved is _UNSET:
                env.pop(name, None)
            else:
                env[name] = saved

    return call


class PlannedReach:
    """A planned graph quantifier's reach, planned on first use (rules that never run
    cost nothing): called with a project, its chain to a witness or None (evidence);
    `found`, whether there is one (the verdict, on both paths)."""

    __slots__ = ("_plan", "_witness")

    def __init__(self, plan: Callable[[], ReachWitness]) -> None:
        self._plan = plan
        self._witness: ReachWitness | None = None

    def _planned(self) -> ReachWitness:
        if self._witness is None:
            self._witness = self._plan()
        return self._witness

    def __call__(self, entity: Any) -> tuple[Any, ...] | None:
        return self._planned()(entity)

    def forget(self) -> None:
        """Plan again on next use: the data it was planned on has changed (readiness
        moves one project after another between uses of the same plan)."""
        self._witness = None

    def found(self, entity: Any) -> bool:
        """Whether a witness lies up- or downstream of `entity`."""
        witness = self._witness or self._planned()
        return witness.found(entity)


# ---------------------------------------------------------------- closure builders


def _quantify(
    var: str, kind: str, coll: Compiled, where: Compiled | None, body: Compiled,
    budget: Budget,
) -> Compiled:
    """all / any / none over a collection's elements that pass `where`."""

    def quantify(env: Env) -> Any:
        items = budget.items(coll(env))  # a map's values; charged; None: not a collection
        if items is None:
            return MISSING
        saved = env.get(var, _UNSET)
        result = kind != "any"
        for item in items:
            env[var] = MISSING if item is None else item  # a null element is missing
            if where is not None and where(env) is not True:
                continue
            holds = body(env) is True
            if kind == "any":
                if holds:
                    result = True
                    break
            elif kind == "all":
                if not holds:
                    result = False
                    break
            elif holds:  # none
                result = False
                break
        _restore(env, var, saved)
        return result

    return quantify


def _aggregate(
    var: str, kind: str, coll: Compiled, where: Compiled | None, body: Compiled | None,
    durations: bool, budget: Budget,
) -> Compiled:
    """count / sum / min / max / avg over a collection's elements that pass `where`."""

    def aggregate(env: Env) -> Any:
        items = budget.items(coll(env))  # a map's values; charged; None: not a collection
        if items is None:
            return MISSING
        saved = env.get(var, _UNSET)
        values: list[Any] = []
        count = 0
        for item in items:
            env[var] = MISSING if item is None else item  # a null element is missing
            if where is not None and where(env) is not True:
                continue
            count += 1
            if body is not None:
                v = body(env)
                if v is not MISSING:
                    values.append(v)
        _restore(env, var, saved)
        if kind == "count":
            return count
        return functions.fold(kind, values, durations)

    return aggregate


def _prefer(var: str, joined: Compiled, plain: Compiled) -> Compiled:
    """The joined plan, or the plain loop where the join could not be evaluated (its key
    raised): then the plain loop decides, with exactly the plain loop's errors."""

    def either(env: Env) -> Any:
        saved = env.get(var, _UNSET)
        try:
            return joined(env)
        except Exception:
            _restore(env, var, saved)
            return plain(env)

    return either


def _once(fn: Compiled, generated: Callable[[], Any] | None = None) -> Compiled:
    """A closure of a run-invariant value, computed on first use and then remembered;
    by `generated` where it gives one (it returns the value, or raises: then `fn`
    computes it, so an error is the closures' own)."""
    box: list[Any] = []
    failed: list[Exception] = []

    def once(env: Env) -> Any:
        if failed:  # an error is as invariant as a value: raise it again, don't recompute
            raise failed[0]
        if not box:
            try:
                box.append(_computed(fn, env, generated))
            except Exception as exc:
                failed.append(exc)
                raise
        return box[0]

    once.invariant = True  # type: ignore[attr-defined]
    return once


class _Ungenerated(Exception):
    """No generated function computes this value: the closure does."""


def _computed(fn: Compiled, env: Env, generated: Callable[[], Any] | None) -> Any:
    if generated is not None:
        try:
            value = generated()
        except Exception:  # the closure computes it again, and raises its own error
            pass
        else:
            return MISSING if value is None else value
    return fn(env)


def _restore(env: Env, var: str, saved: object) -> None:
    if saved is _UNSET:
        env.pop(var, None)
    else:
        env[var] = saved


def _chain(root: Compiled, steps: tuple[tuple[bool, str], ...]) -> Compiled:
    """A field path read in one closure: `p.artifacts.charter.status`."""
    steps = tuple((is_attr, ATTRIBUTE.get(name, name) if is_attr else name)
                  for is_attr, name in steps)
    if len(steps) == 1 and steps[0][0]:
        name = steps[0][1]

        def one_attr(env: Env) -> Any:
            v = root(env)
            if v is MISSING:
                return MISSING
            v = getattr(v, name, None)
            return MISSING if v is None else v

        return one_attr

    def path(env: Env) -> Any:
        v = root(env)
        for is_attr, name in steps:
            if v is MISSING or v is None:
                return MISSING
            if is_attr:
                v = getattr(v, name, None)
            elif isinstance(v, dict):
                v = v.get(name)
            else:
                return MISSING
        return MISSING if v is None else v

    return path


def _and(left: Compiled, right: Compiled) -> Compiled:
    # Kleene logic: false wins, then missing; a value that is not a bool is missing.
    def and_(env: Env) -> Any:
        a = left(env)
        if a is False:
            return False
        b = right(env)
        if b is False:
            return False
        return True if a is True and b is True else MISSING

    return and_


def _or(left: Compiled, right: Compiled) -> Compiled:
    def or_(env: Env) -> Any:
        a = left(env)
        if a is True:
            return True
        b = right(env)
        if b is True:
            return True
        return False if a is False and b is False else MISSING

    return or_


def _equality(
    negate: bool, left: Compiled, right: Compiled, identity: bool, lax: bool
) -> Compiled:
    if lax and not identity:  # a side typed only at run time: values of two kinds are missing
        def eq_loose(env: Env) -> Any:
            a = left(env)
            if a is MISSING:
                return MISSING
            b = right(env)
            if b is MISSING:
                return MISSING
            equal = loose_equal(a, b)
            if equal is None:
                return MISSING
            return not equal if negate else equal

        return eq_loose
    if isinstance(right, Const) and not identity:
        const = right.value

        def eq_const(env: Env) -> Any:
            a = left(env)
            if a is MISSING:
                return MISSING
            return (a != const) if negate else (a == const)

        return eq_const

    def eq(env: Env) -> Any:
        a = left(env)
        if a is MISSING:
            return MISSING
        b = right(env)
        if b is MISSING:
            return MISSING
        equal = a is b if identity else same(a, b)
        return not equal if negate else equal

    return eq


def _order(op: str, left: Compiled, right: Compiled, lax: bool) -> Compiled:
    cmp = loose_order(op) if lax else _ORDER_OPS[op]

    def order(env: Env) -> Any:
        a = left(env)
        if a is MISSING:
            return MISSING
        b = right(env)
        if b is MISSING:
            return MISSING
        try:
            result = cmp(a, b)
        except TypeError:  # typed operands of two kinds: a plugin value or a bug upstream
            return MISSING
        return MISSING if result is None else result

    return order


def _ordered_compare(
    op: str, left: Compiled, right: Compiled, order: Mapping[str, int]
) -> Compiled:
    """Stages and severities compare by their rank, not alphabetically."""
    if op in ("in", "not in", "contains"):
        item, container = (right, left) if op == "contains" else (left, right)
        return _membership(op == "not in", item, container, False)
    cmp = {"==": operator.eq, "!=": operator.ne, **_ORDER_OPS}[op]

    def rank(value: Any) -> int | None:
        return order.get(value) if isinstance(value, str) else None

    def compare(env: Env) -> Any:
        a = rank(left(env))
        b = rank(right(env))
        if a is None or b is None:
            return MISSING
        return cmp(a, b)

    return compare


def _membership(negate: bool, item: Compiled, container: Compiled, lax: bool) -> Compiled:
    test = loose_member if lax else member

    def membership(env: Env) -> Any:
        x = item(env)
        if x is MISSING:
            return MISSING
        found = test(x, container(env))
        if found is None:
            return MISSING
        return not found if negate else found

    return membership


__all__ = ["Const", "ExprCompiler", "free_names", "literal_value"]
