"""Run stores for the history tests: a SQLite file, and a fresh database on a real
PostgreSQL server (PMO_RULES_TEST_POSTGRES, started by .ci/run or `.ci/postgres`).

Without a server the PostgreSQL cases skip with a message; in CI (CI=true) they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
MONTHS = ("september", "october", "november")
POSTGRES_ENV = "PMO_RULES_TEST_POSTGRES"


def _admin_url() -> str:
    """The PostgreSQL server the tests may create databases on, or skip/fail without one."""
    url = os.environ.get(POSTGRES_ENV)
    problem = None
    if not url:
        problem = (f"no PostgreSQL server: set {POSTGRES_ENV} (e.g. from `bash .ci/postgres`) "
                   "to run the PostgreSQL store tests")
    else:
        try:
            import psycopg

            with psycopg.connect(url, connect_timeout=5):
                pass
        except Exception as exc:  # any failure to connect means no server
            problem = f"PostgreSQL at {url} cannot be reached: {exc}"
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    assert url is not None
    return url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (dropped afterwards)."""
    import psycopg

    admin = _admin_url()
    name = f"pmo_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin.rpartition("/")
    yield f"{base}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store of each kind: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "history.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (no settings file, no default store) for CLI runs."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    return work
