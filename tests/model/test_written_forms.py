"""Data written the way people write it: `title` for `name`, and the language's literals for
money, ratios and days, on both load paths, with the literal to write when a value is almost
right."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.language.schema import field_type
from pmo_rules.model.load import load_portfolio
from tests.model.test_fast_path import exact, fast, good_doc, snapshot, write

ROOT = Path(__file__).resolve().parents[2]


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    node: Any = doc
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[last] = value


def _get(loaded: Any, path: str) -> Any:
    node = loaded
    for part in path.split("."):
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    return node


@pytest.mark.parametrize(("path", "written", "value"), [
    ("projects.0.budget.approved", "400k", 400_000),
    ("projects.0.budget.approved", "2.5M", 2_500_000),
    ("projects.0.budget.approved", "1_000_000", 1_000_000),
    ("projects.0.budget.approved", "-12k", -12_000),
    ("projects.0.budget.approved", "400000", 400_000),
    ("portfolio.budget_envelope", "12M", 12_000_000),
    ("objectives.0.target_investment_share", "60%", 0.6),
    ("objectives.0.weight", "12.5%", 0.125),
    ("dependencies.0.lag_days", "30d", 30),
    ("dependencies.0.lag_days", "2w", 14),
    ("dependencies.0.lag_days", "-5d", -5),
    ("portfolio.review_cadence_days", "4w", 28),
])
@pytest.mark.parametrize("name", ["p.yaml", "p.json"])
def test_literals_are_read_alike_on_both_paths(
        tmp_path: Path, name: str, path: str, written: str, value: float) -> None:
    doc = good_doc()
    _set(doc, path, written)
    file = write(tmp_path, name, doc)
    quick = fast(file)
    assert quick is not None, "a literal must not push the load off the fast path"
    assert snapshot(quick) == snapshot(exact(file))
    assert _get(load_portfolio(file), path) == pytest.approx(value)


@pytest.mark.parametrize(("path", "written", "help_"), [
    ("projects.0.budget.approved", "€400,000", "write `400000` (or `400k`)"),
    ("projects.0.budget.approved", "EUR 1.2m", "write `1200000` (or `1.2M`)"),
    ("projects.0.budget.approved", "400 K", "write `400000` (or `400k`)"),
    ("projects.0.budget.approved", "60%", "a number, such as `400000`, `400k` or `1.2M`"),
    ("projects.0.budget.approved", "a lot", "a number, such as `400000`, `400k` or `1.2M`"),
    ("objectives.0.weight", "60 %", "write `60%` (the number 0.6)"),
    ("objectives.0.weight", "0,6", "write `0.6`"),
    ("objectives.0.weight", "2k", "such as `0.6` or `60%`"),
    ("dependencies.0.lag_days", "30 days", "write `30` (or `30d`)"),
    ("dependencies.0.lag_days", "2 weeks", "write `14` (or `14d`)"),
    ("dependencies.0.lag_days", "3 months", "`90d` if about 3 month"),
    ("dependencies.0.lag_days", "1.5d", "such as `30`, `30d` or `2w`"),
])
@pytest.mark.parametrize("name", ["p.yaml", "p.json"])
def test_almost_literals_are_refused_with_the_literal_to_write(
        tmp_path: Path, name: str, path: str, written: str, help_: str) -> None:
    doc = good_doc()
    _set(doc, path, written)
    file = write(tmp_path, name, doc)
    assert fast(file) is None
    with pytest.raises(DiagnosticError) as caught:
        load_portfolio(file)
    [diag] = caught.value.diagnostics
    assert diag.code == "PMO402"
    assert diag.span is not None and (diag.span.line, diag.span.column) != (1, 1)
    assert f"`{written}` is not" in diag.message
    assert help_ in (diag.help or "")
    with pytest.raises(DiagnosticError) as again:
        exact(file)
    assert [d.render() for d in again.value.diagnostics] == [
        d.render() for d in caught.value.diagnostics]


@pytest.mark.parametrize("where", ["projects.0", "objectives.0", "programs.0",
                                   "projects.0.risks.0", "dependencies.0", "portfolio"])
@pytest.mark.parametrize("spelling", ["name", "title", "both"])
@pytest.mark.parametrize("name", ["p.yaml", "p.json"])
def test_title_is_another_spelling_of_name(
        tmp_path: Path, name: str, where: str, spelling: str) -> None:
    doc = good_doc()
    node: Any = doc
    for part in where.split("."):
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node.pop("name", None)
    node.pop("title", None)
    if spelling in ("name", "both"):
        node["name"] = "Written name"
    if spelling in ("title", "both"):
        node["title"] = "Written title" if spelling == "both" else "Written name"
    file = write(tmp_path, name, doc)
    quick = fast(file)
    assert quick is not None
    assert snapshot(quick) == snapshot(exact(file))
    entity = _get(load_portfolio(file), where)
    assert entity.name == "Written name"
    assert entity.title == ("Written title" if spelling == "both" else "Written name")
    assert not entity.custom


def test_a_persons_title_is_the_job_title(tmp_path: Path) -> None:
    doc = good_doc()
    doc["people"][0] = {"id": "U-1", "title": "Chief Operating Officer", "grade": "executive"}
    person = load_portfolio(write(tmp_path, "p.yaml", doc)).people[0]
    assert person.name is None and person.title == "Chief Operating Officer"


def test_a_project_needs_a_name_or_a_title(tmp_path: Path) -> None:
    doc = good_doc()
    del doc["projects"][0]["name"]
    with pytest.raises(DiagnosticError) as caught:
        load_portfolio(write(tmp_path, "p.yaml", doc))
    [diag] = caught.value.diagnostics
    assert diag.code == "PMO403" and "`name`" in diag.message


def test_policies_read_name_and_title_alike() -> None:
    for kind in ("project", "risk", "objective", "issue", "dependency", "milestone"):
        assert field_type(kind, "name") == field_type(kind, "title"), kind


def test_the_first_file_in_the_docs_loads_and_its_diagnostic_is_real(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/data-model.md's first file is valid, and the diagnostic it shows is what a user
    sees for `approved: "€400,000"` in it."""
    doc = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    first = re.search(r"## A first file\n\n```yaml\n(.*?)```", doc, re.S)
    assert first is not None
    monkeypatch.chdir(tmp_path)
    file = Path("portfolio.yaml")
    file.write_text(first.group(1), encoding="utf-8")
    loaded = load_portfolio(file)
    assert loaded.projects[0].budget.approved == 1_200_000
    assert loaded.objectives[0].name == "Resilient core platforms"
    file.write_text(first.group(1).replace("approved: 1.2M", 'approved: "€400,000"'),
                    encoding="utf-8")
    with pytest.raises(DiagnosticError) as caught:
        load_portfolio(file)
    shown = re.search(r"```\n(portfolio\.yaml:\d+.*?)```", doc, re.S)
    assert shown is not None
    assert caught.value.diagnostics[0].render() + "\n" == shown.group(1)


def test_literals_in_json_and_yaml_documents_agree(tmp_path: Path) -> None:
    doc = good_doc()
    doc["projects"][0]["budget"] = {"approved": "1.2M", "actual_to_date": "430k"}
    a = load_portfolio(write(tmp_path, "a.yaml", doc))
    b = load_portfolio(write(tmp_path, "b.json", doc))
    assert a.projects[0].budget == b.projects[0].budget
    assert yaml.safe_load("x: 400k")["x"] == "400k"  # YAML leaves literals as text for us
