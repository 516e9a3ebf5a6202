"""Pydantic models of the portfolio (DATA-MODEL.md): what users bring, validated once.

References are validated as ids and replaced by the entities they name when the
portfolio is resolved (resolve.py); their annotation carries `Ref("person")` so
the language checker knows what they point to. Derived fields (stage, start,
finish, score, cpi, spi, date, lag) are properties or are set on resolve.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError


class Ref:
    """Annotation marker: this id field references an entity of `kind` (or one of `kinds`)."""

    __slots__ = ("kinds",)

    def __init__(self, *kinds: str) -> None:
        self.kinds = kinds

    def __repr__(self) -> str:
        return f"Ref({', '.join(map(repr, self.kinds))})"


class Money:
    """Annotation marker: a number in the portfolio's currency."""

    __slots__ = ()


class Derived:
    """Annotation marker: a read-only value the engine computes (never in the input)."""

    __slots__ = ()


Id = str
RAG = Literal["green", "amber", "red", "grey"]
Grade = Literal["executive", "director", "manager", "staff"]
ProjectStatus = Literal["proposed", "active", "on_hold", "cancelled", "closed"]
GateDecision = Literal["go", "go_with_conditions", "hold", "recycle", "kill", "pending"]
DepType = Literal["FS", "SS", "FF", "SF"]
DepKind = Literal["hard", "soft"]
DepStatus = Literal["proposed", "agreed", "at_risk", "broken", "retired"]
Stage = Literal["initiating", "planning", "executing", "closing"]
PersonRef = Annotated[Id | None, Ref("person")]
MoneyValue = Annotated[float | None, Money()]


def _health_shorthand(value: Any) -> Any:
    """`health: red` is short for `health: {overall: red}`."""
    return {"overall": value} if isinstance(value, str) else value


def _id_shorthand(value: Any) -> Any:
    """`[P-1, {id: P-2, ...}]`: a bare id is short for `{id: ...}`."""
    if isinstance(value, list):
        return [{"id": v} if isinstance(v, str) else v for v in value]
    return value


def _keyed_shorthand(key: str, short_field: str) -> Callable[[Any], Any]:
    """A list of records or a map keyed by `key`, normalised to the map.

    In the map form a bare string is short for `{short_field: value}`
    (`charter: approved`, `G1: go`).
    """

    def normalise(value: Any) -> Any:
        if isinstance(value, list):
            out: dict[str, Any] = {}
            for i, item in enumerate(value):
                name = item.get(key) if isinstance(item, dict) else None
                if not isinstance(name, str):
                    out[f"#{i}"] = item  # pydantic then reports what is wrong with it
                elif name in out:
                    raise PydanticCustomError(
                        "duplicate_key", "{key} `{name}` is listed twice",
                        {"key": key, "name": name},
                    )
                else:
                    out[name] = item
            return out
        if isinstance(value, dict):
            normal: dict[str, Any] = {}
            for name, item in value.items():
                if isinstance(item, str):
                    normal[name] = {key: name, short_field: item}
                elif isinstance(item, dict) and key not in item:
                    normal[name] = {key: name, **item}
                else:
                    normal[name] = item
            return normal
        return value

    return normalise


class Entity(BaseModel):
    """Base of every model: unknown keys are allowed and later moved under `custom`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False)

    custom: dict[str, Any] = Field(default_factory=dict)

    def __repr__(self) -> str:
        # Resolved references form cycles (project -> program -> projects): print ids only.
        ident = self.__dict__.get("id")
        if isinstance(ident, str):
            return f"{type(self).__name__}(id={ident!r})"
        return super().__repr__()


class Person(Entity):
    id: Id
    name: str | None = None
    title: str | None = None
    grade: Grade | None = None
    org_unit: str | None = None
    certifications: list[str] = Field(default_factory=list)
    active: bool = True


class Kpi(Entity):
    name: str | None = None
    unit: str | None = None
    baseline: float | None = None
    target: float | None = None
    due: dt.date | None = None


class Objective(Entity):
    id: Id
    title: str | None = None
    owner: PersonRef = None
    weight: float | None = None
    target_investment_share: float | None = None
    status: Literal["active", "retired"] | None = None
    kpi: Kpi | None = None
    projects: Annotated[list[Id], Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default_factory=list, exclude=True
    )


class Benefit(Entity):
    id: Id | None = None
    description: str | None = None
    measure: str | None = None
    target: float | str | None = None
    owner: PersonRef = None
    realisation_start: dt.date | None = None


class Program(Entity):
    id: Id
    name: str | None = None
    sponsor: PersonRef = None
    manager: PersonRef = None
    objectives: Annotated[list[Id], Ref("objective")] = Field(default_factory=list)
    status: str | None = None
    budget_approved: MoneyValue = None
    benefits: list[Benefit] = Field(default_factory=list)
    projects: Annotated[list[Id], Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default_factory=list, exclude=True
    )


class ObjectiveLink(Entity):
    """A project's contribution to an objective (`objectives: [{id, contribution}]`)."""

    objective: Annotated[Id, Ref("objective")] = Field(alias="id")
    contribution: Literal["high", "medium", "low"] | None = None


