"""The one-pass XML record reader behind MS Project imports: exact, placed, and hardened."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pmo_rules.diagnostics import DiagnosticError
from pmo_rules.importers.safexml import parse_records
from tests.importers.conftest import run_import

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_import import mspdi, mspdi_indented

DOC = b"""<?xml version="1.0"?>
<p:Project xmlns:p="http://schemas.microsoft.com/project">
  <p:Name>A &amp; B</p:Name><p:Name>second</p:Name>
  <p:Tasks>
    <p:Task>
      <p:UID>1</p:UID><p:Notes><![CDATA[<b>kept</b>]]></p:Notes>
      <p:PredecessorLink/>
      <p:Empty/>
    </p:Task>
  </p:Tasks>
</p:Project>
"""


def test_records_fields_children_and_lines(tmp_path: Path) -> None:
    root = parse_records(tmp_path / "a.xml", DOC, frozenset({"PredecessorLink"}))
    assert (root.tag, root.line) == ("Project", 2)  # prefixes are not part of the name
    assert root.fields == {"Name": "A & B"}  # the first of repeated names, entities decoded
    task, = root.find("Tasks/Task")
    assert task.line == 5
    assert task.fields == {"UID": "1", "Notes": "<b>kept</b>"}  # an empty leaf has no text
    assert [(c.tag, c.line, c.fields) for c in task.children] == [("PredecessorLink", 7, {})]


def test_an_empty_root_is_still_the_root(tmp_path: Path) -> None:
    assert parse_records(tmp_path / "a.xml", b"<catalog/>").tag == "catalog"


@pytest.mark.parametrize(("content", "code", "line"), [
    (b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY x "y">]>\n<Project>&x;</Project>',
     "PMO463", 2),
    (b'<!DOCTYPE p [\n<!ENTITY s SYSTEM "file:///etc/passwd">]><Project>&s;</Project>',
     "PMO463", 2),
    (b"<Project>\n<Tasks>\n<Task></Tasks>", "PMO462", 3),
    (b"<Project>&undeclared;</Project>", "PMO462", 1),
])
def test_refusals_are_placed(tmp_path: Path, content: bytes, code: str, line: int) -> None:
    with pytest.raises(DiagnosticError) as caught:
        parse_records(tmp_path / "bad.xml", content)
    diagnostic, = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.span.line if diagnostic.span else None) == (code, line)


def test_layout_does_not_change_the_import(tmp_path: Path) -> None:
    # One line per task, or one element per line as MS Project writes it: the same portfolio.
    for folder, make in (("flat", mspdi), ("indented", mspdi_indented)):
        (tmp_path / folder).mkdir()
        make(tmp_path / folder / "plan.xml", 300, 400)
    flat, indented = (run_import(tmp_path / n / "plan.xml") for n in ("flat", "indented"))
    assert flat.document == indented.document
    assert flat.report.links == indented.report.links and flat.report.refused == []


def test_an_empty_link_is_counted_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "empty-link.xml"
    path.write_text('<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task>'
                    "<UID>1</UID><Milestone>1</Milestone><PredecessorLink/></Task></Tasks>"
                    "</Project>")
    links = run_import(path).report.links
    assert links["link to a task not imported (inactive, blank or missing)"] == 1
