"""The bundled example portfolio, waiver register and starter policies load, validate and
tell the story examples/README.md promises."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pmo_rules.diagnostics import DiagnosticError, render_all
from pmo_rules.stdlib.standard import POLICIES as STANDARD_POLICIES

ROOT = Path(__file__).resolve().parents[2]
PORTFOLIO = ROOT / "examples" / "portfolio.yaml"
WAIVERS = ROOT / "examples" / "waivers.yaml"
POLICIES = STANDARD_POLICIES
DEPARTMENT = ROOT / "examples" / "policies-department"
FAMILIES = {
    "epmo-lifecycle": "lifecycle.pmo",
    "epmo-finance": "finance.pmo",
    "epmo-schedule": "schedule.pmo",
    "epmo-dependencies": "dependencies.pmo",
    "epmo-raid": "raid.pmo",
    "epmo-portfolio": "portfolio.pmo",
    "epmo-extras": "extras.pmo",
}
# The catalogue's rule families, by id prefix; the extras pack is off by default.
CATALOGUE_FAMILIES = ["LC", "ART", "STR", "FIN", "SCH", "DEP", "RAID", "RES", "REP", "CLO", "PFB"]
EXTRAS = {"LC-07", "RES-04", "PFB-04"}


def _load(fn: Callable[[], Any]) -> Any:
    """Call `fn`, turning a DiagnosticError into a test failure that shows every diagnostic."""
    try:
        return fn()
    except DiagnosticError as exc:
        pytest.fail(render_all(exc.diagnostics), pytrace=False)


# ---------------------------------------------------------------- the portfolio


@pytest.fixture(scope="module")
def loaded() -> Any:
    """The example portfolio, loaded and resolved."""
    from pmo_rules.model.load import load_portfolio

    return _load(lambda: load_portfolio(PORTFOLIO))


def test_portfolio_loads_without_warnings(loaded: Any) -> None:
    """No unknown keys end up under `custom`: the example uses the data model exactly."""
    assert loaded.as_of == dt.date(2026, 11, 26)
    assert loaded.currency == "EUR"
    assert [str(w) for w in loaded.warnings] == []


def test_portfolio_shape(loaded: Any) -> None:
    """The sizes the README describes."""
    assert len(loaded.people) == 16
    assert [p.id for p in loaded.people if not p.active] == ["PER-ECARTER"]
    assert len(loaded.objectives) == 4
    assert [o.id for o in loaded.objectives if o.status == "retired"] == ["OBJ-4"]
    assert [g.id for g in loaded.programs] == ["PG-CORE", "PG-DIGITAL", "PG-REG"]
    assert len(loaded.projects) == 25
    assert sorted(p.id for p in loaded.projects if p.program is None) == ["P-901", "P-902"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("active", 18),
        ("proposed", 3),
        ("on_hold", 1),
        ("cancelled", 1),
        ("closed", 2),
    ],
)
def test_status_mix(loaded: Any, status: str, expected: int) -> None:
    """Mostly active work, with some of every other status."""
    assert sum(1 for p in loaded.projects if p.status == status) == expected


def _project(loaded: Any, pid: str) -> Any:
    return next(p for p in loaded.projects if p.id == pid)


@pytest.mark.parametrize(
    ("pid", "check"),
    [
        # `health: red` is the shorthand for {overall: red}
        ("P-302", lambda p: p.health.overall == "red" and p.health.reported_on is None),
        # the one project whose artifacts come as a list, read by type
        ("P-206", lambda p: sorted(p.artifacts) == ["business_case", "charter"]),
        ("P-102", lambda p: p.gates["G2"].decision == "go_with_conditions"
         and len(p.gates["G2"].conditions) == 2),
        ("P-202", lambda p: p.gates["G3"].decision == "kill" and p.status == "active"),
        ("P-107", lambda p: p.gates["G3"].decision == "hold" and p.status == "on_hold"),
        ("P-102", lambda p: p.stage == "executing"),
        ("P-106", lambda p: p.stage == "planning"),
    ],
)
def test_project_shorthands_and_story(loaded: Any, pid: str, check: Callable[[Any], bool]) -> None:
    """Shorthand forms load as the data model says, and the story's key facts hold."""
    assert check(_project(loaded, pid))


