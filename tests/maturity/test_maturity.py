"""The maturity indicator on crafted rule results: each level's boundaries, staging, families."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pmo_rules.cli import main
from pmo_rules.maturity import THRESHOLDS, RuleEvidence, assess, level_result
from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES

ROOT = Path(__file__).resolve().parents[2]


def _rules(level: int, with_data: int, without: int, severity: str = "high") -> list[RuleEvidence]:
    """`with_data` rules that passed on data, `without` whose only results are missing data."""
    have = [RuleEvidence(f"X-{level}{i:02}", level, severity, passed=1) for i in range(with_data)]
    lack = [RuleEvidence(f"Y-{level}{i:02}", level, severity, missing_data=1)
            for i in range(without)]
    return have + lack


def _compliant(level: int, passed: int, failed: int, severity: str = "medium") -> RuleEvidence:
    return RuleEvidence(f"C-{level}", level, severity, passed=passed, failed=failed)


@pytest.mark.parametrize(
    ("with_data", "without", "achieved"),
    [
        (8, 2, True),    # coverage 0.8 exactly
        (4, 1, True),    # 0.8 again, from other counts
        (79, 21, False),  # 0.79: one step below
        (3, 1, False),   # 0.75
        (10, 0, True),
    ],
)
@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_coverage_boundary(level: int, with_data: int, without: int, achieved: bool) -> None:
    """A level needs at least 80% of its applicable rules to have data."""
    # Info rules weigh nothing, so one passing critical rule keeps compliance at 100% and
    # only coverage decides.
    rules = [*_rules(level, with_data - 1, without, "info"), _compliant(level, 100, 0, "critical")]
    result = level_result(level, rules)
    assert result.coverage == pytest.approx(with_data / (with_data + without))
    assert result.compliance == 1.0
    assert result.achieved is achieved


def test_missing_data_is_not_a_pass() -> None:
    """Rules whose only results are missing data lower compliance as well as coverage."""
    result = level_result(3, _rules(3, 6, 4))
    assert result.coverage == pytest.approx(0.6)
    assert result.compliance == pytest.approx(0.6)
    assert not result.achieved


@pytest.mark.parametrize(
    ("level", "passed", "failed", "achieved"),
    [
        (2, 80, 20, True), (2, 79, 21, False),
        (3, 85, 15, True), (3, 84, 16, False),
        (4, 90, 10, True), (4, 89, 11, False),
        (5, 90, 10, True), (5, 89, 11, False),
        (3, 17, 3, True),  # 17/20 is 0.85 exactly
    ],
)
def test_compliance_boundary(level: int, passed: int, failed: int, achieved: bool) -> None:
    """A level needs severity-weighted compliance at or above its threshold θ."""
    result = level_result(level, [_compliant(level, passed, failed)])
    assert result.coverage == 1.0
    assert result.compliance == pytest.approx(passed / (passed + failed))
    assert result.threshold == THRESHOLDS[level]
    assert result.achieved is achieved


def test_severity_weights_compliance() -> None:
    """A failing critical rule (8) outweighs a passing low one (1)."""
    rules = [RuleEvidence("A-1", 2, "critical", failed=1), RuleEvidence("B-1", 2, "low", passed=1)]
    assert level_result(2, rules).compliance == pytest.approx(1 / 9)


def test_waived_counts_as_compliant_errors_do_not() -> None:
    """An approved exception is governance working; an error is not evidence."""
    rules = [RuleEvidence("A-1", 3, "high", waived=1), RuleEvidence("B-1", 3, "high", errors=1)]
    result = level_result(3, rules)
    assert result.compliance == pytest.approx(0.5)
    assert result.with_data == 1


def test_not_applicable_rules_are_left_out() -> None:
    """A rule with no subject at all is not in R_L."""
    rules = [_compliant(2, 10, 0), RuleEvidence("N-1", 2, "critical")]
    assert level_result(2, rules).rules == 1


def _level(achieved: set[int]) -> list[RuleEvidence]:
    return [_compliant(lv, 10, 0) if lv in achieved else _compliant(lv, 0, 10)
            for lv in (2, 3, 4, 5)]


@pytest.mark.parametrize(
    ("achieved", "level"),
    [
        (set(), 1), ({2}, 2), ({2, 3}, 3), ({2, 3, 4}, 4), ({2, 3, 4, 5}, 5),
        ({3, 4, 5}, 1),  # staged: level 2 missed means level 1, whatever is above
        ({2, 4, 5}, 2),
    ],
)
def test_level_is_staged(achieved: set[int], level: int) -> None:
    """level = the highest L with every level 2..L achieved, else 1 (docs/maturity.md)."""
    assert assess(_level(achieved)).level == level


def test_empty_level_is_not_evidenced_overall_but_skipped_in_a_family() -> None:
    """No level-5 rules caps the overall level at 4; a family without level-2 rules climbs on."""
    rules = [_compliant(2, 10, 0), _compliant(3, 10, 0), _compliant(4, 10, 0)]
    assert assess(rules).level == 4
    assert assess([_compliant(3, 10, 0)], "LC").level == 1
    assert assess([_compliant(3, 10, 0)], "LC", skip_empty=True).level == 3


@given(st.lists(st.tuples(st.sampled_from([2, 3, 4, 5]),
                          st.sampled_from(["info", "low", "medium", "high", "critical"]),
                          st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)), max_size=12))
def test_indicator_is_bounded(raw: list[tuple[int, str, int, int, int]]) -> None:
    """Whatever the results, coverage, compliance and score stay in 0..1 and the level in 1..5."""
    rules = [RuleEvidence(f"R-{i}", lv, sev, passed=p, failed=f, missing_data=m)
             for i, (lv, sev, p, f, m) in enumerate(raw)]
    view = assess(rules)
    assert 1 <= view.level <= 5
    assert 0.0 <= view.score <= 1.0
    for lv in view.levels:
        assert 0.0 <= lv.coverage <= 1.0
        assert 0.0 <= lv.compliance <= 1.0 + 1e-12
        assert not lv.achieved or lv.rules > 0


def test_missing_data_failure_from_a_real_report() -> None:
    """REP-01 fails P-302 for a missing reported_on: that failure is not evidence."""
    from pmo_rules import api
    from pmo_rules.maturity import is_missing_data, rule_evidence

    report = api.check(api.load_portfolio(ROOT / "examples" / "portfolio.yaml"),
                       api.load_policies([STANDARD_POLICIES]), select=["REP-01"])
    [p302] = [f for f in report.findings if f.subject.id == "P-302"]
    assert is_missing_data(p302)
    [rep01] = rule_evidence(report)
    assert rep01.missing_data == 1
    assert rep01.has_data


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_says_it_is_an_indicator(fmt: str) -> None:
    """The command shows levels per family and overall, and never claims a certified rating."""
    result = CliRunner().invoke(main, [
        "maturity", str(ROOT / "examples" / "portfolio.yaml"), "--policy", str(STANDARD_POLICIES),
        "--waivers", str(ROOT / "examples" / "waivers.yaml"), "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        data = json.loads(result.output)
        assert "not a certified" in data["disclaimer"]
        assert {f["name"] for f in data["families"]} >= {"LC", "ART", "FIN", "DEP", "PFB"}
        assert 1 <= data["overall"]["level"] <= 4
    else:
        assert "not a certified" in result.output
        assert "PMO maturity indicator: level" in result.output


def test_cli_bad_portfolio_exits_2(tmp_path: Path) -> None:
    """A portfolio that does not exist is a diagnostic and exit 2."""
    result = CliRunner().invoke(main, ["maturity", str(tmp_path / "nope.yaml"),
                                       "--policy", str(STANDARD_POLICIES)])
    assert result.exit_code == 2


def test_docs_state_the_formula_and_show_what_the_command_prints(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/maturity.md's formula and worked example agree with the command's output."""
    doc = (ROOT / "docs" / "maturity.md").read_text(encoding="utf-8")
    assert "**level** = the highest L such that levels 2..L are all achieved" in doc
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["maturity", "examples/portfolio.yaml",
                                       "--waivers", "examples/waivers.yaml"])
    assert result.exit_code == 0, result.output
    shown = doc.split("## A worked example", 1)[1].split("```\n", 2)[1]
    printed = result.stdout.split("\n\nfamily", 1)[0] + "\n"
    assert shown == printed
    data = json.loads(CliRunner().invoke(main, [
        "maturity", "examples/portfolio.yaml", "--waivers", "examples/waivers.yaml",
        "--format", "json"]).stdout)
    staged = 1
    for level in data["overall"]["levels"]:
        if not level["achieved"]:
            break
        staged = level["level"]
    assert data["overall"]["level"] == staged == 3
