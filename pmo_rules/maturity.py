"""The PMO maturity indicator: a P3M3-style level computed from a Report (docs/maturity.md).

This is an evidence-based indicator, not a certified P3M3, OPM3 or Kerzner
assessment: those rest on questionnaires and interviews. Every output says so.

Per level L in 2..5, over the rules tagged `maturity L` that were applicable
(evaluated on at least one subject):
- coverage_L: the share of those rules with sufficient data, i.e. at least one
  result judged on data: a pass, a waiver, or a failure whose evidence names
  no missing field. A rule whose every failure is missing data is "not evidenced".
- compliance_L: the severity-weighted pass rate over every (rule, subject) result
  (weights critical 8, high 4, medium 2, low 1, info 0). Waived results count as
  compliant (an approved exception); failures for missing data and errors do not.
- achieved_L: coverage_L >= 0.8 and compliance_L >= θ_L (θ2 .80, θ3 .85, θ4 .90, θ5 .90);
  a level with no applicable rule is not evidenced, so not achieved.
level = the highest L such that every level 2..L is achieved, else 1 (staged, as in P3M3).
Per family, levels at which the family has no rule are passed over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pmo_rules.engine.report import Report
from pmo_rules.engine.results import SEVERITY_WEIGHT, Finding

LEVELS = (2, 3, 4, 5)
LEVEL_NAMES = {1: "Initial", 2: "Repeatable", 3: "Defined", 4: "Managed", 5: "Optimized"}
THRESHOLDS = {2: 0.80, 3: 0.85, 4: 0.90, 5: 0.90}
MIN_COVERAGE = 0.8
DISCLAIMER = (
    "This is an indicator computed from rule results, not a certified P3M3, OPM3 or "
    "Kerzner assessment; those rest on questionnaires and interviews."
)
# Float sums of weights may land a hair under an exact threshold such as 17/20.
_EPSILON = 1e-9


@dataclass(frozen=True)
class RuleEvidence:
    """What one rule's results say for maturity: its level, weight and how its subjects ended."""

    rule: str
    level: int
    severity: str
    passed: int = 0
    waived: int = 0
    failed: int = 0
    missing_data: int = 0
    errors: int = 0

    @property
    def family(self) -> str:
        """The catalogue family: the rule id up to its first dash (LC-02 -> LC)."""
        return self.rule.split("-", 1)[0]

    @property
    def subjects(self) -> int:
        """Results judged: every subject that was not 'not applicable'."""
        return self.passed + self.waived + self.failed + self.missing_data + self.errors

    @property
    def applicable(self) -> bool:
        """The rule had at least one subject to judge."""
        return self.subjects > 0

    @property
    def has_data(self) -> bool:
        """Sufficient data: at least one result was judged on data, not on a missing value."""
        return self.passed + self.waived + self.failed > 0


@dataclass(frozen=True)
class LevelResult:
    """Coverage and compliance at one maturity level, and whether the level is achieved."""

    level: int
    rules: int
    with_data: int
    coverage: float
    compliance: float
    threshold: float
    achieved: bool

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a level result."""
        return {"level": self.level, "name": LEVEL_NAMES[self.level], "rules": self.rules,
                "with_data": self.with_data, "coverage": round(self.coverage, 4),
                "compliance": round(self.compliance, 4), "threshold": self.threshold,
                "achieved": self.achieved}


@dataclass(frozen=True)
class MaturityView:
    """The indicator over one set of rules (overall, or one family)."""

    name: str
    levels: tuple[LevelResult, ...]
    level: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a view."""
        return {"name": self.name, "level": self.level, "level_name": LEVEL_NAMES[self.level],
                "score": round(self.score, 4), "levels": [lv.to_dict() for lv in self.levels]}


