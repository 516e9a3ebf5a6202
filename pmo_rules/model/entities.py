"""Pydantic models of the portfolio: what users bring, validated once.

Every field is documented where it is declared: the string under it is its
description (pydantic's attribute docstrings), ending with `Example: `VALUE`.`
docs/data-model.md (the data dictionary) and `pmo-rules schema` are generated
from these; a test fails when a field lacks either part.

References are validated as ids and replaced by the entities they name when the
portfolio is resolved (resolve.py); their annotation carries `Ref("person")` so
the language checker knows what they point to. Derived fields (stage, start,
finish, score, cpi, spi, date, lag) are properties or are set on resolve.
Money, ratio and day-count fields also accept the policy language's literals
(`400k`, `60%`, `30d`): their markers add that to the validator and the schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
)
from pydantic.json_schema import JsonSchemaValue, SkipJsonSchema
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from pmo_rules.model import literals


class Ref:
    """Annotation marker: this id field references an entity of `kind` (or one of `kinds`)."""

    __slots__ = ("kinds",)

    def __init__(self, *kinds: str) -> None:
        self.kinds = kinds

    def __repr__(self) -> str:
        return f"Ref({', '.join(map(repr, self.kinds))})"


class Derived:
    """Annotation marker: a read-only value the engine computes (never in the input)."""

    __slots__ = ()


class Unit:
    """Annotation marker of a number's unit, which also accepts the language's literals.

    The value is validated as written first; only text the plain type refuses is
    read as a literal (`400k`), so a plain number never reaches Python code (the
    fast load path keeps that order: model/fast_schema.py). Text that is neither
    is refused with the literal to write.
    """

    __slots__ = ()
    name: ClassVar[str]
    expected: ClassVar[str]
    pattern: ClassVar[str]  # JSON Schema pattern of the literals accepted as text
    help: ClassVar[str]

    def convert(self, text: str) -> int | float | None:
        """The number a literal stands for in this unit, else None."""
        raise NotImplementedError

    def to_write(self, text: str) -> str | None:
        """For text that is almost a literal of this unit, the literal to write instead."""
        raise NotImplementedError

    def validate(self, value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Any:
        """Validate `value` as written, else as a literal of this unit, else explain."""
        try:
            return handler(value)
        except ValidationError:
            if not isinstance(value, str):
                raise
        converted = self.convert(value)
        if converted is not None:
            return handler(converted)
        hint = self.to_write(value)
        raise PydanticCustomError("literal_form", "`{value}` is not {expected}", {
            "value": value, "expected": self.expected,
            "help": f"write {hint}" if hint else self.help})

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(self.validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        plain = handler(schema)
        text = {"type": "string", "pattern": self.pattern}
        options = plain.get("anyOf", [plain])
        return {"anyOf": [*options, text]}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Money(Unit):
    """A number in the portfolio's currency; `400k` and `1.2M` are accepted."""

    __slots__ = ()
    name = "money"
    expected = "an amount of money"
    pattern = r"^-?\d[\d_]*(\.\d+)?[kM]?$"
    help = ("write an amount in the portfolio's currency as a number, such as `400000`, "
            "`400k` or `1.2M`")

    def convert(self, text: str) -> int | float | None:
        """`400k` -> 400000, `1.2M` -> 1200000; a percentage is not an amount."""
        parsed = literals.number_literal(text)
        return parsed[0] if parsed is not None and parsed[1] != "%" else None

    def to_write(self, text: str) -> str | None:
        """`€400,000` -> `400000` (or `400k`)."""
        return literals.amount_to_write(text)


class Ratio(Unit):
    """A fraction, 0.6 meaning 60%; `60%` is accepted."""

    __slots__ = ()
    name = "ratio"
    expected = "a ratio"
    pattern = r"^-?\d[\d_]*(\.\d+)?%$"
    help = "write a ratio as a number or a percentage, such as `0.6` or `60%`"

    def convert(self, text: str) -> int | float | None:
        """`60%` -> 0.6; `k` and `M` make no sense for a ratio."""
        parsed = literals.number_literal(text)
        return parsed[0] if parsed is not None and parsed[1] == "%" else None

    def to_write(self, text: str) -> str | None:
        """`60 %` -> `60%`, `0,6` -> `0.6`."""
        return literals.ratio_to_write(text)


