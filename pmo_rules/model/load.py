"""`load_portfolio`: read, validate and resolve a portfolio, reporting every problem at once."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from pydantic import ValidationError

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, with_source
from pmo_rules.model import errors as E
from pmo_rules.model.entities import PortfolioFile
from pmo_rules.model.lifecycles import LifecycleRegistry, builtin_lifecycles
from pmo_rules.model.locate import Locator
from pmo_rules.model.portfolio import LoadedPortfolio
from pmo_rules.model.resolve import Resolver
from pmo_rules.model.sources import RawInput, read_input


def load_portfolio(
    path: str | Path,
    *,
    as_of: dt.date | None = None,
    lifecycles: LifecycleRegistry | None = None,
) -> LoadedPortfolio:
    """Load a portfolio file or directory; raise DiagnosticError listing every problem."""
    # Loading allocates millions of objects and no cycles worth collecting yet; the
    # collector's repeated full passes would otherwise dominate at 100k projects.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(path, as_of, lifecycles)
    finally:
        if enabled:
            gc.enable()


def _load(
    path: str | Path, as_of: dt.date | None, lifecycles: LifecycleRegistry | None
) -> LoadedPortfolio:
    registry = lifecycles if lifecycles is not None else builtin_lifecycles()
    raw = read_input(Path(path))
    if raw.diagnostics:
        raise DiagnosticError(_with_sources(raw.diagnostics, raw))
    locator = Locator(raw)
    try:
        doc = PortfolioFile.model_validate(raw.document)
    except ValidationError as exc:
        raise DiagnosticError(
            _with_sources(E.from_validation_error(exc, raw.document, locator), raw)
        ) from None
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
    return LoadedPortfolio(
        as_of=effective,
        currency=doc.currency,
        pmo=doc.pmo,
        portfolio=doc.portfolio,
        people=doc.people,
        objectives=doc.objectives,
        programs=doc.programs,
        projects=doc.projects,
        dependencies=resolver.dependencies,
        lifecycles=registry,
        sources=raw.sources,
        warnings=diagnostics,
    )


def _with_sources(diagnostics: list[Diagnostic], raw: RawInput) -> list[Diagnostic]:
    texts = {seg.file: seg.text for seg in raw.segments}
    return [
        with_source(d, texts[d.span.file]) if d.span is not None and d.span.file in texts else d
        for d in diagnostics
    ]
