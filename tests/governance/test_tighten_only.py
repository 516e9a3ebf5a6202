"""Run-time overrides may only tighten a param declared with `tighten`, relative to the
value in effect after layering; every param in effect is on the record with its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.governance.conftest import Invoke, report_json

RUN = ("check", "portfolio.yaml", "--policy", "ent", "--policy", "dept", "--format", "json")


@pytest.mark.parametrize("param", ["dept.max_overrun=8%", "ent.max_overrun=50%",
                                   "ent.max_overrun=7%", "ent.min_cpi=0.5"])
def test_loosening_by_param_on_child_or_parent_is_exit_2_naming_the_policy(
        workdir: Path, invoke: Invoke, param: str) -> None:
    code, _, stderr = invoke(*RUN[:-2], "--param", param)
    assert code == 2, stderr
    assert "error[PMO608]" in stderr
    # The value in effect is the department's 5% (or the enterprise's 0.9 for min_cpi).
    if "overrun" in param:
        assert "policy `dept` (dept/dept.pmo:5) sets `max_overrun` to 5%" in stderr
        assert "may only tighten down" in stderr
    else:
        assert "policy `ent` (ent/ent.pmo:6) sets `min_cpi` to 0.9" in stderr
    assert "Traceback" not in stderr


def test_loosening_from_settings_is_exit_2_at_the_settings_line(
        workdir: Path, invoke: Invoke) -> None:
    (workdir / "pmo-rules.toml").write_text(
        'policy = ["ent", "dept"]\n\n[params]\n"ent.max_overrun" = "20%"\n', encoding="utf-8")
    code, _, err = invoke("check", "portfolio.yaml")
    assert code == 2
    assert "pmo-rules.toml:4:1: error[PMO608]: the settings file raises `ent.max_overrun`" in err
    assert "policy `dept` (dept/dept.pmo:5)" in err
    assert '4 | "ent.max_overrun" = "20%"' in err


def test_loosening_from_pyproject_dotted_key_names_its_line(workdir: Path,
                                                           invoke: Invoke) -> None:
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.pmo-rules]\npolicy = ["ent", "dept"]\n'
        'params."dept.max_overrun" = "6%"\n', encoding="utf-8")
    code, _, err = invoke("check", "portfolio.yaml")
    assert code == 2
    assert "pyproject.toml:6:1: error[PMO608]" in err


def test_tightening_works_and_is_recorded_with_its_source(workdir: Path,
                                                          invoke: Invoke) -> None:
    code, out, _ = invoke(*RUN)
    base = report_json(out)
    assert {(f["subject"]["id"], f["status"]) for f in base["findings"]} == {
        ("P-1", "fail"), ("P-3", "fail")}   # 7% over > the department's 5%
    params = {p["name"]: p for p in base["settings"]["params"]}
    assert params["dept.max_overrun"] == {
        "name": "dept.max_overrun", "value": "5%", "type": "number", "tighten": "down",
        "source": "tightened", "at": "dept/dept.pmo:5", "declared_in": "ent", "set_by": "dept"}
    assert params["dept.min_cpi"]["source"] == "default"
    assert params["dept.min_cpi"]["at"] == "ent/ent.pmo:6"
    assert params["dept.label"]["tighten"] is None
    assert "ent.max_overrun" not in params  # only the policies that run are in effect

    code, out, _ = invoke(*RUN, "--param", "ent.max_overrun=2%")
    tightened = report_json(out)
    assert code == 1
    params = {p["name"]: p for p in tightened["settings"]["params"]}
    assert params["dept.max_overrun"] == {
        "name": "dept.max_overrun", "value": "2%", "type": "number", "tighten": "down",
        "source": "--param", "at": None, "declared_in": "ent", "set_by": "dept",
        "policy_value": "5%", "policy_at": "dept/dept.pmo:5"}


def test_settings_tightening_is_recorded_with_file_and_line(workdir: Path,
                                                             invoke: Invoke) -> None:
    (workdir / "pmo-rules.toml").write_text(
        'policy = ["ent", "dept"]\nfail_on = "high"\nselect = ["FIN-*"]\n'
        'params = { "dept.min_cpi" = "0.95", "dept.label" = "free" }\n', encoding="utf-8")
    code, out, _ = invoke("check", "portfolio.yaml", "--format", "json")
    settings = report_json(out)["settings"]
    params = {p["name"]: p for p in settings["params"]}
    assert (params["dept.min_cpi"]["source"], params["dept.min_cpi"]["at"]) == (
        "settings", "pmo-rules.toml:4")
    assert params["dept.label"]["value"] == "free"  # no direction: free, and recorded
    assert settings["fail_on"] == {"value": "high", "source": "settings",
                                   "at": "pmo-rules.toml:2"}
    assert settings["select"] == {"value": ["FIN-*"], "source": "settings",
                                  "at": "pmo-rules.toml:3"}
    # --param wins over the settings, and says so.
    code, out, _ = invoke("check", "portfolio.yaml", "--format", "json", "--param",
                          "dept.min_cpi=0.99", "--fail-on", "medium", "--ignore", "X-*,FIN-9")
    assert code == 2  # X-* matches no rule
    code, out, _ = invoke("check", "portfolio.yaml", "--format", "json", "--param",
                          "dept.min_cpi=0.99", "--fail-on", "medium")
    settings = report_json(out)["settings"]
    params = {p["name"]: p for p in settings["params"]}
    assert (params["dept.min_cpi"]["value"], params["dept.min_cpi"]["source"]) == (
        "0.99", "--param")
    assert settings["fail_on"]["source"] == "--fail-on"


def test_as_of_and_waivers_and_packs_are_on_the_record(workdir: Path, invoke: Invoke) -> None:
    (workdir / "w.yaml").write_text(
        "- {rule: FIN-1, subject: P-1, reason: r, approved_by: EXEC, expires: 2026-12-01}\n",
        encoding="utf-8")
    _, out, _ = invoke(*RUN, "--waivers", "w.yaml", "--as-of", "2026-11-20")
    settings = report_json(out)["settings"]
    assert settings["as_of"] == {"value": "2026-11-20", "source": "--as-of", "at": None}
    assert settings["waivers"]["path"] == "w.yaml"
    assert len(settings["waivers"]["sha256"]) == 64
    assert (settings["waivers"]["source"], settings["waivers"]["count"]) == ("--waivers", 1)
    _code, out, _ = invoke(*RUN)
    assert report_json(out)["settings"]["as_of"] == {
        "value": "2026-11-26", "source": "portfolio", "at": "portfolio.yaml"}
    _, out, _ = invoke("check", "portfolio.yaml", "--pack", "standard", "--format", "json",
                          "--select", "FIN-01")
    settings = report_json(out)["settings"]
    assert settings["packs"] == [{"name": "standard", "plugin": "standard",
                                  "version": settings["packs"][0]["version"]}]
    assert settings["packs"][0]["version"]
    assert {"name": "standard", "version": settings["packs"][0]["version"]} in \
        settings["plugins"]


def test_same_inputs_same_bytes_with_settings(workdir: Path, invoke: Invoke) -> None:
    (workdir / "pmo-rules.toml").write_text(
        'policy = ["ent", "dept"]\nparams = { "dept.min_cpi" = "0.95" }\n', encoding="utf-8")
    first = invoke("check", "portfolio.yaml", "--format", "json")[1]
    assert first == invoke("check", "portfolio.yaml", "--format", "json")[1]
