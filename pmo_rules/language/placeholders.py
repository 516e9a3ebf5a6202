"""Placeholders in a rule's `fix`: `{param}` names a param the rule's policy sees.

A message is rendered per subject, so its placeholders are expressions (the builder
parses them). A fix is the same for every subject of a rule: its placeholders may only
name params, and are filled in once per run with the param's value as written (or as
given at run time). `{{` and `}}` are literal braces. Checked at validate time, so a
misspelt `{high_risk}` never reaches a report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from pmo_rules.diagnostics import Diagnostic, Span, did_you_mean

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def placeholders(text: str) -> Iterator[tuple[int, str | None, str]]:
    """Each `{...}` of a fix text: (offset of `{`, the name or None if not a name, raw)."""
    i = 0
    while i < len(text):
        if text.startswith("{{", i) or text.startswith("}}", i):
            i += 2
            continue
        if text[i] == "{":
            end = text.find("}", i + 1)
            if end < 0:
                yield i, None, text[i:]
                return
            raw = text[i:end + 1]
            inner = raw[1:-1].strip()
            yield i, inner if _NAME.fullmatch(inner) else None, raw
            i = end + 1
            continue
        i += 1


def render_fix(text: str, values: Mapping[str, str]) -> str:
    """The fix with each `{param}` replaced by its value's text and `{{`/`}}` unescaped."""
    out: list[str] = []
    last = 0
    for start, name, raw in placeholders(text):
        out.append(text[last:start])
        out.append(values.get(name, raw) if name is not None else raw)
        last = start + len(raw)
    out.append(text[last:])
    return "".join(out).replace("{{", "{").replace("}}", "}")


def check_fix(text: str, params: Mapping[str, object], span: Span, source: str | None,
              owner: str) -> list[Diagnostic]:
    """PMO220 for each placeholder of a fix that names no param in scope.

    `span` is the rule's (or override's); the fix line inside it is found in `source`
    to point at the placeholder itself.
    """
    out = []
    for _, name, raw in placeholders(text):
        if name is not None and name in params:
            continue
        where = _locate(raw, span, source) or span
        if name is None:
            message = f"placeholder `{raw}` in the fix of {owner} is not a param name"
            help_ = ("a fix is the same for every subject, so its placeholders name params "
                     "only (`{max_slip}`); write `{{` and `}}` for literal braces")
        else:
            guess = did_you_mean(name, params)
            message = f"placeholder `{raw}` in the fix of {owner} names no param in scope"
            help_ = (f"did you mean `{{{guess}}}`?" if guess else
                     "declare the param with `param`, or write `{{` and `}}` for literal braces")
        out.append(Diagnostic("PMO220", message, where, help=help_))
    return out


def _locate(raw: str, span: Span, source: str | None) -> Span | None:
    """The placeholder's place: on the `fix` line inside the rule or override."""
    if source is None:
        return None
    lines = source.splitlines()
    last = max(span.end_line, span.line)
    for number in range(span.line, min(last, len(lines)) + 1):
        line = lines[number - 1]
        if line.lstrip().startswith("fix") and raw in line:
            column = line.index(raw, line.index("fix")) + 1
            return Span(span.file, number, column, number, column + len(raw))
    return None
