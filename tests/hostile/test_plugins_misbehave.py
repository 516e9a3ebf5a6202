"""Plugins that misbehave in every hook: each failure is contained, named, and costs no
other result; a genuine Ctrl-C still exits 130.

Every plugin here is installed as an entry point (tests/hostile/throwaway.py) and every
run goes through the command line, held to the contract of tests/hostile/contract.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.contract import run
from tests.hostile.throwaway import Installer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "portfolio.yaml")
# The rules whose results a misbehaving plugin must not change (graph rules included).
OTHERS = ["--policy", str(ROOT / "pmo_rules" / "stdlib" / "standard" / "policies" /
                          "dependencies.pmo")]

EXITING = {
    "sys.exit": "sys.exit(3)",
    "BaseException": "raise BaseException('gone')",
    "GeneratorExit": "raise GeneratorExit()",
    "SystemExit(None)": "raise SystemExit",
}

CHECK_POLICY = """\
policy "uses-bad" {
  rule BAD-1 "the throwaway check" { severity high  check bad.probe() }
}
"""
FUNCTION_POLICY = """\
policy "uses-bad" {
  rule BAD-1 "the throwaway function" {
    severity high
    for p in projects
    require bad.f(p) > 0
  }
}
"""


def findings(payload: dict[str, Any], *, without: str = "BAD-") -> list[Any]:
    """The report's findings, but for the throwaway rules: what must not change."""
    return [f for f in payload["findings"] if not f["rule"].startswith(without)]


@pytest.fixture(scope="module")
def baseline() -> dict[str, Any]:
    """The example's report with nothing thrown away installed."""
    return run(["check", EXAMPLE, *OTHERS, "--format", "json"]).json()


def hook_plugin(hook: str, returned: str) -> str:
    """A plugin whose one hook returns `returned` (Python source)."""
    return f"class Plugin:\n    @hookimpl\n    def {hook}(self):\n        return {returned}\n"


def listed_bad() -> dict[str, Any]:
    """`pmo-rules plugins --format json`'s entry for the throwaway plugin `bad`."""
    [entry] = [p for p in run(["plugins", "--format", "json"]).json() if p["name"] == "bad"]
    return entry


def check_plugin(body: str, *, subject: str = "project") -> str:
    return "def probe(ctx):\n" + textwrap.indent(textwrap.dedent(body), "    ") + \
        textwrap.dedent(f"""

    class Plugin:
        @hookimpl
        def pmo_rules_checks(self):
            return [PluginCheck(CheckDecl("bad.probe", (), "{subject}"), probe)]
    """)


def function_plugin(body: str, returns: str = "NUMBER") -> str:
    return "def f(p):\n" + textwrap.indent(textwrap.dedent(body), "    ") + \
        textwrap.dedent(f"""

    class Plugin:
        @hookimpl
        def pmo_rules_functions(self):
            return [PluginFunction(FunctionDecl("bad.f", (ParamDecl("p", entity("project")),),
                                                {returns}), f)]
    """)


def checked(throwaway: Installer, policy: str, *extra: str, allow_error: bool = True,
            env: dict[str, str] | None = None, seconds: float = 60) -> Any:
    pol = throwaway.policy(policy)
    out = run(["check", EXAMPLE, *OTHERS, "--policy", str(pol),
               "--format", "json", *extra], allow_error=allow_error, env=env, seconds=seconds)
    return out


def bad_errors(payload: dict[str, Any]) -> list[str]:
    return [f["message"] for f in payload["findings"]
            if f["rule"] == "BAD-1" and f["status"] == "error"]


# ------------------------------------------------------------------ import and hooks


@pytest.mark.parametrize("how", ["sys.exit", "BaseException"])
def test_exiting_at_import_is_contained_and_named(
        throwaway: Installer, baseline: dict[str, Any], how: str) -> None:
    throwaway.add("bad", f"{EXITING[how]}\nclass Plugin: pass\n")
    payload = run(["check", EXAMPLE, *OTHERS, "--format", "json"]).json()
    assert findings(payload) == findings(baseline)
    [entry] = [p for p in payload["plugins"] if p["name"] == "bad"]
    assert entry["failed"] and entry["failed"][0]["error"]
    listed = run(["plugins", "--format", "json"]).json()
    assert any(p["name"] == "bad" and p["failed"] for p in listed)


