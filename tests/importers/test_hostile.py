"""Hostile and broken files: each one diagnostic, exit 2, bounded time and memory, no traceback."""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path

import pytest

from tests.importers.conftest import cli

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol9;</Name></Project>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&secret;</Name></Project>
"""


def _import(tmp_path: Path, name: str, content: bytes | None = None, *extra: str) -> dict:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = cli("import", str(path), "-o", str(tmp_path / "out.yaml"), "--format", "json",
                 *extra)
    elapsed = time.perf_counter() - started
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert elapsed < 5, f"took {elapsed:.1f} s"
    assert grown_mb < 200, f"grew {grown_mb:.0f} MB"
    diagnostics = json.loads(result.stdout)["diagnostics"]
    assert len(diagnostics) == 1 and diagnostics[0]["file"] == str(path)
    assert not (tmp_path / "out.yaml").exists()
    return diagnostics[0]


def test_entity_bomb(tmp_path: Path) -> None:
    diag = _import(tmp_path, "bomb.xml", BOMB.encode())
    assert diag["code"] == "PMO463" and "entities" in diag["message"]
    assert diag["line"] == 2


def test_external_entity(tmp_path: Path) -> None:
    diag = _import(tmp_path, "xxe.xml", EXTERNAL.encode())
    assert diag["code"] == "PMO463"
    assert "root:" not in json.dumps(diag)  # nothing of the file was read


def test_fifty_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as stream:  # sparse: 50 MB without writing them
        stream.truncate(50 * 1024 * 1024 + 1)
    diag = _import(tmp_path, "huge.xml")
    assert diag["code"] == "PMO460" and "50 MB limit" in diag["message"]
    assert "max_file_mb" in diag["help"]


@pytest.mark.parametrize("name", ["plan.xml", "plan.xer", "plan.gan", "plan.mpp",
                                  "register.xlsx"])
def test_binary_file_with_a_schedule_extension(tmp_path: Path, name: str) -> None:
    content = os.urandom(4096) + b"\x00\xff\xfe" * 1000
    diag = _import(tmp_path, name, content)
    assert diag["code"] in ("PMO461", "PMO462", "PMO465")


def test_xml_that_is_not_a_schedule(tmp_path: Path) -> None:
    diag = _import(tmp_path, "other.xml", b"<?xml version='1.0'?><catalog><book/></catalog>",
                   "--from", "mspdi")
    assert diag["code"] == "PMO462" and "<catalog>" in diag["message"]


def test_truncated_xml_names_line_and_column(tmp_path: Path) -> None:
    content = b'<?xml version="1.0"?>\n<Project xmlns="http://schemas.microsoft.com/project">\n<Tasks><Task>'
    diag = _import(tmp_path, "cut.xml", content)
    assert diag["code"] == "PMO462" and diag["line"] == 3


def test_unknown_format_suggests_from(tmp_path: Path) -> None:
    diag = _import(tmp_path, "notes.txt", b"hello")
    assert diag["code"] == "PMO461" and "--from" in diag["help"]


def test_from_with_a_misspelt_format(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<x/>")
    result = cli("import", str(tmp_path / "a.xml"), "--from", "mspdx", "-o",
                 str(tmp_path / "o.yaml"))
    assert result.exit_code == 2 and "did you mean `mspdi`" in result.output
