"""The standard library in CI: validate is clean, every policy test passes, every rule has a
passing and a failing case, docs/policies.md is current; and the test/explain commands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules import api
from pmo_rules.cli import main
from pmo_rules.policytest import discover, load_suite, run_suite, uncovered
from pmo_rules.policytest.patch import apply_patch
from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES

ROOT = Path(__file__).resolve().parents[2]
POLICIES = STANDARD_POLICIES


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_validate_policies_is_clean() -> None:
    """`pmo-rules validate policies/` reports no problem."""
    code, out = _invoke("validate", str(POLICIES))
    assert code == 0, out
    assert "63 rules: ok" in out


def test_policy_tests_pass_through_the_cli() -> None:
    """`pmo-rules test policies/` passes every case and ends with the summary line."""
    code, out = _invoke("test", str(POLICIES))
    assert code == 0, out
    last = out.strip().splitlines()[-1]
    assert last.endswith("passed, 0 failed")
    assert int(last.split()[0]) >= 2 * 63


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    """No rule of the library goes untested in either direction."""
    results = run_suite(load_suite(discover([POLICIES])))
    ids = [r.rule.id for r in api.load_policies([POLICIES]).rules]
    assert uncovered(results, ids) == {}


def test_docs_are_current() -> None:
    """docs/policies.md is what the generator makes of the rules today."""
    from pmo_rules.policytest.docs import main as docs_main

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert docs_main(["--check"]) == 0, "run `python -m pmo_rules.policytest.docs`"
    finally:
        os.chdir(cwd)


def _write_case(tmp_path: Path, body: str) -> Path:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tmp_path / "p.pmo").write_text('''policy "p" {
    param limit = 100
    rule B-01 "Budget under the limit" {
        severity high
        for p in projects
        require p.budget.approved <= limit
        message "{p.id} has {p.budget.approved}"
    }
}
''', encoding="utf-8")
    (tmp_path / "base.yaml").write_text('''as_of: 2026-01-01
projects:
  - {id: A, name: A, budget: {approved: 50}}
  - {id: B, name: B, budget: {approved: 500}}
''', encoding="utf-8")
    path = tests / "B-01.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_failing_case_shows_expected_against_got(tmp_path: Path) -> None:
    """A wrong expectation exits 1 and says what was expected and what came out."""
    _write_case(tmp_path, '''rule: B-01
base: ../base.yaml
cases:
  - name: A is over
    expect: [{subject: A, status: fail}, {subject: B, status: fail, message: "has 500"}]
''')
    code, out = _invoke("test", str(tmp_path))
    assert code == 1
    assert "A: expected fail, got pass" in out
    assert "0 passed, 1 failed" in out


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("patch: {projects: [{id: A, budget: {approved: 150}}]}\n"
         "    expect: [{subject: A, status: fail}]",
         "1 passed"),
        ("params: {p.limit: 1000}\n    expect: [{subject: B, status: pass}]", "1 passed"),
        ("patch: {projects: [{id: C, name: C}]}\n    expect: [{subject: C, status: fail}]",
         "1 passed"),   # a new entity, missing budget: the require fails
        ("patch: {projects: [{id: B, __delete__: true}]}\n"
         "    expect: [{subject: B, status: not_applicable}]", "1 passed"),
    ],
)
def test_patches_and_params(tmp_path: Path, case: str, expected: str) -> None:
    """Patches merge by id, add and delete entities; params override the policy's."""
    _write_case(tmp_path, f"rule: B-01\nbase: ../base.yaml\ncases:\n  - name: c\n    {case}\n")
    code, out = _invoke("test", str(tmp_path))
    assert code == 0, out
    assert expected in out


HEAD = "rule: B-01\nbase: ../base.yaml\ncases:\n  - name: c\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (HEAD + "    expect: [{subject: A, status: passed}]\n",
         "did you mean `pass`?"),
        (HEAD.replace("B-01", "B-1") + "    expect: [{subject: A, status: pass}]\n",
         "did you mean `B-01`?"),
        ("rule: B-01\nbase: ../base.yaml\ncase:\n  - name: c\n", "did you mean `cases`?"),
        (HEAD.replace("base.yaml", "nope.yaml") + "    expect: [{subject: A, status: pass}]\n",
         "does not exist"),
        ("rule: B-01\ncases: [\n", "not valid YAML"),
        (HEAD + "    patch: {projects: [{id: A, status: dormant}]}\n"
         "    expect: [{subject: A, status: pass}]\n",
         "case `c`"),
    ],
)
def test_bad_test_files_exit_2_with_a_diagnostic(tmp_path: Path, body: str, message: str) -> None:
    """Bad test input is a diagnostic naming the file, and exit 2, never a traceback."""
    path = _write_case(tmp_path, body)
    code, out = _invoke("test", str(tmp_path))
    assert code == 2, out
    assert message in out
    assert str(path) in out
    assert "Traceback" not in out


def test_apply_patch_semantics() -> None:
    """Mappings merge, null deletes, id lists merge by id, other lists are replaced."""
    base = {"a": {"x": 1, "y": 2}, "items": [{"id": "1", "v": 1}], "tags": ["t"]}
    patch = {"a": {"y": None, "z": 3}, "items": [{"id": "1", "v": 2}, {"id": "2"}], "tags": ["u"]}
    assert apply_patch(base, patch) == {
        "a": {"x": 1, "z": 3}, "items": [{"id": "1", "v": 2}, {"id": "2"}], "tags": ["u"]}
    assert base["a"] == {"x": 1, "y": 2}  # the base is not modified


@pytest.mark.parametrize("rule", ["LC-02", "FIN-03", "DEP-04", "PFB-01"])
def test_explain_shows_everything(rule: str) -> None:
    """explain prints title, severity, enforcement, params, the source with file:line and a
    sample finding from the rule's failing case."""
    code, out = _invoke("explain", rule, "--policy", str(POLICIES))
    assert code == 0, out
    assert out.startswith(rule)
    parts = ("severity", "enforcement", "params:", "source:", f"rule {rule} ", "sample finding")
    for part in parts:
        assert part in out
    assert "sample finding: none" not in out


def test_explain_with_the_standard_pack_shows_a_sample_finding(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No policy named (the standard pack) or `--pack standard`: the pack's own test cases
    give the sample finding, as the README promises."""
    monkeypatch.chdir(tmp_path)
    for args in (("explain", "FIN-03"), ("explain", "FIN-03", "--pack", "standard")):
        code, out = _invoke(*args)
        assert code == 0, out
        assert "sample finding (from " in out and "FIN-03.yaml" in out


def test_explain_lists_params_with_values() -> None:
    """FIN-03 reads max_eac_overrun (10%)."""
    _, out = _invoke("explain", "FIN-03", "--policy", str(POLICIES))
    assert "max_eac_overrun = 10%" in out


def test_explain_unknown_rule_suggests() -> None:
    """An unknown id exits 2 with a did-you-mean."""
    code, out = _invoke("explain", "FIN-3", "--policy", str(POLICIES))
    assert code == 2
    assert "did you mean `FIN-03`?" in out
