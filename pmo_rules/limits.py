"""The documented limits of a run, in one place (docs/checking.md, "Limits").

Every evaluation ends: policy text nests at most `NESTING` levels (checked where the
tree is built), a rule visits at most `STEPS` elements (checked while it runs), text is
matched by RE2 in linear time, and arithmetic stays within fixed ranges. A limit that
users may raise is a `Limit`, read from its environment variable when a run needs it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from pmo_rules.diagnostics import Diagnostic, DiagnosticError


@dataclass(frozen=True)
class Limit:
    """A limit with a default that an environment variable may change, within bounds."""

    name: str
    env: str
    default: int
    minimum: int
    maximum: int
    unit: str

    def value(self) -> int:
        """The limit in force: the environment's value, else the default."""
        raw = os.environ.get(self.env, "").strip().replace("_", "")
        if not raw:
            return self.default
        try:
            value = int(raw) if len(raw) <= 30 else -1
        except ValueError:
            value = -1
        if not self.minimum <= value <= self.maximum:
            raise DiagnosticError([Diagnostic(
                "PMO608", f"environment variable {self.env}={os.environ[self.env]!r} is not a "
                f"{self.name} limit from {self.minimum:,} to {self.maximum:,} {self.unit}",
                help=f"set it to a whole number in that range, or unset it for the default "
                f"({self.default:,})")])
        return value


# Portfolio files (docs/data-model.md, "Limits"). Lists and mappings nest at most
# MAX_DATA_DEPTH levels, counting the file's top level as 1: the models need about
# eight, and every later stage (validation, evaluation, reports) walks values
# recursively. An integer has at most MAX_DIGITS digits, as in policy text. YAML
# aliases may repeat at most MAX_ALIAS_EXPANSION values in all (a "billion laughs"
# document expands exponentially).
MAX_DATA_DEPTH = 64
MAX_DIGITS = 30
MAX_ALIAS_EXPANSION = 100_000
# Unknown ids get a did-you-mean for the first MAX_SUGGESTIONS of a load (each reads
# every id), so a file of 100,000 dangling references is reported in linear time.
MAX_SUGGESTIONS = 100

# How many diagnostics a command shows before summarising the rest by code.
MAX_DIAGNOSTICS = Limit("diagnostics", "PMO_RULES_MAX_DIAGNOSTICS", default=100, minimum=1,
                        maximum=10**9, unit="diagnostics")
