"""Time to parse and check a generated 500-rule policy set (a figure to read, not a test)."""

from __future__ import annotations

import time

from pmo_rules.language.checker import check_policies
from pmo_rules.language.declarations import builtin_registry
from pmo_rules.language.parser import _lark, parse_text

RULE = '''
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


def policy_set(rules: int = 500, files: int = 5) -> list[str]:
    """`files` policy texts holding `rules` rules between them."""
    per = rules // files
    out = []
    for f in range(files):
        body = "".join(RULE.format(n=f * per + i) for i in range(per))
        out.append(f'policy "bench-{f}" {{\n    param max_slip = 30d\n'
                   f'    define active(p) = p.status == "active"\n{body}}}\n')
    return out


def main() -> None:
    """Print the build, parse and check times."""
    texts = policy_set()
    start = time.perf_counter()
    _lark()
    built = time.perf_counter()
    parsed = [parse_text(t, f"bench-{i}.pmo") for i, t in enumerate(texts)]
    done_parse = time.perf_counter()
    checked = check_policies(parsed, builtin_registry())
    done_check = time.perf_counter()
    lines = sum(t.count("\n") for t in texts)
    print(f"{len(checked.rules)} rules, {lines} lines in {len(texts)} files")
    print(f"build parser (once per process): {built - start:.3f}s")
    print(f"parse: {done_parse - built:.3f}s")
    print(f"check: {done_check - done_parse:.3f}s")
    print(f"parse + check: {done_check - built:.3f}s")


if __name__ == "__main__":
    main()
