"""The README stays true: its sample output is what the check prints, its files exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_sample_finding_is_what_the_check_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "90")
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(main, ["check", "examples/portfolio.yaml",
                                       "--waivers", "examples/waivers.yaml"])
    assert result.exit_code == 1
    sample = re.search(r"fix:\n\n```\n(DEP-04.*?)```", README, re.S)
    assert sample is not None, "the README's sample finding block is gone"
    assert sample.group(1) in result.stdout


def test_paths_the_readme_names_exist() -> None:
    named = set(re.findall(r"\]\(((?:docs|examples|benchmarks)/[^)#]*)\)", README))
    named |= {"examples/portfolio.yaml", "examples/waivers.yaml"}
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing
