"""Command-line mistakes said the way pmo-rules says every other problem: a code, what
was expected, and the likely fix (click's own wording names Python's date formats)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import click

from pmo_rules.diagnostics import Diagnostic, date_help, did_you_mean


def usage_diagnostic(problem: click.UsageError, args: Sequence[str]) -> Diagnostic:
    """PMO600 for a mistake on the command line (`args`: what was typed after the program)."""
    command = problem.ctx.command_path if problem.ctx is not None else "pmo-rules"
    see = f"see `{command} --help`"
    if isinstance(problem, click.MissingParameter) and problem.param is not None:
        what = "argument" if isinstance(problem.param, click.Argument) else "option"
        return Diagnostic("PMO600", f"`{command}` needs its {what} "
                          f"{problem.param.human_readable_name}", help=see)
    if isinstance(problem, click.BadParameter) and problem.param is not None:
        return _bad_value(problem, problem.param, args, see)
    if isinstance(problem, click.NoSuchOption):
        guess = did_you_mean(problem.option_name, problem.possibilities or [])
        return Diagnostic("PMO600", f"`{command}` has no option `{problem.option_name}`",
                          help=f"did you mean `{guess}`?" if guess else see)
    message = problem.format_message().rstrip(".")
    unknown = re.fullmatch(r"No such command '(.+)'", message)
    if unknown is not None and isinstance(problem.ctx.command if problem.ctx else None,
                                          click.Group):
        assert problem.ctx is not None
        group = problem.ctx.command
        assert isinstance(group, click.Group)
        guess = did_you_mean(unknown.group(1), group.list_commands(problem.ctx))
        return Diagnostic("PMO600", f"`{unknown.group(1)}` is not a pmo-rules command",
                          help=f"did you mean `pmo-rules {guess}`?" if guess else see)
    return Diagnostic("PMO600", message[:1].lower() + message[1:], help=see)


def _bad_value(problem: click.BadParameter, param: click.Parameter, args: Sequence[str],
               see: str) -> Diagnostic:
    """A value an option or argument does not accept."""
    opts = [o for o in param.opts if o.startswith("-")]
    name = opts[0] if opts else param.human_readable_name
    given = _given(opts, args)
    shown = f"`{name} {given}`" if opts and given is not None else f"`{given or name}`"
    kind = param.type
    if isinstance(kind, click.Choice):
        choices = [str(c) for c in kind.choices]
        guess = did_you_mean(given, choices) if given else None
        return Diagnostic("PMO600", f"{shown} is not one of {', '.join(choices)}",
                          help=f"did you mean `{guess}`?" if guess else see)
    if isinstance(kind, click.DateTime):
        return Diagnostic("PMO600", f"{shown} is not a date", help=date_help(given))
    message = problem.message.rstrip(".")
    return Diagnostic("PMO600", f"{shown}: {message[:1].lower() + message[1:]}", help=see)


def _given(opts: Sequence[str], args: Sequence[str]) -> str | None:
    """The last value typed for one of `opts` (`--format x` or `--format=x`)."""
    found = None
    for i, arg in enumerate(args):
        for opt in opts:
            if arg == opt and i + 1 < len(args):
                found = args[i + 1]
            elif arg.startswith(opt + "="):
                found = arg[len(opt) + 1:]
    return found