HOOKS = ["pmo_rules_functions", "pmo_rules_checks", "pmo_rules_lifecycles",
         "pmo_rules_policy_packs", "pmo_rules_loaders", "pmo_rules_reporters",
         "pmo_rules_portfolio_loaded"]


@pytest.mark.parametrize(("hook", "how"), [
    *((hook, "sys.exit") for hook in HOOKS), ("pmo_rules_checks", "BaseException"),
    ("pmo_rules_portfolio_loaded", "GeneratorExit")])
def test_exiting_in_any_hook_is_contained_and_named(
        throwaway: Installer, baseline: dict[str, Any], hook: str, how: str) -> None:
    args = "self, portfolio" if hook == "pmo_rules_portfolio_loaded" else "self"
    throwaway.add("bad", f"""
    class Plugin:
        @hookimpl
        def {hook}({args}):
            {EXITING[how]}
    """)
    payload = run(["check", EXAMPLE, *OTHERS, "--format", "json"]).json()
    assert findings(payload) == findings(baseline)
    [entry] = [p for p in payload["plugins"] if p["name"] == "bad"]
    assert [f["hook"] for f in entry["failed"]] == [hook]
    listed = run(["plugins", "--format", "json"]).json()
    assert any(p["name"] == "bad" and p["failed"] for p in listed)


# ------------------------------------------------------------------ checks


@pytest.mark.parametrize("how", ["sys.exit", "GeneratorExit"])
def test_a_check_that_exits_is_one_error_naming_the_plugin(
        throwaway: Installer, baseline: dict[str, Any], how: str) -> None:
    throwaway.add("bad", check_plugin(EXITING[how]))
    out = checked(throwaway, CHECK_POLICY)
    assert out.exit_code == 3
    payload = out.json()
    [message] = bad_errors(payload)
    assert message.startswith("plugin `bad`: check `bad.probe` ")
    assert findings(payload) == findings(baseline)


def test_a_check_that_never_returns_ends_at_the_time_limit(
        throwaway: Installer, baseline: dict[str, Any]) -> None:
    throwaway.add("bad", check_plugin("while True:\n    time.sleep(0.01)"))
    started = time.monotonic()
    out = checked(throwaway, CHECK_POLICY, env={"PMO_RULES_PLUGIN_TIMEOUT": "1"})
    assert time.monotonic() - started < 30
    [message] = bad_errors(out.json())
    assert "did not return within 1 s" in message and "PMO_RULES_PLUGIN_TIMEOUT" in message
    assert findings(out.json()) == findings(baseline)


def test_a_busy_check_ends_at_the_time_limit_too(throwaway: Installer) -> None:
    throwaway.add("bad", check_plugin("n = 0\nwhile True:\n    n += 1"))
    out = checked(throwaway, CHECK_POLICY, env={"PMO_RULES_PLUGIN_TIMEOUT": "1"})
    [message] = bad_errors(out.json())
    assert "did not return within 1 s" in message


def test_garbage_subjects_are_left_out_and_named(throwaway: Installer) -> None:
    throwaway.add("bad", check_plugin("""\
        return [CheckResult("P-101", passed=False, message="kept"),
                CheckResult("P-NOPE", passed=False), CheckResult(42, passed=False),
                CheckResult({"id": "P-102"}, passed=False), CheckResult("P-101", passed=True),
                CheckResult("P-103", passed="yes"), CheckResult("P-104", passed=False,
                                                                  message=7),
                CheckResult(ctx.portfolio.people[0], passed=False)]
    """))
    out = checked(throwaway, CHECK_POLICY)
    assert out.exit_code == 3
    payload = out.json()
    [message] = bad_errors(payload)
    assert message.startswith("plugin `bad`: check `bad.probe` returned 7 result(s) that "
                              "were left out: subject `'P-NOPE'` is not a project")
    assert "and 4 more" in message
    kept = [f for f in payload["findings"] if f["rule"] == "BAD-1"
            and f["status"] == "fail"]
    assert [(f["subject"]["id"], f["message"]) for f in kept] == [("P-101", "kept")]


def test_a_check_with_a_subject_kind_that_does_not_exist(throwaway: Installer) -> None:
    throwaway.add("bad", check_plugin("return []", subject="galaxy"))
    entry = listed_bad()
    assert "subject must be one of" in entry["failed"][0]["error"]


