"""Run policy test cases: build each case's portfolio, check the rule, compare expected with got."""

from __future__ import annotations

import copy
import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, date_help, did_you_mean
from pmo_rules.engine.report import Report
from pmo_rules.given import Given
from pmo_rules.language.checked import CheckedPolicySet
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.policytest.cases import Case, Expectation, TestFile
from pmo_rules.policytest.patch import apply_patch


@dataclass(frozen=True)
class Mismatch:
    """An expectation the run did not meet: what was expected and what came out."""

    expected: Expectation
    got_status: str
    got_message: str | None


@dataclass
class CaseResult:
    """The outcome of one case: passed, or the mismatches and any input problems."""

    file: TestFile
    case: Case
    mismatches: list[Mismatch] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    report: Report | None = None

    @property
    def passed(self) -> bool:
        """True when every expectation held and the case's inputs were good."""
        return not self.mismatches and not self.problems


@dataclass(frozen=True)
class Library:
    """Where the policies a tested policy extends are found when the test does not load
    them: paths, then packs, in order (`pmo-rules test` gives --policy, the settings'
    policies, --pack, the settings' packs, then the standard pack)."""

    paths: tuple[str | Path, ...] = ()
    packs: tuple[str, ...] = ()
    # Lifecycle models beyond the built-in and plugin ones (the settings' YAML lifecycles),
    # for the fixtures' projects and the policies' phase literals.
    lifecycles: tuple[Any, ...] = ()


class _Cache:
    """Policy sets and loaded fixtures shared across cases, keyed by their inputs."""

    def __init__(self, library: Library | None = None) -> None:
        self.library = library or Library()
        self.policies: dict[tuple[Path, ...], CheckedPolicySet] = {}
        self.raw: dict[Path, dict[str, Any]] = {}
        self.loaded: dict[str, LoadedPortfolio] = {}
        self.subjects: dict[str, set[str]] = {}


def run_suite(
    files: Sequence[TestFile], on_result: Callable[[CaseResult], None] | None = None,
    *, library: Library | None = None,
) -> list[CaseResult]:
    """Run every case of every file, in order; `on_result` sees each result as it comes.

    A tested policy that extends a policy its test does not load finds it in `library`.
    """
    cache = _Cache(library)
    results = []
    for test_file in files:
        for case in test_file.cases:
            result = run_case(test_file, case, cache)
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


def run_case(test_file: TestFile, case: Case, cache: _Cache | None = None) -> CaseResult:
    """Run one case; input problems become diagnostics on the result, never exceptions."""
    from pmo_rules.engine.run import check as run_check

    cache = cache or _Cache()
    result = CaseResult(test_file, case)
    here = str(test_file.path)
    try:
        policies = _policies(test_file.policies, cache)
        if test_file.rule not in {r.rule.id for r in policies.rules}:
            guess = did_you_mean(test_file.rule, [r.rule.id for r in policies.rules])
            raise DiagnosticError([Diagnostic(
                "PMO804", f"rule `{test_file.rule}` is not in the policies under test",
                Span(here, test_file.rule_line, test_file.rule_column),
                help=f"did you mean `{guess}`?" if guess
                else "check the file's `rule:` and `policies:`",
            )])
        portfolio = _portfolio(test_file, case, cache)
        _subjects_exist(test_file, case, portfolio, cache)
        try:
            as_of = dt.date.fromisoformat(case.as_of) if case.as_of else None
        except ValueError as exc:  # a malformed as_of
            line = case.line_of("as_of")
            raise DiagnosticError([Diagnostic(
                "PMO805", f"case `{case.name}`: `as_of: {case.as_of}` is not a date ({exc})",
                Span(here, line, case.column_of("as_of")),
                help=date_help(case.as_of))]) from None
        params: dict[str, str] = {}
        for k, v in case.params.items():
            at = Span(here, case.param_lines.get(k, case.line), case.param_columns.get(k, 1))
            params[Given(k, TEST_CASE, at)] = Given(v, TEST_CASE, at)
        report = run_check(portfolio, policies, params=params, as_of=as_of,
                           select=[test_file.rule], show_passes=True, as_of_source=TEST_CASE)
    except DiagnosticError as exc:
        result.problems = _sourced([_in_case(d, test_file, case) for d in exc.diagnostics],
                                   test_file.path)
        return result
    result.report = report
    result.mismatches = compare(case.expect, outcomes(report, test_file.rule))
    return result


TEST_CASE = "test case"


def _subjects_exist(test_file: TestFile, case: Case, portfolio: LoadedPortfolio,
                    cache: _Cache) -> None:
    """Every expectation names a subject of the case's data (or of the base fixture, for a
    subject the case deleted): a misspelt id is an error, not `not_applicable`."""
    from pmo_rules.engine.subjects import subject_ids

    known = subject_ids(portfolio) | _base_subjects(test_file, cache)
    problems = []
    for exp in case.expect:
        if exp.subject not in known:
            guess = did_you_mean(exp.subject, known)
            problems.append(Diagnostic(
                "PMO807", f"case `{case.name}` expects a result for `{exp.subject}`, which is "
                "not in the case's portfolio",
                Span(str(test_file.path), exp.line or case.line, exp.column if exp.line else 1),
                help=f"did you mean `{guess}`?" if guess else
                "name the id of an entity of the base fixture or of the case's data"))
    if problems:
        raise DiagnosticError(problems)


