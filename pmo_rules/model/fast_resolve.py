"""Resolution on the fast load path: records in, records out, no paths, no diagnostics.

Input is the PortfolioFile record the fast validator (fast_schema.py) built: no
unknown keys anywhere, shorthands already expanded by the models' own normalisers.
The result equals what Resolver gives for the same document when it reports nothing
(tests/model/test_fast_path.py compares them field by field); at the first problem
this gives up (returns None) and the caller loads the document again through the
exact path, which reports every problem with its place.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from pmo_rules.model import entities
from pmo_rules.model.lifecycles import LifecycleRegistry
from pmo_rules.model.records import EMPTY_DICT, EMPTY_LIST, record_class
from pmo_rules.model.ref_walkers import Plan, Unresolved, compiled, walker
from pmo_rules.model.resolve import _shape

Index = dict[str, dict[str, Any]]

_new = object.__new__
_set = object.__setattr__


class _Problem(Exception):
    """Something the exact path must report."""


def _nested_model(model: type[entities.Entity], name: str) -> type[entities.Entity] | None:
    ann: Any = model.model_fields[name].annotation
    while getattr(ann, "__args__", None):
        args = [a for a in ann.__args__ if a is not type(None)]
        ann = args[-1]
    return ann if isinstance(ann, type) and issubclass(ann, entities.Entity) else None


@cache
def _plan(model: type[entities.Entity]) -> Plan:
    """How to resolve a record of `model`: nested fields that cannot hold a reference are
    never looked at."""
    refs, nested = _shape(model)
    kept = []
    for name, form in nested:
        child = _nested_model(model, name)
        if child is not None and child is not model and _holds_refs(child):
            kept.append((name, form, _plan(child)))
    return tuple(refs), tuple(kept)


@cache
def _holds_refs(model: type[entities.Entity]) -> bool:
    refs, nested = _plan(model)
    return bool(refs or nested)


def _fresh(items: list[Any], name: str) -> None:
    """Give each item its own (empty) derived list `name` to append to."""
    for item in items:
        _set(item, name, [])


class _FastResolver:
    def __init__(self, doc: Any, registry: LifecycleRegistry) -> None:
        self.doc = doc
        self.registry = registry
        self.index: Index = {}
        self.stages: dict[tuple[str, str | None], str | None] = {}
        self.flat: dict[str, list[Any]] = {}
        self.edges: list[tuple[int, int]] = []

    def table(self, kind: str, entities_: list[Any]) -> dict[str, Any]:
        table = {e.id: e for e in entities_}
        if len(table) != len(entities_):
            raise _Problem
        self.index[kind] = table
        return table

    def walk(self, records: list[Any]) -> None:
        """Resolve the references of these records (one class) and of what they nest."""
        if records:
            resolve = walker(_plan(records[0].__model__), self.index)
            for record in records:
                resolve(record)

    def run(self) -> list[Any]:
        doc = self.doc
        self.table("person", doc.people)
        self.table("objective", doc.objectives)
        self.table("program", doc.programs)
        _fresh(doc.objectives, "projects")
        _fresh(doc.programs, "projects")
        for group in ([doc.pmo], [doc.portfolio], doc.people, doc.objectives, doc.programs):
            self.walk(group)
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
        """Resolve each project's references, link its children; the projects by id."""
        by_project: dict[str, Any] = {}
        objectives = self.index["objective"]
        default_lifecycle = self.doc.portfolio.default_lifecycle
        walk = walker(_plan(entities.Project), self.index)
        stages = self.stages
        kinds = tuple(children.items())
        for p in self.doc.projects:
            by_project[p.id] = p
            walk(p)
            links = p.objectives
            p.objective_links = links
            if links:
                resolved = []
                for link in links:
                    objective = objectives.get(link.objective)
                    if objective is None:
                        raise _Problem
                    link.objective = objective
                    resolved.append(objective)
                    objective.projects.append(p)
                p.objectives = resolved
            program = p.program
            if program is not None:
                program.projects.append(p)
            for key, found in kinds:
                items = getattr(p, key)
                if items:
                    found += items
                    for item in items:
                        item.project = p
            stage = stages.get((p.lifecycle or default_lifecycle, p.phase), "")
            if stage == "":
                stage = self.lifecycle(p, default_lifecycle)
            if stage is not None:
                p.stage = stage
        if len(by_project) != len(self.doc.projects):
            raise _Problem
        self.index["project"] = by_project
        return by_project

    def lifecycle(self, p: Any, default: str) -> str | None:
        key = (p.lifecycle or default, p.phase)
        model = self.registry.get(key[0])
        if model is None:
            raise _Problem
        stage = None if key[1] is None else model.stage_of(key[1])
        if key[1] is not None and stage is None:
            raise _Problem
        self.stages[key] = stage
        return stage

    def dependencies(self, by_project: dict[str, Any], by_milestone: dict[str, Any]) -> list[Any]:
        """Declared dependencies, then each project's `depends_on` entries, in order."""
        people = self.index["person"]
        out: list[Any] = []
        seen: set[str] = set()
        # The position in `projects` of each dependency's (lifted) ends, for the graph.
        position = {ident: i for i, ident in enumerate(by_project)}
        edges = self.edges
        project_cls = record_class(entities.Project)

        def at(node: Any) -> int:
            owner: Any = node if node.__class__ is project_cls else node.project
            return position[owner.id]

        def node(ident: str) -> Any:
            found = by_project.get(ident) or by_milestone.get(ident)
            if found is None:
                raise _Problem
            return found

        for d in self.doc.dependencies:
            if d.id is None:
                d.id = f"{d.predecessor}->{d.successor}"
            d.predecessor = node(d.predecessor)
            d.successor = node(d.successor)
            self.add(d, seen, out, people)
            edge = (at(d.predecessor), at(d.successor))
            if edge[0] == edge[1] and project_cls in (d.predecessor.__class__,
                                                      d.successor.__class__):
                raise _Problem  # a project linked with its own milestone: the exact path warns
            edges.append(edge)
        make = _dependency_maker()
        append, add_edge = out.append, edges.append
        for i, p in enumerate(self.doc.projects):
            entries = p.depends_on
            if not entries:
                continue
            successor = p.id
            for entry in entries:
                ident = entry.id
                pred = by_project.get(ident) or by_milestone.get(ident)
                if pred is None or pred is p:
                    raise _Problem
                entry.id = pred.id  # the same text: one string, not a copy per entry
                a = position.get(ident)
                if a is None:
                    a = at(pred)
                    if a == i:
                        raise _Problem  # its own milestone: the exact path warns
                dep_id = f"{ident}->{successor}"
                if dep_id in seen:
                    raise _Problem
                seen.add(dep_id)
                owner = entry.owner
                if owner is not None:
                    owner = people.get(owner)
                    if owner is None:
                        raise _Problem
                    entry.owner = owner.id  # as for `id` above
                append(make(entry, dep_id, pred, p, owner))
                add_edge((a, i))
        return out

    @staticmethod
    def add(d: Any, seen: set[str], out: list[Any], people: dict[str, Any]) -> None:
        if d.id in seen or d.predecessor is d.successor:
            raise _Problem
        seen.add(d.id)
        if d.owner is not None:
            owner = people.get(d.owner)
            if owner is None:
                raise _Problem
            d.owner = owner
        out.append(d)


