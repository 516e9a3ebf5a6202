"""Implementations of the lifecycle functions (declared in language/lifecycle_types.py).

Both evaluation paths call these same functions, so they agree by construction. A
project's position in its lifecycle is computed once per run and project.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pmo_rules.engine.runtime import MISSING, RunContext
from pmo_rules.model.progress import ProjectLifecycle, model_of, progress
from pmo_rules.model.records import Project

_MEMO = "lifecycle"


def _positions(ctx: RunContext) -> Callable[[Any], ProjectLifecycle | None]:
    """Where a project stands in its lifecycle (None: not a project, or no known lifecycle)."""
    cache: dict[int, ProjectLifecycle | None] = ctx.memo.setdefault(_MEMO, {})
    registry = ctx.portfolio.lifecycles
    default = ctx.portfolio.portfolio.default_lifecycle

    def position(project: Any) -> ProjectLifecycle | None:
        key = id(project)
        if key in cache:
            return cache[key]
        found = None
        if isinstance(project, Project):
            model = model_of(project, registry, default)
            found = progress(project, model) if model is not None else None
        cache[key] = found
        return found

    return position


def lifecycle_functions(ctx: RunContext) -> dict[str, Callable[..., Any]]:
    """The lifecycle functions for this run, by name; a missing result is MISSING."""
    position = _positions(ctx)

    def reading(read: Callable[[ProjectLifecycle], Any]) -> Callable[[Any], Any]:
        def call(project: Any) -> Any:
            where = position(project) if project is not MISSING else None
            if where is None:
                return MISSING
            value = read(where)
            return MISSING if value is None else value

        return call

    def gate_admitting(project: Any, phase: Any) -> Any:
        where = position(project) if project is not MISSING else None
        if where is None or not isinstance(phase, str):
            return MISSING
        return next((g for g in reversed(where.gates) if g.admits == phase), MISSING)

    return {
        "lifecycle_gates": reading(lambda w: w.gates),
        "gates_passed": reading(lambda w: w.passed),
        "gates_required": reading(lambda w: w.required),
        "entry_gate": reading(lambda w: w.entry),
        "next_gate": reading(lambda w: w.next),
        "gate_admitting": gate_admitting,
        "phase_limit": reading(lambda w: w.phase_limit),
    }
