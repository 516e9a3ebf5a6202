"""Generated policies over generated data keep the contract end to end (issue #10).

Each example writes a policy from the grammar's strategies and a portfolio whose custom
fields hold anything (huge integers, infinities, text where numbers are expected), runs
`pmo-rules check` and asserts the contract, then checks that both evaluation paths agree
and that the generated code holds no policy text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_rules import api
from pmo_rules.engine.report import Report

from .contract import run
from .generated_code import generated_sources, policy_text_in
from .grammar import policies, portfolios

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])


def _outcome(report: Report) -> list[tuple[str, str, str, str, str]]:
    return [(f.rule.id, f.subject.id, f.status, f.message,
             json.dumps([e.to_dict() for e in f.evidence], sort_keys=True))
            for f in report.findings]


def _write(tmp: Path, policy: str, data: dict[str, Any]) -> tuple[Path, Path]:
    pol = tmp / "h.pmo"
    pol.write_text(policy, encoding="utf-8")
    doc = tmp / "h.yaml"
    doc.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return pol, doc


@SETTINGS
@given(policy=policies(), data=portfolios())
def test_generated_policies_keep_the_contract(tmp_path: Path, policy: str,
                                              data: dict[str, Any]) -> None:
    pol, doc = _write(tmp_path, policy, data)
    out = run(["check", str(doc), "--policy", str(pol), "--format", "json"])
    if out.exit_code == 2:
        return  # the contract (every diagnostic placed) was asserted by `run`
    report = out.json()
    assert report["errors"] == [], report["errors"]  # no rule is left unable to run
    for finding in report["findings"]:
        assert finding["status"] in ("fail", "waived"), finding
    checked, loaded = api.load_policies([pol]), api.load_portfolio(doc)
    with generated_sources() as sources:
        fast = api.check(loaded, checked, show_passes=True)
    slow = api.check(loaded, checked, show_passes=True, fast=False)
    assert _outcome(fast) == _outcome(slow)
    for source in sources:
        assert policy_text_in(source) == [], source


@SETTINGS
@given(policy=policies(), at=st.integers(0, 10_000), cut=st.integers(0, 12),
       insert=st.sampled_from(["(", ")", "not ", "[", "]", '"', "{", "}", "9" * 40, " + ",
                               "9999-12-31", "999999999d", "matches ", "a{99999}", "\\",
                               "all x in projects: ", "define d(x) = d(x)\n", "\n", "#"]))
def test_mutated_policies_keep_the_contract(tmp_path: Path, policy: str, at: int, cut: int,
                                            insert: str) -> None:
    at %= len(policy)
    pol, _ = _write(tmp_path, policy[:at] + insert + policy[at + cut:], {})
    for args in (["validate", "--format", "json", str(pol)], ["fmt", "--check", str(pol)],
                 ["explain", "H-1", "--policy", str(pol)]):
        run(args)
