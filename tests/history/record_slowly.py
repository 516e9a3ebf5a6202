"""Run `pmo-rules ARGS` in this process, with hooks that hold its run-store transaction.

    python tests/history/record_slowly.py check ... --record --store URL

Environment (each optional):
- PMO_TEST_ARRIVED: a file created when the process starts its write transaction (at
  SQLite's BEGIN IMMEDIATE, before it has the lock; at PostgreSQL's first read in it);
- PMO_TEST_INSIDE: a file created just before the findings are inserted (the run's row is
  written, the transaction is open);
- PMO_TEST_RELEASE: when set, the process waits there until this file exists (60 s at
  most), so a test can kill it mid-write or start a second writer meanwhile.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def main() -> None:
    arrived, inside, release = (os.environ.get(f"PMO_TEST_{n}") for n in
                                ("ARRIVED", "INSIDE", "RELEASE"))
    done: set[str] = set()

    def hook(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        text = statement.lstrip().upper()
        starting = text.startswith("BEGIN IMMEDIATE") or (
            text.startswith("SELECT PMO_RUNS.ID") and "ORDER BY" in text)
        if arrived and starting and "arrived" not in done:
            done.add("arrived")
            Path(arrived).write_text("starting the write transaction", encoding="utf-8")
        if text.startswith("INSERT INTO PMO_RESULTS") and "inside" not in done:
            done.add("inside")
            if inside:
                Path(inside).write_text("in the transaction", encoding="utf-8")
            deadline = time.monotonic() + 60
            while release and not Path(release).exists() and time.monotonic() < deadline:
                time.sleep(0.05)

    event.listen(Engine, "before_cursor_execute", hook)
    from pmo_rules.cli import run

    sys.argv = ["pmo-rules", *sys.argv[1:]]
    run()


if __name__ == "__main__":
    main()
