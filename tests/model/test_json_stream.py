"""The streaming reader with a strict decoder: a repeated key or an overlong integer
anywhere is a ValueError, exactly where the strict decoder of the whole text flags one;
otherwise the values are json.loads' own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.limits import MAX_DIGITS
from pmo_rules.model.json_stream import load_streaming
from pmo_rules.model.parse import strict_decoder


def _strict() -> Any:
    decoder, flags = strict_decoder()

    def strict(span: str) -> Any:
        value = decoder.decode(span)
        if flags:
            raise ValueError("flagged")
        return value

    return strict


def _flagged(text: str) -> bool:
    decoder, flags = strict_decoder()
    decoder.decode(text)
    return bool(flags)


# Keys and strings that collide, hold colons, or spell a colon as an escape.
_KEYS = st.sampled_from(['"a"', '"b"', '"a:b"', '"\\u003a"', '"\\u0061"', '":"'])
_SCALARS = st.one_of(
    st.integers(min_value=-10 ** (MAX_DIGITS + 3), max_value=10 ** (MAX_DIGITS + 3)).map(str),
    st.sampled_from(['"x:y"', '"\\u003a"', '"\\ud800"', "1e400", "-0.0", "true", "null",
                     "NaN", '"é"']),
    st.text(alphabet="a:{}\"\\", max_size=4).map(json.dumps),
)
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
    st.lists(st.tuples(_KEYS, inner), max_size=3).map(
        lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")),
    max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(items=st.lists(_VALUES, max_size=4), others=st.lists(st.tuples(_KEYS, _VALUES),
                                                            max_size=3))
def test_strict_streaming_refuses_exactly_what_the_strict_decoder_flags(
        items: list[str], others: list[tuple[str, str]]) -> None:
    text = "{" + ", ".join([f'"projects": [{", ".join(items)}]'] +
                           [f"{k}: {v}" for k, v in others]) + "}"
    names = ["projects"] + [json.loads(k) for k, _ in others]
    repeated = len(set(names)) != len(names)
    if _flagged(text) or repeated:
        with pytest.raises(ValueError):
            load_streaming(text, "projects", lambda v: v, _strict())
    else:
        found = load_streaming(text, "projects", lambda v: v, _strict())
        assert repr(found) == repr(json.loads(text))


@pytest.mark.parametrize("text", [
    '{"projects": [{"id": "P", "budget": {"approved": 1, "approved": 2}}]}',
    '{"projects": [], "as_of": "2026-11-26", "as_of": "2026-11-27"}',
    '{"people": [{"id": "U", "custom": {"k": {"x": 1, "x": 1}}}], "projects": []}',
    '{"projects": [{"id": "P", "custom": {"n": ' + "9" * (MAX_DIGITS + 1) + '}}]}',
])
def test_a_repeated_key_or_a_long_number_anywhere_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        load_streaming(text, "projects", lambda v: v, _strict())
    assert load_streaming(text, "projects", lambda v: v) == json.loads(text)


def test_colons_inside_text_and_escapes_are_not_repeats() -> None:
    text = ('{"projects": [{"id": "P:1", "custom": {"url": "https://x", "\\u003a": "a\\u003a",'
            ' "n": ' + "9" * MAX_DIGITS + '}}], "pmo": {"id": "a:b:c"}}')
    assert load_streaming(text, "projects", lambda v: v, _strict()) == json.loads(text)