class Days(Unit):
    """A whole number of days; the durations `30d` and `2w` are accepted."""

    __slots__ = ()
    name = "days"
    expected = "a number of days"
    pattern = r"^-?\d+[dw]$"
    help = "write whole days as a number or a duration, such as `30`, `30d` or `2w`"

    def convert(self, text: str) -> int | float | None:
        """`30d` -> 30, `2w` -> 14."""
        return literals.days_literal(text)

    def to_write(self, text: str) -> str | None:
        """`30 days` -> `30` (or `30d`); `3 months` -> about `90d`."""
        return literals.days_to_write(text)


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
RatioValue = Annotated[float | None, Ratio()]
DaysValue = Annotated[int, Days()]
# A lag or lead of more than a century is no schedule's; bounding it keeps every date
# arithmetic on a dependency within the calendar (a 99999999999-day lag overflowed it).
MAX_LAG_DAYS = 36_525
LagDays = Annotated[int, Field(ge=-MAX_LAG_DAYS, le=MAX_LAG_DAYS), Days()]
OptionalDays = Annotated[int | None, Days()]
# `name` and `title` are two spellings of one thing everywhere but on a person (whose
# title is a job title): each is read from the other when it is not written.
NAME = AliasChoices("name", "title")
TITLE = AliasChoices("title", "name")


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


def _policy_literals(value: Any) -> Any:
    """`pmo.policy` thresholds may be written as the language writes numbers (`1M`, `60%`)."""
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        parsed = literals.number_literal(item) if isinstance(item, str) else None
        out[key] = item if parsed is None else parsed[0]
    return out


class Entity(BaseModel):
    """Base of every model: unknown keys are allowed and later moved under `custom`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=False,
                              use_attribute_docstrings=True)

    custom: dict[str, Any] = Field(default_factory=dict)
    """Your own fields, kept as written and read in policies as `x.custom.NAME`; an
    unknown key of the record is moved here too, with a warning.
    Example: `{cost_centre: CC-104}`"""

    def __repr__(self) -> str:
        # Resolved references form cycles (project -> program -> projects): print ids only.
        ident = self.__dict__.get("id")
        if isinstance(ident, str):
            return f"{type(self).__name__}(id={ident!r})"
        return super().__repr__()


class Person(Entity):
    """Someone who sponsors, manages, owns, approves or decides."""

    id: Id
    """Unique among people; projects and registers name people by it. Example: `PER-CIO`"""
    name: str | None = None
    """The person's full name. Example: `Sofia Lindqvist`"""
    title: str | None = None
    """The person's job title (on a person, `title` is never the name).
    Example: `Chief Information Officer`"""
    grade: Grade | None = None
    """Seniority, which gate and sponsorship rules check. Example: `executive`"""
    org_unit: str | None = None
    """The organisational unit the person belongs to. Example: `Technology`"""
    certifications: list[str] = Field(default_factory=list)
    """Professional certifications held. Example: `[PMP, PRINCE2 Practitioner]`"""
    active: bool = True
    """False once the person has left: rules flag work still assigned to them.
    Example: `false`"""


class Kpi(Entity):
    """The key performance indicator that measures an objective."""

    name: str | None = Field(default=None, validation_alias=NAME)
    """What is measured. Example: `Digitally active retail customers`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Digitally active retail customers`"""
    unit: str | None = None
    """The unit of baseline and target, as text. Example: `percent`"""
    baseline: float | None = None
    """The value when the objective was set, in `unit`. Example: `58`"""
    target: float | None = None
    """The value to reach by `due`, in `unit`. Example: `75`"""
    due: dt.date | None = None
    """When the target should be reached. Example: `2027-12-31`"""


