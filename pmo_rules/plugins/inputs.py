"""A run's inputs, read with the installed plugins: policies, portfolio and lifecycles.

Policies are checked against the language as the plugins extend it (their functions,
checks and policy packs); a portfolio is read by the built-in formats, the importers
or a plugin loader; lifecycle files add to the built-in and plugin lifecycles.
`pmo_rules.api` re-exports these functions; docs/architecture.md places them in the
pipeline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.given import span_of
from pmo_rules.language.checked import CheckedPolicySet
from pmo_rules.model.lifecycles import LifecycleModel
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.plugins.manager import Plugins
from pmo_rules.timing import staged

__all__ = ["load_lifecycles", "load_policies", "load_portfolio", "pack_directories"]


@staged("compile")  # parsing and checking the policies
def load_policies(
    paths: Sequence[str | Path],
    registry: Any | None = None,
    *,
    plugins: Plugins | None = None,
    packs: Iterable[str] = (),
    parents_from: Sequence[str | Path] = (),
    parent_packs: Iterable[str] = (),
    lifecycles: Iterable[LifecycleModel] = (),
) -> CheckedPolicySet:
    """Parse and check .pmo files (or directories of them), plus the named plugin policy packs.

    Calls to plugin functions and checks are type-checked against the plugins'
    declarations; a call into a plugin that failed to load checks, and errors when run.
    A loaded policy that extends one not loaded finds it in `parents_from` (paths) or
    `parent_packs`, searched in that order: only the files declaring the policies it
    extends (and theirs, up the chain) are added. The phases of `lifecycles` (from
    load_lifecycles) are known phase names too.
    """
    from pmo_rules.language.checker import check_policies
    from pmo_rules.language.declarations import builtin_registry
    from pmo_rules.language.loader import load_policy_files
    from pmo_rules.plugins.extend import extend_registry, installed, stand_ins

    plugins = plugins if plugins is not None else installed()
    packs = list(packs)
    files = load_policy_files(paths, dict(zip(packs, pack_directories(packs, plugins=plugins),
                                              strict=True)))
    parent_packs = list(parent_packs)
    if _missing_parents(files) and (parents_from or parent_packs):
        library = load_policy_files(parents_from, dict(zip(
            parent_packs, pack_directories(parent_packs, plugins=plugins), strict=True)))
        files += _parents(files, library)
    if registry is None:
        registry = extend_registry(builtin_registry(), plugins)
    for model in lifecycles:
        registry.add_phases(model.phases)
    stand_ins([p for f in files for p in f.policies], registry, plugins)
    try:
        return check_policies(files, registry)
    except DiagnosticError as exc:
        missing = _missing_parents(files)
        if not missing:
            raise
        raise DiagnosticError(_with_pack_hints(exc.diagnostics, files, _declaring_packs(
            missing, plugins, loaded=packs))) from None


def _missing_parents(files: Sequence[Any]) -> set[str]:
    declared = {p.name for f in files for p in f.policies}
    return {p.extends for f in files for p in f.policies
            if p.extends is not None and p.extends not in declared}


def _declaring_packs(names: set[str], plugins: Plugins, *, loaded: Sequence[str]) -> dict[str, str]:
    """Which installed pack (not already loaded) declares each of `names`."""
    from pmo_rules.language.loader import load_policy_files

    found: dict[str, str] = {}
    for pack_name, pack in sorted(plugins.collected.policy_packs.items()):
        if pack_name in loaded or pack.path is None:
            continue
        try:
            files = load_policy_files([], {pack_name: Path(pack.path)})
        except DiagnosticError:
            continue  # a broken pack is reported when it is loaded, not in a hint
        for f in files:
            for policy in f.policies:
                if policy.name in names:
                    found.setdefault(policy.name, pack_name)
    return found


def _with_pack_hints(diagnostics: Sequence[Diagnostic], files: Sequence[Any],
                     packs: dict[str, str]) -> list[Diagnostic]:
    """PMO303 (a parent not loaded) says which installed pack declares the parent."""
    parent_at = {p.span: p.extends for f in files for p in f.policies if p.extends in packs}
    out = []
    for d in diagnostics:
        parent = parent_at.get(d.span) if d.code == "PMO303" else None
        if parent is not None:
            pack = packs[parent]
            d = dataclasses.replace(d, help=(
                f"`{parent}` is declared by the `{pack}` pack: add `--pack {pack}`, or "
                f"`pack = [\"{pack}\"]` in pmo-rules.toml"))
        out.append(d)
    return out


def _parents(files: Sequence[Any], library: Sequence[Any]) -> list[Any]:
    """The library files that declare the policies `files` extend, up every chain."""
    def key(path: str) -> str:
        return path if path.startswith("pack:") else str(Path(path).resolve())

    loaded = {key(f.path) for f in files}
    declares: dict[str, Any] = {}
    for f in library:  # the first file declaring a name wins: the library is in order
        for p in f.policies:
            declares.setdefault(p.name, f)
    added: list[Any] = []
    missing = _missing_parents(files)
    while missing:
        found = [declares[name] for name in sorted(missing) if name in declares]
        found = [f for f in found if key(f.path) not in loaded]
        if not found:
            break
        for f in found:
            if key(f.path) not in loaded:
                loaded.add(key(f.path))
                added.append(f)
        missing = _missing_parents([*files, *added])
    return added


def pack_directories(packs: Iterable[str], *, plugins: Plugins | None = None) -> list[Path]:
    """The directories of the named policy packs; an unknown name is a diagnostic."""
    from pmo_rules.plugins.extend import installed

    plugins = plugins if plugins is not None else installed()
    available = plugins.collected.policy_packs
    out, problems = [], []
    for name in packs:
        pack = available.get(name)
        if pack is None:
            guess = did_you_mean(name, available)
            problems.append(Diagnostic(
                "PMO604", f"no loaded plugin provides a policy pack called `{name}`",
                span_of(name), help=f"did you mean `{guess}`?" if guess else
                "`pmo-rules plugins` lists the policy packs of the installed plugins"))
        else:
            out.append(Path(pack.path))
    if problems:
        raise DiagnosticError(problems)
    return out


def load_portfolio(
    path: str | Path, *, as_of: dt.date | None = None, plugins: Plugins | None = None,
    from_: str | None = None, mapping: str | Path | None = None,
    lifecycles: Iterable[LifecycleModel] = (),
) -> LoadedPortfolio:
    """Load and validate a portfolio (YAML, JSON, CSV, or a plugin loader's format).

    PMO tools' files (MS Project XML, XER, Jira, registers...) are imported on the way,
    detected from their name and content; `from_` forces a format, `mapping` names the
    mapping file (see docs/import.md). Projects may follow the built-in lifecycles, the
    plugins' and the given `lifecycles` (from load_lifecycles).
    """
    from pmo_rules.plugins.extend import installed, lifecycle_registry
    from pmo_rules.plugins.loading import load_with_plugins

    plugins = plugins if plugins is not None else installed()
    registry = lifecycle_registry(plugins)
    for model in lifecycles:
        if model.id not in registry:
            registry.add(model)
    return load_with_plugins(Path(path), as_of, plugins, registry,
                             from_=from_, mapping=Path(mapping) if mapping else None)


def load_lifecycles(
    paths: Iterable[str | Path], *, plugins: Plugins | None = None
) -> list[LifecycleModel]:
    """Lifecycle models written in YAML (files, or directories of `.yaml` files); an id
    that a built-in or plugin lifecycle already has is a diagnostic."""
    from pmo_rules.model.lifecycle_files import load_lifecycle_files
    from pmo_rules.plugins.extend import installed, lifecycle_registry

    plugins = plugins if plugins is not None else installed()
    return load_lifecycle_files(paths, lifecycle_registry(plugins).ids())
