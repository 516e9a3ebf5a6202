"""The generated benchmark portfolio is deterministic and fails each rule only a little."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.graph.portfolio_graph import PortfolioGraph

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from gen_portfolio import generate  # noqa: E402

from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES  # noqa: E402

# Rules whose subjects are too few at this size for a rate to mean anything.
FEW_SUBJECTS = 30


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> api.Report:
    """The starter policies checked against 1,000 generated projects."""
    path = tmp_path_factory.mktemp("gen") / "p.json"
    path.write_text(json.dumps(generate(1000, seed=11)), encoding="utf-8")
    return api.check(api.load_portfolio(path), api.load_policies([STANDARD_POLICIES]))


@pytest.mark.parametrize("seed", [0, 4])
def test_same_seed_same_portfolio(seed: int) -> None:
    assert json.dumps(generate(150, seed=seed)) == json.dumps(generate(150, seed=seed))
    assert generate(150, seed=seed) != generate(150, seed=seed + 1)


def test_no_rule_errors_and_each_fails_on_few_subjects(report: api.Report) -> None:
    failed = Counter(f.rule.id for f in report.findings)
    for rule in report.rules:
        k = report.counts[rule.id]
        assert k.error == 0, rule.id
        subjects = k.passed + k.failed + k.waived
        if subjects >= FEW_SUBJECTS:
            assert failed[rule.id] <= 0.12 * subjects, (rule.id, failed[rule.id], subjects)
    assert 0.3 < len(report.findings) / 1000 < 2.0


@pytest.mark.parametrize(("cycles", "in_cycle"), [(0, False), (3, True)])
def test_about_three_dependencies_and_cycles_only_on_request(
    tmp_path: Path, cycles: int, in_cycle: bool
) -> None:
    doc = generate(400, seed=2, cycles=cycles)
    deps = sum(len(p["depends_on"]) for p in doc["projects"]) + len(doc.get("dependencies", []))
    assert 2.5 <= deps / 400 <= 3.5
    path = tmp_path / "p.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert bool(PortfolioGraph(api.load_portfolio(path)).cycles()) is in_cycle
