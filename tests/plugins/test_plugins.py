"""The plugin system: every hook, isolation of broken plugins, type-checked plugin calls."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pmo_rules import api
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.plugins import hookspecs
from pmo_rules.plugins.manager import HOOKS, load_plugins
from pmo_rules.testing import PluginHarness, portfolio_data
from tests.plugins import sample
from tests.shared import shared_path

ROOT = Path(__file__).parents[2]
PROJECTS = [
    {"tier": 1, "status": "active", "budget": {"approved": 100, "actual_to_date": 50}},
    {"tier": 3, "status": "active", "budget": {"approved": 100, "actual_to_date": 150}},
]
GOOD = """policy "good" {
    rule G-001 "Spend within budget" {
        for p in projects where t.ratio(p) exists
        require t.ratio(p, 100) <= 100
    }
    rule G-002 "Low tier" {
        check t.tiered(max_tier: 2, label: "x")
    }
    rule G-003 "Has a tier" {
        for p in projects
        require p.tier exists
    }
}
"""


def harness(**extra: object) -> PluginHarness:
    return PluginHarness({"t": sample.Complete(), **extra})


def statuses(report: Any) -> dict[tuple[str, str], str]:
    return {(f.rule.id, f.subject.id): f.status for f in report.findings}


def test_every_hook_is_exercised() -> None:
    h = harness()
    col = h.plugins.collected
    assert set(col.functions) == {"t.ratio"}
    assert set(col.checks) == {"t.tiered"}
    assert set(col.lifecycles) == {"t-life"}
    assert set(col.policy_packs) == {"t-pack"}
    assert set(col.loaders) == {"t-kv"}
    assert col.reporters["t-count"].render.__name__ == "_render"
    report = h.check(GOOD, portfolio_data(*PROJECTS), show_passes=True)
    got = statuses(report)
    assert got[("G-001", "P-1")] == "pass" and got[("G-001", "P-2")] == "fail"
    assert got[("G-002", "P-1")] == "pass" and got[("G-002", "P-2")] == "fail"
    fail = next(f for f in report.findings if f.rule.id == "G-002" and f.status == "fail")
    assert fail.evidence[0].values == {"tier": 3, "label": "x"}
    assert fail.evidence[0].clause == 'check t.tiered(max_tier: 2, label: "x")'
    assert col.reporters["t-count"].render(report) == str(len(report.findings))
    assert [p["name"] for p in report.plugins] == ["t"]
    assert "PF" in sample.ENRICHED  # pmo_rules_portfolio_loaded ran


def test_enrichment_adds_under_each_entitys_own_custom() -> None:
    loaded = harness().portfolio(portfolio_data(*PROJECTS))
    assert all(p.custom == {"enriched": True} for p in loaded.projects)
    assert loaded.projects[0].custom is not loaded.projects[1].custom


def test_loader_hook_chooses_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "export.kv"
    path.write_text("P-1 alpha 1\nP-2 beta 3\n")
    loaded = api.load_portfolio(path, plugins=harness().plugins)
    assert [p.id for p in loaded.projects] == ["P-1", "P-2"]
    assert loaded.sources[0].path == str(path)


def test_plugin_lifecycle_phases_are_known() -> None:
    h = harness()
    data = portfolio_data({"lifecycle": "t-life", "phase": "build", "status": "active"})
    report = h.check('policy "x" { rule X-1 "p" { for p in projects '
                     'require p.phase < "run" } }', data)
    assert report.summary()["fail"] == 0 and report.summary()["pass"] == 1


def test_policy_pack_loads_on_request() -> None:
    plugins = harness().plugins
    checked = api.load_policies([], plugins=plugins, packs=["t-pack"])
    assert [r.rule.id for r in checked.rules] == ["TP-001"]
    with pytest.raises(DiagnosticError) as err:
        api.load_policies([], plugins=plugins, packs=["t-pak"])
    assert "did you mean `t-pack`" in str(err.value.diagnostics[0].help)


BROKEN = GOOD.replace("}\n}\n", """}
    rule B-001 "Boom" { check bad.boom() }
    rule B-002 "Explode" { for p in projects require bad.explode(p) > 0 }
    rule B-003 "Shape" { check shape.dict() }
}
""")


def test_broken_checks_and_functions_leave_other_rules_intact() -> None:
    clean = harness().check(GOOD, portfolio_data(*PROJECTS), show_passes=True)
    h = harness(bad=sample.RaisingCheck(), shape=sample.WrongShapeCheck())
    report = h.check(BROKEN, portfolio_data(*PROJECTS), show_passes=True)
    got = statuses(report)
    assert {k: v for k, v in got.items() if k[0].startswith("G")} == statuses(clean)
    boom = next(f for f in report.findings if f.rule.id == "B-001")
    assert boom.status == "error"
    assert "plugin `bad`" in boom.message and "RuntimeError: database offline" in boom.message
    assert got[("B-002", "P-1")] == "error" and got[("B-002", "P-2")] == "error"
    shape = next(f for f in report.findings if f.rule.id == "B-003")
    assert shape.status == "error" and "expected a list of CheckResult" in shape.message


@pytest.mark.parametrize(("plugin", "hook", "needle"), [
    (sample.WrongShapeHook(), "pmo_rules_checks", "returned str, expected a list"),
    (sample.WrongShapeHook(), "pmo_rules_functions", "holding SimpleNamespace"),
    (sample.RaisingHook(), "pmo_rules_checks", "ImportError: optional dependency missing"),
])
def test_bad_hooks_are_reported_not_fatal(plugin: object, hook: str, needle: str) -> None:
    h = harness(bad=plugin)
    assert "t.tiered" in h.plugins.collected.checks  # hooks run once, on first use
    failures = [f for f in h.plugins.failures if f.hook == hook]
    assert failures and needle in failures[0].error and failures[0].plugin == "bad"
    assert "t.tiered" in h.plugins.collected.checks  # the good plugin is unaffected
    entry = next(e for e in h.plugins.report_entries() if e["name"] == "bad")
    assert entry["failed"]


def test_rules_of_a_failed_plugin_error_at_run_time_only() -> None:
    h = harness(bad=sample.RaisingHook())
    policy = GOOD.replace("}\n}\n", '}\n    rule B-001 "b" { check bad.whatever(x: 1) }\n}\n')
    report = h.check(policy, portfolio_data(*PROJECTS))
    err = next(f for f in report.findings if f.rule.id == "B-001")
    assert err.status == "error" and "optional dependency missing" in err.message
    assert report.counts["G-003"].passed == 2


def test_unknown_hook_is_refused_by_check_pending() -> None:
    plugins = load_plugins({"odd": sample.UnknownHook(), "t": sample.Complete()},
                           entry_points=False)
    assert plugins.names() == ["t"]
    assert "pmo_rules_fnctions" in plugins.failures[0].error


class _FakeEntryPoint:
    def __init__(self, name: str, error: Exception | None, plugin: object = None) -> None:
        self.name, self.value, self._error, self._plugin = name, f"{name}_mod", error, plugin
        self.dist = type("Dist", (), {"version": "9.9"})()

    def load(self) -> object:
        if self._error is not None:
            raise self._error
        return self._plugin


def test_import_error_is_recorded_with_name_and_version() -> None:
    eps = [_FakeEntryPoint("broken", ImportError("No module named 'nope'")),
           _FakeEntryPoint("t", None, sample.Complete())]
    plugins = load_plugins(discover=lambda: eps)  # type: ignore[arg-type,return-value]
    assert plugins.names() == ["t"] and plugins.versions["t"] == "9.9"
    (failure,) = plugins.failures
    assert (failure.plugin, failure.version) == ("broken", "9.9")
    assert "No module named 'nope'" in failure.error


@pytest.mark.parametrize(("call", "needle"), [
    ("check t.tiered(max_tir: 2)", "max_tir"),
    ('check t.tiered(max_tier: "two")', "max_tier"),
    ("check t.tierd(max_tier: 2)", "did you mean `t.tiered`"),
    ("for p in projects require t.ratio(p, \"x\") > 1", "scale"),
    ("for p in projects require t.ratio(p, size: 1) > 1", "size"),
])
def test_plugin_calls_are_type_checked(call: str, needle: str, tmp_path: Path) -> None:
    path = tmp_path / "p.pmo"
    path.write_text(f'policy "x" {{\n    rule X-1 "x" {{\n        {call}\n    }}\n}}\n')
    with pytest.raises(DiagnosticError) as err:
        api.load_policies([path], plugins=harness().plugins)
    diags = err.value.diagnostics
    for diag in diags:
        assert diag.span is not None and diag.span.file == str(path) and diag.span.line == 3
        assert diag.span.column > 1
    assert any(needle in d.message + str(d.help) for d in diags)


def test_trace_env_prints_hook_calls(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PMO_RULES_TRACE_PLUGINS", "1")
    load_plugins({"t": sample.Complete()}, entry_points=False).collected  # noqa: B018
    err = capsys.readouterr().err
    assert "registered t" in err and "pmo_rules_checks -> t: 1 item(s)" in err


def test_every_hook_is_documented_with_its_signature() -> None:
    doc = (ROOT / "docs" / "plugins.md").read_text()
    specs = [n for n in dir(hookspecs) if n.startswith("pmo_rules_")]
    assert sorted(specs) == sorted(HOOKS)
    for name in specs:
        import inspect

        sig = f"{name}{inspect.signature(getattr(hookspecs, name))}"
        assert sig.replace("'", "") in doc, f"docs/plugins.md lacks `{sig}`"


def _installed(dist: str) -> bool:
    try:
        metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        return False
    return True


# The built-in plugins install with pmo-rules; the third-party example is its own package.
first_party = pytest.mark.skipif(
    not _installed("acme-pmo-rules"),
    reason="the third-party example is not installed (pip install -e examples/third_party_plugin)")


@first_party
def test_language_example_validates_with_first_party_plugins(tmp_path: Path) -> None:
    spec = shared_path("spec")
    text = (spec / "LANGUAGE.md" if spec else ROOT / "docs" / "language.md").read_text()
    match = re.search(r"## A whole example\n\n```\n(.*?)```", text, re.S)
    if match is None:
        pytest.skip("the language example is not available here")
    path = tmp_path / "example.pmo"
    path.write_text(match.group(1))
    assert "check lifecycle.gate_artifacts(tier: 1)" in match.group(1)
    result = CliRunner().invoke(_main(), ["validate", str(path)])
    assert result.exit_code == 0, result.output


@first_party
def test_harness_runs_the_third_party_check() -> None:
    import acme_pmo.plugin

    h = PluginHarness({"acme": acme_pmo.plugin})
    data = portfolio_data({"status": "active", "risks": [
        {"id": "R-1", "status": "open"}, {"id": "R-2", "status": "open", "owner": None}]})
    (result,) = h.run_check("acme.risk_owners", data, max_unowned=1)
    assert not result.passed and result.evidence["unowned"] == ["R-1", "R-2"]


def _main() -> Any:
    from pmo_rules.cli import main

    return main


@first_party
@pytest.mark.parametrize(("pack", "rules"), [
    ("lifecycle", {"LCP-002", "LCP-003", "LCP-006"}),
    ("process", {"PRC-001", "PRC-005", "PRC-006"}),
    ("evm", {"EVM-001", "EVM-002", "EVM-003", "EVM-004"}),
    ("acme", {"ACME-001", "ACME-002", "ACME-003"}),
])
def test_installed_packs_run_on_the_example_portfolio(pack: str, rules: set[str]) -> None:
    checked = api.load_policies([], packs=[pack])
    assert {r.rule.id for r in checked.rules} == rules
    report = api.check(api.load_portfolio(ROOT / "examples" / "portfolio.yaml"), checked)
    assert not report.errors
    assert set(report.counts) == rules
    assert any(p["name"] == pack for p in report.plugins)


@first_party
def test_plugins_command_lists_versions_and_provides() -> None:
    result = CliRunner().invoke(_main(), ["plugins"])
    assert result.exit_code == 0
    assert "acme 1.2.0" in result.output and "lifecycle.gate_artifacts" in result.output


def test_plugins_command_with_nothing_extra_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only pmo-rules installed: the built-in plugins and formats, and how to add one."""
    import json

    from pmo_rules.plugins import extend

    own = [ep for ep in metadata.entry_points(group="pmo_rules")
           if ep.dist is not None and ep.dist.metadata["Name"] == "pmo-rules"]
    monkeypatch.setattr(extend, "installed", lambda: load_plugins(discover=lambda: own))
    result = CliRunner().invoke(_main(), ["plugins"])
    assert result.exit_code == 0, result.output
    built_in, rest = result.output.split("Installed separately:\n", 1)
    for name in ("standard", "lifecycle", "process", "evm"):
        assert re.search(rf"^  {name} \d", built_in, re.M), name
    assert "lifecycles: ipa-gateway, pmbok, prince2-style, safe-portfolio, stage-gate" in built_in
    assert rest.startswith("  none\n")
    assert "Built-in report formats" in rest and "  sarif: " in rest
    assert "Built-in portfolio formats" in rest and "  csv: " in rest
    assert "[project.entry-points.pmo_rules]" in rest
    listed = json.loads(CliRunner().invoke(_main(), ["plugins", "--format", "json"]).output)
    from pmo_rules.importers import PLUGINS as IMPORTERS

    assert {e["name"] for e in listed} == {"standard", "lifecycle", "process", "evm",
                                           *IMPORTERS}
    assert all(e["builtin"] and e["distribution"] == "pmo-rules" for e in listed)


class _EvmPlugin:
    """Sets derived earned-value data on one project's nested record."""

    @hookspecs.hookimpl
    def pmo_rules_portfolio_loaded(self, portfolio: Any) -> None:
        portfolio.projects[0].evm.bac = 1000.0


def test_enrichment_of_one_nested_record_leaves_the_others_alone() -> None:
    loaded = PluginHarness({"e": _EvmPlugin()}).portfolio(
        portfolio_data({"status": "active"}, {"status": "active"}))
    first, second = loaded.projects
    assert first.evm.bac == 1000.0 and second.evm.bac is None
