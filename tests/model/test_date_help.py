"""A date the calendar does not have is told as such, not as a format mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.model.load import load_portfolio


@pytest.mark.parametrize(("written", "help_"), [
    ("2026-04-31", "April 2026 has 30 days: use a day from 01 to 30"),
    ("2027-02-29", "February 2027 has 28 days: use a day from 01 to 28"),
    ("2026-13-01", "2026-13-01 has no month 13: write YYYY-MM-DD, month 01 to 12"),
    ("31/12/2026", "write dates as YYYY-MM-DD, for example 2026-11-30"),
])
def test_impossible_dates_say_why(tmp_path: Path, written: str, help_: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("as_of: 2026-11-30\nprojects:\n"
                    f"  - {{id: P-1, name: One, phase_entered_on: {written}}}\n", encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        load_portfolio(path)
    [diag] = caught.value.diagnostics
    assert (diag.code, diag.span.line if diag.span else None) == ("PMO405", 3)
    assert diag.help == help_
