"""Explain a failed clause: its text as written, its operand values, witnesses and chains.

Runs only for failing subjects, reusing the closures the compiler kept for
every sub-expression, so evidence never disagrees with the verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from pmo_rules.diagnostics import Span
from pmo_rules.engine import functions
from pmo_rules.engine.analysis import loose
from pmo_rules.engine.compiler import ExprCompiler
from pmo_rules.engine.present import for_evidence
from pmo_rules.engine.results import Evidence
from pmo_rules.engine.runtime import (
    MISSING,
    Env,
    arithmetic_problem,
    entity_id,
    in_range,
    kind_of,
    negative,
    out_of_range,
    show,
    to_plain,
)
from pmo_rules.language import ast

_LITERALS = (ast.Number, ast.String, ast.Bool, ast.Date, ast.Duration, ast.ListLit)
_MAX_WITNESSES = 5
_MAX_LISTED = 10


class SourceText:
    """Slices policy source text by span, for clauses and operands as the author wrote them."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self._lines = {path: text.splitlines() for path, text in sources.items()}

    def text(self, span: Span, fallback: str = "") -> str:
        """The source text under a span (joined onto one line), or the fallback."""
        lines = self._lines.get(span.file)
        if not lines or span.line < 1 or span.end_line < span.line:
            return fallback
        if span.line == span.end_line:
            return lines[span.line - 1][span.column - 1:span.end_column - 1]
        parts = [lines[span.line - 1][span.column - 1:]]
        parts += [ln.strip() for ln in lines[span.line:span.end_line - 1]]
        parts.append(lines[span.end_line - 1][:span.end_column - 1].strip())
        return " ".join(p.strip() for p in parts if p.strip())


def _always_true(env: Env) -> bool:
    return True


class _Entry(NamedTuple):
    """A node as evidence records it: a literal (never recorded), its closure, its text as
    written and how its values are shown."""

    literal: bool
    fn: Callable[[Env], Any] | None
    text: str
    present: Callable[[Any], str]


