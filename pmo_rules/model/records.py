"""Entity records: what rules, the graph and plugins read, one slotted class per model.

The pydantic models of entities.py are the contract: they validate input, give the
JSON Schema and the data dictionary, and (on the exact load path) report every data
problem with its place. Evaluation does not need a model per entity, and at 100k
projects a model per entity costs gigabytes, so rules run on records: for every model
class a record class of the same name with the same fields (one slot each) and the
same derived properties (`Project.start`, `Risk.score`, `Evm.cpi`...), built straight
from validated input (fast_schema.py) or from validated models (`from_models`).

A record has no `__dict__`, no fields-set and no extras: unknown keys are under
`custom`, as on the models after resolution. Code telling entities apart tests the
record classes (`isinstance(e, records.Milestone)`), not the models. Lists and maps the
input left out are
shared, read-only empties (`EMPTY_LIST`, `EMPTY_DICT`): a record is read, not edited,
once loaded; `thaw_custom` gives entities their own `custom` map where a plugin adds
derived data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, NoReturn

from pydantic import BaseModel

from pmo_rules.model import entities

__all__ = [
    "EMPTY_DICT",
    "EMPTY_LIST",
    "Allocation",
    "Artifact",
    "Assumption",
    "Benefit",
    "Budget",
    "ChangeRequest",
    "Condition",
    "Decision",
    "Dependency",
    "DependsOn",
    "Evm",
    "FrozenDict",
    "FrozenList",
    "Gate",
    "Health",
    "Issue",
    "Kpi",
    "Milestone",
    "Objective",
    "ObjectiveLink",
    "Person",
    "Pmo",
    "Portfolio",
    "PortfolioFile",
    "Program",
    "Project",
    "ReadOnlyList",
    "Record",
    "Risk",
    "Schedule",
    "blank_maker",
    "default_of",
    "from_models",
    "record_class",
    "record_classes",
    "thaw_custom",
]


_SHARED_EMPTY = ("this empty list or map is shared by every record that left it out; "
                 "assign a new one instead of changing it")


def _read_only(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError(self.refusal)


class ReadOnlyList(list[Any]):
    """A list that refuses changes, read by many owners at once; `refusal` says why."""

    __slots__ = ()
    refusal = "this list is read-only"
    append = extend = insert = remove = pop = clear = sort = reverse = _read_only
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only


class FrozenList(ReadOnlyList):
    """An empty list that refuses changes; hashable by identity, so that pydantic-core
    shares it as a default instead of copying it for every record."""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]
    refusal = _SHARED_EMPTY


class FrozenDict(dict[str, Any]):
    """An empty map that refuses changes (see FrozenList)."""

    __slots__ = ()
    __hash__ = object.__hash__  # type: ignore[assignment]
    refusal = _SHARED_EMPTY
    __setitem__ = __delitem__ = __ior__ = _read_only
    setdefault = pop = popitem = clear = update = _read_only


EMPTY_LIST: list[Any] = FrozenList()
EMPTY_DICT: dict[str, Any] = FrozenDict()


class Record:
    """Base of every record class.

    In Python a record compares like the model it mirrors (same class, equal fields) and,
    like a model, is not hashable; the language compares entities by identity itself
    (engine/runtime.py `same`), never through this.
    """

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]

    @classmethod
    def construct(cls, **values: Any) -> Any:
        """A record holding `values`, its other fields at their defaults; like the models'
        `model_construct`, nothing is validated (for code that makes records by hand)."""
        model = cls.__model__  # type: ignore[attr-defined]
        obj = cls.__new__(cls)
        for name in model.model_fields:
            value = values.pop(name) if name in values else default_of(model, name)
            object.__setattr__(obj, name, value)
        if values:
            raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(values))}")
        return obj

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if type(other) is not type(self):
            return NotImplemented
        names: tuple[str, ...] = type(self).__slots__
        return all(getattr(self, name) == getattr(other, name) for name in names)

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        if isinstance(ident, str):
            return f"{type(self).__name__}(id={ident!r})"
        names: tuple[str, ...] = type(self).__slots__
        shown = ", ".join(f"{name}={getattr(self, name, None)!r}" for name in names
                          if getattr(self, name, None) not in (None, EMPTY_LIST, EMPTY_DICT))
        return f"{type(self).__name__}({shown})"


def _models() -> list[type[entities.Entity]]:
    return [value for value in vars(entities).values()
            if isinstance(value, type) and issubclass(value, entities.Entity)]


def _derived(model: type[entities.Entity]) -> dict[str, Any]:
    """The model's own properties and methods (entities.py), for its record to share."""
    out: dict[str, Any] = {}
    for cls in reversed(model.__mro__):
        if cls is entities.Entity or not (isinstance(cls, type)
                                          and issubclass(cls, entities.Entity)):
            continue
        for name, value in vars(cls).items():
            if isinstance(value, property) or (
                    callable(value) and not name.startswith("_") and not name.startswith("model_")):
                out[name] = value
    return out


