"""`json.loads` for one large document, turning the items of one array as they are parsed.

A 100k-project portfolio parsed whole is about five times its file size in Python
objects; validated whole, it would exist twice. Here every item of the named array
(`projects`) is handed to a function (the fast validator) the moment it is parsed, so
only one raw project exists at a time. The values are exactly json.loads' own (the
same C scanner parses every value); anything json.loads would refuse is a ValueError.

Repeated keys and overlong integers must not pass unnoticed (the exact path reports
them), yet looking for them with Python hooks on every object and integer costs a
third of the parse. So the C scanner parses without hooks, and each top-level value
and array item is checked as a whole instead, by counting. Let T be the number of
`:` in its text plus the number of `\\u003` escapes (every escaped `:` is one, and
others are counted too), and D the number of `:` in orjson's serialisation of the
parsed value. Every `:` of D is a key's separator or a character of a kept string,
so comes from a literal `:` or an escape counted in T; a key dropped as a repeat
takes at least its own separator out of D. So D <= T always, and D == T only if
no key was dropped. orjson also refuses integers beyond 64 bits, where the overlong
ones are. Only a value failing the count (rare: an escape, a repeat, a big integer)
is decoded again by the caller's strict decoder, which looks at every key and
integer and raises ValueError where it finds one that needs reporting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import orjson

Scan = Callable[[str, int], tuple[Any, int]]
Strict = Callable[[str], Any]
_WHITESPACE = re.compile(r"[ \t\n\r]*")


_DEFAULT = json.JSONDecoder()


def _SPACE(text: str, i: int) -> re.Match[str]:
    """The run of JSON whitespace at `i` (possibly empty: this always matches)."""
    found = _WHITESPACE.match(text, i)
    assert found is not None
    return found


def load_streaming(
    text: str, key: str, each: Callable[[Any], Any], strict: Strict | None = None
) -> dict[str, Any]:
    """`json.loads(text)` for an object, the items of its array at `key` each replaced by
    `each(item)`; ValueError where decoding fails or gives no object.

    With `strict` (a decoder of one value's text raising ValueError at a repeated key or
    an overlong integer), a repeated key is a ValueError too, at any depth, instead of
    the last value winning as in json.loads.
    """
    # The decoder's own C scanner, one value at a time (not in typeshed's stubs).
    scan: Scan = _DEFAULT.scan_once  # type: ignore[attr-defined]
    if strict is not None:
        scan = _checked(scan, strict)
    try:
        doc, end = _object(text, _SPACE(text, 0).end(), key, each, scan, strict is not None)
    except StopIteration as stop:  # the scanner's way of saying "no JSON value here"
        raise ValueError(f"invalid JSON at {stop.value}") from None
    if _SPACE(text, end).end() != len(text):
        raise ValueError(f"extra data at {end}")
    return doc


def _checked(scan: Scan, strict: Strict) -> Scan:
    """`scan`, each value it parses checked for a dropped key or a long integer."""
    dumps, encode_error = orjson.dumps, orjson.JSONEncodeError

    def scan_checked(text: str, i: int) -> tuple[Any, int]:
        value, end = scan(text, i)
        written = text.count(":", i, end)
        if text.find("\\", i, end) != -1:  # escapes are rare: look for them only here
            written += text.count("\\u003", i, end)
        try:
            same = dumps(value).count(b":") == written
        except encode_error:  # beyond 64 bits, a lone surrogate, too deep
            same = False
        return (value if same else strict(text[i:end])), end

    return scan_checked


def _object(
    text: str, i: int, key: str, each: Callable[[Any], Any], scan: Scan, unique: bool
) -> tuple[dict[str, Any], int]:
    if text[i:i + 1] != "{":
        raise ValueError(f"expected an object at {i}")
    pairs: list[tuple[str, Any]] = []
    i = _SPACE(text, i + 1).end()
    if text[i:i + 1] == "}":
        return {}, i + 1
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
            out = dict(pairs)  # a repeated key: the last wins, as in json.loads
            if unique and len(out) != len(pairs):
                raise ValueError("a key is repeated")
            return out, i + 1
        if mark != ",":
            raise ValueError(f"expected `,` or `}}` at {i}")
        i = _SPACE(text, i + 1).end()


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
