"""Policy unit tests: YAML case files next to the policies, run by `pmo-rules test`.

    from pmo_rules.policytest import discover, load_suite, run_suite
    results = run_suite(load_suite(discover(["policies/"])))
"""

from pmo_rules.policytest.cases import Case, Expectation, TestFile, discover, load_suite
from pmo_rules.policytest.runner import (
    CaseResult,
    Coverage,
    Library,
    Mismatch,
    coverage,
    run_case,
    run_suite,
    uncovered,
)

__all__ = [
    "Case", "CaseResult", "Coverage", "Expectation", "Library", "Mismatch", "TestFile",
    "coverage", "discover", "load_suite", "run_case", "run_suite", "uncovered",
]
