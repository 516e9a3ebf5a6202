"""Every construct parses and checks; every diagnostic says where, what and the likely fix."""

from __future__ import annotations

import datetime as dt

import pytest

from pmo_rules.language import ast
from pmo_rules.language.checker import check_policies
from pmo_rules.language.loader import load_policy_files
from pmo_rules.language.parser import parse_text
from pmo_rules.language.types import DURATION, PHASE, Kind, entity, list_of

from .helpers import CASES, problems, registry


def test_language_md_example_checks_with_declared_check() -> None:
    files = load_policy_files([CASES / "enterprise_lifecycle.pmo"])
    checked = check_policies(files, registry())
    assert [r.rule.id for r in checked.rules] == sorted(
        ["LC-001", "DEP-003", "SCH-002", "SCH-004", "PF-001", "LC-010"])
    lc001 = next(r.rule for r in checked.rules if r.rule.id == "LC-001")
    assert lc001.for_ is not None and lc001.for_.coll.ty == list_of(entity("project"))
    p = checked.params[("enterprise-lifecycle", "max_red_share")]
    assert isinstance(p.value, ast.Number) and p.value.value == pytest.approx(0.2)


def test_every_construct_and_layering() -> None:
    files = load_policy_files([CASES / "constructs.pmo", CASES / "layered.pmo"])
    checked = check_policies(files, registry())
    assert {r.policy for r in checked.rules} == {"it-pmo"}
    c001 = next(r for r in checked.rules if r.rule.id == "C-001")
    assert c001.origin == "constructs" and "extra" in c001.rule.tags
    assert c001.rule.severity == "critical"
    c002 = next(r for r in checked.rules if r.rule.id == "C-002")
    assert c002.rule.enforcement == "mandatory"
    assert checked.params[("it-pmo", "share")].value == ast.Number(0.15, "15%")
    assert checked.params[("it-pmo", "share")].declared_in == "constructs"
    slip = c001.rule.body[0]
    assert isinstance(slip, ast.Let) and slip.value.ty == DURATION
    req = c001.rule.requires[0].expr
    assert isinstance(req, ast.Binary) and isinstance(req.left, ast.Compare)
    name = req.left.right
    assert isinstance(name, ast.Name) and name.binding == "param" and name.policy == "it-pmo"


@pytest.mark.parametrize(("text", "expected"), [
    ("20%", 0.2), ("300k", 300_000), ("2.5M", 2_500_000), ("1_000_000", 1_000_000), ("1.5", 1.5),
])
def test_number_literals(text: str, expected: float) -> None:
    pf = parse_text(f'policy "a" {{ param x = {text} }}', "a.pmo")
    value = pf.policies[0].params[0].value
    assert isinstance(value, ast.Number) and value.value == pytest.approx(expected)


@pytest.mark.parametrize(("text", "days"), [("14d", 14), ("2w", 14), ("-5d", -5)])
def test_duration_literals(text: str, days: int) -> None:
    pf = parse_text(f'policy "a" {{ param x = {text} }}', "a.pmo")
    assert pf.policies[0].params[0].value == ast.Duration(days)


def test_date_string_list_and_spans() -> None:
    pf = parse_text('policy "a" {\n  param d = 2026-03-31\n  param s = "a\\"b"\n'
                    '  param l = [1, 2]\n}', "a.pmo")
    d, s, lst = (p.value for p in pf.policies[0].params)
    assert d == ast.Date(dt.date(2026, 3, 31)) and s == ast.String('a"b')
    assert lst == ast.ListLit((ast.Number(1), ast.Number(2)))
    assert (d.span.line, d.span.column) == (2, 13)


def test_placeholder_positions_point_into_the_file() -> None:
    pf = parse_text('policy "a" {\n rule R "t" {\n  for p in projects\n  require p.id exists\n'
                    '  message "id {p.id}"\n }\n}', "a.pmo")
    msg = pf.policies[0].rules[0].message
    assert msg is not None and msg.parts[0] == "id "
    expr = msg.parts[1]
    assert isinstance(expr, ast.Field)
    assert (expr.span.line, expr.span.column) == (5, 16)


def test_phase_literal_typed() -> None:
    text = ('policy "a" { rule R "t" { for p in projects require p.phase == "planning" } }')
    checked = check_policies([parse_text(text, "a.pmo")], registry())
    req = checked.rules[0].rule.requires[0].expr
    assert isinstance(req, ast.Compare) and req.right.ty == PHASE


def test_define_call_is_inlined() -> None:
    text = ('policy "a" { define act(p) = p.status == "active"\n'
            ' rule R "t" { for p in projects where act(p) require true } }')
    checked = check_policies([parse_text(text, "a.pmo")], registry())
    for_ = checked.rules[0].rule.for_
    assert for_ is not None and isinstance(for_.where, ast.Call)
    assert for_.where.kind == "define" and for_.where.inlined is not None
    assert for_.where.ty is not None and for_.where.ty.kind is Kind.BOOL


