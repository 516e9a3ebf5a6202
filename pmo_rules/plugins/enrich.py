"""The enrichment hook (`pmo_rules_portfolio_loaded`), held to the data model.

Each plugin's hook receives the loaded portfolio to add derived data (under an
entity's `custom`, which takes anything). Afterwards, everything else it changed
is checked against the data model: a field set to a value of the wrong type
(`tier` to text), a resolved reference replaced by something else, a field
deleted. If anything is wrong, or the hook raised or ran out of time, every
change that plugin made is undone and the plugin is recorded as failed with the
reason, so no rule sees a portfolio the loader would have refused. The check
costs a pass over the portfolio per plugin implementing the hook, and nothing
when none does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from pmo_rules.model.entities import Ref
from pmo_rules.model.records import FrozenDict, FrozenList, Record, thaw_custom
from pmo_rules.plugins import guard
from pmo_rules.plugins.manager import PluginFailure, Plugins

HOOK = "pmo_rules_portfolio_loaded"
_ABSENT = object()
# What a plugin may change freely: its own derived data.
_FREE = frozenset({"custom"})


@dataclass
class _Snapshot:
    """The shallow state of every object of the portfolio, to compare and restore."""

    objects: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    containers: list[tuple[Any, Any]] = field(default_factory=list)  # (list or dict, its copy)


def enrich(plugins: Plugins, portfolio: Any) -> None:
    """Run every plugin's enrichment hook on `portfolio`; undo and record a bad one."""
    hooks = list(plugins.hook_functions(HOOK))
    if hooks:  # entities share one read-only empty `custom` until a plugin may add to it
        thaw_custom([portfolio.people, portfolio.objectives, portfolio.programs,
                     portfolio.projects, portfolio.milestones, portfolio.risks,
                     portfolio.issues, portfolio.dependencies])
    for name, function in hooks:
        snapshot = _take(portfolio)
        try:
            guard.call(name, f"hook {HOOK}", function, portfolio=portfolio)
            problem = _changed_badly(snapshot)
        except guard.PluginError as exc:
            problem = exc.reason
        if problem is not None:
            _restore(snapshot)
            plugins.failures.append(PluginFailure(
                name, plugins.versions.get(name), f"{problem}; its changes were undone", HOOK))


def _objects(portfolio: Any) -> Iterator[Any]:
    """The portfolio object and every model reachable from it, each once."""
    seen: set[int] = set()
    stack: list[Any] = [portfolio]
    while stack:
        value = stack.pop()
        if isinstance(value, list | tuple | dict):
            items = value.values() if isinstance(value, dict) else value
            stack.extend(v for v in items if isinstance(v, _WALKED))
            continue
        if id(value) in seen:
            continue
        seen.add(id(value))
        yield value
        stack.extend(v for v in _state(value).values() if isinstance(v, _WALKED))


_WALKED = (list, tuple, dict, Record, BaseModel)


def _state(obj: Any) -> dict[str, Any]:
    """An object's fields and their values (a record's unset slot is left out)."""
    if isinstance(obj, Record):
        names: tuple[str, ...] = type(obj).__slots__
        return {name: getattr(obj, name) for name in names if hasattr(obj, name)}
    return dict(vars(obj))


def _take(portfolio: Any) -> _Snapshot:
    snapshot = _Snapshot()
    for obj in _objects(portfolio):
        state = _state(obj)
        snapshot.objects.append((obj, state))
        for key, value in state.items():
            if key not in _FREE and isinstance(value, list | dict) and not isinstance(
                    value, FrozenList | FrozenDict):  # the shared empties cannot change
                snapshot.containers.append((value, value.copy()))
    return snapshot


def _restore(snapshot: _Snapshot) -> None:
    for container, copy in snapshot.containers:
        if isinstance(container, list):
            container[:] = copy
        else:
            container.clear()
            container.update(copy)
    for obj, state in snapshot.objects:
        if isinstance(obj, Record):  # slots: nothing to delete, every field to set back
            for key, value in state.items():
                object.__setattr__(obj, key, value)
            continue
        current = vars(obj)
        for key in [k for k in current if k not in state]:
            del current[key]
        current.update(state)


