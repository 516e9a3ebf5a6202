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
from pmo_rules.plugins import guard
from pmo_rules.plugins.enrich import enrich
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


def imports(path: Path, plugins: Plugins) -> bool:
    """Whether `path` is for the importers: a file an importing loader identifies (by suffix
    and content), or a directory of such files without our own directory layout."""
    from pmo_rules.importers.run import detect

    if path.is_dir():
        if (path / "projects").is_dir() or (path / "projects.csv").is_file():
            return False
        return any(child.is_file() and child.suffix.lower() not in (".yaml", ".yml")
                   and _importer(detect(child, plugins)) for child in path.iterdir())
    if not path.is_file():
        return False
    loader = detect(path, plugins)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):  # ours, unless an importer sniffs it
        return loader is not None and loader.sniff is not None
    return _importer(loader)


def _importer(loader: Loader | None) -> bool:
    return loader is not None and loader.read is not None


def load_with_plugins(
    path: Path, as_of: dt.date | None, plugins: Plugins, lifecycles: LifecycleRegistry,
    *, from_: str | None = None, mapping: Path | None = None,
) -> LoadedPortfolio:
    """Load `path` (with a plugin loader if one claims it), then run portfolio_loaded hooks.

    `from_` (a loader name) and `mapping` (a mapping file) read it through the importers,
    as `pmo-rules import` does; so does a file or directory they identify.
    """
    loader = loader_for(path, plugins)
    if from_ is not None or mapping is not None or imports(path, plugins):
        portfolio = _import(path, as_of, plugins, lifecycles, from_, mapping)
    elif loader is None:
        portfolio = load_portfolio(path, as_of=as_of, lifecycles=lifecycles)
    else:
        portfolio = _load_via(loader, path, as_of, plugins, lifecycles)
    enrich(plugins, portfolio)
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
        data = guard.call(owner, f"loader `{loader.name}`", loader.load, path)
    except guard.PluginError as exc:  # the plugin's parser: report, never a traceback
        if isinstance(exc.__cause__, DiagnosticError):
            raise exc.__cause__ from None  # the loader's own diagnostics, as it wrote them
        raise DiagnosticError([Diagnostic(
            "PMO410", f"plugin `{owner}` loader `{loader.name}` could not read `{path}`: "
            f"{exc.reason}", Span(str(path), 1, 1),
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


def _import(
    path: Path, as_of: dt.date | None, plugins: Plugins, lifecycles: LifecycleRegistry,
    from_: str | None, mapping: Path | None,
) -> LoadedPortfolio:
    from pmo_rules.importers.mapping_file import load_mapping
    from pmo_rules.importers.run import import_sources

    imported = import_sources([path], plugins=plugins, from_=from_,
                              mapping=load_mapping(mapping), as_of=as_of)
    portfolio = _validate(imported.document, path, as_of, lifecycles)
    portfolio.sources = [_source(Path(file)) for file, _ in imported.report.sources]
    portfolio.warnings = [*portfolio.warnings,
                          *(r.diagnostic() for r in imported.report.refused)]
    return portfolio


def _source(path: Path) -> SourceFile:
    return SourceFile(str(path), hashlib.sha256(path.read_bytes()).hexdigest())


def _validate(
    data: dict[str, Any], path: Path, as_of: dt.date | None, lifecycles: LifecycleRegistry
) -> LoadedPortfolio:
    # The model validates files, so the loader's document goes through a JSON copy; the
    # copy's name in diagnostics is replaced by the file the user gave.
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / ((path.stem or "portfolio") + ".json")
        copy.write_text(json.dumps(data, default=str), encoding="utf-8")
        try:
            portfolio = load_portfolio(copy, as_of=as_of, lifecycles=lifecycles)
        except DiagnosticError as exc:
            raise DiagnosticError([_renamed(d, str(copy), str(path))
                                   for d in exc.diagnostics]) from None
    if path.is_file():
        portfolio.sources = [_source(path)]
    portfolio.warnings = [_renamed(d, str(copy), str(path)) for d in portfolio.warnings]
    return portfolio


def _renamed(diag: Diagnostic, old: str, new: str) -> Diagnostic:
    span = diag.span
    if span is None or span.file != old:
        return diag
    # Lines of the JSON copy mean nothing in the user's file: point at its start.
    return dataclasses.replace(diag, span=Span(new, 1, 1), source_line=None)
