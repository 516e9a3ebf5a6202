"""The fast load path's validator: the models' own rules, building records instead of models.

It is derived from the models' core schema (entities.py), so every type, enum, range,
alias and shorthand normaliser is the models' own; five things differ:

- where a model would be built, pydantic-core builds the model's record
  (records.py) in place: slots set from Rust, no model, no fields-set;
- lists and maps the input leaves out are the shared read-only empties, and a
  nested record left out (`budget`, `evm`...) is a new record holding its fields'
  defaults exactly as the model's default would (records.py, `blank_maker`);
- an unknown key anywhere fails validation (the models keep it under `custom`
  with a warning), so a document this validator accepts has no extras at all;
- a money, ratio or day-count value is validated as a plain number first, and
  only a value that fails goes to the unit's literal reader (`400k`, `60%`);
- a free-form mapping (`custom`, `pmo.policy`) nesting close to the documented
  depth limit fails validation, so the exact path measures and reports it;
- the text of a field naming a category (`phase`, an artifact's `status`, a map's
  keys: `_CATEGORIES`) is interned, and so is every date, so the 100k projects of a
  portfolio share a few thousand strings and dates instead of holding millions of
  equal copies (a fifth to a third of a loaded portfolio's bytes). Both are
  immutable, so sharing them changes no value.

A document it rejects is validated again by the models' own validator, which reports
the problems: diagnostics never come from here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic_core import PydanticCustomError, SchemaValidator, core_schema

from pmo_rules.limits import MAX_DATA_DEPTH
from pmo_rules.model import entities
from pmo_rules.model.records import EMPTY_DICT, EMPTY_LIST, blank_maker, record_class

# Levels a free-form mapping may take here: the models' own nesting above it is at most
# eight, so what passes is well inside MAX_DATA_DEPTH; what does not goes to the exact path.
_FREE_DEPTH = MAX_DATA_DEPTH - 16
# Fields whose text names one of a few categories, on any model: their values (and the
# keys of the keyed maps `artifacts` and `gates`) are interned. Ids, names and free text
# are not: interning a value that is never repeated only costs.
_CATEGORIES = frozenset({
    "artifacts", "gates", "type", "status", "phase", "lifecycle", "default_lifecycle",
    "gate", "org_unit", "unit", "role", "version", "template_version", "tags",
    "certifications",
})


class _Dates(dict[Any, Any]):
    """Each date validated, keyed by itself: `_same_date` below gives the first equal date
    met. A repeat is a dictionary look-up in C; only a new date calls `__missing__`. A
    real portfolio holds a few thousand distinct dates; a table grown to `_MAX_DATES`
    starts again empty, so endless distinct dates cannot grow it and later loads in
    the same process still share theirs."""

    def __missing__(self, value: Any) -> Any:
        if len(self) >= _MAX_DATES:
            self.clear()
        self[value] = value
        return value


_MAX_DATES = 1 << 14
_same_date = _Dates().__getitem__


def _shallow(value: Any) -> Any:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > _FREE_DEPTH:
            raise PydanticCustomError("too_deep", "nests too deeply")
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return value


def keyed_shorthand(function: Callable[..., Any]) -> tuple[str, str] | None:
    """(key, short field) of a keyed-map normaliser from entities.py, else None."""
    closure = getattr(function, "__closure__", None)
    if closure is None:
        return None
    cells = dict(zip(function.__code__.co_freevars, closure, strict=True))
    if "key" not in cells or "short_field" not in cells:
        return None
    return cells["key"].cell_contents, cells["short_field"].cell_contents


def _default(node: dict[str, Any]) -> dict[str, Any]:
    """A `default` node whose factory is a list, a map or a nested model: no copy per record."""
    factory = node.get("default_factory")
    if factory is None:
        return node
    out = {k: v for k, v in node.items()
           if k not in ("default_factory", "default_factory_takes_data")}
    if factory is list:
        out["default"] = EMPTY_LIST
    elif factory is dict:
        out["default"] = EMPTY_DICT
    elif isinstance(factory, type) and issubclass(factory, entities.Entity):
        make = blank_maker(factory)  # the record's defaults, as an empty input gives them
        if make is not None:
            out["default_factory"] = make
        else:
            out["default"] = EMPTY_DICT  # validated like an empty input
            out["validate_default"] = True
    else:
        return node
    return out


def _record(node: dict[str, Any]) -> dict[str, Any]:
    """The dataclass node that builds a model node's record."""
    model = node["cls"]
    fields_node = node["schema"]
    if fields_node.get("type") != "model-fields" or fields_node.get("computed_fields"):
        raise TypeError(f"no record form for the schema of {model.__name__}")
    fields = []
    for name, field in fields_node["fields"].items():
        schema = _derive(field["schema"])
        if name in _CATEGORIES:
            schema = _interned(schema)
        item: dict[str, Any] = {"type": "dataclass-field", "name": name, "kw_only": True,
                                "schema": schema}
        if "validation_alias" in field:
            item["validation_alias"] = field["validation_alias"]
        fields.append(item)
    config = {k: v for k, v in (node.get("config") or {}).items()
              if k in ("validate_by_alias", "validate_by_name", "str_strip_whitespace",
                       "str_to_lower", "str_to_upper", "strict", "coerce_numbers_to_str",
                       "ser_json_timedelta", "allow_inf_nan")}
    out: dict[str, Any] = {
        "type": "dataclass", "cls": record_class(model), "fields": [f["name"] for f in fields],
        "slots": True, "config": config,
        "schema": {"type": "dataclass-args", "dataclass_name": model.__name__,
                   "fields": fields, "extra_behavior": "forbid"},
    }
    if "ref" in node:
        out["ref"] = node["ref"]
    return out


