"""Settings from `[tool.pmo-rules]` in pyproject.toml or from pmo-rules.toml, for `check`.

Every value read from a settings file is returned as a `Given` carrying the file and the
line it was written on, so that a problem with it (an unknown param, pack or pattern)
names that place, and the report records it as the value's source.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, did_you_mean, with_source
from pmo_rules.given import Given
from pmo_rules.language.ast import SEVERITIES
from pmo_rules.toml_positions import Position, key_positions

KEYS = ("policy", "pack", "waivers", "params", "fail_on", "select", "ignore", "format",
        "waiver_expiring_days", "max_waiver_days", "waiver_approver_grade", "store",
        "lifecycles")
# Lowest first, as the model's `Grade` (highest first) reversed; spelt out so reading the
# settings does not import the data model (tests/governance/test_settings_file.py).
GRADES = ("staff", "manager", "director", "executive")
SOURCE = "settings"


@dataclass(frozen=True)
class Settings:
    """The settings in effect: values by key (texts as Given), and the file they came from."""

    values: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    positions: dict[tuple[str, ...], Position] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """A setting's value, or `default`."""
        return self.values.get(key, default)

    def span(self, *key: str) -> Span | None:
        """Where a key (or the nearest enclosing key found) is written in the settings file."""
        if self.path is None:
            return None
        for n in range(len(key), -1, -1):
            found = self.positions.get(key[:n])
            if found is not None:
                return Span(str(self.path), found[0], found[1], found[0], found[1] + 1)
        return Span(str(self.path), 1, 1, 1, 2)


