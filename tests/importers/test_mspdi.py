"""MS Project XML: our fixtures entity by entity, every link type and lag unit, the real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.importers.conftest import FIXTURES, cli, refused, run_import

HERE = FIXTURES / "mspdi"


def test_fixture_pair_imports_exactly() -> None:
    imported = run_import(HERE / "alpha.xml", HERE / "beta.xml", mapping=HERE / "mapping.yaml")
    doc = imported.document
    alpha, beta = doc["projects"]
    assert doc["as_of"] == "2026-03-31"  # the latest StatusDate (else CurrentDate)
    assert doc["currency"] == "GBP"
    assert alpha == {
        "id": "ALPHA", "name": "Alpha warehouse",
        "schedule": {"forecast_start": "2026-01-05", "forecast_finish": "2026-09-30",
                     "actual_start": "2026-01-06", "baseline_start": "2026-01-05",
                     "baseline_finish": "2026-08-31"},
        # money in hundredths: 120000000 is 1,200,000.00
        "budget": {"approved": 1200000.0, "forecast_at_completion": 1250000.0,
                   "actual_to_date": 40000.0},
        "evm": {"bac": 1200000.0, "pv": 50000.0, "ev": 45000.0, "ac": 40000.0,
                "as_of": "2026-03-31"},
        "health": {"overall": "green"}, "sponsor": "P-CFO", "program": "Logistics",
        "milestones": [
            {"id": "ALPHA:1", "name": "Design approved", "baseline": "2026-02-20",
             "forecast": "2026-02-27", "actual": "2026-02-27"},
            {"id": "ALPHA:3", "name": "Go live", "baseline": "2026-08-31",
             "forecast": "2026-09-30"}],
        "custom": {"source_file": "alpha.xml", "guid": "A1A1A1A1-0000-0000-0000-000000000001",
                   # baselines 1-10 are kept, not used
                   "baseline1_start": "2025-12-01", "baseline1_finish": "2026-07-31",
                   "baseline1_cost": 900000.0},
        "allocations": [{"person": "Ada-Lovelace", "fte": 1.0, "from": "2026-03-02",
                         "to": "2026-06-26"}],
    }
    assert beta["id"] == "beta" and beta["milestones"] == [
        {"id": "beta:5", "name": "Supplier ready", "baseline": "2026-04-17",
         "forecast": "2026-04-24"}]
    assert beta["schedule"] == {  # no summary task: rolled up from the tasks
        "forecast_start": "2026-02-02", "forecast_finish": "2026-04-24",
        "baseline_start": "2026-02-02", "baseline_finish": "2026-04-17"}
    assert doc["dependencies"] == [
        {"id": "ALPHA:1->ALPHA:3", "predecessor": "ALPHA:1", "successor": "ALPHA:3",
         "type": "FF", "lag_days": 10},
        {"id": "beta:5->ALPHA:3", "predecessor": "beta:5", "successor": "ALPHA:3",
         "type": "SS", "lag_days": -2}]
    assert doc["people"] == [{"id": "Ada-Lovelace", "name": "Ada Lovelace"}, {"id": "P-CFO"}]
    assert doc["programs"] == [{"id": "Logistics", "name": "Logistics"}]
    report = imported.report
    assert report.skipped == {"blank task (IsNull)": 1, "inactive task (Active=0)": 1}
    assert report.links["inside one project (not a portfolio dependency)"] == 3
    assert refused(imported) == [("alpha.xml:29 (Gate date)".replace(
        "alpha.xml", str(HERE / "alpha.xml")), "TBC")]
    assert report.mapped["RAG -> health.overall"] == 1


def test_cross_project_link_to_a_file_not_imported_is_refused() -> None:
    imported = run_import(HERE / "alpha.xml")
    assert [d["id"] for d in imported.document["dependencies"]] == ["alpha:1->alpha:3"]
    assert [r.raw for r in imported.report.refused] == ["C:\\plans\\beta.mpp\\5"]
    # Unmapped extended attributes are kept under custom, never dropped.
    assert imported.document["projects"][0]["custom"]["RAG"] == "Amber/Green"


def _links_file(tmp_path: Path, code: str, lag: str, fmt: str, pred_duration: str = "PT80H0M0S"
                ) -> Path:
    path = tmp_path / "links.xml"
    path.write_text(f"""<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project"><MinutesPerDay>480</MinutesPerDay><Tasks>
