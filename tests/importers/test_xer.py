"""Primavera XER: several projects in one file, lag calendars, encodings, the real file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importers.conftest import FIXTURES, run_import

HERE = FIXTURES / "xer"


def test_fixture_imports_exactly() -> None:
    imported = run_import(HERE / "depots.xer", mapping=HERE / "mapping.yaml")
    doc = imported.document
    north, south = doc["projects"]
    assert doc["as_of"] == "2026-03-31"
    assert north["id"] == "P-NORTH" and north["name"] == "Northern depot café"  # cp1252
    assert north["schedule"] == {
        "forecast_start": "2026-01-05", "forecast_finish": "2026-10-30",
        # from the baseline project (sum_base_proj_id), not the target dates
        "baseline_start": "2026-01-05", "baseline_finish": "2026-09-30",
        "actual_start": "2026-02-27"}
    assert north["status"] == "active" and south["status"] == "proposed"
    assert north["milestones"] == [
        {"id": "P-NORTH:N-M1", "name": "Design frozen", "baseline": "2026-02-13",
         "actual": "2026-02-27"},
        {"id": "P-NORTH:N-M2", "name": "Depot handed over", "baseline": "2026-09-30",
         "forecast": "2026-10-30"}]
    assert north["budget"] == {"approved": 50000.0, "actual_to_date": 13000.0,
                               "forecast_at_completion": 51000.0}
    assert north["allocations"] == [{"person": "GHOPPER", "fte": 0.5, "from": "2026-03-02",
                                     "to": "2026-06-19"}]
    assert north["program"] == "DEPOTS" and north["health"] == {"risk": "amber"}
    assert doc["people"] == [{"id": "GHOPPER", "name": "Grace Hopper"}]  # not the excavator
    assert doc["dependencies"] == [
        {"id": "P-NORTH:N-M1->P-NORTH:N-M2", "predecessor": "P-NORTH:N-M1",
         "successor": "P-NORTH:N-M2", "type": "FF", "lag_days": 2},  # 16 h on an 8 h calendar
        {"id": "P-NORTH:N-M2->SOUTH:S-M1", "predecessor": "P-NORTH:N-M2",
         "successor": "SOUTH:S-M1", "type": "SS",
         "custom": {"lag_days_exact": -0.333333}},  # -8 h on SOUTH's 24-hour lag calendar
        {"id": "P-NORTH->SOUTH:S-M2", "predecessor": "P-NORTH", "successor": "SOUTH:S-M2",
         "type": "FS", "lag_days": 2}]  # a task of NORTH stands for NORTH
    assert [r.raw for r in imported.report.refused] == ["300/77"]
    assert imported.report.skipped == {"baseline project (read as another's baseline)": 1}


def _xer(tmp_path: Path, rule: str, lag_hours: str, *, newline: str = "\r\n",
         header: bool = True) -> Path:
    t = "\t"
    rows = [
        "%T\tCALENDAR", "%F\tclndr_id\tday_hr_cnt", "%R\t1\t8", "%R\t2\t10", "%R\t3\t7.5",
        "%T\tPROJECT", "%F\tproj_id\tproj_short_name\tclndr_id", "%R\t1\tP\t3",
        "%T\tSCHEDOPTIONS", "%F\tproj_id\tsched_calendar_on_relationship_lag", f"%R\t1\t{rule}",
        "%T\tTASK", "%F\ttask_id\tproj_id\tclndr_id\ttask_type\ttask_code\ttask_name",
        "%R\t1\t1\t1\tTT_FinMile\tA\tM1", "%R\t2\t1\t2\tTT_FinMile\tB\tM2",
        "%T\tTASKPRED", "%F\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\tpred_type\tlag_hr_cnt",
        t.join(["%R", "2", "1", "1", "1", "PR_SF", lag_hours]), "%E"]
    if header:
        rows.insert(0, "ERMHDR\t8.0")
    path = tmp_path / "lags.xer"
    path.write_bytes(newline.join(rows).encode())
    return path


@pytest.mark.parametrize(("rule", "hours", "days"), [
    ("rcal_Predecessor", "16", 2.0),     # M1's 8 h calendar
    ("", "16", 2.0),                      # P6's default is the predecessor's calendar
    ("rcal_Successor", "15", 1.5),        # M2's 10 h calendar
    ("rcal_24Hour", "36", 1.5),           # 24 h days: 3x shorter than 8 h ones
    ("rcal_ProjDefault", "15", 2.0),      # the project's 7.5 h calendar
    ("rcal_Predecessor", "-4", -0.5),     # a lead
])
def test_lag_calendars(tmp_path: Path, rule: str, hours: str, days: float) -> None:
    dep, = run_import(_xer(tmp_path, rule, hours)).document["dependencies"]
    assert dep["type"] == "SF"
    exact = dep.get("custom", {}).get("lag_days_exact", dep.get("lag_days"))
    assert exact == pytest.approx(days)


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("header", [True, False])
def test_line_endings_and_a_missing_header(tmp_path: Path, newline: str, header: bool) -> None:
    imported = run_import(_xer(tmp_path, "rcal_Predecessor", "8", newline=newline,
                               header=header), from_="xer")
    assert imported.report.entities["milestones"] == 2


def test_not_an_xer(tmp_path: Path) -> None:
    from pmo_rules.diagnostics import DiagnosticError

    path = tmp_path / "x.xer"
    path.write_bytes(b"just some text\nwithout tables\n")
    with pytest.raises(DiagnosticError) as caught:
        run_import(path)
    assert caught.value.diagnostics[0].code in ("PMO461", "PMO462")
    with pytest.raises(DiagnosticError) as caught:
        run_import(path, from_="xer")
    assert caught.value.diagnostics[0].code == "PMO462"


def test_real_xer(realdata: Path) -> None:
    imported = run_import(realdata / "xer" / "mpxj-resource-rates-test.xer")
    report = imported.report
    assert report.entities == {"projects": 1, "people": 1, "allocations": 1}
    assert report.dependencies_by_type() == {}
    assert report.refused == []
    project, = imported.document["projects"]
    assert (project["id"], project["name"]) == ("NEWPROJ", "Resource Rates Test")
    # target_cost summed over the five assignments: 240 + 480 + 1440 + 1680 + 23760
    assert project["budget"]["approved"] == 27600.0