@cache
def record_class(model: type[entities.Entity]) -> type[Record]:
    """The record class of a model class (made once per process)."""
    fields = tuple(model.model_fields)
    namespace: dict[str, Any] = {
        "__slots__": fields, "__module__": __name__, "__qualname__": model.__name__,
        "__doc__": model.__doc__, "__model__": model, **_derived(model),
    }
    cls: type[Record] = type(model.__name__, (Record,), namespace)
    return cls


@cache
def record_classes() -> dict[type[entities.Entity], type[Record]]:
    """Every model class of entities.py and its record class."""
    return {model: record_class(model) for model in _models()}


def default_of(model: type[entities.Entity], name: str) -> Any:
    """The value a record holds for a field its input left out (lists and maps shared)."""
    info = model.model_fields[name]
    factory = info.default_factory
    if factory is None:
        return info.default
    if factory is list:
        return EMPTY_LIST
    if factory is dict:
        return EMPTY_DICT
    if isinstance(factory, type) and issubclass(factory, entities.Entity):
        return _blank(factory)
    return factory()  # type: ignore[call-arg]


def _blank(model: type[entities.Entity]) -> Record:
    """A record of `model` with every field at its default (a nested record left out)."""
    blank: Record = record_class(model).construct()
    return blank


# Defaults a blank record may share with every other: values that cannot change.
_SHARED_DEFAULTS = (type(None), bool, int, float, str, dt.date, dt.timedelta)


@cache
def blank_maker(model: type[entities.Entity]) -> Callable[[], Record] | None:
    """A function making a new record of `model` with every field at its default, each
    call its own record (the language tells records apart by identity); None where a
    default is a value that could change, or is made by a function that may give each
    record its own (validation then makes each record's).

    For the fast load path: most projects leave a nested record out (`evm`), and
    validating an empty map for each costs more than setting the defaults."""
    for info in model.model_fields.values():
        if info.default_factory not in (None, list, dict):
            return None  # a factory may give each record its own value (a date, a count)
    blank = _blank(model)
    cls = type(blank)
    names: tuple[str, ...] = cls.__slots__
    values = [getattr(blank, name) for name in names]
    if not all(type(v) in _SHARED_DEFAULTS or v is EMPTY_LIST or v is EMPTY_DICT
               for v in values):
        return None
    # One statement per field, not a loop over them: a third of the time (the same
    # approach as ref_walkers.py). The text holds only slot names, never values.
    source = "def make():\n    r = new(cls)\n" + "".join(
        f"    r.{name} = v{i}\n" for i, name in enumerate(names)) + "    return r\n"
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls,
                                 **{f"v{i}": v for i, v in enumerate(values)}}
    exec(compile(source, f"<pmo_rules.model.records blank {cls.__name__}>", "exec"),
         namespace)
    make: Callable[[], Record] = namespace["make"]
    return make


def from_models(*roots: Any) -> list[Any]:
    """Records for validated models (and lists and maps of them), the same object always
    becoming the same record, so resolved references stay shared; other values as they are."""
    memo: dict[int, Any] = {}
    return [_convert(root, memo) for root in roots]


def _convert(value: Any, memo: dict[int, Any]) -> Any:
    if isinstance(value, Record):
        return value
    if isinstance(value, BaseModel):
        found = memo.get(id(value))
        if found is not None:
            return found
        model = type(value)
        cls = record_classes().get(model)  # type: ignore[arg-type]
        if cls is None:
            return value
        obj = cls.__new__(cls)
        memo[id(value)] = obj
        values = value.__dict__
        for name in model.model_fields:
            item = values.get(name)
            object.__setattr__(obj, name, _convert_field(model, name, item, memo))
        return obj
    if isinstance(value, list):
        return [_convert(item, memo) for item in value]
    if isinstance(value, dict):
        return {key: _convert(item, memo) for key, item in value.items()}
    return value


def _convert_field(model: type[BaseModel], name: str, value: Any, memo: dict[int, Any]) -> Any:
    if (value == [] and isinstance(value, list)) or (value == {} and isinstance(value, dict)):
        return EMPTY_LIST if isinstance(value, list) else EMPTY_DICT
    return _convert(value, memo)


def thaw_custom(groups: Iterable[Iterable[Any]]) -> None:
    """Give every record in `groups` a `custom` map of its own, for plugins to add to."""
    for group in groups:
        for record in group:
            if record.custom is EMPTY_DICT:
                record.custom = {}


if TYPE_CHECKING:  # mypy reads records as the models they mirror (same fields, same types)
    from pmo_rules.model.entities import (
        Allocation,
        Artifact,
        Assumption,
        Benefit,
        Budget,
        ChangeRequest,
        Condition,
        Decision,
        Dependency,
        DependsOn,
        Evm,
        Gate,
        Health,
        Issue,
        Kpi,
        Milestone,
        Objective,
        ObjectiveLink,
        Person,
        Pmo,
        Portfolio,
        PortfolioFile,
        Program,
        Project,
        Risk,
        Schedule,
    )
else:  # one record class per model, under the model's name
    globals().update({model.__name__: record_class(model) for model in _models()
                      if model is not entities.Entity})