class Budget(Entity):
    approved: MoneyValue = None
    actual_to_date: MoneyValue = None
    forecast_at_completion: MoneyValue = None


class Evm(Entity):
    as_of: dt.date | None = None
    bac: MoneyValue = None
    pv: MoneyValue = None
    ev: MoneyValue = None
    ac: MoneyValue = None

    @property
    def cpi(self) -> float | None:
        """Cost performance index EV / AC; missing when either is missing or AC is zero."""
        if self.ev is None or not self.ac:
            return None
        return self.ev / self.ac

    @property
    def spi(self) -> float | None:
        """Schedule performance index EV / PV; missing when either is missing or PV is zero."""
        if self.ev is None or not self.pv:
            return None
        return self.ev / self.pv


class Schedule(Entity):
    baseline_start: dt.date | None = None
    baseline_finish: dt.date | None = None
    forecast_start: dt.date | None = None
    forecast_finish: dt.date | None = None
    actual_start: dt.date | None = None
    actual_finish: dt.date | None = None


class Health(Entity):
    overall: RAG | None = None
    schedule: RAG | None = None
    cost: RAG | None = None
    scope: RAG | None = None
    risk: RAG | None = None
    trend: Literal["improving", "stable", "declining"] | None = None
    reported_on: dt.date | None = None


class Artifact(Entity):
    type: str
    status: str | None = None
    version: str | None = None
    template_version: str | None = None
    author: PersonRef = None
    approved_by: PersonRef = None
    approved_on: dt.date | None = None
    updated_on: dt.date | None = None
    uri: str | None = None


class Condition(Entity):
    text: str | None = None
    due: dt.date | None = None
    closed_on: dt.date | None = None


class Gate(Entity):
    gate: str
    decision: GateDecision | None = None
    decided_on: dt.date | None = None
    decided_by: PersonRef = None
    conditions: list[Condition] = Field(default_factory=list)


class Milestone(Entity):
    id: Id
    name: str | None = None
    baseline: dt.date | None = None
    forecast: dt.date | None = None
    actual: dt.date | None = None
    key: bool = False
    gate: str | None = None
    project: Annotated[Id | None, Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )

    @property
    def date(self) -> dt.date | None:
        """Actual, else forecast, else baseline."""
        return self.actual or self.forecast or self.baseline

    @property
    def start(self) -> dt.date | None:
        """Same as `date`: a milestone is a point in time."""
        return self.date

    @property
    def finish(self) -> dt.date | None:
        """Same as `date`: a milestone is a point in time."""
        return self.date


class Risk(Entity):
    id: Id
    title: str | None = None
    probability: Annotated[int, Field(ge=1, le=5)] | None = None
    impact: Annotated[int, Field(ge=1, le=5)] | None = None
    owner: PersonRef = None
    response: Literal["avoid", "mitigate", "transfer", "accept", "escalate"] | None = None
    mitigation: str | None = None
    due: dt.date | None = None
    status: Literal["open", "closed", "occurred"] | None = None
    raised_on: dt.date | None = None
    reviewed_on: dt.date | None = None
    linked_dependency: str | None = None
    project: Annotated[Id | None, Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )

    @property
    def score(self) -> int | None:
        """Probability times impact, each 1-5."""
        if self.probability is None or self.impact is None:
            return None
        return self.probability * self.impact


class Issue(Entity):
    id: Id
    title: str | None = None
    severity: Literal["low", "medium", "high", "critical"] | None = None
    owner: PersonRef = None
    raised_on: dt.date | None = None
    due: dt.date | None = None
    status: Literal["open", "in_progress", "resolved", "closed"] | None = None
    escalated_to: PersonRef = None
    resolved_on: dt.date | None = None
    project: Annotated[Id | None, Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )


class Assumption(Entity):
    id: Id
    text: str | None = None
    owner: PersonRef = None
    raised_on: dt.date | None = None
    validate_by: dt.date | None = None
    validated_on: dt.date | None = None
    status: Literal["unvalidated", "validated", "invalid"] | None = None


class Decision(Entity):
    id: Id
    title: str | None = None
    made_by: PersonRef = None
    made_on: dt.date | None = None
    status: str | None = None


