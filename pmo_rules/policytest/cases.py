"""Read policy test files (YAML) into cases: a fixture or a patch, params, and expected findings.

A test file names the rule it tests and holds one or more cases:

    rule: LC-02
    base: ../../examples/portfolio.yaml      # the fixture every case patches (relative path)
    policies: [..]                           # default: the directory above the tests directory
    cases:
      - name: executing without a G2 go fails
        patch: {projects: [{id: P-103, gates: {G2: {decision: pending}}}]}
        params: {epmo-lifecycle.some_param: "5"}
        expect: [{subject: P-103, status: fail, message: "without a go"}]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmo_rules import lined_yaml
from pmo_rules.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Span,
    did_you_mean,
    not_a_file,
)

STATUSES = ("pass", "fail", "waived", "error", "not_applicable")
FILE_KEYS = ("rule", "base", "policies", "cases")
CASE_KEYS = ("name", "patch", "portfolio", "params", "as_of", "expect")
EXPECT_KEYS = ("subject", "status", "message")


@dataclass(frozen=True)
class Expectation:
    """One expected result: the subject's status for the rule, and optionally message text."""

    subject: str
    status: str
    message: str | None = None
    line: int = field(default=0, compare=False)  # where the expectation is written
    column: int = field(default=1, compare=False)  # the column of its `subject:` key


@dataclass(frozen=True)
class Case:
    """One test case: what data to build, which params to set, and what to expect."""

    name: str
    line: int
    expect: tuple[Expectation, ...]
    patch: dict[str, Any] | None = None
    portfolio: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)
    as_of: str | None = None
    # The line of each key of the case (`as_of`, `patch`, ...) and of each param.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    param_lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    # ... and their columns.
    columns: Mapping[str, int] = field(default_factory=dict, compare=False)
    param_columns: Mapping[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, key: str) -> int:
        """The line a key of this case is written on (else the case's first line)."""
        return self.lines.get(key, self.line)

    def column_of(self, key: str) -> int:
        """The column of a key of this case (1 when the case does not write it)."""
        return self.columns.get(key, 1) if key in self.lines else 1


@dataclass(frozen=True)
class TestFile:
    """A parsed test file: the rule under test, where its policies and base fixture are."""

    __test__ = False  # not a pytest class

    path: Path
    rule: str
    policies: tuple[Path, ...]
    base: Path | None
    cases: tuple[Case, ...]
    rule_line: int = 1  # where `rule:` is written
    rule_column: int = 1


_BOOKKEEPING = (lined_yaml.LINE, lined_yaml.KEY_LINES, lined_yaml.KEY_COLUMNS)


