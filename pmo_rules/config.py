"""Settings from `[tool.pmo-rules]` in pyproject.toml or from pmo-rules.toml, for `check`."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, did_you_mean

KEYS = ("policy", "pack", "waivers", "params", "fail_on", "select", "ignore", "format")


def load_config(directory: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """The settings found in the working directory: pmo-rules.toml first, then pyproject.toml."""
    root = directory or Path.cwd()
    for name, table in (("pmo-rules.toml", None), ("pyproject.toml", ("tool", "pmo-rules"))):
        path = root / name
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise DiagnosticError([Diagnostic(
                "PMO701", f"`{name}` is not valid TOML: {exc}", Span(str(path), 1, 1, 1, 2),
                help="fix the TOML syntax, or remove the file",
            )]) from None
        if table is not None:
            for key in table:
                data = data.get(key, {}) if isinstance(data, dict) else {}
            if not data:
                continue
        return _validated(data, path), path
    return {}, None


def _validated(data: dict[str, Any], path: Path) -> dict[str, Any]:
    problems = []
    for key in data:
        if key.replace("-", "_") not in KEYS:
            guess = did_you_mean(key, KEYS)
            problems.append(Diagnostic(
                "PMO702", f"unknown setting `{key}`", Span(str(path), 1, 1, 1, 2),
                help=f"did you mean `{guess}`?" if guess else f"settings are {', '.join(KEYS)}",
            ))
    if problems:
        raise DiagnosticError(problems)
    out = {k.replace("-", "_"): v for k, v in data.items()}
    for key in ("policy", "pack", "select", "ignore"):
        if isinstance(out.get(key), str):
            out[key] = [out[key]]
    return out
