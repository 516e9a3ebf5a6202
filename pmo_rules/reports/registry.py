"""The built-in reporters, registered through `pmo_rules_reporters` like any plugin's.

A reporter is `pmo_rules.plugins.types.Reporter`: a name, a description and
`render(report) -> str | bytes`. `reporter_table` merges the built-ins with what
plugins return from the hook; a built-in name cannot be taken over by a plugin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from pmo_rules.engine.report import Report
from pmo_rules.plugins import guard
from pmo_rules.plugins.hookspecs import hookimpl
from pmo_rules.plugins.types import Reporter

BUILTIN_NAMES = ("text", "json", "sarif", "junit", "markdown", "html")
# File extension per format, for `--output-dir DIR` (report.<ext>).
EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml",
              "markdown": "md", "html": "html"}


def _text(report: Report) -> str:
    from pmo_rules.reports.text import render_text

    return render_text(report)


def _json(report: Report) -> bytes:
    return report.to_json_bytes()  # bytes: written as they are, never re-encoded


def _sarif(report: Report) -> str | bytes:
    from pmo_rules.reports.sarif import sarif_output

    return sarif_output(report)  # bytes, as JSON's: written as they are, never re-encoded


def _junit(report: Report) -> str:
    from pmo_rules.reports.junit import render_junit

    return render_junit(report)


def _markdown(report: Report) -> str:
    from pmo_rules.reports.markdown import render_markdown

    return render_markdown(report)


def _html(report: Report, *, graph: Mapping[str, Any] | None = None, trend: Any = None,
          readiness: Any = None) -> str:
    from pmo_rules.reports.html import render_html

    return render_html(report, graph=graph, trend=trend, readiness=readiness)


def builtin_reporters(
    graph: Mapping[str, Any] | None = None, *, trend: Any = None, readiness: Any = None,
) -> list[Reporter]:
    """The six built-in formats; `graph` (graph_data's shape) lets HTML draw dependencies,
    `trend` (a history Trend) its trend section, `readiness` its gate readiness section."""
    return [
        Reporter("text", "the terminal report, as plain text", _text),
        Reporter("json", "the stable JSON report (schema pmo-rules/report/v1)", _json),
        Reporter("sarif", "SARIF 2.1.0 for code-scanning dashboards", _sarif),
        Reporter("junit", "JUnit XML for CI test views", _junit),
        Reporter("markdown", "Markdown for a pull-request comment or a wiki page", _markdown),
        Reporter("html", "one self-contained HTML page for people",
                 partial(_html, graph=graph, trend=trend, readiness=readiness)),
    ]


@hookimpl
def pmo_rules_reporters() -> list[Reporter]:
    """The built-in reporters, offered through the same hook as a plugin's."""
    return builtin_reporters()


def reporter_table(
    builtin: Iterable[Reporter], plugged: Iterable[Iterable[Reporter]] = (),
) -> dict[str, Reporter]:
    """Reporters by name: built-ins first, then each plugin's, the first of a name winning."""
    table: dict[str, Reporter] = {}
    for group in (builtin, *plugged):
        for reporter in group:
            table.setdefault(reporter.name, reporter)
    return table


def render(reporter: Reporter, report: Report, plugin: str | None) -> str | bytes:
    """The report in `reporter`'s format. A plugin's reporter runs through the plugin guard
    and must return text (bytes when `binary`); else a PluginError names the plugin."""
    if reporter.name in BUILTIN_NAMES or plugin is None:
        return reporter.render(report)
    what = f"reporter `{reporter.name}`"
    rendered = guard.call(plugin, what, reporter.render, report)
    expected = bytes if reporter.binary else str
    if not isinstance(rendered, expected):
        raise guard.PluginError(plugin, what, f"returned {type(rendered).__name__}, expected "
                                f"{expected.__name__}")
    return rendered


def extension(name: str) -> str:
    """The file extension `--output-dir` uses for a format."""
    return EXTENSIONS.get(name, name)
