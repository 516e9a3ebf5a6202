"""Parsing one YAML or JSON file's text into a value, refusing what would be lost or unbounded.

Both parsers are the standard ones (PyYAML's safe loader, C when available, and
`json`), with three things neither does on its own, each reported at its line
and column instead of passing silently or crashing:

- a key written twice in one mapping (both parsers keep the last value and drop
  the first without a word);
- an integer of more than `MAX_DIGITS` digits (Python refuses past 4,300; no
  budget or count needs a tenth of the limit);
- nesting that the parser itself cannot take (libyaml stops at 1,000 levels,
  `json` when the interpreter's stack runs out).

YAML merge keys (`<<: *defaults`) are expanded once per mapping, keeping each
key once, so merges of merges stay linear; an explicit key overrides a merged
one, as YAML says, and is not a duplicate. Deep nesting below the parsers' own
limits, and aliases that repeat a value too often, are measured on the parsed
document (`model/shape.py`).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

from pmo_rules.diagnostics import Diagnostic, Span
from pmo_rules.limits import MAX_DATA_DEPTH, MAX_DIGITS

SYNTAX = "PMO401"
DUPLICATE = "PMO416"
BEYOND = "PMO417"

_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
_STR = "tag:yaml.org,2002:str"

_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The composer that gives nodes with their marks, for locating values (C when available:
# also free of Python recursion, whatever the nesting).
NODE_LOADER: type[yaml.SafeLoader] = _BASE_LOADER


@dataclass
class Parsed:
    """A file's value, or None with the problems that stopped it being read."""

    value: Any = None
    problems: list[Diagnostic] = field(default_factory=list)


def parse(name: str, text: str, *, json_syntax: bool) -> Parsed:
    """Parse `text` (the file called `name`) as JSON or YAML; every problem is placed."""
    return _parse_json(name, text) if json_syntax else _parse_yaml(name, text)


def duplicate_key(name: str, key: str, line: int, column: int, first: str) -> Diagnostic:
    """A key given twice in one mapping, at the second one (`first` says where: `line 3`)."""
    return Diagnostic(
        DUPLICATE, f"`{_short(key)}` is given twice in one mapping (first on {first}); "
        "only one value could be kept", Span(name, line, column),
        help="remove one of the two, or merge their values under one key",
    )


def too_deep(span: Span) -> Diagnostic:
    """Lists and mappings nested past MAX_DATA_DEPTH levels."""
    return Diagnostic(
        BEYOND, f"the data nests more than {MAX_DATA_DEPTH} levels of lists and mappings "
        "deep here", span,
        help=f"pmo-rules reads at most {MAX_DATA_DEPTH} levels; flatten this value",
    )


def _long_number(span: Span, digits: int) -> Diagnostic:
    return Diagnostic(
        BEYOND, f"a number of {digits:,} digits; numbers in a portfolio have at most "
        f"{MAX_DIGITS} digits", span,
        help="quote it to keep it as text, or write it in a larger unit",
    )


def _short(key: str) -> str:
    return key if len(key) <= 40 else key[:37] + "..."


# ---------------------------------------------------------------------------- YAML


class _Loader(_BASE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader, recording duplicate keys and long integers instead of losing them.

    Dates stay text: the validator parses them and reports bad ones with their path
    (PyYAML would raise on `2026-13-01`, without one).
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str, name: str) -> None:
        super().__init__(stream)
        self.name = name
        self.problems: list[Diagnostic] = []
        self.flattened: set[int] = set()

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Check the mapping's own keys, then put merged keys (`<<`) in, each key once."""
        if id(node) in self.flattened:
            return
        self.flattened.add(id(node))
        own: list[tuple[yaml.Node, yaml.Node]] = []
        merges: list[yaml.Node] = []
        seen: dict[tuple[str, Any], yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _VALUE:
                key_node.tag = _STR
            ident = _identity(key_node)
            if ident is not None:
                first = seen.get(ident)
                if first is not None:
                    mark = key_node.start_mark
                    self.problems.append(duplicate_key(
                        self.name, str(key_node.value), mark.line + 1, mark.column + 1,
                        f"line {first.start_mark.line + 1}"))
                else:
                    seen[ident] = key_node
            if key_node.tag == _MERGE:
                merges.append(value_node)
            else:
                own.append((key_node, value_node))
        if not merges:
            node.value = own
            return
        merged: dict[Any, tuple[yaml.Node, yaml.Node]] = {}
        for value_node in merges:
            for source in self._merge_sources(node, value_node):
                self.flatten_mapping(source)
                for pair in source.value:
                    key = _identity(pair[0]) or id(pair[0])
                    if key not in seen and key not in merged:  # the first merge wins
                        merged[key] = pair
        node.value = [*merged.values(), *own]

    def _merge_sources(self, node: yaml.Node, value: yaml.Node) -> list[yaml.MappingNode]:
        if isinstance(value, yaml.MappingNode):
            return [value]
        if isinstance(value, yaml.SequenceNode) and all(
                isinstance(item, yaml.MappingNode) for item in value.value):
            return list(value.value)
        raise yaml.constructor.ConstructorError(
            "while constructing a mapping", node.start_mark,
            "expected a mapping or a list of mappings to merge (`<<`)", value.start_mark)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value; one that its tag's constructor cannot read (`!!int P-1`) is a YAML error
        at its node, like any other."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value as {node.tag.rsplit(':', 1)[-1]} ({exc})",
                node.start_mark) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """An integer, or 0 and a problem when it has more digits than we read."""
        written = str(node.value).replace("_", "").lstrip("+-")
        body = written[2:] if written[:2] in ("0x", "0b") else written
        digits = sum(c.isalnum() for c in body)
        if digits > MAX_DIGITS:
            mark = node.start_mark
            self.problems.append(_long_number(Span(self.name, mark.line + 1, mark.column + 1),
                                              digits))
            return 0
        value: int = super().construct_yaml_int(node)
        return value


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _identity(node: yaml.Node) -> tuple[str, Any] | None:
    return (node.tag, node.value) if isinstance(node, yaml.ScalarNode) else None


