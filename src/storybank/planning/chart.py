"""A small, self-contained SVG line chart of the offer's cumulative pay (no scripts, no links).

Input is the `chart` part of the offer plan: `{"title", "years": [...], "series": [{"label",
"values"}]}`. Every text is escaped, so labels taken from user files are safe to inline.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from storybank.planning.money import format_compact_usd

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#7f7f7f")
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 72, 16, 32, 40
LEGEND_LINE = 18


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × a power of ten that is at least `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10.0 * power


def _label(value: float) -> str:
    if value == 0:
        return "$0"
    return format_compact_usd(Decimal(str(round(value))))


def offer_chart_svg(chart: dict[str, Any], *, width: int = 640, height: int = 320) -> str:
    """Render cumulative pay by year as an SVG document string."""
    years = list(chart.get("years") or [])
    series = [entry for entry in chart.get("series") or [] if entry.get("values")]
    title = escape(str(chart.get("title") or "Cumulative pay by year"))
    legend_height = LEGEND_LINE * len(series)
    total_height = height + legend_height
    plot_width = width - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = height - MARGIN_TOP - MARGIN_BOTTOM
    top = _nice_ceiling(max((max(entry["values"]) for entry in series), default=0))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_height}" '
        f'viewBox="0 0 {width} {total_height}" role="img" aria-label="{title}" font-family="sans-serif" font-size="12">',
        f"<title>{title}</title>",
        f'<text x="{MARGIN_LEFT}" y="18" font-weight="bold">{title}</text>',
    ]

    def x_of(index: int) -> float:
        return MARGIN_LEFT + (plot_width * index / max(len(years) - 1, 1))

    def y_of(value: float) -> float:
        return MARGIN_TOP + plot_height * (1 - value / top)

    for step in range(5):
        value = top * step / 4
        y = y_of(value)
        parts.append(f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{width - MARGIN_RIGHT}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_label(value))}</text>')
    for index, year in enumerate(years):
        parts.append(f'<text x="{x_of(index):.1f}" y="{height - MARGIN_BOTTOM + 18}" text-anchor="middle">Year {escape(str(year))}</text>')
    for number, entry in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        points = " ".join(f"{x_of(i):.1f},{y_of(float(v)):.1f}" for i, v in enumerate(entry["values"][: len(years)]))
        dash = ' stroke-dasharray="6 4"' if entry.get("offer") is None else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{points}"/>')
        legend_y = height + LEGEND_LINE * number + 4
        parts.append(f'<line x1="{MARGIN_LEFT}" y1="{legend_y}" x2="{MARGIN_LEFT + 24}" y2="{legend_y}" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{MARGIN_LEFT + 30}" y="{legend_y + 4}">{escape(str(entry.get("label", "")))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
