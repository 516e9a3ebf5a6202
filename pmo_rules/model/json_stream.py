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

Scan = Callable[[str, int], tuple[Any, int]]
_WHITESPACE = re.compile(r"[ \t\n\r]*")


_DEFAULT = json.JSONDecoder()


def _SPACE(text: str, i: int) -> re.Match[str]:
    """The run of JSON whitespace at `i` (possibly empty: this always matches)."""
    found = _WHITESPACE.match(text, i)
    assert found is not None
    return found


def load_streaming(
    text: str, key: str, each: Callable[[Any], Any], decoder: json.JSONDecoder | None = None
) -> dict[str, Any]:
    """`decoder.decode(text)` (json.loads by default) for an object, the items of its
    array at `key` each replaced by `each(item)`; ValueError where decoding fails or gives
    no object."""
    # The decoder's own C scanner, one value at a time (not in typeshed's stubs).
    scan: Scan = (decoder or _DEFAULT).scan_once  # type: ignore[attr-defined]
    try:
        doc, end = _object(text, _SPACE(text, 0).end(), key, each, scan)
    except StopIteration as stop:  # the scanner's way of saying "no JSON value here"
        raise ValueError(f"invalid JSON at {stop.value}") from None
    if _SPACE(text, end).end() != len(text):
        raise ValueError(f"extra data at {end}")
    return doc


def _object(
    text: str, i: int, key: str, each: Callable[[Any], Any], scan: Scan
) -> tuple[dict[str, Any], int]:
    if text[i:i + 1] != "{":
        raise ValueError(f"expected an object at {i}")
    pairs: list[tuple[str, Any]] = []
    i = _SPACE(text, i + 1).end()
    if text[i:i + 1] == "}":
        return _made(scan, pairs), i + 1
    while True:
        if text[i:i + 1] != '"':
            raise ValueError(f"expected a key at {i}")
        name, i = scan(text, i)
        i = _SPACE(text, i).end()
        if text[i:i + 1] != ":":
            raise ValueError(f"expected `:` at {i}")
        i = _SPACE(text, i + 1).end()
        if name == key and text[i:i + 1] == "[":
            value, i = _array(text, i, each, scan)
        else:
            value, i = scan(text, i)
        pairs.append((name, value))
        i = _SPACE(text, i).end()
        mark = text[i:i + 1]
        if mark == "}":
            return _made(scan, pairs), i + 1
        if mark != ",":
            raise ValueError(f"expected `,` or `}}` at {i}")
        i = _SPACE(text, i + 1).end()


def _made(scan: Scan, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of these pairs, as the decoder makes every object (its hooks included)."""
    pairs_hook = getattr(scan, "object_pairs_hook", None)
    if pairs_hook is not None:
        made: dict[str, Any] = pairs_hook(pairs)
        return made
    out = dict(pairs)  # a repeated key: the last wins, as in json.loads
    hook = getattr(scan, "object_hook", None)
    return out if hook is None else hook(out)


def _array(
    text: str, i: int, each: Callable[[Any], Any], scan: Scan
) -> tuple[list[Any], int]:
    items: list[Any] = []
    append = items.append
    space = _SPACE
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
