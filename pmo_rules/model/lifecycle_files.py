"""Lifecycle models a PMO writes in YAML, validated with file:line:column diagnostics.

    lifecycle: council-minor-works
    title: Council minor works
    phases:
      - {id: request, stage: initiating}
      - {id: build, stage: executing, max_days: 120}
    gates:
      - id: MW1
        admits: build
        artifacts: [design_pack, {type: safety_plan, status: [approved, issued], tiers: [1, 2]}]
        decider: {default: manager, 1: director}
      - {id: MW2, closes: true, artifacts: [completion_certificate], decider: manager}

A file holds one such mapping or a list of them; docs/lifecycles.md describes every key.
The YAML is read as nodes (not plain values) so that each problem names the line and
column of the key or value at fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pmo_rules.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Span,
    did_you_mean,
    not_a_file,
    with_source,
)
from pmo_rules.model.lifecycles import GRADES, STAGES, ArtifactNeed, GateSpec, LifecycleModel
from pmo_rules.model.literals import MAX_DAYS

SUFFIXES = (".yaml", ".yml")
TIERS = (1, 2, 3)
_MODEL_KEYS = ("lifecycle", "title", "phases", "gates")
_PHASE_KEYS = ("id", "stage", "max_days")
_GATE_KEYS = ("id", "title", "admits", "closes", "artifacts", "decider")
_ARTIFACT_KEYS = ("type", "status", "tiers")

Node = yaml.Node


@dataclass
class _File:
    """One file being read: its name, its text and the problems found so far."""

    path: str
    text: str
    diags: list[Diagnostic] = field(default_factory=list)

    def problem(self, code: str, message: str, node: Node | None, help: str) -> None:
        span = _span(self.path, node) if node is not None else Span(self.path, 1, 1)
        self.diags.append(with_source(Diagnostic(code, message, span, help), self.text))


def _span(path: str, node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def lifecycle_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The lifecycle files named: files as given, directories expanded to their YAML files."""
    files: list[Path] = []
    diags: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        elif path.is_file():
            files.append(path)
        elif (special := not_a_file("PMO950", raw, "lifecycle path ")) is not None:
            diags.append(special)
        else:
            diags.append(Diagnostic(
                "PMO950", f"lifecycle path `{raw}` does not exist",
                help="name a YAML lifecycle file or a directory of them, relative to the "
                     "settings file"))
    return files, diags


def load_lifecycle_files(
    paths: Iterable[str | Path], known: Iterable[str] = ()
) -> list[LifecycleModel]:
    """Every lifecycle model in the named files and directories; DiagnosticError lists every
    problem at once. `known` holds the ids already taken (built-ins and plugins)."""
    files, diags = lifecycle_paths(paths)
    models: list[LifecycleModel] = []
    seen: dict[str, str] = {i: "a built-in or plugin lifecycle" for i in known}
    for path in files:
        read = _read(path)
        if isinstance(read, Diagnostic):
            diags.append(read)
            continue
        found, problems = parse_lifecycles(read, str(path), seen)
        models += found
        diags += problems
    if diags:
        raise DiagnosticError(diags)
    return models


def _read(path: Path) -> str | Diagnostic:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Diagnostic("PMO950", f"cannot read lifecycle file `{path}`: {exc}",
                          Span(str(path), 1, 1), help="check the path and that it is UTF-8 text")


