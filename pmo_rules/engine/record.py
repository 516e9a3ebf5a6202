"""The run's settings, on the record: what every report states about how the run was set up.

Params in effect (value and where it came from), `--select`, `--ignore`, `--fail-on`,
the as-of date, the waiver register and its rules, and the policy packs and plugins
with their versions. Built once per run as plain JSON data; every format renders it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pmo_rules.engine.params import Overrides, literal_text, setting_policy
from pmo_rules.given import source_of, where_of
from pmo_rules.language.checked import CheckedPolicySet

DEFAULT = "default"


def run_settings(
    checked: CheckedPolicySet,
    overrides: Overrides,
    *,
    select: Sequence[str],
    ignore: Sequence[str],
    fail_on: str | None,
    as_of: dt.date,
    as_of_source: str,
    as_of_at: str | None,
    waivers: Mapping[str, Any] | None,
    plugins: Sequence[Mapping[str, Any]],
    pack_owners: Mapping[str, str],
    api_source: str = "api",
) -> dict[str, Any]:
    """The settings block of the report (JSON-ready, in a fixed order)."""
    return {
        "params": param_record(checked, overrides, api_source),
        "select": _patterns(select, api_source),
        "ignore": _patterns(ignore, api_source),
        "fail_on": {"value": fail_on, "source": source_of(fail_on, api_source)
                    if fail_on is not None else DEFAULT, "at": where_of(fail_on)},
        "as_of": {"value": as_of.isoformat(), "source": as_of_source, "at": as_of_at},
        "waivers": dict(waivers) if waivers is not None else None,
        "packs": pack_record(checked, pack_owners, plugins),
        "plugins": [{"name": p["name"], "version": p.get("version")} for p in plugins],
    }


def param_record(
    checked: CheckedPolicySet, overrides: Overrides, api_source: str = "api",
) -> list[dict[str, Any]]:
    """Every param of the policies that run: its value in effect and where that came from.

    `source` is `default` (the declaring policy's value), `tightened` (a policy extending
    it moved the value; `set_by` names it), `settings`, `--param`, or who else gave it.
    """
    running = {r.policy for r in checked.rules}
    out = []
    for (policy, name), param in sorted(checked.params.items()):
        if policy not in running:
            continue
        setter = setting_policy(param, checked)
        at = f"{param.span.file}:{param.span.line}"
        entry: dict[str, Any] = {
            "name": f"{policy}.{name}", "value": literal_text(param.value),
            "type": str(param.ty), "tighten": param.tighten,
            "source": DEFAULT if setter == param.declared_in else "tightened",
            "at": at, "declared_in": param.declared_in, "set_by": setter,
        }
        given = overrides.given.get((policy, name))
        if given is not None:
            entry.update({
                "value": str(given), "source": source_of(given, api_source),
                "at": where_of(given), "policy_value": entry["value"], "policy_at": at,
            })
        out.append(entry)
    return out


def _patterns(patterns: Sequence[str], api_source: str) -> dict[str, Any]:
    if not patterns:
        return {"value": [], "source": DEFAULT, "at": None}
    first = patterns[0]
    return {"value": [str(p) for p in patterns], "source": source_of(first, api_source),
            "at": where_of(first)}


def pack_names(checked: CheckedPolicySet) -> list[str]:
    """The policy packs whose files the run loaded (files named `pack:NAME/...`)."""
    return sorted({f.path.split("/", 1)[0][len("pack:"):] for f in checked.files
                   if f.path.startswith("pack:")})


def pack_record(
    checked: CheckedPolicySet, owners: Mapping[str, str], plugins: Iterable[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The policy packs the run loaded, with the plugin that ships each and its version."""
    versions = {p["name"]: p.get("version") for p in plugins}
    return [{"name": name, "plugin": owners.get(name), "version": versions.get(owners.get(name))}
            for name in pack_names(checked)]
