"""Calling plugin code: contained, timed, and kept off standard output.

Every call into a plugin (a hook, a check, a function, a reporter, a loader) goes
through `call`, which guarantees three things:

- **Containment.** Whatever the code raises, `SystemExit` and other
  `BaseException`s included, becomes a `PluginError` naming the plugin and what
  was called. Only `KeyboardInterrupt` passes: a genuine Ctrl-C still ends the
  run with exit 130.
- **A time limit.** A call that has not returned after `PLUGIN_TIMEOUT` seconds
  (`PMO_RULES_PLUGIN_TIMEOUT`, default 300, 0 for none) is interrupted by a
  `SIGALRM` timer and becomes a `PluginError`. The timer is real time, armed
  only in the main thread of a platform with `signal.setitimer` (not Windows); an
  enclosing timer of the caller's is respected and re-armed afterwards. Code that
  catches `BaseException` itself, or blocks inside C code that ignores signals,
  cannot be interrupted this way.
- **Standard output.** What the code prints (`print()`, `sys.stdout`) is captured
  and passed on to standard error, one line at a time as `plugin NAME: text`, so
  it can never corrupt a report written to standard output.

A single call arms a timer of its own. Evaluation, which may call a plugin
function once per subject, runs inside `watch()` instead: one interval timer and
one redirection of standard output for the whole evaluation, and each call only
notes when it started (a timer per call would cost more than most functions).
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any, TypeVar

from pmo_rules.limits import PLUGIN_TIMEOUT

T = TypeVar("T")


class PluginError(Exception):
    """A plugin call failed: who, what was called, and why (in words)."""

    def __init__(self, plugin: str, what: str, reason: str, *, timed_out: bool = False) -> None:
        self.plugin = plugin
        self.what = what
        self.reason = reason
        self.timed_out = timed_out
        super().__init__(f"plugin `{plugin}`: {what} {reason}")


class _Expired(BaseException):
    """Raised inside plugin code when its call runs past the time limit."""


def timeout() -> float:
    """The time limit of one plugin call in seconds (0: none), from the environment."""
    return float(PLUGIN_TIMEOUT.value())


def call(plugin: str, what: str, fn: Callable[..., T], *args: Any,
         seconds: float | None = None, **kwargs: Any) -> T:
    """Call `fn(*args, **kwargs)`, plugin code of `plugin`, within the guarantees above."""
    watching = _WATCH
    if watching is not None:
        return watching.call(plugin, what, fn, args, kwargs)
    limit = timeout() if seconds is None else seconds
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), _deadline(limit):
            return fn(*args, **kwargs)
    except BaseException as exc:  # plugin code: anything may happen, and it must stay local
        raise _failure(plugin, what, exc, limit) from _cause(exc)
    finally:
        _forward(plugin, captured.getvalue())


def _failure(plugin: str, what: str, exc: BaseException, limit: float) -> PluginError:
    if isinstance(exc, KeyboardInterrupt):
        raise exc  # a genuine Ctrl-C ends the run
    if isinstance(exc, _Expired):
        return PluginError(plugin, what, f"did not return within {limit:g} s (the limit is "
                           "PMO_RULES_PLUGIN_TIMEOUT)", timed_out=True)
    if isinstance(exc, SystemExit):
        return PluginError(plugin, what, f"called sys.exit({exc.code!r})")
    said = str(exc)
    return PluginError(plugin, what, f"raised {type(exc).__name__}" + (f": {said}" if said else ""))


def shown(value: Any, width: int = 60) -> str:
    """A value a plugin returned, as `repr` shows it, cut to `width` (a failing repr too)."""
    try:
        text = repr(value)
    except Exception:  # a plugin's object whose repr fails
        return f"<{type(value).__name__}>"
    return text if len(text) <= width else text[:width - 3] + "..."


def _cause(exc: BaseException) -> BaseException | None:
    return None if isinstance(exc, _Expired | SystemExit) else exc


def _forward(plugin: str, text: str) -> None:
    if not text:
        return
    with contextlib.suppress(OSError, ValueError):
        for line in text.splitlines():
            sys.stderr.write(f"plugin {plugin}: {line}\n")


def _usable_timer(seconds: float) -> bool:
    return (seconds > 0 and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread())


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Expired in the body once `seconds` have passed (see the module's doc)."""
    if not _usable_timer(seconds):
        yield
        return
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    if 0 < outer <= seconds:  # the caller's own timer fires first: leave it in charge
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Expired

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer > 0:  # give the caller's timer back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - started), 1e-3))


# ------------------------------------------------------------------ many calls


@dataclass
class _Running:
    plugin: str
    started: float


class _Watch:
    """The plugin calls of one evaluation: one interval timer, one redirection of stdout."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.running: _Running | None = None
        self.outer_deadline: float | None = None
        self.outer_handler: Any = None

    def call(self, plugin: str, what: str, fn: Callable[..., T], args: tuple[Any, ...],
             kwargs: dict[str, Any]) -> T:
        before = self.running
        try:
            self.running = _Running(plugin, time.monotonic())
            result = fn(*args, **kwargs)
            self.running = before
            return result
        except BaseException as exc:  # plugin code: anything may happen, and it must stay local
            self.running = before
            raise _failure(plugin, what, exc, self.limit) from _cause(exc)

    def tick(self, signum: int, frame: FrameType | None) -> None:
        """The interval timer: interrupt a call past its limit; honour the caller's timer."""
        now = time.monotonic()
        if self.outer_deadline is not None and now >= self.outer_deadline:
            self.outer_deadline = None
            if callable(self.outer_handler):
                self.outer_handler(signum, frame)
        running = self.running
        if running is not None and now - running.started >= self.limit:
            self.running = None  # raise once per call
            raise _Expired

    def plugin(self) -> str:
        return self.running.plugin if self.running is not None else "?"


class _Printed(io.TextIOBase):
    """Standard output while watching: each line goes to stderr, attributed to its plugin."""

    def __init__(self, watch: _Watch) -> None:
        self.watch = watch
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        if lines:
            _forward(self.watch.plugin(), "\n".join(lines))
        return len(text)

    def flush(self) -> None:
        if self.pending:
            _forward(self.watch.plugin(), self.pending)
            self.pending = ""


_WATCH: _Watch | None = None


@contextlib.contextmanager
def watch(seconds: float | None = None) -> Iterator[None]:
    """Guard every plugin call in the body with one interval timer and one redirection."""
    global _WATCH
    if _WATCH is not None:
        yield
        return
    limit = timeout() if seconds is None else seconds
    watcher = _Watch(limit if limit > 0 else float("inf"))
    printed = _Printed(watcher)
    timed = _usable_timer(limit)
    outer = 0.0
    started = time.monotonic()
    if timed:
        outer, _ = signal.getitimer(signal.ITIMER_REAL)
        watcher.outer_deadline = started + outer if outer > 0 else None
        watcher.outer_handler = signal.signal(signal.SIGALRM, watcher.tick)
        tick = min(1.0, max(limit / 10, 0.01))
        signal.setitimer(signal.ITIMER_REAL, tick, tick)
    _WATCH = watcher
    try:
        with contextlib.redirect_stdout(printed):
            yield
    finally:
        _WATCH = None
        printed.flush()
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, watcher.outer_handler)
            if outer > 0 and watcher.outer_deadline is not None:
                left = outer - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))
