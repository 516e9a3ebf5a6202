"""Settings files: wrong shapes anywhere are diagnostics, and every diagnostic about a
setting names the settings file and the line the value is written on."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.config import load_settings
from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.toml_positions import key_positions
from tests.governance.conftest import Invoke


@pytest.mark.parametrize(("body", "line", "message"), [
    ("[tool]\npmo-rules = 5\n", 2, "`tool.pmo-rules` in `pyproject.toml` must be a table"),
    ("[tool]\npmo-rules = 'x'\n", 2, "not the text 'x'"),
    ("tool = 5\n", 1, "`tool` in `pyproject.toml` must be a table"),
    ("tool = []\n", 1, "not a list"),
    ("[tool.pmo-rules]\nfail_on = 3\n", 2, "setting `fail_on` must be one of"),
    ("[project]\nname = 'x'\n\n[tool.pmo-rules]\npolicy = ['a']\nzork = 1\n", 6,
     "unknown setting `zork`"),
    ("[tool.pmo-rules]\nparams.x = [1]\n", 2, "`x` in setting `params` is not a POLICY.NAME"),
    ("[tool.pmo-rules.params]\n\"a.b\" = [1]\n", 2, "`params.a.b` must be text, a number"),
    ("[tool.pmo-rules]\nwaiver_approver_grade = { critical = 'ceo' }\n", 2, "one of the grades"),
    ("[tool.pmo-rules]\nmax_waiver_days = -3\n", 2, "a whole number of days"),
    ("[tool.pmo-rules]\nfail_on = [\n", 2, "not valid TOML"),
])
def test_wrong_shapes_in_pyproject_are_diagnostics_at_their_line(
        tmp_path: Path, body: str, line: int, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
    with pytest.raises(DiagnosticError) as info:
        load_settings(tmp_path)
    (diag,) = info.value.diagnostics
    assert message in diag.message
    assert diag.span is not None
    assert (Path(diag.span.file).name, diag.span.line) == ("pyproject.toml", line)


def test_wrong_shapes_reach_the_user_as_exit_2(workdir: Path, invoke: Invoke) -> None:
    for body in ("[tool]\npmo-rules = 5\n", "[tool]\npmo-rules = 'x'\n"):
        (workdir / "pyproject.toml").write_text(body, encoding="utf-8")
        for command in (("check", "portfolio.yaml"), ("validate",), ("test",)):
            code, out, err = invoke(*command)
            assert code == 2, (command, out, err)
            assert "pyproject.toml:2:1: error[PMO703]" in err
            assert "internal error" not in err + out


@pytest.mark.parametrize(("body", "where", "code"), [
    ('pack = ["standard", "lifecycel"]\n', "pmo-rules.toml:1:21", "PMO604"),
    ('policy = ["ent"]\nselect = [\n  "FIN-1",\n  "ZZZ-*",\n]\n', "pmo-rules.toml:4:3", "PMO603"),
    ('policy = ["ent"]\nignore = "NOPE"\n', "pmo-rules.toml:2:1", "PMO603"),
    ('policy = ["ent"]\nformat = "jsn"\n', "pmo-rules.toml:2:1", "PMO620"),
    ('policy = ["ent"]\n[params]\n"ent.max_ovrrun" = "5%"\n', "pmo-rules.toml:3:1", "PMO601"),
    ('policy = ["ent"]\nparams = { "ent.max_overrun" = "soon" }\n', "pmo-rules.toml:2:12",
     "PMO602"),
    ('policy = ["nowhere"]\n', "pmo-rules.toml:1:11", "PMO111"),
    ('policy = ["ent"]\nwaivers = "gone.yaml"\n', "pmo-rules.toml:2:1", "PMO501"),
])
def test_run_time_problems_with_settings_name_the_settings_line(
        workdir: Path, invoke: Invoke, body: str, where: str, code: str) -> None:
    (workdir / "pmo-rules.toml").write_text(body, encoding="utf-8")
    exit_code, _, err = invoke("check", "portfolio.yaml")
    assert exit_code == 2, err
    assert f"{where}: error[{code}]" in err


def test_settings_positions_in_reports_are_relative(workdir: Path, invoke: Invoke) -> None:
    (workdir / "pmo-rules.toml").write_text('policy = ["ent"]\nfail_on = "high"\n',
                                            encoding="utf-8")
    settings_ = load_settings()
    assert settings_.path == Path("pmo-rules.toml")
    assert settings_.get("fail_on").span.line == 2


_KEY = st.from_regex(r"[a-z][a-z0-9_-]{0,6}", fullmatch=True)
_VALUE = st.one_of(st.integers(-5, 5), st.text("ab \"'\\#=[]{}.,\n", max_size=8),
                   st.booleans(), st.lists(st.integers(0, 3), max_size=3))


def _quote(key: str, style: int) -> str:
    return key if style == 0 else f'"{key}"' if style == 1 else f"'{key}'"


def _value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[\n  " + ",\n  ".join(str(v) for v in value) + ",\n]" if value else "[]"
    return str(value)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_KEY, _KEY, _VALUE, st.integers(0, 2), st.integers(0, 3)),
                min_size=1, max_size=8, unique_by=lambda t: t[0]))
def test_every_key_of_a_generated_document_is_found_at_its_line(
        entries: list[tuple[str, str, object, int, int]]) -> None:
    """Headers, dotted keys (spaced or not), quoted keys and inline tables, with multi-line
    arrays and comments between: each key is found on the line the generator wrote it."""
    import tomllib

    root: list[tuple[tuple[str, str], str]] = []
    sections: list[tuple[tuple[str, str], str, str]] = []
    for table, key, value, quote, form in entries:
        t, k, v = _quote(table, quote), _quote(key, quote), _value(value)
        if form == 0:
            sections.append(((table, key), f"[{t}]  # a table", f"{k} = {v}"))
        elif form == 1:
            root.append(((table, key), f"{t}.{k} = {v}"))
        elif form == 2:
            root.append(((table, key), f"{t} . {k}= {v}  # comment = ["))
        else:
            root.append(((table, key), f"{t} = {{ {k} = {v} }}"))
    lines = ["# generated", ""]
    expected: dict[tuple[str, ...], int] = {}
    for path, text in root:
        expected[path] = len(lines) + 1
        lines += text.split("\n")
    for path, header, text in sections:
        lines.append(header)
        expected[path] = len(lines) + 1
        lines += text.split("\n")
    document = "\n".join(lines) + "\n"
    try:
        tomllib.loads(document)
    except tomllib.TOMLDecodeError:
        return  # e.g. an inline table's multi-line array: not valid TOML
    found = key_positions(document)
    for path, line in expected.items():
        assert found[path][0] == line, (document, path)


_ATOMS = st.sampled_from([
    "[tool]\n", "[tool.pmo-rules]\n", "[tool.pmo-rules.params]\n", "pmo-rules = ", "tool = ",
    "policy = ", "pack = ", "select = ", "params = ", "fail_on = ", "waivers = ", "format = ",
    "max_waiver_days = ", "waiver_approver_grade = ", "waiver_expiring_days = ", "zork = ",
    '"a.b" = ', "params.x = ", "5", "'x'", '"high"', "[", "]", "{", "}", ", ", "\n", "-1",
    "1979-05-27", "true", '"""\nlong\n"""', "# comment\n", "[[tool]]\n", "critical = ",
    '"ceo"', "3.5", "inf", "nan", "'''a'''",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ATOMS, max_size=30), st.booleans())
def test_any_settings_file_is_settings_or_diagnostics_with_a_place(
        parts: list[str], pyproject: bool) -> None:
    """Generated pyproject.toml / pmo-rules.toml files, valid TOML or not: the loader
    returns settings or raises diagnostics that each name the file and a line in it."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        name = "pyproject.toml" if pyproject else "pmo-rules.toml"
        text = "".join(parts)
        (Path(tmp) / name).write_text(text, encoding="utf-8")
        try:
            load_settings(Path(tmp))
        except DiagnosticError as exc:
            lines = max(text.count("\n") + 1, 1)
            for diag in exc.diagnostics:
                assert diag.span is not None, diag
                assert Path(diag.span.file).name == name
                assert 1 <= diag.span.line <= lines, (text, diag)


def test_the_settings_grades_are_the_models_lowest_first() -> None:
    # Spelt out where reading them must not import the data model; kept equal here.
    from typing import get_args

    from pmo_rules import config
    from pmo_rules.engine import waivers
    from pmo_rules.model.entities import Grade

    assert config.GRADES == waivers.GRADES == tuple(reversed(get_args(Grade)))
