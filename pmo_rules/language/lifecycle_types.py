"""The lifecycle functions of the policy language and the types of what they return.

A project's own lifecycle is read through functions of the project
(`next_gate(p)`, `gates_required(p)` ...) returning `lifecycle_gate` values: a
gate of the project's lifecycle, resolved for that project (what it needs for
the project's tier, what the project has, what was decided). The values are built
by pmo_rules/model/progress.py; engine/lifecycle_functions.py implements the calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import get_args

from pmo_rules.language.types import (
    BOOL,
    DATE,
    DURATION,
    NUMBER,
    PHASE,
    STRING,
    Type,
    entity,
    enum,
    list_of,
)
from pmo_rules.model.entities import GateDecision, Grade

LIFECYCLE_GATE = entity("lifecycle_gate")
GATE_ARTIFACT = entity("gate_artifact")
_PROJECT = entity("project")
_GRADE = enum(*(str(g) for g in get_args(Grade)))

# Field name -> (type, description), per entity kind; docs/language.md lists them too.
FIELDS: Mapping[str, Mapping[str, tuple[Type, str]]] = {
    "lifecycle_gate": {
        "id": (STRING, "the gate's id in its lifecycle (`G2`, `gate_3`)"),
        "title": (STRING, "the gate's title"),
        "lifecycle": (STRING, "the id of the lifecycle"),
        "position": (NUMBER, "1 for the lifecycle's first gate, 2 for the next ..."),
        "admits": (PHASE, "the phase passing it admits; missing for a gate that closes"),
        "closes": (BOOL, "passing it closes the project"),
        "artifacts": (list_of(GATE_ARTIFACT), "the artifacts it needs for the project's tier"),
        "missing_artifacts": (list_of(STRING),
                              "the types of those not at a status the gate accepts"),
        "decider_grade": (_GRADE, "the grade that decides it for the project's tier"),
        "record": (entity("gate"), "the project's record of this gate (`p.gates.ID`)"),
        "decision": (enum(*(str(d) for d in get_args(GateDecision))),
                     "the recorded decision; `pending` when none is recorded"),
        "passed": (BOOL, "the decision is go or go_with_conditions"),
        "decided_on": (DATE, "the recorded decision's date"),
        "decided_by": (entity("person"), "who decided"),
        "decided_at_grade": (BOOL, "the decider's grade is the needed grade or higher "
                             "(missing when undecided or the decider is unknown)"),
        "conditions": (list_of(entity("condition")), "the recorded conditions"),
        "open_conditions": (list_of(entity("condition")), "conditions without `closed_on`"),
        "milestone": (entity("milestone"), "the project's milestone for this gate "
                      "(`gate: ID`)"),
        "due": (DATE, "that milestone's date"),
        "project": (_PROJECT, "the project"),
    },
    "gate_artifact": {
        "type": (STRING, "the artifact type (`business_case`)"),
        "statuses": (list_of(STRING), "the statuses the gate accepts (`approved`)"),
        "gate": (STRING, "the id of the gate that needs it"),
        "artifact": (entity("artifact"), "the project's artifact of that type"),
        "status": (STRING, "its current status"),
        "met": (BOOL, "the artifact exists at a status the gate accepts"),
    },
}

# Name -> (parameters, result, description); the implementations share these names.
FUNCTIONS: Mapping[str, tuple[tuple[tuple[str, Type], ...], Type, str]] = {
    "lifecycle_gates": ((("project", _PROJECT),), list_of(LIFECYCLE_GATE),
                        "every gate of the project's lifecycle, in order"),
    "gates_passed": ((("project", _PROJECT),), list_of(LIFECYCLE_GATE),
                     "the gates decided go or go with conditions, in order"),
    "gates_required": ((("project", _PROJECT),), list_of(LIFECYCLE_GATE),
                       "the gates the project must have passed to be in its phase (every "
                       "gate, for a closed project; missing when its phase is)"),
    "entry_gate": ((("project", _PROJECT),), LIFECYCLE_GATE,
                   "the gate that admits the project's current phase"),
    "next_gate": ((("project", _PROJECT),), LIFECYCLE_GATE,
                  "the first gate of the project's lifecycle, in order, not yet passed"),
    "gate_admitting": ((("project", _PROJECT), ("phase", PHASE)), LIFECYCLE_GATE,
                       "the gate of the project's lifecycle that admits `phase`"),
    "phase_limit": ((("project", _PROJECT),), DURATION,
                    "the longest the project may stay in its phase, if its lifecycle says"),
}


def field_types() -> dict[str, dict[str, Type]]:
    """The entity kinds the lifecycle functions return, with their fields' types."""
    return {kind: {name: ty for name, (ty, _) in fields.items()}
            for kind, fields in FIELDS.items()}
