"""`pmo-rules init`: what it writes, that it never overwrites, and that what it writes passes
validate, test and check as written (its CI workflow and pre-commit hooks included)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from pmo_rules import __version__
from pmo_rules.cli import main

ROOT = Path(__file__).resolve().parents[2]
FILES = [".github/workflows/governance.yml", ".pre-commit-config.yaml", "GOVERNANCE.md",
         "pmo-rules.toml", "policies/department.pmo", "policies/tests/DEPT-01.yaml",
         "portfolio.schema.json", "portfolio.yaml", "waivers.yaml"]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A freshly scaffolded governance repository, as the working directory."""
    monkeypatch.chdir(tmp_path)
    result = run("init", ".")
    assert result.exit_code == 0, result.output
    return tmp_path


def test_init_writes_the_governance_repository(repo: Path) -> None:
    written = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file())
    assert written == FILES
    portfolio = (repo / "portfolio.yaml").read_text(encoding="utf-8")
    assert portfolio.startswith("# yaml-language-server: $schema=portfolio.schema.json\n")
    schema = json.loads((repo / "portfolio.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(run("schema").stdout)
    document = json.loads(json.dumps(yaml.safe_load(portfolio), default=str))
    jsonschema.Draft202012Validator(schema).validate(document)
    department = (repo / "policies" / "department.pmo").read_text(encoding="utf-8")
    assert 'extends "epmo-finance"' in department and "param cpi_red = 0.95" in department
    assert len(re.findall(r"^    rule ", department, re.M)) == 1
    register = yaml.safe_load((repo / "waivers.yaml").read_text(encoding="utf-8"))
    assert len(register) == 1


def test_init_creates_the_directory(tmp_path: Path) -> None:
    target = tmp_path / "governance" / "repo"
    result = run("init", str(target))
    assert result.exit_code == 0, result.output
    assert (target / "portfolio.yaml").is_file()
    assert f"cd {target} && pmo-rules validate" in result.output


@pytest.mark.parametrize("existing", ["portfolio.yaml", "policies/department.pmo",
                                      ".pre-commit-config.yaml"])
def test_init_never_overwrites(tmp_path: Path, existing: str) -> None:
    """One existing file: exit 2, a diagnostic naming it, and nothing written at all."""
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("mine\n", encoding="utf-8")
    result = run("init", str(tmp_path))
    assert result.exit_code == 2
    assert "error[PMO640]" in result.output and f"`{existing}`" in result.output
    assert "nothing was written" in result.output
    assert (tmp_path / existing).read_text(encoding="utf-8") == "mine\n"
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [tmp_path / existing]


def test_init_into_a_file_is_a_diagnostic(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    result = run("init", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "PMO641" in result.output or "is a file" in result.output
    assert "Traceback" not in result.output


def test_validate_and_check_pass_as_written(repo: Path) -> None:
    assert run("validate").exit_code == 0
    result = run("check", "portfolio.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["fail"] == 0 and report["summary"]["error"] == 0
    assert [(w["rule"], w["subject"], w["status"]) for w in report["waivers"]] == [
        ("RAID-07", "P-2", "applied")]
    ran = {r["id"] for r in report["rules"]}
    assert "DEPT-01" in ran and "FIN-01" in ran
    assert {p["name"]: p["runs"] for p in report["policies"]}["epmo-finance"] is False
    assert run("fmt", "--check", "policies/").exit_code == 0


def test_check_with_the_lifecycle_pack(repo: Path) -> None:
    result = run("check", "portfolio.yaml", "--pack", "standard", "--pack", "lifecycle",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rules = {r["id"]: r for r in report["rules"]}
    from_pack = {p["name"] for p in report["policies"] if p["file"].startswith("pack:lifecycle/")}
    lifecycle = [r for r in rules.values() if r["policy"] in from_pack]
    assert lifecycle and all(r["error"] == 0 and r["pass"] > 0 for r in lifecycle)
    assert "DEPT-01" not in rules  # naming packs replaces the settings' policies


def test_policy_tests_pass_as_written(repo: Path) -> None:
    result = run("test")
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ passed, 0 failed", result.output)
    verbose = run("test", "-v", "policies/")  # the department's cases alone
    assert verbose.exit_code == 0, verbose.output
    assert verbose.output.count("ok    policies/tests/DEPT-01.yaml") == 3
    assert "3 passed, 0 failed" in verbose.output


def test_explain_shows_the_department_rule_with_a_sample_finding(repo: Path) -> None:
    """GOVERNANCE.md's `pmo-rules explain DEPT-01`: the failing case runs with its parent."""
    result = run("explain", "DEPT-01")
    assert result.exit_code == 0, result.output
    assert "sample finding (from policies/tests/DEPT-01.yaml" in result.output
    assert "P-1 Ledger Replatforming is executing without earned-value figures" in result.output


def _workflow(repo: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (repo / ".github" / "workflows" / "governance.yml").read_text(encoding="utf-8"))
    return data


def test_the_ci_workflow_runs_the_check_and_uploads_sarif(repo: Path) -> None:
    """Each pmo-rules step of the workflow, run here as CI would, succeeds, and the SARIF
    file it uploads is where it says."""
    steps = _workflow(repo)["jobs"]["check"]["steps"]
    assert f'pip install "pmo-rules=={__version__}"' in [s.get("run") for s in steps]
    commands = [shlex.split(s["run"])[1:] for s in steps
                if str(s.get("run", "")).startswith("pmo-rules ")]
    assert [c[0] for c in commands] == ["validate", "test", "check"]
    for command in commands:
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
    [upload] = [s for s in steps if "upload-sarif" in s.get("uses", "")]
    assert upload["if"] == "always()"
    sarif = json.loads((repo / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    permissions = _workflow(repo)["jobs"]["check"]["permissions"]
    assert permissions["security-events"] == "write"


def test_pre_commit_uses_the_hooks_this_repository_publishes(repo: Path) -> None:
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [entry] = config["repos"]
    assert entry["rev"] == f"v{__version__}"
    assert entry["repo"].startswith("https://")
    published = {h["id"]: h for h in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    used = [h["id"] for h in entry["hooks"]]
    assert used == ["pmo-rules-validate", "pmo-rules-fmt"]
    policy = "policies/department.pmo"
    for hook_id in used:
        hook = published[hook_id]
        assert hook["language"] == "python"  # pre-commit installs this repository itself
        assert re.search(hook["files"], policy)
        # What pre-commit runs: the entry, plus the changed files unless told otherwise.
        args = shlex.split(hook["entry"])[1:]
        if hook.get("pass_filenames", True):
            args.append(policy)
        result = run(*args)
        assert result.exit_code == 0, (hook_id, result.output)
    assert "reformatted" not in result.output  # the scaffold is already canonical


def test_the_hooks_repo_and_rev_can_be_named(tmp_path: Path) -> None:
    result = run("init", str(tmp_path), "--hooks-repo", "https://git.example/pmo-rules",
                 "--hooks-rev", "v9")
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["repo"] == "https://git.example/pmo-rules"
    assert config["repos"][0]["rev"] == "v9"
