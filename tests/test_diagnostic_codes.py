"""Every diagnostic code the product can emit is documented somewhere in docs/, so a user
who meets `error[PMO632]` can look it up (readiness's codes were emitted but listed nowhere)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _documented() -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    codes = set(re.findall(r"PMO\d{3}", text))
    for first, last in re.findall(r"PMO(\d{3})-(\d{3})", text):  # ranges: PMO620-623
        codes |= {f"PMO{n}" for n in range(int(first), int(last) + 1)}
    return codes


def test_every_emitted_code_is_in_the_docs() -> None:
    emitted: dict[str, str] = {}
    for path in sorted((ROOT / "pmo_rules").rglob("*.py")):
        for code in re.findall(r"[\"'](PMO\d{3})[\"']", path.read_text(encoding="utf-8")):
            emitted.setdefault(code, path.relative_to(ROOT).as_posix())
    missing = {code: where for code, where in emitted.items() if code not in _documented()}
    assert not missing, f"codes emitted but documented in no docs/*.md page: {missing}"
