"""The standard pack on a portfolio mixing six lifecycles: each project is checked against
its own gates, and the findings are exactly the ones the example was built with."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pmo_rules import api
from pmo_rules.cli import main
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.model.portfolio import LoadedPortfolio

from .conftest import MIXED

FINDINGS = {
    ("ART-01", "HC-09"),  # prince2-style: initiating on a draft business case
    ("LC-02", "HC-09"),   # ... without a go at authorize_initiation
    ("LC-03", "HC-06"),   # SAFe: lean business case approved after the go decision
    ("LC-04", "HC-07"),   # council's YAML lifecycle: MW2 signed off by staff, needs a manager
    ("LC-04", "HC-08"),   # pmbok tier 1: G1 decided by a director, needs an executive
}


def test_the_standard_pack_finds_exactly_what_the_example_holds(
        mixed: LoadedPortfolio, mixed_lifecycles: list[LifecycleModel]) -> None:
    policies = api.load_policies([], packs=["standard"], lifecycles=mixed_lifecycles)
    report = api.check(mixed, policies)
    assert {(f.rule.id, f.subject.id) for f in report.findings} == FINDINGS
    assert not report.errors
    lifecycles = {p.lifecycle or "pmbok" for p in mixed.projects}
    assert lifecycles == {"pmbok", "prince2-style", "stage-gate", "safe-portfolio",
                          "ipa-gateway", "council-minor-works"}


def test_evidence_names_the_gate_of_the_projects_own_lifecycle(
        mixed: LoadedPortfolio, mixed_lifecycles: list[LifecycleModel]) -> None:
    policies = api.load_policies([], packs=["standard"], lifecycles=mixed_lifecycles)
    report = api.check(mixed, policies, select=["LC-0*"])
    witnesses = {(f.rule.id, f.subject.id): f.evidence[0].witnesses for f in report.findings}
    assert witnesses == {("LC-02", "HC-09"): ("authorize_initiation",),
                         ("LC-03", "HC-06"): ("go",), ("LC-04", "HC-07"): ("MW2",),
                         ("LC-04", "HC-08"): ("G1",)}


def test_time_in_phase_reads_the_yaml_lifecycles_limit(
        mixed: LoadedPortfolio, mixed_lifecycles: list[LifecycleModel]) -> None:
    policies = api.load_policies([], packs=["standard"], lifecycles=mixed_lifecycles)
    report = api.check(mixed, policies, select=["LC-07"], params={"epmo-extras.enabled": "true"})
    limits = {f.subject.id: f.message.rsplit("limit ", 1)[1] for f in report.findings}
    # HC-07's council-minor-works `build` phase allows 120 days; the others use the param.
    assert limits == {"HC-01": "180d)", "HC-03": "180d)", "HC-06": "180d)", "HC-07": "120d)"}


def test_check_in_the_example_directory_needs_no_python(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MIXED)
    result = CliRunner().invoke(main, ["check", "portfolio.yaml", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert {(f["rule"], f["subject"]["id"]) for f in report["findings"]} == FINDINGS
