"""`load_portfolio`: read, validate and resolve a portfolio, reporting every problem at once."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import hashlib
import threading
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, with_source
from pmo_rules.model import errors as E
from pmo_rules.model import shape
from pmo_rules.model.entities import PortfolioFile
from pmo_rules.model.fast_resolve import fast_resolve
from pmo_rules.model.fast_schema import fast_validator, project_validator, top_validator
from pmo_rules.model.json_stream import load_streaming
from pmo_rules.model.lifecycles import LifecycleRegistry, builtin_lifecycles
from pmo_rules.model.locate import Locator
from pmo_rules.model.parse import strict_decoder
from pmo_rules.model.portfolio import LoadedPortfolio, SourceFile
from pmo_rules.model.records import EMPTY_LIST, from_models
from pmo_rules.model.resolve import Resolver
from pmo_rules.model.sources import RawInput, read_input
from pmo_rules.timing import stage, timed


def load_portfolio(
    path: str | Path,
    *,
    as_of: dt.date | None = None,
    lifecycles: LifecycleRegistry | None = None,
    freeze: bool = False,
) -> LoadedPortfolio:
    """Load a portfolio file or directory; raise DiagnosticError listing every problem.

    `freeze=True` moves everything alive after loading out of the cyclic collector's
    reach (gc.freeze), so later collections no longer walk its millions of objects.
    Resolved entities refer to each other in cycles, so a frozen portfolio is never
    reclaimed: off by default, for a library may load many. (The `pmo-rules`
    executable runs with the collector off, and `api.check` pauses it.)
    """
    # Loading allocates millions of objects and no cycles worth collecting yet; the
    # collector's repeated full passes would otherwise dominate at 100k projects.
    enabled = gc.isenabled()
    gc.disable()
    try:
        registry = lifecycles if lifecycles is not None else builtin_lifecycles()
        loaded, raw = _load_fast(Path(path), as_of, registry)
        if loaded is None:
            loaded = _load(Path(path), as_of, registry, raw)
    finally:
        if enabled:
            gc.enable()
    if freeze:
        gc.freeze()
    return loaded


def _load_fast(
    path: Path, as_of: dt.date | None, registry: LifecycleRegistry
) -> tuple[LoadedPortfolio | None, RawInput | None]:
    """The whole load without line numbers; no portfolio when anything needs reporting.

    Also gives the raw input when it read one, for the exact path to reuse.
    """
    sources: list[SourceFile] = []
    raw = None
    try:
        if path.suffix.lower() == ".json" and path.is_file():
            doc = _json_records(path, sources)
        else:
            with stage("read"):
                raw = read_input(path)
                if raw.diagnostics or (_aliased(raw) and shape.find(raw.document)):
                    return None, raw
            sources = raw.sources
            with stage("validate"):
                doc = fast_validator().validate_python(raw.document)
    except (OSError, ValueError, RecursionError):  # unreadable, not UTF-8, not JSON, too
        return None, raw  # deep, duplicate keys, long numbers, not valid: the exact path
    if doc is None or (as_of or doc.as_of) is None:
        return None, raw
    with stage("resolve"):
        resolved = fast_resolve(doc, registry)
        if resolved is None:
            return None, raw
        return _portfolio(
            doc, as_of or doc.as_of, resolved.dependencies, registry, sources, [],
            index=resolved.tables, children=resolved.children,
            project_edges=resolved.project_edges,
        ), raw


def _json_records(path: Path, sources: list[SourceFile]) -> Any:
    """The PortfolioFile record of a JSON file, each project validated as soon as it is
    parsed (json_stream.py); None when the document is not an object with a project list.
    Raises ValueError (a ValidationError is one) at the first problem."""
    with stage("read"):
        data = path.read_bytes()
        hasher = _Hasher(data)
        try:
            text = data.decode("utf-8-sig")
        except ValueError:
            hasher.digest()  # not left running while the exact path reads the file again
            raise
        del data  # the hasher holds its own reference until it is done
    try:
        return _streamed(text)
    finally:
        sources.append(SourceFile(str(path), hasher.digest()))


class _Hasher:
    """A file's sha256, taken on another thread while this one parses: hashlib lets go
    of the interpreter as it hashes (a fifth of a second on a 350 MB file). Where no
    thread can be started, the digest is taken at once; what the thread raised, `digest`
    raises, as hashing inline would have."""

    def __init__(self, data: bytes) -> None:
        self._out: list[str] = []
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = threading.Thread(
            target=self._run, args=(data,), daemon=True)
        try:
            self._thread.start()
        except RuntimeError:  # the process may start no more threads
            self._thread = None
            self._run(data)

    def _run(self, data: bytes) -> None:
        try:
            self._out.append(hashlib.sha256(data).hexdigest())
        except BaseException as exc:  # handed to the loading thread by digest()
            self._error = exc

    def digest(self) -> str:
        """The hex digest (waits for the thread)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            raise self._error
        return self._out[0]


