"""Resolution on the fast load path: no paths, no diagnostics, and shorthands expanded here.

Input is a PortfolioFile the fast validator (fast_schema.py) accepted: no
unknown keys anywhere, and shorthand values still as written. The result equals
what Resolver gives for the same document when it reports nothing; at the
first problem this gives up (returns None) and the caller loads the document
again through the exact path, which reports every problem with its place.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from pydantic import BaseModel, BeforeValidator, ValidationError

from pmo_rules.model.entities import (
    Dependency,
    DependsOn,
    Entity,
    Health,
    ObjectiveLink,
    PortfolioFile,
    Project,
)
from pmo_rules.model.fast_schema import keyed_shorthand
from pmo_rules.model.lifecycles import LifecycleRegistry
from pmo_rules.model.resolve import _shape

_new = object.__new__
_set = object.__setattr__
# BaseModel's slots, set through their descriptors: what model_construct does, minus its checks.
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__

Index = dict[str, dict[str, Any]]


class _Problem(Exception):
    """Something the exact path must report."""


def _clone(proto: BaseModel, changes: dict[str, Any], fields_set: set[str]) -> Any:
    """A copy of a validated scalar-only model with `changes`, skipping re-validation."""
    obj = _new(proto.__class__)
    values = proto.__dict__.copy()
    values["custom"] = {}
    if changes:
        values.update(changes)
    _set(obj, "__dict__", values)
    _set_fields_set(obj, fields_set)
    _set_extra(obj, {})
    _set_private(obj, None)
    return obj


def _make(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> Any:
    """An instance of `cls` holding `values` (every field, in declaration order)."""
    obj = _new(cls)
    _set(obj, "__dict__", values)
    _set_fields_set(obj, fields_set)
    _set_extra(obj, {})
    _set_private(obj, None)
    return obj


@cache
def _keyed_fields() -> tuple[tuple[str, type[Entity], str, str], ...]:
    """Project's keyed maps: (field, item model, key, short field)."""
    out = []
    for name, info in Project.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, BeforeValidator):
                keyed = keyed_shorthand(meta.func)
                if keyed is not None:
                    item = info.annotation.__args__[1]  # type: ignore[union-attr]
                    out.append((name, item, *keyed))
    return tuple(out)


# Per model class: the fields worth a look, its reference fields (name -> kind, is a list)
# and its nested fields that hold references somewhere (name -> form, the nested plan).
Plan = tuple[frozenset[str], dict[str, tuple[str, bool]], dict[str, tuple[str, Any]]]


@cache
def _plan(cls: type[BaseModel]) -> Plan:
    """How to resolve a `cls`: only fields the input gave (its fields set) can hold a
    reference, so a record whose fields set misses them all is skipped outright."""
    refs, nested = _shape(cls)
    kept: dict[str, tuple[str, Any]] = {}
    for name, form in nested:
        model = _nested_model(cls, name)
        if model is not None and _holds_refs(model):
            kept[name] = (form, _plan(model))
    ref_map = {name: (kind, is_list) for name, kind, is_list in refs}
    return frozenset([*ref_map, *kept]), ref_map, kept


def _nested_model(cls: type[BaseModel], name: str) -> type[BaseModel] | None:
    ann: Any = cls.model_fields[name].annotation
    while getattr(ann, "__args__", None):
        args = [a for a in ann.__args__ if a is not type(None)]
        ann = args[-1]
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


@cache
def _holds_refs(cls: type[BaseModel]) -> bool:
    refs, nested = _shape(cls)
    if refs:
        return True
    return any((m := _nested_model(cls, name)) is not None and m is not cls and _holds_refs(m)
               for name, _ in nested)


