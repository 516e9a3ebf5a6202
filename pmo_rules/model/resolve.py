"""Resolution: ids replaced by entities, unknown keys moved under `custom`, lifecycles applied.

Input is a validated PortfolioFile; output the lists a LoadedPortfolio holds, plus
every problem found (duplicate ids, unknown references, self-dependencies,
phases the lifecycle lacks) as diagnostics.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from pmo_rules.diagnostics import Diagnostic, did_you_mean
from pmo_rules.limits import MAX_SUGGESTIONS
from pmo_rules.model import errors as E
from pmo_rules.model.entities import (
    Dependency,
    Derived,
    Entity,
    Milestone,
    PortfolioFile,
    Project,
    Ref,
)
from pmo_rules.model.lifecycles import LifecycleRegistry
from pmo_rules.model.locate import Locator, format_path
from pmo_rules.model.sources import DocPath

_DEPENDENCIES = TypeAdapter(list[Dependency])


@cache
def _shape(cls: type[BaseModel]) -> tuple[list[tuple[str, str, bool]], list[tuple[str, str]]]:
    """Per model class: its reference fields (name, kind, is_list) and nested-model fields."""
    refs: list[tuple[str, str, bool]] = []
    nested: list[tuple[str, str]] = []
    hints = typing.get_type_hints(cls)
    for name, info in cls.model_fields.items():
        if any(isinstance(m, Derived) for m in info.metadata):
            continue
        if cls is Project and name in ("objectives", "depends_on"):
            continue  # resolved by Resolver._project and Resolver._dependencies
        ref = next((m for m in info.metadata if isinstance(m, Ref)), None)
        ann = hints[name]
        is_list = typing.get_origin(_strip(ann)) is list
        if ref is not None and len(ref.kinds) == 1:
            refs.append((name, ref.kinds[0], is_list))
            continue
        inner = _strip(ann)
        args = typing.get_args(inner)
        origin = typing.get_origin(inner)
        if origin is list and args and _is_model(args[0]):
            nested.append((name, "list"))
        elif origin is dict and len(args) == 2 and _is_model(args[1]):
            nested.append((name, "dict"))
        elif _is_model(inner):
            nested.append((name, "one"))
    return refs, nested


def _strip(ann: Any) -> Any:
    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if typing.get_origin(ann) in (typing.Union, types.UnionType) and len(args) == 1:
        return _strip(args[0])
    return ann


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Entity)


class Resolver:
    """Resolves one validated portfolio; collects diagnostics instead of stopping at the first."""

    def __init__(
        self, doc: PortfolioFile, raw: dict[str, Any], lifecycles: LifecycleRegistry,
        locator: Locator,
    ) -> None:
        self.doc = doc
        self.raw = raw
        self.lifecycles = lifecycles
        self.locator = locator
        self.diagnostics: list[Diagnostic] = []
        self.index: dict[str, dict[str, Any]] = {}
        self.dependencies: list[Dependency] = []
        self._guesses = MAX_SUGGESTIONS

    def _guess(self, value: str, ids: dict[str, Any]) -> str | None:
        """A did-you-mean for an unknown id, for the first MAX_SUGGESTIONS of a load: each
        one reads every id, so a flood of unknown references stays linear."""
        if self._guesses <= 0:
            return None
        self._guesses -= 1
        return did_you_mean(value, ids)

    def report(self, code: str, message: str, path: DocPath, help_: str | None,
               level: str = "error", key: bool = False) -> None:
        """Record one problem at the value `path` of the document."""
        self.diagnostics.append(Diagnostic(
            code, message, self.locator.span(path, key=key), help_,
            "warning" if level == "warning" else "error", format_path(path),
        ))

    def run(self) -> None:
        """Every resolution step, in order: ids, extras and references, lifecycles, edges."""
        doc = self.doc
        milestones = [(m, ("projects", i, "milestones", j))
                      for i, p in enumerate(doc.projects) for j, m in enumerate(p.milestones)]
        self._index("person", [(e, ("people", i)) for i, e in enumerate(doc.people)])
        self._index("objective", [(e, ("objectives", i)) for i, e in enumerate(doc.objectives)])
        self._index("program", [(e, ("programs", i)) for i, e in enumerate(doc.programs)])
        self._index("project", [(e, ("projects", i)) for i, e in enumerate(doc.projects)])
        self._index("milestone", milestones)
        self._index("risk", [(r, ("projects", i, "risks", j))
                             for i, p in enumerate(doc.projects) for j, r in enumerate(p.risks)])
        self._index("issue", [(r, ("projects", i, "issues", j))
                              for i, p in enumerate(doc.projects) for j, r in enumerate(p.issues)])
        for m, path in milestones:
            if m.id in self.index["project"]:
                self.report(E.DUPLICATE_ID, f"milestone id `{m.id}` is also a project id",
                            (*path, "id"), "give the milestone an id of its own: dependencies "
                            "name milestones and projects alike")
        self._walk(doc.pmo, ("pmo",))
        self._walk(doc.portfolio, ("portfolio",))
        for key in ("people", "objectives", "programs"):
            for i, e in enumerate(getattr(doc, key)):
                self._walk(e, (key, i))
        for i, p in enumerate(doc.projects):
            self._project(p, ("projects", i))
        self._dependencies()
        self._extras(doc, ())

    def _index(self, kind: str, items: Sequence[tuple[Any, DocPath]]) -> None:
        table: dict[str, Any] = {}
        first: dict[str, DocPath] = {}
        for entity, path in items:
            if entity.id in table:
                self.report(E.DUPLICATE_ID, f"duplicate {kind} id `{entity.id}`", (*path, "id"),
                            f"the first is at {format_path(first[entity.id])}; "
                            "ids must be unique")
            else:
                table[entity.id] = entity
                first[entity.id] = path
        self.index[kind] = table

    def _ref(self, kind: str, value: str, path: DocPath) -> Any:
        table = self.index[kind]
        found = table.get(value)
        if found is None:
            guess = self._guess(value, table)
            self.report(E.UNKNOWN_REF, f"unknown {kind} `{value}`", path,
                        f"did you mean `{guess}`?" if guess else
                        f"declare a {kind} with id `{value}`, or fix the reference")
        return found

    def _extras(self, obj: BaseModel, path: DocPath) -> None:
        extra = obj.__pydantic_extra__
        if extra:
            custom = obj.__dict__["custom"]
            fields = [f for f in type(obj).model_fields if f != "custom"]
            for key in list(extra):
                guess = did_you_mean(key, fields)
                self.report(E.UNKNOWN_KEY, f"unknown key `{key}`, kept under `custom`",
                            (*path, key), f"did you mean `{guess}`?" if guess else
                            "move it under `custom:` to silence this warning",
                            level="warning", key=True)
                custom[key] = extra.pop(key)

    def _walk(self, obj: Entity, path: DocPath) -> None:
        """Move extras to custom and resolve reference fields, in `obj` and what it nests."""
        self._extras(obj, path)
        refs, nested = _shape(type(obj))
        values = obj.__dict__
        for name, kind, is_list in refs:
            value = values[name]
            if value is None:
                continue
            if is_list:
                values[name] = [
                    r for j, v in enumerate(value)
                    if (r := self._ref(kind, v, (*path, name, j))) is not None
                ]
            else:
                values[name] = self._ref(kind, value, (*path, name))
        for name, form in nested:
            value = values[name]
            if value is None:
                continue
            if form == "one":
                self._walk(value, (*path, name))
            elif form == "list":
                for j, item in enumerate(value):
                    self._walk(item, (*path, name, j))
            else:
                for key, item in value.items():
                    self._walk(item, (*path, name, key))

    def _project(self, p: Project, path: DocPath) -> None:
        values = p.__dict__
        links = values["objectives"]
        self._walk(p, path)
        objectives = []
        for j, link in enumerate(links):
            self._extras(link, (*path, "objectives", j))
            objective = self._ref("objective", link.objective, (*path, "objectives", j))
            link.__dict__["objective"] = objective
            if objective is not None:
                objectives.append(objective)
                objective.__dict__["projects"].append(p)
        values["objective_links"] = links
        values["objectives"] = objectives
        program = values["program"]
        if program is not None:
            program.__dict__["projects"].append(p)
        for key in ("milestones", "risks", "issues", "allocations"):
            for item in values[key]:
                item.__dict__["project"] = p
        self._lifecycle(p, path)

    def _lifecycle(self, p: Project, path: DocPath) -> None:
        lifecycle_id = p.lifecycle or self.doc.portfolio.default_lifecycle
        model = self.lifecycles.get(lifecycle_id)
        if model is None:
            guess = did_you_mean(lifecycle_id, self.lifecycles.ids())
            where = (*path, "lifecycle") if p.lifecycle else ("portfolio", "default_lifecycle")
            self.report(E.UNKNOWN_LIFECYCLE, f"unknown lifecycle `{lifecycle_id}`", where,
                        f"did you mean `{guess}`?" if guess else
                        f"known lifecycles: {', '.join(self.lifecycles.ids())}")
            return
        if p.phase is None:
            return
        stage = model.stage_of(p.phase)
        if stage is None:
            guess = did_you_mean(p.phase, model.phases)
            self.report(E.UNKNOWN_PHASE,
                        f"lifecycle `{model.id}` has no phase `{p.phase}`", (*path, "phase"),
                        f"did you mean `{guess}`?" if guess else
                        f"phases of `{model.id}`: {', '.join(model.phases)}")
            return
        p.__dict__["stage"] = stage

    def _dependencies(self) -> None:
        records: list[dict[str, Any]] = []
        paths: list[DocPath] = []
        for i, p in enumerate(self.doc.projects):
            for j, entry in enumerate(p.depends_on):
                record = entry.model_dump(exclude={"custom"}, exclude_unset=True)
                record["predecessor"] = record.pop("id")
                record["successor"] = p.id
                if entry.custom:
                    record["custom"] = entry.custom
                records.append(record)
                paths.append(("projects", i, "depends_on", j))
        try:
            declared = _DEPENDENCIES.validate_python(records)
        except ValidationError as exc:  # only shapes already validated: a bug if it happens
            raise RuntimeError(f"depends_on normalisation failed: {exc}") from exc
        items: list[tuple[Dependency, DocPath]] = [
            (d, ("dependencies", k)) for k, d in enumerate(self.doc.dependencies)
        ]
        items += list(zip(declared, paths, strict=True))
        seen: dict[str, DocPath] = {}
        nodes = {**self.index["project"], **self.index["milestone"]}
        for d, path in items:
            from_depends_on = "depends_on" in path
            self._extras(d, path)
            values = d.__dict__
            if d.id is None:
                values["id"] = f"{d.predecessor}->{d.successor}"
            if d.id in seen:
                self.report(E.DUPLICATE_ID, f"duplicate dependency `{d.id}`", path,
                            f"the first is at {format_path(seen[d.id])}; give one an explicit "
                            "`id` if both are meant")
                continue
            seen[str(d.id)] = path
            ends = []
            for end in ("predecessor", "successor"):
                value = values[end]
                where = (*path, "id") if from_depends_on and end == "predecessor" else (
                    path if from_depends_on else (*path, end))
                found = nodes.get(value)
                if found is None:
                    guess = self._guess(value, nodes)
                    self.report(E.UNKNOWN_REF, f"unknown project or milestone `{value}`", where,
                                f"did you mean `{guess}`?" if guess else
                                "declare it, or fix the reference")
                ends.append(found)
                values[end] = found
            if d.owner is not None:
                values["owner"] = self._ref("person", d.owner, (*path, "owner"))
            if ends[0] is not None and ends[0] is ends[1]:
                self.report(E.SELF_DEPENDENCY, f"`{values['successor'].id}` depends on itself",
                            path, "remove this dependency")
                continue
            if None not in ends:
                self._own_milestone(ends, path)
                self.dependencies.append(d)

    def _own_milestone(self, ends: list[Any], path: DocPath) -> None:
        """Warn about a project linked with one of its own milestones: it is kept as a
        dependency, but the project graph cannot show a project waiting on itself."""
        owners = [e if isinstance(e, Project) else milestone_project(e) for e in ends]
        if owners[0] is owners[1] and any(isinstance(e, Project) for e in ends):
            self.report(E.OWN_MILESTONE,
                        f"`{owners[0].id}` is linked with its own milestone", path,
                        "link the milestone with another milestone of the project, or remove it",
                        level="warning")


def milestone_project(m: Milestone) -> Project:
    """The project owning a resolved milestone."""
    project: Project = m.__dict__["project"]
    return project