def _base_subjects(test_file: TestFile, cache: _Cache) -> set[str]:
    from pmo_rules.engine.subjects import subject_ids

    if test_file.base is None:
        return set()
    key = str(test_file.base.resolve())
    if key not in cache.subjects:
        try:
            cache.subjects[key] = subject_ids(_base(test_file.base, cache))
        except DiagnosticError:  # a base that loads only once patched: its cases say so
            cache.subjects[key] = set()
    return cache.subjects[key]


def _base(base: Path, cache: _Cache) -> LoadedPortfolio:
    """A test file's base fixture as it is written, loaded once for every case using it."""
    from pmo_rules.plugins.inputs import load_portfolio

    key = str(base.resolve())
    if key not in cache.loaded:
        cache.loaded[key] = load_portfolio(base, lifecycles=cache.library.lifecycles)
    return cache.loaded[key]


@dataclass(frozen=True)
class Coverage:
    """Which rules have a passing case that expects a pass and one that expects a fail."""

    rules: tuple[str, ...]
    missing: dict[str, list[str]]  # rule id -> the statuses (`pass`, `fail`) it lacks

    @property
    def covered(self) -> int:
        """Rules with both."""
        return len(self.rules) - len(self.missing)

    @property
    def percent(self) -> float:
        """Covered rules as a percentage of all (100 when there are none)."""
        return 100.0 * self.covered / len(self.rules) if self.rules else 100.0


def coverage(results: Sequence[CaseResult], rule_ids: Iterable[str]) -> Coverage:
    """The coverage of `rule_ids` by the cases that passed (a failing case covers nothing)."""
    seen: dict[str, set[str]] = {rule: set() for rule in rule_ids}
    for result in results:
        if result.passed:
            for exp in result.case.expect:
                seen.setdefault(result.file.rule, set()).add(exp.status)
    missing = {rule: [s for s in ("pass", "fail") if s not in got]
               for rule, got in sorted(seen.items()) if {"pass", "fail"} - got}
    return Coverage(tuple(sorted(seen)), missing)


def uncovered(results: Sequence[CaseResult], rule_ids: Sequence[str]) -> dict[str, list[str]]:
    """For each rule id, the statuses (`pass`, `fail`) no passing case expects of it; empty
    when every rule is covered."""
    return coverage(results, rule_ids).missing


def outcomes(report: Report, rule: str) -> dict[str, tuple[str, str | None]]:
    """Each subject's (status, message) for `rule` in a report run with passes shown."""
    return {f.subject.id: (f.status, f.message if f.status != "pass" else None)
            for f in report.findings if f.rule.id == rule}


def compare(
    expected: Sequence[Expectation], got: dict[str, tuple[str, str | None]]
) -> list[Mismatch]:
    """The expectations `got` does not meet (a subject absent from it is not applicable)."""
    out = []
    for exp in expected:
        status, message = got.get(exp.subject, ("not_applicable", None))
        wrong_message = exp.message is not None and exp.message not in (message or "")
        if status != exp.status or wrong_message:
            out.append(Mismatch(exp, status, message))
    return out


def _policies(paths: tuple[Path, ...], cache: _Cache) -> CheckedPolicySet:
    from pmo_rules.plugins.inputs import load_policies

    if paths not in cache.policies:
        cache.policies[paths] = load_policies(
            list(paths), parents_from=cache.library.paths, parent_packs=cache.library.packs,
            lifecycles=cache.library.lifecycles)
    return cache.policies[paths]


def _portfolio(test_file: TestFile, case: Case, cache: _Cache) -> LoadedPortfolio:
    from pmo_rules.plugins.inputs import load_portfolio

    if case.portfolio is None and case.patch is None and test_file.base is not None:
        return _base(test_file.base, cache)
    if case.portfolio is not None:
        doc = copy.deepcopy(case.portfolio)
    else:
        assert test_file.base is not None  # load_test_file guarantees data for every case
        base = test_file.base.resolve()
        if base not in cache.raw:
            cache.raw[base] = yaml.safe_load(base.read_text(encoding="utf-8"))
        doc = copy.deepcopy(cache.raw[base])
    if case.patch is not None:
        doc = apply_patch(doc, case.patch)
    key = json.dumps(doc, sort_keys=True, default=str)
    if key not in cache.loaded:
        # The loader reads files; a patched fixture is written out to load it the same way.
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"{test_file.path.stem}.yaml"
            path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
            cache.loaded[key] = load_portfolio(path, lifecycles=cache.library.lifecycles)
    return cache.loaded[key]


def _sourced(diags: list[Diagnostic], path: Path) -> list[Diagnostic]:
    """The diagnostics that point into the test file, with the offending line attached."""
    from pmo_rules.diagnostics import with_source

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return diags
    return [with_source(d, text) if d.span is not None and d.span.file == str(path) else d
            for d in diags]


def _in_case(d: Diagnostic, test_file: TestFile, case: Case) -> Diagnostic:
    """A data problem in a patched fixture, pinned to the case that built it."""
    if d.span is None or not Path(d.span.file).exists():
        where = f" at {d.path}" if d.path else ""
        key = "patch" if case.patch is not None else "portfolio"
        return Diagnostic(
            d.code, f"case `{case.name}`: {d.message}{where}",
            Span(str(test_file.path), case.line_of(key), case.column_of(key)),
            help=d.help, level=d.level, path=d.path)
    return d