<Task><UID>1</UID><Name>M1</Name><Milestone>1</Milestone><Start>2026-01-05T08:00:00</Start>
<Finish>2026-01-16T17:00:00</Finish><Duration>{pred_duration}</Duration></Task>
<Task><UID>2</UID><Name>M2</Name><Milestone>1</Milestone><Start>2026-02-02T08:00:00</Start>
<Finish>2026-02-02T08:00:00</Finish><PredecessorLink><PredecessorUID>1</PredecessorUID>
<Type>{code}</Type><LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat></PredecessorLink></Task>
</Tasks></Project>""")
    return path


@pytest.mark.parametrize(("code", "expected"), [("0", "FF"), ("1", "FS"), ("2", "SF"),
                                                ("3", "SS")])
def test_link_type_codes(tmp_path: Path, code: str, expected: str) -> None:
    dep, = run_import(_links_file(tmp_path, code, "0", "7")).document["dependencies"]
    assert dep["type"] == expected and "lag_days" not in dep


@pytest.mark.parametrize(("lag", "fmt", "days"), [
    ("4800", "7", 1.0),        # working days: 4800 tenths of minutes = 480 min = 1 day of 8 h
    ("-9600", "7", -2.0),      # a lead
    ("2400", "5", 0.5),        # hours (working): 4 h
    ("14400", "8", 1.0),       # elapsed days: 1440 min
    ("14400", "6", 1.0),       # elapsed hours, still tenths of minutes
    ("24000", "9", 5.0),       # weeks (working): 2400 min
    ("4800", "39", 1.0),       # estimated working days (7 + 32)
    ("28800", "40", 2.0),      # estimated elapsed days (8 + 32)
    ("50", "19", 5.0),         # 50% of a 10-day (80 h) predecessor
    ("50", "20", 5.5),         # elapsed %: of its 11 calendar days
    ("25", "51", 2.5),         # estimated percent
    ("600", "3", 0.125),       # minutes (working): 60 min
])
def test_lag_units(tmp_path: Path, lag: str, fmt: str, days: float) -> None:
    dep, = run_import(_links_file(tmp_path, "1", lag, fmt)).document["dependencies"]
    exact = dep.get("custom", {}).get("lag_days_exact", dep.get("lag_days", 0))
    assert exact == pytest.approx(days)
    assert dep.get("lag_days", 0) == int(days + (0.5 if days > 0 else -0.5))


def test_percent_lag_without_a_duration_is_refused(tmp_path: Path) -> None:
    imported = run_import(_links_file(tmp_path, "1", "50", "19", pred_duration=""))
    assert imported.document.get("dependencies") is None
    assert imported.report.refused[0].raw == "50%"


def test_unknown_link_type_is_refused(tmp_path: Path) -> None:
    imported = run_import(_links_file(tmp_path, "7", "0", "7"))
    assert [(r.raw, r.target) for r in imported.report.refused] == [("7", "dependencies.type")]


def test_import_cli_writes_a_portfolio_that_checks(tmp_path: Path) -> None:
    out = tmp_path / "portfolio.yaml"
    result = cli("import", str(HERE / "alpha.xml"), str(HERE / "beta.xml"), "--mapping",
                 str(HERE / "mapping.yaml"), "--output", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["entities"] == {"allocations": 1, "dependencies": 2, "milestones": 3,
                                  "people": 2, "programs": 1, "projects": 2}
    assert report["dependencies_by_type"] == {"FF/hard": 1, "SS/hard": 1}
    assert [r["raw"] for r in report["refused"]] == ["TBC"]
    assert report["refused"][0]["line"] == 29
    written = yaml.safe_load(out.read_text())
    assert [p["id"] for p in written["projects"]] == ["ALPHA", "beta"]
    checked = cli("check", str(out), "--format", "json")
    assert checked.exit_code in (0, 1), checked.output


def test_check_reads_a_schedule_file_directly() -> None:
    result = cli("check", str(HERE / "alpha.xml"), "--mapping", str(HERE / "mapping.yaml"),
                 "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["summary"]


# Counts from the real files (MPXJ's test corpus): projects, milestones, dependencies, refusals.
REAL = {
    "mpxj-enterprise.xml": (1, 0, {}, 0),
    "mpxj-legacy-sample.xml": (1, 1, {}, 0),
    "mpxj-mspdiresource.xml": (1, 0, {}, 0),
    "mpxj-task-baselines-project2019.xml": (1, 0, {}, 0),
    "mpxj-task-links-project2019.xml": (1, 0, {}, 0),
}
REAL_INSIDE_LINKS = {"mpxj-legacy-sample.xml": 6, "mpxj-mspdiresource.xml": 1,
                     "mpxj-task-links-project2019.xml": 8}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_mspdi_files(realdata: Path, name: str) -> None:
    imported = run_import(realdata / "mspdi" / name)
    projects, milestones, deps, refusals = REAL[name]
    assert imported.report.entities["projects"] == projects
    assert imported.report.entities["milestones"] == milestones
    assert imported.report.dependencies_by_type() == deps
    assert len(imported.report.refused) == refusals
    assert imported.report.links["inside one project (not a portfolio dependency)"] \
        == REAL_INSIDE_LINKS.get(name, 0)


def test_real_mspdi_directory_is_one_portfolio(realdata: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    result = cli("import", str(realdata / "mspdi"), "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["entities"]["projects"] == 5
    assert report["fields_kept_under_custom"] == {"Enterprise Project Text1": 1,
                                                  "Enterprise Project Text40": 1}
    assert len(report["sources"]) == 5


def test_current_phase_from_top_level_summaries_only_with_a_map(tmp_path: Path) -> None:
    path = tmp_path / "phased.xml"
    path.write_text("""<?xml version="1.0"?>
<Project xmlns="http://schemas.microsoft.com/project"><StatusDate>2026-05-15T17:00:00</StatusDate>
<Tasks>
<Task><UID>1</UID><Name>Design</Name><Summary>1</Summary><OutlineLevel>1</OutlineLevel>
<Start>2026-01-05T08:00:00</Start><Finish>2026-03-31T17:00:00</Finish></Task>
<Task><UID>2</UID><Name>Build  </Name><Summary>1</Summary><OutlineLevel>1</OutlineLevel>
<Start>2026-04-01T08:00:00</Start><Finish>2026-09-30T17:00:00</Finish></Task>
</Tasks></Project>""")
    assert "phase" not in run_import(path).document["projects"][0]
    mapping = tmp_path / "m.yaml"
    mapping.write_text("values: {phase: {Design: planning, Build: executing}}\n")
    assert run_import(path, mapping=mapping).document["projects"][0]["phase"] == "executing"