class ChangeRequest(Entity):
    id: Id
    title: str | None = None
    owner: PersonRef = None
    approver: PersonRef = None
    raised_on: dt.date | None = None
    decision: Literal["pending", "approved", "rejected"] | None = None
    decided_on: dt.date | None = None
    cost_delta: MoneyValue = None
    schedule_delta_days: int | None = None
    status: str | None = None


class Allocation(Entity):
    person: Annotated[Id, Ref("person")]
    role: str | None = None
    fte: float | None = None
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    project: Annotated[Id | None, Ref("project"), Derived()] = None


class Dependency(Entity):
    id: Id | None = None
    predecessor: Annotated[Id, Ref("project", "milestone")]
    successor: Annotated[Id, Ref("project", "milestone")]
    type: DepType = "FS"
    lag_days: int = 0
    kind: DepKind = "hard"
    status: DepStatus | None = None
    owner: PersonRef = None

    @property
    def lag(self) -> dt.timedelta:
        """The lag as a duration (negative is a lead)."""
        return dt.timedelta(days=self.lag_days)


class DependsOn(Entity):
    """One `depends_on` entry inside a project: the project is the successor."""

    id: Id
    type: DepType = "FS"
    lag_days: int = 0
    kind: DepKind = "hard"
    status: DepStatus | None = None
    owner: PersonRef = None


class Project(Entity):
    id: Id
    name: str
    program: Annotated[Id | None, Ref("program")] = None
    objectives: Annotated[
        list[ObjectiveLink], Ref("objective"), BeforeValidator(_id_shorthand)
    ] = Field(default_factory=list)
    lifecycle: str | None = None
    phase: str | None = None
    phase_entered_on: dt.date | None = None
    status: ProjectStatus | None = None
    tier: Annotated[int, Field(ge=1, le=3)] | None = None
    delivery_approach: Literal["predictive", "agile", "hybrid"] | None = None
    sponsor: PersonRef = None
    project_manager: PersonRef = None
    budget: Budget = Field(default_factory=Budget)
    evm: Evm = Field(default_factory=Evm)
    schedule: Schedule = Field(default_factory=Schedule)
    health: Annotated[Health, BeforeValidator(_health_shorthand)] = Field(
        default_factory=Health
    )
    artifacts: Annotated[
        dict[str, Artifact], BeforeValidator(_keyed_shorthand("type", "status"))
    ] = Field(default_factory=dict)
    gates: Annotated[
        dict[str, Gate], BeforeValidator(_keyed_shorthand("gate", "decision"))
    ] = Field(default_factory=dict)
    milestones: list[Milestone] = Field(default_factory=list)
    risks: list[Risk] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    assumptions: list[Assumption] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    change_requests: list[ChangeRequest] = Field(default_factory=list)
    allocations: list[Allocation] = Field(default_factory=list)
    benefits: list[Benefit] = Field(default_factory=list)
    on_hold_since: dt.date | None = None
    cancelled_on: dt.date | None = None
    cancellation_reason: str | None = None
    closed_on: dt.date | None = None
    depends_on: Annotated[list[DependsOn], BeforeValidator(_id_shorthand)] = Field(
        default_factory=list
    )
    tags: list[str] = Field(default_factory=list)
    stage: Annotated[Stage | None, Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )
    objective_links: Annotated[list[ObjectiveLink], Derived(), SkipJsonSchema()] = Field(
        default_factory=list, exclude=True
    )

    @property
    def start(self) -> dt.date | None:
        """Actual start, else forecast, else baseline."""
        s = self.schedule
        return s.actual_start or s.forecast_start or s.baseline_start

    @property
    def finish(self) -> dt.date | None:
        """Actual finish, else forecast, else baseline."""
        s = self.schedule
        return s.actual_finish or s.forecast_finish or s.baseline_finish


class Pmo(Entity):
    id: Id | None = None
    kind: Literal["enterprise", "departmental"] | None = None
    control_level: Literal["supportive", "controlling", "directive"] | None = None
    reports_to: PersonRef = None
    policy: dict[str, Any] = Field(default_factory=dict)


class Portfolio(Entity):
    id: Id = "portfolio"
    name: str | None = None
    owner: PersonRef = None
    budget_envelope: MoneyValue = None
    review_cadence_days: int | None = None
    last_review: dt.date | None = None
    default_lifecycle: str = "pmbok"
    wip_limit: int | None = None


class PortfolioFile(Entity):
    """The whole document a user brings (one YAML or JSON file)."""

    as_of: dt.date | None = None
    currency: str | None = None
    pmo: Pmo = Field(default_factory=Pmo)
    portfolio: Portfolio = Field(default_factory=Portfolio)
    people: list[Person] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    programs: list[Program] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)