def _parse_yaml(name: str, text: str) -> Parsed:
    loader = _Loader(text, name)
    try:
        value = loader.get_single_data()
    except yaml.YAMLError as exc:
        return Parsed(None, [*loader.problems, _yaml_problem(name, exc)])
    except RecursionError:  # the pure-Python parser, when libyaml is not installed
        return Parsed(None, [too_deep(Span(name, 1, 1))])
    finally:
        loader.dispose()
    if loader.problems:
        return Parsed(None, loader.problems)
    return Parsed(value)


def _yaml_problem(name: str, exc: yaml.YAMLError) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None)
    span = Span(name, mark.line + 1, mark.column + 1) if mark is not None else Span(name, 1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    if "maximum nesting depth" in problem:
        return too_deep(span)
    context = getattr(exc, "context", None)
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    return Diagnostic(SYNTAX, message, span, help="fix the YAML syntax at this position")


# ---------------------------------------------------------------------------- JSON


@dataclass
class _Flags:
    """What the fast JSON parse noticed, to be placed by a second, slower scan."""

    duplicate: bool = False
    long_number: bool = False
    deep: bool = False

    def __bool__(self) -> bool:
        return self.duplicate or self.long_number or self.deep


def strict_decoder() -> tuple[json.JSONDecoder, _Flags]:
    """json.loads' decoder, noting in the flags it comes with the duplicate keys and long
    integers it meets (the fast load path parses with it too, and defers when flagged)."""
    flags = _Flags()
    return json.JSONDecoder(object_pairs_hook=_pairs(flags), parse_int=_integer(flags)), flags


def _parse_json(name: str, text: str) -> Parsed:
    decoder, flags = strict_decoder()
    try:
        value = decoder.decode(text)
    except json.JSONDecodeError as exc:
        return Parsed(None, [Diagnostic(
            SYNTAX, f"invalid JSON: {exc.msg.lower()}", Span(name, exc.lineno, exc.colno),
            help="fix the JSON syntax at this position")])
    except RecursionError:
        flags.deep = True
    if flags:
        return Parsed(None, _json_problems(name, text) or [Diagnostic(
            BEYOND, "the JSON cannot be read: it nests too deeply", Span(name, 1, 1),
            help=f"pmo-rules reads at most {MAX_DATA_DEPTH} levels of lists and objects")])
    return Parsed(value)


def _pairs(flags: _Flags) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            flags.duplicate = True
        return out

    return pairs


def _integer(flags: _Flags) -> Callable[[str], int]:
    def integer(text: str) -> int:
        if len(text) - text.startswith("-") > MAX_DIGITS:
            flags.long_number = True
            return 0
        return int(text)

    return integer


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:]|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?')


def _json_problems(name: str, text: str) -> list[Diagnostic]:
    """Duplicate keys, long integers and the first too-deep value of valid JSON, placed."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def span(offset: int) -> Span:
        line = bisect.bisect_right(starts, offset)
        return Span(name, line, offset - starts[line - 1] + 1)

    problems: list[Diagnostic] = []
    frames: list[dict[str, int] | None] = []  # the keys of each open object; None for a list
    pending: re.Match[str] | None = None
    deep_reported = False
    for token in _TOKEN.finditer(text):
        kind = token.group()[0]
        if kind in "{[":
            frames.append({} if kind == "{" else None)
            if len(frames) > MAX_DATA_DEPTH and not deep_reported:
                problems.append(too_deep(span(token.start())))
                deep_reported = True
        elif kind in "}]":
            if frames:
                frames.pop()
        elif kind == '"':
            pending = token
        elif kind == ":":
            keys = frames[-1] if frames else None
            if pending is not None and keys is not None:
                key = json.loads(pending.group())
                where = span(pending.start())
                if key in keys:
                    problems.append(duplicate_key(name, key, where.line, where.column,
                                                  f"line {keys[key]}"))
                else:
                    keys[key] = where.line
            pending = None
        else:
            digits = len(token.group().lstrip("-"))
            if token.group().lstrip("-").isdigit() and digits > MAX_DIGITS:
                problems.append(_long_number(span(token.start()), digits))
    return problems
