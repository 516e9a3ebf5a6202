"""Deep nesting ends as a diagnostic at its place, never a RecursionError (issue #10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules import limits

from .contract import policy_file, portfolio_file, run

LIMIT = limits.NESTING.default


def shapes(n: int) -> dict[str, str]:
    """Expressions about `n` levels deep, one per way of nesting."""
    half = n // 2
    return {
        "not": "not " * n + "p.tier == 1",
        "negation": "- " * n + "p.tier < 0",
        "parentheses": "(" * n + "p.tier == 1" + ")" * n,
        "and chain": " and ".join(["p.tier == 1"] * n),
        "or chain": " or ".join(["p.tier == 9"] * n),
        "plus chain": " + ".join(["p.tier"] * n) + " < 0",
        "list": "[" * n + "1" + "]" * n + " == p.custom.xs",
        "fields": "p" + ".custom" * n + " exists",
        "indexes": "p.custom.xs" + "[0]" * n + " exists",
        "calls": "len(" + "lower(" * n + "p.name" + ")" * n + ") > 1",
        "quantifiers": "".join(f"all x{i} in projects where x{i}.tier > 5: "
                               for i in range(half)) + "x0.tier == 1",
        "aggregates": "".join(f"sum(x{i} in projects where x{i}.tier > 5: "
                              for i in range(half)) + "x0.tier" + ")" * half + " > 9",
    }


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return portfolio_file(tmp_path, [
        {"id": "A", "name": "A", "tier": 1, "xs": [[1]]},
        {"id": "B", "name": "B", "tier": 2}])


@pytest.mark.parametrize("shape", sorted(shapes(1)))
def test_just_within_the_limit_every_command_works(tmp_path: Path, data: Path,
                                                   shape: str) -> None:
    pol = policy_file(tmp_path, shapes(LIMIT - 4)[shape])
    assert run(["validate", str(pol)]).exit_code == 0
    assert run(["fmt", "--check", str(pol)]).exit_code in (0, 1)
    assert run(["explain", "T-1", "--policy", str(pol)]).exit_code == 0
    report = run(["check", str(data), "--policy", str(pol), "--format", "json"]).json()
    assert report["summary"]["error"] == 0


@pytest.mark.parametrize("shape", sorted(set(shapes(1)) - {"parentheses"}))
def test_past_the_limit_is_pmo112_at_its_place(tmp_path: Path, data: Path, shape: str) -> None:
    pol = policy_file(tmp_path, shapes(LIMIT * 4)[shape])
    for args in (["validate", "--format", "json", str(pol)],
                 ["check", str(data), "--policy", str(pol), "--format", "json"]):
        out = run(args)
        assert out.exit_code == 2
        [diag] = out.json()["diagnostics"]
        assert (diag["code"], diag["file"], diag["line"]) == ("PMO112", str(pol), 4)
        assert diag["column"] > len("    require")


def test_parentheses_alone_do_not_nest(tmp_path: Path, data: Path) -> None:
    pol = policy_file(tmp_path, "(" * 20_000 + "p.tier == 1" + ")" * 20_000)
    assert run(["validate", str(pol)]).exit_code == 0
    assert run(["fmt", str(pol)]).exit_code == 0
    assert "require p.tier == 1\n" in pol.read_text()


def test_the_issues_reproducer_330_nested_not(tmp_path: Path, data: Path) -> None:
    pol = policy_file(tmp_path, "not " * 330 + "true")
    out = run(["check", str(data), "--policy", str(pol)])
    assert out.exit_code == 2
    first = "    require " + "not " * LIMIT  # the first `not` past the limit
    assert f"{pol}:4:{len(first) + 1}: error[PMO112]" in out.stderr


def test_a_deep_message_placeholder_is_pmo112(tmp_path: Path) -> None:
    pol = tmp_path / "p.pmo"
    pol.write_text('policy "t" {\n  rule T-1 "t" {\n    for p in projects\n    require true\n'
                   f'    message "{{{"not " * 300}true}}"\n  }}\n}}\n', encoding="utf-8")
    out = run(["validate", "--format", "json", str(pol)])
    assert [(d["code"], d["line"]) for d in out.json()["diagnostics"]] == [("PMO112", 5)]


def test_the_limit_is_settable(tmp_path: Path) -> None:
    pol = policy_file(tmp_path, "not " * 150 + "true")
    assert run(["validate", str(pol)]).exit_code == 2
    assert run(["validate", str(pol)], env={"PMO_RULES_MAX_NESTING": "200"}).exit_code == 0
    out = run(["validate", str(pol)], env={"PMO_RULES_MAX_NESTING": "100000"})
    assert out.exit_code == 2 and out.codes() == ["PMO630"]
    assert "PMO_RULES_MAX_NESTING" in out.stderr


@pytest.mark.parametrize("defines", [
    ["loops(p) = loops(p)"],
    ["a(p) = b(p)", "b(p) = a(p)"],
    ["a(p) = p.tier > 1 and a(p)"],
])
def test_recursion_is_pmo212_at_the_define(tmp_path: Path, defines: list[str]) -> None:
    pol = policy_file(tmp_path, "a(p)" if "a(" in defines[0] else "loops(p)",
                      defines=defines)
    out = run(["validate", "--format", "json", str(pol)])
    assert out.exit_code == 2
    [diag] = out.json()["diagnostics"]
    assert (diag["code"], diag["line"]) == ("PMO212", 2)


def test_defines_expanding_too_deep_or_too_big_are_pmo219(tmp_path: Path) -> None:
    # Each define is checked expanded: the first whose expansion crosses a limit is named.
    deep = ["d0(x) = not x"] + [f"d{i}(x) = not d{i - 1}(x)" for i in range(1, 150)]
    pol = policy_file(tmp_path, "d149(p.tier > 1)", defines=deep)
    diags = run(["validate", "--format", "json", str(pol)]).json()["diagnostics"]
    assert {d["code"] for d in diags} == {"PMO219"}
    assert diags[0]["line"] == 2 + LIMIT // 2  # the define that nests past the limit
    assert "nests more than 100 levels" in diags[0]["message"]
    big = ["d0(x) = x > 1"] + [f"d{i}(x) = d{i - 1}(x) and d{i - 1}(x)" for i in range(1, 18)]
    pol = policy_file(tmp_path, "d17(p.tier)", defines=big)
    diags = run(["validate", "--format", "json", str(pol)], seconds=10).json()["diagnostics"]
    assert {d["code"] for d in diags} == {"PMO219"}
    assert diags[0]["line"] < 20 and "100,000 expressions" in diags[0]["message"]


def test_a_rule_expanding_defines_too_deep_is_pmo219_at_its_call(tmp_path: Path) -> None:
    defines = ["d0(x) = " + "not " * 60 + "x", "d1(x) = " + "not " * 30 + "d0(x)"]
    pol = policy_file(tmp_path, "not " * 20 + "d1(p.tier > 1)", defines=defines)
    [diag] = run(["validate", "--format", "json", str(pol)]).json()["diagnostics"]
    assert (diag["code"], diag["line"], diag["column"]) == ("PMO219", 6, 13 + 4 * 20)