def parse_lifecycles(
    text: str, path: str, seen: dict[str, str] | None = None
) -> tuple[list[LifecycleModel], list[Diagnostic]]:
    """The models in one file's text, and the problems found (models with problems are
    left out). `seen` maps lifecycle ids already defined to where; it is updated."""
    seen = {} if seen is None else seen
    f = _File(path, text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = getattr(exc, "problem", None) or str(exc)
        f.diags.append(with_source(Diagnostic(
            "PMO950", f"not valid YAML: {problem}", Span(path, line, col),
            help="fix the YAML syntax (indentation, a missing `:` or an unclosed bracket)"), text))
        return [], f.diags
    if root is None:
        f.problem("PMO951", "the file is empty", None,
                  "write a lifecycle: `lifecycle: ID`, `phases: [...]` and `gates: [...]`")
        return [], f.diags
    if _unreadable(f, root):
        return [], f.diags
    items = root.value if isinstance(root, yaml.SequenceNode) else [root]
    models = []
    for node in items:
        before = len(f.diags)
        model = _model(f, node, seen)
        if model is not None and len(f.diags) == before:
            models.append(model)
    return models, f.diags


def _unreadable(f: _File, root: Node) -> bool:
    """Report every value YAML itself cannot read (an explicit tag it refuses, `!!int x`,
    or a date that does not exist), so that reading the values later cannot fail."""
    seen: set[int] = set()
    stack = [root]
    found = False
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: its node is checked once
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                why = getattr(exc, "problem", None) or str(exc)
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                f.problem("PMO951", f"`{node.value}` cannot be read as {tag}: {why}",
                          node, "remove the explicit tag, or write a value of its type "
                                "(dates as YYYY-MM-DD that exist)")
                found = True
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
    return found


def _shown(node: Node) -> str:
    """A node as a message names it: a scalar as written, else what it is."""
    if isinstance(node, yaml.ScalarNode):
        return f"`{node.value}`"
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _mapping(f: _File, node: Node, what: str, keys: Sequence[str],
             required: Sequence[str]) -> dict[str, tuple[Node, Node]] | None:
    """A mapping node's entries by key (key node, value node); unknown keys reported."""
    if not isinstance(node, yaml.MappingNode):
        f.problem("PMO951", f"{what} must be a mapping of {', '.join(keys)}", node,
                  f"write it as `{keys[0]}: ...` with the other keys below it")
        return None
    out: dict[str, tuple[Node, Node]] = {}
    for key, value in node.value:
        name = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
        if name not in keys:
            guess = did_you_mean(name, keys) if name else None
            f.problem("PMO952", f"unknown key {_shown(key)} in {what}", key,
                      f"did you mean `{guess}`?" if guess else f"{what} takes {', '.join(keys)}")
        elif name in out:
            f.problem("PMO954", f"key `{name}` is given twice in {what}", key,
                      "keep one of them")
        else:
            out[name] = (key, value)
    for name in required:
        if name not in out:
            f.problem("PMO951", f"{what} needs `{name}`", node,
                      f"add `{name}: ...` to {what}")
    return out


def _text(f: _File, node: Node, what: str) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str") and node.value.strip():
        return str(node.value)
    f.problem("PMO951", f"{what} must be a word or text", node,
              "write a plain value such as `design`")
    return None


def _scalar(node: Node) -> Any:
    """A scalar's value (every scalar was checked readable by `_unreadable`); None else."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    return yaml.SafeLoader("").construct_object(node)


def _int(f: _File, node: Node, what: str, low: int, high: int | None = None,
         example: int = 1) -> int | None:
    value = _scalar(node)
    if isinstance(value, int) and not isinstance(value, bool) and value >= low and (
            high is None or value <= high):
        return value
    bound = f"from {low} to {high}" if high is not None else f"of at least {low}"
    f.problem("PMO951", f"{what} must be a whole number {bound}", node,
              f"for example `{example}`")
    return None


def _model(f: _File, node: Node, seen: dict[str, str]) -> LifecycleModel | None:
    before = len(f.diags)
    entries = _mapping(f, node, "a lifecycle", _MODEL_KEYS, ("lifecycle", "phases"))
    if entries is None or "lifecycle" not in entries:
        return None
    id_node = entries["lifecycle"][1]
    lifecycle_id = _text(f, id_node, "`lifecycle` (the lifecycle's id)")
    if lifecycle_id is None:
        return None
    if lifecycle_id in seen:
        f.problem("PMO954", f"lifecycle `{lifecycle_id}` is already defined by "
                  f"{seen[lifecycle_id]}", id_node, "give this lifecycle another id")
        return None
    seen[lifecycle_id] = f"{f.path}:{id_node.start_mark.line + 1}"
    title = _text(f, entries["title"][1], "`title`") if "title" in entries else None
    phases, stages, max_days = _phases(f, entries.get("phases"))
    gates = _gates(f, entries.get("gates"), phases)
    if not phases or len(f.diags) > before:
        return None
    return LifecycleModel(id=lifecycle_id, phases=tuple(phases), stages=stages,
                          gates=tuple(gates), max_days=max_days, title=title, source=f.path)


def _phases(f: _File, entry: tuple[Node, Node] | None) -> tuple[
        list[str], dict[str, str], dict[str, int]]:
    phases: list[str] = []
    stages: dict[str, str] = {}
    max_days: dict[str, int] = {}
    if entry is None:
        return phases, stages, max_days
    key, value = entry
    if not isinstance(value, yaml.SequenceNode) or not value.value:
        f.problem("PMO951", "`phases` must be a list of phases, in order", value,
                  "write `- {id: design, stage: planning}` for each phase")
        return phases, stages, max_days
    for item in value.value:
        entries = _mapping(f, item, "a phase", _PHASE_KEYS, ("id", "stage"))
        if entries is None or "id" not in entries:
            continue
        name = _text(f, entries["id"][1], "a phase's `id`")
        if name is None:
            continue
        if name in phases:
            f.problem("PMO954", f"phase `{name}` is listed twice", entries["id"][1],
                      "list each phase once, in order")
            continue
        phases.append(name)
        if "stage" in entries:
            stage_node = entries["stage"][1]
            stage = _scalar(stage_node)
            if stage in STAGES:
                stages[name] = str(stage)
            else:
                guess = did_you_mean(str(stage), STAGES) if stage is not None else None
                f.problem("PMO953", f"{_shown(stage_node)} is not a stage", stage_node,
                          f"did you mean `{guess}`?" if guess else
                          f"a phase's stage is one of {', '.join(STAGES)}")
        if "max_days" in entries:
            days = _int(f, entries["max_days"][1], "`max_days`", 1, MAX_DAYS, example=90)
            if days is not None:
                max_days[name] = days
    ordered = [STAGES.index(stages[p]) for p in phases if p in stages]
    if ordered != sorted(ordered):
        f.problem("PMO956", "phases go back to an earlier stage", key,
                  "order the phases so their stages run initiating, planning, executing, "
                  "closing")
    return phases, stages, max_days


def _items(f: _File, entry: tuple[Node, Node] | None, what: str, example: str) -> list[Node]:
    """The items of a list-valued key (none when absent, or reported when not a list)."""
    if entry is None:
        return []
    value = entry[1]
    if not isinstance(value, yaml.SequenceNode):
        f.problem("PMO951", f"{what} must be a list", value, f"write {example}")
        return []
    return list(value.value)


def _gates(f: _File, entry: tuple[Node, Node] | None, phases: list[str]) -> list[GateSpec]:
    out: list[GateSpec] = []
    ids: set[str] = set()
    last_rank = -1
    closed = False
    items = _items(f, entry, "`gates`, in order,",
                   "`- {id: G1, admits: design, artifacts: [brief], decider: manager}`")
    for item in items:
        entries = _mapping(f, item, "a gate", _GATE_KEYS, ("id",))
        if entries is None or "id" not in entries:
            continue
        id_node = entries["id"][1]
        gate_id = _text(f, id_node, "a gate's `id`")
        if gate_id is None:
            continue
        if gate_id in ids:
            f.problem("PMO954", f"gate `{gate_id}` is listed twice", id_node,
                      "give each gate its own id")
            continue
        ids.add(gate_id)
        admits, rank = _admits(f, entries, item, gate_id, phases)
        if rank is not None:
            if closed:
                f.problem("PMO956", f"gate `{gate_id}` comes after a gate that closes the "
                          "project", id_node, "put the closing gate last")
            elif rank < last_rank:
                f.problem("PMO956", f"gate `{gate_id}` admits `{admits}`, a phase before the "
                          "one the gate above it admits", id_node,
                          "list the gates in the order a project meets them")
            last_rank = max(last_rank, rank)
            closed = closed or admits is None
        needs = _artifacts(f, entries.get("artifacts"))
        grade, by_tier = _decider(f, entries.get("decider"))
        title = _text(f, entries["title"][1], "`title`") if "title" in entries else None
        out.append(GateSpec(gate_id, admits, tuple(needs), grade, by_tier, title))
    return out


def _admits(f: _File, entries: dict[str, tuple[Node, Node]], node: Node, gate_id: str,
            phases: list[str]) -> tuple[str | None, int | None]:
    """The phase a gate admits (None: it closes) and its rank; rank None on a problem."""
    closes = _scalar(entries["closes"][1]) if "closes" in entries else False
    if "closes" in entries and not isinstance(closes, bool):
        f.problem("PMO951", "`closes` must be true or false", entries["closes"][1],
                  "write `closes: true` on the gate that closes the project")
        return None, None
    if "admits" in entries and closes:
        f.problem("PMO956", f"gate `{gate_id}` both admits a phase and closes the project",
                  entries["closes"][0], "a gate either admits a phase or closes the project")
        return None, None
    if closes:
        return None, len(phases)
    if "admits" not in entries:
        f.problem("PMO956", f"gate `{gate_id}` neither admits a phase nor closes the project",
                  node, "add `admits: PHASE`, or `closes: true` for the last gate")
        return None, None
    phase_node = entries["admits"][1]
    phase = _text(f, phase_node, "`admits`")
    if phase is None:
        return None, None
    if phase not in phases:
        guess = did_you_mean(phase, phases)
        f.problem("PMO955", f"gate `{gate_id}` admits `{phase}`, which is not a phase of "
                  "this lifecycle", phase_node,
                  f"did you mean `{guess}`?" if guess else
                  f"phases: {', '.join(phases) or '(none)'}")
        return None, None
    return phase, phases.index(phase)


def _artifacts(f: _File, entry: tuple[Node, Node] | None) -> list[ArtifactNeed]:
    out: list[ArtifactNeed] = []
    items = _items(f, entry, "`artifacts`",
                   "`artifacts: [business_case, {type: design_pack, status: signed}]`")
    for item in items:
        if isinstance(item, yaml.ScalarNode):
            kind = _text(f, item, "an artifact type")
            need = ArtifactNeed(kind) if kind is not None else None
        else:
            need = _artifact(f, item)
        if need is None:
            continue
        if any(n.type == need.type for n in out):
            f.problem("PMO954", f"artifact `{need.type}` is listed twice for this gate", item,
                      "list each artifact once")
            continue
        out.append(need)
    return out


def _artifact(f: _File, node: Node) -> ArtifactNeed | None:
    entries = _mapping(f, node, "an artifact", _ARTIFACT_KEYS, ("type",))
    if entries is None or "type" not in entries:
        return None
    kind = _text(f, entries["type"][1], "an artifact's `type`")
    statuses: tuple[str, ...] = ("approved",)
    if "status" in entries:
        status_node = entries["status"][1]
        items = status_node.value if isinstance(status_node, yaml.SequenceNode) else [status_node]
        found = [_text(f, s, "a status") for s in items]
        if not items:
            f.problem("PMO951", "`status` lists no status", status_node,
                      "write `status: approved` or `status: [approved, baselined]`")
        statuses = tuple(s for s in found if s is not None)
    tiers: tuple[int, ...] = ()
    if "tiers" in entries:
        tier_node = entries["tiers"][1]
        items = tier_node.value if isinstance(tier_node, yaml.SequenceNode) else [tier_node]
        tiers = tuple(t for t in (_int(f, n, "a tier", 1, 3) for n in items) if t is not None)
    if kind is None:
        return None
    return ArtifactNeed(kind, statuses, tiers)


def _decider(f: _File, entry: tuple[Node, Node] | None) -> tuple[str | None, dict[int, str]]:
    """The default grade and the grades by tier: `decider: director` or
    `decider: {default: director, 1: executive}`."""
    if entry is None:
        return None, {}
    _, value = entry
    if isinstance(value, yaml.MappingNode):
        default: str | None = None
        by_tier: dict[int, str] = {}
        keys: set[object] = set()
        for key, grade_node in value.value:
            tier = _scalar(key)
            grade = _grade(f, grade_node)
            if tier is not None and tier in keys:
                f.problem("PMO954", f"the decider for {_shown(key)} is given twice", key,
                          "keep one of them")
                continue
            keys.add(tier)
            if tier == "default":
                default = grade
            elif isinstance(tier, int) and not isinstance(tier, bool) and tier in TIERS:
                if grade is not None:
                    by_tier[tier] = grade
            else:
                f.problem("PMO953", f"{_shown(key)} is not a tier", key,
                          "key the grades by tier (1, 2, 3) or `default`")
        return default, by_tier
    return _grade(f, value), {}


def _grade(f: _File, node: Node) -> str | None:
    value = _scalar(node)
    if value in GRADES:
        return str(value)
    guess = did_you_mean(str(value), GRADES) if value is not None else None
    f.problem("PMO953", f"{_shown(node)} is not a grade", node,
              f"did you mean `{guess}`?" if guess else f"grades: {', '.join(GRADES)}")
    return None
