"""Lark parse trees to AST nodes: the only module that knows the grammar's rule names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from lark import Token, Tree
from lark.tree import Meta

from pmo_rules import limits
from pmo_rules.diagnostics import Diagnostic, Span, did_you_mean
from pmo_rules.language import ast
from pmo_rules.language.ast import (
    ENFORCEMENTS,
    SEVERITIES,
    Aggregate,
    Binary,
    Bool,
    Call,
    CheckCall,
    Compare,
    Date,
    Define,
    Duration,
    Exists,
    Expr,
    ForClause,
    Index,
    Let,
    ListLit,
    Matches,
    Name,
    Number,
    Override,
    Param,
    Policy,
    PolicyFile,
    Quantifier,
    Require,
    Rule,
    String,
    Template,
    Unary,
)
from pmo_rules.model import literals

# Parses a placeholder's text found at (line, column) of the file: (path, text, line, col, source).
SubParser = Callable[[str, str, int, int, str], tuple[Expr, list[Diagnostic]]]

AUTHORITIES = ("enterprise", "department")
_OVERRIDE_ITEMS = ("severity", "enforcement", "tags", "message", "fix", "doc")


@dataclass(frozen=True)
class _Item:
    """A header or rule item before it is placed in its Policy or Rule."""

    key: str
    value: Any
    span: Span


@dataclass(frozen=True)
class _Kwarg:
    name: str
    value: Expr
    span: Span


def unescape(raw: str) -> str:
    """A string literal's value: only `\\"` and `\\\\` are escapes; other backslashes stay."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw) and raw[i + 1] in "\"\\":
            out.append(raw[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def build_file(
    tree: Tree[Token], path: str, source: str, sub_parser: SubParser,
) -> tuple[PolicyFile, list[Diagnostic]]:
    """Build a PolicyFile from a `start` tree; problems come back as diagnostics."""
    builder = _Builder(path, source, sub_parser)
    if builder.too_deep(tree):
        return PolicyFile(path, (), source), builder.diags
    policies = builder.transform(tree)
    return PolicyFile(path, tuple(policies), source), builder.diags


def build_expr(
    tree: Tree[Token], path: str, source: str, line_offset: int, col_offset: int,
    sub_parser: SubParser,
) -> tuple[Expr, list[Diagnostic]]:
    """Build an expression parsed from a placeholder that starts at the given offsets."""
    builder = _Builder(path, source, sub_parser, line_offset, col_offset)
    if builder.too_deep(tree):
        return Bool(True), builder.diags
    expr = builder.transform(tree)
    return cast(Expr, expr), builder.diags


# The grammar rules that are expression nodes: each one nests one level deeper.
_EXPRESSION_RULES = frozenset({
    "quantifier", "or_", "and_", "not_", "compare", "in_", "not_in", "contains", "matches",
    "exists", "missing", "add", "sub", "mul", "div", "neg", "field", "call", "index",
    "named_arg", "number", "date", "string", "true", "false", "name", "list_", "count",
    "aggregate",
})


class _Builder:
    """One method per grammar rule, each taking the rule's meta and its built children."""

    def __init__(
        self, path: str, source: str, sub_parser: SubParser,
        line_offset: int = 0, col_offset: int = 0,
    ) -> None:
        self.path = path
        self.source = source
        self.sub_parser = sub_parser
        self.line_offset = line_offset
        self.col_offset = col_offset
        self.diags: list[Diagnostic] = []
        self._lines: list[str] | None = None
        self._methods: dict[str, Callable[[Meta, list[Any]], Any]] = {}

    def too_deep(self, tree: Tree[Token]) -> bool:
        """Report every expression nested past the limit (docs/checking.md, "Limits").

        Walks the tree with its own stack, so any depth is measured safely; the builder and
        every later stage recurse, and only ever see trees within the limit.
        """
        limit = limits.NESTING.value()
        found = False
        # (node, its depth, the rule item it belongs to); children left to right, and one
        # report per item: the first place, on its leftmost path, past the limit.
        stack: list[tuple[Tree[Token], int, int]] = [(tree, 0, 0)]
        reported: set[int] = set()
        while stack:
            node, depth, item = stack.pop()
            if item in reported:
                continue
            if depth > limit:
                found = True
                reported.add(item)
                span = self._span(node.meta)
                self._error("PMO112", f"this expression nests more than {limit} levels deep",
                            Span(span.file, span.line, span.column, span.line, span.column + 1),
                            help="split it with `let` or `define` (a long chain of `or` "
                            "comparisons is `x in [...]`); the limit is "
                            f"{limits.NESTING.env} (docs/checking.md)")
                continue
            for child in reversed(node.children):
                if isinstance(child, Tree):
                    nested = str(child.data) in _EXPRESSION_RULES
                    stack.append((child, depth + nested, item if nested else id(child)))
        return found

    def transform(self, tree: Tree[Token]) -> Any:
        """Build the node for `tree`, children first (lark's visitors cost more than this)."""
        children = [self.transform(c) if isinstance(c, Tree) else c for c in tree.children]
        name = str(tree.data)
        method = self._methods.get(name)
        if method is None:
            method = self._methods[name] = getattr(self, name)
        return method(tree.meta, children)

    @property
    def lines(self) -> list[str]:
        """The source's lines, split on first use (placeholders never need them)."""
        if self._lines is None:
            self._lines = self.source.splitlines()
        return self._lines

    # ------------------------------------------------------------ helpers

    def _span(self, meta: Meta) -> Span:
        if getattr(meta, "empty", True):
            return Span(self.path, 1 + self.line_offset, 1 + self.col_offset)
        return Span(self.path, meta.line + self.line_offset,
                    meta.column + (self.col_offset if meta.line == 1 else 0),
                    meta.end_line + self.line_offset,
                    meta.end_column + (self.col_offset if meta.end_line == 1 else 0))

    def _tspan(self, tok: Token) -> Span:
        line = tok.line or 1
        end_line = tok.end_line or line
        return Span(self.path, line + self.line_offset,
                    (tok.column or 1) + (self.col_offset if line == 1 else 0),
                    end_line + self.line_offset,
                    (tok.end_column or 1) + (self.col_offset if end_line == 1 else 0))

    def _error(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        self.diags.append(Diagnostic(code, message, span, help))

    def _string(self, tok: Token) -> str:
        return unescape(str(tok)[1:-1])

    # ------------------------------------------------------------ policies

    def start(self, meta: Meta, children: list[Policy]) -> list[Policy]:
        return children

    def policy(self, meta: Meta, children: list[Any]) -> Policy:
        name = self._string(children[0])
        extends: str | None = None
        headers: dict[str, Any] = {}
        params: list[Param] = []
        defines: list[Define] = []
        rules: list[Rule] = []
        overrides: list[Override] = []
        for child in children[1:]:
            if isinstance(child, _Item) and child.key == "extends":
                extends = child.value
            elif isinstance(child, _Item):
                if child.key in headers:
                    self._error("PMO104", f"`{child.key}` is given twice in policy `{name}`",
                                child.span, help=f"keep one `{child.key}`")
                headers[child.key] = child.value
            elif isinstance(child, Param):
                params.append(child)
            elif isinstance(child, Define):
                defines.append(child)
            elif isinstance(child, Rule):
                rules.append(child)
            elif isinstance(child, Override):
                overrides.append(child)
        return Policy(
            name, extends, headers.get("title"), headers.get("version"), headers.get("owner"),
            headers.get("description"), headers.get("authority"), tuple(params), tuple(defines),
            tuple(rules), tuple(overrides), span=self._span(meta),
        )

    def extends(self, meta: Meta, children: list[Token]) -> _Item:
        return _Item("extends", self._string(children[0]), self._span(meta))

    def _header(self, key: str, meta: Meta, children: list[Token]) -> _Item:
        return _Item(key, self._string(children[0]), self._span(meta))

    def title(self, meta: Meta, children: list[Token]) -> _Item:
        return self._header("title", meta, children)

    def version(self, meta: Meta, children: list[Token]) -> _Item:
        return self._header("version", meta, children)

    def owner(self, meta: Meta, children: list[Token]) -> _Item:
        return self._header("owner", meta, children)

    def description(self, meta: Meta, children: list[Token]) -> _Item:
        return self._header("description", meta, children)

    def authority(self, meta: Meta, children: list[Token]) -> _Item:
        word = str(children[0])
        if word not in AUTHORITIES:
            self._choice_error("authority", word, AUTHORITIES, children[0])
            word = "department"
        return _Item("authority", word, self._span(meta))

    def _choice_error(self, what: str, word: str, allowed: tuple[str, ...], tok: Token) -> None:
        guess = did_you_mean(word, allowed)
        choices = " | ".join(allowed)
        self._error("PMO105", f"`{word}` is not a valid {what}; expected one of {choices}",
                    self._tspan(tok),
                    help=f"did you mean `{guess}`?" if guess else f"use one of {choices}")

    def param(self, meta: Meta, children: list[Any]) -> Param:
        name = str(children[0])
        value = self._literal(children[1])
        tighten = children[2] if len(children) > 2 else None
        return Param(name, value, tighten, span=self._span(meta))

    def tighten(self, meta: Meta, children: list[Token]) -> str:
        return str(children[0])

    def _literal(self, expr: Expr) -> ast.Literal_:
        if isinstance(expr, Unary) and expr.op == "-":
            inner = expr.operand
            if isinstance(inner, Number):
                return Number(-inner.value, f"-{inner.text}", span=expr.span)
            if isinstance(inner, Duration):
                return Duration(-inner.days, f"-{inner.text}", span=expr.span)
        if isinstance(expr, ListLit):
            return ListLit(tuple(self._literal(i) for i in expr.items), span=expr.span)
        if isinstance(expr, Number | String | Bool | Date | Duration):
            return expr
        self._error("PMO107", "a param's value must be a literal (number, string, bool, date, "
                    "duration or list)", expr.span,
                    help="compute derived values in a `let` or a `define` instead")
        return Number(0, "0", span=expr.span)

    def define(self, meta: Meta, children: list[Any]) -> Define:
        name = str(children[0])
        params = tuple(str(c) for c in children[1:-1] if isinstance(c, Token))
        seen: set[str] = set()
        for c in children[1:-1]:
            if isinstance(c, Token):
                if str(c) in seen:
                    self._error("PMO215", f"define `{name}` has two parameters named `{c}`",
                                self._tspan(c), help="give each parameter its own name")
                seen.add(str(c))
        return Define(name, params, children[-1], span=self._span(meta))

    # ------------------------------------------------------------ rules

    def rule(self, meta: Meta, children: list[Any]) -> Rule:
        rule_id = str(children[0])
        title = self._string(children[1])
        items = self._items(rule_id, children[2:])
        body = tuple(i.value for i in children[2:] if isinstance(i, _Item)
                     and i.key in ("let", "require"))
        return Rule(
            rule_id, title, items.get("severity"), items.get("enforcement"),
            items.get("tags", ()), items.get("maturity"), items.get("for"), body,
            items.get("check"), items.get("message"), items.get("fix"), items.get("doc"),
            span=self._span(meta),
        )

    def _items(self, rule_id: str, children: list[Any]) -> dict[str, Any]:
        items: dict[str, Any] = {}
        for item in children:
            if not isinstance(item, _Item) or item.key in ("let", "require"):
                continue
            if item.key in items:
                self._error("PMO104", f"`{item.key}` is given twice in rule `{rule_id}`",
                            item.span, help=f"keep one `{item.key}`; only `let` and `require` "
                            "may repeat")
                continue
            items[item.key] = item.value
        return items

    def override(self, meta: Meta, children: list[Any]) -> Override:
        rule_id = str(children[0])
        for item in children[1:]:
            if isinstance(item, _Item) and item.key not in _OVERRIDE_ITEMS:
                self._error("PMO106", f"`{item.key}` cannot appear in an override",
                            item.span, help="an override may set " + ", ".join(
                                f"`{k}`" for k in _OVERRIDE_ITEMS) + "; declare a new rule to "
                            "add logic")
        items = self._items(rule_id, children[1:])
        return Override(
            rule_id, items.get("severity"), items.get("enforcement"), items.get("tags", ()),
            items.get("message"), items.get("fix"), items.get("doc"), span=self._span(meta),
        )

    def severity(self, meta: Meta, children: list[Token]) -> _Item:
        word = str(children[0])
        if word not in SEVERITIES:
            self._choice_error("severity", word, SEVERITIES, children[0])
            word = "medium"
        return _Item("severity", word, self._span(meta))

    def enforcement(self, meta: Meta, children: list[Token]) -> _Item:
        word = str(children[0])
        if word not in ENFORCEMENTS:
            self._choice_error("enforcement", word, ENFORCEMENTS, children[0])
            word = "soft"
        return _Item("enforcement", word, self._span(meta))

    def tags(self, meta: Meta, children: list[Token]) -> _Item:
        return _Item("tags", tuple(str(c) for c in children), self._span(meta))

    def maturity(self, meta: Meta, children: list[Token]) -> _Item:
        text = str(children[0])
        level = int(text) if text.isdigit() else 0
        if not 1 <= level <= 5:
            self._error("PMO105", f"`{text}` is not a valid maturity; expected a level 1 to 5",
                        self._tspan(children[0]), help="write a whole number from 1 to 5")
            level = 1
        return _Item("maturity", level, self._span(meta))

    def for_clause(self, meta: Meta, children: list[Any]) -> _Item:
        where = children[2] if len(children) > 2 else None
        return _Item("for", ForClause(str(children[0]), children[1], where, span=self._span(meta)),
                     self._span(meta))

    def let(self, meta: Meta, children: list[Any]) -> _Item:
        span = self._span(meta)
        return _Item("let", Let(str(children[0]), children[1], span=span), span)

    def require(self, meta: Meta, children: list[Any]) -> _Item:
        span = self._span(meta)
        expr = children[0]
        text = self._text_of(expr.span)
        return _Item("require", Require(expr, text, span=span), span)

    def _text_of(self, span: Span) -> str:
        lines = self.lines
        if not 1 <= span.line <= len(lines) or span.end_line < span.line:
            return ""
        if span.line == span.end_line:
            return lines[span.line - 1][span.column - 1: span.end_column - 1]
        parts = [lines[span.line - 1][span.column - 1:]]
        parts += [ln.strip() for ln in lines[span.line: span.end_line - 1]]
        parts.append(lines[span.end_line - 1][: span.end_column - 1].strip())
        return " ".join(p.strip() for p in parts if p.strip())

    def check(self, meta: Meta, children: list[Any]) -> _Item:
        names = [str(c) for c in children if isinstance(c, Token)]
        kwargs = [c for c in children if isinstance(c, _Kwarg)]
        self._check_kwargs(kwargs)
        span = self._span(meta)
        call = CheckCall(".".join(names), tuple((k.name, k.value) for k in kwargs), span=span)
        return _Item("check", call, span)

    def kwarg(self, meta: Meta, children: list[Any]) -> _Kwarg:
        return _Kwarg(str(children[0]), children[1], self._tspan(children[0]))

    def _check_kwargs(self, kwargs: list[_Kwarg]) -> None:
        seen: set[str] = set()
        for k in kwargs:
            if k.name in seen:
                self._error("PMO109", f"argument `{k.name}` is given twice", k.span,
                            help=f"keep one `{k.name}:`")
            seen.add(k.name)

    def message(self, meta: Meta, children: list[Token]) -> _Item:
        return _Item("message", self._template(children[0]), self._span(meta))

    def fix(self, meta: Meta, children: list[Token]) -> _Item:
        return _Item("fix", self._string(children[0]), self._span(meta))

    def doc(self, meta: Meta, children: list[Token]) -> _Item:
        return _Item("doc", self._string(children[0]), self._span(meta))

    def _template(self, tok: Token) -> Template:
        raw = str(tok)[1:-1]
        span = self._tspan(tok)
        parts: list[str | Expr] = []
        text: list[str] = []
        i = 0
        while i < len(raw):
            ch = raw[i]
            if raw.startswith("{{", i) or raw.startswith("}}", i):
                text.append(ch)
                i += 2
            elif ch == "{":
                end = _placeholder_end(raw, i + 1)
                if end < 0:
                    self._error("PMO108", "this `{` opens a placeholder that is never closed",
                                Span(self.path, span.line, span.column + 1 + i, span.line,
                                     span.column + 2 + i),
                                help="close it with `}`, or write `{{` for a literal brace")
                    break
                if text:
                    parts.append(unescape("".join(text)))
                    text = []
                inner = raw[i + 1:end]
                column = span.column + 2 + i
                if not inner.strip():
                    self._error("PMO108", "empty placeholder `{}` in a message",
                                Span(self.path, span.line, column - 1, span.line, column + 1),
                                help="put an expression inside, such as `{p.name}`")
                else:
                    expr, diags = self.sub_parser(self.path, unescape(inner), span.line, column,
                                                  self.source)
                    self.diags.extend(diags)
                    parts.append(expr)
                i = end + 1
            elif ch == "}":
                self._error("PMO108", "a `}` in a message closes no placeholder",
                            Span(self.path, span.line, span.column + 1 + i, span.line,
                                 span.column + 2 + i),
                            help="write `}}` for a literal brace")
                i += 1
            elif ch == "\\" and i + 1 < len(raw):
                text.append(raw[i:i + 2])
                i += 2
            else:
                text.append(ch)
                i += 1
        if text:
            parts.append(unescape("".join(text)))
        return Template(tuple(parts), unescape(raw), span=span)

    # ------------------------------------------------------------ expressions

    def quantifier(self, meta: Meta, children: list[Any]) -> Quantifier:
        kind = str(children[0])
        where = children[3] if len(children) == 5 else None
        return Quantifier(cast(ast.QuantKind, kind), str(children[1]), children[2], where,
                          children[-1], span=self._span(meta))

    def count(self, meta: Meta, children: list[Any]) -> Aggregate:
        where = children[2] if len(children) == 3 else None
        return Aggregate("count", str(children[0]), children[1], where, None,
                         span=self._span(meta))

    def aggregate(self, meta: Meta, children: list[Any]) -> Aggregate:
        where = children[3] if len(children) == 5 else None
        return Aggregate(cast(ast.AggKind, str(children[0])), str(children[1]), children[2],
                         where, children[-1], span=self._span(meta))

    def _binary(self, op: ast.BinaryOp, meta: Meta, children: list[Any]) -> Binary:
        return Binary(op, children[0], children[1], span=self._span(meta))

    def or_(self, meta: Meta, children: list[Any]) -> Binary:
        return self._binary("or", meta, children)

    def and_(self, meta: Meta, children: list[Any]) -> Binary:
        return self._binary("and", meta, children)

    def add(self, meta: Meta, children: list[Any]) -> Binary:
        return self._binary("+", meta, children)

    def sub(self, meta: Meta, children: list[Any]) -> Binary:
        return self._binary("-", meta, children)

    def mul(self, meta: Meta, children: list[Any]) -> Binary:
        return self._binary("*", meta, children)

    def div(self, meta: Meta, children: list[Any]) -> Binary:
        return self._binary("/", meta, children)

    def not_(self, meta: Meta, children: list[Any]) -> Unary:
        return Unary("not", children[0], span=self._span(meta))

    def neg(self, meta: Meta, children: list[Any]) -> Unary:
        return Unary("-", children[0], span=self._span(meta))

    def compare(self, meta: Meta, children: list[Any]) -> Compare:
        op = cast(ast.CompareOp, str(children[1]))
        return Compare(op, children[0], children[2], span=self._span(meta))

    def in_(self, meta: Meta, children: list[Any]) -> Compare:
        return Compare("in", children[0], children[1], span=self._span(meta))

    def not_in(self, meta: Meta, children: list[Any]) -> Compare:
        return Compare("not in", children[0], children[1], span=self._span(meta))

    def contains(self, meta: Meta, children: list[Any]) -> Compare:
        return Compare("contains", children[0], children[1], span=self._span(meta))

    def matches(self, meta: Meta, children: list[Any]) -> Matches:
        return Matches(children[0], self._string(children[1]), span=self._span(meta))

    def exists(self, meta: Meta, children: list[Any]) -> Exists:
        return Exists(children[0], False, span=self._span(meta))

    def missing(self, meta: Meta, children: list[Any]) -> Exists:
        return Exists(children[0], True, span=self._span(meta))

    def field(self, meta: Meta, children: list[Any]) -> ast.Field:
        return ast.Field(children[0], str(children[1]), span=self._span(meta))

    def index(self, meta: Meta, children: list[Any]) -> Index:
        return Index(children[0], children[1], span=self._span(meta))

    def named_arg(self, meta: Meta, children: list[Any]) -> _Kwarg:
        return _Kwarg(str(children[0]), children[1], self._tspan(children[0]))

    def call(self, meta: Meta, children: list[Any]) -> Expr:
        callee, raw_args = children[0], [a for a in children[1:] if a is not None]
        span = self._span(meta)
        func = _dotted(callee)
        if func is None:
            self._error("PMO110", "only a function name can be called", callee.span,
                        help="call a built-in, a define or a plugin function by name, "
                        "such as `len(xs)`")
            return callee  # type: ignore[no-any-return]
        args: list[Expr] = []
        kwargs: list[_Kwarg] = []
        for arg in raw_args:
            if isinstance(arg, _Kwarg):
                kwargs.append(arg)
            elif kwargs:
                self._error("PMO109", "a positional argument follows a named one", arg.span,
                            help="put positional arguments first")
            else:
                args.append(arg)
        self._check_kwargs(kwargs)
        return Call(func, tuple(args), tuple((k.name, k.value) for k in kwargs), span=span)

    # ------------------------------------------------------------ literals

    def name(self, meta: Meta, children: list[Token]) -> Name:
        return Name(str(children[0]), span=self._tspan(children[0]))

    def string(self, meta: Meta, children: list[Token]) -> String:
        return String(self._string(children[0]), span=self._tspan(children[0]))

    def true(self, meta: Meta, children: list[Token]) -> Bool:
        return Bool(True, span=self._span(meta))

    def false(self, meta: Meta, children: list[Token]) -> Bool:
        return Bool(False, span=self._span(meta))

    def list_(self, meta: Meta, children: list[Any]) -> ListLit:
        return ListLit(tuple(c for c in children if c is not None), span=self._span(meta))

    def date(self, meta: Meta, children: list[Token]) -> Date:
        tok = children[0]
        try:
            value = dt.date.fromisoformat(str(tok))
        except ValueError:
            self._error("PMO103", f"`{tok}` is not a calendar date", self._tspan(tok),
                        help="write an ISO date that exists, such as 2026-03-31")
            value = dt.date(1970, 1, 1)
        return Date(value, span=self._tspan(tok))

    def number(self, meta: Meta, children: list[Token]) -> Number | Duration:
        tok = children[0]
        text = str(tok)
        span = self._tspan(tok)
        unit = text[-1] if text[-1] in "%kMdw" else ""
        digits = (text[:-1] if unit else text).replace("_", "")
        if digits.endswith(".") or "__" in text:
            self._error("PMO103", f"`{text}` is not a valid number", span,
                        help="write digits with an optional `.` fraction, such as 1_000 or 2.5")
        if len(digits) > literals.MAX_DIGITS:
            self._error("PMO103", f"`{text[:20]}...` is too large a number", span,
                        help="numbers have at most 30 digits; use the `M` unit for millions")
            return Number(0, text, span=span)
        if unit in ("d", "w"):
            value: float = float(digits) if "." in digits else int(digits)
            days = value * (7 if unit == "w" else 1)
            if days != int(days):
                self._error("PMO103", f"`{text}` is not a whole number of days", span,
                            help="durations count whole days, such as 3d or 2w")
            if abs(days) > literals.MAX_DAYS:
                self._error("PMO103", f"`{text}` is too long a duration", span,
                            help="durations are at most 999999999 days")
                return Duration(0, text, span=span)
            return Duration(int(days), text, span=span)
        return Number(literals.scaled(digits, unit or None), text, span=span)


def _dotted(expr: Any) -> str | None:
    if isinstance(expr, Name):
        return expr.id
    if isinstance(expr, ast.Field):
        head = _dotted(expr.obj)
        return None if head is None else f"{head}.{expr.name}"
    return None


def _placeholder_end(raw: str, start: int) -> int:
    """The index of the `}` closing a placeholder, skipping string literals inside it."""
    i, in_string = start, False
    while i < len(raw):
        ch = raw[i]
        if ch == "\\":
            # Inside a message, a placeholder's quotes are written escaped (\").
            if raw.startswith('\\"', i):
                in_string = not in_string
            i += 2
            continue
        if ch == "}" and not in_string:
            return i
        i += 1
    return -1
