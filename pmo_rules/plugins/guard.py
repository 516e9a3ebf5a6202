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
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
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
    limit = timeout() if seconds is None else seconds
    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured), _deadline(limit):
            return fn(*args, **kwargs)
    except KeyboardInterrupt:
        raise
    except _Expired:
        raise PluginError(plugin, what, f"did not return within {limit:g} s "
                          "(the limit is PMO_RULES_PLUGIN_TIMEOUT)", timed_out=True) from None
    except SystemExit as exc:
        raise PluginError(plugin, what, f"called sys.exit({exc.code!r})") from None
    except BaseException as exc:  # plugin code: anything may happen, and it must stay local
        raise PluginError(plugin, what, f"raised {type(exc).__name__}: {exc}") from exc
    finally:
        _forward(plugin, captured.getvalue())


def _forward(plugin: str, text: str) -> None:
    if not text:
        return
    with contextlib.suppress(OSError, ValueError):
        for line in text.splitlines():
            sys.stderr.write(f"plugin {plugin}: {line}\n")


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Expired in the body once `seconds` have passed (see the module's doc)."""
    if (seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
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
