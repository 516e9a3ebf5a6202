"""Guesses at identifiers: close after their shared prefix, or none at all."""

from __future__ import annotations

import pytest

from pmo_rules.diagnostics import did_you_mean_id

PEOPLE = ["PER-COO", "PER-CFO", "PER-PM1", "PER-SPONSOR"]


@pytest.mark.parametrize(("word", "guess"), [
    ("PER-NOBODY", None),          # shares only `PER-`: naming PER-COO would be a wrong approver
    ("PER-CF0", "PER-CFO"),        # a slip of one character
    ("per-coo", "PER-COO"),        # case
    ("PRE-COO", "PER-COO"),        # transposed in the prefix
    ("PER-SPONSER", "PER-SPONSOR"),
    ("PER-COO", "PER-COO"),
])
def test_guesses(word: str, guess: str | None) -> None:
    assert did_you_mean_id(word, PEOPLE) == guess
