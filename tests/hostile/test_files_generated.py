"""Generated and mutated portfolio files keep the contract through the command line.

Three sources of hostile files: the bundled example mutated (lines deleted, doubled,
re-indented, truncated, bytes flipped, hostile snippets spliced in), portfolios
generated around odd values (deep, huge, aliased, non-finite, non-UTF-8), and the real
files of ../shared/realdata mutated the same way (read in place, never copied). Every
run ends within its time bound with exit 0, 1 or 2 (3 only with the reasons listed),
no traceback, a place for every diagnostic and a bounded amount of output; and both
load paths say the same thing about every generated file.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.model import load as load_module
from pmo_rules.model.lifecycles import builtin_lifecycles
from pmo_rules.model.load import load_portfolio
from tests.hostile.contract import Outcome, run
from tests.model.test_fast_path import snapshot
from tests.shared import in_ci, shared_path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "portfolio.yaml").read_bytes()
POLICY = str(ROOT / "pmo_rules" / "stdlib" / "standard" / "policies" / "dependencies.pmo")
MAX_OUTPUT = 1_000_000  # bytes of stdout and stderr together, whatever the file

# Snippets a careless user or an attacker might leave in a YAML file.
SNIPPETS = [
    b"tier: " + b"9" * 5000,
    b"custom: " + b"[" * 3000 + b"]" * 3000,
    b"custom: {a: &a [x, x, x, x, x, x, x, x, x], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a],"
    b" c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b], d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c],"
    b" e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}",
    b"custom: &me {self: *me}",
    b"status: active\nstatus: closed",
    b"name: !!python/object/apply:os.system [echo hi]",
    b"budget: {approved: .nan, actual_to_date: -.inf}",
    b"depends_on: [" + b", ".join(b"X-%d" % i for i in range(3000)) + b"]",
    b"name: \xff\xfe not utf-8",
    b"name: \x00\x01\x02",
    b"\tname: tabbed",
    b"<<: *undefined",
    b"schedule: {baseline_finish: 9999-12-31, forecast_finish: 0001-01-01}",
    b"x" * 200_000,
    b"---\nas_of: 2026-01-01\n---",
    b"id: !!int P-1",
    b"custom: {b: !!binary aGVsbG8=, s: !!set {a, b}, t: !!timestamp 2026-01-01T10:00:00Z,"
    b" o: !!omap [{a: 1}], bad: !!timestamp 2026-13-45}",
    b"tier: !!float abc",
    b"as_of: !!timestamp 2026-11-26",
]


def contract(path: Path, *extra: str) -> Outcome:
    """`check` (and `graph`) on `path`: the contract, with bounded output."""
    out = run(["check", str(path), "--policy", POLICY, "--format", "json", *extra],
              allow_error=True, seconds=30)
    assert len(out.stdout) + len(out.stderr) < MAX_OUTPUT
    graph = run(["graph", str(path), "--format", "json", *extra], seconds=30)
    assert len(graph.stdout) + len(graph.stderr) < MAX_OUTPUT
    assert (graph.exit_code == 2) == (out.exit_code == 2), (out.stderr, graph.stderr)
    return out


def mutate(data: bytes, rnd: random.Random, times: int) -> bytes:
    """`data` with `times` random mutations, each of a kind people and tools make."""
    for _ in range(times):
        lines = data.split(b"\n")
        i = rnd.randrange(len(lines))
        kind = rnd.randrange(7)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[i])  # a line twice: often a key twice
        elif kind == 2:
            indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
            lines.insert(i, indent + rnd.choice(SNIPPETS))
        elif kind == 3:
            lines[i] = rnd.choice([b"  ", b"", b"    "]) + lines[i].lstrip()
        elif kind == 4:
            return b"\n".join(lines)[:rnd.randrange(len(data) + 1)]
        elif kind == 5 and lines[i]:
            j = rnd.randrange(len(lines[i]))
            lines[i] = lines[i][:j] + bytes([rnd.randrange(256)]) + lines[i][j + 1:]
        else:
            lines[i] = lines[i].replace(b": ", b": " + rnd.choice([b"&a ", b"*a ", b"!!int ",
                                                                    b"[", b"{", b"- "]), 1)
        data = b"\n".join(lines)
    return data


SETTINGS = settings(max_examples=20, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), times=st.integers(1, 2))
def test_the_mutated_example_keeps_the_contract(
        tmp_path: Path, seed: int, times: int) -> None:
    path = tmp_path / "portfolio.yaml"
    path.write_bytes(mutate(EXAMPLE, random.Random(seed), times))
    contract(path)
    agree(path)


# ------------------------------------------------------------------ generated values

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**40), 10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["2026-02-30", "9999-12-31", "P-1", "", "red", "active", "\u202e"]),
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=30)
FIELDS = ["tier", "name", "status", "health", "tags", "custom", "depends_on", "budget",
          "schedule", "milestones", "risks", "phase", "program", "weird key"]


def deep(depth: int) -> Any:
    value: Any = "leaf"
    for i in range(depth):
        value = {"k": value} if i % 2 else [value]
    return value


@SETTINGS
@given(
    fields=st.dictionaries(st.sampled_from(FIELDS), st.one_of(
        VALUES, st.integers(1, 120).map(deep)), max_size=4),
    top=st.dictionaries(st.sampled_from(["as_of", "pmo", "portfolio", "programs",
                                         "dependencies", "people"]), VALUES, max_size=2),
    as_json=st.booleans(),
)
def test_generated_values_keep_the_contract(
        tmp_path: Path, fields: dict[str, Any], top: dict[str, Any], as_json: bool) -> None:
    project = {"id": "P-1", "name": "One", **fields}
    document = {"as_of": "2026-11-26", "projects": [project, {"id": "P-2", "name": "Two"}],
                **top}
    if as_json:
        path = tmp_path / "portfolio.json"
        path.write_text(json.dumps(document), encoding="utf-8")
    else:
        import yaml

        path = tmp_path / "portfolio.yaml"
        try:
            path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        except (yaml.YAMLError, UnicodeEncodeError, RecursionError):
            return  # PyYAML cannot write it: nobody can hand us such a file
    contract(path)
    agree(path)


def agree(path: Path) -> None:
    """Both load paths give the same diagnostics, or the same portfolio."""
    registry = builtin_lifecycles()
    try:
        fast = load_portfolio(path)
    except DiagnosticError as problem:
        with pytest.raises(DiagnosticError) as exact:
            load_module._load(path, None, registry)
        assert exact.value.diagnostics == problem.diagnostics
        return
    assert snapshot(fast) == snapshot(load_module._load(path, None, registry))


# ------------------------------------------------------------------ real files


def realdata() -> Path | None:
    """shared/realdata beside this checkout (None on a user's machine; a failure in CI)."""
    found = shared_path("realdata", env="PMO_RULES_REALDATA")
    if found is None and in_ci():
        pytest.fail("shared/realdata is missing in CI", pytrace=False)
    return found


REAL = realdata()
REAL_FILES = sorted(p for p in REAL.rglob("*") if p.is_file() and p.name != "README.md") \
    if REAL is not None else []


@pytest.mark.skipif(REAL is None, reason="../shared/realdata is not on this machine")
@pytest.mark.parametrize("name", [str(p.relative_to(REAL)) for p in REAL_FILES] or ["none"])
def test_mutated_real_files_keep_the_contract(tmp_path: Path, name: str) -> None:
    assert REAL is not None
    original = (REAL / name).read_bytes()
    for seed in range(2):
        path = tmp_path / f"{seed}-{Path(name).name}"
        path.write_bytes(mutate(original, random.Random(f"{name}:{seed}"), 2))
        contract(path, "--as-of", "2026-11-26")
