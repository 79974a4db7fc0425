"""Progress over time: the series of the overall score and of each signal across drills, drawn
as a plain SVG (small multiples: the overall score on top, one panel per signal below).

Pure and self-contained: every piece of text is escaped, the SVG carries no script and loads
nothing, and it is drawn from numbers only, fast enough for thousands of attempts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any, NamedTuple

from storybank.practice.attempts import Attempt

OVERALL = "overall"
SPARK_BARS = "▁▂▃▄▅▆▇█"
MARKER_LIMIT = 60  # draw a dot (with a tooltip) per attempt only up to this many points


class Point(NamedTuple):
    """One attempt's value (0–100) in one series; `t` is `at` as epoch seconds, for drawing."""

    attempt_id: int
    at: datetime
    value: float
    t: float

    def to_dict(self) -> dict[str, Any]:
        """The point as JSON."""
        return {"attempt_id": self.attempt_id, "at": self.at.isoformat(), "value": self.value}


def history_series(attempts: Sequence[Attempt]) -> dict[str, list[Point]]:
    """`overall` and one series per signal (scores as 0–100), oldest attempt first.

    Only analysed drills count; a signal missing from an attempt (failure recovery outside
    failure stories) leaves no point.
    """
    series: dict[str, list[Point]] = {OVERALL: []}
    for attempt in sorted(attempts, key=lambda item: (item.started_at, item.id)):
        if attempt.mode != "drill" or attempt.analysis is None:
            continue
        moment, stamp = attempt.started_at, attempt.started_at.timestamp()
        series[OVERALL].append(Point(attempt.id, moment, float(attempt.analysis["score"]), stamp))
        for signal, entry in attempt.analysis["signals"].items():
            series.setdefault(signal, []).append(Point(attempt.id, moment, round(100 * entry["score"], 1), stamp))
    return series


def sparkline(points: Sequence[Point], width: int = 30) -> str:
    """The last `width` values as block characters (for the terminal)."""
    return "".join(SPARK_BARS[min(len(SPARK_BARS) - 1, int(point.value / 100 * len(SPARK_BARS)))] for point in points[-width:])


@dataclass(frozen=True)
class Panel:
    """Where one series is drawn inside the SVG."""

    x: float
    y: float
    width: float
    height: float


def _coordinates(points: Sequence[Point], panel: Panel, start: float, span: float) -> list[tuple[float, float]]:
    left, width = panel.x + 34, panel.width - 44
    top, height = panel.y + 22, panel.height - 40
    if span > 0:
        x_scale, y_scale = width / span, height / 100
        return [(left + (point.t - start) * x_scale, top + height - point.value * y_scale) for point in points]
    step = width / (len(points) + 1)
    return [(left + (index + 1) * step, top + height - point.value * height / 100) for index, point in enumerate(points)]


FONT = 'font-family="sans-serif"'
INK, MUTED, GRID, FRAME = "#1f2933", "#6b7280", "#eceff3", "#d0d4da"
LINE_COLOURS = {OVERALL: ("#111827", 2.0)}
DEFAULT_LINE = ("#2563eb", 1.6)


def _panel_svg(title: str, points: Sequence[Point], panel: Panel, start: float, span: float, name: str) -> list[str]:
    """One framed panel: title, gridlines at 0/50/100, the line, and dots with tooltips.

    Presentation attributes only (no <style>), so the SVG can sit inline in a page whose
    Content-Security-Policy forbids inline styles.
    """
    left, top = panel.x + 34, panel.y + 22
    right, bottom = panel.x + panel.width - 10, panel.y + panel.height - 18
    middle = (top + bottom) / 2
    colour, stroke = LINE_COLOURS.get(name, DEFAULT_LINE)
    parts = [
        f'<g class="chart-panel" data-series="{escape(name)}">',
        f'<rect x="{panel.x}" y="{panel.y}" width="{panel.width}" height="{panel.height}" fill="#fff" stroke="{FRAME}"/>',
        f'<text x="{panel.x + 8}" y="{panel.y + 15}" {FONT} font-size="12" font-weight="600" fill="{INK}">{escape(title)}</text>',
    ]
    for value, y in ((100, top), (50, middle), (0, bottom)):
        parts.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3}" {FONT} font-size="9" fill="{MUTED}" text-anchor="end">{value}</text>')
    if not points:
        parts.append(f'<text x="{left + 6}" y="{middle}" {FONT} font-size="11" font-style="italic" fill="{MUTED}">no attempts yet</text>')
    else:
        coordinates = _coordinates(points, panel, start, span)
        path = " ".join([f"{x:.1f},{y:.1f}" for x, y in coordinates])
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{stroke}"/>')
        if len(points) <= MARKER_LIMIT:
            for (x, y), point in zip(coordinates, points):
                label = escape(f"attempt {point.attempt_id}, {point.at:%Y-%m-%d %H:%M}: {point.value:g}")
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"><title>{label}</title></circle>')
        last = points[-1]
        parts.append(f'<text x="{right}" y="{panel.y + 15}" {FONT} font-size="11" font-weight="600" fill="{INK}" text-anchor="end">{last.value:g}</text>')
    parts.append("</g>")
    return parts


def history_chart_svg(
    series: Mapping[str, Sequence[Point]],
    labels: Mapping[str, str] | None = None,
    *,
    columns: int = 3,
    width: int = 900,
) -> str:
    """The whole progress chart: the overall score across the top, a panel per signal below."""
    labels = labels or {}
    signals = [name for name in series if name != OVERALL]
    every = [point for points in series.values() for point in points[:1] + points[-1:]]
    start = min((p.t for p in every), default=0.0)
    span = max((p.t for p in every), default=0.0) - start
    cell_width, cell_height, overall_height = width / columns, 130, 170
    rows = -(-len(signals) // columns)
    height = overall_height + rows * cell_height + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-label="Progress over time: overall score and each signal">',
    ]
    overall = series.get(OVERALL, [])
    parts += _panel_svg(labels.get(OVERALL, "Overall score"), overall, Panel(0.5, 0.5, width - 1, overall_height - 6),
                        start, span, OVERALL)
    for index, name in enumerate(signals):
        row, column = divmod(index, columns)
        panel = Panel(round(column * cell_width, 1) + 0.5, overall_height + row * cell_height + 0.5,
                      round(cell_width - 6, 1), cell_height - 6)
        parts += _panel_svg(labels.get(name, name), series[name], panel, start, span, name)
    if every:
        first, last = min(p.at for p in every), max(p.at for p in every)
        summary = escape(f"{first:%Y-%m-%d} to {last:%Y-%m-%d}, {len(overall)} drills")
        parts.append(f'<text x="4" y="{height - 6}" {FONT} font-size="10" fill="{MUTED}">{summary}</text>')
    parts.append("</svg>")
    return "".join(parts)