def _streamed(text: str) -> Any:
    """The PortfolioFile record of a JSON document (see _json_records)."""
    project = timed("validate", project_validator().validate_python)
    decoder, flags = strict_decoder()

    def strict(span: str) -> Any:
        value = decoder.decode(span)
        if flags:  # a repeated key or a long number: the exact path reports it
            raise ValueError("to be reported")
        return value

    with stage("read"):
        document = load_streaming(text, "projects", project, strict)
    projects = document.pop("projects", EMPTY_LIST)
    if not isinstance(projects, list):
        return None
    with stage("validate"):
        doc = top_validator().validate_python(document)
    doc.projects = projects
    return doc


def _load(
    path: Path, as_of: dt.date | None, registry: LifecycleRegistry, raw: RawInput | None = None
) -> LoadedPortfolio:
    """The exact path: every problem found, with file, line, column and path."""
    if raw is None:
        with stage("read"):
            raw = read_input(path)
    if raw.diagnostics:
        raise DiagnosticError(_with_sources(raw.diagnostics, raw))
    locator = Locator(raw)
    # Too deep, or aliases expanding too far: validation would crash or never end.
    problems = shape.diagnostics(shape.find(raw.document), locator, str(path))
    if problems:
        raise DiagnosticError(_with_sources(problems, raw))
    try:
        with stage("validate"):
            doc = PortfolioFile.model_validate(raw.document)
    except ValidationError as exc:
        problems = E.from_validation_error(exc, raw.document, locator)
        problems += _resolve_despite(exc, raw.document, registry, locator)
        raise DiagnosticError(_with_sources(problems, raw)) from None
    with stage("resolve"):
        resolver = Resolver(doc, raw.document, registry, locator)
        resolver.run()
    diagnostics = resolver.diagnostics
    effective = as_of or doc.as_of
    if effective is None:
        first = raw.segments[0].file if raw.segments else str(path)
        diagnostics.append(Diagnostic(
            E.NO_AS_OF, "the portfolio gives no `as_of` date", Span(first, 1, 1),
            "add `as_of: YYYY-MM-DD` to the portfolio file, or pass --as-of YYYY-MM-DD",
            path="as_of",
        ))
    diagnostics = _with_sources(diagnostics, raw)
    if any(d.level == "error" for d in diagnostics) or effective is None:
        raise DiagnosticError(diagnostics)
    records, dependencies = from_models(doc, resolver.dependencies)
    return _portfolio(records, effective, dependencies, registry, raw.sources, diagnostics)


def _resolve_despite(
    exc: ValidationError, document: Any, registry: LifecycleRegistry, locator: Locator
) -> list[Diagnostic]:
    """The resolution problems (unknown ids, duplicates, phases) of a document whose values
    failed validation, so all problems are reported at once: the failing values are left
    out and the rest resolved. Where leaving them out cannot work (a required field, a
    whole list item), only the validation problems are reported."""
    repaired = copy.deepcopy(document)
    for err in exc.errors(include_url=False):
        if err["type"] == "missing":
            return []
        path = E.clean_loc(document, tuple(err["loc"]))
        parent: Any = repaired
        for part in path[:-1]:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return []
        if not path or not isinstance(parent, dict) or not isinstance(path[-1], str):
            return []
        parent.pop(path[-1], None)
    try:
        doc = PortfolioFile.model_validate(repaired)
    except ValidationError:
        return []
    resolver = Resolver(doc, repaired, registry, locator)
    resolver.run()
    return resolver.diagnostics


def _portfolio(
    doc: Any, as_of: dt.date, dependencies: list[Any], registry: LifecycleRegistry,
    sources: list[Any], warnings: list[Diagnostic], **prepared: Any,
) -> LoadedPortfolio:
    """The LoadedPortfolio of a resolved PortfolioFile record (either load path)."""
    return LoadedPortfolio(
        as_of=as_of, currency=doc.currency, pmo=doc.pmo, portfolio=doc.portfolio,
        people=doc.people, objectives=doc.objectives, programs=doc.programs,
        projects=doc.projects, dependencies=dependencies, lifecycles=registry,
        sources=sources, warnings=warnings, **prepared,
    )


def _aliased(raw: RawInput) -> bool:
    """Whether a YAML file of the input may share values through aliases (needs an anchor)."""
    texts = {seg.file: seg.text for seg in raw.segments
             if seg.table is None and not seg.file.lower().endswith(".json")}
    return any("&" in text for text in texts.values())


def _with_sources(diagnostics: list[Diagnostic], raw: RawInput) -> list[Diagnostic]:
    texts = {seg.file: seg.text for seg in raw.segments}
    lines: dict[str, list[str]] = {}  # each file split once, however many diagnostics
    out = []
    for d in diagnostics:
        if d.span is not None and d.span.file in texts:
            if d.span.file not in lines:
                lines[d.span.file] = texts[d.span.file].splitlines()
            d = with_source(d, lines[d.span.file])
        out.append(d)
    return out
