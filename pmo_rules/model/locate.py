"""Mapping a path in the merged document back to file, line and column.

Only run when there is something to report: YAML and JSON files are composed
again with PyYAML's node API (JSON is YAML for this purpose), which keeps
marks, so the fast load path never pays for line numbers.
"""

from __future__ import annotations

from typing import Any

import yaml

from pmo_rules.diagnostics import Span
from pmo_rules.model.parse import NODE_LOADER
from pmo_rules.model.sources import DocPath, RawInput, Segment, csv_cell_column

# Keys a keyed list (artifacts, gates) or a list of entities is matched by.
_ITEM_KEYS = ("id", "type", "gate")


def format_path(path: DocPath) -> str:
    """`projects[3].schedule.baseline_finish` from ('projects', 3, 'schedule', ...)."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class Locator:
    """Finds the span of any value of a RawInput; file trees are composed lazily and cached."""

    def __init__(self, raw: RawInput) -> None:
        self._segments = sorted(raw.segments, key=lambda s: len(s.doc_prefix), reverse=True)
        self._trees: dict[str, yaml.Node | None] = {}

    def span(self, path: DocPath, *, key: bool = False) -> Span | None:
        """Where the value at `path` is (its key, when `key` and the value has one)."""
        for seg in self._segments:
            n = len(seg.doc_prefix)
            if path[:n] == seg.doc_prefix:
                rest = (*seg.file_prefix, *path[n:])
                if seg.table is not None:
                    return _csv_span(seg, rest)
                return self._yaml_span(seg, rest, key)
        return None

    def _yaml_span(self, seg: Segment, path: DocPath, key: bool) -> Span:
        if seg.file not in self._trees:
            try:
                self._trees[seg.file] = yaml.compose(seg.text, Loader=NODE_LOADER)
            except (yaml.YAMLError, RecursionError):
                self._trees[seg.file] = None
        node = self._trees[seg.file]
        if node is None:
            return Span(seg.file, 1, 1)
        found = node
        for i, part in enumerate(path):
            child, key_node = _child(found, part)
            if child is None:
                break
            last = i == len(path) - 1
            found = key_node if (last and key and key_node is not None) else child
        start, end = found.start_mark, found.end_mark
        return Span(seg.file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The child of `node` at `part`, and its key node when `node` is a mapping."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                return v, k
        return None, None
    if isinstance(node, yaml.SequenceNode):
        items = node.value
        if isinstance(part, int):
            return (items[part], None) if 0 <= part < len(items) else (None, None)
        if isinstance(part, str) and part.startswith("#") and part[1:].isdigit():
            idx = int(part[1:])
            return (items[idx], None) if idx < len(items) else (None, None)
        for item in items:  # a keyed list (artifacts, gates) addressed by its key
            if isinstance(item, yaml.MappingNode):
                for k, v in item.value:
                    if (isinstance(k, yaml.ScalarNode) and k.value in _ITEM_KEYS
                            and isinstance(v, yaml.ScalarNode) and v.value == part):
                        return item, None
    return None, None


def _csv_span(seg: Segment, path: DocPath) -> Span:
    assert seg.table is not None
    table = seg.table
    row = path[0] if path and isinstance(path[0], int) else 0
    line = table.row_lines[row] if row < len(table.row_lines) else 1
    rest = [str(p) for p in path[1:]]
    column = 1
    for n in range(len(rest), 0, -1):
        name = ".".join(rest[:n])
        if name in table.header:
            text = table.lines[line - 1] if line <= len(table.lines) else ""
            column = csv_cell_column(text, table.header.index(name))
            break
    return Span(seg.file, line, column)
