"""Where the team's shared material lives: the official report schemas, the performance kit,
the real PMO files and the spec, in a `shared` directory beside the checkout.

Users never have it. Tests that need it skip on their machines and fail in CI (CI=true), so
a CI machine without it can never pass by skipping. PMO_RULES_SHARED names it explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = "PMO_RULES_SHARED"


def in_ci() -> bool:
    """Whether this is a CI run (CI set to anything but false or 0)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "false", "0"}


def shared_path(part: str, *, env: str | None = None) -> Path | None:
    """shared/PART if it exists: `env` (a directory for PART itself), then $PMO_RULES_SHARED,
    then a `shared` directory beside the checkout or beside its parent (a git worktree)."""
    candidates: list[Path] = []
    if env and os.environ.get(env):
        candidates.append(Path(os.environ[env]))
    if os.environ.get(ENV):
        candidates.append(Path(os.environ[ENV]) / part)
    candidates += [ROOT.parent / "shared" / part, ROOT.parent.parent / "shared" / part]
    return next((path for path in candidates if path.exists()), None)


def require_shared(part: str, *, env: str | None = None) -> Path:
    """shared/PART, or skip the test (a user's machine) or fail it (CI) when it is absent."""
    found = shared_path(part, env=env)
    if found is None:
        where = f"shared/{part} is not beside this checkout (set {env or ENV})"
        if in_ci():
            pytest.fail(f"{where}: CI must have it")
        pytest.skip(where)
    return found


def schemas_dir() -> Path:
    """The official SARIF and JUnit schemas."""
    return require_shared("schemas")
