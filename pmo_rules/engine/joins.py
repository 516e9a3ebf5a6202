"""Equality joins planned as index lookups.

`count(p in projects where p.program == g)` inside `for g in programs`, or
`any s in projects where s.id == d.successor.id: ...` inside `for d in
dependencies`, would scan a whole collection per subject: quadratic. When a
quantifier or aggregate ranges over a top-level collection and its `where` has
a conjunct `x.PATH == EXPR` in which EXPR does not read `x`, the collection is
grouped once per run by `x.PATH`, and each evaluation looks its candidates up;
the other conjuncts still filter them. Both evaluation paths use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pmo_rules.engine.analysis import free_names
from pmo_rules.engine.runtime import ATTRIBUTE, ENTITY_TYPES, MISSING, RunContext
from pmo_rules.language import ast
from pmo_rules.language.types import BOOL, Kind

Lookup = Callable[[Any], list[Any]]
_UNORDERED_KINDS = (Kind.PHASE, Kind.STAGE, Kind.SEVERITY)  # their == is not plain equality


@dataclass(frozen=True, slots=True)
class Join:
    """A planned join: group `collection` by `path`, look up `key`, filter by `residual`.

    With `absorbs_body`, the equality came from the body of an `any`/`none`: `body`
    holds the body's other conjuncts (None: the body is then simply true), still
    evaluated only for candidates that pass the `where`, as the plain loop would.
    """

    collection: str
    path: tuple[str, ...]
    key: ast.Expr
    residual: ast.Expr | None
    absorbs_body: bool = False
    body: ast.Expr | None = None


def _conjuncts(node: ast.Expr) -> list[ast.Expr]:
    if isinstance(node, ast.Binary) and node.op == "and":
        return [*_conjuncts(node.left), *_conjuncts(node.right)]
    return [node]


def _path_of(node: ast.Expr, var: str) -> tuple[str, ...] | None:
    """`x.a.b` as ("a", "b") when it reads entity fields of the variable `x` only."""
    names: list[str] = []
    while isinstance(node, ast.Field):
        if node.obj.ty is None or node.obj.ty.kind is not Kind.ENTITY:
            return None
        names.append(node.name)
        node = node.obj
    if isinstance(node, ast.Name) and node.id == var and node.binding == "var" and names:
        return tuple(reversed(names))
    return None


def plan_join(node: ast.Quantifier | ast.Aggregate) -> Join | None:
    """The join in a quantifier's or aggregate's `where` (or an any/none's body).

    An equality with a value from the enclosing rule (`r.linked_dependency == d.id`)
    is a join and is preferred; one with a constant (`r.status == "open"`) only
    filters, and drives the lookup only when there is nothing better.
    """
    coll = node.coll
    if not (isinstance(coll, ast.Name) and coll.binding == "collection"):
        return None
    where = _conjuncts(node.where) if node.where is not None else []
    options = _equalities(node, where)
    if isinstance(node, ast.Quantifier) and node.kind in ("any", "none"):
        # `any x in C where W: x.k == e and B` holds iff some x has W, x.k == e and B all
        # true: the body's equality can drive the lookup as well as the where's.
        for join in _equalities(node, _conjuncts(node.body)):
            options.append(Join(join.collection, join.path, join.key, _all(where),
                                absorbs_body=True, body=join.residual))
    if not options:
        return None
    correlated = [join for join in options if free_names(join.key)]
    return correlated[0] if correlated else options[0]


def _all(conjuncts: list[ast.Expr]) -> ast.Expr | None:
    """The conjunction of some conditions, or None for none."""
    out: ast.Expr | None = None
    for extra in conjuncts:
        out = extra if out is None else ast.Binary("and", out, extra, span=extra.span, ty=BOOL)
    return out


def _equalities(node: ast.Quantifier | ast.Aggregate, conjuncts: list[ast.Expr]) -> list[Join]:
    """Every way to drive a lookup by one `x.PATH == EXPR` conjunct."""
    assert isinstance(node.coll, ast.Name)
    out = []
    for i, part in enumerate(conjuncts):
        if not (isinstance(part, ast.Compare) and part.op == "=="):
            continue
        kinds = {t.kind for t in (part.left.ty, part.right.ty) if t is not None}
        if kinds & set(_UNORDERED_KINDS):
            continue
        for side, other in ((part.left, part.right), (part.right, part.left)):
            path = _path_of(side, node.var)
            if path is None or node.var in free_names(other):
                continue
            out.append(Join(node.coll.id, path, other, _all(conjuncts[:i] + conjuncts[i + 1:])))
            break
    return out


def _nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _key(value: Any) -> Any:
    # Entities are equal only when they are the same entity; a bool is never equal to 1.
    if isinstance(value, ENTITY_TYPES):
        return ("entity", id(value))
    return ("bool", value) if isinstance(value, bool) else value


def lookup(ctx: RunContext, join: Join) -> Lookup:
    """The candidates of a join for a key value; the index is built once per run."""
    cache_key = (join.collection, join.path)
    found = ctx.indexes.get(cache_key)
    if found is not None:
        return found
    groups: dict[Any, list[Any]] = {}
    attrs = [ATTRIBUTE.get(name, name) for name in join.path]
    for item in getattr(ctx.portfolio, join.collection):
        value: Any = item
        for attr in attrs:
            value = getattr(value, attr, None)
            if value is None:
                break
        if value is None or _nan(value):  # missing, or NaN (equal to nothing)
            continue
        try:
            groups.setdefault(_key(value), []).append(item)
        except TypeError:  # an unhashable value (a list): fall back to a scan
            items = list(getattr(ctx.portfolio, join.collection))
            ctx.indexes[cache_key] = scan = _scan(items, attrs)
            return scan
    empty: list[Any] = []

    def find(key: Any) -> list[Any]:
        if key is MISSING or key is None or _nan(key):
            return empty
        try:
            return groups.get(_key(key), empty)
        except TypeError:
            return empty

    ctx.indexes[cache_key] = find
    return find


def _scan(items: list[Any], attrs: list[str]) -> Lookup:
    def find(key: Any) -> list[Any]:
        out = []
        for item in items:
            value: Any = item
            for attr in attrs:
                value = getattr(value, attr, None)
                if value is None:
                    break
            if value is not None and _key(value) == _key(key):
                out.append(item)
        return out

    return find
