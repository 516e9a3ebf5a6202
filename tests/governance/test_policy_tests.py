"""`pmo-rules test` for department policies: parents loaded from --policy, --pack, the
settings or the standard pack; misspelt subjects are errors; diagnostics point at the
line of the mistake; coverage and a coverage threshold."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.governance.conftest import Invoke

DEPARTMENT = '''# The Digital PMO's finance policy: the standard pack's, with a tighter tolerance.
policy "digital-finance" extends "epmo-finance" {
    title "Digital finance"
    version "1.0.0"
    owner "Digital PMO"
    authority department

    param max_eac_overrun = 5%

    rule DIG-01 "Tier-1 projects name a sponsor" {
        severity high
        enforcement soft
        for p in projects where p.tier == 1
        require p.sponsor exists
        message "{p.name} has no sponsor"
        fix "Name an executive sponsor."
    }
}
'''

FIXTURE = '''as_of: 2026-11-26
currency: EUR
portfolio: {id: DIG, name: Digital}
people: [{id: SAM, name: Sam Sponsor, grade: executive}]
projects:
  - id: P-1
    name: App relaunch
    tier: 1
    status: active
    sponsor: SAM
    budget: {approved: 100000, forecast_at_completion: 107000}
  - id: P-2
    name: Chatbot
    tier: 2
    status: active
    budget: {approved: 100000, forecast_at_completion: 103000}
'''

DIG_01 = '''rule: DIG-01
base: fixture.yaml
cases:
  - name: a tier-1 project without a sponsor fails
    patch: {projects: [{id: P-1, sponsor: null}]}
    expect:
      - {subject: P-1, status: fail, message: "has no sponsor"}
  - name: a sponsored tier-1 project passes
    expect:
      - {subject: P-1, status: pass}
      - {subject: P-2, status: not_applicable}
'''

FIN_03 = '''rule: FIN-03
base: fixture.yaml
cases:
  - name: the department's 5% catches a 7% overrun the enterprise's 10% lets through
    expect:
      - {subject: P-1, status: fail}
      - {subject: P-2, status: pass}
  - name: a run-time param may tighten further
    params: {digital-finance.max_eac_overrun: 2%}
    expect:
      - {subject: P-2, status: fail}
'''


def _department(root: Path, tests: dict[str, str] | None = None) -> Path:
    """policies/digital.pmo with its tests, as a user writes them."""
    policies = root / "policies"
    (policies / "tests").mkdir(parents=True)
    (policies / "digital.pmo").write_text(DEPARTMENT, encoding="utf-8")
    (policies / "tests" / "fixture.yaml").write_text(FIXTURE, encoding="utf-8")
    for name, text in (tests or {"DIG-01.yaml": DIG_01, "FIN-03.yaml": FIN_03}).items():
        (policies / "tests" / name).write_text(text, encoding="utf-8")
    return policies


def test_a_department_policy_and_its_tests_run_as_a_user_writes_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke) -> None:
    monkeypatch.chdir(tmp_path)
    _department(tmp_path)
    code, out, err = invoke("test", "-v")  # ./policies, parent from the standard pack
    assert code == 0, out + err
    assert out.strip().splitlines()[-1] == "4 passed, 0 failed"
    code, out, err = invoke("test", "policies")
    assert code == 0, out + err


def test_parents_come_from_policy_settings_or_pack(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   invoke: Invoke) -> None:
    monkeypatch.chdir(tmp_path)
    _department(tmp_path, {"DIG-01.yaml": DIG_01})
    (tmp_path / "policies" / "digital.pmo").write_text(
        DEPARTMENT.replace('"epmo-finance"', '"ent"'), encoding="utf-8")
    ent = tmp_path / "enterprise"
    ent.mkdir()
    (ent / "ent.pmo").write_text(
        'policy "ent" {\n    param max_eac_overrun = 10% tighten down\n}\n', encoding="utf-8")
    code, out, _ = invoke("test", "policies")
    assert code == 2
    assert "extends `ent`, which is not loaded" in out
    assert "did you mean `digital-finance`" not in out  # never the policy itself
    code, out, err = invoke("test", "policies", "--policy", "enterprise")
    assert code == 0, out + err
    (tmp_path / "pmo-rules.toml").write_text('policy = ["enterprise"]\n', encoding="utf-8")
    code, out, err = invoke("test", "policies")
    assert code == 0, out + err


@pytest.mark.parametrize("command", ["validate", "check"])
def test_a_parent_in_an_installed_pack_is_named_with_the_pack(
        tmp_path: Path, invoke: Invoke, command: str) -> None:
    policies = _department(tmp_path)
    args = [str(policies / "digital.pmo")]
    if command == "check":
        args = [str(policies / "tests" / "fixture.yaml"), "--policy", *args]
    code, out, err = invoke(command, *args)
    assert code == 2
    assert "extends `epmo-finance`, which is not loaded" in out + err
    assert "`epmo-finance` is declared by the `standard` pack: add `--pack standard`" in out + err
    code, out, err = invoke(command, *args, "--pack", "standard")
    assert code in (0, 1), out + err


def test_the_settings_packs_are_parents_not_tests(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  invoke: Invoke) -> None:
    """`pmo-rules init`'s settings name the department's policies and the standard pack it
    extends: `pmo-rules test` runs the department's cases, not the pack's 150 besides."""
    monkeypatch.chdir(tmp_path)
    _department(tmp_path)
    (tmp_path / "pmo-rules.toml").write_text('policy = ["policies/"]\npack = ["standard"]\n',
                                             encoding="utf-8")
    code, out, err = invoke("test")
    assert code == 0, out + err
    assert out.strip().splitlines()[-1] == "4 passed, 0 failed"
    code, out, err = invoke("test", "--pack", "standard", "policies/")  # asked for: both
    assert code == 0, out + err
    assert int(out.strip().splitlines()[-1].split()[0]) > 100
    # Settings naming packs alone: the packs are what there is to test.
    (tmp_path / "pmo-rules.toml").write_text('pack = ["standard"]\n', encoding="utf-8")
    code, out, err = invoke("test")
    assert code == 0, out + err
    assert int(out.strip().splitlines()[-1].split()[0]) > 100


def test_a_misspelt_subject_is_an_error_at_its_line(tmp_path: Path, invoke: Invoke) -> None:
    policies = _department(tmp_path, {"DIG-01.yaml": DIG_01.replace(
        "      - {subject: P-2, status: not_applicable}", "      - {subject: P-20, "
        "status: not_applicable}")})
    code, out, _ = invoke("test", str(policies))
    assert code == 2
    assert f"{policies}/tests/DIG-01.yaml:11:10: error[PMO807]: case `a sponsored tier-1 " \
           "project passes` expects a result for `P-20`, which is not in the case's " \
           "portfolio" in out
    assert "did you mean `P-2`?" in out


def test_a_subject_the_case_deleted_may_be_expected_not_applicable(
        tmp_path: Path, invoke: Invoke) -> None:
    body = DIG_01 + ('  - name: gone\n    patch: {projects: [{id: P-1, __delete__: true}]}\n'
                     '    expect: [{subject: P-1, status: not_applicable}]\n')
    policies = _department(tmp_path, {"DIG-01.yaml": body})
    code, out, _ = invoke("test", str(policies))
    assert code == 0, out


@pytest.mark.parametrize(("case", "place", "text"), [  # place: line:column
    ("  - name: c\n    expect:\n      - subject: P-1\n        status: passed\n", "7:9",
     "unknown status `passed`"),
    ("  - name: c\n    as_of: 2026-02-30\n    expect: [{subject: P-1, status: pass}]\n", "5:5",
     "`as_of: 2026-02-30` is not a date"),
    ("  - name: c\n    params:\n      digital-finance.max_eac_overrun: 50%\n"
     "    expect: [{subject: P-1, status: pass}]\n", "6:7", "error[PMO608]"),
    ("  - name: c\n    params:\n      digital-finance.nope: 1\n"
     "    expect: [{subject: P-1, status: pass}]\n", "6:7", "error[PMO601]"),
    ("  - name: c\n    expect: [{subject: P-1, status: pass}]\n    sorted: yes\n", "6:5",
     "unknown key `sorted`"),
    ("  - name: c\n    expect:\n      - subject: P-1\n        status: pass\n        mesage: x\n",
     "8:9", "did you mean `message`?"),
    ("  - name: c\n    patch: {projects: [{id: P-1, tier: high}]}\n"
     "    expect: [{subject: P-1, status: pass}]\n", "5:5", "case `c`"),
    ("  - name: c\n    patch: {projects: [{id: [P-1]}]}\n"
     "    expect: [{subject: P-1, status: pass}]\n", "5:5", "case `c`: wrong type for `id`"),
])
def test_diagnostics_point_at_the_line_of_the_mistake(
        tmp_path: Path, invoke: Invoke, case: str, place: str, text: str) -> None:
    body = "rule: DIG-01\nbase: fixture.yaml\ncases:\n" + case
    policies = _department(tmp_path, {"DIG-01.yaml": body})
    code, out, err = invoke("test", str(policies))
    assert code == 2, out
    assert f"DIG-01.yaml:{place}: " in out + err, out + err
    assert text in out + err


@pytest.mark.parametrize(("head", "line", "text"), [
    ("rule: DIG-01\nbase: fixture.yaml\npolicies: 5\n", 3,
     "error[PMO803]: `policies` must be a path or a list of paths"),
    ("rule: DIG-01\nbase: fixture.yaml\npolicies: [.., {a: 1}]\n", 3,
     "error[PMO803]: `policies` must be a path or a list of paths"),
    ("rule: DIG-01\nbase: [fixture.yaml]\n", 2, "error[PMO803]: `base` must be a path"),
])
def test_a_malformed_file_key_is_an_input_error_at_its_line(
        tmp_path: Path, invoke: Invoke, head: str, line: int, text: str) -> None:
    body = head + "cases:\n  - name: c\n    expect: [{subject: P-1, status: pass}]\n"
    policies = _department(tmp_path, {"DIG-01.yaml": body})
    code, out, err = invoke("test", str(policies))
    assert code == 2, out + err
    assert f"DIG-01.yaml:{line}:1: {text}" in out + err, out + err


def test_a_test_file_that_is_not_utf8_is_an_input_error(tmp_path: Path, invoke: Invoke) -> None:
    policies = _department(tmp_path, {"DIG-01.yaml": DIG_01})
    (policies / "tests" / "DIG-01.yaml").write_bytes(b"\xff\xfe" + DIG_01.encode())
    code, out, err = invoke("test", str(policies))
    assert code == 2, out + err
    assert "DIG-01.yaml:1:1: error[PMO802]: cannot read the test file: byte 0 is not " \
           "UTF-8" in out + err


def test_a_wrong_rule_id_points_at_the_rule_line(tmp_path: Path, invoke: Invoke) -> None:
    policies = _department(tmp_path, {"DIG-01.yaml": "# about DIG-01\n" +
                                      DIG_01.replace("rule: DIG-01", "rule: DIG-1")})
    code, out, _ = invoke("test", str(policies))
    assert code == 2
    assert "DIG-01.yaml:2:1: error[PMO804]" in out  # `rule:` starts the line
    assert "did you mean `DIG-01`?" in out


def test_coverage_lists_rules_without_both_cases(tmp_path: Path, invoke: Invoke) -> None:
    extra = DEPARTMENT.replace('''    rule DIG-01''', '''    rule DIG-02 "Projects have a manager" {
        severity low
        for p in projects
        require p.project_manager exists
    }

    rule DIG-01''')
    policies = _department(tmp_path, {"DIG-01.yaml": DIG_01.split("  - name: a sponsored")[0]})
    (policies / "digital.pmo").write_text(extra, encoding="utf-8")
    code, out, _ = invoke("test", str(policies), "--coverage")
    assert code == 0, out
    assert "coverage: 0 of 2 rules have a passing and a failing case (0.0%)" in out
    assert "  DIG-01  no case expecting pass" in out
    assert "  DIG-02  no case expecting pass and a case expecting fail" in out
    code, out, _ = invoke("test", str(policies), "--min-coverage", "100")
    assert code == 1
    assert "coverage 0.0% is below --min-coverage 100" in out
    (policies / "tests" / "DIG-01.yaml").write_text(DIG_01, encoding="utf-8")
    (policies / "tests" / "DIG-02.yaml").write_text(
        "rule: DIG-02\nbase: fixture.yaml\ncases:\n"
        "  - name: both\n    expect: [{subject: P-1, status: fail}]\n"
        "  - name: set\n    patch: {projects: [{id: P-1, project_manager: SAM}]}\n"
        "    expect: [{subject: P-1, status: pass}]\n", encoding="utf-8")
    code, out, _ = invoke("test", str(policies), "--min-coverage", "100")
    assert code == 0, out
    assert "coverage: 2 of 2 rules have a passing and a failing case (100.0%)" in out


def test_the_standard_pack_is_fully_covered(invoke: Invoke) -> None:
    code, out, _ = invoke("test", "--pack", "standard", "--min-coverage", "100")
    assert code == 0, out
    assert "(100.0%)" in out


def test_the_example_department_policy_tests_pass(invoke: Invoke) -> None:
    root = Path(__file__).resolve().parents[2]
    code, out, _ = invoke("test", str(root / "examples" / "policies-department"),
                          "--min-coverage", "100")
    assert code == 0, out
    assert "4 passed, 0 failed" in out
