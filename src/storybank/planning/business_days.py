"""Business-day arithmetic: weekends and the public holidays of a country and subdivision.

The `holidays` package computes holidays from rules in code (no data download). It is
imported lazily because it takes about half a second to load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storybank.planning.errors import PlanningError

SATURDAY_SUNDAY = frozenset({5, 6})


@dataclass
class BusinessCalendar:
    """Which days are business days: not a weekend day, not a public holiday."""

    country: str | None = None
    subdivision: str | None = None
    weekend: frozenset[int] = SATURDAY_SUNDAY
    _holidays: Any = field(default=None, repr=False)

    def holiday_name(self, day: date) -> str | None:
        """The public holiday on `day`, or None."""
        if self._holidays is None:
            return None
        return self._holidays.get(day)

    def is_business_day(self, day: date) -> bool:
        """True for a working day: neither a weekend day nor a public holiday."""
        return day.weekday() not in self.weekend and self.holiday_name(day) is None

    def add_business_days(self, start: date, count: int) -> date:
        """The date `count` business days after `start` (before it when `count` is negative).

        `count == 0` returns `start` itself, business day or not: a round that took place on a
        Saturday stays on that Saturday.
        """
        step = 1 if count >= 0 else -1
        day = start
        remaining = abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def holidays_between(self, first: date, last: date) -> list[tuple[date, str]]:
        """Public holidays from `first` to `last` inclusive, in date order."""
        if self._holidays is None or last < first:
            return []
        days = (first + timedelta(days=offset) for offset in range((last - first).days + 1))
        return [(day, name) for day in days if (name := self.holiday_name(day)) is not None]

    def describe(self) -> str:
        """A short description, e.g. "weekends and public holidays of US-CA"."""
        if self.country is None:
            return "weekends only (no country chosen, so public holidays are not skipped)"
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        return f"weekends and public holidays of {where}"


def business_calendar(country: str | None = None, subdivision: str | None = None) -> BusinessCalendar:
    """A calendar for a country code (ISO 3166 alpha-2 or alpha-3) and optional subdivision.

    Raises PlanningError for an unknown country or subdivision, or a subdivision without a
    country. The country's own weekend is used (e.g. Friday–Saturday where that applies).
    """
    if country is None:
        if subdivision:
            raise PlanningError("a subdivision needs a country: give the country too", field="subdivision")
        return BusinessCalendar()
    import holidays

    code = country.strip().upper()
    supported = holidays.list_supported_countries()
    if code not in supported:
        raise PlanningError(f"unknown country code {country!r}; use an ISO 3166 code such as US, GB or SG", field="country")
    subdivision_code = subdivision.strip() if subdivision else None
    if subdivision_code is not None:
        subdivision_code = _known_subdivision(code, subdivision_code, supported[code])
    calendar = holidays.country_holidays(code, subdiv=subdivision_code)
    weekend = frozenset(getattr(calendar, "weekend", SATURDAY_SUNDAY)) or SATURDAY_SUNDAY
    return BusinessCalendar(code, subdivision_code, weekend, calendar)


def _known_subdivision(country: str, subdivision: str, known: list[str]) -> str:
    by_upper = {code.upper(): code for code in known}
    if subdivision.upper() in by_upper:
        return by_upper[subdivision.upper()]
    if not known:
        raise PlanningError(f"country {country} has no subdivisions; leave the subdivision out", field="subdivision")
    sample = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    raise PlanningError(f"unknown subdivision {subdivision!r} for {country}; known: {sample}", field="subdivision")
