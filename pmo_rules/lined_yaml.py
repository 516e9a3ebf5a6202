"""Safe YAML loading that remembers where each mapping (and, on request, each key) was.

For small hand-written files (waiver registers, policy tests) whose diagnostics name a
line: every mapping gets a `__line__` entry; with `key_lines`, also `__lines__`, the line
of each of its keys.
"""

from __future__ import annotations

from typing import Any

import yaml

LINE = "__line__"
KEY_LINES = "__lines__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader recording each mapping's line."""

    key_lines = False


class _KeyLineLoader(_LineLoader):
    """A safe loader recording each mapping's line and each key's."""

    key_lines = True


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    out: dict[str, Any] = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    out[LINE] = node.start_mark.line + 1
    if loader.key_lines:
        out[KEY_LINES] = {str(k.value): k.start_mark.line + 1
                          for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load(text: str, *, key_lines: bool = False) -> Any:
    """Parse YAML safely, with line bookkeeping; raises yaml.YAMLError on bad syntax."""
    return yaml.load(text, Loader=_KeyLineLoader if key_lines else _LineLoader)  # both safe
