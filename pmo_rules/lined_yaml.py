"""Safe YAML loading that remembers where each mapping (and, on request, each key) was.

For small hand-written files (waiver registers, policy tests) whose diagnostics name a
line: every mapping gets a `__line__` entry; with `key_lines`, also `__lines__`, the line
of each of its keys; with `key_columns`, also `__columns__`, the column of each key.

Hostile files end as a `yaml.MarkedYAMLError` at the offending line, never a crash: a
document nested deeper than MAX_DEPTH, one whose aliases would expand past MAX_NODES
nodes ("billion laughs"), and a date that does not exist (`2026-02-30`, kept as text so
the caller can say which field holds it).
"""

from __future__ import annotations

from typing import Any

import yaml

LINE = "__line__"
KEY_LINES = "__lines__"
KEY_COLUMNS = "__columns__"
# Hand-written registers and test files nest a few levels; these bounds are far above that.
MAX_DEPTH = 64
MAX_NODES = 1_000_000


class _LineLoader(yaml.SafeLoader):
    """A safe loader recording each mapping's line."""

    key_lines = False
    key_columns = False


class _KeyLineLoader(_LineLoader):
    """A safe loader recording each mapping's line and each key's."""

    key_lines = True
    key_columns = False


class _KeyPlaceLoader(_KeyLineLoader):
    """A safe loader recording each mapping's line and each key's line and column."""

    key_columns = True


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    out: dict[str, Any] = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    out[LINE] = node.start_mark.line + 1
    if loader.key_lines:
        keys = [k for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        out[KEY_LINES] = {str(k.value): k.start_mark.line + 1 for k in keys}
        if loader.key_columns:
            out[KEY_COLUMNS] = {str(k.value): k.start_mark.column + 1 for k in keys}
    return out


def _timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # shaped like a date, but no such day: the caller reports the field
        return str(node.value)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


class Refused(yaml.MarkedYAMLError):
    """A document this loader will not build: too deep, or too large once aliases expand."""


def _guard(text: str) -> None:
    """Walk the event stream (no recursion, no objects built) and refuse hostile shapes."""
    depth = 0
    sizes: dict[str, int] = {}  # anchor -> nodes in the anchored subtree, aliases expanded
    open_: list[tuple[str | None, int]] = []  # per open collection: (anchor, nodes so far)
    total = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise Refused(problem=f"the document nests deeper than {MAX_DEPTH} levels",
                              problem_mark=event.start_mark)  # type: ignore[arg-type]
            open_.append((event.anchor, 1))
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, count = open_.pop()
            if anchor is not None:
                sizes[anchor] = count
            _add(open_, count)
            continue
        if isinstance(event, yaml.AliasEvent):
            count = sizes.get(str(event.anchor), 1)
        elif isinstance(event, yaml.ScalarEvent):
            count = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        else:
            continue
        total += count
        if total > MAX_NODES:
            raise Refused(problem=f"the document expands to more than {MAX_NODES:,} values "
                          "(aliases repeat what they name)",
                          problem_mark=event.start_mark)  # type: ignore[arg-type]
        _add(open_, count)


def _add(open_: list[tuple[str | None, int]], count: int) -> None:
    if open_:
        anchor, so_far = open_[-1]
        open_[-1] = (anchor, so_far + count)


def load(text: str, *, key_lines: bool = False, key_columns: bool = False) -> Any:
    """Parse YAML safely, with line bookkeeping; raises yaml.YAMLError on bad or hostile input."""
    _guard(text)
    loader = _KeyPlaceLoader if key_columns else _KeyLineLoader if key_lines else _LineLoader
    return yaml.load(text, Loader=loader)  # all three are safe loaders
