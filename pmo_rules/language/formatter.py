"""The canonical layout of a policy: parse(fmt(x)) == parse(x), fmt is idempotent, and
comments stay (before the item they preceded, or after the line they ended)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmo_rules.language import ast
from pmo_rules.language.ast import Expr, Policy, PolicyFile, Rule

INDENT = "    "
# Binding strength, loosest first, as the grammar nests them.
_QUANT, _OR, _AND, _NOT, _CMP, _ADD, _MUL, _NEG, _POST = range(9)
_BINARY = {"or": _OR, "and": _AND, "+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL}
_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')


@dataclass
class _Line:
    """One output line: its text, its depth, and the source line it came from (if known)."""

    depth: int
    text: str
    src: int | None = None
    inner: int | None = None  # where comments before a closing brace are indented
    trailing: str = ""


class _Source:
    """The source as code only (strings blanked, comments removed), and its comments."""

    def __init__(self, text: str) -> None:
        self.comments: list[tuple[int, str, bool]] = []  # (line, text, alone on its line)
        self.code: list[str] = []
        for number, line in enumerate(text.splitlines(), 1):
            out, last = [], 0
            for m in _TOKENS.finditer(line):
                out.append(line[last:m.start()])
                if m.group().startswith("#"):
                    alone = not "".join(out).strip()
                    self.comments.append((number, m.group().rstrip(), alone))
                    last = len(line)
                    break
                out.append('"' + " " * (len(m.group()) - 2) + '"')
                last = m.end()
            out.append(line[last:])
            self.code.append("".join(out))

    def find(self, word: str, first: int, last: int) -> int | None:
        """The first line in [first, last] where the keyword `word` appears as code."""
        pattern = re.compile(rf"(?<![.\w]){re.escape(word)}\b")
        for number in range(max(first, 1), min(last, len(self.code)) + 1):
            if pattern.search(self.code[number - 1]):
                return number
        return None


def format_file(pf: PolicyFile) -> str:
    """The canonical text of a parsed file, keeping its comments."""
    src = _Source(pf.source)
    lines: list[_Line] = []
    for i, p in enumerate(pf.policies):
        if i:
            lines.append(_Line(0, ""))
        lines.extend(_policy(p, src))
    return _render(lines, src.comments)


def format_policy(p: Policy) -> str:
    """One policy block in canonical layout (without comments)."""
    return _render(_policy(p, _Source("")), [])


def _render(lines: list[_Line], comments: list[tuple[int, str, bool]]) -> str:
    before: dict[int, list[str]] = {}
    after: list[str] = []
    anchored = [(i, ln) for i, ln in enumerate(lines) if ln.src is not None]
    for number, text, alone in comments:
        if alone:
            nxt = [(ln.src, i) for i, ln in anchored if ln.src is not None and ln.src >= number]
            if nxt:
                before.setdefault(min(nxt)[1], []).append(text)
            else:
                after.append(text)
            continue
        prev = [(ln.src, i) for i, ln in anchored if ln.src is not None and ln.src <= number]
        if prev:
            target = lines[max(prev)[1]]
            target.trailing = f"{target.trailing} {text}" if target.trailing else text
        else:
            after.append(text)
    out: list[str] = []
    for i, ln in enumerate(lines):
        for text in before.get(i, []):
            depth = ln.inner if ln.inner is not None else ln.depth
            out.append(INDENT * depth + text)
        body = INDENT * ln.depth + ln.text if ln.text else ""
        out.append(f"{body}  {ln.trailing}" if ln.trailing else body)
    out.extend(after)
    return "\n".join(out) + "\n"


def _policy(p: Policy, src: _Source) -> list[_Line]:
    first, last = p.span.line, p.span.end_line
    head = f"policy {quote(p.name)}"
    if p.extends is not None:
        head += f" extends {quote(p.extends)}"
    lines = [_Line(0, head + " {", first or None)]
    for key in ("title", "version", "owner", "description", "authority"):
        value = getattr(p, key)
        if value is not None:
            text = f"{key} {value}" if key == "authority" else f"{key} {quote(value)}"
            lines.append(_Line(1, text, src.find(key, first, last)))
    blocks: list[list[_Line]] = []
    if p.params:
        blocks.append([_Line(1, f"param {x.name} = {expr(x.value)}"
                             + (f" tighten {x.tighten}" if x.tighten else ""), x.span.line or None)
                       for x in p.params])
    if p.defines:
        blocks.append([_Line(1, f"define {d.name}({', '.join(d.params)}) = {expr(d.body)}",
                             d.span.line or None) for d in p.defines])
    blocks.extend(_rule(r, src) for r in p.rules)
    blocks.extend(_override(o, src) for o in p.overrides)
    for block in blocks:
        if len(lines) > 1:
            lines.append(_Line(1, ""))
        lines.extend(block)
    lines.append(_Line(0, "}", last or None, inner=1))
    return lines


def _items(first: int, last: int, src: _Source, severity: str | None, enforcement: str | None,
           tags: tuple[str, ...]) -> list[_Line]:
    out = []
    if severity is not None:
        out.append(_Line(2, f"severity {severity}", src.find("severity", first, last)))
    if enforcement is not None:
        out.append(_Line(2, f"enforcement {enforcement}", src.find("enforcement", first, last)))
    if tags:
        out.append(_Line(2, f"tags {', '.join(tags)}", src.find("tags", first, last)))
    return out


def _rule(r: Rule, src: _Source) -> list[_Line]:
    first, last = r.span.line, r.span.end_line
    out = [_Line(1, f"rule {r.id} {quote(r.title)} {{", first or None)]
    out.extend(_items(first, last, src, r.severity, r.enforcement, r.tags))
    if r.maturity is not None:
        out.append(_Line(2, f"maturity {r.maturity}", src.find("maturity", first, last)))
    if r.for_ is not None:
        line = f"for {r.for_.var} in {expr(r.for_.coll, _ADD)}"
        if r.for_.where is not None:
            line += f" where {expr(r.for_.where)}"
        out.append(_Line(2, line, r.for_.span.line or None))
    for item in r.body:
        if isinstance(item, ast.Let):
            out.append(_Line(2, f"let {item.name} = {expr(item.value)}", item.span.line or None))
        else:
            out.append(_Line(2, f"require {expr(item.expr)}", item.span.line or None))
    if r.check is not None:
        args = ", ".join(f"{k}: {expr(v)}" for k, v in r.check.kwargs)
        out.append(_Line(2, f"check {r.check.name}({args})", r.check.span.line or None))
    out.extend(_texts(first, last, src, r.message, r.fix, r.doc))
    out.append(_Line(1, "}", last or None, inner=2))
    return out


def _override(o: ast.Override, src: _Source) -> list[_Line]:
    first, last = o.span.line, o.span.end_line
    out = [_Line(1, f"override {o.rule_id} {{", first or None)]
    out.extend(_items(first, last, src, o.severity, o.enforcement, o.tags))
    out.extend(_texts(first, last, src, o.message, o.fix, o.doc))
    out.append(_Line(1, "}", last or None, inner=2))
    return out


def _texts(first: int, last: int, src: _Source, message: ast.Template | None,
           fix: str | None, doc: str | None) -> list[_Line]:
    out = []
    if message is not None:
        out.append(_Line(2, f"message {quote(_template(message))}", message.span.line or None))
    if fix is not None:
        out.append(_Line(2, f"fix {quote(fix)}", src.find("fix", first, last)))
    if doc is not None:
        out.append(_Line(2, f"doc {quote(doc)}", src.find("doc", first, last)))
    return out


def _template(t: ast.Template) -> str:
    parts = []
    for part in t.parts:
        if isinstance(part, str):
            parts.append(part.replace("{", "{{").replace("}", "}}"))
        else:
            parts.append("{" + expr(part) + "}")
    return "".join(parts)


def quote(text: str) -> str:
    """A string literal whose value is `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expr(e: Expr, context: int = _QUANT) -> str:
    """An expression's canonical text, parenthesized only where the grammar needs it."""
    text, level = _expr(e)
    return f"({text})" if level < context else text


def _expr(e: Expr) -> tuple[str, int]:
    if isinstance(e, ast.Number):
        return (e.text or _num(e.value)), _POST
    if isinstance(e, ast.Duration):
        return (e.text or f"{e.days}d"), _POST
    if isinstance(e, ast.String):
        return quote(e.value), _POST
    if isinstance(e, ast.Bool):
        return ("true" if e.value else "false"), _POST
    if isinstance(e, ast.Date):
        return e.value.isoformat(), _POST
    if isinstance(e, ast.ListLit):
        return "[" + ", ".join(expr(i) for i in e.items) + "]", _POST
    if isinstance(e, ast.Name):
        return e.id, _POST
    if isinstance(e, ast.Field):
        return f"{expr(e.obj, _POST)}.{e.name}", _POST
    if isinstance(e, ast.Index):
        return f"{expr(e.obj, _POST)}[{expr(e.index)}]", _POST
    if isinstance(e, ast.Call):
        args = [expr(a) for a in e.args] + [f"{k}: {expr(v)}" for k, v in e.kwargs]
        return f"{e.func}({', '.join(args)})", _POST
    if isinstance(e, ast.Unary):
        if e.op == "not":
            return f"not {expr(e.operand, _NOT)}", _NOT
        return f"-{expr(e.operand, _NEG)}", _NEG
    if isinstance(e, ast.Binary):
        level = _BINARY[e.op]
        # Left-associative: the right operand binds one step tighter.
        return f"{expr(e.left, level)} {e.op} {expr(e.right, level + 1)}", level
    if isinstance(e, ast.Compare):
        return f"{expr(e.left, _ADD)} {e.op} {expr(e.right, _ADD)}", _CMP
    if isinstance(e, ast.Matches):
        return f"{expr(e.operand, _ADD)} matches {quote(e.pattern)}", _CMP
    if isinstance(e, ast.Exists):
        word = "is missing" if e.negated else "exists"
        return f"{expr(e.operand, _ADD)} {word}", _CMP
    if isinstance(e, ast.Quantifier):
        where = f" where {expr(e.where, _OR)}" if e.where is not None else ""
        return f"{e.kind} {e.var} in {expr(e.coll, _ADD)}{where}: {expr(e.body)}", _QUANT
    if isinstance(e, ast.Aggregate):
        if e.body is None:
            where = f" where {expr(e.where)}" if e.where is not None else ""
            return f"count({e.var} in {expr(e.coll, _ADD)}{where})", _POST
        where = f" where {expr(e.where, _OR)}" if e.where is not None else ""
        return f"{e.kind}({e.var} in {expr(e.coll, _ADD)}{where}: {expr(e.body)})", _POST
    raise TypeError(f"unknown expression node {type(e).__name__}")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)
