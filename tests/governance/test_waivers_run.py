"""Waivers checked against the run, hostile registers refused at their line, and the
PMO's waiver rules: the expiring window, the longest term, the approver's grade."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.engine.waivers import WaiverRules, load_waivers
from tests.governance.conftest import Invoke, report_json

RUN = ("check", "portfolio.yaml", "--policy", "ent", "--policy", "dept", "--waivers", "w.yaml")


def _register(workdir: Path, text: str) -> None:
    (workdir / "w.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("date", ["2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10"])
def test_an_impossible_date_is_a_diagnostic_at_its_line(workdir: Path, invoke: Invoke,
                                                       date: str) -> None:
    _register(workdir, "# register\n- rule: FIN-1\n  subject: P-1\n  reason: r\n"
                       f"  approved_by: EXEC\n  expires: {date}\n")
    code, out, err = invoke(*RUN)
    assert code == 2, out + err
    assert f"w.yaml:6:3: error[PMO506]: waiver 1 expires on `{date}`, which is not a date" in err
    assert "internal error" not in err


@pytest.mark.parametrize("value", ["[" * 400 + "]" * 400, "{a: " * 400 + "1" + "}" * 400])
def test_deep_nesting_in_a_waiver_is_a_diagnostic(workdir: Path, invoke: Invoke,
                                                  value: str) -> None:
    _register(workdir, f"- rule: FIN-1\n  subject: {value}\n")
    code, _, err = invoke(*RUN)
    assert code == 2
    assert "w.yaml:2:" in err
    assert "nests deeper than 64 levels" in err
    assert "RecursionError" not in err


def test_aliases_that_explode_are_refused(workdir: Path, invoke: Invoke) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]")
    _register(workdir, "\n".join(lines) + "\n")
    code, _, err = invoke(*RUN)
    assert code == 2
    assert "expands to more than 1,000,000 values" in err


@pytest.mark.parametrize(("field", "value", "code", "hint"), [
    ("subject", "P-11", "PMO508", "did you mean `P-1`?"),
    ("approved_by", "Eve Exec", "PMO509", "did you mean `EXEC` (Eve Exec)?"),
    ("approved_by", "EXECC", "PMO509", "did you mean `EXEC`"),
    ("rule", "FIN-01", "PMO510", "did you mean `FIN-1`?"),
])
def test_waivers_are_checked_against_the_run(workdir: Path, invoke: Invoke, field: str,
                                            value: str, code: str, hint: str) -> None:
    entry = {"rule": "FIN-1", "subject": "P-1", "reason": "r", "approved_by": "EXEC",
             "expires": "2026-12-31", field: value}
    body = "".join(f"  {k}: {v}\n" for k, v in entry.items())
    _register(workdir, "# register\n-" + body[1:])
    exit_code, _, err = invoke(*RUN)
    assert exit_code == 2
    line = 2 + list(entry).index(field)
    assert f"w.yaml:{line}:3: error[{code}]" in err
    assert hint in err


def test_an_expired_waiver_is_history_not_checked(workdir: Path, invoke: Invoke) -> None:
    _register(workdir, "- {rule: OLD-1, subject: P-0, reason: r, approved_by: Gone, "
                       "expires: 2025-01-31}\n")
    code, out, _ = invoke(*RUN, "--format", "json")
    assert code == 1
    assert [w["status"] for w in report_json(out)["waivers"]] == ["expired"]


def _run(workdir: Path, register: str, rules: WaiverRules | None = None,
         as_of: str | None = None) -> api.Report:
    _register(workdir, register)
    import datetime as dt

    return api.check(api.load_portfolio("portfolio.yaml"), api.load_policies(["ent", "dept"]),
                     waivers="w.yaml", waiver_rules=rules,
                     as_of=dt.date.fromisoformat(as_of) if as_of else None)


def test_waivers_expiring_within_the_window_are_marked(workdir: Path) -> None:
    register = ("- {rule: FIN-1, subject: P-1, reason: r, approved_by: EXEC, "
                "expires: 2026-12-20}\n"
                "- {rule: FIN-1, subject: P-3, reason: r, approved_by: EXEC, "
                "expires: 2027-06-30}\n")
    report = _run(workdir, register)
    assert [(w.status, w.expiring, w.days_left) for w in report.waivers] == [
        ("applied", True, 24), ("applied", False, 216)]
    assert "expires in 24 days" in report.waivers[0].note
    assert report.to_dict()["waivers"][0]["expiring"] is True
    narrow = _run(workdir, register, WaiverRules(expiring_days=10))
    assert [w.expiring for w in narrow.waivers] == [False, False]
    assert report.to_dict()["settings"]["waivers"]["expiring_days"] == 30


def test_max_waiver_days_rejects_longer_waivers(workdir: Path) -> None:
    register = ("- {rule: FIN-1, subject: P-1, reason: r, approved_by: EXEC, "
                "expires: 2027-06-30}\n"
                "- {rule: FIN-1, subject: P-3, reason: r, approved_by: EXEC, "
                "granted: 2026-11-01, expires: 2027-01-15}\n")
    report = _run(workdir, register, WaiverRules(max_days=90))
    assert [w.status for w in report.waivers] == ["rejected", "applied"]
    assert "runs 216 days (from 2026-11-26 to 2027-06-30), longer than the 90 days" in \
        report.waivers[0].note
    open_ended = _run(workdir, "- {rule: FIN-1, subject: P-1, reason: r, approved_by: EXEC}\n",
                      WaiverRules(max_days=90))
    assert open_ended.waivers[0].status == "rejected"
    assert "has no `expires`" in open_ended.waivers[0].note
    assert report.blocking  # the rejected waiver's finding is reported (and blocks) again


def test_approver_grade_per_severity(workdir: Path) -> None:
    register = ("- {rule: FIN-1, subject: P-1, reason: r, approved_by: MGR, "
                "expires: 2027-01-31}\n"
                "- {rule: FIN-1, subject: P-3, reason: r, approved_by: DIR, "
                "expires: 2027-01-31}\n")
    rules = WaiverRules(approver_grade={"high": "director"})
    report = _run(workdir, register, rules)
    assert [w.status for w in report.waivers] == ["rejected", "applied"]
    assert report.waivers[0].note == ("a high finding needs an approver of grade director "
                                      "or above (waiver_approver_grade); MGR is a manager")
    # A lower severity's demand holds for the ones above it too.
    assert WaiverRules(approver_grade={"medium": "executive"}).min_grade("critical") == \
        "executive"
    assert WaiverRules(approver_grade={"critical": "executive"}).min_grade("high") is None


def test_waiver_rules_come_from_the_settings(workdir: Path, invoke: Invoke) -> None:
    (workdir / "pmo-rules.toml").write_text(
        'policy = ["ent", "dept"]\nwaivers = "w.yaml"\nwaiver_expiring_days = 60\n'
        'max_waiver_days = 365\nwaiver_approver_grade = { critical = "executive" }\n',
        encoding="utf-8")
    _register(workdir, "- {rule: FIN-1, subject: P-1, reason: r, approved_by: MGR, "
                       "expires: 2027-01-15}\n")
    _, out, _ = invoke("check", "portfolio.yaml", "--format", "json")
    report = report_json(out)
    assert report["waivers"][0]["expiring"] is True
    assert report["settings"]["waivers"] == {
        "path": "w.yaml", "sha256": report["settings"]["waivers"]["sha256"],
        "source": "settings", "at": "pmo-rules.toml:2", "count": 1, "expiring_days": 60,
        "max_days": 365, "approver_grade": {"critical": "executive"}}


def test_a_hostile_register_never_crashes_the_loader(tmp_path: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    atoms = st.sampled_from(["- ", "rule: ", "{", "}", "[", "]", "&a ", "*a", "expires: ",
                             "2026-02-30", "2026-12-31", "\n", "  ", ": ", "x", "'", '"',
                             "!!python/object ", "? ", "---\n", "%YAML 1.1\n"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(atoms, max_size=40))
    def check(parts: list[str]) -> None:
        path = tmp_path / "w.yaml"
        path.write_text("".join(parts), encoding="utf-8")
        try:
            load_waivers(path)
        except DiagnosticError as exc:
            assert all(d.span is not None for d in exc.diagnostics)

    check()
