"""Straight-line reference resolvers for the fast load path, one per record class.

fast_resolve.py replaces the ids a record holds (and the records nested in it hold)
by the entities they name. Done generically, one loop over a field plan per nested
record, that is 3 million `getattr` calls at 100k projects. Here the same plan
(`Plan`, derived from the models by fast_resolve.py) is written out once per process as
a Python function with one plain attribute read per field, compiled, and bound to the
run's id tables: the work of the generic loop, at a third of its cost.

A walker raises `Unresolved` at the first id missing from its table; it does nothing
else the generic plan would not do (tests/model/test_fast_path.py compares the results
with the exact path's field by field).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

# Per record class: its reference fields (name, kind, is a list) and its nested fields
# that hold references somewhere (name, form "one" / "list" / "dict", the nested plan).
Plan = tuple[tuple[tuple[str, str, bool], ...], tuple[tuple[str, str, Any], ...]]
Walker = Callable[[Any], None]


class Unresolved(Exception):
    """An id its table does not hold (or a reference the tables cannot look up)."""


def walker(plan: Plan, tables: dict[str, dict[str, Any]]) -> Walker:
    """The function resolving, in place, a record of this plan against `tables`.

    A kind with no table (yet) resolves nothing: a record naming one is Unresolved,
    and the exact path, which knows every kind, loads the document instead."""
    source, kinds = _source(plan)
    walk: Walker = compiled(source)(Unresolved, *(tables.get(kind, {}) for kind in kinds))
    return walk


@cache
def compiled(source: str) -> Callable[..., Any]:
    """The function `factory` that `source` defines (compiled once per process)."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "<pmo_rules.model.ref_walkers>", "exec"), namespace)
    factory: Callable[..., Any] = namespace["factory"]
    return factory


@cache
def _source(plan: Plan) -> tuple[str, tuple[str, ...]]:
    """The factory's source and the kinds of table it takes, in order."""
    kinds: list[str] = []
    body: list[str] = []
    _emit(plan, "o", 2, body, kinds, [0])
    params = ", ".join(f"t_{kind}" for kind in kinds)
    lines = [f"def factory(Unresolved{', ' if params else ''}{params}):",
             "    def walk(o):",
             "        try:",
             *(body or ["            pass"]),
             "        except (KeyError, TypeError):",  # an unknown or unhashable id
             "            raise Unresolved from None",
             "    return walk"]
    return "\n".join(lines) + "\n", tuple(kinds)


def _emit(plan: Plan, var: str, depth: int, out: list[str], kinds: list[str],
          counter: list[int]) -> None:
    """The statements resolving record `var` (and what it nests), indented `depth` + 1."""
    pad = "    " * (depth + 1)
    refs, nested = plan
    for name, kind, is_list in refs:
        if kind not in kinds:
            kinds.append(kind)
        table = f"t_{kind}"
        counter[0] += 1
        v = f"v{counter[0]}"
        out.append(f"{pad}{v} = {var}.{name}")
        if is_list:  # an empty list stays the shared empty one
            out.append(f"{pad}if {v}:")
            out.append(f"{pad}    {var}.{name} = [{table}[x] for x in {v}]")
        else:
            out.append(f"{pad}if {v} is not None:")
            out.append(f"{pad}    {var}.{name} = {table}[{v}]")
    for name, form, child in nested:
        counter[0] += 1
        v = f"v{counter[0]}"
        out.append(f"{pad}{v} = {var}.{name}")
        out.append(f"{pad}if {v}:")  # None, or an empty list or map
        if form == "one":
            _emit(child, v, depth + 1, out, kinds, counter)
            continue
        item = f"i{counter[0]}"
        items = f"{v}.values()" if form == "dict" else v
        out.append(f"{pad}    for {item} in {items}:")
        _emit(child, item, depth + 2, out, kinds, counter)
