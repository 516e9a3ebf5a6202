"""GanttProject: nested tasks, successors listed inside the predecessor, working-day finishes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.importers.conftest import FIXTURES, run_import

HERE = FIXTURES / "gan"


def test_fixture_imports_exactly() -> None:
    imported = run_import(HERE / "office-move.gan")
    doc = imported.document
    project, = doc["projects"]
    assert project["id"] == "office-move" and project["name"] == "Office move"
    # Pack: 5 working days from Mon 30 March, skipping Good Friday (3 April): Mon 6 April.
    assert project["schedule"] == {"forecast_start": "2026-03-30",
                                   "forecast_finish": "2026-04-10",
                                   "actual_start": "2026-03-30"}
    assert project["milestones"] == [
        {"id": "office-move:3", "name": "Lease signed", "baseline": "2026-04-06",
         "forecast": "2026-04-07", "custom": {"percent_complete": 0.0, "Owner": "Facilities"}},
        {"id": "office-move:5", "name": "Office open", "baseline": "2026-04-09",
         "forecast": "2026-04-10", "custom": {"percent_complete": 0.0}}]
    # Written inside task 3, <depend id="5" type="3"> means 3 -> 5, FF, 2 days, Rubber = soft.
    assert doc["dependencies"] == [
        {"id": "office-move:3->office-move:5", "predecessor": "office-move:3",
         "successor": "office-move:5", "type": "FF", "lag_days": 2, "kind": "soft"}]
    assert imported.report.links["inside one project (not a portfolio dependency)"] == 2
    assert doc["people"] == [{"id": "Joan-Clarke", "name": "Joan Clarke"}]
    assert project["allocations"] == [{"person": "Joan-Clarke", "fte": 1.0,
                                       "from": "2026-03-30", "to": "2026-04-09"}]


@pytest.mark.parametrize(("code", "expected"), [("1", "SS"), ("2", "FS"), ("3", "FF"),
                                                ("4", "SF")])
def test_dependency_types(tmp_path: Path, code: str, expected: str) -> None:
    path = tmp_path / "t.gan"
    path.write_text(f"""<?xml version="1.0"?><project name="t"><tasks>
<task id="1" name="A" meeting="true" start="2026-01-05" duration="0">
<depend id="2" type="{code}" difference="-3" hardness="Strong"/></task>
<task id="2" name="B" meeting="true" start="2026-01-09" duration="0"/></tasks></project>""")
    dep, = run_import(path).document["dependencies"]
    assert (dep["predecessor"], dep["successor"]) == ("t:1", "t:2")
    assert dep["type"] == expected and dep["lag_days"] == -3 and "kind" not in dep


def test_working_day_finish_over_a_weekend_and_yearly_holiday() -> None:
    from pmo_rules.importers.gan import Calendar
    from pmo_rules.importers.safexml import parse_xml

    doc = parse_xml(HERE / "office-move.gan", (HERE / "office-move.gan").read_bytes())
    calendar = Calendar(doc.root)
    assert calendar.finish(dt.date(2026, 12, 24), 2) == dt.date(2026, 12, 28)  # Thu, Fri 25 off
    assert calendar.finish(dt.date(2026, 1, 9), 1) == dt.date(2026, 1, 9)


def test_real_gan_reads_every_nested_dependency(realdata: Path) -> None:
    imported = run_import(realdata / "gan" / "HouseBuildingSample.gan")
    report = imported.report
    assert report.entities == {"projects": 1, "milestones": 4, "people": 7, "allocations": 7}
    # All 17 <depend> elements are read, nested ones included (MPXJ reads 3 of them); none
    # crosses projects or joins two milestones.
    assert sum(report.links.values()) == 17
    assert report.dependencies_by_type() == {}
    assert report.refused == []
    schedule = imported.document["projects"][0]["schedule"]
    assert (schedule["forecast_start"], schedule["forecast_finish"]) == ("2024-05-27",
                                                                         "2024-10-14")
