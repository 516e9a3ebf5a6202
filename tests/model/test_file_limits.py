"""Hostile portfolio files: each failure class of issue #10 with its reproducer and siblings.

Long integers, deep nesting, exponential YAML aliases, duplicate keys, floods of
diagnostics and paths that are not files: every one is a placed diagnostic (exit 2),
never a traceback, a hang or megabytes of output; and both load paths agree.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pmo_rules.cli import main
from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, render_all
from pmo_rules.limits import MAX_DATA_DEPTH, MAX_DIGITS
from pmo_rules.model import load as load_module
from pmo_rules.model.lifecycles import builtin_lifecycles
from pmo_rules.model.load import load_portfolio
from tests.model.test_fast_path import snapshot

HEAD = "as_of: 2026-11-26\nprojects:\n  - id: P-1\n    name: One\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[Diagnostic]:
    """The diagnostics of loading `path`, checked to be the exact path's own."""
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(path)
    with pytest.raises(DiagnosticError) as exact:
        load_module._load(path, None, builtin_lifecycles())
    assert info.value.diagnostics == exact.value.diagnostics
    assert str(info.value) == str(exact.value)
    return info.value.diagnostics


def only(path: Path, code: str) -> Span:
    [diag] = problems(path)
    assert diag.code == code, diag.render()
    assert diag.span is not None and diag.span.file == str(path)
    return diag.span


def nested(depth: int, leaf: Any = 1) -> Any:
    value = leaf
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


# ------------------------------------------------------------------ long numbers


@pytest.mark.parametrize("digits", [31, 4301, 100_000])
def test_a_long_integer_is_a_placed_diagnostic(tmp_path: Path, digits: int) -> None:
    number = "9" * digits
    span = only(write(tmp_path, "p.yaml", HEAD + f"    tier: {number}\n"), "PMO417")
    assert (span.line, span.column) == (5, 11)
    text = json.dumps({"as_of": "2026-11-26", "projects": [{"id": "P-1", "name": "One"}]})
    text = text.replace('"One"', f'"One", "tier": -{number}')
    span = only(write(tmp_path, "p.json", text), "PMO417")
    assert (span.line, span.column) == (1, text.index("-9") + 1)


def test_numbers_up_to_the_limit_load_and_other_bases_count_digits(tmp_path: Path) -> None:
    ok = HEAD + f"    custom: {{n: {'9' * MAX_DIGITS}, h: 0x{'f' * MAX_DIGITS}, f: 1e400}}\n"
    lp = load_portfolio(write(tmp_path, "p.yaml", ok))
    assert lp.projects[0].custom["n"] == int("9" * MAX_DIGITS)
    bad = HEAD + f"    custom: {{h: 0x{'f' * (MAX_DIGITS + 1)}}}\n"
    assert only(write(tmp_path, "q.yaml", bad), "PMO417").line == 5


# ------------------------------------------------------------------ nesting


def test_json_nested_a_thousand_deep(tmp_path: Path) -> None:
    text = '{"as_of": "2026-11-26", "custom": ' + "[" * 1000 + "]" * 1000 + "}"
    span = only(write(tmp_path, "p.json", text), "PMO417")
    # The first bracket past the limit: the top object is level 1, the lists follow.
    assert (span.line, span.column) == (1, text.index("[") + MAX_DATA_DEPTH)


@pytest.mark.parametrize("style", ["flow", "block"])
def test_yaml_nested_deep(tmp_path: Path, style: str) -> None:
    if style == "flow":
        text = "as_of: 2026-11-26\ncustom: {x: " + "[" * 2000 + "]" * 2000 + "}\n"
    else:
        text = "as_of: 2026-11-26\ncustom:\n" + "".join(
            "  " * i + f"k{i}:\n" for i in range(1, 300)) + "  " * 300 + "k: 1\n"
    only(write(tmp_path, "p.yaml", text), "PMO417")


@pytest.mark.parametrize("name", ["p.yaml", "p.json"])
def test_the_depth_limit_is_exact_on_both_paths(tmp_path: Path, name: str) -> None:
    # custom sits at level 3 (file, projects list, project): its value may take the rest.
    def doc(depth: int) -> str:
        data = {"as_of": "2026-11-26",
                "projects": [{"id": "P-1", "name": "One", "custom": nested(depth)}]}
        return json.dumps(data, indent=1)

    fits = write(tmp_path, name, doc(MAX_DATA_DEPTH - 3))
    fast = load_portfolio(fits)
    assert snapshot(fast) == snapshot(load_module._load(fits, None, builtin_lifecycles()))
    span = only(write(tmp_path, "deeper-" + name, doc(MAX_DATA_DEPTH - 2)), "PMO417")
    assert span.line > 5


