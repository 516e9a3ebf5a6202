"""What the fast path generates, captured, and the check that no policy text is in it."""

from __future__ import annotations

import io
import keyword
import re
import tokenize
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from pmo_rules.engine import fastpath
from pmo_rules.engine.runtime import ATTRIBUTE
from pmo_rules.language import schema

# Names the generator itself writes: its helpers and slots, renamed variables, Python's
# own words; after a dot, the data model's field names (checked by the checker first).
_GENERATED = re.compile(r"^(_[a-z][a-z_]*\d*|_[A-Z]+|v\d+|l\d+|_t\d+|_k\d+)$")
_PYTHON = {"any", "all", "sum", "bool", "isinstance", "str", "getattr", "len", "Exception"}


def _fields() -> set[str]:
    names = {name for fields in schema.entity_table().values() for name in fields}
    return names | set(ATTRIBUTE.values()) | {"append", "get"}


@contextmanager
def generated_sources() -> Iterator[list[str]]:
    """Every source text the fast path compiles inside the block."""
    seen: list[str] = []
    real = fastpath._compile

    def capture(source: str, *args: Any) -> Any:
        seen.append(source)
        return real(source, *args)

    with mock.patch.object(fastpath, "_compile", capture):
        yield seen


def policy_text_in(source: str) -> list[str]:
    """Tokens of a generated source that could only have come from a policy: any number or
    string literal, and any name that is not the generator's own or a model field."""
    fields = _fields()
    found: list[str] = []
    previous = ""
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.NUMBER, tokenize.STRING):
            found.append(tok.string)
        elif tok.type == tokenize.NAME:
            word = tok.string
            ok = (keyword.iskeyword(word) or word in _PYTHON or _GENERATED.match(word)
                  or (previous == "." and word in fields))
            if not ok:
                found.append(word)
        if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            previous = tok.string
    return found
