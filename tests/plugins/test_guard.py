"""The plugin guard on its own: containment, the time limit, the caller's timer, stdout."""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from types import FrameType
from typing import Any

import pytest

from pmo_rules.plugins import guard
from pmo_rules.plugins.guard import PluginError

Mode = Callable[[], AbstractContextManager[None]]
MODES: dict[str, Mode] = {"one call": nullcontext, "watched": lambda: guard.watch(0.5)}


@contextmanager
def outer_timer(seconds: float) -> Iterator[list[str]]:
    """A caller's own SIGALRM timer, as a test harness or an application may set one."""
    fired: list[str] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        fired.append("outer")

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def sleeper(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.01)


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize(("body", "says"), [
    (lambda: sys.exit(2), "called sys.exit(2)"),
    (lambda: (_ for _ in ()).throw(GeneratorExit()), "raised GeneratorExit"),
    (lambda: 1 / 0, "raised ZeroDivisionError: division by zero"),
])
def test_everything_but_ctrl_c_is_contained_and_named(
        mode: str, body: Callable[[], Any], says: str) -> None:
    with MODES[mode](), pytest.raises(PluginError) as info:
        guard.call("acme", "check `acme.x`", body, seconds=0.5)
    assert str(info.value) == f"plugin `acme`: check `acme.x` {says}"


@pytest.mark.parametrize("mode", sorted(MODES))
def test_ctrl_c_passes(mode: str) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with MODES[mode](), pytest.raises(KeyboardInterrupt):
        guard.call("acme", "check `acme.x`", interrupted, seconds=0.5)


@pytest.mark.parametrize("mode", sorted(MODES))
def test_the_time_limit_interrupts_and_the_callers_timer_survives(mode: str) -> None:
    with outer_timer(2.5) as fired:
        started = time.monotonic()
        with MODES[mode](), pytest.raises(PluginError) as info:
            guard.call("acme", "function `acme.f`", sleeper, 30, seconds=0.5)
        assert info.value.timed_out and "did not return within 0.5 s" in str(info.value)
        assert time.monotonic() - started < 2.0
        assert guard.call("acme", "function `acme.f`", lambda: 7, seconds=0.5) == 7
        sleeper(3.0)
    assert fired == ["outer"]  # the caller's timer still fired, once, late or on time


def test_what_plugins_print_goes_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    guard.call("chatty", "hook x", print, "alone", seconds=1)
    with guard.watch(1):
        guard.call("chatty", "function `chatty.f`", print, "watched")
        print("engine")  # not from a plugin, but stdout is guarded all the same
    out, err = capsys.readouterr()
    assert out == ""
    assert "plugin chatty: alone\n" in err and "plugin chatty: watched\n" in err
    assert "plugin ?: engine\n" in err


def test_no_limit_means_no_timer() -> None:
    with guard.watch(0):
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert guard.call("acme", "x", lambda: 1) == 1
