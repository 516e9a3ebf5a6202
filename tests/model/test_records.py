"""Records mirror the models; the streaming JSON reader is json.loads, item by item."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmo_rules.model import entities, records
from pmo_rules.model.json_stream import load_streaming


def test_every_model_has_a_record_with_its_fields_and_properties() -> None:
    models = [v for v in vars(entities).values()
              if isinstance(v, type) and issubclass(v, entities.Entity)]
    for model in models:
        cls = records.record_class(model)
        assert cls.__name__ == model.__name__ and cls.__model__ is model  # type: ignore[attr-defined]
        assert cls.__slots__ == tuple(model.model_fields)
        for name, value in vars(model).items():
            if isinstance(value, property):
                assert getattr(cls, name) is value


def test_from_models_keeps_shared_references_shared() -> None:
    person = entities.Person(id="U-1")
    a = entities.Project(id="A", name="a", sponsor="U-1")
    b = entities.Project(id="B", name="b", sponsor="U-1")
    a.__dict__["sponsor"] = b.__dict__["sponsor"] = person
    people, projects = records.from_models([person], [a, b])
    assert projects[0].sponsor is projects[1].sponsor is people[0]
    assert isinstance(projects[0], records.Project) and projects[0].risks is records.EMPTY_LIST
    assert projects[0].start is None and projects[0] == projects[0] and projects[0] != projects[1]
    assert records.from_models(a)[0] == projects[0]  # like models: same class, equal fields


@pytest.mark.parametrize("change", [
    lambda v: v.append(1), lambda v: v.extend([1]), lambda v: v.__setitem__(0, 1),
    lambda v: v.insert(0, 1), lambda v: v.sort(), lambda v: v.__iadd__([1]),
])
def test_the_shared_empty_list_refuses_changes(change: Any) -> None:
    with pytest.raises(TypeError, match="shared"):
        change(records.EMPTY_LIST)
    assert records.EMPTY_LIST == [] and hash(records.EMPTY_LIST)


@pytest.mark.parametrize("change", [
    lambda v: v.__setitem__("k", 1), lambda v: v.update(k=1), lambda v: v.setdefault("k", 1),
    lambda v: v.__ior__({"k": 1}),
])
def test_the_shared_empty_map_refuses_changes(change: Any) -> None:
    with pytest.raises(TypeError, match="shared"):
        change(records.EMPTY_DICT)
    assert records.EMPTY_DICT == {}


def test_thaw_gives_each_record_its_own_custom() -> None:
    doc = records.from_models(entities.Project(id="A", name="a"),
                              entities.Project(id="B", name="b"))
    assert doc[0].custom is doc[1].custom is records.EMPTY_DICT
    records.thaw_custom([doc])
    doc[0].custom["x"] = 1
    assert doc[1].custom == {}


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=8))
_JSON = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(doc=st.dictionaries(st.sampled_from(["as_of", "projects", "people", "x"]), _JSON),
       items=st.lists(_JSON, max_size=5), indent=st.sampled_from([None, 0, 2]))
def test_streaming_equals_json_loads(doc: dict[str, Any], items: list[Any],
                                     indent: int | None) -> None:
    doc = {**doc, "projects": items}
    text = json.dumps(doc, indent=indent)
    seen: list[Any] = []
    assert load_streaming(text, "projects", lambda v: seen.append(v) or v) == json.loads(text)
    assert seen == items


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]:,"ab1 \n-.e', max_size=30))
def test_streaming_refuses_what_json_loads_refuses(text: str) -> None:
    try:
        expected: Any = json.loads(text)
    except ValueError:
        expected = ValueError
    try:
        found: Any = load_streaming(text, "a", lambda v: v)
    except ValueError:
        found = ValueError
    if isinstance(expected, dict) or expected is ValueError:
        assert found == expected
    else:  # valid JSON, but not an object: not a portfolio either
        assert found is ValueError


def test_streaming_keeps_json_loads_values_exactly() -> None:
    text = ('{"projects": [{"a": 1e400, "b": -0.0, "c": NaN, "d": 12345678901234567890123,'
            ' "e": "\\ud83d\\ude00", "f": 0.1, "a": 2}], "projects2": 1}')
    assert repr(load_streaming(text, "projects", lambda v: v)) == repr(json.loads(text))


def test_no_module_tells_entities_apart_by_their_models() -> None:
    """Rules, the graph and plugins see records: `isinstance(e, entities.Project)` is
    always false there. A module testing a model class must test the record class."""
    import ast
    from pathlib import Path

    models = {name for name, v in vars(entities).items()
              if isinstance(v, type) and issubclass(v, entities.Entity)}
    root = Path(records.__file__).resolve().parents[1]
    exact_path = {"model/entities.py", "model/resolve.py"}  # these work on the models
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if str(path.relative_to(root)) in exact_path:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {alias.asname or alias.name for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom)
                    and node.module == "pmo_rules.model.entities"
                    for alias in node.names if alias.name in models}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
                    "isinstance", "issubclass") and len(node.args) == 2:
                named = {n.id for n in ast.walk(node.args[1]) if isinstance(n, ast.Name)}
                if named & imported:
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []



def test_nested_records_left_out_are_each_records_own(tmp_path: Any) -> None:
    """The language compares entities by identity: two projects without a budget must not
    hold one and the same blank budget, or `p.budget == q.budget` would hold."""
    from pmo_rules import api

    path = tmp_path / "p.json"
    path.write_text(json.dumps({"as_of": "2026-01-01", "portfolio": {"id": "PF"}, "projects": [
        {"id": "A", "name": "a"}, {"id": "B", "name": "b"}]}))
    a, b = api.load_portfolio(path).projects
    for name in ("budget", "evm", "schedule", "health"):
        assert getattr(a, name) is not getattr(b, name)
        assert getattr(a, name) == getattr(b, name)


def test_a_blank_record_is_what_validating_an_empty_map_gives() -> None:
    """The fast path makes a nested record left out with `blank_maker`, not by validating
    `{}`: the same fields and values, for every model whose defaults it may share, and a
    new record each time."""
    from pydantic_core import SchemaValidator

    from pmo_rules.model.fast_schema import _schema

    made = 0
    for model in records.record_classes():
        make = records.blank_maker(model)
        if make is None:
            continue
        made += 1
        validated = SchemaValidator(_schema(model)).validate_python({})
        blank = make()
        assert type(blank) is type(validated) and blank == validated, model.__name__
        assert all(getattr(blank, n) is getattr(validated, n) or
                   getattr(blank, n) == getattr(validated, n) for n in type(blank).__slots__)
        assert make() is not blank
    assert made >= 4  # budget, evm, schedule, health at least


def test_no_blank_maker_where_a_default_is_made_per_record() -> None:
    """A default made by a function (a date, a count) may differ from record to record:
    such a model's blank is validated for each record, never copied from a first one."""
    import itertools

    from pydantic import Field

    from pmo_rules.model import entities

    counter = itertools.count()

    class Stamped(entities.Entity):
        seq: int = Field(default_factory=lambda: next(counter))

    assert records.blank_maker(Stamped) is None


@pytest.mark.parametrize("threads", [True, False])
def test_a_json_files_digest_is_its_sha256_with_or_without_a_thread(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch, threads: bool) -> None:
    import hashlib
    import threading

    from pmo_rules import api

    if not threads:
        def refuse(self: threading.Thread) -> None:
            raise RuntimeError("can't start new thread")

        monkeypatch.setattr(threading.Thread, "start", refuse)
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"as_of": "2026-01-01", "portfolio": {"id": "PF"},
                                "projects": [{"id": "A", "name": "a"}]}))
    loaded = api.load_portfolio(path)
    assert [s.sha256 for s in loaded.sources] == [hashlib.sha256(path.read_bytes()).hexdigest()]
