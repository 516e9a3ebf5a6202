"""A number literal means the same number wherever it is written: in a policy, in portfolio
data and in `--param`. `35%` written in data or given at run time must equal `35%` in a
policy exactly, or `fte: 35%` fails `a.fte <= 35%` and `--param x=35%` "loosens" a
param already at 35%."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pmo_rules import api
from pmo_rules.engine.params import resolve_overrides
from pmo_rules.language import ast
from pmo_rules.language.parser import parse_text
from pmo_rules.model.literals import MAX_DIGITS, number_literal

ROOT = Path(__file__).resolve().parents[2]


def _policy_value(text: str) -> object:
    pf = parse_text(f'policy "a" {{ param x = {text} }}', "a.pmo")
    value = pf.policies[0].params[0].value
    assert isinstance(value, ast.Number)
    return value.value


literal = st.builds(
    lambda whole, fraction, unit: f"{whole}{'.' + fraction if fraction else ''}{unit}",
    st.integers(0, 10**12), st.one_of(st.none(), st.from_regex(r"\A\d{1,4}\Z")),
    st.sampled_from(["", "%", "k", "M"]))


@given(literal)
def test_data_and_params_read_a_literal_as_the_policy_language_does(text: str) -> None:
    parsed = number_literal(text)
    assert parsed is not None
    assert parsed[0] == _policy_value(text)


@pytest.mark.parametrize("n", range(100))
def test_every_whole_percentage_is_exactly_the_policy_value(n: int) -> None:
    parsed = number_literal(f"{n}%")
    assert parsed is not None and parsed[0] == n / 100 == _policy_value(f"{n}%")


def test_long_integers_are_exact_and_too_long_ones_are_not_literals() -> None:
    assert number_literal("12345678901234567890123") == (12345678901234567890123, None)
    assert number_literal("9" * MAX_DIGITS) == (int("9" * MAX_DIGITS), None)
    assert number_literal("9" * (MAX_DIGITS + 1)) is None
    assert number_literal("-" + "9" * MAX_DIGITS) == (-int("9" * MAX_DIGITS), None)


def test_a_param_given_at_the_value_in_effect_does_not_loosen_it(tmp_path: Path) -> None:
    policy = tmp_path / "p.pmo"
    policy.write_text('policy "demo" {\n    param share = 35% tighten down\n'
                      '    rule D-01 "share" {\n        severity low\n'
                      '        for p in projects\n        require p.tier <= share * 10\n'
                      '        message "x"\n    }\n}\n', encoding="utf-8")
    checked = api.load_policies([policy])
    overrides = resolve_overrides({"demo.share": "35%"}, checked)
    assert overrides.values[("demo", "share")] == 0.35


@pytest.mark.parametrize("name", ["p.yaml", "p.json"])
def test_a_ratio_written_as_a_percentage_equals_the_policy_literal(
        tmp_path: Path, name: str) -> None:
    doc = yaml.safe_load((ROOT / "examples" / "portfolio.yaml").read_text(encoding="utf-8"))
    project = next(p for p in doc["projects"] if p.get("allocations"))
    project["allocations"][0]["fte"] = "35%"
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(doc, default=str), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    loaded = api.load_portfolio(path)
    fte = next(a.fte for p in loaded.projects if p.id == project["id"]
               for a in p.allocations)
    assert fte == _policy_value("35%")
