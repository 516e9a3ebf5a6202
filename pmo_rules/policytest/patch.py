"""Apply a case's patch to a base fixture: mappings merge, entity lists merge by id."""

from __future__ import annotations

import copy
from collections.abc import Hashable
from typing import Any

DELETE = "__delete__"


def apply_patch(base: Any, patch: Any) -> Any:
    """A copy of `base` with `patch` merged in.

    Mappings merge key by key; a null value removes the key. A list of mappings
    with `id` merges item by item on `id` (new ids are appended; an item with
    `__delete__: true` removes that entity). Any other value replaces the base's.
    """
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = apply_patch(out[key], value)
            else:
                out[key] = copy.deepcopy(value)
        return out
    if _entity_list(base) and _entity_list(patch):
        out_list = [dict(item) for item in base]
        index = {item["id"]: i for i, item in enumerate(out_list)}
        removed: set[int] = set()
        for item in patch:
            if item["id"] in index:
                position = index[item["id"]]
                if item.get(DELETE):
                    removed.add(position)
                else:
                    out_list[position] = apply_patch(out_list[position], item)
            elif not item.get(DELETE):
                out_list.append(copy.deepcopy(item))
        return [item for i, item in enumerate(out_list) if i not in removed]
    return copy.deepcopy(patch)


def _entity_list(value: Any) -> bool:
    # An id that is a list or a mapping merges nothing: the list replaces the base's, and
    # loading it names the bad id at its place.
    return isinstance(value, list) and bool(value) and all(
        isinstance(item, dict) and "id" in item and isinstance(item["id"], Hashable)
        for item in value)
