"""Values as people read them in findings: money with the portfolio's currency and
thousands separators, ratios as percentages, people and programs by name with the id.

Only the text shown to people changes: evidence `values` in the JSON report keep the
raw values, so tools read numbers and ids as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pmo_rules.engine.runtime import MISSING, display, show
from pmo_rules.language import ast
from pmo_rules.language.types import Kind

Presenter = Callable[[Any], str]


def money(value: Any, currency: str | None) -> str:
    """`EUR 1,250,000` (`EUR 1,250.50` with cents; no code when the portfolio has none)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return display(value)
    if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
        return display(value)
    amount = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{currency} {amount}" if currency else amount


def percent(value: Any) -> str:
    """`20%`, `12.5%`, `110%`: a fraction as a percentage."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return display(value)
    if value != value or value in (float("inf"), float("-inf")):
        return display(value)
    text = f"{value * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def named(value: Any) -> str:
    """A person or program as `Name (ID)`, or its id when it has no name."""
    ident = getattr(value, "id", None)
    name = getattr(value, "name", None)
    if isinstance(ident, str) and isinstance(name, str) and name and name != ident:
        return f"{name} ({ident})"
    return display(value)


@cache
def ratio_fields() -> frozenset[tuple[str, str]]:
    """(entity kind, field) of every field the data model declares a ratio."""
    from pmo_rules.language.schema import kind_of
    from pmo_rules.model import entities

    out = set()
    for value in vars(entities).values():
        if not (isinstance(value, type) and issubclass(value, entities.Entity)):
            continue
        for name, info in value.model_fields.items():
            metadata = list(info.metadata)
            annotation = info.annotation
            if get_origin(annotation) is Annotated:
                metadata += list(get_args(annotation)[1:])
            if any(isinstance(m, entities.Ratio) for m in metadata):
                out.add((kind_of(value), name))
    return frozenset(out)


def presenter(node: ast.Expr, currency: str | None) -> Presenter | None:
    """How to show the values of a checked expression to people, when not as evidence
    shows plain values: None for everything that reads well already."""
    ty = node.ty
    if ty is None:
        return None
    if ty.kind is Kind.MONEY:
        return lambda v: money(v, currency)
    if ty.kind is Kind.NUMBER and isinstance(node, ast.Field):
        owner = node.obj.ty
        if owner is not None and owner.kind is Kind.ENTITY and \
                (owner.name, node.name) in ratio_fields():
            return percent
    if ty.kind is Kind.ENTITY and ty.name in ("person", "program"):
        return named
    return None


def for_evidence(node: ast.Expr, currency: str | None) -> Presenter:
    """The evidence rendering of a node's values: its presenter, else `show`."""
    present = presenter(node, currency)
    if present is None:
        return show

    def shown(value: Any) -> str:
        if value is MISSING or value is None or isinstance(value, str | dt.date):
            return show(value)
        return present(value)

    return shown
