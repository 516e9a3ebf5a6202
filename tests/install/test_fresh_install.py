"""The one-install story, exactly as a new user lives it: a fresh virtual environment outside
the repository, `pip install <the repository>`, then in an empty folder `pmo-rules init .`,
`validate`, `test`, `check portfolio.yaml`, and the lifecycle pack.

Fast where honesty allows: the fresh environment is made without its own copy of pip and
this environment's pip installs into it (`pip --python`), which is the same installer doing
the same install; dependencies come from pip's configured index and cache as they would for
a user. Everything runs in subprocesses with the repository off the path, so only what the
built distribution ships can be used (package data included).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A new virtual environment with pmo-rules installed from the repository path."""
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--disable-pip-version-check", str(ROOT)],
        capture_output=True, text=True, env=_env(), cwd=tmp_path_factory.getbasetemp())
    assert done.returncode == 0, done.stdout + done.stderr
    yield venv


def _run(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "pmo-rules"), *args], cwd=cwd,
                          capture_output=True, text=True, env=_env(), timeout=600)


def test_one_install_gives_the_whole_product(fresh: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(fresh / "bin" / "python"), "-c", "import pmo_rules; print(pmo_rules.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, env=_env(), check=True).stdout
    assert str(fresh) in where and str(ROOT) not in where, where

    folder = tmp_path / "governance"
    folder.mkdir()
    steps = [("init", "."), ("validate",), ("test",), ("check", "portfolio.yaml")]
    for args in steps:
        done = _run(fresh, folder, *args)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
    assert "0 failed" in _run(fresh, folder, "test").stdout

    lifecycle = _run(fresh, folder, "check", "portfolio.yaml", "--pack", "standard",
                     "--pack", "lifecycle", "--format", "json")
    assert lifecycle.returncode == 0, lifecycle.stderr
    report = json.loads(lifecycle.stdout)
    packs = {p["file"].split("/", 1)[0] for p in report["policies"]}
    assert packs == {"pack:standard", "pack:lifecycle"}
    from_lifecycle = {p["name"] for p in report["policies"]
                      if p["file"].startswith("pack:lifecycle/")}
    ran = [r for r in report["rules"] if r["policy"] in from_lifecycle]
    assert ran and all(r["error"] == 0 for r in ran)


def test_the_standard_pack_and_built_in_plugins_ship_in_the_distribution(
        fresh: Path, tmp_path: Path) -> None:
    """Nothing but pmo-rules installed: no policy named means the standard pack, said once
    on stderr; its own tests pass from the installed copy; the built-ins are listed."""
    example = tmp_path / "portfolio.yaml"
    example.write_bytes((ROOT / "examples" / "portfolio.yaml").read_bytes())
    check = _run(fresh, tmp_path, "check", "portfolio.yaml")
    assert check.returncode == 1, check.stderr  # the example has blocking findings
    assert check.stderr.count("using the standard pack") == 1
    assert "DEP-04" in check.stdout
    tests = _run(fresh, tmp_path, "test", "--pack", "standard")
    assert tests.returncode == 0, tests.stdout[-2000:]
    assert tests.stdout.strip().splitlines()[-1].endswith("passed, 0 failed")
    plugins = _run(fresh, tmp_path, "plugins")
    built_in, rest = plugins.stdout.split("Installed separately:", 1)
    for name in ("standard", "lifecycle", "process", "evm"):
        assert f"\n  {name} " in built_in, name
    assert rest.startswith("\n  none\n"), rest
    assert "pmbok, prince2-style, safe-portfolio, stage-gate" in built_in
