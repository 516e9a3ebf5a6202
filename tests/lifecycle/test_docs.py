"""docs/lifecycles.md and docs/language.md stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pmo_rules import api
from pmo_rules.language.lifecycle_types import FIELDS, FUNCTIONS
from pmo_rules.model.lifecycle_files import parse_lifecycles
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.stdlib.lifecycle.models import MODELS

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLES = (ROOT / "docs" / "lifecycles.md").read_text(encoding="utf-8")
LANGUAGE = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")


def _table(m: LifecycleModel) -> str:
    out = [f"### `{m.id}`: {m.title}", "",
           "Phases (stage): " + ", ".join(f"`{p}` ({m.stages[p]})" for p in m.phases) + ".", "",
           "| gate | title | admits | needs (approved unless said) | decided by |",
           "|---|---|---|---|---|"]
    for g in m.gates:
        needs = []
        for n in g.needs:
            text = f"`{n.type}`"
            if n.statuses != ("approved",):
                text += f" ({' or '.join(n.statuses)})"
            if n.tiers:
                text += f" (tier {', '.join(map(str, n.tiers))} only)"
            needs.append(text)
        by = g.decider_grade or "-"
        if g.decider_by_tier:
            by = "; ".join(f"tier {t}: {v}" for t, v in sorted(g.decider_by_tier.items()))
            by += f"; otherwise {g.decider_grade}"
        admits = "closes the project" if g.admits is None else f"`{g.admits}`"
        out.append(f"| `{g.id}` | {g.title} | {admits} | {', '.join(needs)} | {by} |")
    return "\n".join(out)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.id)
def test_each_built_in_lifecycle_is_documented_as_it_is(model: LifecycleModel) -> None:
    assert _table(model) in LIFECYCLES


def test_the_documented_yaml_example_loads_as_the_bundled_one() -> None:
    block = re.search(r"```yaml\n(# governance/lifecycles/.*?)```", LIFECYCLES, re.S)
    assert block is not None
    (documented,), problems = parse_lifecycles(block.group(1), "doc.yaml")
    assert not problems
    (bundled,) = api.load_lifecycles(
        [ROOT / "examples" / "mixed-lifecycles" / "governance" / "lifecycles"])
    assert documented.gates == bundled.gates and documented.max_days == bundled.max_days


def test_every_lifecycle_function_and_field_is_documented() -> None:
    for name in FUNCTIONS:
        assert f"`{name}(" in LANGUAGE, name
    for kind, fields in FIELDS.items():
        assert f"`{kind}`" in LANGUAGE, kind
        for field in fields:
            assert f"`{field}`" in LANGUAGE, (kind, field)
