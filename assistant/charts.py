"""The market's trajectory year by year, as a matplotlib figure for the UI.

It draws `Answer.series` (the calculator's year-by-year values) and marks the points the report itself states.
It uses `matplotlib.figure.Figure` with the Agg canvas directly, never pyplot: pyplot keeps global state, and the
UI draws charts for several sessions at once.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .quantities import format_number

AXIS_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
LINE_COLOR = "#2563eb"
STATED_COLOR = "#dc2626"


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    stated: bool


def series_points(series: Sequence[Mapping[str, Any]]) -> list[Point]:
    """The series as points sorted by year; entries without a finite value or a year are dropped."""
    points = []
    for item in series:
        try:
            year, value = int(item["year"]), float(item["value"])
        except (KeyError, TypeError, ValueError):
            continue
        if math.isfinite(value):
            points.append(Point(year, value, bool(item.get("stated"))))
    return sorted(points, key=lambda p: p.year)


def axis_scale(values: Sequence[float]) -> tuple[float, str]:
    """The scale for the y axis: the largest one the biggest value reaches (19.7e9 -> (1e9, "billion"))."""
    peak = max((abs(v) for v in values), default=0.0)
    for scale, word in AXIS_SCALES:
        if peak >= scale:
            return scale, word
    return 1.0, ""


def trajectory_figure(series: Sequence[Mapping[str, Any]], unit: str = "USD", title: str = "") -> Optional[Figure]:
    """The market's value in every year of the series as a line (when the calculator filled in the years between),
    with the report's stated points marked and labelled.

    None when there are fewer than two years to draw (a one-point "trajectory" says nothing)."""
    points = series_points(series)
    if len({p.year for p in points}) < 2:
        return None
    scale, word = axis_scale([p.value for p in points])
    figure = Figure(figsize=(6.4, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    # The line is the calculator's year-by-year values. A series of stated figures alone gets no line: joining
    # them would invent the years in between.
    calculated = any(not p.stated for p in points)
    if calculated:
        axes.plot([p.year for p in points], [p.value / scale for p in points], color=LINE_COLOR, marker="o",
                  markersize=4, linewidth=2, label="calculated, year by year", zorder=2)
    stated = [p for p in points if p.stated]
    if stated:
        axes.scatter([p.year for p in stated], [p.value / scale for p in stated], s=90, marker="D",
                     color=STATED_COLOR, label="stated in the report", zorder=3)
    # Label the stated points and the last year (the answer of a projection) with their values.
    labelled = {p.year: p for p in stated}
    labelled.setdefault(points[-1].year, points[-1])
    for point in labelled.values():
        axes.annotate(format_number(point.value / scale, 3), (point.year, point.value / scale),
                      textcoords="offset points", xytext=(0, 9), ha="center", fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("year")
    axes.set_ylabel(" ".join(part for part in (unit, word) if part))
    if min(p.value for p in points) >= 0:  # sizes start the axis at zero, so growth is not exaggerated
        axes.set_ylim(bottom=0, top=max(p.value for p in points) / scale * 1.15)
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", fontsize=9)
    default_title = f"{'Market size' if calculated else 'Stated market size'} {points[0].year}–{points[-1].year}"
    axes.set_title(title or default_title, fontsize=11)
    figure.tight_layout()
    return figure


def figure_png(figure: Figure) -> bytes:
    """The figure rendered as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
