"""The project edges the loader hands over are the ones the graph would compute itself."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pmo_rules.graph.portfolio_graph import PortfolioGraph
from pmo_rules.model.load import load_portfolio

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_portfolio import generate  # noqa: E402


def _with_milestone_edges(n: int) -> dict[str, object]:
    doc = generate(n, seed=5, cycles=2)
    projects: list[dict[str, object]] = doc["projects"]  # type: ignore[assignment]
    projects[3]["depends_on"] = [*projects[3]["depends_on"], "M-1"]  # type: ignore[list-item]
    # M-3 is P-3's own milestone (a warning, and the exact load path): link P-5 instead.
    doc["dependencies"] = [{"predecessor": "M-2", "successor": "M-4", "type": "SS"},
                           {"predecessor": "M-3", "successor": "P-5"}]
    return doc


@pytest.mark.parametrize("n", [12, 80])
def test_loaded_edges_equal_computed_edges(tmp_path: Path, n: int) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(_with_milestone_edges(n)), encoding="utf-8")
    lp = load_portfolio(path)
    assert lp.project_edges is not None and len(lp.project_edges) == len(lp.dependencies)
    given = PortfolioGraph(lp)
    lp.project_edges = None
    computed = PortfolioGraph(lp)
    assert given._projects.succ == computed._projects.succ
    assert given._projects.pred == computed._projects.pred
    assert given.cycles() == computed.cycles()
