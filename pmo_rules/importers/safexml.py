"""Parse schedule XML from untrusted sources: no entities, no external references, lines kept.

defusedxml refuses entity declarations (the "billion laughs" bomb) and external
entities or DTDs before they expand; every refusal or syntax error becomes one
diagnostic with the file, line and column, never a traceback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as DET
from defusedxml import DefusedXmlException

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


class _LineBuilder(ET.TreeBuilder):
    """A TreeBuilder that remembers where each element starts."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def parse_xml(path: Path, data: bytes) -> XmlDoc:
    """Parse `data` (the bytes of `path`) safely; a PMO463/PMO462 diagnostic when refused."""
    name = str(path)
    builder = _LineBuilder()
    parser = DET.DefusedXMLParser(target=builder, forbid_dtd=False)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        line, col = _position(parser)
        raise DiagnosticError([Diagnostic(
            "PMO463", f"refused to read `{path.name}`: {_why(exc)}", Span(name, line, col),
            help="schedule exports never declare entities or DTDs; this file may be hostile. "
            "Export it again from the scheduling tool")]) from None
    except ET.ParseError as exc:
        line, col = exc.position if hasattr(exc, "position") else (1, 0)
        raise DiagnosticError([Diagnostic(
            "PMO462", f"`{path.name}` is not well-formed XML: {_plain(exc)}",
            Span(name, line, col + 1),
            help="the file is damaged or is not an XML export; export it again, or force "
            "another format with --from")]) from None
    return XmlDoc(name, root, builder.lines)


def _position(parser: Any) -> tuple[int, int]:
    expat = getattr(parser, "parser", None)
    if expat is None:
        return 1, 1
    return expat.CurrentLineNumber or 1, (expat.CurrentColumnNumber or 0) + 1


def _why(exc: Exception) -> str:
    kind = type(exc).__name__
    if kind == "EntitiesForbidden":
        return "it declares XML entities (an entity-expansion bomb is one)"
    if kind == "ExternalReferenceForbidden":
        return "it refers to an external entity or file"
    if kind == "DTDForbidden":
        return "it has a document type declaration (DTD)"
    return f"unsafe XML ({kind})"


def _plain(exc: ET.ParseError) -> str:
    text = str(exc)
    return text.split(":")[0] if ": line" in text else text


def local(tag: str) -> str:
    """An element's name without its namespace (`{ns}Task` -> `Task`)."""
    return tag.rsplit("}", 1)[-1]


def children_text(element: ET.Element) -> dict[str, str]:
    """The text of each direct child with text, by local name (the first of repeats)."""
    out: dict[str, str] = {}
    for child in element:
        if len(child) == 0 and child.text is not None:
            out.setdefault(local(child.tag), child.text.strip())
    return out