# ------------------------------------------------------------------ functions


@pytest.mark.parametrize(("returns", "value"), [
    ("NUMBER", "'many'"), ("NUMBER", "True"), ("STRING", "5"),
])
def test_a_function_returning_the_wrong_type_names_the_plugin(
        throwaway: Installer, returns: str, value: str) -> None:
    throwaway.add("bad", function_plugin(f"return {value}", returns))
    policy = FUNCTION_POLICY if returns == "NUMBER" else FUNCTION_POLICY.replace(
        "bad.f(p) > 0", "bad.f(p) == bad.f(p)")
    out = checked(throwaway, policy)
    assert out.exit_code == 3
    messages = bad_errors(out.json())
    assert messages and all(m.startswith("plugin `bad`: function `bad.f` returned ")
                            and f"declares {returns.lower()}" in m for m in messages)


def test_a_function_that_exits_names_the_plugin_for_each_subject(
        throwaway: Installer, baseline: dict[str, Any]) -> None:
    throwaway.add("bad", function_plugin("sys.exit(0)"))
    out = checked(throwaway, FUNCTION_POLICY)
    messages = bad_errors(out.json())
    assert messages and all("plugin `bad`: function `bad.f` called sys.exit(0)" in m
                            for m in messages)
    assert findings(out.json()) == findings(baseline)


def test_a_function_that_never_returns_is_given_up_once(throwaway: Installer) -> None:
    throwaway.add("bad", function_plugin("time.sleep(3600)"))
    started = time.monotonic()
    out = checked(throwaway, FUNCTION_POLICY, env={"PMO_RULES_PLUGIN_TIMEOUT": "1"})
    assert time.monotonic() - started < 20  # one time limit, not one per project
    messages = bad_errors(out.json())
    assert len(messages) > 5 and all("did not return within 1 s" in m for m in messages)


# ------------------------------------------------------------------ standard output


def test_print_from_plugin_code_never_reaches_the_json_report(
        throwaway: Installer) -> None:
    throwaway.add("chatty", """
    print("importing chatty")

    def f(p):
        print("f called for", p.id)
        return 1

    def probe(ctx):
        print("probing")
        return [CheckResult(p.id, passed=True) for p in ctx.portfolio.projects]

    class Plugin:
        @hookimpl
        def pmo_rules_functions(self):
            print("declaring functions")
            return [PluginFunction(FunctionDecl("chatty.f", (ParamDecl("p", entity("project")),),
                                                NUMBER), f)]

        @hookimpl
        def pmo_rules_checks(self):
            return [PluginCheck(CheckDecl("chatty.probe", (), "project"), probe)]

        @hookimpl
        def pmo_rules_portfolio_loaded(self, portfolio):
            print("enriching")
    """)
    policy = """\
    policy "chatty" {
      rule BAD-1 "f" { for p in projects  require chatty.f(p) > 0 }
      rule BAD-2 "probe" { check chatty.probe() }
    }
    """
    out = checked(throwaway, policy, allow_error=False)
    payload = out.json()  # the whole of stdout is the report
    assert payload["summary"]["error"] == 0
    for said in ("importing chatty", "declaring functions", "enriching", "probing",
                 "f called for P-101"):
        assert f"plugin chatty: {said}" in out.stderr
    listed = run(["plugins", "--format", "json"])
    assert any(p["name"] == "chatty" for p in listed.json())


# ------------------------------------------------------------------ enrichment


def test_enrichment_of_the_wrong_type_is_undone_and_named(
        throwaway: Installer, baseline: dict[str, Any]) -> None:
    throwaway.add("enricher", """
    class Plugin:
        @hookimpl
        def pmo_rules_portfolio_loaded(self, portfolio):
            for p in portfolio.projects:
                p.custom["enriched"] = True
                p.tier = "high"
    """)
    payload = run(["check", EXAMPLE, *OTHERS, "--format",
                   "json"]).json()
    assert findings(payload) == findings(baseline)  # tier is back: no other result moved
    [entry] = [p for p in payload["plugins"] if p["name"] == "enricher"]
    [failure] = entry["failed"]
    assert failure["hook"] == "pmo_rules_portfolio_loaded"
    assert re.search(r"set `tier` of project `P-\d+` to 'high': input should be a valid "
                     "integer", failure["error"])
    assert "its changes were undone" in failure["error"]


