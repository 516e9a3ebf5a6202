"""The mapping file: every problem at once, each with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.importers.mapping_file import load_mapping


def _problems(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    path = tmp_path / "mapping.yaml"
    path.write_text(text)
    with pytest.raises(DiagnosticError) as caught:
        load_mapping(path)
    assert all(d.code == "PMO464" and d.span and d.span.file == str(path)
               for d in caught.value.diagnostics)
    return [(d.span.line, d.message + " | " + (d.help or "")) for d in caught.value.diagnostics
            if d.span]


def test_every_problem_with_its_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, """\
fields:
  RAG: health.overal
  Sponsor: sponsor
valeus:
  status: {}
values:
  health:
    Amber/Green: amber-ish
money_unit: furlongs
currency: pounds
""")
    lines = [line for line, _ in problems]
    assert lines == [2, 4, 8, 9, 10]
    assert "did you mean `health.overall`" in problems[0][1]
    assert "did you mean `values`" in problems[1][1]
    assert "green, amber, red, grey" in problems[2][1]


def test_yaml_syntax_error_has_a_place(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "fields:\n  a: [b\n")
    assert problems[0][0] >= 2 and "not valid YAML" in problems[0][1]


def test_a_valid_mapping(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("money_unit: £m\ncurrency: GBP\nfields: {'Custom field (RAG)': "
                    "health.overall}\nvalues: {status: {'In delivery': active}}\n"
                    "limits: {max_file_mb: 120}\njira: {project_level: project}\n")
    mapping = load_mapping(path)
    assert mapping.money_unit == 1e6 and mapping.currency == "GBP"
    assert mapping.target("custom field  (rag)") == "health.overall"
    assert mapping.values["status"] == {"in delivery": "active"}
    assert mapping.max_file_mb == 120 and mapping.jira["project_level"] == "project"
