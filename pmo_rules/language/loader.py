"""Expand files and directories of .pmo policies and parse them all, reporting every problem."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pmo_rules.diagnostics import Diagnostic, DiagnosticError
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
            missing.append(Diagnostic("PMO111", f"`{raw}` does not exist", None,
                                      help="pass .pmo files or directories that hold them"))
    if missing:
        raise DiagnosticError(missing)
    return out


def load_policy_files(paths: Sequence[str | Path]) -> list[PolicyFile]:
    """Parse every policy file under `paths`; raise DiagnosticError with all parse problems."""
    files: list[PolicyFile] = []
    diags: list[Diagnostic] = []
    for path in expand_paths(paths):
        try:
            files.append(parse_file(path))
        except DiagnosticError as exc:
            diags.extend(exc.diagnostics)
    if diags:
        raise DiagnosticError(diags)
    return files
