"""A project linked with its own milestone loads, with a warning (PMO415)."""

from __future__ import annotations

from pathlib import Path

from pmo_rules.model.load import load_portfolio

DOC = """as_of: 2026-11-26
projects:
  - id: P1
    name: One
    milestones: [{id: M1, forecast: 2026-12-01}, {id: M2, forecast: 2027-01-01}]
dependencies:
  - {predecessor: M1, successor: P1}
  - {predecessor: M1, successor: M2}
"""


def test_a_project_linked_with_its_own_milestone_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(DOC, encoding="utf-8")
    loaded = load_portfolio(path)
    (warning,) = loaded.warnings
    assert (warning.code, warning.level, warning.path) == ("PMO415", "warning", "dependencies[0]")
    assert warning.span is not None and warning.span.line == 7
    assert len(loaded.dependencies) == 2  # kept: M1 -> M2 is ordinary sequencing