def load_config(directory: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """The settings found in the working directory: pmo-rules.toml first, then pyproject.toml."""
    settings = load_settings(directory)
    return settings.values, settings.path


def load_settings(directory: Path | None = None) -> Settings:
    """The settings found in the working directory, with the line of every value."""
    # Relative to the working directory, as users name it (and reports stay portable).
    root = directory or Path()
    for name, table in (("pmo-rules.toml", ()), ("pyproject.toml", ("tool", "pmo-rules"))):
        path = root / name
        if not path.is_file():
            continue
        text, data = _read(path, name)
        positions = key_positions(text)
        at = _Place(path, positions, table, text)
        for depth, key in enumerate(table):
            inner = data.get(key) if isinstance(data, dict) else None
            if inner is None:
                data = {}
                break
            if not isinstance(inner, dict):
                dotted = ".".join(table[:depth + 1])
                full = ".".join(table)
                raise DiagnosticError([at.diagnostic(
                    "PMO703", f"`{dotted}` in `{name}` must be a table, not "
                    f"{_shape(inner)}", table[:depth + 1], help=f"write the settings under "
                    f"a `[{full}]` header, e.g. `[{full}]` then `fail_on = \"high\"` on the "
                    "next line", absolute=True)])
            data = inner
        if not data and table:
            continue
        own = {k[len(table):]: v for k, v in positions.items() if k[:len(table)] == table}
        return Settings(_validated(data, at), path, own)
    return Settings()


def _read(path: Path, name: str) -> tuple[str, dict[str, Any]]:
    text = ""
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise DiagnosticError([Diagnostic(
            "PMO701", f"cannot read `{name}`: {exc}", Span(str(path), 1, 1, 1, 2),
            help="save the settings as UTF-8 text, or remove the file",
        )]) from None
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_error_place(str(exc), text)
        raise DiagnosticError([with_source(Diagnostic(
            "PMO701", f"`{name}` is not valid TOML: {exc}", Span(str(path), line, col, line,
                                                                   col + 1),
            help="fix the TOML syntax, or remove the file",
        ), text)]) from None


def _toml_error_place(message: str, text: str) -> tuple[int, int]:
    import re

    m = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if m:
        return int(m.group(1)), int(m.group(2))
    if "end of document" in message:  # the last line that holds anything
        lines = text.rstrip().splitlines() or [""]
        return len(lines), len(lines[-1]) + 1
    return 1, 1


@dataclass(frozen=True)
class _Place:
    """Where keys are written in one settings file (`table` is the settings' own table)."""

    path: Path
    positions: dict[tuple[str, ...], Position]
    table: tuple[str, ...]
    text: str

    def span(self, key: tuple[str, ...], absolute: bool = False) -> Span:
        full = key if absolute else (*self.table, *key)
        for n in range(len(full), -1, -1):
            found = self.positions.get(full[:n])
            if found is not None:
                line, col = found
                return Span(str(self.path), line, col, line, col + 1)
        return Span(str(self.path), 1, 1, 1, 2)

    def diagnostic(self, code: str, message: str, key: tuple[str, ...], *, help: str,
                   absolute: bool = False) -> Diagnostic:
        return with_source(Diagnostic(code, message, self.span(key, absolute), help=help),
                           self.text)

    def given(self, value: str, *key: str) -> Given:
        return Given(value, SOURCE, self.span(key))


def _shape(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _text_or_texts(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value))


def _days(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 36_500


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


_SHAPES: dict[str, tuple[Any, str, str]] = {
    "policy": (_text_or_texts, "a path or a list of paths", '`policy = ["policies/"]`'),
    "pack": (_text_or_texts, "a pack name or a list of them", '`pack = ["lifecycle"]`'),
    "select": (_text_or_texts, "a rule id or a list of them", '`select = ["LC-*"]`'),
    "ignore": (_text_or_texts, "a rule id or a list of them", '`ignore = ["PFB-04"]`'),
    "format": (_text_or_texts, "a format name or a list of them", '`format = "text"`'),
    "waivers": (lambda v: isinstance(v, str), "a path", '`waivers = "waivers.yaml"`'),
    "store": (lambda v: isinstance(v, str), "a SQLite file path or a postgresql:// URL",
              '`store = ".pmo-rules/history.db"`'),
    "lifecycles": (_text_or_texts, "a path or a list of paths (YAML files or directories)",
                   '`lifecycles = ["governance/lifecycles/"]`'),
    "fail_on": (lambda v: v in SEVERITIES, f"one of {', '.join(SEVERITIES)}",
                '`fail_on = "high"`'),
    "params": (lambda v: isinstance(v, dict), "a table of POLICY.NAME = value",
               '`params = { "epmo-portfolio.max_red_share" = "15%" }`'),
    "waiver_expiring_days": (_days, "a whole number of days", "`waiver_expiring_days = 30`"),
    "max_waiver_days": (_days, "a whole number of days", "`max_waiver_days = 180`"),
    "waiver_approver_grade": (
        lambda v: isinstance(v, dict), "a table of severity = grade",
        '`waiver_approver_grade = { critical = "executive", high = "director" }`'),
}
# The entries of table settings: (key check, value check, what a value must be, example).
_ENTRIES: dict[str, tuple[Any, Any, str, str]] = {
    "params": (lambda k: "." in k, _scalar, "text, a number or true/false",
               '`"epmo-portfolio.max_red_share" = "15%"`'),
    "waiver_approver_grade": (lambda k: k in SEVERITIES, lambda v: v in GRADES,
                              f"one of the grades {', '.join(GRADES)}",
                              '`critical = "executive"`'),
}
_ENTRY_KEYS = {"params": "a POLICY.NAME key",
               "waiver_approver_grade": f"a severity ({', '.join(SEVERITIES)})"}


def _validated(data: dict[str, Any], at: _Place) -> dict[str, Any]:
    problems = []
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in KEYS:
            guess = did_you_mean(name, KEYS)
            problems.append(at.diagnostic(
                "PMO702", f"unknown setting `{key}`", (key,),
                help=f"did you mean `{guess}`?" if guess else f"settings are {', '.join(KEYS)}",
            ))
            continue
        expected = _SHAPES[name]
        if not expected[0](value):
            problems.append(at.diagnostic(
                "PMO703", f"setting `{key}` must be {expected[1]}, not {_shape(value)}", (key,),
                help=f"for example {expected[2]}",
            ))
            continue
        if name in _ENTRIES:
            bad = _bad_entries(name, key, value, at)
            if bad:
                problems += bad
                continue
        out[name] = _placed(value, at, key)
    if problems:
        raise DiagnosticError(problems)
    for key in ("policy", "pack", "select", "ignore", "lifecycles"):
        if isinstance(out.get(key), str):
            out[key] = [out[key]]
    return out


def _bad_entries(name: str, key: str, value: dict[str, Any], at: _Place) -> list[Diagnostic]:
    good_key, good_value, what, example = _ENTRIES[name]
    out = []
    for k, v in value.items():
        if not good_key(k):
            guess = did_you_mean(k, SEVERITIES) if name == "waiver_approver_grade" else None
            out.append(at.diagnostic(
                "PMO703", f"`{k}` in setting `{key}` is not {_ENTRY_KEYS[name]}", (key, k),
                help=f"did you mean `{guess}`?" if guess else f"for example {example}"))
        elif not good_value(v):
            guess = did_you_mean(str(v), GRADES) if name == "waiver_approver_grade" else None
            out.append(at.diagnostic(
                "PMO703", f"`{key}.{k}` must be {what}, not {_shape(v)}", (key, k),
                help=f"did you mean `{guess}`?" if guess else f"for example {example}"))
    return out


def _placed(value: Any, at: _Place, key: str) -> Any:
    """The value with every text in it a Given that knows its line."""
    if isinstance(value, str):
        return at.given(value, key)
    if isinstance(value, list):
        return [at.given(v, key, str(i)) if isinstance(v, str) else v
                for i, v in enumerate(value)]
    if key == "params":
        return {at.given(k, key, k): at.given(v if isinstance(v, str) else _toml_text(v),
                                              key, k)
                for k, v in value.items()}
    return value


def _toml_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
