"""`pmo-rules init [DIR]`: scaffold a governance repository a PMO can commit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

import click

from pmo_rules import __version__
from pmo_rules.cli.common import user_errors
from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span

SCAFFOLD = "pmo_rules.scaffold"
SCHEMA_FILE = "portfolio.schema.json"
# Where pre-commit fetches this project's hooks (its .pre-commit-hooks.yaml), unless the
# installed distribution's metadata names its source repository.
DEFAULT_HOOKS_REPO = "https://github.com/pmo-rules/pmo-rules"


@dataclass(frozen=True)
class Planned:
    """One file init writes: where (relative to DIR) and what."""

    path: Path
    text: str


@click.command(name="init")
@click.argument("directory", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--hooks-repo", metavar="URL", default=None,
              help="The repository pre-commit fetches the pmo-rules hooks from (default: "
                   "pmo-rules' source repository).")
@click.option("--hooks-rev", metavar="REV", default=None,
              help=f"The tag of that repository to use (default: v{__version__}).")
def command(directory: Path, hooks_repo: str | None, hooks_rev: str | None) -> None:
    """Scaffold a governance repository in DIRECTORY (default: here): a commented starter
    portfolio, a department policy extending the standard pack with its policy tests, a
    waiver register, pmo-rules.toml, a CI workflow and a pre-commit configuration.

    Never overwrites a file: if any of them exists, nothing is written and the run exits 2
    naming them. What it writes passes `validate`, `test` and `check` as written.
    """
    with user_errors():
        planned = plan(hooks_repo or source_repository(), hooks_rev or f"v{__version__}")
        write(directory, planned)
        for item in planned:
            click.echo(f"wrote {directory / item.path}", err=True)
        where = "" if directory == Path() else f"cd {directory} && "
        click.echo(
            f"\nNext: {where}pmo-rules validate && pmo-rules test && "
            "pmo-rules check portfolio.yaml\n"
            "GOVERNANCE.md says what each file is for.", err=True)


def source_repository() -> str:
    """The URL of pmo-rules' source repository, from the installed distribution's metadata."""
    try:
        urls = metadata.metadata("pmo-rules").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in ("source", "repository") and url.strip():
            return url.strip()
    return DEFAULT_HOOKS_REPO


def plan(hooks_repo: str, hooks_rev: str) -> list[Planned]:
    """Every file init writes, with its text: the scaffold's templates and the schema."""
    from pmo_rules.model.schema import portfolio_schema

    tokens = {"@VERSION@": __version__, "@HOOKS_REPO@": hooks_repo, "@HOOKS_REV@": hooks_rev}
    out = []
    for relative, source in _templates(resources.files(SCAFFOLD), Path()):
        text = source.read_text(encoding="utf-8")
        for token, value in tokens.items():
            text = text.replace(token, value)
        out.append(Planned(relative, text))
    schema = json.dumps(portfolio_schema(), indent=2, sort_keys=True) + "\n"
    out.append(Planned(Path(SCHEMA_FILE), schema))
    return sorted(out, key=lambda p: p.path.as_posix())


def _templates(folder: Traversable, prefix: Path) -> list[tuple[Path, Traversable]]:
    """The template files under `folder`; a `dot-` name stands for a dotfile (`.github`)."""
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith(("__", ".")) or name.endswith(".pyc"):
            continue  # the package's own files, not templates
        target = prefix / ("." + name[4:] if name.startswith("dot-") else name)
        if entry.is_dir():
            found += _templates(entry, target)
        else:
            found.append((target, entry))
    return found


def write(directory: Path, planned: list[Planned]) -> None:
    """Write every planned file under `directory`, or nothing if any of them exists."""
    if directory.exists() and not directory.is_dir():
        raise DiagnosticError([Diagnostic(
            "PMO641", f"`{directory}` is a file, not a directory",
            help="give a directory to scaffold the governance repository in")])
    existing = [item.path for item in planned if (directory / item.path).exists()]
    if existing:
        names = ", ".join(f"`{p.as_posix()}`" for p in existing)
        raise DiagnosticError([Diagnostic(
            "PMO640", f"init would overwrite {len(existing)} existing "
            f"file{'s' * (len(existing) != 1)} in `{directory}`: {names}",
            Span(str(directory / existing[0]), 1, 1),
            help="init never overwrites a file: run it in an empty directory, or move these "
                 "files away first; nothing was written")])
    try:
        for item in planned:
            target = directory / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(item.text)
    except OSError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO641", f"cannot write `{exc.filename or directory}`: {exc.strerror or exc}",
            help="check that the directory is writable")]) from None