def strip_lines(value: Any) -> Any:
    """A copy of `value` without the `__line__`/`__lines__`/`__columns__` bookkeeping keys."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k not in _BOOKKEEPING}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Test files under `paths`: every *.yaml in a `tests` directory, or files given directly."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(
                p for p in path.rglob("*.yaml") if p.parent.name == "tests" and p.is_file()))
        elif (special := not_a_file("PMO801", raw)) is not None:
            problems.append(special)
        else:
            problems.append(Diagnostic(
                "PMO801", f"`{raw}` does not exist",
                help="pass a policy directory (its tests/ folder is searched) or a test file"))
    if problems:
        raise DiagnosticError(problems)
    return found


def load_suite(files: Sequence[Path]) -> list[TestFile]:
    """Parse every test file, raising one DiagnosticError with all the problems found.

    A YAML file next to the tests that some test file names as its `base:` is a fixture,
    not a test file: it is not read as one.
    """
    out: list[TestFile] = []
    problems: dict[Path, list[Diagnostic]] = {}
    for path in files:
        try:
            out.append(load_test_file(path))
        except DiagnosticError as exc:
            problems[path.resolve()] = exc.diagnostics
    fixtures = {f.base.resolve() for f in out if f.base is not None}
    found = [d for path, diags in problems.items() if path not in fixtures for d in diags]
    if found:
        raise DiagnosticError(found)
    return out


def load_test_file(path: Path) -> TestFile:
    """Parse one test file; every problem is a diagnostic naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = f"byte {exc.start} is not UTF-8" if isinstance(exc, UnicodeDecodeError) else \
            exc.strerror or str(exc)
        raise DiagnosticError([Diagnostic(
            "PMO802", f"cannot read the test file: {why}", Span(str(path), 1, 1),
            help="save the test file as UTF-8 text")]) from None
    try:
        doc = lined_yaml.load(text, key_lines=True, key_columns=True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DiagnosticError([Diagnostic(
            "PMO802", f"test file is not valid YAML: {getattr(exc, 'problem', None) or exc}",
            Span(str(path), line, col), help="fix the YAML syntax at this position")]) from None
    problems: list[Diagnostic] = []

    def problem(message: str, line: int, help_: str, column: int = 1) -> None:
        problems.append(Diagnostic("PMO803", message, Span(str(path), line, column),
                                   help=help_))

    if not isinstance(doc, dict):
        problem("a test file is a mapping with `rule` and `cases`", 1,
                "start the file with `rule: RULE-ID` and a `cases:` list")
        raise DiagnosticError(problems)
    _unknown_keys(doc, FILE_KEYS, problem)
    rule = doc.get("rule")
    if not isinstance(rule, str):
        problem("the test file names no `rule`", _line(doc, "rule"),
                "add `rule: RULE-ID` (e.g. `rule: LC-02`)", _column(doc, "rule"))
    raw_policies = doc.get("policies") or [".."]
    if isinstance(raw_policies, str):
        raw_policies = [raw_policies]
    if not isinstance(raw_policies, list) or not all(isinstance(p, str) for p in raw_policies):
        problem("`policies` must be a path or a list of paths", _line(doc, "policies"),
                "write `policies: [..]` (directories or .pmo files, relative to this file)")
        raw_policies = []
    policies = tuple(_relative(path, p) for p in raw_policies)
    if doc.get("base") is not None and not isinstance(doc["base"], str):
        problem("`base` must be a path", _line(doc, "base"),
                "write `base: ../fixtures/portfolio.yaml` (relative to this file)")
    base = _relative(path, doc["base"]) if isinstance(doc.get("base"), str) else None
    if base is not None and not base.is_file():
        problem(f"base fixture `{doc['base']}` does not exist", _line(doc, "base"),
                "give a portfolio file path relative to this test file", _column(doc, "base"))
    raw_cases = doc.get("cases")
    cases: list[Case] = []
    if not isinstance(raw_cases, list) or not raw_cases:
        problem("the test file has no `cases`", _line(doc, "cases"),
                "add `cases:` with at least one case that has `expect`", _column(doc, "cases"))
    else:
        for raw in raw_cases:
            case = _case(raw, base, problem, _line(doc, "cases"))
            if case is not None:
                cases.append(case)
    if problems:
        raise DiagnosticError(problems)
    return TestFile(path, str(rule), policies, base, tuple(cases), _line(doc, "rule"),
                    _column(doc, "rule"))


def _line(raw: dict[str, Any], key: str) -> int:
    """The line `key` is written on in a mapping read with key lines (else the mapping's)."""
    line: int = raw.get(lined_yaml.KEY_LINES, {}).get(key, raw.get(lined_yaml.LINE, 1))
    return line


def _column(raw: dict[str, Any], key: str) -> int:
    """The column `key` is written at in a mapping read with key columns (else 1)."""
    column: int = raw.get(lined_yaml.KEY_COLUMNS, {}).get(key, 1)
    return column


def _relative(test_file: Path, value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else test_file.parent / path


def _unknown_keys(raw: dict[str, Any], allowed: Sequence[str], problem: Any) -> None:
    for key in raw:
        if key not in _BOOKKEEPING and key not in allowed:
            guess = did_you_mean(str(key), list(allowed))
            hint = f"did you mean `{guess}`?" if guess else f"expected one of {', '.join(allowed)}"
            problem(f"unknown key `{key}`", _line(raw, key), hint, _column(raw, key))


def _case(raw: Any, base: Path | None, problem: Any, cases_line: int) -> Case | None:
    if not isinstance(raw, dict):
        problem("a case is a mapping with `name` and `expect`", cases_line,
                "write each case as `- name: ...` with an `expect:` list")
        return None
    line = raw["__line__"]
    _unknown_keys(raw, CASE_KEYS, problem)
    name = str(raw.get("name") or f"case at line {line}")
    if base is None and raw.get("portfolio") is None:
        problem(f"case `{name}` has no data", line,
                "give the file a `base:` fixture, or the case a whole `portfolio:`")
    expects: list[Expectation] = []
    raw_expect = raw.get("expect")
    if not isinstance(raw_expect, list) or not raw_expect:
        problem(f"case `{name}` expects nothing", _line(raw, "expect"),
                "add `expect: [{subject: ID, status: fail}]`", _column(raw, "expect"))
        raw_expect = []
    for item in raw_expect:
        if not isinstance(item, dict) or "subject" not in item or "status" not in item:
            where = item.get(lined_yaml.LINE, 0) if isinstance(item, dict) else 0
            problem(f"case `{name}`: an expectation needs `subject` and `status`",
                    where or _line(raw, "expect"), "write it as `{subject: P-101, status: fail}`")
            continue
        _unknown_keys(item, EXPECT_KEYS, problem)
        status = str(item["status"])
        if status not in STATUSES:
            guess = did_you_mean(status, list(STATUSES))
            problem(f"case `{name}`: unknown status `{status}`", _line(item, "status"),
                    f"did you mean `{guess}`?" if guess else f"use one of {', '.join(STATUSES)}",
                    _column(item, "status"))
            continue
        message = item.get("message")
        expects.append(Expectation(str(item["subject"]), status,
                                   str(message) if message is not None else None,
                                   _line(item, "subject"), _column(item, "subject")))
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        problem(f"case `{name}`: `params` is a mapping", _line(raw, "params"),
                "write `params: {POLICY.NAME: VALUE}`", _column(raw, "params"))
        params = {}
    patch, portfolio = raw.get("patch"), raw.get("portfolio")
    for key, value in (("patch", patch), ("portfolio", portfolio)):
        if value is not None and not isinstance(value, dict):
            problem(f"case `{name}`: `{key}` is a mapping", _line(raw, key),
                    f"write `{key}:` as a portfolio document (keys like `projects:`)",
                    _column(raw, key))
    as_of = raw.get("as_of")
    return Case(
        name=name, line=line, expect=tuple(expects),
        patch=strip_lines(patch) if isinstance(patch, dict) else None,
        portfolio=strip_lines(portfolio) if isinstance(portfolio, dict) else None,
        params={str(k): str(v).lower() if isinstance(v, bool) else str(v)
                for k, v in strip_lines(params).items()},
        as_of=str(as_of) if as_of is not None else None,
        lines={str(k): v for k, v in raw.get(lined_yaml.KEY_LINES, {}).items()},
        param_lines={str(k): _line(params, str(k)) for k in params
                     if k not in _BOOKKEEPING},
        columns={str(k): v for k, v in raw.get(lined_yaml.KEY_COLUMNS, {}).items()},
        param_columns={str(k): _column(params, str(k)) for k in params
                       if k not in _BOOKKEEPING},
    )
