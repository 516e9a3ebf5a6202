"""Time to parse and check a generated 500-rule policy set (a figure to read, not a test)."""

from __future__ import annotations

import time

from pmo_rules.language.checker import check_policies
from pmo_rules.language.declarations import builtin_registry
from pmo_rules.language.parser import _lark, parse_text

# Dense: twelve lines, two quantified or aggregated clauses and a template per rule.
DENSE = '''
    rule GEN-{n:03d} "Generated rule {n}" {{
        severity high
        enforcement soft
        tags generated, bench
        for p in projects where active(p) and p.stage >= "planning"
        let slip = p.schedule.forecast_finish - p.schedule.baseline_finish
        require slip <= max_slip and p.budget.approved <= {n} * 1k
        require none a in ancestors(p): a.health.overall == "red"
        require count(r in p.risks where r.score > 12) <= 3
        message "{{p.id}} slipped {{slip}} (rule {n})"
    }}
'''


# Typical: the size of LANGUAGE.md's rules (five to eight lines).
TYPICAL = '''
    rule TYP-{n:03d} "Typical rule {n}" {{
        severity medium
        for p in projects where active(p) and p.schedule.baseline_finish exists
        require p.schedule.forecast_finish - p.schedule.baseline_finish <= max_slip
        message "{{p.id}} is late"
    }}
'''


def policy_set(rule: str, rules: int = 500, files: int = 5) -> list[str]:
    """`files` policy texts holding `rules` copies of the `rule` template between them."""
    per = rules // files
    out = []
    for f in range(files):
        body = "".join(rule.format(n=f * per + i) for i in range(per))
        out.append(f'policy "bench-{f}" {{\n    param max_slip = 30d\n'
                   f'    define active(p) = p.status == "active"\n{body}}}\n')
    return out


def measure(name: str, texts: list[str]) -> None:
    """Print the parse and check times of one policy set."""
    built = time.perf_counter()
    parsed = [parse_text(t, f"bench-{i}.pmo") for i, t in enumerate(texts)]
    done_parse = time.perf_counter()
    checked = check_policies(parsed, builtin_registry())
    done_check = time.perf_counter()
    lines = sum(t.count("\n") for t in texts)
    print(f"{name}: {len(checked.rules)} rules, {lines} lines in {len(texts)} files: "
          f"parse {done_parse - built:.3f}s, check {done_check - done_parse:.3f}s, "
          f"total {done_check - built:.3f}s")


def main() -> None:
    """Print the parser's build time, then the times of a typical and a dense set."""
    start = time.perf_counter()
    _lark()
    print(f"build parser (once per process): {time.perf_counter() - start:.3f}s")
    measure("typical", policy_set(TYPICAL))
    measure("dense", policy_set(DENSE))


if __name__ == "__main__":
    main()
