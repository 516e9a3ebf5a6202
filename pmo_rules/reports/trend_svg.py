"""The HTML report's trend section: line charts drawn as inline SVG (no script, no network).

Charts: the score overall and per program, the score per rule family, open and open
blocking findings, the median age of open findings, and active waivers, one point per
recorded run of the portfolio.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 26
PALETTE = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#7f7f7f",
           "#2c4d75", "#772c2a", "#5f7530", "#4d3b62", "#276a7c", "#b65708")
MARKERS_UP_TO = 60  # runs; beyond that a line alone reads better than a dot per run
MOST_LINES = 8  # programs or families per chart: the lowest-scoring in the latest run

Series = tuple[str, Sequence[float | None]]


def trend_section(trend: Any) -> str:
    """The trend section's body for a history Trend."""
    points = trend.points
    if not points:
        return '<p class="note">No recorded runs of this portfolio yet.</p>'
    dates = [p.as_of for p in points]
    latest = points[-1]
    age = "—" if latest.median_age is None else f"{latest.median_age:g} days"
    intro = (f'<p class="note">{len(points)} recorded run{"s" * (len(points) != 1)} of '
             f"{escape(trend.portfolio)} from {dates[0].isoformat()} to {dates[-1].isoformat()}"
             f"; latest: score {_shown(latest.score, True)}, {latest.blocking} blocking, "
             f"{latest.failing} open, median age {escape(age)}, "
             f"{latest.active_waivers} active waiver{'s' * (latest.active_waivers != 1)}.</p>")
    programs = _lowest([(f"program {name}", [p.programs.get(name) for p in points])
                        for name in trend.programs])
    families = _lowest([(name, [p.families.get(name) for p in points])
                        for name in trend.families])
    charts = [
        line_chart(_title("Compliance score: portfolio and programs", programs,
                          len(trend.programs), "programs"), dates,
                   [("portfolio", [p.score for p in points]), *programs], percent=True),
        line_chart(_title("Compliance score by rule family", families, len(trend.families),
                          "families"), dates, families, percent=True),
        line_chart("Open findings", dates,
                   [("open blocking", [float(p.blocking) for p in points]),
                    ("open (not waived)", [float(p.failing) for p in points])]),
        line_chart("Median age of open findings (days)", dates,
                   [("median age", [p.median_age for p in points])]),
        line_chart("Active waivers", dates,
                   [("applied waivers", [float(p.active_waivers) for p in points])]),
    ]
    return intro + '<div class="trend-charts">' + "".join(charts) + "</div>"


def line_chart(
    title: str, dates: Sequence[dt.date], series: Sequence[Series], *, percent: bool = False,
) -> str:
    """One chart: a line per series over the runs, y from 0 (to 100% for scores)."""
    values = [v for _, vs in series for v in vs if v is not None]
    top = 1.0 if percent else _nice(max(values, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(dates)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v / top if top else 0))

    parts = [f'<figure class="trend"><figcaption>{escape(title)}</figcaption>'
             f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="12" font-family="sans-serif">']
    for k in range(5):
        v = top * k / 4
        label = f"{v:.0%}" if percent else f"{v:g}"
        parts.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{WIDTH - RIGHT}" y2="{y(v):.1f}" '
                     'stroke="#ddd"/>'
                     f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
                     f'fill="#555">{label}</text>')
    for i in sorted({0, n // 2, n - 1}):
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" '
                     f'fill="#555">{dates[i].isoformat()}</text>')
    for k, (name, vs) in enumerate(series):
        color = PALETTE[k % len(PALETTE)]
        parts.append(f'<g class="series" stroke="{color}" fill="{color}">'
                     f"<title>{escape(name)}</title>")
        for run in _segments(vs):
            coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            if len(run) > 1:
                parts.append(f'<polyline points="{coords}" fill="none" stroke-width="2"/>')
            if len(run) == 1 or n <= MARKERS_UP_TO:
                parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5">'
                          f"<title>{escape(name)} {dates[i].isoformat()}: "
                          f"{_shown(v, percent)}</title></circle>" for i, v in run]
        parts.append("</g>")
    parts.append("</svg>")
    legend = "".join(f'<span><i style="background:{PALETTE[k % len(PALETTE)]}"></i>'
                     f"{escape(name)}</span>" for k, (name, _) in enumerate(series))
    parts.append(f'<p class="legend">{legend}</p></figure>')
    return "".join(parts)


def _lowest(series: list[Series]) -> list[Series]:
    """At most MOST_LINES series: those scoring lowest in their latest run, in name order."""
    if len(series) <= MOST_LINES:
        return series

    def latest(item: Series) -> float:
        present = [v for v in item[1] if v is not None]
        return present[-1] if present else 2.0

    keep = {name for name, _ in sorted(series, key=lambda s: (latest(s), s[0]))[:MOST_LINES]}
    return [s for s in series if s[0] in keep]


def _title(title: str, shown: list[Series], total: int, what: str) -> str:
    if len(shown) == total:
        return title
    return (f"{title} (the {len(shown)} of {total} {what} scoring lowest in the latest run; "
            "`pmo-rules trend` lists all)")


def _segments(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive present values (a program absent from a run breaks its line)."""
    out: list[list[tuple[int, float]]] = []
    current: list[tuple[int, float]] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        out.append(current)
    return out


def _nice(value: float) -> float:
    """A round upper bound for a count axis, divisible by 4 so every tick is whole."""
    scale = 1.0
    while True:
        for mult in (4, 8, 12, 20):
            if value <= mult * scale:
                return mult * scale
        scale *= 10


def _shown(value: float | None, percent: bool) -> str:
    if value is None:
        return "n/a"
    return f"{value:.1%}" if percent else f"{value:g}"
