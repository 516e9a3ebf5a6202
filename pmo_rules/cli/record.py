"""What `check` does with history: open the store before the run (so a bad store fails
fast), record the run, compare it with a baseline, and fetch the trend for HTML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pmo_rules.diagnostics import Diagnostic, DiagnosticError

if TYPE_CHECKING:
    from pmo_rules.engine.report import Report
    from pmo_rules.history.baseline import Baseline
    from pmo_rules.history.store import Store


@dataclass(slots=True)
class CheckHistory:
    """The store and baseline of one `check`, opened before evaluation."""

    store: Store | None
    record: bool
    baseline: Baseline | None
    wants_trend: bool

    @classmethod
    def prepare(
        cls, *, record: bool, store: str | None, baseline: str | None,
        config: dict[str, Any], html: bool,
    ) -> CheckHistory:
        """Open what the options ask for; none of it (nor SQLAlchemy) when they ask nothing."""
        from pmo_rules.history.locate import resolve_store, store_named

        named = store_named(store, config)
        base_path = Path(baseline) if baseline is not None else None
        by_run = base_path is not None and not base_path.is_file() and _run_id(baseline)
        wants_trend = html and (record or named)
        opened = None
        if record or wants_trend or by_run:
            from pmo_rules.history.store import Store

            opened = Store.open(resolve_store(store, config), create=record)
        loaded = None
        if baseline is not None:
            loaded = _baseline(baseline, opened)
        return cls(opened, record, loaded, wants_trend)

    def after_run(self, report: Report) -> Any:
        """Record the run (as policy judged it, before any baseline), mark it against the
        baseline, and return the trend the HTML report draws (or None)."""
        try:
            if self.record and self.store is not None:
                settings = dict(report.settings)
                if self.baseline is not None:
                    settings["baseline"] = self.baseline.source
                run_id = self.store.record(report, settings)
                click.echo(f"pmo-rules: recorded as run {run_id} in {self.store.location.shown}",
                           err=True)
            if self.baseline is not None:
                from pmo_rules.history.baseline import apply_baseline

                apply_baseline(report, self.baseline)
            if self.wants_trend and self.store is not None:
                from pmo_rules.history.trend import load_trend

                return load_trend(self.store, report.portfolio_id)
            return None
        finally:
            if self.store is not None:
                self.store.close()


def _run_id(value: str | None) -> int | None:
    from pmo_rules.cli.stores import run_id

    return run_id(value) if value else None


def _baseline(value: str, store: Store | None) -> Baseline:
    from pmo_rules.history.baseline import baseline_of, load_baseline

    path = Path(value)
    if path.is_file():
        return load_baseline(path)
    ident = _run_id(value)
    if ident is None or store is None:
        raise DiagnosticError([Diagnostic(
            "PMO911", f"`--baseline {value}` is neither a baseline file nor a recorded run id",
            help="write a baseline with `pmo-rules baseline create ... --output FILE`, or "
                 "give a run id from `pmo-rules history`",
        )])
    return baseline_of(store.snapshot(ident))
