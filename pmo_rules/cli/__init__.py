"""The `pmo-rules` command line: one module per command, registered here."""

from __future__ import annotations

import contextlib
import errno
import gc
import importlib
import os
import sys
import traceback

import click

from pmo_rules import __version__, timing
from pmo_rules.cli.output import EXIT_OUTPUT, as_output_error, say

# command name -> module under pmo_rules.cli defining a click command called `command`.
COMMANDS = {
    "check": "check",
    "validate": "validate",
    "fmt": "fmt",
    "schema": "schema",
    "graph": "graph",
    "test": "test",
    "explain": "explain",
    "maturity": "maturity",
    "plugins": "plugins",
    "init": "init",
    "import": "import_",
    "history": "history",
    "diff": "diff",
    "baseline": "baseline",
    "trend": "trend",
    "preview": "preview",
    "store": "store",
    "readiness": "readiness",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs, to keep start-up fast."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._load(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        module_name = COMMANDS.get(name)
        if module_name is None:
            return None
        try:
            module = importlib.import_module(f"pmo_rules.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pmo_rules.cli.{module_name}":
                return None  # not built yet
            raise
        command: click.Command = module.command
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmo-rules")
def main() -> None:
    """Check a project portfolio against PMO governance policies."""


def run() -> None:
    """The `pmo-rules` executable: the command line, with the cyclic collector off."""
    # A run is short and builds one large object graph that lives to the end: the cyclic
    # collector would only re-scan it (seconds at 100k projects), never free it.
    gc.disable()
    try:
        main(standalone_mode=False)
        code = 0
    except click.exceptions.Exit as done:  # --help, --version
        code = done.exit_code
    except click.UsageError as problem:  # a mistake on the command line
        from pmo_rules.cli.usage import usage_diagnostic

        say(usage_diagnostic(problem, sys.argv[1:]).render())
        code = problem.exit_code
    except click.ClickException as problem:
        problem.show()
        code = problem.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        # Interrupted: not a verdict, so not 1 ("blocking findings"); 130 as shells do.
        print("interrupted", file=sys.stderr)
        code = 130
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            say(done.code)
    except Exception as exc:  # outside any command's own handling (click's, say)
        code = _unhandled(exc)
    # Tearing down a large portfolio object by object takes seconds at 100k projects,
    # and nothing is left to do: flush what was written and leave at once.
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as exc:  # output a command printed but could not deliver
        if code not in (EXIT_OUTPUT, 130):
            code = _unhandled(exc if isinstance(exc, OSError) else OSError(errno.EBADF, "closed"))
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    timing.dump()
    os._exit(code)


def _unhandled(exc: Exception) -> int:
    """The exit code of an exception no command handled, said in one line."""
    from pmo_rules.cli.common import EXIT_INTERNAL

    problem = as_output_error(exc)
    if problem is not None:
        say(problem.line())
        return EXIT_OUTPUT
    if os.environ.get("PMO_RULES_DEBUG"):
        traceback.print_exception(exc)
    say(f"internal error: {type(exc).__name__}: {exc}\n"
        "  help: this is a bug in pmo-rules; rerun with PMO_RULES_DEBUG=1 and report it")
    return EXIT_INTERNAL