def test_deep_values_are_refused_wherever_they_are(tmp_path: Path) -> None:
    deep = json.dumps(nested(MAX_DATA_DEPTH))
    for where in (f"    tags: {deep}\n", f"    custom: {{x: {deep}}}\n",
                  f"    unknown_key: {deep}\n"):
        assert only(write(tmp_path, "p.yaml", HEAD + where), "PMO417").line == 5
    assert only(write(tmp_path, "q.yaml", f"as_of: 2026-11-26\npmo: {{policy: {deep}}}\n"),
                "PMO417").line == 2


# ------------------------------------------------------------------ YAML aliases


def laughs(levels: int, width: int = 9) -> str:
    text = "as_of: 2026-11-26\nl0: &l0 [" + ", ".join(["lol"] * width) + "]\n"
    for i in range(1, levels):
        text += f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]\n"
    return text


def test_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    started = time.process_time()
    span = only(write(tmp_path, "p.yaml", laughs(10)), "PMO417")
    assert time.process_time() - started < 5
    assert span.line == 10  # the value repeated most: l8's anchor, repeated nine times in l9


def test_a_few_aliases_are_fine_and_merge_keys_keep_yaml_semantics(tmp_path: Path) -> None:
    text = """as_of: 2026-11-26
people: [{id: U-1}]
x-defaults: &defaults {status: active, health: green, phase: executing}
x-red: &red {health: red, custom: {area: ops}}
projects:
  - {<<: *defaults, id: P-1, name: One, custom: {tags: &tags [a, b]}}
  - {<<: [*red, *defaults], id: P-2, name: Two, health: amber, tags: *tags}
"""
    lp = load_portfolio(write(tmp_path, "p.yaml", text))
    one, two = lp.projects
    assert (one.status, one.health.overall) == ("active", "green")
    # An explicit key wins over merged ones, and among merged ones the first listed wins.
    assert (two.status, two.health.overall, two.custom["area"]) == ("active", "amber", "ops")
    assert two.tags == ["a", "b"]


def test_merges_of_merges_stay_linear(tmp_path: Path) -> None:
    # Each level merges the one before nine times: PyYAML's own merge would hold 9^39
    # pairs; keeping each merged key once keeps it to the keys there are.
    text = "as_of: 2026-11-26\nm0: &m0 {a: 1, b: 2}\n"
    for i in range(1, 40):
        text += f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + f"], k{i}: {i}}}\n"
    text += "projects: [{<<: *m39, id: P-1, name: One}]\n"
    started = time.process_time()
    lp = load_portfolio(write(tmp_path, "p.yaml", text))
    assert time.process_time() - started < 5
    assert lp.projects[0].custom["k39"] == 39 and lp.projects[0].custom["a"] == 1


def test_a_value_containing_itself(tmp_path: Path) -> None:
    span = only(write(tmp_path, "p.yaml", HEAD + "    custom: &c {me: *c}\n"), "PMO417")
    assert span.line == 5


# ------------------------------------------------------------------ duplicate keys


def test_duplicate_yaml_keys_are_diagnostics_at_the_second_key(tmp_path: Path) -> None:
    text = HEAD + "    tier: 1\n    status: active\n    tier: 3\n"
    [diag] = problems(write(tmp_path, "p.yaml", text))
    assert diag.code == "PMO416" and diag.span is not None
    assert (diag.span.line, diag.span.column) == (7, 5)
    assert "`tier`" in diag.message and "line 5" in diag.message


def test_every_duplicate_is_reported_in_every_file(tmp_path: Path) -> None:
    write(tmp_path, "d/portfolio.yaml", "as_of: 2026-11-26\nas_of: 2026-11-27\n")
    write(tmp_path, "d/projects/a.yaml", "id: P-1\nname: One\nname: Uno\n")
    write(tmp_path, "d/projects/b.json", '{"id": "P-2", "name": "Two", "id": "P-3"}')
    found = [(Path(d.span.file).name, d.span.line, d.code)
             for d in problems(tmp_path / "d") if d.span is not None]
    assert found == [("portfolio.yaml", 2, "PMO416"), ("a.yaml", 3, "PMO416"),
                     ("b.json", 1, "PMO416")]


