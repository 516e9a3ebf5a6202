"""The mapping file (`--mapping mapping.yaml`), read into an ImportMapping (mapping.py).

Validated whole before anything is imported; every problem is a PMO464 diagnostic
with the file and line of the key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from pmo_rules import lined_yaml
from pmo_rules.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Span,
    did_you_mean,
    missing_path_help,
    not_a_file,
)
from pmo_rules.importers.mapping import ImportMapping, money_factor, norm
from pmo_rules.importers.presets import PRESETS
from pmo_rules.importers.targets import ENUM_TARGETS, RAG, STATUS, TARGETS, valid_target

CODE = "PMO464"
JIRA_LEVELS = ("epic", "project", "issue")
TOP_KEYS = ("as_of", "currency", "money_unit", "date_formats", "limits", "fields", "values",
            "projects", "jira", "register", "preset")
VALUE_TABLES = ("status", "phase", "health", "tier", "delivery_approach", "trend")


def load_mapping(path: Path | None) -> ImportMapping:
    """Read and validate the mapping file; every problem at once as PMO464 diagnostics."""
    if path is None:
        return ImportMapping()
    name = str(path)
    special = not_a_file(CODE, name, "the mapping file ", Span(name, 1, 1))
    if special is not None:
        raise DiagnosticError([special])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DiagnosticError([Diagnostic(
            CODE, f"the mapping file `{name}` does not exist", Span(name, 1, 1),
            help=missing_path_help(path, "give the path of a mapping file (docs/import.md)"))
        ]) from None
    except OSError as exc:
        raise DiagnosticError([Diagnostic(
            CODE, f"cannot read the mapping file `{name}`: {exc.strerror}", Span(name, 1, 1),
            help="check the path and its permissions")]) from None
    except UnicodeDecodeError as exc:
        raise DiagnosticError([Diagnostic(
            CODE, f"the mapping file `{name}` is not UTF-8 text (byte {exc.start})",
            Span(name, 1, 1), help="save it as UTF-8")]) from None
    try:
        data = lined_yaml.load(text, key_lines=True) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DiagnosticError([Diagnostic(
            CODE, f"the mapping file is not valid YAML: {getattr(exc, 'problem', exc)}",
            Span(name, line, col), help="fix the YAML syntax at this place")]) from None
    checker = _Checker(name)
    mapping = checker.mapping(data)
    if checker.problems:
        raise DiagnosticError(checker.problems)
    return mapping


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Diagnostic] = []

    def bad(self, node: Any, key: str | None, message: str, help: str) -> None:
        line = 1
        if isinstance(node, dict):
            line = node.get(lined_yaml.KEY_LINES, {}).get(key, node.get(lined_yaml.LINE, 1))
        self.problems.append(Diagnostic(CODE, message, Span(self.file, line, 1), help=help,
                                        path=key))

    def items(self, node: dict[str, Any]) -> list[tuple[str, Any]]:
        return [(k, v) for k, v in node.items() if k not in (lined_yaml.LINE, lined_yaml.KEY_LINES)]

    def table(self, node: Any, key: str, parent: dict[str, Any]) -> dict[str, Any]:
        if node is None:
            return {}
        if not isinstance(node, dict):
            self.bad(parent, key, f"`{key}` must be a mapping, not {type(node).__name__}",
                     f"write `{key}:` followed by indented `name: value` lines")
            return {}
        return node

    def unknown(self, node: Any, key: Any, what: str, known: Iterable[str], *,
                plural: str = "settings", given: str | None = None) -> None:
        """A name the mapping file does not know, at its key, with a did-you-mean."""
        name = str(key) if given is None else given
        known = list(known)
        guess = did_you_mean(name, known)
        self.bad(node, key, f"unknown {what} `{name}`", f"did you mean `{guess}`?" if guess
                 else f"{plural} are {', '.join(known)}")

    def mapping(self, data: Any) -> ImportMapping:
        out = ImportMapping(file=self.file)
        if not isinstance(data, dict):
            self.bad({}, None, "the mapping file must be a mapping of settings",
                     f"start with keys such as {', '.join(TOP_KEYS[:5])}")
            return out
        for key, value in self.items(data):
            if key not in TOP_KEYS:
                self.unknown(data, key, "mapping setting", TOP_KEYS)
                continue
            getattr(self, f"_{key}")(out, value, data)
        return out

    def _as_of(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        try:
            out.as_of = dt.date.fromisoformat(str(value))
        except ValueError:
            self.bad(node, "as_of", f"`as_of: {value}` is not a date", "write YYYY-MM-DD")

    def _currency(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
            self.bad(node, "currency", f"`currency: {value}` is not a currency code",
                     "write an ISO 4217 code such as GBP, EUR or USD")
        else:
            out.currency = value

    def _money_unit(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        factor = float(value) if isinstance(value, int | float) else money_factor(str(value))
        if factor is None or factor <= 0:
            self.bad(node, "money_unit", f"`money_unit: {value}` is not a unit of money",
                     "write `£m` (millions), `k` (thousands), `bn`, or a factor like 1000000")
        else:
            out.money_unit = factor

    def _date_formats(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and "%" in v for v in values):
            self.bad(node, "date_formats", "`date_formats` must list strftime formats",
                     "for example `date_formats: ['%d/%m/%Y', '%d-%b-%Y']`")
        else:
            out.date_formats = tuple(values)

    def _limits(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        for key, item in self.items(self.table(value, "limits", node)):
            if key != "max_file_mb":
                self.bad(value, key, f"unknown limit `{key}`", "the limit is `max_file_mb`")
            elif not isinstance(item, int | float) or isinstance(item, bool) or item <= 0:
                self.bad(value, key, f"`max_file_mb: {item}` is not a positive number",
                         "give the largest source file to read, in megabytes")
            else:
                out.max_file_mb = float(item)

    def _fields(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        for source, target in self.items(self.table(value, "fields", node)):
            if not isinstance(target, str) or not valid_target(target):
                guess = did_you_mean(str(target), TARGETS)
                self.bad(value, source, f"`{source}` is mapped to `{target}`, which is not a "
                         "project field", (f"did you mean `{guess}`? " if guess else "")
                         + "map to a project field (health.overall, tier, sponsor, program, "
                         "phase, schedule.baseline_finish, ...) or custom.NAME")
            else:
                out.fields[norm(str(source))] = target

    def _values(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        allowed: dict[str, tuple[Any, ...] | None] = {
            "status": STATUS, "health": RAG, "phase": None, "tier": (1, 2, 3),
            "delivery_approach": ENUM_TARGETS["delivery_approach"],
            "trend": ENUM_TARGETS["health.trend"]}
        for table, entries in self.items(self.table(value, "values", node)):
            if table not in allowed:
                self.unknown(value, table, "value table", allowed, plural="tables")
                continue
            choices = allowed[table]
            for raw, mapped in self.items(self.table(entries, table, value)):
                if choices is not None and mapped not in choices:
                    self.bad(entries, raw, f"`{raw}: {mapped}` maps to no {table} value",
                             f"use one of {', '.join(map(str, choices))}")
                else:
                    out.values.setdefault(table, {})[norm(str(raw))] = mapped

    def _projects(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        for key, fields in self.items(self.table(value, "projects", node)):
            record = self.table(fields, str(key), value)
            out.projects[str(key)] = {k: v for k, v in self.items(record)}

    def _jira(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        keys = ("project_level", "dependency_links", "soft_links", "columns")
        table = self.table(value, "jira", node)
        for key, item in self.items(table):
            if key not in keys:
                self.unknown(table, key, "jira setting", keys)
            elif key == "columns":
                out.jira[key] = {str(k): str(v) for k, v in self.items(
                    self.table(item, key, table))}
            elif key == "project_level":
                if not isinstance(item, str | list):
                    self.bad(table, key, f"`{key}` must be a level name or a list of issue types",
                             f"one of {', '.join(JIRA_LEVELS)}, or issue type names")
                else:
                    out.jira[key] = item
            elif key == "soft_links":
                out.jira[key] = [str(v) for v in (item if isinstance(item, list) else [item])]
            else:
                links: dict[str, dict[str, str]] = {}
                for name, spec in self.items(self.table(item, key, table)):
                    spec = spec if isinstance(spec, dict) else {"type": spec}
                    dep_type = spec.get("type", "FS")
                    if dep_type not in ("FS", "SS", "FF", "SF"):
                        self.bad(item, name, f"link type `{name}` maps to `{dep_type}`",
                                 "use FS, SS, FF or SF")
                        continue
                    links[str(name)] = {"type": dep_type, "kind": spec.get("kind", "hard"),
                                        "predecessor": spec.get("predecessor", "outward")}
                out.jira[key] = links

    def _register(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        keys = ("layout", "sheet", "header_row", "id_prefix", "as_of_from_name")
        table = self.table(value, "register", node)
        for key, item in self.items(table):
            if key not in keys:
                self.unknown(table, key, "register setting", keys)
            elif key == "layout" and item not in ("rows", "columns"):
                self.bad(table, key, f"`layout: {item}` is not a layout",
                         "`rows` (one project per row) or `columns` (one per column)")
            elif key == "header_row" and (not isinstance(item, int) or item < 1):
                self.bad(table, key, "`header_row` must be a row number from 1",
                         "the row holding the column names")
            else:
                out.register[key] = item

    def _preset(self, out: ImportMapping, value: Any, node: dict[str, Any]) -> None:
        if value not in PRESETS:
            self.unknown(node, "preset", "preset", PRESETS, plural="presets", given=str(value))
        else:
            out.preset = str(value)