class _FastResolver:
    def __init__(self, doc: PortfolioFile, registry: LifecycleRegistry) -> None:
        self.doc = doc
        self.registry = registry
        self.index: Index = {}
        self.protos: dict[Any, BaseModel] = {}
        self.stages: dict[tuple[str, str | None], str | None] = {}
        self.flat: dict[str, list[Any]] = {}
        self.edges: list[tuple[int, int]] = []

    def proto(self, cls: type[BaseModel], data: dict[str, Any]) -> BaseModel:
        key = (cls, *data.items())
        found = self.protos.get(key)
        if found is None:
            try:
                found = cls.model_validate(data)
            except ValidationError:
                raise _Problem from None
            self.protos[key] = found
        return found

    def table(self, kind: str, entities: list[Any]) -> dict[str, Any]:
        table = {e.id: e for e in entities}
        if len(table) != len(entities):
            raise _Problem
        self.index[kind] = table
        return table

    def walk(self, obj: BaseModel) -> None:
        """Resolve the references of `obj` and of the models it nests, in place."""
        self._walk(obj.__dict__, obj.__pydantic_fields_set__, _plan(obj.__class__))

    def _walk(self, values: dict[str, Any], fields_set: set[str], plan: Plan) -> None:
        look, refs, nested = plan
        index = self.index
        for name in look.intersection(fields_set):
            value = values[name]
            if value is None:
                continue
            ref = refs.get(name)
            if ref is not None:
                table = index[ref[0]]
                if ref[1]:
                    out = []
                    for v in value:
                        found = table.get(v)
                        if found is None:
                            raise _Problem
                        out.append(found)
                    values[name] = out
                else:
                    found = table.get(value)
                    if found is None:
                        raise _Problem
                    values[name] = found
                continue
            form, child = nested[name]
            items = [value] if form == "one" else value.values() if form == "dict" else value
            child_look = child[0]
            for item in items:
                item_set = item.__pydantic_fields_set__
                # Most nested records name nobody: skip them without a call.
                if not child_look.isdisjoint(item_set):
                    self._walk(item.__dict__, item_set, child)

    def run(self) -> list[Dependency]:
        doc = self.doc
        self.table("person", doc.people)
        self.table("objective", doc.objectives)
        self.table("program", doc.programs)
        self.walk(doc.pmo)
        self.walk(doc.portfolio)
        for group in (doc.people, doc.objectives, doc.programs):
            for entity in group:
                self.walk(entity)
        # One pass over the projects collects their children too: at 100k projects
        # every extra pass costs a tenth of a second in cache misses alone.
        children: dict[str, list[Any]] = {"milestones": [], "risks": [], "issues": [],
                                          "allocations": []}
        by_project = self.projects(children)
        self.flat = children
        by_milestone = self.table("milestone", children["milestones"])
        self.table("risk", children["risks"])
        self.table("issue", children["issues"])
        if not by_milestone.keys().isdisjoint(by_project):
            raise _Problem
        return self.dependencies(by_project, by_milestone)

    def projects(self, children: dict[str, list[Any]]) -> dict[str, Any]:
        """Expand each project's shorthands, resolve its references, link its children;
        the table of projects by id."""
        by_project: dict[str, Any] = {}
        objectives = self.index["objective"]
        keyed = _keyed_fields()
        default_lifecycle = self.doc.portfolio.default_lifecycle
        link_proto = self.proto(ObjectiveLink, {"id": ""})
        walk = self.walk
        stages = self.stages
        healths: dict[str, BaseModel] = {}
        shorts: dict[tuple[str, str, str], BaseModel] = {}
        for p in self.doc.projects:
            values = p.__dict__
            by_project[values["id"]] = p
            health = values["health"]
            if health.__class__ is str:
                proto = healths.get(health)
                if proto is None:
                    proto = healths[health] = self.proto(Health, {"overall": health})
                values["health"] = _clone(proto, {}, {"overall"})
            for name, item_cls, key, short in keyed:
                mapping = values[name]
                if not mapping:
                    continue
                for item_name, item in mapping.items():
                    if item.__class__ is str:
                        proto = shorts.get((name, item_name, item))
                        if proto is None:
                            proto = shorts[name, item_name, item] = self.proto(
                                item_cls, {key: item_name, short: item})
                        mapping[item_name] = _clone(proto, {}, {key, short})
                    elif item.__dict__[key] is None:
                        item.__dict__[key] = item_name
                        item.__pydantic_fields_set__.add(key)
            walk(p)
            links = values["objectives"]
            if links:
                resolved = []
                for j, link in enumerate(links):
                    if link.__class__ is str:
                        link = links[j] = _clone(link_proto, {"objective": link}, {"objective"})
                    objective = objectives.get(link.__dict__["objective"])
                    if objective is None:
                        raise _Problem
                    link.__dict__["objective"] = objective
                    resolved.append(objective)
                    objective.__dict__["projects"].append(p)
                values["objective_links"] = links
                values["objectives"] = resolved
            else:
                values["objective_links"] = links
                values["objectives"] = []
            program = values["program"]
            if program is not None:
                program.__dict__["projects"].append(p)
            for key, found in children.items():
                items = values[key]
                if items:
                    found += items
                    for item in items:
                        item.__dict__["project"] = p
            stage = stages.get((values["lifecycle"] or default_lifecycle, values["phase"]), "")
            if stage == "":
                self.lifecycle(p, values, default_lifecycle)
            elif stage is not None:
                values["stage"] = stage
        if len(by_project) != len(self.doc.projects):
            raise _Problem
        self.index["project"] = by_project
        return by_project

    def lifecycle(self, p: Project, values: dict[str, Any], default: str) -> None:
        key = (values["lifecycle"] or default, values["phase"])
        if key in self.stages:
            stage = self.stages[key]
        else:
            model = self.registry.get(key[0])
            if model is None:
                raise _Problem
            stage = None if key[1] is None else model.stage_of(key[1])
            if key[1] is not None and stage is None:
                raise _Problem
            self.stages[key] = stage
        if stage is not None:
            values["stage"] = stage

    def dependencies(
        self, by_project: dict[str, Any], by_milestone: dict[str, Any]
    ) -> list[Dependency]:
        """Declared dependencies, then each project's `depends_on` entries, in order."""
        people = self.index["person"]
        out: list[Dependency] = []
        seen: set[str] = set()
        # The position in `projects` of each dependency's (lifted) ends, for the graph.
        position = {ident: i for i, ident in enumerate(by_project)}
        edges = self.edges

        def at(node: Any) -> int:
            owner = node if node.__class__ is Project else node.__dict__["project"]
            return position[owner.__dict__["id"]]

        for d in self.doc.dependencies:
            values = d.__dict__
            if values["id"] is None:
                values["id"] = f"{values['predecessor']}->{values['successor']}"
            values["predecessor"] = self.node(values["predecessor"], by_project, by_milestone)
            values["successor"] = self.node(values["successor"], by_project, by_milestone)
            self.add(d, values, seen, out, people)
            edge = (at(values["predecessor"]), at(values["successor"]))
            ends = (values["predecessor"].__class__, values["successor"].__class__)
            if edge[0] == edge[1] and Project in ends:
                raise _Problem  # a project linked with its own milestone: the exact path warns
            edges.append(edge)
        entry_template = self.proto(DependsOn, {"id": ""}).__dict__
        dep_template = self.proto(Dependency, {"predecessor": "", "successor": ""}).__dict__
        dep_fields = ("name", "title", "type", "lag_days", "kind", "status", "owner")
        # Bound once: this loop runs once per dependency (hundreds of thousands).
        new, set_, append = _new, _set, out.append
        set_fields_set, set_extra, set_private = _set_fields_set, _set_extra, _set_private
        add_edge = edges.append
        for i, p in enumerate(self.doc.projects):
            entries = p.__dict__["depends_on"]
            successor = p.__dict__["id"]
            for j, entry in enumerate(entries):
                if entry.__class__ is str:
                    # The common shorthand, built directly: `depends_on: [P-1]`.
                    pred = by_project.get(entry) or by_milestone.get(entry)
                    if pred is None or pred is p:
                        raise _Problem
                    a = position.get(entry)
                    if a is None and at(pred) == i:
                        raise _Problem  # its own milestone: the exact path warns
                    add_edge((at(pred) if a is None else a, i))
                    values = entry_template.copy()
                    values["custom"] = {}
                    values["id"] = entry
                    entry_obj = entries[j] = new(DependsOn)
                    set_(entry_obj, "__dict__", values)
                    set_fields_set(entry_obj, {"id"})
                    set_extra(entry_obj, {})
                    set_private(entry_obj, None)
                    dep_id = f"{entry}->{successor}"
                    if dep_id in seen:
                        raise _Problem
                    seen.add(dep_id)
                    values = dep_template.copy()
                    values["custom"] = {}
                    values["id"] = dep_id
                    values["predecessor"] = pred
                    values["successor"] = p
                    made = new(Dependency)
                    set_(made, "__dict__", values)
                    set_fields_set(made, {"predecessor", "successor"})
                    set_extra(made, {})
                    set_private(made, None)
                    append(made)
                    continue
                values = entry.__dict__
                fields_set = {"predecessor", "successor"}
                fields_set.update(f for f in entry.__pydantic_fields_set__ if f in dep_fields)
                record = {**dep_template, **{f: values[f] for f in dep_fields}}
                record["custom"] = {}
                if values["custom"]:
                    record["custom"] = dict(values["custom"])
                    fields_set.add("custom")
                record["id"] = f"{values['id']}->{successor}"
                record["predecessor"] = self.node(values["id"], by_project, by_milestone)
                record["successor"] = p
                d = _make(Dependency, record, fields_set)
                self.add(d, record, seen, out, people)
                add_edge((at(record["predecessor"]), i))
        return out

    @staticmethod
    def node(ident: str, by_project: dict[str, Any], by_milestone: dict[str, Any]) -> Any:
        found = by_project.get(ident) or by_milestone.get(ident)
        if found is None:
            raise _Problem
        return found

    @staticmethod
    def add(d: Dependency, values: dict[str, Any], seen: set[str], out: list[Dependency],
            people: dict[str, Any]) -> None:
        if values["id"] in seen or values["predecessor"] is values["successor"]:
            raise _Problem
        seen.add(values["id"])
        owner = values["owner"]
        if owner is not None:
            values["owner"] = people.get(owner)
            if values["owner"] is None:
                raise _Problem
        out.append(d)


class Resolved(NamedTuple):
    """What the fast path adds to the document's own entities."""

    dependencies: list[Dependency]
    tables: Index  # id tables by kind
    children: dict[str, list[Any]]  # every project's milestones, risks and issues
    project_edges: list[tuple[int, int]]  # per dependency: its projects' positions


def fast_resolve(doc: PortfolioFile, registry: LifecycleRegistry) -> Resolved | None:
    """Resolve `doc` in place; None at the first problem (then `doc` is spoilt: discard it)."""
    resolver = _FastResolver(doc, registry)
    try:
        dependencies = resolver.run()
    except _Problem:
        return None
    return Resolved(dependencies, resolver.index, resolver.flat, resolver.edges)

