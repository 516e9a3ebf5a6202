"""A file with bad values and bad references reports both kinds at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.model.load import load_portfolio

DOC = """as_of: 2026-11-26
programs: [{id: PG-CORE, name: Core}]
projects:
  - id: P-1
    name: One
    program: PG-CROE
    schedule: {baseline_finish: 2026-13-45}
  - id: P-2
    name: Two
    depends_on: [P-999]
    status: actve
"""


def test_value_and_reference_problems_come_together(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(DOC, encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(path)
    found = [(d.code, d.span.line if d.span else 0) for d in info.value.diagnostics]
    assert found == [("PMO407", 6), ("PMO405", 7), ("PMO407", 10), ("PMO404", 11)]
    assert "did you mean `PG-CORE`?" in str(info.value)


def test_a_missing_required_field_still_reports_itself(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("as_of: 2026-11-26\nprojects:\n  - id: P-1\n    program: NOPE\n",
                    encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(path)
    assert [d.code for d in info.value.diagnostics] == ["PMO403"]  # name missing; no guesses
