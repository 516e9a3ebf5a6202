"""The data dictionary (docs/data-model.md) and `pmo-rules schema` describe every field of
every entity, from the models themselves, and stay current."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from pmo_rules.cli import main
from pmo_rules.model import dictionary
from pmo_rules.model import entities as model

ROOT = Path(__file__).resolve().parents[2]
TABLES = dictionary.entities()


def test_the_data_dictionary_is_current() -> None:
    text = dictionary.DOC.read_text(encoding="utf-8")
    assert dictionary.updated(text) == text, (
        "docs/data-model.md is stale: run `python -m pmo_rules.model.dictionary`")


def test_every_model_is_in_the_dictionary() -> None:
    """No model of entities.py is left out (each is reachable from the portfolio file)."""
    models = {cls for cls in vars(model).values() if isinstance(cls, type)
              and issubclass(cls, model.Entity) and cls is not model.Entity}
    assert models == {t.cls for t in TABLES}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.kind)
def test_every_field_has_a_description_and_an_example(table: dictionary.EntityFacts) -> None:
    assert table.description, f"{table.cls.__name__} has no docstring"
    lacking = [f.name for f in table.fields if not f.description or f.example is None]
    assert not lacking, f"{table.kind}: document these fields in entities.py: {lacking}"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.kind)
def test_every_field_is_in_docs_data_model(table: dictionary.EntityFacts) -> None:
    doc = dictionary.DOC.read_text(encoding="utf-8")
    section = doc.split(f"\n### {table.kind}\n", 1)[1].split("\n### ", 1)[0]
    rows = set(re.findall(r"^\| `([^`]+)` \|", section, re.M))
    assert rows == {f.name for f in table.fields}


def _schema() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


SCHEMA = _schema()


def _schema_properties(cls: type) -> dict[str, Any]:
    if cls is model.PortfolioFile:
        props: dict[str, Any] = SCHEMA["properties"]
    else:
        props = SCHEMA["$defs"][cls.__name__]["properties"]
    return props


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.kind)
def test_every_input_field_is_described_in_the_schema(table: dictionary.EntityFacts) -> None:
    """What users write is in `pmo-rules schema` with the dictionary's description and
    example, so an editor shows them; derived fields are not input."""
    props = _schema_properties(table.cls)
    for f in table.fields:
        if f.derived:
            assert f.name not in props or f.name == "project", f.name
            continue
        assert f.name in props, f"{table.kind}.{f.name} is not in the schema"
        assert props[f.name].get("description") == f.description, f.name
        assert props[f.name].get("examples"), f.name


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.kind)
def test_every_example_is_valid_for_its_field(table: dictionary.EntityFacts) -> None:
    """The examples are data a user could paste: each validates against its field's schema."""
    props = _schema_properties(table.cls)
    for name, prop in props.items():
        for example in prop.get("examples", []):
            field_schema = {**prop, "$defs": SCHEMA["$defs"]}
            errors = list(jsonschema.Draft202012Validator(field_schema).iter_errors(example))
            assert not errors, f"{table.kind}.{name}: {example!r}: {errors[0].message}"


def test_a_project_with_only_a_title_and_literals_is_valid_for_editors() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    good = {"as_of": "2026-11-26", "projects": [
        {"id": "P-1", "title": "CRM", "budget": {"approved": "400k"},
         "allocations": [{"person": "U-1", "fte": "50%"}],
         "depends_on": [{"id": "P-2", "lag_days": "2w"}]}]}
    assert not list(validator.iter_errors(good))
    bad = {"projects": [{"id": "P-1", "budget": {"approved": "400k"}}]}
    assert list(validator.iter_errors(bad))  # neither name nor title
    wrong = {"projects": [{"id": "P-1", "name": "x", "budget": {"approved": "60%"}}]}
    assert list(validator.iter_errors(wrong))