def _changed_badly(snapshot: _Snapshot) -> str | None:
    """What the hook changed that the data model does not allow, in words; else None."""
    before = {id(c): copy for c, copy in snapshot.containers if not _same_items(c, copy)}
    known = {id(obj) for obj, _ in snapshot.objects}
    for obj, state in snapshot.objects:
        current = _state(obj)
        for key, old in state.items():
            if key in _FREE:
                continue
            new = current.get(key, _ABSENT)
            if new is _ABSENT:
                return f"deleted `{key}` of {_label(obj)}"
            if new is old and id(new) not in before:
                continue
            why = _invalid(obj, key, before.get(id(old), old), new, known)
            if why is not None:
                return f"set `{key}` of {_label(obj)} to {guard.shown(new, 40)}: {why}"
    return None


def _same_items(container: Any, copy: Any) -> bool:
    if isinstance(container, list):
        return len(container) == len(copy) and all(a is b for a, b in zip(container, copy,
                                                                          strict=True))
    return container.keys() == copy.keys() and all(container[k] is copy[k] for k in copy)


def _invalid(obj: Any, key: str, old: Any, new: Any, known: set[int]) -> str | None:
    """Why `new` may not replace `old` (its value before the hook) as `key` of `obj`."""
    fields = _model(obj).model_fields if _model(obj) is not None else {}
    info = fields.get(key)
    refers = next((m.kinds for m in info.metadata if isinstance(m, Ref)), None) \
        if info is not None else None
    if refers is not None:  # resolved: entities the portfolio already holds, of these kinds
        items = new if isinstance(new, list) else [new]
        if isinstance(new, list) == isinstance(old, list) and all(
                v is None or (id(v) in known and type(v).__name__.lower() in refers)
                for v in items):
            return None
        return f"expected {'a list of ' if isinstance(old, list) else ''}" \
               f"{' or '.join(refers)} of this portfolio"
    if info is not None:
        adapter = _adapter(_model(obj), key)
        try:
            adapter.validate_python(new, strict=True)
            return None
        except ValidationError as exc:
            if _fits(adapter, old):  # the field holds plain values: the model says no
                return str(exc.errors(include_url=False)[0]["msg"]).lower()
    # A derived value, or a field the model holds in resolved form: the new value must be
    # of the kind the loader put there, and entities ones the portfolio already holds.
    values: Iterable[Any] = new if isinstance(new, list) else (
        new.values() if isinstance(new, dict) else [new])
    if any(isinstance(v, Record | BaseModel) and id(v) not in known for v in values):
        return "expected entities this portfolio already holds"
    return None if _same_kind(old, new) else f"expected {_kind(old)}"


_ADAPTERS: dict[tuple[type, str], TypeAdapter[Any]] = {}


def _adapter(cls: type, key: str) -> TypeAdapter[Any]:
    """A validator for one field of a model class (built once per field)."""
    found = _ADAPTERS.get((cls, key))
    if found is None:
        found = TypeAdapter(cls.model_fields[key].rebuild_annotation())  # type: ignore[attr-defined]
        _ADAPTERS[(cls, key)] = found
    return found


def _fits(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value, strict=True)
    except ValidationError:
        return False
    return True


def _same_kind(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is new or (new is not None and not isinstance(new, list | dict))
    if isinstance(old, list | tuple):
        kinds = {type(v) for v in old}
        return isinstance(new, type(old)) and all(not kinds or type(v) in kinds for v in new)
    if isinstance(old, dict):
        kinds = {type(v) for v in old.values()}
        return isinstance(new, dict) and all(not kinds or type(v) in kinds
                                             for v in new.values())
    return type(new) is type(old) or (isinstance(old, float | int) and not isinstance(
        old, bool) and isinstance(new, float | int) and not isinstance(new, bool))


def _kind(value: Any) -> str:
    return "a list" if isinstance(value, list) else type(value).__name__


def _model(obj: Any) -> Any:
    """The pydantic model of a record (or the model class of a model); None otherwise."""
    if isinstance(obj, Record):
        return type(obj).__model__  # type: ignore[attr-defined]
    return type(obj) if isinstance(obj, BaseModel) else None


def _label(obj: Any) -> str:
    ident = getattr(obj, "id", None)
    kind = type(obj).__name__.lower()
    return f"{kind} `{ident}`" if isinstance(ident, str) else f"the {kind}"
