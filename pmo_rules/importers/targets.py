"""Where a source value may go in a project, and how it is read on the way there.

One table serves every format: a register column, a Jira custom field or an MS
Project extended attribute mapped to `health.overall` is read the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.values import Bad, clean, parse_date, parse_number, placeholder

RAG = ("green", "amber", "red", "grey")
STATUS = ("proposed", "active", "on_hold", "cancelled", "closed")
DATE_TARGETS = frozenset({
    "schedule.baseline_start", "schedule.baseline_finish", "schedule.forecast_start",
    "schedule.forecast_finish", "schedule.actual_start", "schedule.actual_finish",
    "health.reported_on", "evm.as_of", "closed_on", "on_hold_since", "cancelled_on",
    "phase_entered_on"})
MONEY_TARGETS = frozenset({
    "budget.approved", "budget.actual_to_date", "budget.forecast_at_completion",
    "evm.bac", "evm.pv", "evm.ev", "evm.ac"})
RAG_TARGETS = frozenset({"health.overall", "health.schedule", "health.cost", "health.scope",
                         "health.risk"})
ENUM_TARGETS: dict[str, tuple[str, ...]] = {
    "status": STATUS,
    "delivery_approach": ("predictive", "agile", "hybrid"),
    "health.trend": ("improving", "stable", "declining"),
}
TEXT_TARGETS = frozenset({"id", "name", "program", "phase", "sponsor", "project_manager",
                          "lifecycle", "cancellation_reason"})
TARGETS = frozenset({*DATE_TARGETS, *MONEY_TARGETS, *RAG_TARGETS, *ENUM_TARGETS,
                     *TEXT_TARGETS, "tier", "tags"})


def valid_target(target: str) -> bool:
    """A project field a source value may be mapped to (`custom.NAME` included)."""
    return target in TARGETS or (target.startswith("custom.") and len(target) > 7)


def set_path(record: dict[str, Any], path: str, value: Any) -> None:
    """Set `a.b` in nested dicts; `tags` appends."""
    head, _, rest = path.partition(".")
    if not rest:
        if head == "tags":
            tags = record.setdefault("tags", [])
            for tag in value if isinstance(value, list) else [value]:
                if tag not in tags:
                    tags.append(tag)
        else:
            record[head] = value
        return
    set_path(record.setdefault(head, {}), rest, value)


def read_value(target: str, raw: Any, mapping: ImportMapping) -> Any:
    """`raw` read for `target`: the typed value, None when blank, or a `Bad`."""
    if isinstance(raw, str | int | float | dt.date) is False and raw is not None:
        raw = str(raw)
    text = raw if not isinstance(raw, str) else clean(raw)
    if text is None:
        return None
    if target in DATE_TARGETS:
        return parse_date(text, mapping.date_formats)
    if target in MONEY_TARGETS:
        number = parse_number(text)
        return number if not isinstance(number, float) else number * mapping.money_unit
    if target in RAG_TARGETS:
        return _choice(str(text), mapping.values.get("health", {}), RAG, "a RAG rating")
    if target in ENUM_TARGETS:
        key = target.split(".")[-1]
        return _choice(str(text), mapping.values.get(key, {}), ENUM_TARGETS[target], key)
    if target == "tier":
        mapped = mapping.values.get("tier", {}).get(str(text).strip().lower())
        number = parse_number(mapped if mapped is not None else text)
        if isinstance(number, float) and number.is_integer() and 1 <= number <= 3:
            return int(number)
        return number if isinstance(number, Bad) else Bad("a tier is 1, 2 or 3")
    if target == "phase":
        return mapping.values.get("phase", {}).get(str(text).strip().lower(), str(text))
    if target == "tags":
        return [t.strip() for t in str(text).replace(";", ",").split(",") if t.strip()]
    if isinstance(text, str):
        bad = placeholder(text) if target in ("id", "name") else None
        return bad or text
    return text


def _choice(text: str, table: dict[str, Any], allowed: tuple[str, ...], what: str) -> Any:
    key = " ".join(text.lower().replace("/ ", "/").split())
    if key in table:
        return table[key]
    if key in allowed:
        return key
    return placeholder(text) or Bad(
        f"not {what} ({', '.join(allowed)}); map it under `values` in the mapping file")


def place_value(record: dict[str, Any], target: str, raw: Any, place: Place,
                report: ImportReport, mapping: ImportMapping, subject: str = "") -> bool:
    """Read `raw` for `target` and set it on `record`, or refuse it in the report."""
    if target.startswith("custom."):
        text = clean(raw) if isinstance(raw, str) else raw
        if text is not None:
            set_path(record, target, text)
            report.keep(place.field or target)
        return text is not None
    value = read_value(target, raw, mapping)
    if isinstance(value, Bad):
        report.refuse(place, raw, value.reason, target, subject)
        return False
    if value is None:
        return False
    if isinstance(value, dt.date):
        value = value.isoformat()  # the document holds text, as a YAML file would
    set_path(record, target, value)
    report.map(place.field or target, target)
    return True
