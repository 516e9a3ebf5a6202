"""Every evaluation ends: an evaluation budget per rule, and regexes matched by RE2."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pmo_rules import api, limits

from .contract import policy_file, portfolio_file, run

SMALL = {"PMO_RULES_MAX_STEPS": "200000"}


def _projects(n: int, risks: int = 3) -> list[dict[str, object]]:
    return [{"id": f"P{i:03}", "name": f"p{i}", "tier": 1 + i % 3,
             "risks": [{"id": f"R{i}-{j}", "probability": 3, "impact": 2}
                       for j in range(risks)]} for i in range(n)]


@pytest.mark.parametrize("body", [
    # projects x projects x risks (the reproducer) and its siblings
    "all a in projects: all b in projects: all r in risks: r.score > p.tier - 9",
    "count(a in projects where count(b in projects where b.tier >= p.tier) > 0) > 0",
    "sum(a in projects: sum(b in projects: sum(r in risks: r.score + p.tier))) > 0",
    "any a in projects: any b in projects: any c in projects: a.id == p.id and b.id == c.name",
    "all a in projects: len(descendants(a)) + len(ancestors(p)) >= 0",
])
def test_a_costly_rule_ends_as_one_error_naming_the_rule_and_the_limit(
        tmp_path: Path, body: str) -> None:
    pol = policy_file(tmp_path, body)
    projects = _projects(120)
    for i, p in enumerate(projects[1:], 1):
        p["depends_on"] = [f"P{i - 1:03}"]
    data = portfolio_file(tmp_path, projects)
    out = run(["check", str(data), "--policy", str(pol), "--format", "json"], env=SMALL,
              allow_error=True, seconds=20)
    assert out.exit_code == 3
    report = out.json()
    [error] = report["errors"]
    assert (error["rule"], error["subject"]["kind"]) == ("T-1", "portfolio")
    assert "stopped after 200,000 evaluation steps" in error["message"]
    assert "PMO_RULES_MAX_STEPS" in error["message"]
    assert [f["status"] for f in report["findings"]] == ["error"]  # no partial results


def test_other_rules_still_run_and_the_text_report_says_why(tmp_path: Path) -> None:
    pol = tmp_path / "p.pmo"
    pol.write_text('policy "t" {\n'
                   '  rule T-1 "costly" {\n    for p in projects\n'
                   '    require all a in projects: all b in projects: a.tier <= b.tier + p.tier\n'
                   '  }\n'
                   '  rule T-2 "cheap" {\n    for p in projects\n    require p.tier < 3\n  }\n}\n',
                   encoding="utf-8")
    data = portfolio_file(tmp_path, _projects(100, risks=0))
    out = run(["check", str(data), "--policy", str(pol)], env=SMALL, allow_error=True)
    assert out.exit_code == 3
    assert "T-1" in out.stdout and "stopped after 200,000 evaluation steps" in out.stdout
    assert "T-2" in out.stdout and "33 fail" in out.stdout


def test_the_budget_is_deterministic_and_the_same_on_both_paths(tmp_path: Path) -> None:
    pol = policy_file(tmp_path, "count(a in projects where a.tier == p.tier) > 0")
    loaded = api.load_portfolio(portfolio_file(tmp_path, _projects(60)))
    checked = api.load_policies([pol])
    # 60 subjects, each counting 60 projects (a join would look only at its candidates,
    # but `a.tier == p.tier` is planned as a join: 60 + 60 * 20 candidates)
    for fast in (True, False):
        ok = api.check(loaded, checked, max_steps=60 + 60 * 20, fast=fast)
        assert ok.summary()["error"] == 0
        over = api.check(loaded, checked, max_steps=60 + 60 * 20 - 1, fast=fast)
        assert over.summary()["error"] == 1


def test_the_default_budget_fits_the_standard_library_with_room() -> None:
    assert limits.STEPS.default >= 10_000_000


@pytest.mark.parametrize("pattern", ["(a|a)*b", "^(a+)+$", "^(\\\\w+\\\\s?)+$", "(a*)*c",
                                     "^(a|aa)+$", "(x+x+)+y"])
def test_ambiguous_patterns_match_in_linear_time(tmp_path: Path, pattern: str) -> None:
    pol = policy_file(tmp_path, f'p.name matches "{pattern}"')
    data = portfolio_file(tmp_path, [{"id": "A", "name": "a" * 200_000 + "!"},
                                     {"id": "X", "name": "x" * 100_000}])
    began = time.process_time()
    out = run(["check", str(data), "--policy", str(pol), "--format", "json"], seconds=10)
    assert time.process_time() - began < 5
    assert out.exit_code == 1


@pytest.mark.parametrize(("pattern", "message"), [
    ("a{4294967296}", "the repetition count 4294967296 is past the limit of 1000"),
    ("a{1001}", "the repetition count 1001 is past the limit of 1000"),
    ("a{2,99999999999999999999}", "the repetition count 99999999999999999999 is past"),
    ("((a{1000}){1000}){1000}", "does not compile"),
    ("(?<=a)b", "does not compile: invalid perl operator"),
    ("\\\\Z", "does not compile"),
    ("[", "does not compile: missing ]"),
    ("a" * 501, "the pattern is 501 characters long; the limit is 500"),
])
def test_patterns_re2_refuses_are_pmo211_at_their_place(tmp_path: Path, pattern: str,
                                                          message: str) -> None:
    pol = policy_file(tmp_path, f'p.name matches "{pattern}"')
    out = run(["validate", "--format", "json", str(pol)])
    [diag] = out.json()["diagnostics"]
    assert (diag["code"], diag["line"], diag["column"]) == ("PMO211", 4, 13)
    assert message in diag["message"]


@pytest.mark.parametrize("pattern", ["\\\\{4294967296}", "[{]4294967296}", "\\\\Qa{9999}\\\\E",
                                     "\\\\p{Greek}+", "x{2}"])
def test_braces_that_are_not_counts_are_fine(tmp_path: Path, pattern: str) -> None:
    pol = policy_file(tmp_path, f'p.name matches "{pattern}"')
    assert run(["validate", str(pol)]).exit_code == 0


def test_text_with_lone_surrogates_is_matched(tmp_path: Path) -> None:
    pol = policy_file(tmp_path, 'p.name matches "^a"')
    data = tmp_path / "d.json"
    data.write_text('{"as_of": "2026-11-26", "projects": [{"id": "A", "name": "a\\\\ud800"}]}',
                    encoding="utf-8")
    assert run(["check", str(data), "--policy", str(pol)]).exit_code == 0