class Objective(Entity):
    """A strategic objective that projects and programs contribute to."""

    id: Id
    """Unique among objectives. Example: `OBJ-1`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """The objective's name (`title` is another spelling).
    Example: `Resilient, compliant core platforms`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`, as strategy documents say.
    Example: `Resilient, compliant core platforms`"""
    owner: PersonRef = None
    """The executive accountable for the objective. Example: `PER-CIO`"""
    weight: RatioValue = None
    """The objective's share of strategic importance (weights usually sum to 1).
    Example: `0.45`"""
    target_investment_share: RatioValue = None
    """The share of the portfolio's approved budget meant to serve this objective.
    Example: `40%`"""
    status: Literal["active", "retired"] | None = None
    """A retired objective no longer justifies new work. Example: `active`"""
    kpi: Kpi | None = None
    """How the objective is measured. Example: `{name: Cost-to-income ratio, unit: percent,
    baseline: 61, target: 55}`"""
    projects: Annotated[list[Id], Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default_factory=list, exclude=True
    )
    """The projects that contribute to the objective, directly (set on load).
    Example: `[P-101, P-102]`"""


class Benefit(Entity):
    """A benefit a program or project is expected to deliver."""

    id: Id | None = None
    """An id for the benefit, if the benefits register gives one. Example: `B-CORE-1`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """A short name for the benefit. Example: `Lower run cost`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Lower run cost`"""
    description: str | None = None
    """What the benefit is. Example: `Retire the mainframe ledger and its licences`"""
    measure: str | None = None
    """How the benefit is measured. Example: `Annual IT run cost`"""
    target: float | str | None = None
    """The value to reach, as a number or as text. Example: `-3500000`"""
    owner: PersonRef = None
    """Who is accountable for realising the benefit. Example: `PER-CFO`"""
    realisation_start: dt.date | None = None
    """When the benefit starts to be realised. Example: `2027-07-01`"""


class Program(Entity):
    """A program: a group of projects managed together for a shared outcome."""

    id: Id
    """Unique among programs; projects name their program by it. Example: `PG-CORE`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """The program's name (`title` is another spelling).
    Example: `Core Banking Replacement`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Core Banking Replacement`"""
    sponsor: PersonRef = None
    """The executive who sponsors the program. Example: `PER-CIO`"""
    manager: PersonRef = None
    """The program manager. Example: `PER-DCORE`"""
    objectives: Annotated[list[Id], Ref("objective")] = Field(default_factory=list)
    """The objectives the program serves. Example: `[OBJ-1]`"""
    status: str | None = None
    """The program's status, as text. Example: `active`"""
    budget_approved: MoneyValue = None
    """The program's approved budget. Example: `9.5M`"""
    benefits: list[Benefit] = Field(default_factory=list)
    """The benefits the program should deliver. Example: `[{id: B-CORE-1, measure: Annual
    IT run cost}]`"""
    projects: Annotated[list[Id], Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default_factory=list, exclude=True
    )
    """The program's projects: those whose `program` names it (set on load).
    Example: `[P-101, P-102]`"""


class ObjectiveLink(Entity):
    """A project's contribution to an objective (`objectives: [{id, contribution}]`)."""

    objective: Annotated[Id, Ref("objective")] = Field(alias="id")
    """The objective (written `id`; read in policies as `link.objective`). Example: `OBJ-1`"""
    contribution: Literal["high", "medium", "low"] | None = None
    """How much the project contributes to the objective. Example: `high`"""


class Budget(Entity):
    """A project's money: approved, spent, and forecast at completion."""

    approved: MoneyValue = None
    """The approved budget (the baseline cost). Example: `1.2M`"""
    actual_to_date: MoneyValue = None
    """What has been spent so far. Example: `430k`"""
    forecast_at_completion: MoneyValue = None
    """What the project is now expected to cost in total. Example: `1.35M`"""


class Evm(Entity):
    """Earned-value figures as of a date: the cumulative values at that date."""

    as_of: dt.date | None = None
    """The date the figures were measured. Example: `2026-10-31`"""
    bac: MoneyValue = None
    """Budget at completion. Example: `6M`"""
    pv: MoneyValue = None
    """Planned value: the budgeted cost of the work scheduled so far. Example: `3.3M`"""
    ev: MoneyValue = None
    """Earned value: the budgeted cost of the work done so far. Example: `2.7M`"""
    ac: MoneyValue = None
    """Actual cost of the work done so far. Example: `3.1M`"""

    @property
    def cpi(self) -> float | None:
        """Cost performance index EV / AC; missing when either is missing or AC is zero.
        Example: `0.87`"""
        if self.ev is None or not self.ac:
            return None
        return self.ev / self.ac

    @property
    def spi(self) -> float | None:
        """Schedule performance index EV / PV; missing when either is missing or PV is zero.
        Example: `0.82`"""
        if self.ev is None or not self.pv:
            return None
        return self.ev / self.pv


class Schedule(Entity):
    """A project's dates: baseline (approved), forecast and actual."""

    baseline_start: dt.date | None = None
    """The approved start date. Example: `2026-01-12`"""
    baseline_finish: dt.date | None = None
    """The approved finish date. Example: `2027-03-31`"""
    forecast_start: dt.date | None = None
    """The start date now expected. Example: `2026-02-02`"""
    forecast_finish: dt.date | None = None
    """The finish date now expected. Example: `2027-06-30`"""
    actual_start: dt.date | None = None
    """The date work really started. Example: `2026-02-02`"""
    actual_finish: dt.date | None = None
    """The date work really finished. Example: `2026-09-30`"""


