"""`import_sources`: read PMO tools' files through the importer loaders into one portfolio.

Sources are files or directories (a directory's schedule files plus an optional
`portfolio.yaml` holding people, programs, objectives and the rest). Each file is
read by the loader named with --from, else the one its suffix and first bytes
identify; the partial portfolios are merged and counted in the import report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

from pmo_rules.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Span,
    did_you_mean,
    not_a_file,
)
from pmo_rules.importers.mapping import ImportMapping
from pmo_rules.importers.report import ImportReport
from pmo_rules.plugins import guard
from pmo_rules.plugins.manager import Plugins
from pmo_rules.plugins.types import ImportRequest, Loader

SNIFF_BYTES = 65536
BASE_NAMES = ("portfolio.yaml", "portfolio.yml")
LIST_KINDS = ("people", "objectives", "programs", "projects", "dependencies")


@dataclass
class Imported:
    """An import's result: the portfolio document (our format) and the import report."""

    document: dict[str, Any]
    report: ImportReport


def importers(plugins: Plugins) -> list[Loader]:
    """Every loader (importers first, then plain ones), in registration order."""
    loaders = list(plugins.collected.loaders.values())
    return [x for x in loaders if x.read is not None] + [x for x in loaders if x.read is None]


def head(path: Path) -> bytes:
    """The first bytes of a file, for format detection."""
    try:
        with path.open("rb") as stream:
            return stream.read(SNIFF_BYTES)
    except OSError:
        return b""


def detect(path: Path, plugins: Plugins, data: bytes | None = None) -> Loader | None:
    """The loader for `path` from its suffix and content: a loader whose `sniff` claims the
    bytes wins; else the one loader claiming the suffix without a `sniff`."""
    name = path.name.lower()
    by_suffix = [x for x in importers(plugins)
                 if any(name.endswith(s.lower()) for s in x.suffixes)]
    if not by_suffix:
        return None
    data = head(path) if data is None else data
    for loader in by_suffix:
        if loader.sniff is not None and _sniffs(loader, data):
            return loader
    plain = [x for x in by_suffix if x.sniff is None]
    return plain[0] if plain else None


def _sniffs(loader: Loader, data: bytes) -> bool:
    if loader.sniff is None:
        return False
    try:
        return bool(guard.call(loader.name, f"loader `{loader.name}` (sniff)", loader.sniff, data))
    except guard.PluginError:  # a plugin's detector: a failure means "not mine"
        return False


def by_name(name: str, plugins: Plugins) -> Loader:
    """The loader called `name` (for --from); a PMO461 diagnostic with did-you-mean when none."""
    loaders = plugins.collected.loaders
    if name in loaders:
        return loaders[name]
    guess = did_you_mean(name, loaders)
    raise DiagnosticError([Diagnostic(
        "PMO461", f"`--from {name}` is not a format", help=(
            f"did you mean `{guess}`? " if guess else "") + "formats are "
        + ", ".join(sorted(loaders)))])


def expand(sources: Sequence[Path], plugins: Plugins) -> tuple[list[Path], Path | None]:
    """Files to import (a directory's files that a loader claims) and the portfolio.yaml base."""
    files: list[Path] = []
    base: Path | None = None
    problems: list[Diagnostic] = []
    for source in sources:
        if source.is_dir():
            for name in BASE_NAMES:
                if (source / name).is_file() and base is None:
                    base = source / name
            for child in sorted(source.iterdir()):
                if child.is_file() and child.name not in BASE_NAMES \
                        and detect(child, plugins) is not None:
                    files.append(child)
        elif source.is_file():
            if source.name in BASE_NAMES:
                base = source
            else:
                files.append(source)
        elif (special := not_a_file("PMO460", source, at=Span(str(source), 1, 1))) is not None:
            problems.append(special)
        else:
            problems.append(Diagnostic(
                "PMO460", f"`{source}` does not exist", Span(str(source), 1, 1),
                help="give the path of an export file or of a directory of them"))
    if not problems and not files:
        problems.append(Diagnostic(
            "PMO460", "no source file to import in " + ", ".join(f"`{s}`" for s in sources),
            help="give schedule, Jira or register files (or a directory holding them)"))
    if problems:
        raise DiagnosticError(problems)
    return files, base


