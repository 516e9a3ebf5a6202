"""Random and mutated policy text never yields anything but diagnostics."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.language.checker import check_policies
from pmo_rules.language.parser import parse_text

from .helpers import CASES, registry

SEED = (CASES / "constructs.pmo").read_text("utf-8")
ALPHABET = st.sampled_from([*'abp.(){}[]"=<>!+-*/:,#\n 0123456789%dw',
    "require ", "rule ", "policy ", "for ", " in ", "where ", "all ", "count(", "message ",
    '"{', "}", "2026-01-01", "exists", "matches ", "override ", "param ", "define "])


def _run(text: str) -> None:
    try:
        check_policies([parse_text(text, "f.pmo")], registry())
    except DiagnosticError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.code.startswith("PMO") and d.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_random_text(text: str) -> None:
    _run(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(SEED) - 1), st.integers(0, 30), ALPHABET)
def test_mutated_policy(at: int, cut: int, insert: str) -> None:
    _run(SEED[:at] + insert + SEED[at + cut:])
