"""Static facts about checked expressions, read by every part of the engine that plans.

The closure compiler (compiler.py), the fast path (fastpath.py), the join planner
(joins.py) and the evidence builder (evidence.py) all ask the same two questions of a
checked tree; the answers live here, below all of them, so none imports another for it.
"""

from __future__ import annotations

from typing import get_args

from pmo_rules.language import ast
from pmo_rules.language.types import Kind

_EXPR_TYPES: tuple[type, ...] = get_args(ast.Expr)


def loose(*nodes: ast.Expr) -> bool:
    """Whether an operand's type is known only at run time (custom data, `pmo.policy`,
    untyped plugin values): its operator then checks the kinds it is given."""
    return any((n.ty.kind if n.ty is not None else None) in (Kind.ANY, None)
               for n in nodes)


def free_names(node: object) -> set[str]:
    """Names bound per subject (variables, lets, define arguments) that an expression reads."""
    found: set[str] = set()
    _walk_names(node, found, frozenset())
    return found


def _walk_names(node: object, found: set[str], bound: frozenset[str]) -> None:
    if isinstance(node, ast.Name):
        if node.binding in ("var", "let", "define_arg") and node.id not in bound:
            found.add(node.id)
        return
    if isinstance(node, ast.Quantifier | ast.Aggregate):
        _walk_names(node.coll, found, bound)
        inner = bound | {node.var}
        if node.where is not None:
            _walk_names(node.where, found, inner)
        if node.body is not None:
            _walk_names(node.body, found, inner)
        return
    if isinstance(node, ast.Call):
        for arg in node.args:
            _walk_names(arg, found, bound)
        for _, arg in node.kwargs:
            _walk_names(arg, found, bound)
        return  # an inlined define body only sees its own arguments
    if isinstance(node, tuple):
        for item in node:
            _walk_names(item, found, bound)
        return
    for attr in getattr(node, "__slots__", ()):
        if attr in ("span", "ty", "binding", "policy", "kind", "inlined"):
            continue
        child = getattr(node, attr, None)
        if isinstance(child, (tuple, *_EXPR_TYPES)):
            _walk_names(child, found, bound)


__all__ = ["free_names", "loose"]
