"""Where a run's time goes, stage by stage: off unless PMO_RULES_TIMINGS names a file.

The pipeline's stages are read, validate, resolve, graph, compile, evaluate and report
(start-up is everything before the first stage begins). Each stage's code runs inside
`with stage(NAME)`; stages nest, and time is charged to the innermost one only, so the
figures add up to the whole run. At exit the CLI writes them as JSON:

    {"started": <epoch seconds when the first stage began>, "stages": {"read": 0.41, ...}}

benchmarks/ reads the file to print the time split of `pmo-rules check`; a user can
set the variable to see where a slow run of theirs spends its time. When it is unset,
a stage costs one function call and nothing is recorded.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

STAGES = ("read", "validate", "resolve", "graph", "compile", "evaluate", "report")
_ENV = "PMO_RULES_TIMINGS"

F = TypeVar("F", bound=Callable[..., Any])


class _Clock:
    """Exclusive time per stage: entering a stage pauses the one it interrupts."""

    def __init__(self) -> None:
        self.started = 0.0  # epoch seconds when the first stage began
        self.totals: dict[str, float] = {}
        self.stack: list[str] = []
        self.since = time.perf_counter()

    def switch(self, name: str | None) -> None:
        now = time.perf_counter()
        if not self.started:
            self.started = time.time()
        if self.stack:
            top = self.stack[-1]
            self.totals[top] = self.totals.get(top, 0.0) + now - self.since
        self.since = now
        if name is None:
            self.stack.pop()
        else:
            self.stack.append(name)


_clock: _Clock | None = _Clock() if os.environ.get(_ENV) else None


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Charge the time spent inside to stage `name`."""
    clock = _clock
    if clock is None:
        yield
        return
    clock.switch(name)
    try:
        yield
    finally:
        clock.switch(None)


def timed(name: str, fn: F) -> F:
    """`fn`, charging its calls to stage `name` (itself when timings are off)."""
    clock = _clock
    if clock is None:
        return fn

    def call(*args: Any, **kwargs: Any) -> Any:
        clock.switch(name)
        try:
            return fn(*args, **kwargs)
        finally:
            clock.switch(None)

    return call  # type: ignore[return-value]


def staged(name: str) -> Callable[[F], F]:
    """A decorator charging every call of the function to stage `name`."""

    def decorate(fn: F) -> F:
        return timed(name, fn)

    return decorate


def dump() -> None:
    """Write the stage times to the file PMO_RULES_TIMINGS names (if set)."""
    target = os.environ.get(_ENV)
    if _clock is None or not target:
        return
    data = {"started": _clock.started, "stages": {k: round(v, 6) for k, v in
                                                  _clock.totals.items()}}
    try:
        with open(target, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
    except OSError:  # a diagnostic aid must never fail a run
        pass
