"""exact_json writes what `json.dumps(indent=2, ensure_ascii=False, default=str)` writes."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.reports import exact_json


def stdlib(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"


def exact(value: Any) -> str:
    try:
        return exact_json.dumps_bytes(exact_json.plain(value)).decode("utf-8")
    except TypeError:  # as render_sarif does: the standard library decides
        return stdlib(value)


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Name(str):
    pass


scalars = st.one_of(
    st.none(), st.booleans(), st.text(), st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(),
    st.floats(min_value=-1e-3, max_value=1e-3), st.floats(min_value=1e14, max_value=1e18),
    st.dates(), st.datetimes(), st.just(Colour.RED), st.just(Level.HIGH), st.just(Name("n")),
)
keys = st.one_of(st.text(max_size=5), st.integers(-3, 3), st.booleans(), st.none(),
                 st.floats(allow_nan=False, min_value=-1e-5, max_value=1e-5))
documents = st.recursive(
    scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.tuples(inner, inner),
                                     st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=400)
@given(documents)
def test_same_bytes_as_the_standard_library(value: Any) -> None:
    assert exact(value) == stdlib(value)


@pytest.mark.parametrize("value", [
    1e-05, 1.5e-07, 5e-324, 1e16, 1e22, -0.0, float("nan"), float("inf"), float("-inf"),
    2**64, -(2**63) - 1, 2**63, {"a": [], "b": {}, "c": [1, {}]}, {1: "a", "1": "b"},
    {1e-5: 1, True: 2, None: 3}, dt.datetime(2026, 1, 2, 3, 4), "\x00\x1f\"\\\u2028\x7f",
    [Level.HIGH, Colour.RED, Name("x")],
])
def test_edges(value: Any) -> None:
    assert exact(value) == stdlib(value)


def test_plain_values_keeps_the_common_dict() -> None:
    values = {"a": 1, "b": "x", "c": None, "d": 0.5, "e": True}
    assert exact_json.plain_values(values) is values
    assert isinstance(exact_json.plain_values({"a": 1e-05})["a"], orjson.Fragment)


def test_orjson_refusals_raise_type_error() -> None:
    with pytest.raises(TypeError):
        exact_json.dumps_bytes({"s": "\ud800"})  # a lone surrogate