@pytest.mark.parametrize("change", [
    "portfolio.projects[0].program = 'PG-NOPE'",
    "portfolio.projects[0].schedule.baseline_finish = '2026-13-01'",
    "portfolio.projects[0].depends_on.append(42)",
    "portfolio.projects.append('P-999')",
    "del portfolio.projects[0].__dict__['status']",
    "portfolio.projects[0].status = 'exploded'",
])
def test_every_kind_of_bad_enrichment_is_undone(
        throwaway: Installer, baseline: dict[str, Any], change: str) -> None:
    throwaway.add("enricher", f"""
    class Plugin:
        @hookimpl
        def pmo_rules_portfolio_loaded(self, portfolio):
            {change}
    """)
    payload = run(["check", EXAMPLE, *OTHERS, "--format",
                   "json"]).json()
    assert findings(payload) == findings(baseline)
    [entry] = [p for p in payload["plugins"] if p["name"] == "enricher"]
    assert "its changes were undone" in entry["failed"][0]["error"]


def test_a_valid_enrichment_is_kept(throwaway: Installer) -> None:
    throwaway.add("enricher", """
    class Plugin:
        @hookimpl
        def pmo_rules_portfolio_loaded(self, portfolio):
            for p in portfolio.projects:
                p.custom["score"] = 7
                p.tier = 1
    """)
    policy = """\
    policy "enriched" {
      rule BAD-1 "every project enriched" {
        for p in projects
        require p.custom.score == 7 and p.tier == 1
      }
    }
    """
    payload = checked(throwaway, policy, allow_error=False).json()
    assert not [p for p in payload["plugins"] if p["name"] == "enricher" and p["failed"]]
    assert [f for f in payload["findings"] if f["rule"] == "BAD-1"] == []


# ------------------------------------------------------------------ declarations


@pytest.mark.parametrize("returned", [
    "None",
    "[LifecycleModel.__new__(LifecycleModel)]",
    "[object.__new__(LifecycleModel)]",
    "'pmbok'",
    "[LifecycleModel('odd', ('a', 'a'), {'a': 'planning'})]",
])
def test_lifecycles_returning_none_or_malformed_declarations(
        throwaway: Installer, baseline: dict[str, Any], returned: str) -> None:
    throwaway.add("bad", hook_plugin("pmo_rules_lifecycles", returned))
    payload = run(["check", EXAMPLE, *OTHERS, "--format",
                   "json"]).json()
    assert findings(payload) == findings(baseline)
    run(["plugins", "--format", "json"]).json()


@pytest.mark.parametrize("declaration", [
    'PluginFunction(FunctionDecl(None, (), NUMBER), len)',
    'PluginFunction(FunctionDecl("bad.f", ("p",), NUMBER), len)',
    'PluginFunction(FunctionDecl("bad.f", (ParamDecl("p", "number"),), NUMBER), len)',
    'PluginFunction(FunctionDecl("bad.f", (), "number"), len)',
    'PluginFunction(FunctionDecl("bad.f", None, NUMBER), len)',
])
def test_malformed_function_declarations_are_named(
        throwaway: Installer, declaration: str) -> None:
    throwaway.add("bad", hook_plugin("pmo_rules_functions", f"[{declaration}]"))
    entry = listed_bad()
    assert entry["failed"] and entry["failed"][0]["hook"] == "pmo_rules_functions"
    out = run(["validate", "--format", "json", str(throwaway.policy(FUNCTION_POLICY))])
    assert out.exit_code in (0, 2)


@pytest.mark.parametrize("pack", ["PolicyPack('p', None)", "PolicyPack(None, '.')",
                                  "PolicyPack('p', 42)"])
def test_a_policy_pack_with_no_path_is_named_not_a_crash(
        throwaway: Installer, pack: str) -> None:
    throwaway.add("bad", hook_plugin("pmo_rules_policy_packs", f"[{pack}]"))
    entry = listed_bad()
    assert entry["failed"][0]["hook"] == "pmo_rules_policy_packs"
    assert "FAILED in pmo_rules_policy_packs" in run(["plugins"]).stdout


# ------------------------------------------------------------------ loaders