# (policy text, code, message fragment, help fragment)
DIAGNOSTICS = [
    ('policy "a" { rule R "t" { requre true } }', "PMO101",
     "unexpected `requre`; expected a rule item such as `require` or `severity`",
     "did you mean `require`?"),
    ('policy "a" { rule R "t" { severty high require true } }', "PMO101", "unexpected `severty`",
     "did you mean `severity`?"),
    ('policy "a" { rule R "t" { enforcment soft require true } }', "PMO101",
     "unexpected `enforcment`", "did you mean `enforcement`?"),
    ('policy "a" { rule R "t" { require true adn true } }', "PMO101", "unexpected `adn`",
     "did you mean `and`?"),
    ('policy "a" {', "PMO102", "unexpected end of input", "close every"),
    ('policy "a" { param x = 2026-02-30 }', "PMO103", "`2026-02-30` is not a calendar date",
     "ISO date"),
    ('policy "a" { title "x" title "y" }', "PMO104", "`title` is given twice", "keep one"),
    ('policy "a" { rule R "t" { severity hgh require true } }', "PMO105",
     "`hgh` is not a valid severity", "did you mean `high`?"),
    ('policy "a" { rule R "t" { require true } } policy "b" extends "a" '
     '{ override R { require true } }', "PMO106", "`require` cannot appear in an override", ""),
    ('policy "a" { param x = 1 + 2 }', "PMO107", "must be a literal", "`let`"),
    ('policy "a" { rule R "t" { require true message "a {x" } }', "PMO108", "never closed",
     "`{{`"),
    ('policy "a" { rule R "t" { require len(value: 1, 2) > 0 } }', "PMO109",
     "positional argument follows", "first"),
    ('policy "a" { rule R "t" { require (true)(1) } }', "PMO110", "only a function name", ""),
    ('policy "a" { rule R "t" { require projets exists } }', "PMO201", "unknown name `projets`",
     "did you mean `projects`?"),
    ('policy "a" { rule R "t" { for p in projects require p.nme exists } }', "PMO202",
     "project has no field `nme`", "did you mean `name`?"),
    ('policy "a" { rule R "t" { for p in projects require lenn(p.risks) > 0 } }', "PMO203",
     "unknown function `lenn`", "did you mean `len`?"),
    ('policy "a" { rule R "t" { require len() > 0 } }', "PMO204",
     "function `len` needs the argument `value`", ""),
    ('policy "a" { rule R "t" { require len(valu: 1) > 0 } }', "PMO205",
     "has no parameter `valu`", "did you mean `value`?"),
    ('policy "a" { rule R "t" { require days(1) > 0 } }', "PMO206",
     "argument `duration` of function `days` must be a duration, not a number", ""),
    ('policy "a" { rule R "t" { for p in projects require p.finish - 3 > p.start } }',
     "PMO207", "cannot apply `-` to date and number", "`14d`"),
    ('policy "a" { rule R "t" { for p in projects require p.name } }', "PMO208",
     "`require` needs a true/false condition, not a string", ""),
    ('policy "a" { rule R "t" { for p in projects require p.stage >= "planing" } }', "PMO209",
     "`planing` is not a known stage", "did you mean `planning`?"),
    ('policy "a" { rule R "t" { for p in projects require p.phase == "exeuting" } }', "PMO209",
     "`exeuting` is not a known phase", "did you mean `executing`?"),
    ('policy "a" { rule R "t" { for p in projects require p.status == "actve" } }', "PMO210",
     "`actve` is not a known value here", "did you mean `active`?"),
    ('policy "a" { rule R "t" { for p in projects require p.name matches "a{4294967296}" } }',
     "PMO211", "repetition count 4294967296 is past the limit of 1000", ""),
    ('policy "a" { rule R "t" { for p in projects require p.name matches "(?<=a)b" } }',
     "PMO211", "invalid perl operator", "RE2 has no lookaround"),
    ('policy "a" { rule R "t" { for p in projects require p.name matches "[" } }', "PMO211",
     "does not compile", ""),
    ('policy "a" { define f(p) = f(p) }', "PMO212", "define `f` calls `f`", "no recursion"),
    ('policy "a" { rule R "t" { check lifecycle.gate_artifact(tier: 1) } }', "PMO213",
     "unknown check `lifecycle.gate_artifact`", "did you mean `lifecycle.gate_artifacts`?"),
    ('policy "a" { rule R "t" { for p in projects check lifecycle.gate_artifacts(tier: 1) } }',
     "PMO214", "cannot also have `for` or `require`", ""),
    ('policy "a" { rule R "t" { for p in projects let p = 1 require true } }', "PMO215",
     "`p` is already bound", ""),
    ('policy "a" { rule R "t" { severity high } }', "PMO216", "has no `require` and no `check`",
     ""),
    ('policy "a" { rule R "t" { for p in portfolio require true } }', "PMO217",
     "cannot iterate over a portfolio", ""),
    ('policy "a" { } policy "a" { }', "PMO301", "policy `a` is declared twice", ""),
    ('policy "a" { rule R "t" { require true } rule R "u" { require true } }', "PMO302",
     "rule id `R` is already declared by policy `a` in t.pmo", ""),
    ('policy "b" extends "aa" { }  policy "a" { }', "PMO303", "extends `aa`, which is not loaded",
     "did you mean `a`?"),
    ('policy "a" extends "b" { } policy "b" extends "a" { }', "PMO304", "in a cycle", ""),
    ('policy "a" { rule R-1 "t" { require true } } policy "b" extends "a" '
     '{ override R-2 { severity high } }', "PMO305", "override of `R-2`, which is not inherited",
     "did you mean `R-1`?"),
    ('policy "a" { rule R "t" { severity high require true } } policy "b" extends "a" '
     '{ override R { severity low } }', "PMO306",
     "override lowers the severity of `R` from high in `a` (t.pmo:1) to low", ""),
    ('policy "a" { rule R "t" { enforcement mandatory require true } } policy "b" extends "a" '
     '{ override R { enforcement advisory } }', "PMO306", "weakens the enforcement", ""),
    ('policy "a" { param x = 5 } policy "b" extends "a" { param x = 4 }', "PMO307",
     "declared by `a` (t.pmo:1) without `tighten`", ""),
    ('policy "a" { param x = 5 tighten down } policy "b" extends "a" { param x = 6 }', "PMO307",
     "raises the value set in `a`", ""),
    ('policy "a" { param x = "s" tighten down }', "PMO308", "cannot be tightened", ""),
    ('policy "a" { param x = 5 tighten down } policy "b" extends "a" { param x = 4d }', "PMO309",
     "is a number in `a`", ""),
    ('policy "a" { rule R "t" { require true } } policy "b" extends "a" { } '
     'policy "c" extends "a" { }', "PMO310", "would run twice", ""),
    ('policy "a" { rule R "t" { require true } } policy "b" { rule R "t" { require true } }',
     "PMO302", "rule id `R` is already declared by policy `a` in t.pmo", ""),
    ('policy "a" { rule R "t" { require x > 0 } } policy "b" extends "a" { param x = 1 }',
     "PMO201", "unknown name `x`", ""),
    ('policy "a" { param max_slip = 3d rule R "t" { require 1d <= max_slp } }', "PMO201",
     "unknown name `max_slp`", "did you mean `max_slip`?"),
    ('policy "a" { rule R "t" { check lifecycle.gate_artifacts(tier: "x") } }', "PMO206",
     "argument `tier` of check `lifecycle.gate_artifacts` must be a number, not a string", ""),
    ('policy "a" { rule R "t" { check lifecycle.gate_artifacts(tierr: 1) } }', "PMO205",
     "check `lifecycle.gate_artifacts` has no parameter `tierr`", "did you mean `tier`?"),
]


