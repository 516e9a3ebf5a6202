"""The compiled reference walkers resolve exactly what their plan names, in place."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest

from pmo_rules.model.ref_walkers import Plan, Unresolved, walker

# A record with a single and a list reference, a nested record, and a map and a list of
# nested records holding references of their own.
_INNER: Plan = ((("owner", "person", False),), ())
PLAN: Plan = ((("sponsor", "person", False), ("programs", "program", True)),
              (("budget", "one", _INNER), ("risks", "list", _INNER), ("gates", "dict", _INNER)))
TABLES = {"person": {"U": "person U", "V": "person V"}, "program": {"G": "program G"}}


def _record() -> NS:
    return NS(sponsor="U", programs=["G", "G"], budget=NS(owner=None),
              risks=[NS(owner="V"), NS(owner=None)], gates={"G1": NS(owner="U")})


def test_every_reference_of_the_plan_is_resolved_in_place() -> None:
    rec = _record()
    walker(PLAN, TABLES)(rec)
    assert rec.sponsor == "person U" and rec.programs == ["program G", "program G"]
    assert rec.budget.owner is None
    assert [r.owner for r in rec.risks] == ["person V", None]
    assert rec.gates["G1"].owner == "person U"


def test_empty_and_absent_values_are_left_as_they_are() -> None:
    empty: list[str] = []
    rec = NS(sponsor=None, programs=empty, budget=None, risks=[], gates={})
    walker(PLAN, TABLES)(rec)
    assert rec.programs is empty and rec.sponsor is None and rec.budget is None


@pytest.mark.parametrize("change", [
    {"sponsor": "NOBODY"}, {"programs": ["G", "X"]}, {"risks": [NS(owner="X")]},
    {"gates": {"G1": NS(owner=["unhashable"])}},
])
def test_an_unknown_id_is_unresolved(change: dict[str, object]) -> None:
    rec = _record()
    vars(rec).update(change)
    with pytest.raises(Unresolved):
        walker(PLAN, TABLES)(rec)


def test_a_kind_without_a_table_resolves_nothing() -> None:
    with pytest.raises(Unresolved):
        walker(PLAN, {"person": TABLES["person"]})(_record())
    rec = _record()
    rec.programs = []
    walker(PLAN, {"person": TABLES["person"]})(rec)
    assert rec.sponsor == "person U"