class Health(Entity):
    """The project's last status report, in RAG colours (`health: red` is short for overall)."""

    overall: RAG | None = None
    """The overall status colour. Example: `amber`"""
    schedule: RAG | None = None
    """Schedule status. Example: `red`"""
    cost: RAG | None = None
    """Cost status. Example: `amber`"""
    scope: RAG | None = None
    """Scope status. Example: `green`"""
    risk: RAG | None = None
    """Risk status. Example: `amber`"""
    trend: Literal["improving", "stable", "declining"] | None = None
    """Where the status is heading. Example: `declining`"""
    reported_on: dt.date | None = None
    """The date of the status report. Example: `2026-11-20`"""


class Artifact(Entity):
    """A governance document of a project (charter, business case, plan...), by type."""

    type: str
    """The kind of document; `p.artifacts.TYPE` reads it. Example: `charter`"""
    status: str | None = None
    """Its state, as text; rules usually look for `approved`. Example: `approved`"""
    version: str | None = None
    """The document's own version, as text (quote `"1.2"` in YAML). Example: `"1.2"`"""
    template_version: str | None = None
    """The version of the PMO template it was written from. Example: `"2026.1"`"""
    author: PersonRef = None
    """Who wrote it. Example: `PER-CDUBOIS`"""
    approved_by: PersonRef = None
    """Who approved it. Example: `PER-CIO`"""
    approved_on: dt.date | None = None
    """When it was approved. Example: `2026-02-10`"""
    updated_on: dt.date | None = None
    """When it was last changed. Example: `2026-09-01`"""
    uri: str | None = None
    """Where the document lives. Example: `https://intranet.example/pmo/P-102/charter`"""


class Condition(Entity):
    """A condition attached to a `go_with_conditions` gate decision."""

    text: str | None = None
    """What must be done. Example: `CRO signs off the fallback plan`"""
    due: dt.date | None = None
    """When it must be done. Example: `2026-09-30`"""
    closed_on: dt.date | None = None
    """When it was done; absent while open. Example: `2026-09-25`"""


class Gate(Entity):
    """A stage-gate decision on a project, by gate id."""

    gate: str
    """The gate's id in the project's lifecycle; `p.gates.GATE` reads it. Example: `G2`"""
    decision: GateDecision | None = None
    """What the gate decided. Example: `go_with_conditions`"""
    decided_on: dt.date | None = None
    """When it was decided. Example: `2026-04-14`"""
    decided_by: PersonRef = None
    """Who decided (gate rules check their grade). Example: `PER-CIO`"""
    conditions: list[Condition] = Field(default_factory=list)
    """Conditions of a `go_with_conditions` decision.
    Example: `[{text: CRO signs off the fallback plan, due: 2026-09-30}]`"""


class Milestone(Entity):
    """A point in a project's schedule; dependencies may link milestones."""

    id: Id
    """Unique across the portfolio (and never a project's id). Example: `M-102-3`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """The milestone's name (`title` is another spelling). Example: `Ledger go-live`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Ledger go-live`"""
    baseline: dt.date | None = None
    """The approved date. Example: `2027-03-31`"""
    forecast: dt.date | None = None
    """The date now expected. Example: `2027-06-30`"""
    actual: dt.date | None = None
    """The date it was reached. Example: `2026-05-29`"""
    key: bool = False
    """A key milestone, which schedule rules watch. Example: `true`"""
    gate: str | None = None
    """The gate this milestone stands for, if any. Example: `G3`"""
    project: Annotated[Id | None, Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )
    """The project the milestone belongs to (set on load). Example: `P-102`"""

    @property
    def date(self) -> dt.date | None:
        """Actual, else forecast, else baseline. Example: `2027-06-30`"""
        return self.actual or self.forecast or self.baseline

    @property
    def start(self) -> dt.date | None:
        """Same as `date`: a milestone is a point in time. Example: `2027-06-30`"""
        return self.date

    @property
    def finish(self) -> dt.date | None:
        """Same as `date`: a milestone is a point in time. Example: `2027-06-30`"""
        return self.date


