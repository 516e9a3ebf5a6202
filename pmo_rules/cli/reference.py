"""docs/cli.md, generated from the commands' own help: `python -m pmo_rules.cli.reference`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmo_rules.cli import COMMANDS, main

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
HEADER = """# Command-line reference

Generated from each command's `--help` by `python -m pmo_rules.cli.reference`
(a test fails when this file is stale). Exit codes everywhere: 0 success or
nothing blocking, 1 blocking findings (or failing policy tests), 2 the inputs are
wrong, 3 an internal error or a rule that could not be evaluated, 130 interrupted.
"""


def render() -> str:
    """The reference: the group's help, then each command's, in name order."""
    parts = [HEADER]
    names = ["-h", "--help"]
    with click.Context(main, info_name="pmo-rules", terminal_width=100,
                       help_option_names=names) as ctx:
        parts.append(f"## pmo-rules\n\n```\n{main.get_help(ctx)}\n```\n")
        for name in sorted(COMMANDS):
            command = main.get_command(ctx, name)
            if command is None:
                continue
            with click.Context(command, info_name=name, parent=ctx, terminal_width=100,
                               help_option_names=names) as sub:
                parts.append(f"## pmo-rules {name}\n\n```\n{command.get_help(sub)}\n```\n")
                if isinstance(command, click.Group):  # each subcommand too
                    for sub_name in sorted(command.commands):
                        child = command.commands[sub_name]
                        with click.Context(child, info_name=sub_name, parent=sub,
                                           terminal_width=100, help_option_names=names) as c:
                            parts.append(f"### pmo-rules {name} {sub_name}\n\n```\n"
                                         f"{child.get_help(c)}\n```\n")
    return "\n".join(parts)


def main_(argv: list[str]) -> int:
    """Write docs/cli.md, or with --check report whether it is current (exit 1 if not)."""
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is stale: run python -m pmo_rules.cli.reference", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main_(sys.argv[1:]))
