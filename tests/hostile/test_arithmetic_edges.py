"""Arithmetic at the edges is evidence ("date out of range"), never an error result, and
every report renders every value the engine can hold (issue #10)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmo_rules import api

from .contract import policy_file, run


def _data(tmp: Path, custom: dict[str, Any]) -> Path:
    path = tmp / "d.yaml"  # YAML, to hold infinities and dates as such
    path.write_text(yaml.safe_dump({"as_of": "2026-11-26", "projects": [
        {"id": "A", "name": "A", "tier": 2, "schedule": {"baseline_start": "2026-01-05",
                                                          "baseline_finish": "2026-06-30"},
         "custom": custom}]}), encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "custom", "operand", "problem"), [
    # the reproducer and its siblings, at both ends of the calendar
    ("9999-12-31 + 30d > today()", {}, "9999-12-31 + 30d",
     "date out of range (9999-12-31 + 30d)"),
    ("0001-01-01 - 1d < today()", {}, "0001-01-01 - 1d", "date out of range (0001-01-01 - 1d)"),
    ("p.start + 999999999d > today()", {}, "p.start + 999999999d",
     "date out of range (2026-01-05 + 999999999d)"),
    ("999999999d + 1d > 0d", {}, "999999999d + 1d",
     "duration out of range (999999999d + 1d)"),
    ("14d * p.custom.f > 0d", {"f": 1e300}, "14d * p.custom.f", "duration out of range"),
    ("14d * p.custom.f > 0d", {"f": float("nan")}, "14d * p.custom.f", "duration out of range"),
    ("p.custom.f * 10 < 5", {"f": 1e308}, "p.custom.f * 10", "number out of range (not finite)"),
    ("p.custom.f + 1 < 5", {"f": float("inf")}, "p.custom.f + 1",
     "number out of range (not finite)"),
    # data holds integers of up to 30 digits; products of them grow past 1024 bits
    (" * ".join(["p.custom.n"] * 11) + " > 0", {"n": 10**29}, " * ".join(["p.custom.n"] * 11),
     "number out of range (more than 1024 bits)"),
    (" * ".join(["p.custom.n"] * 10) + " * p.custom.f > 0", {"n": 10**29, "f": 1e30},
     " * ".join(["p.custom.n"] * 10) + " * p.custom.f", "number out of range (not finite)"),
    ("len(p.custom.s + p.custom.s) > 0", {"s": "x" * 600_000}, "len(p.custom.s + p.custom.s)",
     None),
    ("p.tier / 0 > 1", {}, "p.tier / 0", "division by zero"),
])
def test_out_of_range_is_evidence_not_an_error(tmp_path: Path, body: str,
                                               custom: dict[str, Any], operand: str,
                                               problem: str | None) -> None:
    pol, data = policy_file(tmp_path, body), _data(tmp_path, custom)
    out = run(["check", str(data), "--policy", str(pol), "--format", "json"])
    assert out.exit_code == 1
    report = out.json()
    assert report["errors"] == []
    [finding] = report["findings"]
    evidence = finding["evidence"][0]
    assert operand in evidence["missing"]
    if problem is not None:
        assert problem in evidence["problems"][operand]
    loaded, checked = api.load_portfolio(data), api.load_policies([pol])
    assert [f.status for f in api.check(loaded, checked, fast=False).findings] == ["fail"]


def test_text_past_the_limit_is_out_of_range(tmp_path: Path) -> None:
    pol = policy_file(tmp_path, "len(x) > 0", lets=["x = p.custom.s + p.custom.s"])
    report = run(["check", str(_data(tmp_path, {"s": "x" * 600_000})), "--policy", str(pol),
                  "--format", "json"]).json()
    assert report["findings"][0]["status"] == "fail"


@pytest.mark.parametrize("op", ["*", "+"])
def test_growth_through_lets_ends_quickly(tmp_path: Path, op: str) -> None:
    # Each let doubles (text) or squares (numbers): unbounded, 40 lets would never end.
    names = [f"x{i}" for i in range(40)]
    first = "p.custom.n" if op == "*" else "p.name"
    lets = [f"{names[0]} = {first} {op} {first}"]
    lets += [f"{b} = {a} {op} {a}" for a, b in itertools.pairwise(names)]
    pol = policy_file(tmp_path, f"{names[-1]} exists", lets=lets)
    out = run(["check", str(_data(tmp_path, {"n": 3})), "--policy", str(pol), "--format",
               "json"], seconds=10)
    assert out.exit_code == 1 and out.json()["errors"] == []


FORMATS = ["json", "sarif", "junit", "markdown", "html", "text"]


def test_every_report_renders_any_value(tmp_path: Path) -> None:
    huge, inf = 3 * 10**29, float("inf")  # past 64 bits; data holds up to 30 digits
    pol = tmp_path / "p.pmo"
    pol.write_text('policy "t" {\n  rule T-1 "values" {\n    for p in projects\n'
                   "    require p.custom.n < 0 and p.custom.f < 0 and p.custom.m > 0\n"
                   '    message "{p.custom.n} {p.custom.f} {p.custom.m}"\n  }\n}\n',
                   encoding="utf-8")
    data = _data(tmp_path, {"n": huge, "f": inf, "m": -(2**64)})
    args = ["check", str(data), "--policy", str(pol), "--output-dir", str(tmp_path / "out")]
    for fmt in FORMATS:
        args += ["--format", fmt]
    out = run(args)
    assert out.exit_code == 1
    written = {p.suffix: p.read_text("utf-8") for p in (tmp_path / "out").iterdir()}
    assert len(written) == len(FORMATS)
    report = json.loads(written[".json"])
    values = report["findings"][0]["evidence"][0]["values"]
    assert values == {"p.custom.n": str(huge), "p.custom.f": "Infinity",
                      "p.custom.m": str(-(2**64))}
    json.loads(written[".sarif"])  # strict JSON: no NaN or Infinity tokens
    for text in written.values():
        assert str(huge) in text
