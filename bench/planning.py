"""Speed of the planners: timeline (with US holidays), ICS export, offer plan and chart.

Run: .venv/bin/python bench/planning.py  (prints milliseconds per call; never a pass/fail test)
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from storybank.planning.business_days import business_calendar
from storybank.planning.chart import offer_chart_svg
from storybank.planning.ics import timeline_to_ics
from storybank.planning.offer import make_offer_terms, plan_offer
from storybank.planning.timeline import project_timeline
from storybank.rubric.loader import load_profile


def per_call_ms(function, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) * 1000 / repeat


def main() -> None:
    profile = load_profile("binance")
    started = time.perf_counter()
    calendar = business_calendar("US", "CA")
    calendar.is_business_day(date(2026, 3, 2))
    print(f"first holiday calendar (imports holidays): {(time.perf_counter() - started) * 1000:.0f} ms")

    def timeline():
        return project_timeline(
            profile.process, today=date(2026, 2, 20), first_screen=date(2026, 3, 2),
            calendar=calendar, principles=profile.principle_names(),
        )

    planned = timeline()
    terms = make_offer_terms(
        base=Decimal(152000), sign_on=Decimal(22000), equity_percent=Decimal("0.03"),
        valuations=[("10B", Decimal(10) ** 10), ("20B", Decimal(2) * 10**10)], defaults=profile.offer,
    )
    offer = plan_offer(terms, current_base=Decimal(140000), defaults=profile.offer)
    print(f"project_timeline:  {per_call_ms(timeline, 200):.2f} ms")
    print(f"timeline_to_ics:   {per_call_ms(lambda: timeline_to_ics(planned), 200):.2f} ms")
    print(f"plan_offer:        {per_call_ms(lambda: plan_offer(terms, current_base=Decimal(140000), defaults=profile.offer), 200):.2f} ms")
    print(f"offer_chart_svg:   {per_call_ms(lambda: offer_chart_svg(offer.chart), 200):.2f} ms")


if __name__ == "__main__":
    main()
