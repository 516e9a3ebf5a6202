"""The canonical layout of a policy: parse(fmt(x)) == parse(x), and fmt is idempotent."""

from __future__ import annotations

from pmo_rules.language import ast
from pmo_rules.language.ast import Expr, Policy, PolicyFile, Rule

INDENT = "    "
# Binding strength, loosest first, as the grammar nests them.
_QUANT, _OR, _AND, _NOT, _CMP, _ADD, _MUL, _NEG, _POST = range(9)
_BINARY = {"or": _OR, "and": _AND, "+": _ADD, "-": _ADD, "*": _MUL, "/": _MUL}


def format_file(pf: PolicyFile) -> str:
    """The canonical text of a parsed file (comments are not kept)."""
    return "\n".join(format_policy(p) for p in pf.policies)


def format_policy(p: Policy) -> str:
    """One policy block in canonical layout."""
    head = f"policy {quote(p.name)}"
    if p.extends is not None:
        head += f" extends {quote(p.extends)}"
    lines = [head + " {"]
    for key in ("title", "version", "owner", "description"):
        value = getattr(p, key)
        if value is not None:
            lines.append(f"{INDENT}{key} {quote(value)}")
    if p.authority is not None:
        lines.append(f"{INDENT}authority {p.authority}")
    body: list[list[str]] = []
    if p.params:
        body.append([f"{INDENT}param {x.name} = {expr(x.value)}"
                     + (f" tighten {x.tighten}" if x.tighten else "") for x in p.params])
    if p.defines:
        body.append([f"{INDENT}define {d.name}({', '.join(d.params)}) = {expr(d.body)}"
                     for d in p.defines])
    body.extend(_rule(r) for r in p.rules)
    body.extend(_override(o) for o in p.overrides)
    for block in body:
        if len(lines) > 1:
            lines.append("")
        lines.extend(block)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _rule(r: Rule) -> list[str]:
    i2 = INDENT * 2
    out = [f"{INDENT}rule {r.id} {quote(r.title)} {{"]
    if r.severity is not None:
        out.append(f"{i2}severity {r.severity}")
    if r.enforcement is not None:
        out.append(f"{i2}enforcement {r.enforcement}")
    if r.tags:
        out.append(f"{i2}tags {', '.join(r.tags)}")
    if r.maturity is not None:
        out.append(f"{i2}maturity {r.maturity}")
    if r.for_ is not None:
        line = f"{i2}for {r.for_.var} in {expr(r.for_.coll, _ADD)}"
        if r.for_.where is not None:
            line += f" where {expr(r.for_.where)}"
        out.append(line)
    for item in r.body:
        if isinstance(item, ast.Let):
            out.append(f"{i2}let {item.name} = {expr(item.value)}")
        else:
            out.append(f"{i2}require {expr(item.expr)}")
    if r.check is not None:
        args = ", ".join(f"{k}: {expr(v)}" for k, v in r.check.kwargs)
        out.append(f"{i2}check {r.check.name}({args})")
    out.extend(_texts(r.message, r.fix, r.doc))
    out.append(f"{INDENT}}}")
    return out


def _override(o: ast.Override) -> list[str]:
    i2 = INDENT * 2
    out = [f"{INDENT}override {o.rule_id} {{"]
    if o.severity is not None:
        out.append(f"{i2}severity {o.severity}")
    if o.enforcement is not None:
        out.append(f"{i2}enforcement {o.enforcement}")
    if o.tags:
        out.append(f"{i2}tags {', '.join(o.tags)}")
    out.extend(_texts(o.message, o.fix, o.doc))
    out.append(f"{INDENT}}}")
    return out


def _texts(message: ast.Template | None, fix: str | None, doc: str | None) -> list[str]:
    i2 = INDENT * 2
    out = []
    if message is not None:
        out.append(f"{i2}message {quote(_template(message))}")
    if fix is not None:
        out.append(f"{i2}fix {quote(fix)}")
    if doc is not None:
        out.append(f"{i2}doc {quote(doc)}")
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