@pytest.mark.parametrize(("load", "says"), [
    ("lambda path: sys.exit(4)", "called sys.exit(4)"),
    ("lambda path: time.sleep(3600)", "did not return within 1 s"),
    ("lambda path: print('noise') or {'as_of': '2026-11-26'}", None),
])
def test_a_loader_that_exits_or_hangs_is_a_diagnostic_naming_the_plugin(
        throwaway: Installer, tmp_path: Path, load: str, says: str | None) -> None:
    throwaway.add("bad", hook_plugin("pmo_rules_loaders", f'[Loader("kv", (".kv",), {load})]'))
    data = tmp_path / "portfolio.kv"
    data.write_text("P-1 One 2\n", encoding="utf-8")
    out = run(["check", str(data), *OTHERS, "--format", "json"],
              env={"PMO_RULES_PLUGIN_TIMEOUT": "1"})
    if says is None:
        assert out.exit_code in (0, 1) and out.json()["schema"]
        assert "plugin bad: noise" in out.stderr
        return
    assert out.exit_code == 2
    [diag] = out.json()["diagnostics"]
    assert diag["code"] in ("PMO410", "PMO462") and "plugin `bad`" in diag["message"]
    assert says in diag["message"] and diag["file"] == str(data)


# ------------------------------------------------------------------ reporters


@pytest.mark.parametrize(("render", "says"), [
    ("lambda report: 42", "returned int, expected str"),
    ("lambda report: b'bytes'", "returned bytes, expected str"),
    ("lambda report: sys.exit(0)", "called sys.exit(0)"),
    ("lambda report: 1 / 0", "raised ZeroDivisionError"),
])
def test_a_failing_reporter_is_a_named_error(
        throwaway: Installer, tmp_path: Path, render: str, says: str) -> None:
    throwaway.add("bad", hook_plugin("pmo_rules_reporters",
                                     f'[Reporter("weird", "a broken format", {render})]'))
    out = run(["check", EXAMPLE, *OTHERS, "--format", "weird"],
              allow_error=True)
    assert out.exit_code == 3 and out.stdout == ""
    assert f"error[PMO624]: plugin `bad`: reporter `weird` {says}" in out.stderr
    target = tmp_path / "out" / "report.weird"
    out = run(["check", EXAMPLE, *OTHERS, "--format", "weird",
               "--output", str(target)], allow_error=True)
    assert out.exit_code == 3 and not target.exists()


# ------------------------------------------------------------------ Ctrl-C


def test_a_genuine_ctrl_c_still_exits_130(tmp_path: Path) -> None:
    script = tmp_path / "interrupt.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        from importlib import metadata
        sys.path.insert(0, {str(tmp_path)!r})
        real = metadata.entry_points
        extra = metadata.EntryPoint("bad", "ctrlc_plugin:plugin", "pmo_rules")
        metadata.entry_points = lambda **kw: (
            [*real(**kw), extra] if kw.get("group") == "pmo_rules" else real(**kw))
        from pmo_rules.cli import run
        sys.argv = ["pmo-rules", *sys.argv[1:]]
        run()
    """), encoding="utf-8")
    (tmp_path / "ctrlc_plugin.py").write_text(textwrap.dedent("""
        import os, signal
        from pmo_rules.plugins.hookspecs import hookimpl
        from pmo_rules.plugins.types import PluginCheck
        from pmo_rules.language.declarations import CheckDecl

        def probe(ctx):
            os.kill(os.getpid(), signal.SIGINT)  # as a user's Ctrl-C would
            return []

        class Plugin:
            @hookimpl
            def pmo_rules_checks(self):
                return [PluginCheck(CheckDecl("bad.probe", (), "project"), probe)]

        plugin = Plugin()
    """), encoding="utf-8")
    policy = tmp_path / "p.pmo"
    policy.write_text(CHECK_POLICY, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), "check", EXAMPLE, "--policy", str(policy), "--format",
         "json"], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 130, result.stderr
    assert "interrupted" in result.stderr and "Traceback" not in result.stderr


def test_the_time_limit_is_documented_and_settable(tmp_path: Path) -> None:
    out = run(["check", EXAMPLE, *OTHERS],
              env={"PMO_RULES_PLUGIN_TIMEOUT": "forever"})
    assert out.exit_code == 2 and "PMO_RULES_PLUGIN_TIMEOUT" in out.stderr
    docs = (ROOT / "docs" / "checking.md").read_text(encoding="utf-8")
    assert "PMO_RULES_PLUGIN_TIMEOUT" in docs