class Risk(Entity):
    """An uncertain event that would affect the project, from its risk register."""

    id: Id
    """Unique across the portfolio. Example: `R-102-1`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """A short statement of the risk (`title` is another spelling).
    Example: `Ledger reconciliation fails at cutover`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`, as risk registers say.
    Example: `Ledger reconciliation fails at cutover`"""
    probability: Annotated[int, Field(ge=1, le=5)] | None = None
    """How likely: 1 (rare) to 5 (almost certain). Example: `4`"""
    impact: Annotated[int, Field(ge=1, le=5)] | None = None
    """How severe if it happens: 1 (minor) to 5 (severe). Example: `5`"""
    owner: PersonRef = None
    """Who manages the risk. Example: `PER-CDUBOIS`"""
    response: Literal["avoid", "mitigate", "transfer", "accept", "escalate"] | None = None
    """The chosen response. Example: `mitigate`"""
    mitigation: str | None = None
    """What is being done about it. Example: `Parallel run for two month-ends`"""
    due: dt.date | None = None
    """When the response action is due. Example: `2026-12-15`"""
    status: Literal["open", "closed", "occurred"] | None = None
    """`occurred` means it has become an issue. Example: `open`"""
    raised_on: dt.date | None = None
    """When it was raised. Example: `2026-03-02`"""
    reviewed_on: dt.date | None = None
    """When it was last reviewed. Example: `2026-11-10`"""
    linked_dependency: str | None = None
    """The id of the dependency this risk is about, if any. Example: `P-103->P-102`"""
    project: Annotated[Id | None, Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )
    """The project whose register holds the risk (set on load). Example: `P-102`"""

    @property
    def score(self) -> int | None:
        """Probability times impact, each 1-5. Example: `20`"""
        if self.probability is None or self.impact is None:
            return None
        return self.probability * self.impact


class Issue(Entity):
    """A problem the project has now, from its issue log."""

    id: Id
    """Unique across the portfolio. Example: `I-305-1`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """A short statement of the issue (`title` is another spelling).
    Example: `Transaction monitoring rules misfire`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`, as issue logs say.
    Example: `Transaction monitoring rules misfire`"""
    severity: Literal["low", "medium", "high", "critical"] | None = None
    """How serious it is (ordered, like rule severities). Example: `critical`"""
    owner: PersonRef = None
    """Who is resolving it. Example: `PER-ARAHMAN`"""
    raised_on: dt.date | None = None
    """When it was raised. Example: `2026-10-01`"""
    due: dt.date | None = None
    """When it should be resolved. Example: `2026-11-15`"""
    status: Literal["open", "in_progress", "resolved", "closed"] | None = None
    """Where the issue stands. Example: `open`"""
    escalated_to: PersonRef = None
    """Who it was escalated to, if anyone. Example: `PER-CRO`"""
    resolved_on: dt.date | None = None
    """When it was resolved. Example: `2026-11-20`"""
    project: Annotated[Id | None, Ref("project"), Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )
    """The project whose log holds the issue (set on load). Example: `P-305`"""


class Assumption(Entity):
    """Something the plan takes as true until it is checked."""

    id: Id
    """Unique within the project. Example: `A-203-1`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """A short name for the assumption (`title` is another spelling).
    Example: `Teller APIs stay available`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Teller APIs stay available`"""
    text: str | None = None
    """The assumption in full. Example: `The teller platform's APIs stay available until 2027`"""
    owner: PersonRef = None
    """Who checks it. Example: `PER-PNAIR`"""
    raised_on: dt.date | None = None
    """When it was recorded. Example: `2026-04-01`"""
    validate_by: dt.date | None = None
    """When it must be checked. Example: `2026-10-31`"""
    validated_on: dt.date | None = None
    """When it was checked. Example: `2026-10-20`"""
    status: Literal["unvalidated", "validated", "invalid"] | None = None
    """What checking found. Example: `unvalidated`"""


class Decision(Entity):
    """A decision recorded in the project's decision log."""

    id: Id
    """Unique within the project. Example: `D-102-4`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """What was decided, in short (`title` is another spelling).
    Example: `Run ledgers in parallel for two month-ends`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Run ledgers in parallel for two month-ends`"""
    made_by: PersonRef = None
    """Who decided. Example: `PER-CIO`"""
    made_on: dt.date | None = None
    """When. Example: `2026-09-12`"""
    status: str | None = None
    """The decision's status, as text. Example: `approved`"""


class ChangeRequest(Entity):
    """A request to change a project's baseline (cost, dates or scope)."""

    id: Id
    """Unique within the project. Example: `CR-102-2`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """What the change is (`title` is another spelling).
    Example: `Extend data migration by three months`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Extend data migration by three months`"""
    owner: PersonRef = None
    """Who raised and presents the request. Example: `PER-CDUBOIS`"""
    approver: PersonRef = None
    """Who decides it. Example: `PER-CIO`"""
    raised_on: dt.date | None = None
    """When it was raised. Example: `2026-10-15`"""
    decision: Literal["pending", "approved", "rejected"] | None = None
    """The decision so far. Example: `pending`"""
    decided_on: dt.date | None = None
    """When it was decided. Example: `2026-11-02`"""
    cost_delta: MoneyValue = None
    """The change to the approved budget (negative saves money). Example: `800k`"""
    schedule_delta_days: OptionalDays = None
    """The change to the finish date, in days (negative is earlier). Example: `90`"""
    status: str | None = None
    """The request's status, as text. Example: `submitted`"""


