"""The fast path: one generated Python loop per rule that sorts subjects into pass and fail.

The closure compiler (compiler.py) is the reference semantics and produces the
evidence; this module exists for speed. For a rule with `for`, it emits the
source of one Python function that loops over the subjects with the `where`,
the lets and the requires inlined as Python expressions, compiles it once, and
runs it. Subjects it finds failing (or on which it raises) are evaluated again
by the closures, which explain them or record the error, so the two paths can
only differ in speed. tests/engine/test_fastpath.py checks they agree.

Safety: the generated text contains no policy text. Every value from a policy
(strings, numbers, dates, params, regular expressions) is passed in through the
function's namespace as a constant slot `_k<N>`; variables are renamed `v<N>`;
the only words taken from a policy are field names that the checker has already
matched against the data model's own field table, and they are re-validated
here as plain identifiers before use. Missing values are Python `None`.
"""

from __future__ import annotations

import datetime as dt
import keyword
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from pmo_rules.engine import functions
from pmo_rules.engine.analysis import loose
from pmo_rules.engine.boundary import Closures, FastRule
from pmo_rules.engine.joins import lookup
from pmo_rules.engine.runtime import (
    ATTRIBUTE,
    MISSING,
    SEVERITY_ORDER,
    STAGE_ORDER,
    Compiled,
    RunContext,
    arithmetic,
    index_of,
    loose_equal,
    loose_member,
    loose_order,
    member,
    negative,
)
from pmo_rules.language import ast
from pmo_rules.language.patterns import matcher
from pmo_rules.language.types import Kind


class Unsupported(Exception):
    """The rule uses something the fast path does not generate; the closures run it instead."""


_GRAPH_METHODS = frozenset({
    "predecessors", "successors", "ancestors", "descendants", "path", "in_cycle",
    "on_critical_path", "depth", "cycles", "critical_path",
})
# Kinds whose values are plain, hashable Python values (never entities, lists or maps).
_HASHED_KINDS = frozenset({Kind.STRING, Kind.NUMBER, Kind.MONEY, Kind.BOOL, Kind.DATE,
                           Kind.DURATION, Kind.STAGE, Kind.SEVERITY})
_HASHED_TYPES = frozenset({str, int, float, bool, dt.date, dt.timedelta})
_CMP = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_ORDER = ("<", "<=", ">", ">=")


def _none(value: Any) -> Any:
    return None if value is MISSING else value


def _get(obj: Any, key: str) -> Any:
    """A map read: `p.artifacts.charter`, `p.custom.x`, `pmo.policy.NAME`."""
    return obj.get(key) if isinstance(obj, dict) else None


def _ne_loose(a: Any, b: Any) -> Any:
    equal = loose_equal(a, b)
    return None if equal is None else not equal


def _charged(method: Callable[..., Any], ctx: RunContext) -> Callable[..., Any]:
    """A graph method whose listed result is charged to the rule's budget."""
    budget = ctx.budget

    def call(*args: Any) -> Any:
        result = method(*args)
        if isinstance(result, list):
            budget.charge(len(result))
        return result

    return call


def _wrap(fn: Callable[..., Any], arity: int) -> Callable[..., Any]:
    """A run-time function (built-in or plugin) with MISSING mapped to None both ways."""
    if arity == 1:  # most calls (`live(p)`, `gates_required(p)`): no argument list built
        def call1(a: Any) -> Any:
            value = fn(MISSING if a is None else a)
            return None if value is MISSING else value

        return call1

    def call(*args: Any) -> Any:
        return _none(fn(*[MISSING if a is None else a for a in args]))

    return call


