"""Write an imported portfolio in our own format, and check it loads as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from pmo_rules.diagnostics import Diagnostic, DiagnosticError

HEADER = ("# Written by `pmo-rules import`: enrich it (people, programs, gates, risks) and "
          "commit it.\n")


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order written, long text kept readable."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


ORDER = ("as_of", "currency", "pmo", "portfolio", "people", "objectives", "programs",
         "projects", "dependencies")


def render_document(document: dict[str, Any], suffix: str = ".yaml") -> str:
    """The document as YAML (or JSON for a `.json` suffix), in the data model's order."""
    document = {**{k: document[k] for k in ORDER if k in document},
                **{k: v for k, v in document.items() if k not in ORDER}}
    if suffix.lower() == ".json":
        return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
    return HEADER + body


def write_document(document: dict[str, Any], output: Path) -> None:
    """Write the portfolio; a PMO468 diagnostic when the file cannot be written."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(render_document(document, output.suffix), encoding="utf-8")
    except OSError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO468", f"cannot write `{output}`: {exc.strerror}",
            help="check the directory exists and is writable")]) from None


def validate_written(output: Path) -> list[Diagnostic]:
    """Load the written file as `check` would; its diagnostics (warnings included)."""
    from pmo_rules.plugins.inputs import load_portfolio

    try:
        return list(load_portfolio(output).warnings)
    except DiagnosticError as exc:
        return list(exc.diagnostics)
