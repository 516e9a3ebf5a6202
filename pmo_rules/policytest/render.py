"""How `pmo-rules test` shows results: expected against got for each failing case."""

from __future__ import annotations

from collections.abc import Sequence

from pmo_rules.diagnostics import render_all
from pmo_rules.policytest.runner import CaseResult, Coverage


def render_result(result: CaseResult, verbose: bool = False) -> str:
    """One case's outcome: nothing for a pass (unless verbose), else what differed."""
    where = f"{result.file.path}:{result.case.line}"
    title = f"{result.file.rule} {result.case.name}"
    if result.passed:
        return f"ok    {where}  {title}" if verbose else ""
    lines = [f"FAIL  {where}  {title}"]
    for m in result.mismatches:
        exp = m.expected
        lines.append(f"      {exp.subject}: expected {exp.status}, got {m.got_status}")
        if exp.message is not None:
            lines.append(f"        expected message containing: {exp.message}")
            lines.append(f"        got message: {m.got_message or '(none)'}")
    if result.problems:
        lines.append(render_all(result.problems).rstrip("\n"))
    return "\n".join(lines)


def summary_line(results: Sequence[CaseResult]) -> str:
    """The closing line: how many cases passed and failed (and how many had bad input)."""
    passed = sum(1 for r in results if r.passed)
    broken = sum(1 for r in results if r.problems)
    failed = len(results) - passed - broken
    tail = f", {broken} with input errors" if broken else ""
    return f"{passed} passed, {failed} failed{tail}"


def render_coverage(cov: Coverage, minimum: float | None = None) -> str:
    """Which rules lack a passing or a failing case, and the share covered."""
    n = len(cov.rules)
    lines = [f"coverage: {cov.covered} of {n} rule{'s' * (n != 1)} "
             f"{'has' if n == 1 else 'have'} a passing and a failing case ({cov.percent:.1f}%)"]
    for rule, statuses in cov.missing.items():
        lacks = " and ".join(f"a case expecting {s}" for s in statuses)
        lines.append(f"  {rule}  no {lacks}".replace("no a case", "no case"))
    if minimum is not None and cov.percent < minimum:
        lines.append(f"coverage {cov.percent:.1f}% is below --min-coverage {minimum:g}")
    return "\n".join(lines)
