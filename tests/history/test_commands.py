"""history, diff, trend, baseline and preview on a portfolio that changed between recorded
runs (September, October, November), against golden files.

Regenerate the golden files after an intended change with
`PMO_RULES_UPDATE_GOLDEN=1 pytest tests/history/test_commands.py`, then read their diff.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.history.conftest import FIXTURES
from tests.history.helpers import check_args, check_golden, invoke, masked, record_months


@pytest.fixture
def recorded(workdir: Path) -> str:
    """A SQLite store in the working directory with the three months recorded."""
    store = str(workdir / "history.db")
    record_months(store)
    return store


def test_history_lists_runs_and_filters(recorded: str) -> None:
    code, out, _ = invoke("history", "--store", recorded, "--format", "json")
    assert code == 0
    runs = json.loads(out)["runs"]
    assert [r["as_of"] for r in runs] == ["2026-09-30", "2026-10-31", "2026-11-30"]
    assert runs[0]["portfolio"] == "PF-H" and runs[0]["policies"] == ["monthly 1.0.0"]
    assert runs[2]["counts"] == {"rules": 6, "subjects": 27, "pass": 21, "fail": 5,
                                 "waived": 1, "error": 0, "blocking": 4}
    code, out, _ = invoke("history", "--store", recorded, "--since", "2026-10-01",
                          "--until", "2026-10-31")
    assert code == 0 and "2026-10-31" in out and "2026-09-30" not in out
    assert "monthly 1.0.0" in out and "83.1%" not in out
    code, out, _ = invoke("history", "--store", recorded, "--portfolio", "PF-H", "--limit", "1")
    assert code == 0 and "2026-11-30" in out and "2026-10-31" not in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_diff_of_the_last_two_runs(recorded: str, fmt: str) -> None:
    code, out, err = invoke("diff", "--store", recorded, "--format", fmt)
    assert code == 0, err
    check_golden(f"diff.{ {'text': 'txt', 'json': 'json', 'markdown': 'md'}[fmt] }",
                 masked(out))


def test_diff_content(recorded: str) -> None:
    code, out, _ = invoke("diff", "--store", recorded, "--format", "json")
    assert code == 0
    diff = json.loads(out)
    keys = {name: {(f["rule"], f["subject"]["id"]) for f in diff[name]}
            for name in ("new", "resolved", "persisting")}
    assert keys["new"] == {("LC-001", "P-6")}  # the new project has no approved charter
    # P-1 back on budget and green (P-2 and P-3 no longer wait on red work), P-2's
    # charter approved, P-5's schedule recovered.
    assert keys["resolved"] == {("FIN-004", "P-1"), ("LC-001", "P-2"), ("SCH-002", "P-5"),
                                ("DEP-004", "P-2"), ("DEP-004", "P-3")}
    # P-5 now waits on P-6, which is red: the same finding, for another reason.
    assert keys["persisting"] == {("DOC-001", "P-4"), ("FIN-004", "P-3"), ("SCH-002", "P-1"),
                                  ("SCH-002", "P-3"), ("DEP-004", "P-5")}
    slip = next(f for f in diff["persisting"] if (f["rule"], f["subject"]["id"]) ==
                ("SCH-002", "P-3"))
    assert (slip["first_seen"], slip["days_open"]) == ("2026-09-30", 61)
    assert {"field": "message", "before": "P-3 forecasts 45d of slip",
            "after": "P-3 forecasts 92d of slip"} in slip["changes"]
    overspend = next(f for f in diff["persisting"] if f["rule"] == "FIN-004")
    assert {"field": "status", "before": "waived", "after": "fail"} in overspend["changes"]
    assert {"subject": "FIN-004 P-3", "field": "fate", "before": "applied",
            "after": "expired"} in diff["waiver_changes"]
    assert diff["scores"]["program"]["G1"]["change"] > 0


def test_diff_sides_can_be_run_ids_or_json_reports(recorded: str, workdir: Path) -> None:
    code, out, _ = invoke(*check_args("october", "--format", "json", "--output",
                                      str(workdir / "october.json")))
    assert code == 1
    _, by_runs, _ = invoke("diff", "1", "3", "--store", recorded, "--format", "json")
    _, by_file, _ = invoke("diff", "october.json", "3", "--store", recorded, "--format", "json")
    a, b = json.loads(by_runs), json.loads(by_file)
    assert a["a"]["run"] == 1 and b["a"]["source"] == "october.json"
    assert b["a"]["portfolio"] == "PF-H"
    # From October's report the November findings compare the same way as from run 2,
    # except that ages can only start at the report's date.
    _, from_run, _ = invoke("diff", "2", "3", "--store", recorded, "--format", "json")
    c = json.loads(from_run)
    for name in ("new", "resolved", "waiver_changes", "rule_changes", "scores"):
        assert b[name] == c[name]
    assert [p["days_open"] for p in b["persisting"]] == [p["days_open"] for p in c["persisting"]]
    # Two report files need no store at all.
    code, out, err = invoke("diff", "october.json", "october.json", "--store", "nowhere.db")
    assert code == 0, err
    assert "0 new, 0 resolved" in out and not (workdir / "nowhere.db").exists()
    # RUN_A only: to the latest run of its portfolio.
    _, only_a, _ = invoke("diff", "2", "--store", recorded, "--format", "json")
    assert json.loads(only_a)["b"]["run"] == 3


@pytest.mark.parametrize(("args", "code_", "needle"), [
    (("diff", "7"), "PMO907", "run ids go up to 3"),
    (("diff", "nothing-here"), "PMO907", "neither a recorded run id nor a JSON report"),
    (("diff", "3"), "PMO908", "is the latest recorded run"),
    (("diff", "history.db", "3"), "PMO909", "is not valid JSON"),
    (("trend", "--portfolio", "PF-X"), "PMO908", "did you mean `PF-H`"),
])
def test_diff_and_trend_problems_are_diagnostics(
    recorded: str, args: tuple[str, ...], code_: str, needle: str,
) -> None:
    code, _, err = invoke(*args, "--store", recorded)
    assert code == 2 and code_ in err and needle in err, err


def test_a_diff_needs_two_runs(workdir: Path) -> None:
    store = str(workdir / "one.db")
    record_months(store, ("october",))
    code, _, err = invoke("diff", "--store", store)
    assert code == 2 and "PMO908" in err and "only one recorded run" in err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_trend(recorded: str, fmt: str) -> None:
    code, out, err = invoke("trend", "--store", recorded, "--format", fmt)
    assert code == 0, err
    check_golden(f"trend.{'txt' if fmt == 'text' else 'json'}", masked(out))


def test_trend_measures(recorded: str) -> None:
    _, out, _ = invoke("trend", "--store", recorded, "--format", "json")
    points = json.loads(out)["runs"]
    assert [p["blocking"] for p in points] == [4, 5, 4]
    assert [p["active_waivers"] for p in points] == [2, 2, 1]
    # November's open findings: P-1's and P-3's slips, P-3's overspend and P-5's red
    # upstream (all since September, 61 days), and P-6's missing charter (new, 0 days).
    assert points[2]["median_age_days"] == 61.0
    assert set(points[0]["families"]) == {"DEP", "DOC", "FIN", "LC", "PF", "SCH"}
    _, out, _ = invoke("trend", "--store", recorded, "--last", "2", "--format", "json")
    assert [p["as_of"] for p in json.loads(out)["runs"]] == ["2026-10-31", "2026-11-30"]


def test_trend_section_in_the_html_report(recorded: str, workdir: Path) -> None:
    code, _, err = invoke(*check_args("november", "--store", recorded, "--format", "html",
                                      "--output", "report.html"))
    assert code == 1, err
    html = (workdir / "report.html").read_text("utf-8")
    section = html[html.index('<section id="trend">'):]
    section = section[:section.index("</section>")]
    assert section.count("<svg") == 5 and "3 recorded runs of PF-H" in section
    for title in ("Compliance score: portfolio and programs", "Compliance score by rule family",
                  "Open findings", "Median age of open findings (days)", "Active waivers"):
        assert title in section
    assert "http" not in section.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # Without a store the report has no trend section.
    invoke(*check_args("november", "--format", "html", "--output", "plain.html"))
    assert '<section id="trend">' not in (workdir / "plain.html").read_text("utf-8")


def test_check_record_adds_the_run_to_the_html_trend(workdir: Path) -> None:
    code, _, err = invoke(*check_args("october", "--record", "--format", "html", "--output",
                                      "report.html"))
    assert code == 1, err
    assert "recorded as run 1 in .pmo-rules/history.db" in err
    assert (workdir / ".pmo-rules" / "history.db").is_file()
    html = (workdir / "report.html").read_text("utf-8")
    assert "1 recorded run of PF-H" in html


def test_baseline_create_from_a_check_and_from_a_run(recorded: str, workdir: Path) -> None:
    code, _, err = invoke("baseline", "create", str(FIXTURES / "october.yaml"), "--policy",
                          str(FIXTURES / "policy.pmo"), "--waivers",
                          str(FIXTURES / "waivers.yaml"), "--output", "baseline.json")
    assert code == 0, err
    assert "baseline: 8 findings of PF-H (as of 2026-10-31) written to baseline.json" in err
    check_golden("baseline.json", masked((workdir / "baseline.json").read_text("utf-8")))
    code, _, err = invoke("baseline", "create", "--run", "2", "--store", recorded,
                          "--output", "from-run.json")
    assert code == 0, err
    from_check = json.loads((workdir / "baseline.json").read_text("utf-8"))["entries"]
    from_run = json.loads((workdir / "from-run.json").read_text("utf-8"))["entries"]
    assert from_check == from_run  # the same failures, whichever way it was taken
    code, _, err = invoke("baseline", "create", "--output", "x.json")
    assert code == 2 and "PMO910" in err


FORMATS = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml",
           "markdown": "md", "html": "html"}


@pytest.fixture
def baselined(workdir: Path) -> Path:
    """November checked against October's baseline, in every format."""
    # The text report wraps long lines, so the files are named by a relative path that is
    # the same on every machine: an absolute one would move the wraps with its length.
    shutil.copytree(FIXTURES, workdir / "fixtures")
    local = Path("fixtures")
    code, _, err = invoke("baseline", "create", str(local / "october.yaml"), "--policy",
                          str(local / "policy.pmo"), "--waivers", str(local / "waivers.yaml"),
                          "--output", "baseline.json")
    assert code == 0, err
    code, _, err = invoke(*check_args("november", "--baseline", "baseline.json",
                                      *(a for f in FORMATS for a in ("--format", f)),
                                      "--output-dir", "reports", fixtures=local))
    assert code == 1, err  # P-6's new mandatory finding blocks
    return workdir / "reports"


