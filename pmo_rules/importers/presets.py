"""Presets of the register loader for published portfolio tables: GMPP and the IT Dashboard.

A preset is a column mapping, value tables and a money unit that a mapping file
may extend or override (`preset: gmpp` plus your own `fields:` and `values:`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport, Place
from pmo_rules.importers.run import plain_loader
from pmo_rules.importers.sheets import Finisher, read_register
from pmo_rules.importers.targets import place_value
from pmo_rules.importers.values import clean, parse_date, slug
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import ImportRequest, Loader


@dataclass(frozen=True)
class Preset:
    """A published table's layout: column mapping, value tables, unit, currency, detection."""

    name: str
    description: str
    fields: dict[str, str]
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    money_unit: float = 1.0
    currency: str | None = None
    markers: tuple[str, ...] = ()  # header texts that identify the table
    finish_row: Finisher | None = None
    as_of: Callable[[Path, list[dict[str, Any]]], str | None] | None = None


def _gmpp_dca(record: dict[str, Any], cells: dict[str, tuple[Any, Place]],
              report: ImportReport, mapping: ImportMapping) -> None:
    """Health from the IPA's Delivery Confidence Assessment, else the SRO's (both kept)."""
    for source, key in (("IPA", "custom.ipa_dca"), ("SRO", "custom.sro_dca")):
        raw, place = cells.get(key, (None, None))
        if clean(raw) is not None and place is not None:
            record.setdefault("custom", {}).update({"dca_raw": clean(raw), "dca_source": source})
            place_value(record, "health.overall", raw, place, report, mapping,
                        str(record.get("id", "")))
            break
    department = record.get("program")
    if department:
        record.setdefault("custom", {})["department"] = department
        if not record.get("id") and record.get("name"):  # before 2016 GMPP had no ids
            record["id"] = slug(f"{department} {record['name']}")


def _as_of_from_name(path: Path, projects: list[dict[str, Any]]) -> str | None:
    """GMPP publishes at 31 March (annual reports): `..._March_2022.csv` -> 2022-03-31."""
    months = "|".join(calendar.month_name[1:])
    match = re.search(rf"({months})[ _-]?(\d{{4}})", path.stem, re.I)
    if not match:
        return None
    month = [m.lower() for m in calendar.month_name].index(match[1].lower())
    year = int(match[2])
    return dt.date(year, month, calendar.monthrange(year, month)[1]).isoformat()


def _as_of_latest_update(path: Path, projects: list[dict[str, Any]]) -> str | None:
    """The IT Dashboard: the latest `Updated Date` of the rows."""
    dates = [parse_date(p.get("custom", {}).get("Updated Date")) for p in projects]
    known = [d for d in dates if isinstance(d, dt.date)]
    return max(known).isoformat() if known else None


GMPP = Preset(
    "gmpp", "UK Government Major Projects Portfolio annual data (both layouts)",
    fields={
        "GMPP ID Number": "id", "Project Name": "name", "Department": "program",
        "Annual Report Category": "tags",
        "IPA Delivery Confidence Assessment*": "custom.ipa_dca",
        "MPA RAG rating*": "custom.ipa_dca", "IPA RAG*": "custom.ipa_dca",
        "SRO Delivery Confidence Assessment*": "custom.sro_dca",
        "Project - Start Date*": "schedule.baseline_start",
        "Project - End Date*": "schedule.baseline_finish",
        "TOTAL Baseline Whole Life Costs*": "budget.approved",
    },
    values={"health": {"green": "green", "amber": "amber", "red": "red",
                       "exempt": "grey", "no dca": "grey", "reset": "grey"}},
    money_unit=1e6, currency="GBP",
    markers=("GMPP ID Number", "Delivery Confidence Assessment", "MPA RAG"),
    finish_row=_gmpp_dca, as_of=_as_of_from_name)

ITDASHBOARD = Preset(
    "itdashboard", "US federal IT Dashboard project table",
    fields={
        "Project ID": "id", "Project Name": "name", "Unique Investment Identifier": "program",
        "Start Date": "schedule.baseline_start", "Completion Date (B1)": "schedule.baseline_finish",
        "Lifecycle Cost*": "budget.approved", "Planned Cost*": "evm.pv",
        "Projected/Actual Cost*": "evm.ac",
    },
    money_unit=1e6, currency="USD", markers=("Unique Investment Identifier",),
    as_of=_as_of_latest_update)

PRESETS: dict[str, Preset] = {p.name: p for p in (GMPP, ITDASHBOARD)}


def apply_preset(name: str, request: ImportRequest) -> dict[str, Any]:
    """Read every source with a preset's mapping under the user's own."""
    preset = PRESETS[name]
    mapping = request.mapping.with_defaults(preset.fields, preset.values)
    if request.mapping.money_unit == 1.0:
        mapping.money_unit = preset.money_unit
    projects: list[dict[str, Any]] = []
    dates = []
    for path in request.sources:
        found = read_register(path, mapping, request.report, name, preset.finish_row)
        projects += found
        day = preset.as_of(path, found) if preset.as_of else None
        if day:
            dates.append(day)
    out: dict[str, Any] = {"projects": projects}
    if dates:
        out["as_of"] = max(dates)
        for project in projects:
            if project.get("health"):
                project["health"].setdefault("reported_on", max(dates))
    if preset.currency:
        out["currency"] = request.mapping.currency or preset.currency
    if name == "itdashboard":
        out["programs"] = _investments(projects)
    return out


def _investments(projects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One program per investment, named by its title."""
    out: dict[str, dict[str, Any]] = {}
    for project in projects:
        ident = project.get("program")
        if ident and ident not in out:
            title = project.get("custom", {}).get("Investment Title")
            out[ident] = {"id": ident, **({"name": title} if title else {})}
    return list(out.values())


def _sniffer(preset: Preset) -> Callable[[bytes], bool]:
    def sniff(data: bytes) -> bool:
        text = data[:16384].decode("utf-8", "replace")
        return any(marker in text for marker in preset.markers)

    return sniff


def _reader(preset: Preset) -> Callable[[ImportRequest], dict[str, Any]]:
    def read(request: ImportRequest) -> dict[str, Any]:
        return apply_preset(preset.name, request)

    return read


@hookimpl
def pmo_rules_loaders() -> list[Loader]:
    """The GMPP and IT Dashboard importers (presets of the register loader)."""
    return [Loader(p.name, (".csv", ".xlsx", ".xlsm"), plain_loader(p.name), p.description,
                   read=_reader(p), sniff=_sniffer(p)) for p in PRESETS.values()]
