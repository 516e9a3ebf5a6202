"""Expand files and directories of .pmo policies and parse them all, reporting every problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, not_a_file
from pmo_rules.given import span_of
from pmo_rules.language.ast import PolicyFile
from pmo_rules.language.parser import parse_file


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given, and every *.pmo under each directory (recursively, sorted)."""
    out: list[Path] = []
    missing: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*.pmo") if p.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            missing.append(not_a_file("PMO111", raw, at=span_of(raw)) or Diagnostic(
                "PMO111", f"`{raw}` does not exist", span_of(raw),
                help="pass .pmo files or directories that hold them"))
    if missing:
        raise DiagnosticError(missing)
    return out


def load_policy_files(
    paths: Sequence[str | Path], packs: Mapping[str, Path] | None = None
) -> list[PolicyFile]:
    """Parse every policy file under `paths` and in the `packs` (name -> directory); raise
    DiagnosticError with all parse problems.

    A pack's files are named `pack:NAME/FILE` in spans and reports: the same on every
    machine, wherever the pack is installed.
    """
    named: list[tuple[Path, str | None]] = [(p, None) for p in expand_paths(paths)]
    for pack, directory in (packs or {}).items():
        named += [(p, f"pack:{pack}/{p.relative_to(directory).as_posix()}")
                  for p in expand_paths([directory])]
    files: list[PolicyFile] = []
    diags: list[Diagnostic] = []
    for path, name in named:
        try:
            files.append(parse_file(path, name))
        except DiagnosticError as exc:
            diags.extend(exc.diagnostics)
    if diags:
        raise DiagnosticError(diags)
    return files
