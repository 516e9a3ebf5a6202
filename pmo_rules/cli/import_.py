"""`pmo-rules import SOURCE...`: read PMO tools' files into a portfolio file of our own."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from pmo_rules.cli.common import user_errors
from pmo_rules.diagnostics import render_all


@click.command(name="import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "from_", metavar="FORMAT",
              help="Read every source as this format (default: from each file's name and "
                   "content). Formats: mspdi, xer, jira-csv, jira-json, gan, register, gmpp, "
                   "itdashboard, mpxj.")
@click.option("--mapping", type=click.Path(path_type=Path),
              help="The mapping file (YAML): custom fields, value names, money units, dates.")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The portfolio's as_of date (default: the sources' status date).")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help="The portfolio file to write (.yaml, or .json).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="The import report: text on stderr, or JSON on stdout.")
def command(sources: tuple[Path, ...], from_: str | None, mapping: Path | None,
            as_of: dt.datetime | None, output: Path, fmt: str) -> None:
    """Import SOURCE files (MS Project XML, Primavera XER, Jira CSV or JSON, GanttProject,
    CSV/XLSX registers, GMPP, IT Dashboard; MPP, PMXML and Planner with the mpxj extra)
    into one portfolio file, and report what became of every value.

    A directory is read as one portfolio: its files plus an optional portfolio.yaml
    (people, programs, objectives, as_of). Exit 0 when the written portfolio
    validates, 2 when the inputs are wrong.
    """
    from pmo_rules.importers.mapping_file import load_mapping
    from pmo_rules.importers.run import import_sources
    from pmo_rules.importers.write import validate_written, write_document

    with user_errors(fmt):
        settings = load_mapping(mapping)
        imported = import_sources(list(sources), from_=from_, mapping=settings,
                                  as_of=as_of.date() if as_of else None)
        write_document(imported.document, output)
        problems = validate_written(output)
        report = imported.report
        if fmt == "json":
            payload = report.to_dict()
            payload["output"] = str(output)
            payload["diagnostics"] = [d.to_dict() for d in problems]
            click.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        else:
            click.echo(report.render_text(), err=True, nl=False)
            click.echo(f"wrote {output}", err=True)
            if problems:
                click.echo(render_all(problems), err=True, nl=False)
        if any(d.level == "error" for d in problems):
            sys.exit(2)

