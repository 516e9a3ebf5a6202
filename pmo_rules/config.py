"""Settings from `[tool.pmo-rules]` in pyproject.toml or from pmo-rules.toml, for `check`."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, did_you_mean

KEYS = ("policy", "pack", "waivers", "params", "fail_on", "select", "ignore", "format",
        "lifecycles")


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


def _text_or_texts(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value))


_SEVERITIES = ("info", "low", "medium", "high", "critical")
_SHAPES: dict[str, tuple[Any, str, str]] = {
    "policy": (_text_or_texts, "a path or a list of paths", '`policy = ["policies/"]`'),
    "pack": (_text_or_texts, "a pack name or a list of them", '`pack = ["lifecycle"]`'),
    "select": (_text_or_texts, "a rule id or a list of them", '`select = ["LC-*"]`'),
    "ignore": (_text_or_texts, "a rule id or a list of them", '`ignore = ["PFB-04"]`'),
    "format": (_text_or_texts, "a format name or a list of them", '`format = "text"`'),
    "waivers": (lambda v: isinstance(v, str), "a path", '`waivers = "waivers.yaml"`'),
    "lifecycles": (_text_or_texts, "a path or a list of paths (YAML files or directories)",
                   '`lifecycles = ["governance/lifecycles/"]`'),
    "fail_on": (lambda v: v in _SEVERITIES, f"one of {', '.join(_SEVERITIES)}",
                '`fail_on = "high"`'),
    "params": (lambda v: isinstance(v, dict) and all(
        isinstance(x, str | int | float | bool) for x in v.values()),
        "a table of POLICY.NAME = value", '`params = { "epmo-portfolio.max_red_share" = "15%" }`'),
}


def _validated(data: dict[str, Any], path: Path) -> dict[str, Any]:
    problems = []
    for key in data:
        if key.replace("-", "_") not in KEYS:
            guess = did_you_mean(key, KEYS)
            problems.append(Diagnostic(
                "PMO702", f"unknown setting `{key}`", Span(str(path), 1, 1, 1, 2),
                help=f"did you mean `{guess}`?" if guess else f"settings are {', '.join(KEYS)}",
            ))
    out = {k.replace("-", "_"): v for k, v in data.items()}
    for key, value in out.items():
        expected = _SHAPES.get(key)
        if expected is not None and not expected[0](value):
            problems.append(Diagnostic(
                "PMO703", f"setting `{key}` must be {expected[1]}", Span(str(path), 1, 1, 1, 2),
                help=f"for example {expected[2]}",
            ))
    if problems:
        raise DiagnosticError(problems)
    for key in ("policy", "pack", "select", "ignore", "lifecycles"):
        if isinstance(out.get(key), str):
            out[key] = [out[key]]
    return out
