"""Load a portfolio through a plugin loader when one claims the file's suffix."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span
from pmo_rules.model.lifecycles import LifecycleRegistry
from pmo_rules.model.load import load_portfolio
from pmo_rules.model.portfolio import LoadedPortfolio, SourceFile
from pmo_rules.model.records import thaw_custom
from pmo_rules.plugins.manager import Plugins
from pmo_rules.plugins.types import Loader


def loader_for(path: Path, plugins: Plugins) -> Loader | None:
    """The plugin loader whose suffixes match `path` (the built-in formats win), or None."""
    if path.is_dir() or path.suffix.lower() in (".yaml", ".yml", ".json"):
        return None
    for loader in plugins.collected.loaders.values():
        if any(path.name.lower().endswith(s.lower()) for s in loader.suffixes):
            return loader
    return None


def load_with_plugins(
    path: Path, as_of: dt.date | None, plugins: Plugins, lifecycles: LifecycleRegistry
) -> LoadedPortfolio:
    """Load `path` (with a plugin loader if one claims it), then run portfolio_loaded hooks."""
    loader = loader_for(path, plugins)
    if loader is None:
        portfolio = load_portfolio(path, as_of=as_of, lifecycles=lifecycles)
    else:
        portfolio = _load_via(loader, path, as_of, plugins, lifecycles)
    if plugins.manager.hook.pmo_rules_portfolio_loaded.get_hookimpls():
        # Enrichment adds under `custom`: give each entity a map of its own to add to.
        thaw_custom([portfolio.people, portfolio.objectives, portfolio.programs,
                     portfolio.projects, portfolio.milestones, portfolio.risks, portfolio.issues,
                     portfolio.dependencies])
        plugins.call_each("pmo_rules_portfolio_loaded", portfolio=portfolio)
    return portfolio


def _load_via(
    loader: Loader, path: Path, as_of: dt.date | None, plugins: Plugins,
    lifecycles: LifecycleRegistry,
) -> LoadedPortfolio:
    owner = plugins.collected.owner.get(("loaders", loader.name), "?")
    if not path.is_file():
        raise DiagnosticError([Diagnostic(
            "PMO400", f"`{path}` does not exist", help="give the path of a portfolio file")])
    try:
        data = loader.load(path)
    except Exception as exc:  # the plugin's parser: report, never a traceback
        raise DiagnosticError([Diagnostic(
            "PMO410", f"plugin `{owner}` loader `{loader.name}` could not read `{path}`: "
            f"{type(exc).__name__}: {exc}", Span(str(path), 1, 1),
            help="check the file is a valid export for this loader, or report it to the "
            "plugin's authors")]) from None
    if isinstance(data, LoadedPortfolio):
        return data
    if not isinstance(data, Mapping):
        raise DiagnosticError([Diagnostic(
            "PMO410", f"plugin `{owner}` loader `{loader.name}` returned "
            f"{type(data).__name__}, expected a portfolio mapping", Span(str(path), 1, 1),
            help="report it to the plugin's authors")])
    return _validate(dict(data), path, as_of, lifecycles)


def _validate(
    data: dict[str, Any], path: Path, as_of: dt.date | None, lifecycles: LifecycleRegistry
) -> LoadedPortfolio:
    # The model validates files, so the loader's document goes through a JSON copy; the
    # copy's name in diagnostics is replaced by the file the user gave.
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / (path.stem + ".json")
        copy.write_text(json.dumps(data, default=str), encoding="utf-8")
        try:
            portfolio = load_portfolio(copy, as_of=as_of, lifecycles=lifecycles)
        except DiagnosticError as exc:
            raise DiagnosticError([_renamed(d, str(copy), str(path))
                                   for d in exc.diagnostics]) from None
    portfolio.sources = [SourceFile(str(path), hashlib.sha256(path.read_bytes()).hexdigest())]
    portfolio.warnings = [_renamed(d, str(copy), str(path)) for d in portfolio.warnings]
    return portfolio


def _renamed(diag: Diagnostic, old: str, new: str) -> Diagnostic:
    span = diag.span
    if span is None or span.file != old:
        return diag
    # Lines of the JSON copy mean nothing in the user's file: point at its start.
    return dataclasses.replace(diag, span=Span(new, 1, 1), source_line=None)