class _Gen:
    """Generates the Python expression for a checked expression node."""

    def __init__(self, ctx: RunContext, closures: Closures) -> None:
        self.ctx = ctx
        self.closures = closures
        # Helpers shared with the closures (runtime.py): one meaning on both paths, with
        # None for missing. `_items` charges the rule's budget as each loop starts.
        self.namespace: dict[str, Any] = {
            "_get": _get, "_items": ctx.budget.items, "_budget": ctx.budget,
            "_eq_loose": loose_equal,
            "_ne_loose": _ne_loose, "_member": member, "_member_loose": loose_member,
            "_index": index_of, "_STAGE": STAGE_ORDER, "_SEVERITY": SEVERITY_ORDER,
            "_fold": functions.fold, "_neg": negative, "_none_of": _none,
            **{f"_arith{n}": arithmetic(op, None) for n, op in enumerate("+-*/")},
            **{f"_order{n}": loose_order(op) for n, op in enumerate(_ORDER)},
        }
        self.counter = 0
        # The value in each constant slot, by its name: generation may look at constants.
        self.values: dict[str, Any] = {}
        # Source of the module-level functions the expressions call (`_loop`), put first.
        self.functions: list[str] = []
        # Texts of generated expressions that can never be None (subjects, quantified
        # elements, constants, list and map fields of those): they need no missing-guard.
        self.nonnull: set[str] = set()

    def const(self, value: Any) -> str:
        """A slot holding `value`: no value from a policy is ever written into the source."""
        if value is None:  # the generator's own marker for missing
            return "None"
        text = f"_k{len(self.namespace)}"
        self.namespace[text] = value
        self.values[text] = value
        self.nonnull.add(text)
        return text

    def lift(self, operands: list[str], body: Callable[[list[str]], str]) -> str:
        """`body` over the operands, or None as soon as a nullable operand is None."""
        names: list[str] = []
        guards: list[str] = []
        for text in operands:
            if text in self.nonnull:
                names.append(text)
            elif text.isidentifier():  # a local (a let, a define's argument): read it again
                guards.append(f"{text} is None")
                names.append(text)
            else:
                t = self.temp()
                guards.append(f"({t} := {text}) is None")
                names.append(t)
        core = body(names)
        if not guards:
            return f"({core})"
        return f"(None if {' or '.join(guards)} else {core})"

    def temp(self) -> str:
        self.counter += 1
        return f"_t{self.counter}"

    def expr(self, node: ast.Expr, scope: Mapping[str, str]) -> str:
        closure = self.closures.closures.get(id(node))
        if getattr(closure, "invariant", False):  # the same for every subject of the run
            assert closure is not None
            return self._invariant(node, closure)
        return self._generated(node, scope)

    def truth(self, node: ast.Expr, scope: Mapping[str, str]) -> str:
        """A Python expression that is True exactly when `node`'s value is true (neither
        false nor missing) and False otherwise, evaluating exactly what `expr` would, in
        the same order: for conditions (`where`, `require`, quantifier bodies), where
        false and missing need not be told apart."""
        closure = self.closures.closures.get(id(node))
        if not getattr(closure, "invariant", False):
            if isinstance(node, ast.Binary) and node.op == "and":
                # The right side is read unless the left is false, as Kleene's `and` does.
                a = self.temp()
                left, right = self.expr(node.left, scope), self.truth(node.right, scope)
                return f"(({a} := {left}) is not False and {right} and {a} is True)"
            if isinstance(node, ast.Binary) and node.op == "or":
                return f"({self.truth(node.left, scope)} or {self.truth(node.right, scope)})"
            if isinstance(node, ast.Unary) and node.op == "not":
                return f"(({self.expr(node.operand, scope)}) is False)"
        return f"(({self.expr(node, scope)}) is True)"

    def _generated(self, node: ast.Expr, scope: Mapping[str, str]) -> str:
        method = getattr(self, "_" + type(node).__name__.lower(), None)
        if method is None:
            raise Unsupported(type(node).__name__)
        text: str = method(node, scope)
        return text

    def _invariant(self, node: ast.Expr, closure: Compiled) -> str:
        """A value computed once per run (`sum(p in projects: ...)` read by every subject,
        or by a rule on the portfolio): read from the closure, which keeps it (computed by
        `invariant` below on the fast path), so both paths share one computation."""
        name = self.const(lambda: _none(closure({})))
        return f"{name}()"

    # -------------------------------------------------------------- leaves

    def _number(self, node: ast.Number, scope: Mapping[str, str]) -> str:
        return self.const(node.value)

    def _string(self, node: ast.String, scope: Mapping[str, str]) -> str:
        return self.const(node.value)

    def _bool(self, node: ast.Bool, scope: Mapping[str, str]) -> str:
        return self.const(node.value)

    def _date(self, node: ast.Date, scope: Mapping[str, str]) -> str:
        return self.const(node.value)

    def _duration(self, node: ast.Duration, scope: Mapping[str, str]) -> str:
        return self.const(dt.timedelta(days=node.days))

    def _listlit(self, node: ast.ListLit, scope: Mapping[str, str]) -> str:
        items = [self.expr(i, scope) for i in node.items]
        if all(i in self.values for i in items):  # built once, as the closures fold it
            return self.const([self.values[i] for i in items])
        return "[" + ", ".join(items) + "]"

    def _name(self, node: ast.Name, scope: Mapping[str, str]) -> str:
        if node.binding in ("var", "let", "define_arg"):
            if node.id not in scope:
                raise Unsupported(f"unbound {node.id}")
            return scope[node.id]  # subjects and quantified elements are in self.nonnull
        # Params, collections and entities are constants of the run: the closure has them.
        fn = self.closures.compile(node)
        value = fn({})
        return self.const(_none(value))

    def _field(self, node: ast.Field, scope: Mapping[str, str]) -> str:
        obj = self.expr(node.obj, scope)
        kind = node.obj.ty.kind if node.obj.ty is not None else Kind.ANY
        if kind is Kind.ENTITY:
            name = ATTRIBUTE.get(node.name, node.name)
            if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
                raise Unsupported(f"field {name!r}")
            text = self.lift([obj], lambda o: f"{o[0]}.{name}")
            # Lists and maps are never None: an absent list loads as [].
            if obj in self.nonnull and node.ty is not None and node.ty.kind in (Kind.LIST,
                                                                                   Kind.MAP):
                self.nonnull.add(text)
            return text
        key = self.const(node.name)
        return self.lift([obj], lambda o: f"_get({o[0]}, {key})")

    def _index(self, node: ast.Index, scope: Mapping[str, str]) -> str:
        return f"_index({self.expr(node.obj, scope)}, {self.expr(node.index, scope)})"

    # -------------------------------------------------------------- calls

    def _call(self, node: ast.Call, scope: Mapping[str, str]) -> str:
        if node.kind == "define":
            return self._define(node, scope)
        if node.kwargs:
            raise Unsupported("keyword arguments")
        if node.kind == "builtin" and node.func == "today":
            return self.const(self.ctx.as_of)
        if node.kind == "builtin" and node.func == "coalesce" and node.args:
            return self._coalesce([self.expr(a, scope) for a in node.args])
        if node.kind == "builtin" and node.func in _GRAPH_METHODS:
            # Graph methods never see a missing argument here: one call layer, not three.
            method = getattr(self.ctx.graph, node.func)
            if node.func in functions.LISTING:
                method = _charged(method, self.ctx)
            name = self.const(method)
            args = [self.expr(a, scope) for a in node.args]
            temps = [self.temp() for _ in args]
            guard = " or ".join(f"({t} := {a}) is None" for t, a in zip(temps, args, strict=True))
            call = f"{name}({', '.join(temps)})"
            return f"(None if {guard} else {call})" if args else call
        if node.kind == "builtin":
            impl = functions.builtin(node.func, self.ctx)
            direct = getattr(impl, "none_convention", None)  # lifecycle_functions.py
            if direct is not None and len(node.args) == 1:
                return f"{self.const(direct)}({self.expr(node.args[0], scope)})"
        else:
            found = self.ctx.plugin_functions.get(node.func)
            if found is None:
                raise Unsupported(f"no implementation of {node.func}")
            impl = found
        name = self.const(_wrap(impl, len(node.args)))
        return f"{name}({', '.join(self.expr(a, scope) for a in node.args)})"

    def _coalesce(self, args: list[str]) -> str:
        """`coalesce(a, b, ...)` inline: the first present value. Every argument is still
        evaluated (as a call would) unless the later ones are constants or locals, whose
        reading cannot raise, as in the usual `coalesce(x.status, "proposed")`."""
        if not all(a in self.values or a.isidentifier() for a in args[1:]):
            return f"{self.const(_wrap(functions.coalesce, len(args)))}({', '.join(args)})"
        out = args[-1]
        for text in reversed(args[:-1]):
            if text in self.nonnull:
                out = text
                continue
            t = self.temp()
            out = f"({t} if ({t} := {text}) is not None else {out})"
        return out

    def _define(self, node: ast.Call, scope: Mapping[str, str]) -> str:
        define = self.closures.defines.get(node.func)
        if define is None or node.inlined is None:
            raise Unsupported(f"define {node.func}")
        inner = dict(scope)
        binds = []
        for pname, arg in zip(define.params, node.args, strict=True):
            if isinstance(arg, ast.Name) and arg.binding in ("var", "let", "define_arg"):
                inner[pname] = scope[arg.id]
                continue
            text = self.expr(arg, scope)
            if text in self.values:  # a constant (a param, a literal): read in place
                inner[pname] = text
            else:
                t = self.temp()
                binds.append(f"({t} := {text})")
                inner[pname] = t
        body = self.expr(node.inlined, inner)
        if not binds:
            return body
        # The arguments are bound first (a non-empty tuple is true), then the body is read.
        return f"({body} if ({', '.join(binds)},) else None)"

    # -------------------------------------------------------------- operators

    def _unary(self, node: ast.Unary, scope: Mapping[str, str]) -> str:
        operand = self.expr(node.operand, scope)
        if node.op == "not":  # a value that is not a bool (a plugin's, custom data) is missing
            t = self.temp()
            return f"(True if ({t} := {operand}) is False else False if {t} is True else None)"
        return self.lift([operand], lambda o: f"_neg({o[0]})")

    def _binary(self, node: ast.Binary, scope: Mapping[str, str]) -> str:
        a, b = self.temp(), self.temp()
        left, right = self.expr(node.left, scope), self.expr(node.right, scope)
        if node.op == "and":  # Kleene logic: false wins, then missing (or not a bool)
            return (f"(False if ({a} := {left}) is False else False if ({b} := {right}) is False"
                    f" else True if {a} is True and {b} is True else None)")
        if node.op == "or":
            return (f"(True if ({a} := {left}) is True else True if ({b} := {right}) is True"
                    f" else False if {a} is False and {b} is False else None)")
        helper = f"_arith{'+-*/'.index(node.op)}"  # kinds, zero division and range checked
        return self.lift([left, right], lambda o: f"{helper}({o[0]}, {o[1]})")

    def _compare(self, node: ast.Compare, scope: Mapping[str, str]) -> str:
        kinds = {k.kind for k in (node.left.ty, node.right.ty) if k is not None}
        if Kind.PHASE in kinds:
            return self._via_closure(node, scope)
        op = node.op
        for order, table in ((Kind.STAGE, STAGE_ORDER), (Kind.SEVERITY, SEVERITY_ORDER)):
            if order in kinds and op in _CMP:
                left = self._ranked(node.left, scope, table)
                right = self._ranked(node.right, scope, table)
                return self.lift([left, right], lambda o: f"{o[0]} {_CMP[op]} {o[1]}")
        left, right = self.expr(node.left, scope), self.expr(node.right, scope)
        lax = loose(node.left, node.right)
        if op in ("in", "not in", "contains"):
            x, c = (right, left) if op == "contains" else (left, right)
            found = None if lax else self._in_constant(
                node.right if op == "contains" else node.left, x, c)
            if found is not None:
                word = "not in" if op == "not in" else "in"
                return self.lift([x], lambda o: f"{o[0]} {word} {found}")
            test = f"{'_member_loose' if lax else '_member'}({x}, {c})"
            if op == "not in":
                return self.lift([test], lambda o: f"not {o[0]}")
            return test
        if Kind.ENTITY in kinds and op in ("==", "!="):
            word = "is" if op == "==" else "is not"
            return self.lift([left, right], lambda o: f"{o[0]} {word} {o[1]}")
        if lax:  # values of two kinds compare to missing, as in the closures
            helper = {"==": "_eq_loose", "!=": "_ne_loose"}.get(op) or f"_order{_ORDER.index(op)}"
            return self.lift([left, right], lambda o: f"{helper}({o[0]}, {o[1]})")
        return self.lift([left, right], lambda o: f"{o[0]} {_CMP[op]} {o[1]}")

    def _in_constant(self, item: ast.Expr, x: str, c: str) -> str | None:
        """A slot holding the set of a constant list of plain values, for `x in [...]`
        with `x` of a plain type: a hash lookup where `_member` would scan the list.
        Equal values of these types hash alike, so the answer is `member`'s."""
        values = self.values.get(c)
        if (not isinstance(values, list | tuple) or item.ty is None
                or item.ty.kind not in _HASHED_KINDS
                or not all(type(v) in _HASHED_TYPES for v in values)):
            return None
        return self.const(frozenset(values))

    def _ranked(self, node: ast.Expr, scope: Mapping[str, str], table: Mapping[str, int]) -> str:
        """A stage or severity as its rank; a literal one folds to a constant."""
        if isinstance(node, ast.String):
            return self.const(table.get(node.value))
        name = self.const(table)
        return f"{name}.get({self.expr(node, scope)})"

    def _via_closure(self, node: ast.Expr, scope: Mapping[str, str]) -> str:
        """Rare nodes (phase order) call their closure with an environment of the scope."""
        fn = self.closures.compile(node)
        name = self.const(lambda env: _none(fn(env)))
        pairs = ", ".join(f"{self.const(k)}: {v}" for k, v in scope.items())
        return f"{name}({{{pairs}}})"

    def _matches(self, node: ast.Matches, scope: Mapping[str, str]) -> str:
        t = self.temp()
        fn = self.const(matcher(node.pattern))
        return (f"(None if not isinstance(({t} := {self.expr(node.operand, scope)}), str)"
                f" else {fn}({t}))")

    def _exists(self, node: ast.Exists, scope: Mapping[str, str]) -> str:
        return f"(({self.expr(node.operand, scope)}) {'is' if node.negated else 'is not'} None)"

    # -------------------------------------------------------------- quantifiers

    def _quantifier(self, node: ast.Quantifier, scope: Mapping[str, str]) -> str:
        reach = self.closures.reach.get(id(node))
        if reach is not None and isinstance(node.coll, ast.Call):
            fn = self.const(reach.found)
            found = "" if node.kind == "any" else "not "
            subject = self.expr(node.coll.args[0], scope)
            return self.lift([subject], lambda o: f"{found}{fn}({o[0]})")
        coll, where_node = self._source(node, scope)
        var = self.temp()
        self.nonnull.add(var)
        inner = {**scope, node.var: var}
        where = self.truth(where_node, inner) if where_node is not None else None
        join = self.closures.joins.get(id(node))
        body_node = join.body if join is not None and join.absorbs_body else node.body
        body = "True" if body_node is None else self.truth(body_node, inner)
        # any/none stop at the first element that holds, all at the first that does not.
        stop = "True" if node.kind in ("any", "none") else "False"
        test = body if stop == "True" else f"not {body}"
        loop = self._loop(scope, var, where, [], [
            f"        if {test}:", f"            return {stop}", f"    return not {stop}"])
        negate = "not " if node.kind == "none" else ""
        return self.lift([coll], lambda o: f"{negate}{loop(o[0])}")

    def _loop(self, scope: Mapping[str, str], var: str, where: str | None,
              head: list[str], tail: list[str]) -> Callable[[str], str]:
        """A function of the generated module looping over a quantifier's or aggregate's
        elements (a plain loop: no generator per evaluation), and the text calling it on a
        collection: the names in scope are passed in. The loop charges the budget first, as
        `_items` does (a list inline; anything else through `_items`).
        `head` comes before the loop; `tail` is the loop body after the `where` test,
        then what follows the loop."""
        names = sorted({name for name in scope.values() if name not in self.values})
        if not all(name.isidentifier() for name in names):
            raise Unsupported("a scope that is not all names")
        function = f"_loop{len(self.functions)}"
        lines = [f"def {function}(_elements{''.join(', ' + n for n in names)}):",
                 "    if isinstance(_elements, list):",
                 "        _budget.left -= len(_elements)",
                 "        if _budget.left < 0:",
                 "            _budget.charge(0)",
                 "    else:",
                 "        _elements = _items(_elements)",
                 *head,
                 f"    for {var} in _elements:"]
        if where is not None:
            lines += [f"        if not {where}:", "            continue"]
        self.functions.append("\n".join([*lines, *tail]) + "\n")
        return lambda coll: f"{function}({coll}{''.join(', ' + n for n in names)})"

    def _source(
        self, node: ast.Quantifier | ast.Aggregate, scope: Mapping[str, str]
    ) -> tuple[str, ast.Expr | None]:
        """The elements and their filter, with a join looked up in its index (joins.py)."""
        join = self.closures.joins.get(id(node))
        if join is None:
            return self.expr(node.coll, scope), node.where
        ctx = self.ctx
        box: list[Callable[[Any], list[Any]]] = []

        def candidates(key: Any) -> list[Any]:
            if not box:
                box.append(lookup(ctx, join))
            return box[0](key)

        # Not marked never-missing: `lift` must hoist the call (and any `:=` in the key)
        # out of the comprehension whose iterable it becomes.
        return f"{self.const(candidates)}({self.expr(join.key, scope)})", join.residual

    def _aggregate(self, node: ast.Aggregate, scope: Mapping[str, str]) -> str:
        coll, where_node = self._source(node, scope)
        var = self.temp()
        self.nonnull.add(var)
        inner = {**scope, node.var: var}
        where = self.truth(where_node, inner) if where_node is not None else None
        n, values = self.temp(), self.temp()
        if node.kind == "count":
            loop = self._loop(scope, var, where, [f"    {n} = 0"], [
                f"        {n} += 1", f"    return {n}"])
            return self.lift([coll], lambda o: loop(o[0]))
        if node.body is None:
            raise Unsupported("aggregate without a body")
        body = self.expr(node.body, inner)
        v = self.temp()
        durations = node.ty is not None and node.ty.kind is Kind.DURATION
        loop = self._loop(scope, var, where, [f"    {values} = []"], [
            f"        {v} = {body}", f"        if {v} is not None:",
            f"            {values}.append({v})", f"    return {values}"])
        return self.lift([coll], lambda o: (
            f"_none_of(_fold({self.const(node.kind)}, {loop(o[0])}, {durations}))"))