class Allocation(Entity):
    """A person's time booked on a project."""

    person: Annotated[Id, Ref("person")]
    """Who is allocated. Example: `PER-PNAIR`"""
    role: str | None = None
    """Their role on the project. Example: `Solution architect`"""
    fte: RatioValue = None
    """Full-time equivalent: 1 is full time, 0.5 (or `50%`) half time. Example: `0.6`"""
    from_: dt.date | None = Field(default=None, alias="from")
    """The first day of the allocation (written `from`). Example: `2026-01-05`"""
    to: dt.date | None = None
    """The last day of the allocation. Example: `2026-12-18`"""
    project: Annotated[Id | None, Ref("project"), Derived()] = None
    """The project the allocation belongs to (set on load). Example: `P-102`"""


class Dependency(Entity):
    """The successor depends on the predecessor (projects or milestones)."""

    id: Id | None = None
    """Unique among dependencies; defaults to `PREDECESSOR->SUCCESSOR`.
    Example: `P-103->P-102`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """What flows along the dependency (`title` is another spelling).
    Example: `Cleansed customer data`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Cleansed customer data`"""
    predecessor: Annotated[Id, Ref("project", "milestone")]
    """The project or milestone depended on. Example: `P-103`"""
    successor: Annotated[Id, Ref("project", "milestone")]
    """The project or milestone that depends on it. Example: `P-102`"""
    type: DepType = "FS"
    """Finish-to-start, start-to-start, finish-to-finish or start-to-finish. Example: `SS`"""
    lag_days: LagDays = 0
    """Days between the two ends (negative is a lead), at most a century (36,525) either
    way; read in policies as the duration `d.lag`. Example: `-30`"""
    kind: DepKind = "hard"
    """A hard dependency cannot be worked around; a soft one can. Example: `soft`"""
    status: DepStatus | None = None
    """Where the agreement between the two teams stands. Example: `at_risk`"""
    owner: PersonRef = None
    """Who manages the dependency. Example: `PER-PNAIR`"""

    @property
    def lag(self) -> dt.timedelta:
        """The lag as a duration (negative is a lead). Example: `-30d`"""
        return dt.timedelta(days=self.lag_days)


class DependsOn(Entity):
    """One `depends_on` entry inside a project: the project is the successor."""

    id: Id
    """The project or milestone this project depends on (the predecessor). Example: `P-103`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """What flows along the dependency (`title` is another spelling).
    Example: `Cleansed customer data`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Cleansed customer data`"""
    type: DepType = "FS"
    """Finish-to-start, start-to-start, finish-to-finish or start-to-finish. Example: `SS`"""
    lag_days: LagDays = 0
    """Days between the two ends (negative is a lead), at most a century (36,525) either
    way. Example: `5`"""
    kind: DepKind = "hard"
    """A hard dependency cannot be worked around; a soft one can. Example: `hard`"""
    status: DepStatus | None = None
    """Where the agreement between the two teams stands. Example: `agreed`"""
    owner: PersonRef = None
    """Who manages the dependency. Example: `PER-PNAIR`"""


class Project(Entity):
    """A project: the main subject of governance rules."""

    id: Id
    """Unique among projects and milestones. Example: `P-102`"""
    name: str = Field(validation_alias=NAME)
    """The project's name, required (`title` is another spelling).
    Example: `General Ledger Migration`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `General Ledger Migration`"""
    program: Annotated[Id | None, Ref("program")] = None
    """The program the project belongs to, if any. Example: `PG-CORE`"""
    objectives: Annotated[
        list[ObjectiveLink], Ref("objective"), BeforeValidator(_id_shorthand)
    ] = Field(default_factory=list)
    """The objectives it serves: ids, or `{id, contribution}` records; read in policies as
    the objectives themselves. Example: `[OBJ-1, {id: OBJ-3, contribution: low}]`"""
    lifecycle: str | None = None
    """The lifecycle model the project follows; default: the portfolio's
    `default_lifecycle`. Example: `pmbok`"""
    phase: str | None = None
    """The current phase, one of its lifecycle's phases. Example: `executing`"""
    phase_entered_on: dt.date | None = None
    """When the project entered its current phase. Example: `2026-04-14`"""
    status: ProjectStatus | None = None
    """Where the project stands. Example: `active`"""
    tier: Annotated[int, Field(ge=1, le=3)] | None = None
    """Size and risk class: 1 (largest, most governed) to 3. Example: `1`"""
    delivery_approach: Literal["predictive", "agile", "hybrid"] | None = None
    """How the work is delivered. Example: `hybrid`"""
    sponsor: PersonRef = None
    """The executive who sponsors the project. Example: `PER-CIO`"""
    project_manager: PersonRef = None
    """The project manager. Example: `PER-CDUBOIS`"""
    budget: Budget = Field(default_factory=Budget)
    """Approved budget, spend to date and forecast.
    Example: `{approved: 6M, actual_to_date: 3.1M, forecast_at_completion: 6.8M}`"""
    evm: Evm = Field(default_factory=Evm)
    """Earned-value figures. Example: `{as_of: 2026-10-31, pv: 3.3M, ev: 2.7M, ac: 3.1M}`"""
    schedule: Schedule = Field(default_factory=Schedule)
    """Baseline, forecast and actual dates.
    Example: `{baseline_start: 2026-01-12, baseline_finish: 2027-03-31}`"""
    health: Annotated[Health, BeforeValidator(_health_shorthand)] = Field(
        default_factory=Health
    )
    """The last status report; `health: red` is short for `{overall: red}`.
    Example: `{overall: red, schedule: red, cost: amber, reported_on: 2026-11-20}`"""
    artifacts: Annotated[
        dict[str, Artifact], BeforeValidator(_keyed_shorthand("type", "status"))
    ] = Field(default_factory=dict)
    """Governance documents, a list of records or a map keyed by type; in the map a bare
    text is the status. Example: `{business_case: approved, charter: {status: draft}}`"""
    gates: Annotated[
        dict[str, Gate], BeforeValidator(_keyed_shorthand("gate", "decision"))
    ] = Field(default_factory=dict)
    """Gate decisions, a list of records or a map keyed by gate id; in the map a bare text
    is the decision. Example: `{G1: go, G2: {decision: go, decided_by: PER-CIO}}`"""
    milestones: list[Milestone] = Field(default_factory=list)
    """The project's milestones. Example: `[{id: M-102-1, name: Design signed off,
    baseline: 2026-04-30}]`"""
    risks: list[Risk] = Field(default_factory=list)
    """The project's risk register. Example: `[{id: R-102-1, name: Cutover fails,
    probability: 3, impact: 5}]`"""
    issues: list[Issue] = Field(default_factory=list)
    """The project's issue log. Example: `[{id: I-102-1, name: Test data late,
    severity: high}]`"""
    assumptions: list[Assumption] = Field(default_factory=list)
    """The project's assumptions. Example: `[{id: A-102-1, text: Vendor keeps the team}]`"""
    decisions: list[Decision] = Field(default_factory=list)
    """The project's decision log. Example: `[{id: D-102-1, name: Go with vendor B}]`"""
    change_requests: list[ChangeRequest] = Field(default_factory=list)
    """The project's change requests. Example: `[{id: CR-102-1, cost_delta: 800k,
    decision: pending}]`"""
    allocations: list[Allocation] = Field(default_factory=list)
    """People booked on the project. Example: `[{person: PER-PNAIR, fte: 50%}]`"""
    benefits: list[Benefit] = Field(default_factory=list)
    """The benefits the project should deliver. Example: `[{measure: Annual IT run cost,
    target: -1.2M}]`"""
    on_hold_since: dt.date | None = None
    """When the project was put on hold. Example: `2026-05-11`"""
    cancelled_on: dt.date | None = None
    """When the project was cancelled. Example: `2026-06-30`"""
    cancellation_reason: str | None = None
    """Why it was cancelled. Example: `Vendor product withdrawn; killed at G2`"""
    closed_on: dt.date | None = None
    """When the project was closed. Example: `2026-03-31`"""
    depends_on: Annotated[list[DependsOn], BeforeValidator(_id_shorthand)] = Field(
        default_factory=list
    )
    """Dependencies with this project as the successor: ids, or records.
    Example: `[P-103, {id: P-101, type: SS, lag_days: 5}]`"""
    tags: list[str] = Field(default_factory=list)
    """Free labels. Example: `[regulatory, core]`"""
    stage: Annotated[Stage | None, Derived(), SkipJsonSchema()] = Field(
        default=None, exclude=True
    )
    """The canonical stage of the project's phase, the same for every lifecycle
    (set on load). Example: `executing`"""
    objective_links: Annotated[list[ObjectiveLink], Derived(), SkipJsonSchema()] = Field(
        default_factory=list, exclude=True
    )
    """The objectives as written, with their contribution (set on load).
    Example: `[{id: OBJ-1, contribution: high}]`"""

    @property
    def start(self) -> dt.date | None:
        """Actual start, else forecast, else baseline. Example: `2026-02-02`"""
        s = self.schedule
        return s.actual_start or s.forecast_start or s.baseline_start

    @property
    def finish(self) -> dt.date | None:
        """Actual finish, else forecast, else baseline. Example: `2027-06-30`"""
        s = self.schedule
        return s.actual_finish or s.forecast_finish or s.baseline_finish