def test_duplicate_json_keys_nested_and_escaped(tmp_path: Path) -> None:
    text = '{\n "as_of": "2026-11-26",\n "portfolio": {"id": "PF", "name": "a",\n' \
           '   "na\\u006de": "b"}\n}'
    span = only(write(tmp_path, "p.json", text), "PMO416")
    assert (span.line, span.column) == (4, 4)


def test_a_merge_key_is_not_a_duplicate_but_two_are(tmp_path: Path) -> None:
    ok = "as_of: 2026-11-26\nx: &x {name: A}\nprojects:\n  - {<<: *x, id: P-1, name: B}\n"
    assert load_portfolio(write(tmp_path, "p.yaml", ok)).projects[0].name == "B"
    two = "as_of: 2026-11-26\nx: &x {name: A}\nprojects:\n  - {<<: *x, id: P-1, <<: *x}\n"
    assert [d.code for d in problems(write(tmp_path, "q.yaml", two))] == ["PMO416"]


def test_a_csv_column_given_twice(tmp_path: Path) -> None:
    write(tmp_path, "c/projects.csv", "id,name,status,name\nP-1,One,active,Uno\n")
    write(tmp_path, "c/portfolio.yaml", "as_of: 2026-11-26\n")
    [diag] = problems(tmp_path / "c")
    assert diag.code == "PMO416" and "first on column 2" in diag.message
    assert diag.span == Span(str(tmp_path / "c" / "projects.csv"), 1, 16)


# ------------------------------------------------------------------ paths


def test_paths_that_are_not_portfolios_name_themselves(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for path, says in ((tmp_path / "missing.yaml", "does not exist"),
                       (empty, "neither portfolio.yaml"), (fifo, "named pipe"),
                       (Path("/dev/null"), "device"), (Path("/dev/zero"), "device")):
        [diag] = problems(path)
        assert diag.code == "PMO400" and says in diag.message
        assert diag.span == Span(str(path), 1, 1)


def test_a_pipe_among_project_files_is_skipped_not_read(tmp_path: Path) -> None:
    write(tmp_path, "portfolio.yaml", "as_of: 2026-11-26\n")
    write(tmp_path, "projects/a.yaml", "id: P-1\nname: One\n")
    os.mkfifo(tmp_path / "projects" / "b.yaml")
    assert [p.id for p in load_portfolio(tmp_path).projects] == ["P-1"]


# ------------------------------------------------------------------ floods


def test_dangling_references_by_the_hundred_thousand_are_linear(tmp_path: Path) -> None:
    ids = [f"X-{i}" for i in range(100_000)]
    doc = {"as_of": "2026-11-26", "projects": [{"id": "P-1", "name": "a", "depends_on": ids}]}
    path = write(tmp_path, "p.json", json.dumps(doc))
    started = time.process_time()
    result = CliRunner().invoke(main, ["check", str(path), "--pack", "standard"])
    assert time.process_time() - started < 60  # CPU seconds, linear; it was many minutes
    assert result.exit_code == 2
    assert len(result.stderr) < 100_000  # was 903 MB for 10k nulls: the line, once each
    assert "... and 99,900 more not shown (PMO407 x99,900)" in result.stderr
    assert result.stderr.rstrip().endswith("100,000 errors")


def test_a_long_line_is_cut_around_the_column(tmp_path: Path) -> None:
    text = '{"as_of": "2026-11-26", "projects": [' + ",".join(["null"] * 10_000) + "]}"
    with pytest.raises(DiagnosticError) as info:
        load_portfolio(write(tmp_path, "p.json", text))
    diags = info.value.diagnostics
    assert len(diags) == 10_000
    far = diags[5000].render().splitlines()
    source, caret = far[2], far[3]
    assert len(source) < 130 and "..." in source
    assert source[caret.index("^"):caret.index("^") + 4] == "null"
    assert len(render_all(diags)) < 60_000


def test_the_cap_is_documented_and_can_be_raised(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    diags = [Diagnostic("PMO407", f"unknown `{i}`", Span("f", i + 1, 1)) for i in range(150)]
    assert "... and 50 more not shown (PMO407 x50)" in render_all(diags)
    monkeypatch.setenv("PMO_RULES_MAX_DIAGNOSTICS", "1000")
    assert "more not shown" not in render_all(diags)
    monkeypatch.setenv("PMO_RULES_MAX_DIAGNOSTICS", "10")
    path = write(tmp_path, "p.yaml", HEAD + "    depends_on: [" + ", ".join(
        f"X-{i}" for i in range(25)) + "]\n")
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert len(payload["diagnostics"]) == 10
    assert payload["omitted"] == {"count": 15, "by_code": {"PMO407": 15}}
