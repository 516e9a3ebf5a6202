"""The rules of a run: those a `--select` pattern names and no `--ignore` pattern does."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, did_you_mean
from pmo_rules.given import span_of
from pmo_rules.language.checked import ResolvedRule

__all__ = ["select_rules"]


def select_rules(
    rules: Sequence[ResolvedRule], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[ResolvedRule]:
    """Rules whose id matches a --select pattern (all when none) and no --ignore pattern."""
    select, ignore = list(select), list(ignore)
    ids = [r.rule.id for r in rules]
    problems = []
    for pattern in [*select, *ignore]:
        if not any(fnmatch.fnmatchcase(i, pattern) for i in ids):
            guess = did_you_mean(pattern, ids)
            problems.append(Diagnostic(
                "PMO603", f"`{pattern}` matches no loaded rule", span_of(pattern),
                help=f"did you mean `{guess}`?" if guess else "give rule ids or globs like `LC-*`",
            ))
    if problems:
        raise DiagnosticError(problems)

    def keep(rule_id: str) -> bool:
        chosen = not select or any(fnmatch.fnmatchcase(rule_id, p) for p in select)
        return chosen and not any(fnmatch.fnmatchcase(rule_id, p) for p in ignore)

    return [r for r in rules if keep(r.rule.id)]
