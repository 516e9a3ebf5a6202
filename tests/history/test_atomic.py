"""A run is written in one transaction: a recording process killed or interrupted mid-write
leaves the store intact and without that run, and two processes recording at once both land.
Real processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from pmo_rules.history.locate import parse_store
from pmo_rules.history.store import Store
from pmo_rules.history.tables import results, rule_runs, runs, scores, waivers
from tests.history.helpers import check_args, record_months

SLOW = Path(__file__).parent / "record_slowly.py"
ROOT = Path(__file__).parents[2]


def start(tmp: Path, name: str, store: str, month: str) -> subprocess.Popen[str]:
    """A `check --record` process that signals and holds its write transaction: it creates
    NAME.arrived and NAME.inside, and waits for NAME.release (see record_slowly.py)."""
    args = check_args(month, "--record", "--store", store, "--format", "json")
    hooks = {f"PMO_TEST_{k.upper()}": str(tmp / f"{name}.{k}")
             for k in ("arrived", "inside", "release")}
    return subprocess.Popen(
        [sys.executable, str(SLOW), *args], stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **hooks},
    )


def wait_for(marker: Path, proc: subprocess.Popen[str], limit: float = 60) -> None:
    """Wait until the process has created `marker`."""
    deadline = time.monotonic() + limit
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the recorder ended early ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the recorder never created {marker.name}")
        time.sleep(0.05)


def store_state(url: str) -> dict[str, int]:
    """Rows per table, and rows that belong to no run (there must be none)."""
    with Store.open(parse_store(url)) as store, store.engine.connect() as conn:
        out = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
               for t in (runs, results, rule_runs, waivers, scores)}
        known = select(runs.c.id)
        out["orphans"] = sum(conn.execute(select(func.count()).select_from(t).where(
            t.c.run_id.not_in(known))).scalar_one()
            for t in (results, rule_runs, waivers, scores))
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    return out


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_a_run_interrupted_mid_write_leaves_no_trace(
    store_url: str, tmp_path: Path, how: signal.Signals,
) -> None:
    record_months(store_url, ("october",))
    before = store_state(store_url)
    proc = start(tmp_path, "writer", store_url, "november")
    wait_for(tmp_path / "writer.inside", proc)  # the run's row written, not committed
    proc.send_signal(how)
    code = proc.wait(timeout=60)
    assert code == (-signal.SIGKILL if how == signal.SIGKILL else 130)
    assert store_state(store_url) == before  # intact, and without that run
    # The store is not left locked: the next run records normally.
    record_months(store_url, ("november",))
    after = store_state(store_url)
    assert after["pmo_runs"] == before["pmo_runs"] + 1 and after["orphans"] == 0


def test_two_processes_recording_at_once_both_land(store_url: str, tmp_path: Path) -> None:
    first = start(tmp_path, "first", store_url, "october")
    wait_for(tmp_path / "first.inside", first)  # the first holds its write transaction
    second = start(tmp_path, "second", store_url, "november")
    (tmp_path / "second.release").touch()
    wait_for(tmp_path / "second.arrived", second)  # the second starts its own meanwhile
    time.sleep(0.3)  # SQLite: it now waits for the lock; PostgreSQL: it writes alongside
    (tmp_path / "first.release").touch()
    assert first.wait(timeout=120) == 1, first.stderr.read()
    assert second.wait(timeout=120) == 1, second.stderr.read()
    with Store.open(parse_store(store_url)) as store:
        landed = store.runs()
        assert sorted(r.as_of.month for r in landed) == [10, 11]
        for run in landed:  # each run whole: every finding it counted is stored
            snap = store.snapshot(run.id)
            assert len(snap.items) == run.failed + run.waived + run.errors
            assert len(snap.rules) == run.rules
    assert store_state(store_url)["orphans"] == 0
