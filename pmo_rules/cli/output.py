"""Writing reports so that a report either arrives whole or is said not to have arrived.

A file is written to a temporary file beside it, synced and then renamed over the
destination: a full disk, a quota or a crash leaves the previous report (or
nothing), never a truncated one that looks complete. Standard output is flushed
as soon as a report is written, so a full device (`> /dev/full`) or a reader that
went away (`| head`) is found while the command can still say so. Either way the
command prints one line, `error[PMO623]: cannot write ...`, and exits 4
(EXIT_OUTPUT): an environment problem, neither bad input nor a bug.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sys
from pathlib import Path

OUTPUT_PROBLEM = "PMO623"
EXIT_OUTPUT = 4

# What writing to a stream can fail with when the fault is the destination's.
_DESTINATION_ERRNOS = frozenset({
    errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS,
    errno.EBADF, errno.ECONNRESET,
})


class OutputError(Exception):
    """A report (or other output) could not be written: where to, and why."""

    def __init__(self, where: str, reason: str, what: str = "the report") -> None:
        self.where = where
        self.reason = reason
        self.what = what
        super().__init__(self.line())

    def line(self) -> str:
        """The one line a command prints about it."""
        return f"pmo-rules: error[{OUTPUT_PROBLEM}]: cannot write {self.what} to {self.where}: " \
               f"{self.reason}"


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EPIPE or isinstance(exc, BrokenPipeError):
        return "the reader closed the pipe"
    if isinstance(exc, FileExistsError) and exc.filename is not None:  # from mkdir
        return f"`{exc.filename}` is a file, not a directory"
    return exc.strerror or type(exc).__name__


def write_stdout(data: str | bytes, what: str = "the report") -> None:
    """Write `data` to standard output and flush it; a failure is an OutputError."""
    try:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(data)
            sys.stdout.flush()
    except OSError as exc:
        raise OutputError("standard output", _reason(exc), what) from None


def write_file(path: Path, data: str | bytes, what: str = "the report") -> None:
    """Write `data` to `path` whole or not at all: a temporary file beside it, renamed."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        # 0o666 less the umask: the permissions an ordinary write would give.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())  # a delayed "disk full" shows here, not after the rename
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise OutputError(f"`{path}`", _reason(exc), what) from None


def as_output_error(exc: BaseException) -> OutputError | None:
    """An OutputError for an error raised while printing to standard output, else None.

    Commands that print through click rather than `write_stdout` meet a full device
    or a closed pipe as an OSError with no file name.
    """
    if isinstance(exc, OutputError):
        return exc
    if isinstance(exc, OSError) and exc.filename is None and exc.errno in _DESTINATION_ERRNOS:
        return OutputError("standard output", _reason(exc), "the output")
    return None


def say(line: str) -> None:
    """Print one line on standard error, if standard error can still be written."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)