class Pmo(Entity):
    """The project management office that owns the policies."""

    id: Id | None = None
    """The PMO's id. Example: `EPMO`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """The PMO's name (`title` is another spelling). Example: `Enterprise PMO`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Enterprise PMO`"""
    kind: Literal["enterprise", "departmental"] | None = None
    """An enterprise PMO or a department's. Example: `enterprise`"""
    control_level: Literal["supportive", "controlling", "directive"] | None = None
    """How much the PMO controls projects. Example: `controlling`"""
    reports_to: PersonRef = None
    """The executive the PMO reports to. Example: `PER-COO`"""
    policy: Annotated[dict[str, Any], BeforeValidator(_policy_literals)] = Field(
        default_factory=dict)
    """Named thresholds the PMO publishes, read in policies as `pmo.policy.NAME`; numbers
    may be written as policies write them (`1M`, `400k`, `60%`).
    Example: `{exec_sponsor_budget_threshold: 1M, status_report_max_age_days: 14}`"""


class Portfolio(Entity):
    """The portfolio as a whole: its envelope, cadence and defaults."""

    id: Id = "portfolio"
    """The portfolio's id, the subject of portfolio-level rules. Example: `PF-2026`"""
    name: str | None = Field(default=None, validation_alias=NAME)
    """The portfolio's name (`title` is another spelling).
    Example: `Northbridge Bank change portfolio 2026`"""
    title: str | None = Field(default=None, validation_alias=TITLE)
    """Another spelling of `name`. Example: `Northbridge Bank change portfolio 2026`"""
    owner: PersonRef = None
    """The executive who owns the portfolio. Example: `PER-COO`"""
    budget_envelope: MoneyValue = None
    """The money available to all projects together. Example: `24M`"""
    review_cadence_days: OptionalDays = None
    """How often the portfolio is reviewed, in days. Example: `30`"""
    last_review: dt.date | None = None
    """When it was last reviewed. Example: `2026-11-05`"""
    default_lifecycle: str = "pmbok"
    """The lifecycle of projects that name none. Example: `prince2-style`"""
    wip_limit: int | None = None
    """The most projects that may be active at once. Example: `16`"""


