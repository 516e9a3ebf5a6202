"""Jira: CSV exports (repeated columns, UI dates, misaligned rows), REST JSON with /field."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.importers.jira import jira_date
from pmo_rules.importers.jira_headers import LANGUAGES, HeaderLanguage
from pmo_rules.importers.values import Bad
from tests.importers.conftest import FIXTURES, cli, run_import

HERE = FIXTURES / "jira"


def test_csv_export_at_the_epic_level() -> None:
    imported = run_import(HERE / "export.csv", mapping=HERE / "mapping.yaml")
    doc = imported.document
    assert doc["as_of"] == "2026-04-01"  # the latest Updated
    pay, wms = doc["projects"]
    assert pay == {
        "id": "PAY-10", "name": "Payroll upgrade", "status": "active",
        "custom": {"jira_status": "In Progress", "Updated": "30/Mar/26 4:15 PM"},
        "project_manager": "712020:ada",
        "schedule": {"forecast_finish": "2026-09-30", "forecast_start": "2026-03-02"},
        "health": {"overall": "amber"}, "program": "INIT-1",
        "tags": ["finance", "hr"],  # both `Labels` columns, read by position
    }
    assert wms["status"] == "proposed" and "health" not in wms
    assert doc["programs"] == [{"id": "INIT-1", "name": "Warehouse automation"}]
    assert doc["people"] == [{"id": "712020:ada", "name": "Ada Lovelace"}]
    # PAY-10 blocks WMS-20, written on both rows and again by PAY-11 -> WMS-21: one dependency.
    assert doc["dependencies"] == [{"id": "PAY-10->WMS-20", "predecessor": "PAY-10",
                                    "successor": "WMS-20", "type": "FS"}]
    links = imported.report.links
    assert links["same link seen again (both ends exported, or lifted)"] == 2
    assert links["`Relates` link (not a dependency type)"] == 1
    assert links["inside one project (not a portfolio dependency)"] == 1
    assert [(r.place.row, r.place.column, r.raw) for r in imported.report.refused] == [
        (9, 25, "an extra cell"), (6, 17, "Purple")]
    assert imported.report.skipped["issue under no project-level issue of the export"] == 2


def test_split_export_is_one_export(tmp_path: Path) -> None:
    lines = (HERE / "export.csv").read_text().splitlines(keepends=True)
    (tmp_path / "page1.csv").write_text("".join(lines[:4]))
    (tmp_path / "page2.csv").write_text(lines[0] + "".join(lines[4:]))
    whole = run_import(HERE / "export.csv", mapping=HERE / "mapping.yaml").document
    split = run_import(tmp_path, mapping=HERE / "mapping.yaml").document
    assert split["projects"] == whole["projects"]
    assert split["dependencies"] == whole["dependencies"]


def test_levels_are_a_mapping_setting(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("jira: {project_level: project}\n")
    doc = run_import(HERE / "export.csv", mapping=mapping).document
    assert [(p["id"], p["name"], p.get("status")) for p in doc["projects"]] == [
        ("INIT", "Initiatives", "active"), ("PAY", "Payroll", "active"),
        ("WMS", "Warehouse", "proposed"), ("ORPH", "Misc", "proposed")]
    assert [d["id"] for d in doc["dependencies"]] == ["PAY->WMS"]
    mapping.write_text("jira: {project_level: [Initiative]}\n")
    doc = run_import(HERE / "export.csv", mapping=mapping).document
    assert [p["id"] for p in doc["projects"]] == ["INIT-1"]


def test_link_types_and_directions_are_mapping_settings(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("jira:\n  dependency_links:\n    Relates: {type: SS, kind: soft}\n")
    doc = run_import(HERE / "export.csv", mapping=mapping).document
    assert doc["dependencies"] == [
        {"id": "PAY-10->WMS-20", "predecessor": "PAY-10", "successor": "WMS-20", "type": "FS"}]
    mapping.write_text("jira:\n  dependency_links:\n    Blocks: {predecessor: inward}\n")
    doc = run_import(HERE / "export.csv", mapping=mapping).document
    assert [d["id"] for d in doc["dependencies"]] == ["WMS-20->PAY-10"]


def test_rest_json_with_field_names() -> None:
    mapping = FIXTURES / "jira" / "json-mapping.yaml"
    imported = run_import(HERE / "search.json", HERE / "field.json", mapping=mapping)
    doc = imported.document
    ops, sec = doc["projects"]
    assert doc["as_of"] == "2026-04-02"
    assert ops["schedule"] == {"forecast_finish": "2026-11-30", "forecast_start": "2026-02-01"}
    assert ops["health"] == {"overall": "red"}  # customfield_10001 is "RAG" per /field
    assert ops["tags"] == ["Infra", "cloud"] and ops["project_manager"] == "5b10:grace"
    assert sec["status"] == "closed" and sec["schedule"] == {"actual_finish": "2026-03-15"}
    assert doc["dependencies"] == [{"id": "OPS-1->SEC-5", "predecessor": "OPS-1",
                                    "successor": "SEC-5", "type": "FS"}]
    refusal, = imported.report.refused
    assert (refusal.raw, refusal.place.line, refusal.subject) == ("not a date", 10, "SEC-5")


@pytest.mark.parametrize(("raw", "expected"), [
    ("2016-03-03T13:11:01.000+0000", dt.date(2016, 3, 3)),
    ("2024-05-06", dt.date(2024, 5, 6)),
    ("12/Oct/23 10:15 AM", dt.date(2023, 10, 12)),
    ("01/Jan/24 12:00 AM", dt.date(2024, 1, 1)),  # a date-only field
    ("3/août/24 14:00", dt.date(2024, 8, 3)),
    ("15/oct./24 9:00", dt.date(2024, 10, 15)),
    ("02/févr./25", dt.date(2025, 2, 2)),
    ("07/Dez/23 08:00", dt.date(2023, 12, 7)),
    ("09/ene/2025", dt.date(2025, 1, 9)),
])
def test_jira_dates(raw: str, expected: dt.date) -> None:
    assert jira_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/Feb/24", "12/Foo/23", "next week"])
def test_bad_jira_dates(raw: str) -> None:
    assert isinstance(jira_date(raw), Bad)


def test_real_fiware_responses(realdata: Path, tmp_path: Path) -> None:
    # No epic in that export: the default level finds nothing, and says how to choose one.
    with pytest.raises(DiagnosticError) as caught:
        run_import(realdata / "jira")
    assert caught.value.diagnostics[0].code == "PMO467"
    mapping = tmp_path / "m.yaml"
    mapping.write_text("jira: {project_level: issue}\n")
    imported = run_import(realdata / "jira", mapping=mapping)
    report = imported.report
    assert report.entities == {"projects": 2, "people": 1}
    assert report.dependencies_by_type() == {}
    assert [(r.raw, r.target, r.subject) for r in report.refused] == [("", "name", "HELP-6042")]
    assert any("2 of 3 issues" in n for n in report.notes)
    mapping.write_text("jira: {project_level: project}\n")
    result = cli("import", str(realdata / "jira"), "--mapping", str(mapping), "-o",
                 str(tmp_path / "p.yaml"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entities"] == {"projects": 1}


def _translated(header: str, language: HeaderLanguage) -> str:
    """The English fixture's header as `language`'s export writes it (where it is known)."""
    back = {v: k for k, v in reversed(language.columns.items())}
    prefixes = {v: k for k, v in language.prefixes.items()}
    out = []
    for name in next(csv.reader([header])):
        prefixed = re.match(r"^(.+?) \((.*)\)$", name)
        if name in back:
            name = back[name]
        elif prefixed and prefixed[1] in prefixes:
            name = f"{prefixes[prefixed[1]]} ({prefixed[2]})"
        out.append(name)
    return ",".join(f'"{n}"' for n in out)


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda lang: lang.name)
def test_localised_exports_import_as_the_english_one(tmp_path: Path,
                                                    language: HeaderLanguage) -> None:
    header, rest = (HERE / "export.csv").read_text(encoding="utf-8").split("\n", 1)
    localised = tmp_path / "export.csv"
    localised.write_text(_translated(header, language) + "\n" + rest, encoding="utf-8")
    assert language.key_column in localised.read_text(encoding="utf-8").split("\n")[0]
    english = run_import(HERE / "export.csv", mapping=HERE / "mapping.yaml")
    imported = run_import(localised, mapping=HERE / "mapping.yaml")  # detected, no --from
    assert imported.report.sources == [(str(localised), "jira-csv")]
    assert imported.document == english.document
    assert [(r.place.row, r.place.column, r.raw) for r in imported.report.refused] == [
        (r.place.row, r.place.column, r.raw) for r in english.report.refused]
    assert any(language.name in note for note in imported.report.notes)


def test_a_french_export_written_by_hand(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "Résumé,Clé de ticket,ID de ticket,Type de ticket,État,Catégorie d’état,"
        "Personne assignée,Création,Champs personnalisés (Target end),"
        "Lien de ticket sortant (Blocks),Lien du ticket entrant (Blocks)\n"
        "Paie,PAY-1,1,Epic,En cours,En cours,Ada,12/janv./26 10:15 AM,30/sept./26 12:00 AM,"
        "ENT-2,\n"
        "Entrepôt,ENT-2,2,Epic,À faire,À faire,,03/févr./26 9:00 AM,,,PAY-1\n",
        encoding="utf-8")
    imported = run_import(export)
    pay, ent = imported.document["projects"]
    assert (pay["name"], pay["schedule"]) == ("Paie", {"forecast_finish": "2026-09-30"})
    assert pay["custom"]["Created"] == "12/janv./26 10:15 AM"
    assert imported.document["dependencies"] == [
        {"id": "PAY-1->ENT-2", "predecessor": "PAY-1", "successor": "ENT-2", "type": "FS"}]
    # Status categories are written in French too: refused with their place, not guessed...
    assert "status" not in pay and "status" not in ent
    assert [(r.place.row, r.place.column, r.raw, r.target) for r in imported.report.refused] \
        == [(2, 6, "En cours", "status"), (3, 6, "À faire", "status")]
    # ... until the mapping names them.
    mapping = tmp_path / "m.yaml"
    mapping.write_text("values: {status: {En cours: active, À faire: proposed}}\n")
    mapped = run_import(export, mapping=mapping)
    assert [p["status"] for p in mapped.document["projects"]] == ["active", "proposed"]
    assert mapped.report.refused == []


def test_a_language_not_built_in_is_mapped_by_the_user(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Riepilogo,Chiave,Tipo\nPaghe,PAY-1,Epic\n", encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        run_import(export, from_="jira-csv")
    assert "jira: {columns:" in (caught.value.diagnostics[0].help or "")
    mapping = tmp_path / "m.yaml"
    mapping.write_text('jira: {columns: {Riepilogo: Summary, Chiave: "Issue key", '
                       'Tipo: "Issue Type"}}\n')
    project, = run_import(export, mapping=mapping, from_="jira-csv").document["projects"]
    assert (project["id"], project["name"]) == ("PAY-1", "Paghe")


def test_nothing_at_the_project_level_names_the_export(tmp_path: Path) -> None:
    search = tmp_path / "search.json"
    search.write_text(json.dumps({"issues": [
        {"id": "1", "key": "AB-1", "fields": {"summary": "a task", "issuetype": {"name": "Task"}}},
    ]}))
    with pytest.raises(DiagnosticError) as caught:
        run_import(search, from_="jira-json")
    [problem] = caught.value.diagnostics
    assert problem.code == "PMO467" and problem.span is not None
    assert (problem.span.file, problem.span.line) == (str(search), 1)
    assert "1 issue, none at that level" in problem.message


def test_only_field_lists_name_the_first_file(tmp_path: Path) -> None:
    fields = tmp_path / "field.json"
    fields.write_text(json.dumps([{"id": "customfield_1", "name": "Start date"}]))
    with pytest.raises(DiagnosticError) as caught:
        run_import(fields, from_="jira-json")
    [problem] = caught.value.diagnostics
    assert problem.code == "PMO467" and problem.span is not None
    assert problem.span.file == str(fields)
