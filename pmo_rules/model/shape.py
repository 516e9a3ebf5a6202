"""The shape of a parsed document: how deep it nests and how far YAML aliases expand it.

A YAML alias (`*name`) makes the parsed value share the anchored value instead of
copying it, so a document of a few lines can stand for billions of values that
validation, evaluation and reports would each walk in turn; an alias inside its
own anchor makes a value that contains itself. One pass over the shared values
(each visited once) measures the depth of the deepest path and the size the
document would have with every alias written out, in time linear in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pmo_rules.diagnostics import Diagnostic, Span
from pmo_rules.limits import MAX_ALIAS_EXPANSION, MAX_DATA_DEPTH
from pmo_rules.model.locate import Locator
from pmo_rules.model.parse import BEYOND, too_deep
from pmo_rules.model.sources import DocPath

Kind = Literal["deep", "cycle", "expansion"]


@dataclass(frozen=True)
class Problem:
    """One shape problem, at the path of the value where it shows."""

    kind: Kind
    path: DocPath
    expanded: int = 0


@dataclass
class _Frame:
    value: Any
    items: Iterator[tuple[str | int, Any]]
    key: str | int | None
    height: int = 0
    size: int = 1
    own: int = 1


@dataclass
class _Walk:
    done: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (height, size)
    uses: dict[int, int] = field(default_factory=dict)
    unique: int = 0
    problems: dict[Kind, Problem] = field(default_factory=dict)

    def note(self, problem: Problem) -> None:
        """Keep the first problem of each kind (in document order)."""
        self.problems.setdefault(problem.kind, problem)


def _path(stack: list[_Frame], key: str | int) -> DocPath:
    return (*(f.key for f in stack[1:] if f.key is not None), key)


def _children(value: Any) -> Iterator[tuple[str | int, Any]]:
    if isinstance(value, dict):
        return iter(value.items())
    return iter(enumerate(value))


def _container(value: Any) -> bool:
    return isinstance(value, dict | list)


def find(document: Any) -> list[Problem]:
    """Every shape problem of `document`: too deep, containing itself, or expanded too far."""
    if not _container(document):
        return []
    walk = _Walk()
    stack = [_Frame(document, _children(document), None)]
    active = {id(document)}
    while stack:
        frame = stack[-1]
        for key, child in frame.items:
            if not _container(child):
                frame.size += 1
                frame.own += 1
                continue
            ident = id(child)
            walk.uses[ident] = walk.uses.get(ident, 0) + 1
            measured = walk.done.get(ident)
            if measured is not None:
                height, size = measured
                if len(stack) + height > MAX_DATA_DEPTH:
                    walk.note(Problem("deep", _path(stack, key)))
                frame.height = max(frame.height, height)
                frame.size += size
            elif ident in active:
                walk.note(Problem("cycle", _path(stack, key)))
            elif len(stack) >= MAX_DATA_DEPTH:
                walk.note(Problem("deep", _path(stack, key)))
            else:
                active.add(ident)
                stack.append(_Frame(child, _children(child), key))
                break
        else:
            stack.pop()
            active.discard(id(frame.value))
            walk.done[id(frame.value)] = (frame.height + 1, frame.size)
            walk.unique += frame.own
            if stack:
                stack[-1].height = max(stack[-1].height, frame.height + 1)
                stack[-1].size += frame.size
    root_size = walk.done[id(document)][1] if id(document) in walk.done else 0
    if root_size - walk.unique > MAX_ALIAS_EXPANSION:
        walk.problems["expansion"] = Problem("expansion", _most_repeated(document, walk),
                                             root_size - walk.unique)
    return list(walk.problems.values())


def _most_repeated(document: Any, walk: _Walk) -> DocPath:
    """The path of the value whose repetitions add the most, where it first appears."""
    target = max(walk.uses, key=lambda i: ((walk.uses[i] - 1) * walk.done.get(i, (0, 0))[1], -i))
    seen: set[int] = set()
    stack: list[tuple[Any, DocPath]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if id(value) == target:
            return path
        if id(value) in seen or len(path) >= MAX_DATA_DEPTH:
            continue
        seen.add(id(value))
        children = [(k, c) for k, c in _children(value) if _container(c)]
        stack.extend((c, (*path, k)) for k, c in reversed(children))
    return ()


def diagnostics(problems: list[Problem], locator: Locator, first_file: str) -> list[Diagnostic]:
    """The problems as diagnostics, each at the span of its value."""
    out = []
    for problem in problems:
        span = locator.span(problem.path) or Span(first_file, 1, 1)
        if problem.kind == "deep":
            out.append(too_deep(span))
        elif problem.kind == "cycle":
            out.append(Diagnostic(
                BEYOND, "this value contains itself (a YAML alias inside its own anchor)",
                span, help="an alias `*name` may only refer to a value that is complete",
            ))
        else:
            out.append(Diagnostic(
                BEYOND, f"YAML aliases repeat this value so often that the document would "
                f"hold {problem.expanded:,} more values than it is written with "
                f"(at most {MAX_ALIAS_EXPANSION:,})", span,
                help="write the repeated values out, or anchor smaller values",
            ))
    return out
