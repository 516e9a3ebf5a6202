"""Implementations of the lifecycle functions (declared in language/lifecycle_types.py).

Both evaluation paths call these same functions, so they agree by construction. A
project's position in its lifecycle is computed once per run and project.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from pmo_rules.engine.runtime import MISSING, RunContext
from pmo_rules.model.progress import ProjectLifecycle, model_of, progress
from pmo_rules.model.records import Project

_MEMO = "lifecycle"
_UNSEEN = object()


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
    known: dict[int, ProjectLifecycle | None] = ctx.memo[_MEMO]

    def reading(name: str) -> Callable[[Any], Any]:
        read = attrgetter(name)

        def call_none(project: Any) -> Any:  # None for missing, both ways
            if project is None:
                return None
            where = known.get(id(project), _UNSEEN)
            if where is _UNSEEN:
                where = position(project)
            return None if where is None else read(where)

        def call(project: Any) -> Any:
            value = None if project is MISSING else call_none(project)
            return MISSING if value is None else value

        # The fast path calls call_none directly, without a layer mapping MISSING to None
        # (a million calls at 100k projects with the standard pack).
        call.none_convention = call_none  # type: ignore[attr-defined]
        return call

    def gate_admitting(project: Any, phase: Any) -> Any:
        where = position(project) if project is not MISSING else None
        if where is None or not isinstance(phase, str):
            return MISSING
        return next((g for g in reversed(where.gates) if g.admits == phase), MISSING)

    return {
        "lifecycle_gates": reading("gates"),
        "gates_passed": reading("passed"),
        "gates_required": reading("required"),
        "entry_gate": reading("entry"),
        "next_gate": reading("next"),
        "gate_admitting": gate_admitting,
        "phase_limit": reading("phase_limit"),
    }
