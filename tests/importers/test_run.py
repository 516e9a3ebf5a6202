"""The import pipeline: directories with portfolio.yaml, mixed formats, --from, check SOURCE."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.importers.conftest import FIXTURES, cli, run_import

BASE = """\
as_of: 2026-04-15
currency: GBP
people:
  - {id: P-CFO, name: Chief Financial Officer, grade: executive}
programs:
  - {id: Logistics, name: Logistics modernisation, sponsor: P-CFO}
"""


def _plans(tmp_path: Path) -> Path:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("alpha.xml", "beta.xml"):
        shutil.copy(FIXTURES / "mspdi" / name, plans / name)
    shutil.copy(FIXTURES / "xer" / "depots.xer", plans / "depots.xer")
    (plans / "portfolio.yaml").write_text(BASE)
    (plans / "notes.txt").write_text("not a schedule")  # ignored: no importer claims it
    return plans


def test_a_directory_is_one_portfolio(tmp_path: Path) -> None:
    imported = run_import(_plans(tmp_path), mapping=FIXTURES / "mspdi" / "mapping.yaml")
    doc = imported.document
    assert doc["as_of"] == "2026-04-15"  # portfolio.yaml's, over the files' status dates
    assert [p["id"] for p in doc["projects"]] == ["ALPHA", "beta", "NORTH", "SOUTH"]
    # The person and program portfolio.yaml defines are used, not re-added bare.
    assert doc["people"][0] == {"id": "P-CFO", "name": "Chief Financial Officer",
                                "grade": "executive"}
    assert [p["id"] for p in doc["people"]] == ["P-CFO", "Ada-Lovelace", "GHOPPER"]
    assert doc["programs"] == [{"id": "Logistics", "name": "Logistics modernisation",
                                "sponsor": "P-CFO"}]
    assert [(f.rsplit("/", 1)[-1], fmt) for f, fmt in imported.report.sources] == [
        ("alpha.xml", "mspdi"), ("beta.xml", "mspdi"), ("depots.xer", "xer")]


def test_check_reads_the_directory(tmp_path: Path) -> None:
    plans = _plans(tmp_path)
    result = cli("check", str(plans), "--mapping", str(FIXTURES / "mspdi" / "mapping.yaml"),
                 "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["summary"]
    warnings = [w for w in report.get("warnings", []) if w.get("code") == "PMO466"]
    assert len(warnings) in (0, 2)  # refused values surface as warnings when listed


def test_check_of_a_file_a_loader_refuses_shows_the_loaders_diagnostic(tmp_path: Path) -> None:
    # A loader's own diagnostic reaches the user as it wrote it, not wrapped in a
    # "could not read" plugin failure that tells users to report it to its authors.
    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?>\n<root><a/></root>\n', encoding="utf-8")
    result = cli("check", str(path), "--pack", "standard")
    assert result.exit_code == 2
    assert "x.xml:2:1: error[PMO462]" in result.stderr and "expected <Project>" in result.stderr
    assert "PMO410" not in result.stderr and result.stderr.count("1 error") == 1


def test_from_forces_a_format(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    shutil.copy(FIXTURES / "xer" / "depots.xer", path)
    result = cli("import", str(path), "-o", str(tmp_path / "p.yaml"))
    assert result.exit_code == 2 and "PMO461" in result.output
    result = cli("import", str(path), "--from", "xer", "-o", str(tmp_path / "p.yaml"),
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entities"]["projects"] == 2


def test_our_own_formats_are_not_imported(tmp_path: Path) -> None:
    """A portfolio.json of ours stays ours; a Jira /search response is Jira's."""
    from pmo_rules.plugins.extend import installed
    from pmo_rules.plugins.loading import imports

    ours = tmp_path / "portfolio.json"
    ours.write_text('{"as_of": "2026-01-01", "projects": []}')
    plugins = installed()
    assert not imports(ours, plugins)
    assert imports(FIXTURES / "jira" / "search.json", plugins)
    assert imports(FIXTURES / "mspdi" / "alpha.xml", plugins)


def test_json_output(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    result = cli("import", str(FIXTURES / "gan" / "office-move.gan"), "--as-of", "2026-04-01",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["as_of"] == "2026-04-01" and doc["projects"][0]["id"] == "office-move"
    assert "wrote" in result.stderr and "import report" in result.stderr
