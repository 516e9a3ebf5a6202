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


def _guard(data: bytes) -> list[int]:
    """Refuse entity declarations and external references as defusedxml does, with expat's
    C parser calling back only to note where each element starts (document order)."""
    parser = expat.ParserCreate()
    lines: list[int] = []
    note = lines.append

    def start(name: str, attrs: Any) -> None:
        note(parser.CurrentLineNumber)

    def entity(name: str, *rest: Any) -> None:
        raise EntitiesForbidden(name, None, None, None, None, None)

    def external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartElementHandler = start
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    try:
        parser.Parse(data, True)
    except DefusedXmlException as exc:
        exc.position = (parser.CurrentLineNumber or 1,  # type: ignore[attr-defined]
                        (parser.CurrentColumnNumber or 0) + 1)
        raise
    return lines


def parse_xml(path: Path, data: bytes) -> XmlDoc:
    """Parse `data` (the bytes of `path`) safely; a PMO463/PMO462 diagnostic when refused.

    The guard pass refuses what defusedxml refuses (entity declarations: the "billion
    laughs" bomb; external entities) before anything expands; the tree is then built by
    ElementTree's C parser, fast enough for schedules of thousands of tasks.
    """
    name = str(path)
    try:
        lines = _guard(data)
        root = ET.fromstring(data)
    except DefusedXmlException as exc:
        line, col = getattr(exc, "position", (1, 1))
        raise DiagnosticError([Diagnostic(
            "PMO463", f"refused to read `{path.name}`: {_why(exc)}", Span(name, line, col),
            help="schedule exports never declare entities or DTDs; this file may be hostile. "
            "Export it again from the scheduling tool")]) from None
    except (expat.ExpatError, ET.ParseError) as exc:
        line = getattr(exc, "lineno", None) or getattr(exc, "position", (1, 0))[0]
        col = getattr(exc, "offset", None)
        if col is None:
            col = getattr(exc, "position", (1, 0))[1]
        raise DiagnosticError([Diagnostic(
            "PMO462", f"`{path.name}` is not well-formed XML: {_plain(exc)}",
            Span(name, line, col + 1),
            help="the file is damaged or is not an XML export; export it again, or force "
            "another format with --from")]) from None
    return XmlDoc(name, root, dict(zip(map(id, root.iter()), lines, strict=False)))


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


def local(tag: str) -> str:
    """An element's name without its namespace (`{ns}Task` -> `Task`)."""
    return tag.rsplit("}", 1)[-1]


def children_text(element: ET.Element) -> dict[str, str]:
    """The text of each direct child without children, by local name (the first of repeats)."""
    out: dict[str, str] = {}
    names = _LOCAL
    for child in reversed(element):  # reversed: the first of repeated names wins
        text = child.text
        if text is not None and not len(child):
            tag = child.tag
            name = names.get(tag)
            if name is None:
                name = names[tag] = tag[tag.rfind("}") + 1:]
            out[name] = text.strip()
    return out


_LOCAL: dict[str, str] = {}  # namespaced tag -> local name, cached across documents