@pytest.mark.parametrize(("text", "code", "message", "help"), DIAGNOSTICS,
                         ids=[f"{c}-{i}" for i, (_, c, _, _) in enumerate(DIAGNOSTICS)])
def test_diagnostic(text: str, code: str, message: str, help: str) -> None:
    found = [d for d in problems(text) if d.code == code]
    assert found, f"no {code} in {problems(text)}"
    diag = found[0]
    assert message in diag.message
    assert help in (diag.help or "")
    assert diag.span is not None and diag.span.file == "t.pmo" and diag.span.line >= 1
    assert diag.source_line is not None


def test_clean_policy_has_no_problems() -> None:
    assert problems('policy "a" { rule R "t" { for p in projects require p.id exists } }') == []


def test_all_problems_reported_at_once_sorted() -> None:
    diags = problems('policy "a" {\n rule R "t" {\n  for p in projects\n  require p.nme exists\n'
                     '  require p.stge exists\n }\n}')
    assert [(d.code, d.span.line if d.span else 0) for d in diags] == [
        ("PMO202", 4), ("PMO202", 5)]


def test_every_emitted_code_is_documented_and_tested() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).parents[2]
    sources = "".join(p.read_text() for p in (root / "pmo_rules" / "language").glob("*.py"))
    emitted = set(re.findall(r'"(PMO\\d{3})"', sources))
    documented = set(re.findall(r"\\| (PMO\\d{3}) \\|", (root / "docs" / "diagnostics.md")
                                .read_text()))
    tested = {code for _, code, _, _ in DIAGNOSTICS}
    assert emitted <= documented
    assert emitted - {"PMO111"} <= tested  # PMO111 (unreadable files) is tested in test_cli