@pytest.mark.parametrize(
    ("dep_id", "dep_type", "lag"),
    [
        ("P-101->P-102", "FS", 0),      # short depends_on form
        ("P-102->P-106", "SS", 20),     # long depends_on form
        ("P-102->P-109", "FF", -30),    # a lead
        ("M-302-2->M-303-2", "FS", 0),  # milestone to milestone, top level
        ("M-103-2->M-102-3", "FS", 14),
        ("ONB-CIAM", "FF", 0),          # closes the P-204 / P-205 cycle
    ],
)
def test_dependencies_in_every_form(loaded: Any, dep_id: str, dep_type: str, lag: int) -> None:
    """depends_on (short and long) and the top-level list all become dependencies."""
    deps = {d.id: d for d in loaded.dependencies}
    assert deps[dep_id].type == dep_type
    assert deps[dep_id].lag_days == lag


def test_portfolio_conforms_to_the_published_schema() -> None:
    """The example validates against `pmo-rules schema`, so it doubles as the schema's sample."""
    import yaml

    jsonschema = pytest.importorskip("jsonschema")  # the `test` extra; untyped
    schema_mod = pytest.importorskip("pmo_rules.model.schema")
    # JSON has no dates: compare the file as a JSON document would carry it.
    document = json.loads(json.dumps(yaml.safe_load(PORTFOLIO.read_text(encoding="utf-8")),
                                     default=str))
    validator = jsonschema.Draft202012Validator(schema_mod.portfolio_schema())
    assert [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)] == []


def test_waiver_register_loads() -> None:
    """The register holds the four waivers the README describes, in order."""
    waivers_mod = pytest.importorskip("pmo_rules.engine.waivers")
    waivers = _load(lambda: waivers_mod.load_waivers(WAIVERS))
    assert [(w.rule, w.subject) for w in waivers] == [
        ("FIN-01", "P-104"), ("SCH-02", "P-201"), ("ART-02", "P-109"), ("FIN-04", "P-301"),
    ]


# ---------------------------------------------------------------- the policies


def _check_policies(paths: list[Path]) -> Any:
    loader = pytest.importorskip("pmo_rules.language.loader")
    checker = pytest.importorskip("pmo_rules.language.checker")
    extend = pytest.importorskip("pmo_rules.plugins.extend")
    files = _load(lambda: loader.load_policy_files(paths))
    registry = extend.plugin_registry(extend.installed())  # built-ins and installed plugins
    return _load(lambda: checker.check_policies(files, registry))


def test_every_family_has_its_file() -> None:
    """One .pmo file per rule family, nothing else in policies/."""
    assert sorted(p.name for p in POLICIES.glob("*.pmo")) == sorted(FAMILIES.values())


@pytest.mark.parametrize("name", sorted(FAMILIES.values()))
def test_each_policy_file_parses(name: str) -> None:
    """Each file parses on its own into one enterprise policy with documented rules."""
    from pmo_rules.language.parser import parse_file

    parsed = _load(lambda: parse_file(POLICIES / name))
    [policy] = parsed.policies
    assert FAMILIES[policy.name] == name
    assert policy.authority == "enterprise"
    assert len(policy.rules) >= (3 if name == "extras.pmo" else 4)
    for rule in policy.rules:
        assert rule.severity and rule.enforcement and rule.maturity and rule.tags, rule.id
        assert rule.message and rule.fix and rule.doc, rule.id


def test_starter_set_size_and_unique_ids() -> None:
    """The catalogue's 60 core rules and 3 extras, ids unique across the set."""
    from pmo_rules.language.parser import parse_file

    ids = [r.id for f in sorted(POLICIES.glob("*.pmo"))
           for p in parse_file(f).policies for r in p.rules]
    assert len(set(ids) - EXTRAS) >= 60
    assert set(ids) >= EXTRAS
    assert len(ids) == len(set(ids))


def test_policies_validate() -> None:
    """The starter policies pass the checker with the default registry."""
    _check_policies([POLICIES])


def test_department_policy_validates_with_its_parent() -> None:
    """The department example extends epmo-finance legally (override up, params tightened)."""
    _check_policies([POLICIES, DEPARTMENT])


