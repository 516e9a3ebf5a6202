"""Indented JSON exactly as `json.dumps(doc, indent=2, ensure_ascii=False, default=str)`
writes it, at orjson's speed (for the SARIF log, whose bytes are a contract).

The standard library's indenting encoder is pure Python: seconds for a large log. orjson
writes the same bytes for strings, booleans, null, containers and integers within 64 bits,
and for every finite float whose repr has no negative exponent; it writes `1e-05` as
`0.00001` and non-finite floats as null, and refuses integers past 64 bits. `plain`
rewrites a value from outside the program (evidence, settings) so that orjson writes
what the standard library would: each such number becomes an `orjson.Fragment` holding
the standard library's text. Where orjson refuses a document (or `plain` a dict whose
keys collide once written), the caller writes it with the standard library: the bytes
never depend on which writer ran.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATETIME
            | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS)
_LOW, _HIGH = -(2**63), 2**64  # the integers orjson writes
_NONE = type(None)


def dumps_bytes(doc: Any) -> bytes:
    """`doc` as the standard library writes it indented by 2, plus a newline, in UTF-8;
    values the program did not make itself must have passed through `plain`. TypeError
    when orjson refuses the document (a string with a lone surrogate, nesting past 255
    levels): the caller then writes it with the standard library."""
    return orjson.dumps(doc, option=_OPTIONS)


def _float(value: float) -> float | orjson.Fragment:
    text = float.__repr__(value)
    if value - value == 0.0 and "e-" not in text:
        return value
    if value != value:
        return orjson.Fragment(b"NaN")
    if value - value != 0.0:
        return orjson.Fragment(b"Infinity" if value > 0 else b"-Infinity")
    return orjson.Fragment(text.encode())


def plain_values(values: dict[str, Any]) -> dict[str, Any]:
    """`plain(values)`, without copying the common dict of strings, small numbers, null."""
    for key, v in values.items():
        t = type(v)
        if t is str or t is bool or t is _NONE:
            continue
        if t is int and _LOW <= v < _HIGH and type(key) is str:
            continue
        if t is float and v - v == 0.0 and "e-" not in float.__repr__(v) and type(key) is str:
            continue
        return plain(values)  # type: ignore[no-any-return]
    return values


def plain(value: Any) -> Any:
    """`value` with every part orjson would write differently from the standard library
    made exact (numbers as Fragments, other objects as their str, as `default=str`)."""
    t = type(value)
    if t is str or t is bool or t is _NONE:
        return value
    if t is int:
        return value if _LOW <= value < _HIGH else orjson.Fragment(int.__repr__(value).encode())
    if t is float:
        return _float(value)
    # The standard library's order of tests, for subclasses too.
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return orjson.Fragment(int.__repr__(value).encode())
    if isinstance(value, float):
        return _float(float(value))
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        out = {_key(k): plain(v) for k, v in value.items()}
        if len(out) != len(value):  # 1 and "1": the standard library writes both
            raise TypeError("keys collide once written")
        return out
    return str(value)


def _key(key: Any) -> str:
    """A dict key as the standard library writes it."""
    if isinstance(key, str):
        return str.__str__(key)
    if isinstance(key, float):
        return json.dumps(float(key))
    if key is True or key is False or key is None:
        return json.dumps(key)
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
