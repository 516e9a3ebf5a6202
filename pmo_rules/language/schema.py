"""The field table the checker reads, derived from the pydantic models of the portfolio.

Derived, not copied: a field added to pmo_rules/model/entities.py flows through.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from pmo_rules.language.lifecycle_types import field_types as lifecycle_field_types
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
    entity,
    enum,
    list_of,
    map_of,
)
from pmo_rules.model import entities as model

# A dependency end is a project or a milestone: its type offers the fields both share.
NODE = "node"

# Special cases the resolver creates after load (DATA-MODEL.md, LANGUAGE.md).
_OVERRIDES: dict[tuple[str, str], Type] = {
    ("project", "phase"): PHASE,
    ("project", "stage"): STAGE,
    ("issue", "severity"): SEVERITY,
    ("project", "objectives"): list_of(entity("objective")),
    ("project", "objective_links"): list_of(entity("objective_link")),
    ("program", "projects"): list_of(entity("project")),
    ("objective", "projects"): list_of(entity("project")),
}
# Collections spread across projects, readable at top level.
_FLATTENED = ("milestones", "risks", "issues", "allocations")
ENTITIES = ("portfolio", "pmo")


def kind_of(cls: type) -> str:
    """The language's name for a model class: snake_case (`ChangeRequest` -> `change_request`)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def _type_of(annotation: Any) -> Type:
    refs: tuple[str, ...] = ()
    money = False
    if get_origin(annotation) is Annotated:
        base, *meta = get_args(annotation)
        for m in meta:
            if isinstance(m, model.Ref):
                refs = m.kinds
            elif isinstance(m, model.Money):
                money = True
        inner = _type_of(base)
        if refs:
            target = entity(refs[0] if len(refs) == 1 else NODE)
            return list_of(target) if inner.kind is Kind.LIST else target
        return MONEY if money and inner.kind is Kind.NUMBER else inner
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return _type_of(options[0])
        kinds = {_type_of(o) for o in options}
        return kinds.pop() if len(kinds) == 1 else ANY
    if origin is Literal:
        return enum(*(str(v) for v in get_args(annotation)))
    if origin is list:
        return list_of(_type_of(get_args(annotation)[0]))
    if origin is dict:
        return map_of(_type_of(get_args(annotation)[1]))
    if annotation is bool:
        return BOOL
    if annotation in (int, float):
        return NUMBER
    if annotation is str:
        return STRING
    if annotation is dt.date:
        return DATE
    if annotation is dt.timedelta:
        return DURATION
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return entity(kind_of(annotation))
    return ANY


def _models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for value in vars(model).values():
        is_model = isinstance(value, type) and issubclass(value, model.Entity)
        if is_model and value is not model.Entity:
            found[kind_of(value)] = value
    return found


def _fields(cls: type[BaseModel]) -> dict[str, Type]:
    hints = typing.get_type_hints(cls, include_extras=True)
    out: dict[str, Type] = {}
    for name, info in cls.model_fields.items():
        ty = _type_of(hints.get(name, info.annotation))
        # Reference fields keep their own name; others are read by their data name (`from`).
        spelled = name if ty.kind is Kind.ENTITY or info.alias is None else info.alias
        out[spelled] = ty
    for name, member in vars(cls).items():
        if isinstance(member, property) and member.fget is not None:
            returns = typing.get_type_hints(member.fget, vars(model)).get("return", Any)
            out[name] = _type_of(returns)
    return out


@cache
def entity_table() -> Mapping[str, Mapping[str, Type]]:
    """Every entity kind and its fields with their language types."""
    table = {kind: _fields(cls) for kind, cls in _models().items()}
    for (kind, field), ty in _OVERRIDES.items():
        table.setdefault(kind, {})[field] = ty
    table.update(lifecycle_field_types())  # what the lifecycle functions return
    project, milestone = table["project"], table["milestone"]
    table[NODE] = {
        name: (ty if milestone[name] == ty else ANY)
        for name, ty in project.items() if name in milestone
    }
    return table


def field_type(kind: str | None, name: str) -> Type | None:
    """The type of `kind.name`, or None when the kind has no such field."""
    if kind is None:
        return ANY
    fields = entity_table().get(kind)
    if fields is None:
        return ANY
    return fields.get(name)


def field_names(kind: str | None) -> list[str]:
    """The fields of an entity kind, for did-you-mean."""
    return sorted(entity_table().get(kind or "", {}))


@cache
def top_level() -> Mapping[str, Type]:
    """The names a rule can use without declaring them: collections and single entities."""
    file_fields = _fields(model.PortfolioFile)
    names = {n: t for n, t in file_fields.items() if t.kind is Kind.LIST}
    project = entity_table()["project"]
    for name in _FLATTENED:
        names[name] = project[name]
    for name in ENTITIES:
        names[name] = file_fields[name]
    return names
