"""Loading portfolios: entities, shorthands, formats, and every data problem with file:line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.model.load import load_portfolio

GOOD = """\
as_of: 2026-11-26
currency: EUR
pmo: {id: EPMO, kind: enterprise, reports_to: U-1, policy: {max_age: 14}}
portfolio: {id: PF, owner: U-1}
people:
  - {id: U-1, name: Ann, grade: executive}
  - {id: U-2, name: Bob, grade: manager}
objectives:
  - {id: O-1, title: Grow, owner: U-1}
programs:
  - {id: G-1, name: Digital, sponsor: U-1, objectives: [O-1]}
projects:
  - id: P-1
    name: CRM
    program: G-1
    objectives: [O-1]
    phase: planning
    status: active
    health: red
    sponsor: U-1
    project_manager: U-2
    evm: {pv: 100, ev: 50, ac: 25}
    schedule: {baseline_start: 2026-01-01, baseline_finish: 2026-06-30,
               forecast_finish: 2026-07-31}
    artifacts:
      charter: approved
      business_case: {status: draft, approved_by: U-1}
    gates: [{gate: G1, decision: go, decided_by: U-1}]
    milestones: [{id: M-1, baseline: 2026-03-01, forecast: 2026-03-15}]
    risks: [{id: R-1, probability: 3, impact: 4, owner: U-2}]
    issues: [{id: I-1, severity: high}]
  - id: P-2
    name: ERP
    phase: executing
    objectives: [{id: O-1, contribution: high}]
    artifacts: [{type: charter, status: approved}]
    gates: {G2: {decision: hold}}
    depends_on: [P-1, {id: M-1, type: SS, lag_days: 5}]
dependencies:
  - {predecessor: P-1, successor: P-2, type: FF, id: D-1}
