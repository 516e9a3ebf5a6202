"""Data diagnostics: the PMO4xx codes, and pydantic's errors turned into them."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from pmo_rules.diagnostics import Diagnostic, date_help, did_you_mean
from pmo_rules.model.locate import Locator, format_path
from pmo_rules.model.sources import DocPath

FILE_PROBLEM = "PMO400"
SYNTAX = "PMO401"
WRONG_TYPE = "PMO402"
MISSING = "PMO403"
NOT_IN_ENUM = "PMO404"
BAD_DATE = "PMO405"
DUPLICATE_ID = "PMO406"
UNKNOWN_REF = "PMO407"
SELF_DEPENDENCY = "PMO408"
UNKNOWN_PHASE = "PMO409"
UNKNOWN_LIFECYCLE = "PMO410"
NO_AS_OF = "PMO411"
UNKNOWN_KEY = "PMO412"
OWN_MILESTONE = "PMO415"
OUT_OF_RANGE = "PMO413"
DUPLICATE_KEY = "PMO414"

_DATE_ERRORS = frozenset({
    "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type",
    "date_past", "date_future",
})
_RANGE_ERRORS = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})
# Parts of a pydantic error location that name a union member, not a key of the data.
_TAGS = frozenset({"str", "int", "float", "bool", "date", "none", "list", "dict"})


def short(value: Any) -> str:
    """A value as a user wrote it, cut to a readable length."""
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def clean_loc(document: Any, loc: tuple[Any, ...]) -> DocPath:
    """Drop union tags from a pydantic location and map keyed-list keys back to list indexes."""
    out: list[str | int] = []
    node: Any = document
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict):
            if part in node:
                out.append(part)
                node = node[part]
            elif last or (isinstance(part, str) and "[" not in part and part not in _TAGS):
                out.append(part)
                node = None
        elif isinstance(node, list):
            index = _list_index(node, part)
            if index is not None:
                out.append(index)
                node = node[index]
        elif isinstance(part, str) and "[" not in part and part not in _TAGS and node is not None:
            out.append(part)  # a shorthand (`health: red`) expanded into a record
            node = None
    return tuple(out)


def _list_index(items: list[Any], part: Any) -> int | None:
    if isinstance(part, int):
        return part if 0 <= part < len(items) else None
    if isinstance(part, str) and part.startswith("#") and part[1:].isdigit():
        return int(part[1:])
    for index, item in enumerate(items):
        if isinstance(item, dict) and part in (item.get("id"), item.get("type"), item.get("gate")):
            return index
    return None


def from_validation_error(
    exc: ValidationError, document: Any, locator: Locator
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, with file, line, column and the path of the value."""
    out = []
    for err in exc.errors(include_url=False):
        path = clean_loc(document, tuple(err["loc"]))
        code, message, help_ = _describe(err, path)
        out.append(Diagnostic(
            code, message, locator.span(path, key=code == MISSING), help_,
            path=format_path(path),
        ))
    return out


def _describe(err: Any, path: DocPath) -> tuple[str, str, str]:
    kind: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    name = str(path[-1]) if path else "value"
    if kind == "missing":
        return (MISSING, f"missing required field `{name}`", f"add `{name}:` here")
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        guess = did_you_mean(str(value), allowed) if isinstance(value, str) else None
        hint = f"did you mean `{guess}`?" if guess else f"use one of: {', '.join(allowed)}"
        return (NOT_IN_ENUM, f"`{short(value)}` is not a valid `{name}`: "
                f"expected one of {', '.join(allowed)}", hint)
    if kind in _DATE_ERRORS:
        return (BAD_DATE, f"`{short(value)}` is not a date (`{name}` expects one)",
                date_help(value))
    if kind in _RANGE_ERRORS:
        msg = str(err["msg"]).replace("Input should be", "expected")
        return (OUT_OF_RANGE, f"`{short(value)}` is out of range for `{name}`: {msg}",
                "use a value within the documented range")
    if kind == "literal_form":  # a money, ratio or day count the units cannot read
        return (WRONG_TYPE, f"{err['msg']} (`{name}`)", str(ctx["help"]))
    if kind == "duplicate_key":
        return (DUPLICATE_KEY, str(err["msg"]), "merge the two entries or remove one")
    msg = str(err["msg"]).replace("Input should be", "expected")
    return (WRONG_TYPE, f"wrong type for `{name}`: {msg[:1].lower()}{msg[1:]}, "
            f"got `{short(value)}`", "see `pmo-rules schema` for the expected shape")
