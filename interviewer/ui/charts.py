"""Small line charts as inline SVG, coloured by CSS so they follow the light or dark theme.

Why SVG and not a plotting library's image: a PNG is painted once, in one palette (a white
picture on a dark page), and its text shrinks to nothing on a phone. Inline SVG scales to
its box, takes its colours from the page's CSS variables, and its points carry ``<title>``
tooltips. Pure functions from data to markup; everything shown is escaped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

PALETTE_SIZE = 8  # colour classes c0…c7 in interviewer.ui.styles
WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 24, 8, 8, 22  # plot margins inside the view box
Y_MIN, Y_MAX = 1, 5
MAX_X_LABELS = 4


@dataclass
class Series:
    """One line: a name for the legend and (x index, score, tooltip) points."""

    name: str
    points: list[tuple[int, float, str]] = field(default_factory=list)


@dataclass
class Chart:
    title: str
    series: list[Series]
    caption: str = ""


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + span / 2 if n <= 1 else LEFT + span * i / (n - 1)


def _y(score: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (Y_MAX - min(max(score, Y_MIN), Y_MAX)) / (Y_MAX - Y_MIN)


def line_chart_html(chart: Chart, x_labels: list[str]) -> str:
    """A ``<figure>``: the SVG (grid 1–5, one line per series) and an HTML legend."""
    n = len(x_labels)
    grid = "".join(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_y(v):.1f}" y2="{_y(v):.1f}" opacity="{1 if v == 1 else .5}"/>'
                   f'<text x="{LEFT - 6}" y="{_y(v) + 3:.1f}" text-anchor="end">{v}</text>' for v in range(Y_MIN, Y_MAX + 1))
    step = max(1, -(-n // MAX_X_LABELS))
    ticks = "".join(f'<text x="{_x(i, n):.1f}" y="{HEIGHT - 6}" text-anchor="{_anchor(i, n)}">{escape(x_labels[i])}</text>'
                    for i in range(0, n, step))
    lines = []
    for k, s in enumerate(chart.series):
        colour = f"c{k % PALETTE_SIZE}"
        coords = [(_x(i, n), _y(v), tip) for i, v, tip in sorted(s.points)]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
            lines.append(f'<polyline class="line {colour}" points="{path}" style="fill:none"/>')
        lines += [f'<circle class="{colour}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"><title>{escape(tip)}</title></circle>'
                  for x, y, tip in coords]
    legend = "".join(f'<li><i class="c{k % PALETTE_SIZE}"></i>{escape(s.name)}</li>' for k, s in enumerate(chart.series))
    label = escape(f"{chart.title}: scores from 1 to 5 per session")
    caption = f'<p class="sc-muted">{escape(chart.caption)}</p>' if chart.caption else ""
    return (f'<figure class="chart"><figcaption>{escape(chart.title)}</figcaption>{caption}'
            f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label}">{grid}{ticks}{"".join(lines)}</svg>'
            f'<ul class="legend">{legend}</ul></figure>')


def _anchor(i: int, n: int) -> str:
    if n <= 1:
        return "middle"
    return "start" if i == 0 else ("end" if i == n - 1 else "middle")
