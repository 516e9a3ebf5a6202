"""The HTML trend charts: inline SVG only, user text escaped, gaps and single runs drawn."""

from __future__ import annotations

import datetime as dt
import re
from xml.etree import ElementTree as ET

from pmo_rules.history.trend import Trend, TrendPoint
from pmo_rules.reports.trend_svg import line_chart, trend_section

HOSTILE = "<script>alert('x')</script>"


def point(n: int, programs: dict[str, float]) -> TrendPoint:
    day = dt.date(2026, 1, 1) + dt.timedelta(days=n)
    return TrendPoint(n + 1, day, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 0.5 + n / 10, n,
                      n + 1, None if n == 0 else float(n), n % 2, programs, {"LC": 0.8})


def test_user_text_is_escaped_and_nothing_is_fetched() -> None:
    trend = Trend(HOSTILE, [point(0, {HOSTILE: 0.5}), point(1, {HOSTILE: 0.7})])
    html = trend_section(trend)
    assert HOSTILE not in html and "&lt;script&gt;" in html
    assert not re.search(r"(src|href)=", html)
    assert re.findall(r"https?://[^\"]+", html) == ["http://www.w3.org/2000/svg"] * 5
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        ET.fromstring(svg)  # each chart is well-formed XML


def test_a_program_missing_from_a_run_breaks_its_line() -> None:
    dates = [dt.date(2026, 1, d) for d in (1, 2, 3, 4, 5)]
    svg = line_chart("t", dates, [("p", [0.5, 0.6, None, 0.7, 0.8])], percent=True)
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 4  # one marker per present value


def test_one_run_is_a_single_marker() -> None:
    svg = line_chart("t", [dt.date(2026, 1, 1)], [("portfolio", [0.9])], percent=True)
    assert "<polyline" not in svg and svg.count("<circle") == 1
    assert "portfolio 2026-01-01: 90.0%" in svg


def test_count_axes_end_on_a_round_number() -> None:
    svg = line_chart("t", [dt.date(2026, 1, 1), dt.date(2026, 1, 2)], [("n", [3.0, 37.0])])
    labels = re.findall(r'text-anchor="end" fill="#555">([^<]+)<', svg)
    assert labels[:5] == ["0", "10", "20", "30", "40"]  # then the last date


def test_no_runs() -> None:
    assert "No recorded runs" in trend_section(Trend("PF", []))


def test_many_programs_show_the_lowest_scoring() -> None:
    programs = {f"G{n:02d}": n / 100 for n in range(30)}
    html = trend_section(Trend("PF", [point(0, programs), point(1, programs)]))
    assert "the 8 of 30 programs scoring lowest" in html
    assert "program G07" in html and "program G08" not in html
