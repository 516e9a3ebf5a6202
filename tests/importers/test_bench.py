"""The import benchmark's generated schedules stay valid (the timing itself is printed by
benchmarks/bench_import.py, not asserted here)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.importers.conftest import run_import

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_import import mspdi, xer


def test_generated_schedules_import(tmp_path: Path) -> None:
    mspdi(tmp_path / "b.xml", 200, 240)
    xer(tmp_path / "b.xer", 200, 240)
    xml = run_import(tmp_path / "b.xml").report
    assert xml.entities["milestones"] == 20 and xml.entities["projects"] == 1
    assert sum(xml.links.values()) - sum(v for k, v in xml.links.items()
                                         if k.startswith("dependency ")) == 240
    other = run_import(tmp_path / "b.xer").report
    assert other.entities["projects"] == 2 and other.entities["milestones"] == 20
    assert other.links["cross-project"] > 0