def predicate(
    node: ast.Quantifier, ctx: RunContext, closures: Closures,
    slow: Callable[[Any], bool],
) -> Callable[[Any], bool] | None:
    """For a planned graph quantifier: is one element a witness? (the body holds for
    `any`/`none`, fails for `all`), generated like a rule; None where unsupported."""
    gen = _Gen(ctx, closures)
    gen.nonnull.add("v0")
    scope = {node.var: "v0"}
    try:
        where = gen.truth(node.where, scope) if node.where is not None else "True"
        body = gen.truth(node.body, scope)
    except Exception:  # Unsupported, or a bug here: a speed-up must never fail a run
        return None
    test = f"not {body}" if node.kind == "all" else body
    source = (
        "def _witness(v0):\n"
        "    try:\n"
        f"        return {where} and {test}\n"
        "    except Exception:\n"
        "        return _slow(v0)\n"
    )
    witness: Callable[[Any], bool] | None = _compile(
        source, f"<pmo-rules quantifier at {node.span}>", "_witness", gen,
        {"_slow": slow})
    return witness


def invariant(
    node: ast.Expr, ctx: RunContext, closures: Closures
) -> Callable[[], Any] | None:
    """A value computed once per run, as a generated function (None for missing); None
    where unsupported. The closure keeps what it returns (compiler.py, `_once`)."""
    gen = _Gen(ctx, closures)
    try:
        text = gen._generated(node, {})  # not `expr`: that would read the closure itself
    except Exception:  # Unsupported, or a bug here: a speed-up must never fail a run
        return None
    value: Callable[[], Any] | None = _compile(
        f"def _value():\n    return {text}\n", f"<pmo-rules value at {node.span}>", "_value",
        gen, {})
    return value