@dataclass(frozen=True)
class MaturityReport:
    """The indicator overall and per catalogue family, with the disclaimer."""

    overall: MaturityView
    families: tuple[MaturityView, ...]
    disclaimer: str = DISCLAIMER

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the maturity report."""
        return {"schema": "pmo-rules/maturity/v1", "disclaimer": self.disclaimer,
                "overall": self.overall.to_dict(),
                "families": [f.to_dict() for f in self.families]}


def level_result(level: int, rules: Sequence[RuleEvidence]) -> LevelResult:
    """Coverage, weighted compliance and achievement at `level` over the given rules."""
    applicable = [r for r in rules if r.level == level and r.applicable]
    with_data = sum(1 for r in applicable if r.has_data)
    coverage = with_data / len(applicable) if applicable else 0.0
    compliance = _compliance(applicable)
    achieved = bool(applicable) and coverage >= MIN_COVERAGE - _EPSILON \
        and compliance >= THRESHOLDS[level] - _EPSILON
    return LevelResult(level, len(applicable), with_data, coverage, compliance,
                       THRESHOLDS[level], achieved)


def assess(
    rules: Sequence[RuleEvidence], name: str = "overall", *, skip_empty: bool = False
) -> MaturityView:
    """The staged level and the continuous score over a set of rules.

    With `skip_empty` (a family view) a level the family has no applicable rule at is
    passed over rather than ending the climb: LC has no level-2 rules yet can reach 3.
    """
    levels = tuple(level_result(level, rules) for level in LEVELS)
    reached = 1
    for result in levels:
        if skip_empty and result.rules == 0:
            continue
        if not result.achieved:
            break
        reached = result.level
    applicable = [r for r in rules if r.applicable and r.level in LEVELS]
    coverage = sum(1 for r in applicable if r.has_data) / len(applicable) if applicable else 0.0
    return MaturityView(name, levels, reached, coverage * _compliance(applicable))


def rule_evidence(report: Report) -> list[RuleEvidence]:
    """Each maturity-tagged rule of a run, with its results sorted into maturity's buckets."""
    failures: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.status == "fail":
            failures.setdefault(finding.rule.id, []).append(finding)
    out = []
    for info in report.rules:
        if info.maturity is None or info.maturity not in LEVELS:
            continue
        counts = report.counts.get(info.id)
        if counts is None:
            continue
        missing = sum(1 for f in failures.get(info.id, []) if is_missing_data(f))
        out.append(RuleEvidence(
            rule=info.id, level=info.maturity, severity=info.severity,
            passed=counts.passed, waived=counts.waived, failed=counts.failed - missing,
            missing_data=missing, errors=counts.error,
        ))
    return out


def is_missing_data(finding: Finding) -> bool:
    """A failure caused by missing data: every failing clause names a missing field."""
    return bool(finding.evidence) and all(e.missing for e in finding.evidence)


def maturity(report: Report) -> MaturityReport:
    """The maturity indicator of a run: overall and per catalogue family."""
    evidence = rule_evidence(report)
    return MaturityReport(assess(evidence), tuple(
        assess([r for r in evidence if r.family == family], family, skip_empty=True)
        for family in _families(evidence)))


def _families(evidence: Iterable[RuleEvidence]) -> list[str]:
    return sorted({r.family for r in evidence})


def _compliance(rules: Sequence[RuleEvidence]) -> float:
    weight = sum(SEVERITY_WEIGHT[r.severity] * r.subjects for r in rules)
    if weight == 0:
        # Only info rules (weight 0): nothing weighs against compliance, if anything was judged.
        return 1.0 if any(r.applicable for r in rules) else 0.0
    good = sum(SEVERITY_WEIGHT[r.severity] * (r.passed + r.waived) for r in rules)
    return good / weight


def render_text(result: MaturityReport) -> str:
    """The indicator for people: overall levels, then one line per family, then the caveat."""
    o = result.overall
    lines = [f"PMO maturity indicator: level {o.level} ({LEVEL_NAMES[o.level]}), "
             f"score {o.score:.0%}", "",
             "level  name        rules  with data  coverage  compliance  needed  achieved"]
    for lv in o.levels:
        lines.append(
            f"{lv.level:>5}  {LEVEL_NAMES[lv.level]:<10}  {lv.rules:>5}  {lv.with_data:>9}  "
            f"{lv.coverage:>8.0%}  {lv.compliance:>10.1%}  {lv.threshold:>6.0%}  "
            f"{_achieved(lv)}")
    lines += ["", "family  level  " + "  ".join(f"L{lv} cov/comp " for lv in LEVELS)]
    for view in result.families:
        cells = [f"{lv.coverage:>4.0%}/{lv.compliance:>5.1%}" if lv.rules else f"{'-':>11}"
                 for lv in view.levels]
        lines.append(f"{view.name:<6}  {view.level:>5}  " + "  ".join(f"{c:<12}" for c in cells))
    lines += ["", f"note: {result.disclaimer}",
              "      Missing data counts as not evidenced, never as a pass.", ""]
    return "\n".join(line.rstrip() for line in lines)


def _achieved(lv: LevelResult) -> str:
    if lv.achieved:
        return "yes"
    return "not evidenced" if lv.rules == 0 else "no"