def choose(files: list[Path], plugins: Plugins, from_: str | None,
           mapping: ImportMapping) -> list[tuple[Loader, list[Path]]]:
    """Group the files by the loader that reads them, refusing oversize or unknown files."""
    forced = by_name(from_, plugins) if from_ else None
    groups: dict[str, tuple[Loader, list[Path]]] = {}
    problems: list[Diagnostic] = []
    limit = mapping.max_file_mb * 1024 * 1024
    for path in files:
        size = path.stat().st_size
        if size > limit:
            problems.append(Diagnostic(
                "PMO460", f"`{path.name}` is {size / 1048576:.1f} MB, over the "
                f"{mapping.max_file_mb:g} MB limit for one source file", Span(str(path), 1, 1),
                help="raise `limits: {max_file_mb: N}` in the mapping file if the file is "
                "a genuine export"))
            continue
        loader = forced or detect(path, plugins)
        if loader is None:
            problems.append(Diagnostic(
                "PMO461", f"cannot tell the format of `{path.name}` from its name and content",
                Span(str(path), 1, 1), help="force one with --from FORMAT; formats are "
                + ", ".join(sorted(plugins.collected.loaders))))
            continue
        groups.setdefault(loader.name, (loader, []))[1].append(path)
    if problems:
        raise DiagnosticError(problems)
    return list(groups.values())


def import_sources(
    sources: Sequence[Path], *, plugins: Plugins | None = None, from_: str | None = None,
    mapping: ImportMapping | None = None, as_of: dt.date | None = None,
) -> Imported:
    """Read every source into one portfolio document, with its import report."""
    if plugins is None:
        from pmo_rules.plugins.extend import installed

        plugins = installed()
    mapping = mapping or ImportMapping()
    report = ImportReport()
    files, base = expand([Path(s) for s in sources], plugins)
    documents = []
    for loader, paths in choose(files, plugins, from_, mapping):
        documents.append(_read(loader, paths, mapping, report, as_of, plugins))
    document = merge(_base(base), documents, mapping, as_of)
    complete_references(document, report)
    report.count_entities(document)
    return Imported(document, report)


def _read(loader: Loader, paths: list[Path], mapping: ImportMapping, report: ImportReport,
          as_of: dt.date | None, plugins: Plugins) -> dict[str, Any]:
    owner = plugins.collected.owner.get(("loaders", loader.name), "?")
    try:
        what = f"loader `{loader.name}`"
        if loader.read is not None:
            return dict(guard.call(owner, what, loader.read,
                                   ImportRequest(tuple(paths), mapping, report, as_of)))
        parts = []
        for path in paths:
            report.source(str(path), loader.name)
            data = guard.call(owner, what, loader.load, path)
            if not isinstance(data, dict):
                raise TypeError(f"returned {type(data).__name__}, expected a portfolio mapping")
            parts.append(data)
        return merge(None, parts, mapping, as_of)
    except DiagnosticError:
        raise
    except guard.PluginError as exc:  # it raised (sys.exit included) or ran out of time
        if isinstance(exc.__cause__, DiagnosticError | RecursionError):
            return _reraise(exc.__cause__, loader, paths)
        raise DiagnosticError([Diagnostic(
            "PMO462", f"loader `{loader.name}` (plugin `{owner}`) could not read "
            f"{', '.join(f'`{p.name}`' for p in paths)}: {exc.reason}",
            Span(str(paths[0]), 1, 1),
            help=f"check the file is a {loader.name} export, or force another format with "
            "--from")]) from None
    except RecursionError as exc:
        return _reraise(exc, loader, paths)
    except Exception as exc:  # the loader's parser met something it did not expect
        raise DiagnosticError([Diagnostic(
            "PMO462", f"loader `{loader.name}` (plugin `{owner}`) could not read "
            f"{', '.join(f'`{p.name}`' for p in paths)}: {type(exc).__name__}: {exc}",
            Span(str(paths[0]), 1, 1),
            help=f"check the file is a {loader.name} export, or force another format with "
            "--from")]) from None


