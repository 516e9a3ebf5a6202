"""The fast load path gives exactly the records the exact path gives, and defers every problem
to it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.model import load as load_module
from pmo_rules.model.fast_resolve import fast_resolve
from pmo_rules.model.fast_schema import fast_validator
from pmo_rules.model.lifecycles import builtin_lifecycles
from pmo_rules.model.load import load_portfolio
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.model.records import EMPTY_DICT, EMPTY_LIST, Record
from tests.model.test_load import GOOD
from tests.shared import require_shared

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_portfolio import generate  # noqa: E402


def canon(value: Any, top: bool = True) -> Any:
    """A comparable form: records by type and field values; entities met through a
    reference by (type, id)."""
    if isinstance(value, Record):
        ident = getattr(value, "id", None)
        if not top and isinstance(ident, str):
            return (type(value).__name__, ident)
        return (type(value).__name__,
                {k: canon(getattr(value, k), False) for k in type(value).__slots__})
    if isinstance(value, list):
        return [canon(v, False) for v in value]
    if isinstance(value, dict):
        return {k: canon(v, False) for k, v in value.items()}
    return value


def snapshot(lp: LoadedPortfolio) -> dict[str, Any]:
    """Every entity of a loaded portfolio, in comparable form, plus the id tables."""
    out: dict[str, Any] = {
        key: [canon(e) for e in getattr(lp, key)]
        for key in ("people", "objectives", "programs", "projects", "dependencies",
                    "milestones", "risks", "issues")
    }
    out["pmo"], out["portfolio"] = canon(lp.pmo), canon(lp.portfolio)
    out["tables"] = {
        key: sorted(getattr(lp, key)) for key in vars(lp) if key.endswith("_by_id")
    }
    out["rest"] = (lp.as_of, lp.currency, lp.sources, lp.warnings)
    return out


def exact(path: Path) -> LoadedPortfolio:
    """Load through the exact path only."""
    return load_module._load(path, None, builtin_lifecycles())


def fast(path: Path) -> LoadedPortfolio | None:
    """Load through the fast path only; None when it defers."""
    return load_module._load_fast(path, None, builtin_lifecycles())[0]


def write(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    text = json.dumps(doc, default=str) if name.endswith(".json") else yaml.safe_dump(doc)
    path.write_text(text, encoding="utf-8")
    return path


def good_doc() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(GOOD)
    return doc


@pytest.mark.parametrize("name", ["p.json", "p.yaml"])
@pytest.mark.parametrize("source", ["good", "generated", "example"])
def test_fast_path_equals_exact_path(tmp_path: Path, name: str, source: str) -> None:
    if source == "good":
        doc = good_doc()
    elif source == "generated":
        doc = generate(60, seed=3, cycles=2)
    else:
        doc = yaml.safe_load((ROOT / "examples" / "portfolio.yaml").read_text(encoding="utf-8"))
    path = write(tmp_path, name, doc)
    quick = fast(path)
    assert quick is not None
    assert snapshot(quick) == snapshot(exact(path))


def test_benchmark_conversion_loads_on_the_fast_path(tmp_path: Path) -> None:
    perf = require_shared("perf")
    bench = tmp_path / "b.json"
    bench.write_text(subprocess.run(
        [sys.executable, str(perf / "gen_portfolio.py"), "300", "--seed", "2"],
        check=True, capture_output=True, text=True).stdout, encoding="utf-8")
    converted = tmp_path / "p.json"
    converted.write_text(subprocess.run(
        [sys.executable, str(perf / "convert.py"), str(bench)],
        check=True, capture_output=True, text=True).stdout, encoding="utf-8")
    quick = fast(converted)
    assert quick is not None and len(quick.projects) == 300
    assert snapshot(quick) == snapshot(exact(converted))


def _edit(doc: dict[str, Any], change: str) -> None:
    p1, p2 = doc["projects"]
    if change == "unknown key":
        p2["colour"] = "blue"
    elif change == "bad health":
        p1["health"] = "crimson"
    elif change == "bad gate decision":
        p2["gates"] = {"G2": "maybe"}
    elif change == "duplicate keyed item":
        p2["artifacts"] = [{"type": "charter"}, {"type": "charter"}]
    elif change == "unknown objective":
        p2["objectives"] = ["O-9"]
    elif change == "unknown dependency end":
        p2["depends_on"] = ["P-9"]
    elif change == "self dependency":
        p2["depends_on"] = ["P-2"]
    elif change == "duplicate dependency":
        p2["depends_on"] = ["P-1", "P-1"]
    elif change == "milestone named like a project":
        p1["milestones"][0]["id"] = "P-2"
    elif change == "unknown phase":
        p1["phase"] = "planing"
    elif change == "unknown lifecycle":
        p1["lifecycle"] = "prince"
    elif change == "no as_of":
        del doc["as_of"]
    elif change == "unknown owner":
        doc["dependencies"][0]["owner"] = "U-9"
    elif change == "wrong type":
        p1["risks"][0]["probability"] = "high"


CHANGES = ["unknown key", "bad health", "bad gate decision", "duplicate keyed item",
           "unknown objective", "unknown dependency end", "self dependency",
           "duplicate dependency", "milestone named like a project", "unknown phase",
           "unknown lifecycle", "no as_of", "unknown owner", "wrong type"]


@pytest.mark.parametrize("name", ["p.json", "p.yaml"])
@pytest.mark.parametrize("change", CHANGES)
def test_every_problem_is_left_to_the_exact_path(tmp_path: Path, name: str, change: str) -> None:
    doc = good_doc()
    _edit(doc, change)
    path = write(tmp_path, name, doc)
    assert fast(path) is None
    try:
        expected: Any = snapshot(exact(path))
    except DiagnosticError as exc:
        expected = [d.render() for d in exc.diagnostics]
    try:
        found: Any = snapshot(load_portfolio(path))
    except DiagnosticError as exc:
        found = [d.render() for d in exc.diagnostics]
    assert found == expected


_SHORT = st.sampled_from(["approved", "draft", {"status": "approved"}, {"type": "x"},
                          {"status": "draft", "approved_by": "U-1"}])


@settings(max_examples=40, deadline=None)
@given(
    health=st.sampled_from(["red", "green", {"overall": "amber", "trend": "stable"}, None]),
    artifacts=st.dictionaries(st.sampled_from(["charter", "plan", "case"]), _SHORT,
                              max_size=3),
    listed=st.booleans(),
    depends=st.lists(st.sampled_from(["P-1", {"id": "M-1", "type": "SS"},
                                      {"id": "P-1", "lag_days": 2, "owner": "U-2"}]),
                     max_size=2, unique_by=lambda v: json.dumps(v)),
    links=st.lists(st.sampled_from(["O-1", {"id": "O-1", "contribution": "low"}]), max_size=2),
)
def test_shorthands_expand_as_on_the_exact_path(
    tmp_path_factory: pytest.TempPathFactory, health: Any, artifacts: dict[str, Any],
    listed: bool, depends: list[Any], links: list[Any],
) -> None:
    doc = good_doc()
    p2 = doc["projects"][1]
    if health is not None:
        p2["health"] = health
    p2["artifacts"] = (
        [{"type": k, **(v if isinstance(v, dict) else {"status": v})} for k, v in artifacts.items()]
        if listed else artifacts
    )
    ids = [d if isinstance(d, str) else d["id"] for d in depends]
    if len(set(ids)) != len(ids):
        return
    p2["depends_on"], p2["objectives"] = depends, links
    path = write(tmp_path_factory.mktemp("p"), "p.json", doc)
    try:
        expected: Any = snapshot(exact(path))
    except DiagnosticError as exc:
        expected = [d.render() for d in exc.diagnostics]
    quick = fast(path)
    if quick is not None:
        assert snapshot(quick) == expected
    else:
        assert isinstance(expected, list)


def test_fast_validator_builds_records_and_refuses_extras() -> None:
    doc = fast_validator().validate_python(
        {"projects": [{"id": "P", "name": "n", "health": "red", "depends_on": ["A"]}]})
    project = doc.projects[0]
    assert isinstance(project, Record) and not hasattr(project, "__dict__")
    assert project.health.overall == "red" and project.depends_on[0].id == "A"
    assert project.risks is EMPTY_LIST and project.custom is EMPTY_DICT
    with pytest.raises(TypeError, match="shared"):
        project.risks.append(1)
    with pytest.raises(ValueError, match="x"):
        fast_validator().validate_python({"projects": [{"id": "P", "name": "n", "x": 1}]})
    assert fast_resolve(doc, builtin_lifecycles()) is None  # `A` is not declared


@pytest.mark.parametrize("freeze", [True, False])
def test_freeze_is_optional(tmp_path: Path, freeze: bool) -> None:
    import gc

    gc.unfreeze()
    load_portfolio(write(tmp_path, "p.json", good_doc()), freeze=freeze)
    assert (gc.get_freeze_count() > 0) is freeze
    gc.unfreeze()


def test_repeated_dates_and_category_text_are_stored_once() -> None:
    def project(i: int) -> dict[str, Any]:
        # Built text, as a parser makes it: equal values, distinct objects.
        return {"id": f"P{i}", "name": f"n{i}", "phase": "".join(["exec", "uting"]),
                "artifacts": {"".join(["char", "ter"]): {"status": "".join(["appr", "oved"])}},
                "schedule": {"baseline_start": "".join(["2026-01-", "05"])}}

    doc = fast_validator().validate_python({"projects": [project(1), project(2)]})
    a, b = doc.projects
    assert a.phase == "executing" and a.phase is b.phase
    [(key_a, art_a)], [(key_b, art_b)] = a.artifacts.items(), b.artifacts.items()
    assert key_a is key_b and art_a.type is art_b.type and art_a.status is art_b.status
    assert a.schedule.baseline_start is b.schedule.baseline_start
    assert a.id is not b.id and a.name != b.name  # ids and names are not interned


def test_the_shared_dates_table_is_bounded() -> None:
    """Dates are shared through a table of at most _MAX_DATES, which starts again empty
    when full: endless distinct dates cannot grow it, and dates met after still share."""
    import datetime as dt

    from pmo_rules.model import fast_schema

    table = fast_schema._same_date.__self__  # type: ignore[attr-defined]
    kept = dict(table)
    try:
        table.clear()
        start = dt.date(1000, 1, 1)
        for n in range(fast_schema._MAX_DATES + 50):
            fast_schema._same_date(start + dt.timedelta(days=n))
            assert len(table) <= fast_schema._MAX_DATES
        assert len(table) == 50  # full at _MAX_DATES, then started again
        late = start + dt.timedelta(days=fast_schema._MAX_DATES + 100)
        copy = dt.date(late.year, late.month, late.day)
        assert fast_schema._same_date(copy) is copy
        doc = fast_validator().validate_python({"projects": [
            {"id": f"P{i}", "name": "n", "schedule": {"baseline_start": late.isoformat()}}
            for i in range(2)]})
        a, b = doc.projects
        assert a.schedule.baseline_start is b.schedule.baseline_start is copy
    finally:  # other tests share this process's table
        table.clear()
        table.update(kept)
