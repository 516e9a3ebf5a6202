"""Reading one source value into our model's types, or saying exactly why not.

Every reader returns the value, or a `Bad` with the reason; none guesses. Blank
cells are `None` (absent), never zero.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bad:
    """A value that cannot be read as asked, and why (for the import report)."""

    reason: str


BLANK = frozenset({"", "-", "--", "—"})
# Placeholders that look like data but say "no value": refused and reported, never read.
PLACEHOLDERS = frozenset({"na", "n/a", "#n/a", "n.a.", "tbc", "tbd", "#value!", "#ref!",
                          "#div/0!", "#name?", "null", "none", "nil", "unknown"})

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                  r"(?:Z|[+-]\d{2}:?\d{2})?$")
DEFAULT_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S")


def clean(raw: object) -> str | None:
    """The cell's text without Excel's `_x000D_` escapes and surrounding space; blank is None."""
    if raw is None:
        return None
    text = str(raw).replace("_x000D_", "").replace("\r", "").strip()
    return None if text in BLANK else text


def placeholder(text: str) -> Bad | None:
    """A `#N/A`, `NA`, `TBC`-like placeholder is refused as such."""
    if text.lower() in PLACEHOLDERS:
        return Bad(f"`{text}` is a placeholder, not a value")
    return None


def parse_date(raw: object, formats: Sequence[str] = DEFAULT_DATE_FORMATS) -> dt.date | Bad | None:
    """An ISO date or date-time (`2024-03-31`, `2017-11-01 00:00:00`), or one of `formats`."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = clean(raw)
    if text is None:
        return None
    if len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[10:11] in ("", "T", " "):
        try:
            return dt.date(int(text[:4]), int(text[5:7]), int(text[8:10]))
        except ValueError:
            pass
    match = _ISO.match(text)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return Bad("not a calendar date")
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return placeholder(text) or Bad(
        "not a date (expected YYYY-MM-DD" + (", " + ", ".join(formats) if formats else "") + ")")


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_CURRENCY = "£$€¥"


def parse_number(raw: object, *, percent: bool = False) -> float | Bad | None:
    """A plain number: `1234`, `1,234.56`, `-47`, `(12.5)`; with `percent`, a trailing `%` too.

    Currency symbols are accepted in front (`£1,234.56`); anything else is refused.
    """
    if isinstance(raw, bool):
        return Bad("a true/false value, not a number")
    if isinstance(raw, int | float):
        return float(raw)
    text = clean(raw)
    if text is None:
        return None
    body = text.replace(" ", "")
    negative = body.startswith("(") and body.endswith(")")
    if negative:
        body = body[1:-1]
    if percent and body.endswith("%"):
        body = body[:-1]
    sign = ""
    if body[:1] in "+-" and body[1:2]:
        sign, body = body[0], body[1:]
    body = body.lstrip(_CURRENCY)
    if not body or not _NUMBER.match(body) or body in (".", ","):
        return placeholder(text) or Bad("not a number" + (" or percentage" if percent else ""))
    value = float(sign + body.replace(",", ""))
    return -value if negative else value


def slug(text: str) -> str:
    """A stable id from a name: letters, digits, dots and dashes (`Sizewell C` -> `Sizewell-C`)."""
    out = re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-")
    return out or "x"