def _reraise(exc: BaseException, loader: Loader, paths: list[Path]) -> NoReturn:
    """A loader's own diagnostics as they are; a value nested too deeply as PMO462."""
    if isinstance(exc, DiagnosticError):
        raise exc
    raise DiagnosticError([Diagnostic(
        "PMO462", f"`{paths[0].name}` nests too deeply to be a {loader.name} export",
        Span(str(paths[0]), 1, 1), help="export the file again from its tool")]) from None


def _base(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DiagnosticError([Diagnostic(
            "PMO401", f"`{path.name}` cannot be read as YAML: {exc}",
            Span(str(path), mark.line + 1 if mark else 1, mark.column + 1 if mark else 1),
            help="fix the YAML at this place")]) from None
    if not isinstance(data, dict):
        raise DiagnosticError([Diagnostic(
            "PMO402", f"`{path.name}` must be a mapping (as_of, people, programs, ...)",
            Span(str(path), 1, 1), help="see docs/data-model.md for the file's layout")])
    return dict(json.loads(json.dumps(data, default=str)))  # dates as text, as ours keeps them


def merge(base: dict[str, Any] | None, parts: list[dict[str, Any]], mapping: ImportMapping,
          as_of: dt.date | None) -> dict[str, Any]:
    """One document: the base's settings and lists, then each part's lists appended."""
    out: dict[str, Any] = dict(base or {})
    dates = [str(p["as_of"]) for p in parts if p.get("as_of")]
    if as_of is not None:
        out["as_of"] = as_of.isoformat()
    elif mapping.as_of is not None:
        out["as_of"] = mapping.as_of.isoformat()
    elif "as_of" not in out and dates:
        out["as_of"] = max(dates)  # the latest status date among the sources
    currency = mapping.currency or next((p["currency"] for p in parts if p.get("currency")), None)
    if currency and "currency" not in out:
        out["currency"] = currency
    for kind in LIST_KINDS:
        items = list(out.get(kind) or [])
        seen = {i.get("id") for i in items if isinstance(i, dict) and kind != "dependencies"}
        for part in parts:
            for item in part.get(kind) or []:
                ident = item.get("id") if isinstance(item, dict) else None
                if kind in ("people", "programs") and ident in seen:
                    continue  # the same person or program named by several sources
                seen.add(ident)
                items.append(item)
        if items:
            out[kind] = items
    for part in parts:
        for key, value in part.items():
            if key not in LIST_KINDS and key not in ("as_of", "currency"):
                out.setdefault(key, value)
    return out


def complete_references(document: dict[str, Any], report: ImportReport) -> None:
    """Add a program or person for each program, sponsor or manager value that names none,
    so the imported portfolio loads; each is said in the report to be enriched by hand."""
    programs = {p.get("id") for p in document.get("programs", []) if isinstance(p, dict)}
    people = {p.get("id") for p in document.get("people", []) if isinstance(p, dict)}
    for project in document.get("projects", []):
        program = project.get("program")
        if isinstance(program, str) and program not in programs:
            programs.add(program)
            document.setdefault("programs", []).append({"id": program, "name": program})
            report.note("programs named by the sources but not defined were added as "
                        "{id, name}: complete them in the written file")
        for role in ("sponsor", "project_manager"):
            person = project.get(role)
            if isinstance(person, str) and person not in people:
                people.add(person)
                document.setdefault("people", []).append({"id": person})
                report.note("people named as sponsor or project manager but not defined were "
                            "added as {id}: complete them in the written file")


def plain_loader(fmt: str) -> Callable[[Path], dict[str, Any]]:
    """An importer's plain loader API (`Loader.load`): one file, the default mapping."""

    def load(path: Path) -> dict[str, Any]:
        return import_sources([path], from_=fmt).document

    return load
