"""Registers (CSV, XLSX) and the GMPP and IT Dashboard presets: every cell read or refused."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from tests.importers.conftest import FIXTURES, cli, refused, run_import

HERE = FIXTURES / "register"


def test_register_with_a_column_mapping() -> None:
    imported = run_import(HERE / "register.csv", mapping=HERE / "mapping.yaml")
    doc = imported.document
    assert doc["as_of"] == "2026-06-30" and doc["currency"] == "GBP"
    p1, p2, p3 = doc["projects"]
    assert p1 == {"id": "PR-1", "name": "Payroll upgrade", "program": "HR",
                  "health": {"overall": "green"}, "tier": 1,
                  "budget": {"approved": 1250500.0},  # £1,250.5 k
                  "schedule": {"forecast_finish": p1["schedule"]["forecast_finish"]},
                  "custom": {"Notes": "on track"}}
    assert str(p1["schedule"]["forecast_finish"]) == "2026-12-31"
    assert p2["custom"] == {"Notes": "two\nlines"} and "budget" not in p2
    assert "health" not in p3 and "tier" not in p3
    place = str(HERE / "register.csv")
    assert refused(imported) == [
        (f"{place}: row 3, column 6 (Approved budget (£k))", "#N/A"),
        (f"{place}: row 3, column 7 (Planned end)", "TBC"),
        (f"{place}: row 4, column 4 (RAG)", "Purple"),
        (f"{place}: row 4, column 5 (Tier)", "4"),
        (f"{place}: row 4, column 9 (column 9)", "stray"),  # the header does not match
    ]


def test_xlsx_values_only_never_formulas(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "name", "budget.approved", "schedule.baseline_finish"])
    sheet.append(["P-1", "Formula project", "=1000*1000", "=DATE(2026,1,1)"])
    sheet.append(["P-2", "Typed project", 2500, None])
    path = tmp_path / "register.xlsx"
    book.save(path)  # a formula saved without a computed value, as a script writes it
    imported = run_import(path)
    p1, p2 = imported.document["projects"]
    assert p1 == {"id": "P-1", "name": "Formula project"}  # never evaluated, never text
    assert p2["budget"] == {"approved": 2500.0}


def test_gmpp_transposed_layout() -> None:
    imported = run_import(HERE / "gmpp_transposed_September_2018.csv", from_="gmpp")
    doc = imported.document
    assert doc["as_of"] == "2018-09-30" and doc["currency"] == "GBP"
    thames, rail = doc["projects"]
    assert thames["id"] == "DEFRA-Thames-Barrier-Upgrade"  # no ids before 2016
    assert thames["budget"] == {"approved": 1234500000.0}  # £1,234.5 m
    assert "health" not in thames  # Amber/Red: the 5-point scale needs a configured map
    assert thames["custom"]["dca_raw"] == "Amber/Red" and thames["custom"]["department"] == "DEFRA"
    assert rail["health"] == {"overall": "green", "reported_on": "2018-09-30"}
    assert rail["schedule"] == {"baseline_start": rail["schedule"]["baseline_start"],
                                "baseline_finish": rail["schedule"]["baseline_finish"]}
    assert [r.raw for r in imported.report.in_order()] == [
        "Amber/Red", "NA", "Exempt under Section 43 of the Freedom of Information Act 2000"]
    # Places are the file's own: row 3 is the RAG row, column 2 the first project.
    assert [(r.place.row, r.place.column) for r in imported.report.in_order()] == [
        (3, 2), (6, 2), (7, 3)]


def test_gmpp_five_point_scale_through_the_mapping(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("preset: gmpp\nvalues: {health: {Amber/Red: red, Amber/Green: green}}\n")
    imported = run_import(HERE / "gmpp_transposed_September_2018.csv", mapping=mapping)
    assert imported.document["projects"][0]["health"]["overall"] == "red"


def test_it_dashboard() -> None:
    imported = run_import(HERE / "itd.csv")
    doc = imported.document
    assert doc["as_of"] == "2012-04-02" and doc["currency"] == "USD"
    assert doc["programs"] == [{"id": "005-01", "name": "Grants system"},
                               {"id": "005-02", "name": "Payroll"}]
    portal = doc["projects"][0]
    assert portal["evm"] == {"pv": 1500000.0, "ac": 696000.0}  # 6.96E-01 $M
    # B2 is forecast or actual: it cannot be told, so it stays under custom.
    assert portal["custom"]["Projected/Actual Project Completion Date (B2)"].startswith("2012")
    assert [p["id"] for p in doc["projects"]] == ["11", "12", "11-row4"]
    assert [(r.raw, r.target) for r in imported.report.refused] == [("n/a", "evm.pv"),
                                                                     ("11", "id")]


def test_a_register_without_a_name_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Ref,Colour\nA,blue\n")
    result = cli("import", str(path), "-o", str(tmp_path / "o.yaml"), "--format", "json")
    assert result.exit_code == 2
    diag, = json.loads(result.stdout)["diagnostics"]
    assert diag["code"] == "PMO462" and "name" in diag["message"]


# Real published tables: projects, refused values by target (FOI exemption text, NA,
# "Early planning" in date, money and RAG cells), duplicate ids.
REAL = {
    "gmpp/GMPP_AR_Data_March_2022.csv": (235, 18, "2022-03-31", {
        "budget.approved": 42, "schedule.baseline_finish": 17, "health.overall": 14,
        "schedule.baseline_start": 11}),
    "gmpp/DESNZ_AR_Data_March_2024.csv": (18, 1, "2024-03-31", {
        "budget.approved": 4, "health.overall": 3, "schedule.baseline_start": 1,
        "schedule.baseline_finish": 1}),
    "other/us-itdashboard-projects-2012.csv": (2472, 599, "2012-12-07", {"id": 4}),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_tables(realdata: Path, name: str, tmp_path: Path) -> None:
    projects, programs, as_of, refusals = REAL[name]
    out = tmp_path / "p.yaml"
    result = cli("import", str(realdata / name), "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["entities"] == {"projects": projects, "programs": programs}
    assert dict(Counter(r["target"] for r in report["refused"])) == refusals
    assert report["diagnostics"] == []  # the written portfolio loads
    assert f"as_of: '{as_of}'" in out.read_text()
    assert report["dependencies_by_type"] == {}


def test_refusals_point_at_their_cell_in_the_csv_text() -> None:
    # file:line:column as in every diagnostic: the line a row starts on (a quoted line
    # break in row 3 moves row 4 to line 5) and the character where the cell starts.
    register = FIXTURES / "register"
    result = cli("check", str(register / "register.csv"), "--mapping",
                 str(register / "mapping.yaml"), "--pack", "standard")
    places = re.findall(r"register\.csv:(\d+:\d+): warning\[PMO466\]: refused '([^']+)'",
                        result.stderr)
    assert places[:4] == [("3:32", "#N/A"), ("3:37", "TBC"), ("5:23", "Purple"), ("5:30", "4")]
    assert "  5 | PR-3,Badge readers,IT,Purple" in result.stderr


def _workbook(tmp_path: Path, name: str, cell: str, extra_rows: str = "") -> Path:
    """A one-project workbook whose second cell is `cell`, with rows added past its
    recorded dimension (as writers that leave a stale <dimension> produce)."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Ref", "Project"])
    book.active.append(["P-1", "Alpha"])
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    out = tmp_path / name
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.namelist():
            data = src.read(item)
            if item.endswith("sheet1.xml"):
                data = data.replace(b"<t>Alpha</t>", f"<t>{cell}</t>".encode())
                data = data.replace(b"</sheetData>", extra_rows.encode() + b"</sheetData>")
            dst.writestr(item, data)
    return out


def test_xlsx_rows_past_a_stale_dimension_are_read(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>P-{i}</t></is></c>'
                   f'<c r="B{i}" t="inlineStr"><is><t>N{i}</t></is></c></row>' for i in (3, 4))
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields: {Ref: id, Project: name}\nas_of: 2026-06-01\n", encoding="utf-8")
    imported = run_import(_workbook(tmp_path, "stale.xlsx", "Alpha", rows), mapping=mapping)
    assert imported.report.entities["projects"] == 3


def test_an_xlsx_cell_longer_than_excel_allows_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields: {Ref: id, Project: name}\nas_of: 2026-06-01\n", encoding="utf-8")
    result = cli("import", str(_workbook(tmp_path, "long.xlsx", "A" * 40_000)), "--mapping",
                 str(mapping), "--output", str(tmp_path / "o.yaml"))
    assert result.exit_code == 2
    assert "long.xlsx:2:2: error[PMO462]" in result.stderr and "32,767" in result.stderr
