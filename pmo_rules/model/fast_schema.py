"""A second validator for PortfolioFile that never calls Python, for the fast load path.

The models' own validator (entities.py) runs a Python normaliser on every value
that may be written in a shorthand (`health: red`, `depends_on: [P-1]`,
`artifacts: {charter: approved}`); under validate_json each call also turns the
JSON value into Python objects first, and that dominated loading. This
validator is derived from the models' core schema, with four differences:

- a shorthand value is accepted as it is written (a string for `health`, for a
  `depends_on` or `objectives` entry, or for a keyed map's item; a keyed map's
  record may omit its key), and `fast_resolve` expands it afterwards exactly as
  the normaliser would have;
- the list form of a keyed map (`artifacts: [{type: charter}]`) still goes
  through the normaliser: it is rare and needs the duplicate check;
- an unknown key anywhere fails validation (the models keep it under `custom`
  with a warning), so a document this validator accepts has no extras at all;
- a money, ratio or day-count value is validated as a plain number first, and
  only a value that fails goes to the unit's literal reader (`400k`, `60%`);
- a free-form mapping (`custom`, `pmo.policy`) nesting close to the documented
  depth limit fails validation, so the exact path measures and reports it.

A document it rejects is validated again by the models' own validator, which
reports the problems: diagnostics never come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from pydantic_core import PydanticCustomError, SchemaValidator, core_schema

from pmo_rules.limits import MAX_DATA_DEPTH
from pmo_rules.model.entities import PortfolioFile, Unit


def _no_extras(value: Any) -> Any:
    raise PydanticCustomError("extra_key", "unknown key")


_NO_EXTRAS = core_schema.no_info_plain_validator_function(_no_extras)
# Levels a free-form mapping may take here: the models' own nesting above it is at most
# eight, so what passes is well inside MAX_DATA_DEPTH; what does not goes to the exact path.
_FREE_DEPTH = MAX_DATA_DEPTH - 16


def _shallow(value: Any) -> Any:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > _FREE_DEPTH:
            raise PydanticCustomError("too_deep", "nests too deeply")
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return value
_STR = core_schema.str_schema()


def keyed_shorthand(function: Callable[..., Any]) -> tuple[str, str] | None:
    """(key, short field) of a keyed-map normaliser from entities.py, else None."""
    closure = getattr(function, "__closure__", None)
    if closure is None:
        return None
    cells = dict(zip(function.__code__.co_freevars, closure, strict=True))
    if "key" not in cells or "short_field" not in cells:
        return None
    return cells["key"].cell_contents, cells["short_field"].cell_contents


def _without_key(model: dict[str, Any], key: str) -> dict[str, Any]:
    """A model schema like `model` whose `key` field may be missing (it is then None)."""
    variant = {k: v for k, v in model.items() if k != "ref"}
    fields_node = dict(variant["schema"])
    fields = dict(fields_node["fields"])
    field = dict(fields[key])
    field["schema"] = core_schema.with_default_schema(field["schema"], default=None)
    fields[key] = field
    fields_node["fields"] = fields
    variant["schema"] = fields_node
    return variant


def _shorthand(node: dict[str, Any]) -> Any:
    """The replacement of one `function-before` normaliser node."""
    function = node["function"]["function"]
    inner = _derive(node["schema"])
    name = getattr(function, "__name__", "")
    if name == "_policy_literals":  # once per file: not worth a Python-free form
        return {**node, "schema": inner}
    if name == "_health_shorthand":
        return core_schema.union_schema([_STR, inner], mode="left_to_right")
    if name == "_id_shorthand" and inner.get("type") == "list":
        items = core_schema.union_schema([_STR, inner["items_schema"]], mode="left_to_right")
        return {**inner, "items_schema": items}
    keyed = keyed_shorthand(function)
    if keyed is not None and inner.get("type") == "dict":
        values = inner["values_schema"]
        if values.get("type") == "model":
            values = _without_key(values, keyed[0])
        mapping = {**inner, "values_schema": core_schema.union_schema(
            [_STR, values], mode="left_to_right")}
        listed = {**node, "schema": _strip_refs(inner)}
        return core_schema.union_schema([mapping, listed], mode="left_to_right")
    raise TypeError(f"no fast form for the normaliser {function!r}")


def _strip_refs(node: Any) -> Any:
    if isinstance(node, list):
        return [_strip_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: _strip_refs(value) for key, value in node.items() if key != "ref"}


def _derive(node: Any) -> Any:
    """A copy of a core schema node with shorthands left as written and extras refused."""
    if isinstance(node, list):
        return [_derive(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = node.get("type")
    if kind == "function-before" and "schema" in node:
        return _shorthand(node)
    if kind == "function-wrap" and isinstance(
            getattr(node["function"]["function"], "__self__", None), Unit):
        # A unit's literal forms (`400k`): the plain type first, without calling Python,
        # then the wrap, which tries the plain type again and reads the literal.
        inner = _derive(node["schema"])
        return core_schema.union_schema([inner, {**node, "schema": inner}],
                                        mode="left_to_right")
    out = {key: _derive(value) for key, value in node.items() if key != "metadata"}
    if kind == "model-fields":
        out["extras_schema"] = _NO_EXTRAS
    if kind == "dict" and node.get("values_schema", {}).get("type") == "any":
        return core_schema.no_info_after_validator_function(_shallow, out)
    return out


def _model_classes(node: Any, found: set[type]) -> set[type]:
    if isinstance(node, list):
        for item in node:
            _model_classes(item, found)
    elif isinstance(node, dict):
        if node.get("type") == "model":
            found.add(node["cls"])
        for value in node.values():
            _model_classes(value, found)
    return found


@cache
def fast_validator() -> SchemaValidator:
    """The derived validator (built once per process, in a few milliseconds)."""
    schema = _derive(PortfolioFile.__pydantic_core_schema__)
    # pydantic-core reuses a complete model class's own validator in place of the schema
    # given for it; marking the classes incomplete while building makes it use ours.
    classes = _model_classes(schema, set())
    for cls in classes:
        type.__setattr__(cls, "__pydantic_complete__", False)
    try:
        # Keys repeat in every record and are worth caching; values (ids, names) mostly not.
        return SchemaValidator(schema, {"cache_strings": "keys"})
    finally:
        for cls in classes:
            type.__setattr__(cls, "__pydantic_complete__", True)
