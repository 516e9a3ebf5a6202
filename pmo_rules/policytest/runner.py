"""Run policy test cases: build each case's portfolio, check the rule, compare expected with got."""

from __future__ import annotations

import copy
import datetime as dt
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.engine.report import Report
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


class _Cache:
    """Policy sets and loaded fixtures shared across cases, keyed by their inputs."""

    def __init__(self) -> None:
        self.policies: dict[tuple[Path, ...], CheckedPolicySet] = {}
        self.raw: dict[Path, dict[str, Any]] = {}
        self.loaded: dict[str, LoadedPortfolio] = {}


def run_suite(
    files: Sequence[TestFile], on_result: Callable[[CaseResult], None] | None = None
) -> list[CaseResult]:
    """Run every case of every file, in order; `on_result` sees each result as it comes."""
    cache = _Cache()
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
    from pmo_rules import api

    cache = cache or _Cache()
    result = CaseResult(test_file, case)
    try:
        policies = _policies(test_file.policies, cache)
        if test_file.rule not in {r.rule.id for r in policies.rules}:
            from pmo_rules.diagnostics import did_you_mean

            guess = did_you_mean(test_file.rule, [r.rule.id for r in policies.rules])
            raise DiagnosticError([Diagnostic(
                "PMO804", f"rule `{test_file.rule}` is not in the policies under test",
                Span(str(test_file.path), 1, 1),
                help=f"did you mean `{guess}`?" if guess
                else "check the file's `rule:` and `policies:`",
            )])
        portfolio = _portfolio(test_file, case, cache)
        as_of = dt.date.fromisoformat(case.as_of) if case.as_of else None
        report = api.check(portfolio, policies, params=case.params, as_of=as_of,
                           select=[test_file.rule], show_passes=True)
    except DiagnosticError as exc:
        result.problems = [_in_case(d, test_file, case) for d in exc.diagnostics]
        return result
    except ValueError as exc:  # a malformed as_of
        result.problems = [Diagnostic(
            "PMO805", f"case `{case.name}`: {exc}", Span(str(test_file.path), case.line, 1),
            help="write dates as YYYY-MM-DD")]
        return result
    result.report = report
    result.mismatches = compare(case.expect, outcomes(report, test_file.rule))
    return result


def uncovered(results: Sequence[CaseResult], rule_ids: Sequence[str]) -> dict[str, list[str]]:
    """For each rule id, the statuses (`pass`, `fail`) no case expects of it; empty when covered."""
    seen: dict[str, set[str]] = {rule: set() for rule in rule_ids}
    for result in results:
        for exp in result.case.expect:
            seen.setdefault(result.file.rule, set()).add(exp.status)
    return {rule: [s for s in ("pass", "fail") if s not in got]
            for rule, got in sorted(seen.items()) if {"pass", "fail"} - got}


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
    from pmo_rules import api

    if paths not in cache.policies:
        cache.policies[paths] = api.load_policies(list(paths))
    return cache.policies[paths]


def _portfolio(test_file: TestFile, case: Case, cache: _Cache) -> LoadedPortfolio:
    from pmo_rules import api

    if case.portfolio is None and case.patch is None and test_file.base is not None:
        key = str(test_file.base.resolve())
        if key not in cache.loaded:
            cache.loaded[key] = api.load_portfolio(test_file.base)
        return cache.loaded[key]
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
            cache.loaded[key] = api.load_portfolio(path)
    return cache.loaded[key]


def _in_case(d: Diagnostic, test_file: TestFile, case: Case) -> Diagnostic:
    """A data problem in a patched fixture, pinned to the case that built it."""
    if d.span is None or not Path(d.span.file).exists():
        where = f" at {d.path}" if d.path else ""
        return Diagnostic(
            d.code, f"case `{case.name}`: {d.message}{where}",
            Span(str(test_file.path), case.line, 1), help=d.help, level=d.level, path=d.path)
    return d
