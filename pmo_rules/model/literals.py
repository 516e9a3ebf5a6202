"""Number and duration literals as the policy language writes them, for data and `--param`.

`400k`, `2.5M`, `1_000_000`, `60%` (the number 0.6), `30d`, `2w` (14 days). Portfolio
fields of money, ratio and day-count types accept them as the language does
(docs/data-model.md, "Numbers written the way people write them"); a value that
is almost one (`€400,000`, `60 %`, `3 months`) is refused with the number to write.
"""

from __future__ import annotations

import re

NUMBER = re.compile(r"^(-?\d[\d_]*(?:\.\d+)?)(%|k|M)?$")
DURATION = re.compile(r"^(-?\d+)(d|w)$")
_SCALE = {"k": 1_000, "M": 1_000_000, None: 1}
MAX_DAYS = 999_999_999  # what Python's timedelta can hold
MAX_DIGITS = 30  # beyond any budget or date; also well within Python's int-parsing limit


def scaled(digits: str, unit: str | None) -> int | float:
    """The value of a number literal's digits (without `_`) in its unit (`%`, `k`, `M` or
    None): the one definition the policy language, portfolio data and `--param` share."""
    value: int | float = float(digits) if "." in digits else int(digits)
    if unit == "%":
        return value / 100  # `35%` is 0.35 exactly as a policy writes it (not 35 * 0.01)
    result = value * _SCALE[unit]
    if isinstance(result, float) and result.is_integer() and unit:
        return int(result)
    return result


def number_literal(text: str) -> tuple[int | float, str | None] | None:
    """The value and unit (`%`, `k`, `M` or None) of a number literal, else None."""
    m = NUMBER.match(text.strip())
    if m is None:
        return None
    digits, unit = m.group(1).replace("_", ""), m.group(2)
    if len(digits.lstrip("-")) > MAX_DIGITS:
        return None
    number = scaled(digits, unit)
    if isinstance(number, float) and number.is_integer() and unit != "%":
        number = int(number)  # `2.0` is the whole number 2
    return number, unit


def days_literal(text: str) -> int | None:
    """The number of days a duration literal (`30d`, `2w`, `-5d`) stands for, else None."""
    m = DURATION.match(text.strip())
    if m is None:
        return None
    days = int(m.group(1)[:12]) * (7 if m.group(2) == "w" else 1)
    return days if abs(days) <= MAX_DAYS else None


# --- Near misses: what people write, and the literal to write instead ----------------------

_CURRENCY = re.compile(r"^(?:[€$£¥]|[A-Z]{3}\b)\s*|\s*(?:[€$£¥]|\b[A-Z]{3})$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:[,' ]\d{3})+(?:\.\d+)?")
_SCALE_WORDS = (
    (re.compile(r"^(-?[\d.]+)\s*(?:k|K|thousand)$"), 1_000),
    (re.compile(r"^(-?[\d.]+)\s*(?:m|mn|mio|MM|million|M)$"), 1_000_000),
    (re.compile(r"^(-?[\d.]+)\s*(?:b|bn|B|billion)$"), 1_000_000_000),
)
_PERCENT = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*(?:%|percent|pct)$", re.I)
_DAY_WORDS = re.compile(r"^(-?\d+(?:\.\d+)?)\s*(d|days?|w|wks?|weeks?|m|mo|months?)$", re.I)


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def _compact(number: float) -> str:
    """The shortest language spelling of an amount: 400k, 1.2M, else the digits."""
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if abs(number) >= scale and (number / scale) * 1000 == int((number / scale) * 1000):
            return f"{_plain(number / scale)}{unit}"
    return _plain(number)


def amount_to_write(text: str) -> str | None:
    """For text that is almost an amount (`€400,000`, `1.2m`), the literal to write instead."""
    value = _CURRENCY.sub("", text.strip()).strip()
    if _THOUSANDS.match(value):
        value = re.sub(r"(?<=\d)[,' ](?=\d{3})", "", value)
    for pattern, scale in _SCALE_WORDS:
        m = pattern.match(value)
        if m is not None:
            try:
                return _both(float(m.group(1)) * scale)
            except ValueError:
                return None
    parsed = number_literal(value)
    if parsed is not None and parsed[1] != "%":
        return _both(parsed[0])
    return None


def _both(number: float) -> str:
    plain, compact = _plain(number), _compact(number)
    return f"`{plain}`" if plain == compact else f"`{plain}` (or `{compact}`)"


def ratio_to_write(text: str) -> str | None:
    """For text that is almost a ratio (`60 %`, `0,6`, `60 percent`), the literal to write."""
    value = text.strip()
    m = _PERCENT.match(value)
    if m is not None:
        percent = m.group(1).replace(",", ".")
        return f"`{percent}%` (the number {_plain(float(percent) / 100)})"
    if re.fullmatch(r"-?\d+,\d+", value):
        return f"`{value.replace(',', '.')}`"
    return None


def days_to_write(text: str) -> str | None:
    """For text that is almost a day count (`30 days`, `2 weeks`, `3 months`), what to write."""
    m = _DAY_WORDS.match(text.strip())
    if m is None:
        return None
    count, unit = float(m.group(1)), m.group(2).lower()
    if unit.startswith("m"):
        return f"`{_plain(round(count * 30))}d` if about {_plain(count)} month(s) of 30 days " \
               "is meant (months differ in length, so write days)"
    days = count * (7 if unit.startswith("w") else 1)
    if not days.is_integer():
        return None
    return f"`{_plain(days)}` (or `{_plain(days)}d`)"