class PortfolioFile(Entity):
    """The whole document a user brings (one YAML or JSON file)."""

    as_of: dt.date | None = None
    """The date the data describes, and the evaluation date (`--as-of` overrides it;
    one of them is required). Example: `2026-11-26`"""
    currency: str | None = None
    """The currency of every amount of money, as an ISO code. Example: `EUR`"""
    pmo: Pmo = Field(default_factory=Pmo)
    """The PMO that owns the policies. Example: `{id: EPMO, kind: enterprise}`"""
    portfolio: Portfolio = Field(default_factory=Portfolio)
    """The portfolio as a whole. Example: `{id: PF-2026, budget_envelope: 24M}`"""
    people: list[Person] = Field(default_factory=list)
    """Everyone the data names. Example: `[{id: PER-CIO, name: Sofia Lindqvist,
    grade: executive}]`"""
    objectives: list[Objective] = Field(default_factory=list)
    """The strategic objectives. Example: `[{id: OBJ-1, name: Resilient core platforms}]`"""
    programs: list[Program] = Field(default_factory=list)
    """The programs. Example: `[{id: PG-CORE, name: Core Banking Replacement}]`"""
    projects: list[Project] = Field(default_factory=list)
    """The projects. Example: `[{id: P-102, name: General Ledger Migration}]`"""
    dependencies: list[Dependency] = Field(default_factory=list)
    """Dependencies between projects or milestones (or write them in each project's
    `depends_on`). Example: `[{predecessor: P-103, successor: P-102}]`"""