@cache
def _dependency_maker() -> Any:
    """A function making the Dependency record of one `depends_on` entry."""
    own = ("id", "owner", "custom", "predecessor", "successor")
    shared = [name for name in entities.DependsOn.model_fields
              if name in entities.Dependency.model_fields and name not in own]
    missing = [name for name in entities.Dependency.model_fields
               if name not in shared and name not in own]
    if missing != []:  # a Dependency field a depends_on entry cannot give: keep in step
        raise TypeError(f"Dependency fields without a depends_on counterpart: {missing}")
    # One plain attribute copy per field: 120k of them at 100k projects on a dense graph.
    source = "\n".join([
        "def factory(new, cls):",
        "    def make(entry, dep_id, pred, succ, owner):",
        "        d = new(cls)",
        *(f"        d.{name} = entry.{name}" for name in shared),
        "        d.id = dep_id",
        "        d.predecessor = pred",
        "        d.successor = succ",
        "        d.owner = owner",
        "        custom = entry.custom",
        "        d.custom = dict(custom) if custom else custom",
        "        return d",
        "    return make",
    ]) + "\n"
    return compiled(source)(_new, record_class(entities.Dependency))


class Resolved(NamedTuple):
    """What the fast path adds to the document's own records."""

    dependencies: list[Any]
    tables: Index  # id tables by kind
    children: dict[str, list[Any]]  # every project's milestones, risks, issues, allocations
    project_edges: list[tuple[int, int]]  # per dependency: its projects' positions


def fast_resolve(doc: Any, registry: LifecycleRegistry) -> Resolved | None:
    """Resolve `doc` in place; None at the first problem (then `doc` is spoilt: discard it)."""
    resolver = _FastResolver(doc, registry)
    try:
        dependencies = resolver.run()
    except (_Problem, Unresolved):
        return None
    return Resolved(dependencies, resolver.index, resolver.flat, resolver.edges)


__all__ = ["EMPTY_DICT", "EMPTY_LIST", "Resolved", "fast_resolve"]
