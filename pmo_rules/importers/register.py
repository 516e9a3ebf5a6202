"""The register importer: a spreadsheet register (CSV, XLSX) read by the mapping's
`fields` (sheets.py), or by the preset the mapping names (presets.py)."""

from __future__ import annotations

from typing import Any

from pmo_rules.importers.mapping import norm
from pmo_rules.importers.presets import apply_preset
from pmo_rules.importers.run import plain_loader
from pmo_rules.importers.sheets import read_register
from pmo_rules.importers.targets import TARGETS
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import ImportRequest, Loader

NAME = "register"


def read(request: ImportRequest) -> dict[str, Any]:
    """Every register source: one project per row, by the mapping's `fields`."""
    if request.mapping.preset:
        return apply_preset(request.mapping.preset, request)
    mapping = request.mapping.with_defaults(register_fields(), {})
    projects: list[dict[str, Any]] = []
    for path in request.sources:
        projects += read_register(path, mapping, request.report, NAME)
    return {"projects": projects}


load = plain_loader(NAME)


def register_fields() -> dict[str, str]:
    """Our own column names map to themselves, so a register in our vocabulary needs no
    mapping (`id`, `name`, `health.overall`, `schedule.baseline_finish`...)."""
    return {norm(t): t for t in TARGETS}


LOADERS = [Loader(NAME, (".csv", ".xlsx", ".xlsm"), load,
                  "a spreadsheet register (CSV, XLSX) with a column mapping", read=read)]


@hookimpl
def pmo_rules_loaders() -> list[Loader]:
    """The register importer."""
    return LOADERS
