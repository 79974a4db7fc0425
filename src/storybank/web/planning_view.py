"""What the planner pages draw beyond the planners' JSON: the timeline chart's geometry, the
country list, and money and dates in words. Pure functions over the planners' own objects.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from storybank.planning.money import format_usd
from storybank.planning.timeline import Timeline, Window, describe_days

CHART_WIDTH = 760
LABEL_WIDTH = 176
COMPACT_WIDTH = 360
COMPACT_LABEL_WIDTH = 104
RIGHT_PAD = 18
AXIS_HEIGHT = 40
ROW_HEIGHT = 32
BOTTOM_PAD = 14
MIN_TICK_PIXELS = 48
TICK_LABEL_PIXELS = 40  # room a date label needs to the right of its tick
CONTEXT_DAYS = 21  # how far today may lie outside the plan and still be drawn


def usd(value: Any) -> str:
    """`$152,000` from a number of the planners' JSON; a dash for None."""
    if value is None:
        return "—"
    return format_usd(Decimal(str(value)))


def signed_usd(value: Any) -> str:
    """`+$12,000` or `−$3,000` (a true minus sign)."""
    if value is None:
        return "—"
    amount = Decimal(str(value))
    return ("+" if amount >= 0 else "−") + format_usd(abs(amount))


def sentence(text: str) -> str:
    """The text with its first letter in capitals (the rest untouched, unlike Jinja's `capitalize`)."""
    return text[:1].upper() + text[1:]


def round_title(number: int, name: str) -> str:
    """"Round 3" for an unnamed round, "1. First screen" for a named one."""
    if name == f"round {number}":
        return f"Round {number}"
    return f"{number}. {sentence(name)}"


def day_label(value: str | date) -> str:
    """`Mon 2 Mar 2026` from an ISO date or a date."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(value: str | date) -> str:
    """`2 Mar` from an ISO date or a date."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%b}"


@lru_cache(maxsize=1)
def countries() -> list[tuple[str, str]]:
    """(ISO alpha-2 code, English name) of every country the `holidays` package knows, by name."""
    from holidays import registry

    entries = {}
    for class_name, code, *_ in registry.COUNTRIES.values():
        entries[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
    return sorted(entries.items(), key=lambda entry: entry[1])


def _chart_range(timeline: Timeline) -> tuple[date, date]:
    start = timeline.first_screen
    end = timeline.offer_by.latest
    if timeline.guide is not None:
        end = max(end, timeline.guide.window.latest)
    today = timeline.today
    if start - timedelta(days=CONTEXT_DAYS) <= today < start:
        start = today
    if end < today <= end + timedelta(days=CONTEXT_DAYS):
        end = today
    return start, end


def _bar(window: Window, x_of, day_width: float) -> dict[str, float]:
    left = x_of(window.earliest)
    return {
        "x": round(left, 1),
        "width": round(max(x_of(window.latest) + day_width - left, day_width), 1),
        "expected": round(x_of(window.expected) + day_width / 2, 1),
    }


def timeline_chart(timeline: Timeline, sources: dict[str, str], *, compact: bool = False) -> dict[str, Any]:
    """Geometry of the timeline chart: one row per round, the decision, the offer and the guide.

    Days are columns; weekends and public holidays are shaded, so business days show. `sources`
    maps a row kind to its short source tag (e.g. `guide`, `derived`). `compact` draws it for a
    phone: narrower, with shorter row labels, so the text keeps its size.
    """
    width, label_width = (COMPACT_WIDTH, COMPACT_LABEL_WIDTH) if compact else (CHART_WIDTH, LABEL_WIDTH)
    start, end = _chart_range(timeline)
    days = (end - start).days + 1
    plot_width = width - label_width - RIGHT_PAD
    day_width = plot_width / days

    def x_of(day: date) -> float:
        return label_width + (day - start).days * day_width

    rows: list[dict[str, Any]] = []
    for plan in timeline.rounds:
        bar = _bar(plan.window, x_of, day_width)
        label = f"Round {plan.n}" if compact else round_title(plan.n, plan.name)
        rows.append({"label": label, "kind": "round", "actual": plan.actual is not None, "source": sources.get("round"), **bar})
    offer_label = "Offer by" if compact else "Offer (paperwork done)"
    rows.append({"label": "Decision", "kind": "decision", "actual": False, "source": sources.get("decision"), **_bar(timeline.decision, x_of, day_width)})
    rows.append({"label": offer_label, "kind": "offer", "actual": False, "source": sources.get("offer"), **_bar(timeline.offer_by, x_of, day_width)})
    if timeline.guide is not None:
        label = "Guide" if compact else f"Guide: {describe_days(timeline.guide.days)}"
        rows.append({"label": label, "kind": "guide", "actual": False, "source": sources.get("guide"), **_bar(timeline.guide.window, x_of, day_width)})
    for index, row in enumerate(rows):
        row["y"] = AXIS_HEIGHT + index * ROW_HEIGHT
    height = AXIS_HEIGHT + len(rows) * ROW_HEIGHT + BOTTOM_PAD
    closed = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if not timeline.calendar.is_business_day(day):
            closed.append({"x": round(x_of(day), 1), "holiday": timeline.calendar.holiday_name(day) is not None})
    step = max(1, math.ceil(MIN_TICK_PIXELS / (day_width * 7)))
    first_monday = start + timedelta(days=(7 - start.weekday()) % 7)
    ticks = []
    day = first_monday
    while day <= end and x_of(day) + TICK_LABEL_PIXELS <= width:
        ticks.append({"x": round(x_of(day), 1), "label": short_day(day)})
        day += timedelta(weeks=step)
    today_x = round(x_of(timeline.today) + day_width / 2, 1) if start <= timeline.today <= end else None
    return {
        "width": width,
        "height": height,
        "label_width": label_width,
        "plot_right": width - RIGHT_PAD,
        "axis_y": AXIS_HEIGHT - 6,
        "plot_top": AXIS_HEIGHT - 4,
        "plot_bottom": height - BOTTOM_PAD + 2,
        "row_height": ROW_HEIGHT,
        "day_width": round(day_width, 2),
        "rows": rows,
        "closed": closed,
        "ticks": ticks,
        "today_x": today_x,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
