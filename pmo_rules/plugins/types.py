"""The typed objects plugin hooks return: the public vocabulary of the plugin API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pmo_rules.language.declarations import CheckDecl, FunctionDecl

if TYPE_CHECKING:
    from pmo_rules.engine.report import Report
    from pmo_rules.model.portfolio import LoadedPortfolio


@dataclass(frozen=True)
class PluginFunction:
    """A DSL function: its declaration (what the checker reads) and its implementation."""

    decl: FunctionDecl
    implementation: Callable[..., Any]


@dataclass(frozen=True)
class CheckContext:
    """What a check sees: the portfolio, its dependency graph, the as-of date and its arguments."""

    portfolio: Any
    graph: Any
    as_of: dt.date
    params: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        """The argument called `name` (as written in the policy, or its declared default)."""
        return self.params[name]


# What a check's results may be about: CheckDecl.subject, and the kind of every
# CheckResult.subject (the entity, or its id; None for the portfolio).
SUBJECT_KINDS: tuple[str, ...] = (
    "portfolio", "program", "project", "person", "objective", "milestone", "risk", "issue",
    "dependency",
)


@dataclass(frozen=True)
class CheckResult:
    """One subject's outcome of a check: passed or not, why, and the values that show it."""

    subject: Any
    passed: bool
    message: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    not_applicable: bool = False


@dataclass(frozen=True)
class PluginCheck:
    """A check used from policies as `check NAME(...)`: declaration plus implementation."""

    decl: CheckDecl
    implementation: Callable[[CheckContext], Sequence[CheckResult]]


@dataclass(frozen=True)
class PolicyPack:
    """A directory (or single file) of .pmo policies shipped with a plugin."""

    name: str
    path: Path
    description: str = ""


@dataclass(frozen=True)
class ImportRequest:
    """What an importing loader is asked to read: its source files and the run's settings.

    `mapping` is the validated mapping file (`pmo_rules.importers.mapping.ImportMapping`);
    `report` (`pmo_rules.importers.report.ImportReport`) is where the loader records
    every value it mapped, kept under `custom` or refused, with its place.
    """

    sources: tuple[Path, ...]
    mapping: Any
    report: Any
    as_of: dt.date | None = None


@dataclass(frozen=True)
class Loader:
    """A portfolio format: files with these suffixes are read by `load` into portfolio data.

    The optional fields make an *importer* (`pmo-rules import`): `read` takes an
    ImportRequest (several sources, the mapping file, --as-of, the import report) and
    returns the portfolio document; `sniff` tells from a file's first bytes whether it
    is this format (for suffixes several formats share, like `.xml` or `.json`).
    """

    name: str
    suffixes: tuple[str, ...]
    load: Callable[[Path], Mapping[str, Any] | LoadedPortfolio]
    """Return the raw portfolio document (validated like a YAML file) or a LoadedPortfolio."""
    description: str = ""
    read: Callable[[ImportRequest], Mapping[str, Any]] | None = None
    sniff: Callable[[bytes], bool] | None = None


@dataclass(frozen=True)
class Reporter:
    """An output format: `render` turns a Report into text (or bytes when `binary`)."""

    name: str
    description: str
    render: Callable[[Report], str | bytes]
    binary: bool = False
