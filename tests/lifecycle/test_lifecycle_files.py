"""Lifecycles written in YAML: every problem named with file:line:column, a sound file
loaded as a model, and settings that point at them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules import api
from pmo_rules.cli import main
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.model.lifecycle_files import parse_lifecycles

from .conftest import MIXED

GOOD = MIXED / "governance" / "lifecycles" / "council-minor-works.yaml"


def _problems(text: str) -> list[tuple[str, int, int, str]]:
    _, diags = parse_lifecycles(text, "life.yaml")
    return [(d.code, d.span.line, d.span.column, d.message) for d in diags if d.span]


def test_the_example_lifecycle_loads() -> None:
    (model,) = api.load_lifecycles([GOOD])
    assert model.id == "council-minor-works"
    assert model.phases == ("request", "design", "build", "handover")
    assert model.stage_of("build") == "executing" and model.max_days["build"] == 120
    mw2, mw4 = model.gate("MW2"), model.gate("MW4")
    assert mw2 is not None and mw4 is not None
    assert [n.type for n in mw2.needs_for(3)] == ["design_pack"]
    assert [n.type for n in mw2.needs_for(1)] == ["design_pack", "safety_plan"]
    assert (mw2.grade_for(1), mw2.grade_for(3), mw2.grade_for(None)) == (
        "director", "manager", "director")
    assert mw4.closes and mw4.needs[0].statuses == ("issued",)
    assert model.source == str(GOOD)


BROKEN = """\
lifecycle: works
phases:
  - {id: request, stage: initiating}
  - {id: design, stage: planing}
  - {id: build, stage: executing, max_days: 0}
  - {id: build, stage: closing}
gates:
  - id: W1
    admits: desgin
  - id: W1
    admits: build
  - id: W2
    admits: build
    artifacts: [plan, {type: cert, tiers: [4]}, plan]
    decider: {default: boss, 1: executive, tier2: director}
    owner: me
  - {id: W3, admits: request}
  - {id: W4}
  - {id: W5, admits: build, closes: true}