# ---------------------------------------------------------------- the check


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """The JSON report of checking the example with the waiver register."""
    api = pytest.importorskip("pmo_rules.api")
    pytest.importorskip("pmo_rules.language.loader")  # the api needs the front end too
    pytest.importorskip("pmo_rules.language.checker")
    checked = _load(lambda: api.load_policies([POLICIES]))
    portfolio = _load(lambda: api.load_portfolio(PORTFOLIO))
    result = api.check(portfolio, checked, waivers=WAIVERS, show_passes=True)
    data: dict[str, Any] = json.loads(result.to_json())
    return data


def _fails(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["rule"], f["subject"]["id"]) for f in report["findings"] if f["status"] == "fail"}


def test_no_rule_errors(report: dict[str, Any]) -> None:
    """Every rule evaluates on the example: no error results."""
    assert [f for f in report["findings"] if f["status"] == "error"] == []
    assert report["errors"] == []


@pytest.mark.parametrize("policy", sorted(set(FAMILIES) - {"epmo-extras"}))
def test_every_policy_finds_something(report: dict[str, Any], policy: str) -> None:
    """Each family finds at least one failure, and none fails everywhere."""
    statuses = [f["status"] for f in report["findings"] if f["policy"] == policy]
    assert 0 < statuses.count("fail") < statuses.count("pass")


@pytest.mark.parametrize("family", CATALOGUE_FAMILIES)
def test_every_catalogue_family_fails_and_passes(report: dict[str, Any], family: str) -> None:
    """The example exercises every catalogue family: it fails somewhere, passes elsewhere."""
    statuses = [f["status"] for f in report["findings"] if f["rule"].split("-")[0] == family]
    assert "fail" in statuses
    assert "pass" in statuses


def test_extras_are_off_by_default(report: dict[str, Any]) -> None:
    """LC-07, RES-04 and PFB-04 select no subject unless epmo-extras.enabled is set."""
    counts = {r["id"]: r for r in report["rules"] if r["id"] in EXTRAS}
    assert sorted(counts) == sorted(EXTRAS)
    assert all(r["pass"] + r["fail"] + r["waived"] + r["error"] == 0 for r in counts.values())


def test_extras_switch_on_with_a_param() -> None:
    """`--param epmo-extras.enabled=true` runs them: the example has managers with four projects."""
    api = pytest.importorskip("pmo_rules.api")
    checked = _load(lambda: api.load_policies([POLICIES]))
    portfolio = _load(lambda: api.load_portfolio(PORTFOLIO))
    data = json.loads(api.check(portfolio, checked, params={"epmo-extras.enabled": "true"},
                                select=sorted(EXTRAS)).to_json())
    fails = _fails(data)
    assert ("RES-04", "PER-MBIANCHI") in fails
    assert ("LC-07", "P-202") in fails
    assert ("LC-07", "P-205") not in fails


EXPECTED_FAILS = [
    ("LC-02", "P-901"), ("LC-04", "P-104"), ("LC-05", "P-102"), ("LC-06", "P-202"),
    ("ART-01", "P-901"), ("ART-02", "P-205"), ("ART-03", "P-206"), ("CLO-01", "P-207"),
    ("CLO-03", "P-108"),
    ("FIN-01", "P-202"), ("FIN-02", "P-102"), ("FIN-02", "P-301"), ("FIN-03", "P-102"),
    ("FIN-04", "P-301"), ("FIN-07", "PG-DIGITAL"),
    ("SCH-01", "P-102"), ("SCH-01", "P-201"), ("SCH-02", "P-102"), ("SCH-02", "P-201"),
    ("SCH-03", "M-104-1"), ("SCH-03", "M-302-2"), ("SCH-05", "P-201"),
    ("DEP-01", "P-102->P-105"), ("DEP-01", "ONB-CIAM"), ("DEP-01", "M-302-2->M-303-2"),
    ("DEP-02", "P-206"), ("DEP-03", "P-203"), ("DEP-04", "P-304"), ("DEP-04", "P-106"),
    ("DEP-05", "P-204"), ("DEP-05", "P-205"),
    ("RAID-01", "R-102-2"), ("RAID-01", "R-204-1"), ("RAID-02", "R-305-1"),
    ("RAID-03", "R-302-1"), ("RAID-04", "I-201-1"), ("RAID-05", "I-305-1"),
    ("RAID-07", "P-205"),
    ("PFB-02", "PF-2026"), ("PFB-03", "P-107"), ("STR-01", "P-901"), ("STR-01", "P-902"),
    ("STR-02", "OBJ-3"), ("RES-01", "P-204"), ("REP-01", "P-302"), ("REP-01", "P-109"),
    ("LC-01", "P-902"), ("LC-03", "P-206"), ("ART-04", "P-304"), ("ART-05", "P-103"),
    ("ART-06", "P-106"), ("CLO-02", "P-207"), ("CLO-04", "P-207"),
    ("FIN-05", "P-306"), ("FIN-08", "P-102"), ("SCH-04", "P-901"),
    ("DEP-07", "M-306-1->P-305"), ("DEP-08", "P-102->P-106"), ("DEP-09", "P-302->P-306"),
    ("DEP-10", "M-103-2->M-102-3"), ("RAID-06", "P-203"),
    ("STR-04", "P-302"), ("RES-02", "P-208"), ("RES-03", "PER-PNAIR"), ("REP-02", "P-302"),
]


