"""Parse schedule XML from untrusted sources: no entities, no external references, lines kept.

Entity declarations (the "billion laughs" bomb) and external entities are refused as
defusedxml refuses them (its exceptions, raised from expat's handlers) before anything
expands; every refusal or syntax error becomes one diagnostic with the file, line and
column, never a traceback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span


@dataclass
class XmlDoc:
    """A parsed document: the root, and the source line of each element (by identity)."""

    file: str
    root: ET.Element
    lines: dict[int, int] = field(default_factory=dict)

    def line(self, element: ET.Element) -> int | None:
        """The line an element starts on."""
        return self.lines.get(id(element))


def _hardened() -> Any:
    """An expat parser that refuses entity declarations and external references as defusedxml
    does (raising its exceptions), before anything expands."""
    parser = expat.ParserCreate()

    def entity(name: str, *rest: Any) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    def external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    return parser


def _parse(path: Path, parser: Any, data: bytes) -> None:
    """Run `parser` over `data`; a refusal is PMO463, a syntax error PMO462, with the place."""
    try:
        parser.Parse(data, True)
    except DefusedXmlException as exc:
        raise DiagnosticError([Diagnostic(
            "PMO463", f"refused to read `{path.name}`: {_why(exc)}",
            Span(str(path), parser.CurrentLineNumber or 1, (parser.CurrentColumnNumber or 0) + 1),
            help="schedule exports never declare entities or DTDs; this file may be hostile. "
            "Export it again from the scheduling tool")]) from None
    except expat.ExpatError as exc:
        raise _not_well_formed(path, exc, exc.lineno, exc.offset) from None


def _not_well_formed(path: Path, exc: Exception, line: int, offset: int) -> DiagnosticError:
    return DiagnosticError([Diagnostic(
        "PMO462", f"`{path.name}` is not well-formed XML: {_plain(exc)}",
        Span(str(path), line, offset + 1),
        help="the file is damaged or is not an XML export; export it again, or force "
        "another format with --from")])


def parse_xml(path: Path, data: bytes) -> XmlDoc:
    """Parse `data` (the bytes of `path`) safely; a PMO463/PMO462 diagnostic when refused.

    The guard pass refuses what defusedxml refuses (entity declarations: the "billion
    laughs" bomb; external entities) before anything expands, and notes the line each
    element starts on; the tree is then built by ElementTree's C parser.
    """
    parser = _hardened()
    lines: list[int] = []
    note = lines.append

    def start(name: str, attrs: Any) -> None:
        note(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    _parse(path, parser, data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:  # the guard pass accepted it: not expected, still placed
        line, col = exc.position
        raise _not_well_formed(path, exc, line, col) from None
    return XmlDoc(str(path), root, dict(zip(map(id, root.iter()), lines, strict=False)))


class Node:
    """An element holding elements, as a record: its local name, the line it starts on, the
    text of its childless children by local name (the first of repeated names), and its
    other children in document order."""

    __slots__ = ("children", "fields", "line", "tag")

    def __init__(self, tag: str, line: int) -> None:
        self.tag, self.line = tag, line
        self.fields: dict[str, str] = {}
        self.children: list[Node] = []

    def find(self, path: str) -> list[Node]:
        """The descendants along `path` (`Tasks/Task`), in document order."""
        nodes = [self]
        for step in path.split("/"):
            nodes = [child for node in nodes for child in node.children if child.tag == step]
        return nodes


def parse_records(path: Path, data: bytes, records: frozenset[str] = frozenset()) -> Node:
    """Parse `data` safely (as `parse_xml` does) in one pass into `Node` records: the root.

    Only elements holding elements (and those named in `records`, even when empty) become
    nodes; a childless element is one entry of its parent's `fields`. A schedule of
    thousands of tasks is mostly such leaves, so this builds a fraction of the objects an
    ElementTree would, and keeps the line of every record for the import report.
    """
    parser = _hardened()
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    document = Node("", 0)
    stack = [document]
    top = document
    tag: str | None = None  # the open element while it may still be a leaf
    line = 0
    text: str | None = None

    def start(name: str, attrs: Any) -> None:
        nonlocal tag, line, text, top
        if tag is not None:  # the open element holds this one: it is a record
            node = Node(tag, line)
            top.children.append(node)
            stack.append(node)
            top = node
        tag = name[name.find(":") + 1:] if ":" in name else name
        line, text = parser.CurrentLineNumber, None

    def end(name: str) -> None:
        nonlocal tag, top
        if tag is None:
            stack.pop()
            top = stack[-1]
            return
        if tag in records or top is document:  # the root is a record, even empty
            top.children.append(Node(tag, line))
        elif text is not None and tag not in top.fields:
            top.fields[tag] = text.strip()
        tag = None

    def characters(data: str) -> None:
        nonlocal text
        if tag is not None:
            text = data if text is None else text + data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    _parse(path, parser, data)
    return document.children[0]  # expat accepts a document only with one root element


def _why(exc: Exception) -> str:
    kind = type(exc).__name__
    if kind == "EntitiesForbidden":
        return "it declares XML entities (an entity-expansion bomb is one)"
    if kind == "ExternalReferenceForbidden":
        return "it refers to an external entity or file"
    if kind == "DTDForbidden":
        return "it has a document type declaration (DTD)"
    return f"unsafe XML ({kind})"


def _plain(exc: Exception) -> str:
    text = str(exc)
    return text.split(":")[0] if ": line" in text else text