"""


def test_every_problem_is_named_with_its_line_and_column() -> None:
    assert sorted(_problems(BROKEN)) == [
        ("PMO951", 5, 45, "`max_days` must be a whole number from 1 to 999999999"),
        ("PMO951", 14, 44, "a tier must be a whole number from 1 to 3"),
        ("PMO952", 16, 5, "unknown key `owner` in a gate"),
        ("PMO953", 4, 25, "`planing` is not a stage"),
        ("PMO953", 15, 24, "`boss` is not a grade"),
        ("PMO953", 15, 44, "`tier2` is not a tier"),
        ("PMO954", 6, 10, "phase `build` is listed twice"),
        ("PMO954", 10, 9, "gate `W1` is listed twice"),
        ("PMO954", 14, 49, "artifact `plan` is listed twice for this gate"),
        ("PMO955", 9, 13, "gate `W1` admits `desgin`, which is not a phase of this lifecycle"),
        ("PMO956", 17, 10, "gate `W3` admits `request`, a phase before the one the gate above "
                           "it admits"),
        ("PMO956", 18, 5, "gate `W4` neither admits a phase nor closes the project"),
        ("PMO956", 19, 29, "gate `W5` both admits a phase and closes the project"),
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("lifecycle: x\nphases: [{id: a, stage: initiating}]\ngates:\n  - {id: g, admits: b}\n",
     ("PMO955", 4, 21)),
    ("lifecycle: x\nphases: [{id: a, stage: initiating}]\ngates:\n  - {id: g, admits: a}\n"
     "  - {id: g, admits: a}\n", ("PMO954", 5, 10)),
    ("lifecycle: x\nphases: [{id: a, stage: closing}, {id: b, stage: planning}]\n",
     ("PMO956", 2, 1)),
    ("lifecycle: x\nphases: [{id: a, stage: initiating}]\ngates: [{id: g, closes: true},"
     " {id: h, admits: a}]\n", ("PMO956", 3, 37)),
    ("lifecycle: x\nphases: [{id: a}]\n", ("PMO951", 2, 10)),
    ("lifecycle: x\n", ("PMO951", 1, 1)),
    ("lifecycle: x\nphases: [{id: a, stage: initiating}\n", ("PMO950", 3, 1)),
    ("- 3\n", ("PMO951", 1, 3)),
    ("", ("PMO951", 1, 1)),
])
def test_one_problem_each(text: str, expected: tuple[str, int, int]) -> None:
    assert [p[:3] for p in _problems(text)] == [expected]


_PHASE = "lifecycle: x\nphases: [{id: a, stage: initiating}]\n"


@pytest.mark.parametrize(("text", "expected"), [
    # Values YAML itself cannot read are named, never an internal error.
    ("lifecycle: x\nphases: [{id: a, stage: !!int initiating}]\n",
     ("PMO951", 2, 25, "`initiating` cannot be read as !!int: invalid literal for int() "
                       "with base 10: 'initiating'")),
    ("lifecycle: x\nphases: [{id: a, stage: !mine initiating}]\n",
     ("PMO951", 2, 25, "`initiating` cannot be read as !mine: could not determine a "
                       "constructor for the tag '!mine'")),
    ("lifecycle: x\nphases: [{id: a, stage: 2026-02-30}]\n",
     ("PMO951", 2, 25, "`2026-02-30` cannot be read as !!timestamp: day is out of range "
                       "for month")),
    (_PHASE + "gates: [{id: G, admits: a, decider: {!!int x: manager}}]\n",
     ("PMO951", 3, 38, "`x` cannot be read as !!int: invalid literal for int() with base "
                       "10: 'x'")),
    # A phase limit no duration can hold.
    ("lifecycle: x\nphases: [{id: a, stage: initiating, max_days: 1000000000}]\n",
     ("PMO951", 2, 47, "`max_days` must be a whole number from 1 to 999999999")),
    # Nothing given twice is silently dropped.
    (_PHASE + "gates: [{id: G, admits: a, decider: {default: manager, default: director}}]\n",
     ("PMO954", 3, 56, "the decider for `default` is given twice")),
    (_PHASE + "gates: [{id: G, admits: a, decider: {1: manager, 1: director}}]\n",
     ("PMO954", 3, 50, "the decider for `1` is given twice")),
    # What is not a word is named as what it is.
    ("lifecycle: x\nphases: [{id: a, stage: [initiating]}]\n",
     ("PMO953", 2, 25, "a list is not a stage")),
    (_PHASE + "gates: [{id: G, admits: a, decider: [manager]}]\n",
     ("PMO953", 3, 37, "a list is not a grade")),
    (_PHASE + "? [a, b]\n: 1\n", ("PMO952", 3, 3, "unknown key a list in a lifecycle")),
])
def test_odd_values_are_diagnostics(text: str, expected: tuple[str, int, int, str]) -> None:
    assert _problems(text) == [expected]


def test_a_huge_phase_limit_is_an_input_error_in_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mini.yaml").write_text(
        "lifecycle: mini\nphases:\n  - {id: idea, stage: initiating, "
        "max_days: 99999999999999999999}\n", "utf-8")
    (tmp_path / "pmo-rules.toml").write_text('lifecycles = "mini.yaml"\n', "utf-8")
    (tmp_path / "p.yaml").write_text(_project(lifecycle="mini", phase="idea",
                                              status="active"), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "p.yaml", "--pack", "standard"])
    assert result.exit_code == 2, result.output
    assert "mini.yaml:3:45: error[PMO951]" in result.output


def test_an_id_a_built_in_lifecycle_has_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pmbok.yaml"
    path.write_text("lifecycle: pmbok\nphases: [{id: a, stage: initiating}]\n", "utf-8")
    with pytest.raises(DiagnosticError) as caught:
        api.load_lifecycles([tmp_path])
    (diag,) = caught.value.diagnostics
    assert (diag.code, diag.span.line if diag.span else 0) == ("PMO954", 1)
    assert "already defined by a built-in or plugin lifecycle" in diag.message


def test_two_files_defining_one_id_name_the_first(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yml"):
        (tmp_path / name).write_text("lifecycle: mine\nphases: [{id: a, stage: planning}]\n",
                                     "utf-8")
    with pytest.raises(DiagnosticError) as caught:
        api.load_lifecycles([tmp_path])
    (diag,) = caught.value.diagnostics
    assert diag.span is not None and diag.span.file.endswith("b.yml")
    assert f"already defined by {tmp_path / 'a.yaml'}:1" in diag.message


def _project(**extra: object) -> str:
    fields = ", ".join(f"{k}: {v}" for k, v in extra.items())
    return f"as_of: 2026-06-01\nprojects:\n  - {{id: P-1, name: One, {fields}}}\n"


def test_settings_lifecycles_work_in_check_without_python(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lifecycles").mkdir()
    (tmp_path / "lifecycles" / "mini.yaml").write_text(
        "lifecycle: mini\nphases:\n  - {id: idea, stage: initiating}\n"
        "  - {id: make, stage: executing}\ngates:\n  - {id: M1, admits: make}\n", "utf-8")
    (tmp_path / "pmo-rules.toml").write_text('lifecycles = "lifecycles"\n', "utf-8")
    (tmp_path / "p.yaml").write_text(_project(lifecycle="mini", phase="make",
                                              status="active"), "utf-8")
    (tmp_path / "t.pmo").write_text(
        'policy "t" { rule T-1 "gated" { for p in projects where p.phase == "make"\n'
        '    require all g in gates_required(p): g.passed } }\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "p.yaml", "--policy", "t.pmo"])
    assert result.exit_code == 1, result.output
    assert "T-1" in result.stdout and "witnesses: M1" in result.stdout
    validated = CliRunner().invoke(main, ["validate", "t.pmo"])
    assert validated.exit_code == 0, validated.output


def test_a_broken_settings_lifecycle_stops_check_with_its_location(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "life.yaml").write_text(
        "lifecycle: mini\nphases:\n  - {id: idea, stage: initiating}\ngates:\n"
        "  - {id: M1, admits: mkae}\n", "utf-8")
    (tmp_path / "pmo-rules.toml").write_text('lifecycles = ["life.yaml", "nowhere/"]\n',
                                             "utf-8")
    (tmp_path / "p.yaml").write_text(_project(), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "p.yaml"])
    assert result.exit_code == 2
    assert "life.yaml:5:22: error[PMO955]: gate `M1` admits `mkae`" in result.stderr
    assert "error[PMO950]: lifecycle path" in result.stderr and "Traceback" not in result.output


def test_a_settings_value_of_the_wrong_shape(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pmo-rules.toml").write_text("lifecycles = 3\n", "utf-8")
    (tmp_path / "p.yaml").write_text(_project(), "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "p.yaml"])
    assert result.exit_code == 2 and "PMO703" in result.stderr


def test_policy_tests_read_the_settings_lifecycles(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "life.yaml").write_text(
        "lifecycle: mini\nphases:\n  - {id: idea, stage: initiating}\n"
        "  - {id: make, stage: executing}\ngates:\n  - {id: M1, admits: make}\n", "utf-8")
    (tmp_path / "pmo-rules.toml").write_text(
        'lifecycles = ["life.yaml"]\npolicy = ["policies"]\n', "utf-8")
    (tmp_path / "policies" / "tests").mkdir(parents=True)
    (tmp_path / "policies" / "gated.pmo").write_text(
        'policy "gated" { rule G-1 "gated" { for p in projects where p.phase == "make"\n'
        '    require all g in gates_required(p): g.passed } }\n', "utf-8")
    (tmp_path / "policies" / "tests" / "data.yaml").write_text(_project(
        lifecycle="mini", phase="make", status="active"), "utf-8")
    (tmp_path / "policies" / "tests" / "G-1.yaml").write_text(
        "rule: G-1\nbase: data.yaml\ncases:\n"
        "  - name: no go at M1\n    expect: [{subject: P-1, status: fail}]\n"
        "  - name: a go at M1\n    patch: {projects: [{id: P-1, gates: {M1: go}}]}\n"
        "    expect: [{subject: P-1, status: pass}]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["test"])
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed" in result.output