class Explainer:
    """Builds the evidence of a failed require clause for one subject."""

    def __init__(self, compiler: ExprCompiler, source: SourceText) -> None:
        self.compiler = compiler
        self.source = source
        self._shown: dict[str, str] = {}
        self._problems: dict[str, str] = {}
        self._texts: dict[int, str] = {}
        self._loose: dict[int, bool] = {}
        self._entries: dict[int, _Entry] = {}

    def explain(self, require: ast.Require, env: Env, subject_id: str) -> Evidence:
        """Evidence for one failed clause."""
        values: dict[str, Any] = {}
        missing: list[str] = []
        witnesses: list[str] = []
        chain: list[str] = []
        self._shown = {}
        self._problems = {}
        self._walk(require.expr, env, values, missing, witnesses, chain)
        clause = require.text or self.source.text(require.expr.span, "")
        path = tuple(chain) if chain else (subject_id,)
        return Evidence(clause, values, path, tuple(missing), tuple(witnesses), self._shown,
                        self._problems)

    def _value(self, node: ast.Expr, env: Env) -> Any:
        fn = self.compiler.closures.get(id(node))
        if fn is None:
            return MISSING
        try:
            return fn(env)
        except Exception:  # evidence is best effort; the verdict already stands
            return MISSING

    def _presenter(self, node: ast.Expr) -> Callable[[Any], str]:
        """How people read this node's values (money, ratios, people): engine/present.py.
        Asked once per node: `_entry` keeps the answer."""
        return for_evidence(node, getattr(self.compiler.ctx.portfolio, "currency", None))

    def _text(self, node: ast.Expr) -> str:
        text = self._texts.get(id(node))
        if text is None:  # sliced once per node, not once per failing subject
            text = self._texts[id(node)] = self.source.text(node.span, type(node).__name__.lower())
        return text

    def _entry(self, node: ast.Expr) -> _Entry:
        """What recording `node` needs, found once per node, not once per failing subject."""
        entry = self._entries[id(node)] = _Entry(
            isinstance(node, _LITERALS), self.compiler.closures.get(id(node)),
            self._text(node), self._presenter(node))
        return entry

    def _record(self, node: ast.Expr, env: Env, values: dict[str, Any], missing: list[str],
                problem: str | None = None) -> None:
        entry = self._entries.get(id(node)) or self._entry(node)
        if entry.literal:
            return
        fn = entry.fn
        try:
            value = MISSING if fn is None else fn(env)
        except Exception:  # evidence is best effort; the verdict already stands
            value = MISSING
        text = entry.text
        if isinstance(value, list | tuple) and len(value) > _MAX_LISTED:
            # Long collections (`people`, `projects`) would swamp every finding.
            values[text] = {"count": len(value),
                            "first": [to_plain(v) for v in value[:_MAX_LISTED]]}
            self._shown[text] = f"{len(value)} items: {show(list(value[:_MAX_LISTED]))[:-1]}, ...]"
        else:
            values[text] = value if value.__class__ is str else to_plain(value)
            self._shown[text] = entry.present(value)
        if value is MISSING:
            missing.append(text)
            problem = self._why(node, env)
        if problem is not None:
            self._problems[text] = problem
            self._shown[text] += f" ({problem})"

    def _why(self, node: ast.Expr, env: Env) -> str | None:
        """Why a node with present operands has no value: a result out of range, or an
        operand of the wrong kind (known only at run time). None for a plain missing."""
        if isinstance(node, ast.Binary) and node.op not in ("and", "or"):
            return arithmetic_problem(node.op, self._value(node.left, env),
                                      self._value(node.right, env))
        if isinstance(node, ast.Unary) and node.op == "-":
            value = self._value(node.operand, env)
            if value is MISSING or negative(value, None) is not None:
                return None
            if type(value) not in (int, float):
                return f"`-` needs a number or a duration, not {_a(kind_of(value))}"
            return out_of_range(-value)
        if isinstance(node, ast.Call) and node.kind == "builtin":
            return functions.problem(node.func, [self._value(a, env) for a in node.args])
        if isinstance(node, ast.Quantifier | ast.Aggregate):
            items = self._value(node.coll, env)
            if items is not MISSING and not isinstance(items, list | tuple | dict):
                return f"`{self._text(node.coll)}` holds {_a(kind_of(items))}, not a list"
            if isinstance(node, ast.Aggregate) and node.body is not None:
                return self._fold_problem(node, env, items)
        return None

    def _fold_problem(self, node: ast.Aggregate, env: Env, items: Any) -> str | None:
        if not isinstance(items, list | tuple | dict):
            return None
        where = self.compiler.closures.get(id(node.where)) if node.where is not None else None
        body = self.compiler.closures.get(id(node.body)) if node.body is not None else None
        if body is None:
            return None
        inner = dict(env)
        kinds: set[str] = set()
        values = []
        for item in items.values() if isinstance(items, dict) else items:
            inner[node.var] = MISSING if item is None else item
            try:
                if where is not None and where(inner) is not True:
                    continue
                value = body(inner)
            except Exception:  # evidence is best effort; the verdict already stands
                continue
            if value is not MISSING:
                kinds.add(kind_of(value))
                values.append(value)
        if len(kinds) > 1:
            return f"`{node.kind}` over values of several kinds: {', '.join(sorted(kinds))}"
        wanted = ("number", "duration") if node.kind in ("sum", "avg") else (
            "number", "string", "date", "date-time", "duration")
        if kinds and not kinds <= set(wanted):
            return f"`{node.kind}` over {kinds.pop()} values"
        if values and kinds == {"number"} and not in_range(sum(values)):
            return out_of_range(float("inf"))
        if values and kinds == {"duration"}:
            return f"`{node.kind}` of durations out of range"
        return None

    def _typed_at_run_time(self, node: ast.Compare) -> bool:
        """Whether a side of the comparison has a type known only at run time (the only
        case `_kinds` may say something about), decided once per node."""
        found = self._loose.get(id(node))
        if found is None:
            found = self._loose[id(node)] = any(
                not isinstance(side, _LITERALS) and loose(side)
                for side in (node.left, node.right))
        return found

    def _kinds(self, node: ast.Compare, env: Env, values: dict[str, Any],
               missing: list[str]) -> None:
        """A comparison with no value although both sides have one: name the side whose
        type is known only at run time, and the kind it held."""
        left, right = self._value(node.left, env), self._value(node.right, env)
        if MISSING in (left, right) or self._value(node, env) is not MISSING:
            return
        for side, mine, other in ((node.left, left, right), (node.right, right, left)):
            if isinstance(side, _LITERALS) or not loose(side):
                continue
            kind = kind_of(mine)
            if node.op in ("in", "not in", "contains") and side is (
                    node.left if node.op != "contains" else node.right):
                held = f"holds {_a(kind)}, which `{self._text(node)}` cannot look for"
            elif node.op in ("in", "not in", "contains"):
                held = f"holds {_a(kind)}, which cannot hold {_a(kind_of(other))}"
            elif kind == kind_of(other):
                held = f"holds {_a(kind)}, which has no order"
            else:
                held = f"holds {_a(kind)}, compared with {_a(kind_of(other))}"
            self._record(side, env, values, missing, held)

    def _walk(
        self, node: ast.Expr, env: Env, values: dict[str, Any], missing: list[str],
        witnesses: list[str], chain: list[str],
    ) -> None:
        if isinstance(node, ast.Binary) and node.op in ("and", "or"):
            for side in (node.left, node.right):
                if node.op == "or" or self._value(side, env) is not True:
                    self._walk(side, env, values, missing, witnesses, chain)
            return
        if isinstance(node, ast.Unary) and node.op == "not":
            self._walk(node.operand, env, values, missing, witnesses, chain)
            return
        if isinstance(node, ast.Compare):
            self._record(node.left, env, values, missing)
            self._record(node.right, env, values, missing)
            if self._typed_at_run_time(node):
                self._kinds(node, env, values, missing)
            return
        if isinstance(node, ast.Matches | ast.Exists):
            self._record(node.operand, env, values, missing)
            return
        if isinstance(node, ast.Quantifier):
            self._quantifier(node, env, values, missing, witnesses, chain)
            return
        value = self._value(node, env)
        problem = None
        if value is not MISSING and not isinstance(value, bool):  # where a condition is due
            problem = f"holds {_a(kind_of(value))}, not true or false"
        self._record(node, env, values, missing, problem)
        define = self.compiler.defines.get(node.func) if isinstance(node, ast.Call) else None
        if isinstance(node, ast.Call) and node.kind == "define" and node.inlined is not None \
                and define is not None:
            # Look inside the define, with its parameters bound to this call's arguments.
            inner = dict(env)
            for name, arg in zip(define.params, node.args, strict=True):
                inner[name] = self._value(arg, env)
            self._walk(node.inlined, inner, values, missing, witnesses, chain)

    def _quantifier(
        self, node: ast.Quantifier, env: Env, values: dict[str, Any], missing: list[str],
        witnesses: list[str], chain: list[str],
    ) -> None:
        reach = self.compiler.reach.get(id(node))
        if reach is not None and isinstance(node.coll, ast.Call):
            subject = self._value(node.coll.args[0], env)
            found = reach(subject) if subject is not MISSING else None
            if found:
                chain.extend([p.id for p in found])  # projects: their ids are their labels
                witnesses.append(chain[-1])
                inner = dict(env)
                inner[node.var] = found[-1]
                self._walk(node.body, inner, values, missing, [], [])
            return
        items = self._value(node.coll, env)
        if items is MISSING or not isinstance(items, list | tuple | dict):
            self._record(node.coll, env, values, missing, None if items is MISSING else
                         f"holds {_a(kind_of(items))}, not a list")
            return
        if isinstance(items, dict):
            items = list(items.values())
        total = len(items)
        where = self.compiler.closures.get(id(node.where)) if node.where is not None else None
        body = self.compiler.closures.get(id(node.body))
        if body is None:
            return
        joined = self.compiler.sources.get(id(node))
        if joined is not None:  # look only at the join's candidates, as the verdict did
            items = joined[0](env)
            where = joined[1]
            join = self.compiler.joins[id(node)]
            if join.absorbs_body:
                rest = self.compiler.closures.get(id(join.body)) if join.body is not None else None
                body = rest or _always_true
        inner = dict(env)
        for item in items:
            inner[node.var] = MISSING if item is None else item
            try:
                if where is not None and where(inner) is not True:
                    continue
                holds = body(inner) is True
            except Exception:  # evidence is best effort; the verdict already stands
                holds = False
            # A witness is an element that made the quantifier fail.
            if (node.kind == "all" and not holds) or (node.kind == "none" and holds):
                witnesses.append(entity_id(item))
                if len(witnesses) <= 1:
                    self._walk(node.body, dict(inner), values, missing, [], [])
                if len(witnesses) >= _MAX_WITNESSES:
                    break
        if node.kind == "any" and not witnesses:
            # Name how many were looked at, not every element: collections can be huge.
            text = self._text(node.coll)
            values[text] = {"checked": total, "matched": 0}
            self._shown[text] = f"{total} checked, none matched"


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1] in "aeiou" else f"a {kind}"
