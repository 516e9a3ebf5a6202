"""`matches` patterns: RE2 syntax, matched in time linear in the text (docs/language.md).

RE2 (google-re2) compiles a pattern to an automaton and never backtracks, so no pattern,
however ambiguous (`(a|a)*b`, `(a+)+`), can make a match run away. The checker refuses
what RE2 refuses (with RE2's reason), patterns longer than limits.MAX_PATTERN, and a
counted repetition past limits.MAX_REPEAT: RE2 would silently read an overlong count
such as `a{4294967296}` as literal text, which is never what its author meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import re2

from pmo_rules import limits

_COUNT = re.compile(r"\{(\d+)(?:,(\d*))?\}")


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its complaint to stderr itself
    options.never_capture = True  # `matches` asks only whether there is a match
    return options


def pattern_problem(pattern: str) -> str | None:
    """Why a `matches` pattern is refused, or None when it is fine."""
    if len(pattern) > limits.MAX_PATTERN:
        return (f"the pattern is {len(pattern)} characters long; the limit is "
                f"{limits.MAX_PATTERN}")
    count = _overlong_count(pattern)
    if count is not None:
        return (f"the repetition count {count} is past the limit of {limits.MAX_REPEAT}")
    try:
        _compiled(pattern)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        return f"the pattern does not compile: {text}"
    return None


def pattern_help(pattern: str) -> str:
    """The likely fix for a refused pattern."""
    if "\\Z" in pattern:
        return "write `\\z` (or `$`) for the end of the text: patterns use RE2 syntax"
    if "(?=" in pattern or "(?!" in pattern or "(?<" in pattern.replace("(?<P", ""):
        return "RE2 has no lookaround: match the text itself, or split the test with `and`"
    return ("write an RE2 pattern (Python-like, without backreferences or lookaround) "
            "of at most 500 characters; see docs/language.md")


def matcher(pattern: str) -> Callable[[str], bool]:
    """A test of whether the (checked) pattern matches anywhere in a text."""
    search = _compiled(pattern).search

    def matches(text: str) -> bool:
        # Text from JSON may hold lone surrogates, which strict UTF-8 cannot encode.
        return search(text.encode("utf-8", "surrogatepass")) is not None

    return matches


@cache
def _compiled(pattern: str) -> Any:
    return re2.compile(pattern, _options())


def _overlong_count(pattern: str) -> str | None:
    """The first counted repetition (`{n}`, `{n,}`, `{n,m}`) past the limit, outside
    escapes and character classes."""
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if pattern.startswith("Q", i + 1):  # \Q...\E is literal text
                end = pattern.find("\\E", i + 2)
                i = n if end < 0 else end + 2
            elif pattern.startswith("{", i + 2) and pattern[i + 1:i + 2] in ("p", "P", "x"):
                end = pattern.find("}", i + 3)  # \p{Greek}, \x{263a}
                i = n if end < 0 else end + 1
            else:
                i += 2
            continue
        if ch == "[":
            i = _class_end(pattern, i)
            continue
        if ch == "{":
            found = _COUNT.match(pattern, i)
            if found is not None:
                for digits in found.groups():
                    if digits and (len(digits) > 6 or int(digits) > limits.MAX_REPEAT):
                        return digits
        i += 1
    return None


def _class_end(pattern: str, start: int) -> int:
    """The index just past the character class opening at `start`."""
    i, n = start + 1, len(pattern)
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):  # a `]` first in a class is literal
        i += 1
    while i < n:
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern.startswith("[:", i):  # [[:alpha:]]
            end = pattern.find(":]", i + 2)
            if end >= 0:
                i = end + 2
                continue
        if pattern[i] == "]":
            return i + 1
        i += 1
    return n
