"""The docs stand alone: users have only the repository (or the installed package), so
README.md, docs/, the examples and the shipped policies never send them elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What the developers keep beside the repository and users never have.
OUTSIDE = re.compile(r"LANGUAGE\.md|DATA-MODEL\.md|DESIGN\.md|CATALOGUE\.md|\.\./shared")
TEXT_SUFFIXES = {".md", ".pmo", ".yaml", ".yml", ".toml", ".py", ".txt", ""}


def _user_facing() -> list[Path]:
    files = [ROOT / "README.md"]
    for folder in ("docs", "pmo_rules/stdlib", "examples"):
        files += [p for p in sorted((ROOT / folder).rglob("*"))
                  if p.is_file() and p.suffix in TEXT_SUFFIXES and "egg-info" not in str(p)
                  and "__pycache__" not in p.parts]
    return files


def test_nothing_refers_to_a_file_outside_the_repository() -> None:
    hits = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
            for path in _user_facing()
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if OUTSIDE.search(line)]
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("doc", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))],
                         ids=lambda p: p.name)
def test_relative_links_resolve(doc: Path) -> None:
    """Every relative link in README.md and docs/ names a file of the repository."""
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (doc.parent / target.split("#", 1)[0]).resolve()
        if not path.exists() or ROOT not in (path, *path.parents):
            broken.append(target)
    assert not broken


def test_the_standard_packs_fixture_is_the_example_portfolio() -> None:
    """The pack ships its own copy (installed packages have no examples/): keep them one."""
    from pmo_rules.stdlib.standard import POLICIES

    copy = POLICIES / "tests" / "fixtures" / "northbridge.yaml"
    assert copy.read_bytes() == (ROOT / "examples" / "portfolio.yaml").read_bytes(), (
        "examples/portfolio.yaml changed: copy it to "
        "pmo_rules/stdlib/standard/policies/tests/fixtures/northbridge.yaml")


def test_the_whole_policy_in_the_language_reference_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/language.md's whole example validates and runs on the example portfolio."""
    from click.testing import CliRunner

    from pmo_rules.cli import main

    doc = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    found = re.search(r"## A whole policy\n\n```\n(.*?)```", doc, re.S)
    assert found is not None
    policy = tmp_path / "delivery.pmo"
    policy.write_text(found.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    validated = CliRunner().invoke(main, ["validate", str(policy)])
    assert validated.exit_code == 0, validated.output
    checked = CliRunner().invoke(main, ["check", str(ROOT / "examples" / "portfolio.yaml"),
                                        "--policy", str(policy), "--format", "json"])
    assert checked.exit_code == 1, checked.output
    import json

    report = json.loads(checked.stdout)
    assert {r["id"] for r in report["rules"]} == {f"DLV-0{i}" for i in range(1, 7)}
    assert report["summary"]["error"] == 0 and report["summary"]["fail"] > 0


def test_the_readme_links_every_page_of_docs() -> None:
    """A page nobody links is a page nobody reads: README.md's Documentation table lists all."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    unlinked = [name for name in pages if f"(docs/{name})" not in readme]
    assert not unlinked, f"add these to README.md's Documentation table: {unlinked}"