def test_check_against_a_baseline_blocks_only_on_new_findings(baselined: Path) -> None:
    report = json.loads((baselined / "report.json").read_text("utf-8"))
    marks = {(f["rule"], f["subject"]["id"]): (f["baseline"], f["blocking"])
             for f in report["findings"]}
    assert marks[("LC-001", "P-6")] == ("new", True)
    assert marks[("SCH-002", "P-3")] == ("unchanged", False)  # its message changed: same key
    assert marks[("SCH-002", "P-1")] == ("unchanged", False)
    # Waived in October, so not in the baseline: when its waiver lapses it blocks again.
    assert marks[("FIN-004", "P-3")] == ("new", True)
    assert marks[("DOC-001", "P-4")] == ("new", False)  # waived: never blocks
    assert report["summary"]["blocking"] == 2
    assert report["baseline"]["source"] == "baseline.json"
    absent = {(a["rule"], a["subject"]["id"]): a["reason"] for a in report["baseline"]["absent"]}
    assert absent == {key: "no longer fails" for key in (
        ("DEP-004", "P-2"), ("DEP-004", "P-3"), ("FIN-004", "P-1"), ("LC-001", "P-2"),
        ("SCH-002", "P-5"))}


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif", "junit"])
def test_baseline_marks_in_every_format(baselined: Path, fmt: str) -> None:
    text = (baselined / f"report.{FORMATS[fmt]}").read_text("utf-8")
    check_golden(f"baselined.{FORMATS[fmt]}", masked(text))


def test_baseline_marks_in_sarif_and_junit_validate(baselined: Path) -> None:
    import jsonschema
    import xmlschema

    from tests.shared import schemas_dir

    schemas = schemas_dir()
    sarif = json.loads((baselined / "report.sarif").read_text("utf-8"))
    jsonschema.validate(sarif, json.loads((schemas / "sarif-schema-2.1.0.json").read_text()))
    states = [r.get("baselineState") for r in sarif["runs"][0]["results"]]
    assert states.count("absent") == 5 and "new" in states and "unchanged" in states
    xmlschema.XMLSchema(str(schemas / "junit-10.xsd")).validate(str(baselined / "report.xml"))
    html = (baselined / "report.html").read_text("utf-8")
    assert '<span class="bl bl-new">new</span>' in html
    assert '<section id="baseline">' in html and "no longer fails" in html


def test_a_recorded_run_as_the_baseline(recorded: str, workdir: Path) -> None:
    code, out, err = invoke(*check_args("november", "--store", recorded, "--baseline", "2",
                                        "--format", "json"))
    assert code == 1, err
    assert json.loads(out)["baseline"]["source"] == "run 2"


@pytest.mark.parametrize(("value", "code_"), [("missing.json", "PMO911"), ("12", "PMO907")])
def test_bad_baselines_are_diagnostics(recorded: str, value: str, code_: str) -> None:
    code, _, err = invoke(*check_args("november", "--store", recorded, "--baseline", value))
    assert code == 2 and code_ in err


