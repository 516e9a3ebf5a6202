"""MPP, PMXML and Planner through MPXJ (the `mpxj` extra): needs a Java runtime.

Without one these tests skip, saying so; in CI (CI=true) a missing runtime fails them,
because .ci/run installs one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.importers import via_mpxj
from tests.importers.conftest import FIXTURES, run_import
from tests.importers.test_hostile import BOMB


@pytest.fixture
def jvm() -> None:
    why = via_mpxj.available()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"MPXJ cannot run in CI: {why}")
        pytest.skip(f"MPXJ tests need the mpxj extra and a Java runtime: {why}")


def test_planner_fixture(jvm: None) -> None:
    imported = run_import(FIXTURES / "mpxj" / "launch.planner")
    doc = imported.document
    project, = doc["projects"]
    assert project["schedule"] == {"forecast_start": "2026-01-05",
                                   "forecast_finish": "2026-01-14"}
    assert project["milestones"] == [
        {"id": "launch:1", "name": "Kick-off", "forecast": "2026-01-05"},
        {"id": "launch:3", "name": "Release", "forecast": "2026-01-14"}]
    # Planner's lag is in seconds of working time: 57600 s = 16 h = 2 days of 8 h.
    assert doc["dependencies"] == [{"id": "launch:1->launch:3", "predecessor": "launch:1",
                                    "successor": "launch:3", "type": "SS", "lag_days": 2}]
    assert "as_of" not in doc  # Planner has no status date, and the clock is never read


REAL = {  # projects, milestones, dependencies, links inside one project
    "mpxj-task-links-project2019-mpp14.mpp": (1, 0, {}, 8),
    "mpxj-percent-complete-8.4.pmxml": (1, 0, {}, 0),
    "mpxj-project1.planner": (1, 1, {}, 5),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_files(jvm: None, realdata: Path, name: str) -> None:
    imported = run_import(realdata / "other" / name)
    projects, milestones, deps, inside = REAL[name]
    report = imported.report
    assert report.entities["projects"] == projects
    assert report.entities["milestones"] == milestones
    assert report.dependencies_by_type() == deps
    assert report.links["inside one project (not a portfolio dependency)"] == inside
    assert report.refused == []


def test_mpp_and_its_mspdi_twin_agree(jvm: None, realdata: Path) -> None:
    mpp = run_import(realdata / "other" / "mpxj-task-links-project2019-mpp14.mpp").document
    xml = run_import(realdata / "mspdi" / "mpxj-task-links-project2019.xml").document
    assert mpp["projects"][0]["schedule"] == xml["projects"][0]["schedule"]


def test_pmxml_status_date_is_as_of(jvm: None, realdata: Path) -> None:
    doc = run_import(realdata / "other" / "mpxj-percent-complete-8.4.pmxml").document
    assert doc["as_of"] == "2015-02-24"


def test_hostile_xml_is_refused_before_mpxj(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pmxml"
    path.write_text(BOMB.replace("Project xmlns", "APIBusinessObjects xmlns").replace(
        "</Project>", "</APIBusinessObjects>"))
    with pytest.raises(DiagnosticError) as caught:
        run_import(path, from_="mpxj")
    assert caught.value.diagnostics[0].code in ("PMO463", "PMO465")


def test_without_the_extra_or_a_jvm_a_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(via_mpxj, "available", lambda: "no Java runtime was found")
    with pytest.raises(DiagnosticError) as caught:
        run_import(FIXTURES / "mpxj" / "launch.planner")
    diag, = caught.value.diagnostics
    assert diag.code == "PMO465" and "no Java runtime" in diag.message
    assert "MS Project XML" in (diag.help or "")