def _compile(
    source: str, filename: str, name: str, gen: _Gen, extra: Mapping[str, Any]
) -> Any:
    source = "".join(gen.functions) + source  # the loops the expressions call, first
    try:
        with warnings.catch_warnings():
            # A warning would reach the user's terminal: the closures run such a rule instead.
            warnings.simplefilter("error")
            code = compile(source, filename, "exec")
    except (SyntaxError, SyntaxWarning, RecursionError, MemoryError):  # too nested for CPython
        return None
    namespace = {**gen.namespace, **extra, "__builtins__": _BUILTINS}
    exec(code, namespace)  # generated from the checked AST, never policy text: see above
    return namespace[name]


_BUILTINS = {"any": any, "all": all, "sum": sum, "bool": bool, "getattr": getattr, "len": len,
             "isinstance": isinstance, "str": str, "list": list, "Exception": Exception}


def build_fast_rule(
    rule: ast.Rule, ctx: RunContext, closures: Closures
) -> FastRule | None:
    """The generated loop for a rule, or None where the closures must run it. A rule
    without `for` runs once, on the portfolio: its one subject is None, bound to no name."""
    if rule.check is not None:
        return None
    gen = _Gen(ctx, closures)
    subject = "v0"
    gen.nonnull.add(subject)
    scope: dict[str, str] = {rule.for_.var: subject} if rule.for_ is not None else {}
    lines = [
        "def _rule(_subjects):",
        "    _passed = []; _failed = []",
        "    _pass = _passed.append; _fail = _failed.append",
        f"    for {subject} in _subjects:",
        "        try:",
    ]
    try:
        if rule.for_ is not None and rule.for_.where is not None:
            where = gen.truth(rule.for_.where, scope)
            lines += [f"            if not {where}:",
                      "                continue"]
        tests = []
        for n, item in enumerate(rule.body):
            if isinstance(item, ast.Let):
                local = f"l{n}"
                lines.append(f"            {local} = {gen.expr(item.value, scope)}")
                scope[item.name] = local
            else:
                tests.append(gen.truth(item.expr, scope))
    except Exception:  # Unsupported, or a bug here: a speed-up must never fail a run
        return None
    lines += [
        f"            _ok = {' and '.join(tests) or 'True'}",
        "        except Exception:",
        "            _ok = False  # the closures will record the error",
        "        if _ok:",
        f"            _pass({subject})",
        "        else:",
        f"            _fail({subject})",
        "    return _passed, _failed, len(_subjects) - len(_passed) - len(_failed)",
    ]
    fast: FastRule | None = _compile("\n".join(lines), f"<pmo-rules rule {rule.id}>", "_rule",
                                     gen, {})
    return fast


__all__ = ["FastRule", "build_fast_rule", "invariant", "predicate"]