def test_a_malformed_baseline_entry_names_its_line(workdir: Path) -> None:
    (workdir / "bad.json").write_text(
        '{"schema": "pmo-rules/baseline/v1", "entries": [\n'
        '  {"rule": "LC-001", "kind": "project", "subject": "P-1"},\n'
        '  {"rule": "LC-001", "message": "a { brace"}\n]}\n', encoding="utf-8")
    code, _, err = invoke(*check_args("november", "--baseline", "bad.json"))
    assert code == 2 and "bad.json:3:1" in err
    assert "baseline entry 2 has no `kind`, `subject`" in err


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_preview_of_a_policy_change(workdir: Path, fmt: str) -> None:
    code, out, err = invoke("preview", str(FIXTURES / "november.yaml"), "--policy",
                            str(FIXTURES / "policy.pmo"), "--proposed",
                            str(FIXTURES / "proposed.pmo"), "--waivers",
                            str(FIXTURES / "waivers.yaml"), "--format", fmt)
    assert code == 0, err
    check_golden(f"preview.{ {'text': 'txt', 'json': 'json', 'markdown': 'md'}[fmt] }",
                 masked(out))


def test_preview_content(workdir: Path) -> None:
    _, out, _ = invoke("preview", str(FIXTURES / "november.yaml"), "--policy",
                       str(FIXTURES / "policy.pmo"), "--proposed", str(FIXTURES / "proposed.pmo"),
                       "--waivers", str(FIXTURES / "waivers.yaml"), "--format", "json")
    result = json.loads(out)
    rules = {r["rule"]: r for r in result["rules"]}
    assert rules["FIN-006"]["state"] == "added" and rules["DOC-001"]["state"] == "removed"
    # A retired rule's findings go with it, waived ones too.
    assert [(f["subject"]["id"], f["status"]) for f in rules["DOC-001"]["removed"]] == [
        ("P-4", "waived")]
    slip = rules["SCH-002"]
    assert {f["subject"]["id"] for f in slip["added"]} == {"P-5"}  # 10 days of slip > 7d
    dep = rules["DEP-004"]
    assert dep["current"]["enforcement"] == "advisory" and dep["proposed"]["enforcement"] == "soft"
    assert dep["blocking_change"] == len(dep["changed"]) > 0
    assert result["summary"]["blocking"]["change"] == sum(r["blocking_change"]
                                                          for r in result["rules"])
    # The register waives DOC-001, which the proposal retires: the waiver is orphaned.
    assert result["waiver_changes"] == [{"subject": "DOC-001 P-4", "field": "fate",
                                         "before": "applied",
                                         "after": "orphaned: its rule is retired"}]


def test_preview_needs_proposed_policies(workdir: Path) -> None:
    code, _, err = invoke("preview", str(FIXTURES / "november.yaml"), "--policy",
                          str(FIXTURES / "policy.pmo"))
    assert code == 2 and "PMO910" in err


def test_preview_reports_problems_of_both_policy_sets_at_once(workdir: Path) -> None:
    (workdir / "broken.pmo").write_text("policy \"x\" {\n  rule A-1 \"t\" { requre 1 }\n}\n",
                                        encoding="utf-8")
    code, _, err = invoke("preview", str(FIXTURES / "november.yaml"), "--policy", "broken.pmo",
                          "--proposed", "missing.pmo")
    assert code == 2 and "broken.pmo:2" in err and "missing.pmo" in err