"""


def write(tmp_path: Path, text: str, name: str = "portfolio.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_entities_shorthands_and_references(tmp_path: Path) -> None:
    lp = load_portfolio(write(tmp_path, GOOD))
    p1, p2 = lp.projects
    assert lp.as_of == dt.date(2026, 11, 26) and lp.pmo.policy == {"max_age": 14}
    assert p1.sponsor is lp.people_by_id["U-1"] and p1.program is lp.programs[0]
    assert p1.objectives == [lp.objectives[0]] and lp.objectives[0].projects == [p1, p2]
    assert lp.programs[0].projects == [p1] and lp.programs[0].objectives == [lp.objectives[0]]
    assert p2.objective_links[0].contribution == "high"
    assert p1.health.overall == "red" and p1.stage == "planning" and p2.stage == "executing"
    assert p1.artifacts["charter"].status == "approved"
    assert p1.artifacts["business_case"].approved_by is lp.people[0]
    assert p2.artifacts["charter"].status == "approved"
    assert p1.gates["G1"].decided_by is lp.people[0] and p2.gates["G2"].decision == "hold"
    assert (p1.evm.cpi, p1.evm.spi) == (2.0, 0.5)
    assert (p1.start, p1.finish) == (dt.date(2026, 1, 1), dt.date(2026, 7, 31))
    m = lp.milestones[0]
    assert m.project is p1 and m.date == m.start == m.finish == dt.date(2026, 3, 15)
    assert lp.risks[0].score == 12 and lp.risks[0].project is p1 and lp.issues[0].project is p1
    deps = {d.id: d for d in lp.dependencies}
    assert set(deps) == {"D-1", "P-1->P-2", "M-1->P-2"}
    assert deps["M-1->P-2"].predecessor is m and deps["M-1->P-2"].type == "SS"
    assert deps["M-1->P-2"].lag == dt.timedelta(days=5)
    assert p2.program is None and p2.tags == [] and lp.warnings == []


def test_as_of_option_overrides_the_file(tmp_path: Path) -> None:
    lp = load_portfolio(write(tmp_path, GOOD), as_of=dt.date(2027, 1, 1))
    assert lp.as_of == dt.date(2027, 1, 1)


def test_unknown_keys_kept_under_custom_with_a_warning(tmp_path: Path) -> None:
    text = GOOD.replace("    name: ERP\n", "    name: ERP\n    colour: blue\n    stauts: x\n")
    lp = load_portfolio(write(tmp_path, text))
    assert lp.projects[1].custom == {"colour": "blue", "stauts": "x"}
    msgs = [(w.code, w.span.line if w.span else 0, w.help) for w in lp.warnings]
    assert ("PMO412", 35, "did you mean `status`?") in msgs
    assert all(w.level == "warning" for w in lp.warnings)


# (text replaced, replacement, code, the text on the reported line, path, did-you-mean)
BAD = [
    ("    status: active\n", "    status: activ\n", "PMO404", "activ", "projects[0].status",
     "active"),
    ("    phase: planning\n", "    phase: planing\n", "PMO409", "planing", "projects[0].phase",
     "planning"),
    ("    sponsor: U-1\n", "    sponsor: U-9\n", "PMO407", "U-9", "projects[0].sponsor", None),
    ("baseline_start: 2026-01-01", "baseline_start: 2026-13-01", "PMO405", "2026-13",
     "projects[0].schedule.baseline_start", None),
    ("  - id: P-2\n", "  - id: P-1  # again\n", "PMO406", "# again", "projects[1].id", None),
    ("probability: 3", "probability: 9", "PMO413", "probability: 9",
     "projects[0].risks[0].probability", None),
    ("probability: 3", "probability: high", "PMO402", "probability: high",
     "projects[0].risks[0].probability", None),
    ("    name: ERP\n", "", "PMO403", "id: P-2", "projects[1].name", None),
    ("depends_on: [P-1,", "depends_on: [P-2,", "PMO408", "depends_on: [P-2",
     "projects[1].depends_on[0]", None),
    ("{predecessor: P-1,", "{predecessor: P-7,", "PMO407", "P-7", "dependencies[0].predecessor",
     None),
    ("    program: G-1\n", "    program: G-1\n    lifecycle: prince\n", "PMO410", "prince",
     "projects[0].lifecycle", None),
    ("health: red", "health: crimson", "PMO404", "crimson", "projects[0].health.overall", None),
    ("as_of: 2026-11-26\n", "", "PMO411", "currency", "as_of", None),
]


@pytest.mark.parametrize(("old", "new", "code", "marker", "path", "guess"), BAD)
def test_each_data_problem_names_file_line_and_path(
    tmp_path: Path, old: str, new: str, code: str, marker: str, path: str, guess: str | None
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if marker in ln)
    file = write(tmp_path, text)
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(file)
    found = [d for d in info.value.diagnostics if d.code == code]
    assert found, info.value
    d = found[0]
    assert d.span is not None and d.span.file == str(file) and d.span.line == line, d.render()
    assert d.path == path and d.help
    assert f"{file}:{line}:" in d.render()
    if guess:
        assert f"did you mean `{guess}`?" == d.help


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("status: active", "status: activ").replace("grade: manager", "grade: x")
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(write(tmp_path, text))
    assert [d.code for d in info.value.errors] == ["PMO404", "PMO404"]


@pytest.mark.parametrize(("text", "line"), [("a: [1, 2\n", 2), ("projects: {x: 1}\n  - y\n", 2)])
def test_yaml_syntax_errors(tmp_path: Path, text: str, line: int) -> None:
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(write(tmp_path, text))
    d = info.value.diagnostics[0]
    assert d.code == "PMO401" and d.span is not None and d.span.line == line


def test_json_file_and_json_line_numbers(tmp_path: Path) -> None:
    import yaml

    doc = yaml.safe_load(GOOD)
    text = json.dumps(doc, default=str, indent=2)
    lp = load_portfolio(write(tmp_path, text, "p.json"))
    assert [p.id for p in lp.projects] == ["P-1", "P-2"]
    bad = text.replace('"activ', '"activ').replace('"status": "active"', '"status": "activ"')
    file = write(tmp_path, bad, "bad.json")
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(file)
    d = info.value.errors[0]
    expected = next(i for i, ln in enumerate(bad.splitlines(), 1) if '"activ"' in ln)
    assert d.code == "PMO404" and d.span is not None and d.span.line == expected
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(write(tmp_path, '{"as_of": }', "broken.json"))
    assert info.value.errors[0].code == "PMO401"


def test_directory_of_project_files(tmp_path: Path) -> None:
    write(tmp_path, "as_of: 2026-11-26\npeople: [{id: U-1}]\n")
    write(tmp_path, "id: P-1\nname: One\nsponsor: U-1\n", "projects/p1.yaml")
    write(tmp_path, "- {id: P-2, name: Two, depends_on: [P-1]}\n"
                    "- {id: P-3, name: Three, sponsor: U-2}\n", "projects/p2.yaml")
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(tmp_path)
    d = info.value.errors[0]
    assert d.code == "PMO407" and d.span is not None
    assert d.span.file.endswith("p2.yaml") and d.span.line == 2 and d.path == "projects[2].sponsor"
    write(tmp_path, "- {id: P-2, name: Two, depends_on: [P-1]}\n", "projects/p2.yaml")
    lp = load_portfolio(tmp_path)
    assert [p.id for p in lp.projects] == ["P-1", "P-2"] and len(lp.sources) == 3


def test_csv_directory(tmp_path: Path) -> None:
    write(tmp_path, "as_of: 2026-11-26\npeople: [{id: U-1}]\n")
    write(tmp_path, "id,name,sponsor,health,budget.approved,tags,artifacts.charter\n"
                    "P-1,One,U-1,red,100,a;b,approved\nP-2,Two,,green,,,\n", "projects.csv")
    write(tmp_path, "predecessor,successor,type,lag_days\nP-1,P-2,SS,3\n", "dependencies.csv")
    lp = load_portfolio(tmp_path)
    p1 = lp.projects[0]
    assert p1.budget.approved == 100 and p1.tags == ["a", "b"] and p1.health.overall == "red"
    assert p1.artifacts["charter"].status == "approved" and p1.sponsor is lp.people[0]
    assert lp.dependencies[0].lag_days == 3 and lp.dependencies[0].type == "SS"
    write(tmp_path, "predecessor,successor,type,lag_days\nP-1,P-2,XX,3\n", "dependencies.csv")
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(tmp_path)
    d = info.value.errors[0]
    assert d.code == "PMO404" and d.span is not None
    assert (d.span.line, d.span.column) == (2, 9) and d.path == "dependencies[0].type"


def test_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    good = write(tmp_path, GOOD)
    result = runner.invoke(main, ["graph", str(good)])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {"predecessor": "P-1", "successor": "P-2"}.items() <= data["edges"][0].items()
    bad = write(tmp_path, GOOD.replace("status: active", "status: activ"), "bad.yaml")
    result = runner.invoke(main, ["graph", str(bad), "--format", "dot"])
    assert result.exit_code == 2 and "PMO404" in result.output
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0 and "projects" in json.loads(result.output)["properties"]
