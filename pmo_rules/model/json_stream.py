"""`json.loads` for one large document, turning the items of one array as they are parsed.

A 100k-project portfolio parsed whole is about five times its file size in Python
objects; validated whole, it would exist twice. Here every item of the named array
(`projects`) is handed to a function (the fast validator) the moment it is parsed, so
only one raw project exists at a time. The values are exactly json.loads' own (the
same C scanner parses every value); anything json.loads would refuse is a ValueError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

# The C scanner json.loads itself uses, one value at a time (not in typeshed's stubs).
_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _SPACE(text: str, i: int) -> re.Match[str]:
    """The run of JSON whitespace at `i` (possibly empty: this always matches)."""
    found = _WHITESPACE.match(text, i)
    assert found is not None
    return found


def load_streaming(text: str, key: str, each: Callable[[Any], Any]) -> dict[str, Any]:
    """The JSON object in `text`, the items of its array at `key` each replaced by
    `each(item)`; ValueError where json.loads(text) fails or gives no object."""
    try:
        doc, end = _object(text, _SPACE(text, 0).end(), key, each)
    except StopIteration as stop:  # the scanner's way of saying "no JSON value here"
        raise ValueError(f"invalid JSON at {stop.value}") from None
    if _SPACE(text, end).end() != len(text):
        raise ValueError(f"extra data at {end}")
    return doc


def _object(
    text: str, i: int, key: str, each: Callable[[Any], Any]
) -> tuple[dict[str, Any], int]:
    if text[i:i + 1] != "{":
        raise ValueError(f"expected an object at {i}")
    out: dict[str, Any] = {}
    i = _SPACE(text, i + 1).end()
    if text[i:i + 1] == "}":
        return out, i + 1
    while True:
        if text[i:i + 1] != '"':
            raise ValueError(f"expected a key at {i}")
        name, i = _SCAN(text, i)
        i = _SPACE(text, i).end()
        if text[i:i + 1] != ":":
            raise ValueError(f"expected `:` at {i}")
        i = _SPACE(text, i + 1).end()
        if name == key and text[i:i + 1] == "[":
            value, i = _array(text, i, each)
        else:
            value, i = _SCAN(text, i)
        out[name] = value  # a repeated key: the last wins, as in json.loads
        i = _SPACE(text, i).end()
        mark = text[i:i + 1]
        if mark == "}":
            return out, i + 1
        if mark != ",":
            raise ValueError(f"expected `,` or `}}` at {i}")
        i = _SPACE(text, i + 1).end()


def _array(text: str, i: int, each: Callable[[Any], Any]) -> tuple[list[Any], int]:
    items: list[Any] = []
    append = items.append
    scan, space = _SCAN, _SPACE
    i = space(text, i + 1).end()
    if text[i:i + 1] == "]":
        return items, i + 1
    while True:
        value, i = scan(text, i)
        append(each(value))
        i = space(text, i).end()
        mark = text[i:i + 1]
        if mark == "]":
            return items, i + 1
        if mark != ",":
            raise ValueError(f"expected `,` or `]` at {i}")
        i = space(text, i + 1).end()