@pytest.mark.parametrize(("rule", "subject"), EXPECTED_FAILS)
def test_story_violations_are_found(report: dict[str, Any], rule: str, subject: str) -> None:
    """Each violation planted in the story is reported as a failure."""
    assert (rule, subject) in _fails(report)


@pytest.mark.parametrize(
    ("rule", "subject"),
    [
        ("PFB-01", "PF-2026"),   # 2 of 18 active projects are red: under 20%
        ("FIN-06", "PF-2026"),   # 22.55M approved inside the 24M envelope
        ("REP-03", "PF-2026"),   # reviewed 21 days ago, cadence 30
        ("LC-06", "P-108"),      # killed and properly cancelled
        ("FIN-03", "P-301"),     # overrun covered by an approved change request
        ("DEP-01", "M-103-2->M-102-3"),
        ("ART-02", "P-109"),     # charter approved: the waiver for it is stale
        ("DEP-10", "M-302-2->M-303-2"),  # R-303-2 names the at-risk dependency
        ("REP-02", "P-102"),     # red, with a recovery plan submitted
        ("RAID-06", "P-303"),    # its assumption was validated in time
        ("STR-04", "P-102"),
    ],
)
def test_compliant_subjects_pass(report: dict[str, Any], rule: str, subject: str) -> None:
    """Subjects the story keeps in order are not reported."""
    assert (rule, subject) not in _fails(report)


@pytest.mark.parametrize(
    ("rule", "subject", "fate"),
    [
        ("FIN-01", "P-104", "applied"),
        ("SCH-02", "P-201", "expired"),
        ("ART-02", "P-109", "stale"),
        ("FIN-04", "P-301", "rejected"),
    ],
)
def test_waiver_fates(report: dict[str, Any], rule: str, subject: str, fate: str) -> None:
    """Every waiver in the register meets the fate the register's comments describe."""
    fates = {(w["rule"], w["subject"]): w["status"] for w in report["waivers"]}
    assert fates[(rule, subject)] == fate


def test_waived_finding_is_reported_as_waived(report: dict[str, Any]) -> None:
    """The applied waiver turns FIN-01 on P-104 from a failure into a waived finding."""
    statuses = {(f["rule"], f["subject"]["id"]): f["status"] for f in report["findings"]}
    assert statuses[("FIN-01", "P-104")] == "waived"


def test_department_policy_tightens_finance() -> None:
    """With the department policy loaded, FIN-02 runs raised and the tighter params bite."""
    api = pytest.importorskip("pmo_rules.api")
    pytest.importorskip("pmo_rules.language.loader")
    pytest.importorskip("pmo_rules.language.checker")
    checked = _load(lambda: api.load_policies([POLICIES, DEPARTMENT]))
    portfolio = _load(lambda: api.load_portfolio(PORTFOLIO))
    data = json.loads(api.check(portfolio, checked).to_json())
    fails = [f for f in data["findings"] if f["status"] == "fail"]
    fin02 = [f for f in fails if f["rule"] == "FIN-02"]
    assert fin02
    assert {(f["severity"], f["enforcement"]) for f in fin02} == {("critical", "mandatory")}
    # max_eac_overrun 5% instead of 10%: P-302's 7.5% overrun now fails
    assert ("FIN-03", "P-302") in {(f["rule"], f["subject"]["id"]) for f in fails}
    assert any(f["rule"] == "DIG-01" for f in fails)