def test_history_keeps_a_run_with_many_policies_on_one_line() -> None:
    import datetime as dt

    from pmo_rules.history.store import RunInfo
    from pmo_rules.history.text import runs_text

    policies = [{"name": f"epmo-{n}", "version": "1.0.0"} for n in ("a", "b", "c", "d", "e")]
    run = RunInfo(id=7, recorded_at=dt.datetime(2026, 12, 1, 9, 30), as_of=dt.date(2026, 11, 30),
                  portfolio="PF-H", tool_version="0.1.0", input_hash="i" * 64,
                  policy_hash="0123456789abcdef" * 4, policies=policies, settings={}, rules=63,
                  subjects=100, passed=90, failed=8, waived=2, errors=0, blocking=3, score=0.9,
                  exit_code=1)
    rows = [line for line in runs_text([run]).splitlines() if line.lstrip().startswith("7 ")]
    assert len(rows) == 1 and "5 policies, 01234567" in rows[0]


@pytest.mark.parametrize("value", [None, 1, 1.5, True, ["P-1"]])
def test_a_json_report_with_a_wrong_typed_identifier_is_a_diagnostic(
        workdir: Path, value: object) -> None:
    code, out, _ = invoke(*check_args("november", "--format", "json"))
    report = json.loads(out)
    report["findings"][0]["rule"] = value
    (workdir / "bad.json").write_text(json.dumps(report), encoding="utf-8")
    (workdir / "good.json").write_text(out, encoding="utf-8")
    code, _, err = invoke("diff", "bad.json", "good.json")
    assert code == 2 and "error[PMO909]" in err and "malformed part" in err


@pytest.mark.parametrize("args", [
    ["diff", "99999999999999999999999", "1"],
    ["baseline", "create", "--run", "99999999999999999999999", "--output", "b.json"],
    ["check", str(FIXTURES / "november.yaml"), "--policy", str(FIXTURES / "policy.pmo"),
     "--baseline", "9223372036854775808"],
])
def test_run_ids_past_the_stores_integers_are_no_such_run(recorded: str, args: list[str]) -> None:
    code, _, err = invoke(*args, "--store", recorded)
    assert code == 2 and "error[PMO907]" in err, err


@pytest.mark.parametrize("args", [["history", "--limit", "99999999999999999999999"],
                                  ["trend", "--last", "99999999999999999999999"]])
def test_limits_past_the_stores_integers_mean_every_run(recorded: str, args: list[str]) -> None:
    code, out, err = invoke(*args, "--store", recorded)
    assert code == 0, err
    assert "2026-09-30" in out and "2026-11-30" in out


@pytest.mark.parametrize("store", [":memory:", "file:x.db?mode=ro"])
def test_sqlite_names_that_keep_nothing_are_refused(workdir: Path, store: str) -> None:
    code, _, err = invoke(*check_args("november", "--record", "--store", store))
    assert code == 2 and "error[PMO901]" in err
    assert not (workdir / "file:x.db").exists()


@pytest.mark.parametrize("change", [
    "update pmo_runs set as_of = 'garbage'",
    "update pmo_runs set recorded_at = 'x'",
    "update pmo_runs set inputs = '{not json'",
    "update pmo_results set evidence = '[1'",
    "update pmo_results set first_seen = '0000-00-00'",
    "update pmo_scores set score = 'abc'",
    "update pmo_runs set score = 'abc'",
    "update pmo_runs set blocking = 'x'",
    "update pmo_runs set open_median_age = 'zz'",
])
def test_a_store_changed_by_other_hands_is_a_diagnostic(
        recorded: str, workdir: Path, change: str) -> None:
    import sqlite3

    damaged = workdir / "damaged.db"
    shutil.copy(recorded, damaged)
    with sqlite3.connect(damaged) as conn:
        conn.execute(change)
    for args in (["history"], ["diff"], ["trend"], ["store", "info"],
                 ["baseline", "create", "--run", "1", "--output", "b.json"]):
        code, _, err = invoke(*args, "--store", str(damaged))
        assert code in (0, 2), (change, args, err)
        assert "internal error" not in err and (code == 0 or "error[PMO902]" in err), err