def _derive(node: Any) -> Any:
    """A copy of a core schema node building records, with shared empties, refusing extras."""
    if isinstance(node, list):
        return [_derive(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "model":
        return _record(node)
    if kind in ("function-after", "function-wrap", "function-plain") and \
            _model_inside(node.get("schema")):
        # A model-level validator would receive a record it was not written for.
        raise TypeError("no record form for a validator around a whole model")
    if kind == "function-wrap" and isinstance(
            getattr(node["function"]["function"], "__self__", None), entities.Unit):
        # A unit's literal forms (`400k`): the plain type first, without calling Python,
        # then the wrap, which tries the plain type again and reads the literal.
        inner = _derive(node["schema"])
        return {"type": "union", "mode": "left_to_right",
                "choices": [inner, {**node, "schema": inner}]}
    out = {key: _derive(value) for key, value in node.items() if key != "metadata"}
    if kind == "date":
        return {"type": "function-after", "schema": out,
                "function": {"type": "no-info", "function": _same_date}}
    if kind == "default":
        out = _default(out)
    if kind == "dict" and node.get("values_schema", {}).get("type") == "any":
        return core_schema.no_info_after_validator_function(_shallow, out)
    return out


def _interned(node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its own text values (list items and map keys too, not the records or
    the free-form values it holds) passed through sys.intern, a C call from Rust."""
    kind = node.get("type")
    if kind == "str":
        return {"type": "function-after", "schema": node,
                "function": {"type": "no-info", "function": sys.intern}}
    if kind == "dict":
        return {**node, "keys_schema": _interned(node.get("keys_schema", {}))}
    if kind == "list":
        return {**node, "items_schema": _interned(node.get("items_schema", {}))}
    if kind in ("default", "nullable", "function-before", "function-after"):
        return {**node, "schema": _interned(node["schema"])}
    if kind == "union":
        return {**node, "choices": [_interned(c) if isinstance(c, dict) else c
                                    for c in node["choices"]]}
    return node


def _model_inside(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") in ("model", "definition-ref")


@cache
def _schema(model: type[entities.Entity]) -> Any:
    return _derive(model.__pydantic_core_schema__)


@cache
def fast_validator() -> SchemaValidator:
    """The whole document (a PortfolioFile record), built once per process."""
    # Keys repeat in every record and are worth caching; values (ids, names) mostly not.
    return SchemaValidator(_schema(entities.PortfolioFile), {"cache_strings": "keys"})


@cache
def project_validator() -> SchemaValidator:
    """One project: a large document is validated project by project, each raw project
    dropped as its record is made, so the two never both exist whole."""
    return SchemaValidator(_schema(entities.Project), {"cache_strings": "keys"})


@cache
def top_validator() -> SchemaValidator:
    """The document without its projects (validated one by one with `project_validator`)."""
    schema = _schema(entities.PortfolioFile)
    root = schema["schema"] if schema.get("type") == "definitions" else schema
    args = root["schema"]
    fields = [dict(f) for f in args["fields"]]
    for field in fields:
        if field["name"] == "projects":
            field["schema"] = {"type": "default", "default": EMPTY_LIST,
                               "schema": {"type": "list", "items_schema": {"type": "any"}}}
    top = {**root, "schema": {**args, "fields": fields}}
    if schema.get("type") == "definitions":
        top = {**schema, "schema": top}
    return SchemaValidator(top, {"cache_strings": "keys"})
