"""The contract every hostile input must keep, asserted through the command line.

Exit 0, 1 or 2 (3 only where a test allows a rule that genuinely could not run, and then
with the reason in the report), no traceback, no "internal error", a place
(file:line:col) for every diagnostic, and an end within a bounded time.
"""

from __future__ import annotations

import json
import re
import signal
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from click.testing import CliRunner

from pmo_rules.cli import main

# Diagnostics about the run itself, not about a file: they have no place to name (a
# limit's environment variable, a report that could not be written, a plugin's format).
PLACELESS = {"PMO630", "PMO623", "PMO624"}
_DIAG = re.compile(r"(?:error|warning)\[(PMO\d+)\]")
_PLACED = re.compile(r"^\S.*:\d+:\d+: (?:error|warning)\[PMO\d+\]")


class TookTooLong(Exception):
    """A command ran past its time bound."""


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail, instead of hanging, when the body takes more than `seconds` of CPU time
    (CPU time, not wall time: a busy CI machine must not fail a bounded run)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TookTooLong(f"did not end within {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class Outcome:
    """What one command did."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout as JSON."""
        return json.loads(self.stdout)

    def codes(self) -> list[str]:
        """The diagnostic codes reported, as text on stderr or JSON on stdout."""
        found = _DIAG.findall(self.stderr)
        if self.stdout.lstrip().startswith("{"):
            payload = self.json()
            found += [d["code"] for d in payload.get("diagnostics", [])]
        return found


def run(args: Sequence[str], *, seconds: float = 30, allow_error: bool = False,
        env: Mapping[str, str] | None = None) -> Outcome:
    """Run `pmo-rules ARGS` in-process and assert the contract; the outcome for more checks."""
    with bounded(seconds):
        result = CliRunner().invoke(main, list(args), env=dict(env or {}))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"escaped: {result.exception!r}") from result.exception
    out = Outcome(result.exit_code, result.stdout, result.stderr)
    text = out.stdout + out.stderr
    assert "TookTooLong" not in text, f"did not end within {seconds} s of CPU time"
    assert "Traceback" not in text, text[-2000:]
    assert "internal error" not in text, text[-2000:]
    allowed = {0, 1, 2, 3} if allow_error else {0, 1, 2}
    assert out.exit_code in allowed, (out.exit_code, text[-2000:])
    for line in out.stderr.splitlines():
        code = _DIAG.search(line)  # a headline starts its line; excerpts are indented
        if code is not None and not line[:1].isspace() and code.group(1) not in PLACELESS:
            assert _PLACED.match(line), f"a diagnostic without a place: {line!r}"
    if out.stdout.lstrip().startswith("{"):
        payload = out.json()
        for diag in payload.get("diagnostics", []):
            if diag["code"] not in PLACELESS:
                assert diag.get("file") and diag.get("line", 0) >= 1, diag
        if out.exit_code == 3:  # a rule that could not run says why
            assert payload["errors"], payload["summary"]
            assert all(e["message"] for e in payload["errors"])
    return out


def policy_file(tmp: Path, body: str, *, name: str = "p.pmo", lets: Sequence[str] = (),
                defines: Sequence[str] = (), coll: str = "projects") -> Path:
    """A one-rule policy `T-1` over `coll` requiring `body`."""
    head = "".join(f"  define {d}\n" for d in defines)
    inner = "".join(f"    let {x}\n" for x in lets)
    text = (f'policy "t" {{\n{head}  rule T-1 "t" {{\n    for p in {coll}\n{inner}'
            f"    require {body}\n  }}\n}}\n")
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return path


def portfolio_file(tmp: Path, projects: Sequence[Mapping[str, Any]], **extra: Any) -> Path:
    """A JSON portfolio with these projects (JSON keeps exact numbers and odd strings)."""
    path = tmp / "portfolio.json"
    path.write_text(json.dumps({"as_of": "2026-11-26", "projects": list(projects), **extra}),
                    encoding="utf-8")
    return path
