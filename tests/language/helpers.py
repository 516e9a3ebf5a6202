"""Shared helpers for the language tests (imported relatively: tests/ is not a package)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmo_rules.diagnostics import Diagnostic, DiagnosticError
from pmo_rules.language.checker import check_policies
from pmo_rules.language.declarations import CheckDecl, ParamDecl, Registry, builtin_registry
from pmo_rules.language.parser import parse_text
from pmo_rules.language.types import NUMBER

CASES = Path(__file__).parent / "cases"


def registry() -> Registry:
    """The built-ins plus the check the LANGUAGE.md example uses."""
    reg = builtin_registry()
    reg.add_check(CheckDecl("lifecycle.gate_artifacts", (ParamDecl("tier", NUMBER),), "project"))
    return reg


def problems(text: str) -> list[Diagnostic]:
    """Every diagnostic that parsing and checking `text` gives (empty when clean)."""
    try:
        check_policies([parse_text(text, "t.pmo")], registry())
    except DiagnosticError as exc:
        return exc.diagnostics
    return []


@pytest.fixture
def reg() -> Registry:
    """A fresh registry for a test."""
    return registry()
