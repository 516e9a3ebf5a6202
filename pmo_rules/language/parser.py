"""From `.pmo` text to an AST: the cached Lark parser, and Lark errors turned into Diagnostics.

The builder walks the tree itself (no lark Transformer), so no VisitError can wrap its errors.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import (
    LarkError,
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from pmo_rules.diagnostics import Diagnostic, DiagnosticError, Span, did_you_mean, with_source
from pmo_rules.language.ast import Expr, PolicyFile
from pmo_rules.language.builder import build_expr, build_file

# Spelling of the terminals that are not plain keywords, for "expected ..." messages.
_TERMINAL_WORDS = {
    "NAME": "a name",
    "ID_WORD": "an id",
    "NUMBER": "a number",
    "DATE": "a date",
    "STRING": "a string",
    "CMP_OP": "a comparison",
    "$END": "the end of the file",
}
_RULE_ITEMS = {"severity", "enforcement", "tags", "maturity", "for", "let", "require", "check",
               "message", "fix", "doc"}
_POLICY_ITEMS = {"param", "define", "rule", "override", "title", "version", "owner"}
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


@cache
def _lark() -> Lark:
    grammar = resources.files("pmo_rules.language").joinpath("grammar.lark").read_text("utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        strict=True,
        propagate_positions=True,
        maybe_placeholders=True,
        start=["start", "expr"],
        # Lark stores the analysed grammar in the temp dir, keyed by a hash of the grammar
        # and these options: building it costs ~0.35 s, loading it ~0.015 s.
        cache=True,
    )


def parse_text(text: str, path: str) -> PolicyFile:
    """Parse one file's text into a PolicyFile, or raise DiagnosticError with every problem."""
    tree = _parse_tree(text, path, "start", (0, 0))
    try:
        policy_file, diags = build_file(tree, path, text, parse_expr)
    except RecursionError:
        raise DiagnosticError([_too_deep(path)]) from None
    if diags:
        raise DiagnosticError(with_source(d, text) for d in diags)
    return policy_file


def _too_deep(path: str) -> Diagnostic:
    return Diagnostic("PMO101", "an expression nests too deeply to read", Span(path, 1, 1),
                      help="split it with `let` or `define`")


def parse_file(path: str | Path, name: str | None = None) -> PolicyFile:
    """Read and parse one .pmo file (UTF-8), named `name` in spans (default: its path)."""
    name = str(path) if name is None else name
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # editors on Windows add a BOM
    except UnicodeDecodeError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO111", f"`{name}` is not valid UTF-8 (byte {exc.start})", Span(name, 1, 1),
            help="save the policy file as UTF-8")]) from None
    except OSError as exc:
        raise DiagnosticError([Diagnostic(
            "PMO111", f"cannot read `{name}`: {exc.strerror or exc}", None,
            help="check the path and its permissions")]) from None
    return parse_text(text, name)


def parse_expr(
    path: str, text: str, line: int, column: int, source: str,
) -> tuple[Expr, list[Diagnostic]]:
    """Parse an expression that sits at `line`/`column` of `source` (a message placeholder)."""
    try:
        tree = _parse_tree(text, path, "expr", (line - 1, column - 1), source)
    except DiagnosticError as exc:
        return _placeholder_expr(), list(exc.diagnostics)
    return build_expr(tree, path, source, line - 1, column - 1, parse_expr)


def _placeholder_expr() -> Expr:
    from pmo_rules.language.ast import Bool

    return Bool(True)


def _parse_tree(
    text: str, path: str, start: str, offset: tuple[int, int], source: str | None = None,
) -> Tree[Token]:
    try:
        return _lark().parse(text, start=start)
    except UnexpectedInput as exc:
        diag = _syntax_diagnostic(exc, text, path, offset)
        raise DiagnosticError([with_source(diag, source if source is not None else text)]) from None
    except LarkError as exc:  # any other Lark failure on user text is still a syntax problem
        diag = Diagnostic("PMO101", f"cannot parse: {exc}", Span(path, 1, 1))
        raise DiagnosticError([diag]) from None


def _syntax_diagnostic(
    exc: UnexpectedInput, text: str, path: str, offset: tuple[int, int],
) -> Diagnostic:
    line, column = exc.line, exc.column
    if isinstance(exc, UnexpectedEOF) or line is None or line < 1:
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    span_line = line + offset[0]
    span_col = column + (offset[1] if line == 1 else 0)
    expected: set[str] = set()
    found = ""
    if isinstance(exc, UnexpectedToken):
        expected = _accepted(exc)
        found = "" if exc.token.type == "$END" else str(exc.token)
    elif isinstance(exc, UnexpectedCharacters):
        expected = set(exc.allowed or ())
        pos = exc.pos_in_stream or 0
        match = _WORD.match(text, pos)
        found = match.group(0) if match else text[pos: pos + 1]
    elif isinstance(exc, UnexpectedEOF):
        expected = set(exc.expected)
    words = _expected_words(expected)
    what = _describe_expected(words)
    width = max(1, len(found))
    span = Span(path, span_line, span_col, span_line, span_col + width)
    if not found:
        return Diagnostic("PMO102", f"unexpected end of input; {what}", span,
                          help="close every `{`, `(` and `[`, and finish the last item")
    keywords = [w for w in words if w.isidentifier()]
    guess = did_you_mean(found, keywords) if _WORD.fullmatch(found) else None
    if guess is not None and guess != found:
        hint = f"did you mean `{guess}`?"
    elif found == "{" and "{" not in words:
        hint = "a rule needs an id and a quoted title: rule LC-001 \"Title\" { ... }"
    else:
        hint = f"check the syntax near `{found}` (see docs/language.md)"
    if isinstance(exc, UnexpectedCharacters) and not _WORD.match(found):
        return Diagnostic("PMO101", f"unexpected character `{found}`", span,
                          help="remove it; the language uses only letters, digits, quotes, "
                          "`#` comments and its operators")
    return Diagnostic("PMO101", f"unexpected `{found}`; {what}", span, help=hint)


def _accepted(exc: UnexpectedToken) -> set[str]:
    """The tokens this exact parser state accepts (LALR's merged lookaheads say too much)."""
    interactive = getattr(exc, "interactive_parser", None)
    if interactive is None:
        return set(exc.expected)
    try:
        return set(interactive.accepts()) or set(exc.expected)
    except LarkError:
        return set(exc.expected)


def _expected_words(names: set[str]) -> list[str]:
    terminals = {t.name: t for t in _lark().terminals}
    words: set[str] = set()
    for name in names:
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
            continue
        term = terminals.get(name)
        if term is not None and term.pattern.type == "str":
            words.add(term.pattern.value)
    return sorted(words)


def _describe_expected(words: list[str]) -> str:
    present = set(words)
    if present & _RULE_ITEMS and "rule" not in present and len(present & _RULE_ITEMS) > 3:
        if "and" in present:
            return "expected an operator, or a rule item such as `require` or `severity`"
        return "expected a rule item such as `require` or `severity`"
    if len(present & _POLICY_ITEMS) > 3:
        return "expected a policy item such as `rule`, `param` or `define`"
    if {"a name", "a number", "a string"} <= present:
        return "expected an expression"
    shown = [w if w.startswith(("a ", "an ", "the ")) else f"`{w}`" for w in words[:6]]
    if not shown:
        return "the text cannot continue here"
    if len(words) > 6:
        shown.append("...")
    if len(shown) == 1:
        return f"expected {shown[0]}"
    return "expected " + ", ".join(shown[:-1]) + " or " + shown[-1]
