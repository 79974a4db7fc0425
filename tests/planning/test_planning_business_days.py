"""Business days: weekends and public holidays of a country and subdivision."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storybank.planning.business_days import BusinessCalendar, business_calendar
from storybank.planning.errors import PlanningError


def test_weekends_are_skipped_without_a_country():
    calendar = business_calendar()
    friday = date(2026, 3, 6)
    assert calendar.add_business_days(friday, 1) == date(2026, 3, 9)
    assert calendar.add_business_days(date(2026, 3, 9), -1) == friday
    assert calendar.add_business_days(date(2026, 3, 7), 0) == date(2026, 3, 7)
    assert "weekends only" in calendar.describe()


def test_us_independence_day_observed_on_friday_is_skipped():
    calendar = business_calendar("US")
    # 4 July 2026 is a Saturday, observed on Friday 3 July.
    assert not calendar.is_business_day(date(2026, 7, 3))
    assert calendar.add_business_days(date(2026, 7, 2), 1) == date(2026, 7, 6)
    names = dict(calendar.holidays_between(date(2026, 7, 1), date(2026, 7, 10)))
    assert "Independence Day" in names[date(2026, 7, 3)]


def test_subdivision_adds_its_own_holidays():
    # Cesar Chavez Day (31 March) is a state holiday in California, not a federal one.
    assert business_calendar("US").is_business_day(date(2026, 3, 31))
    assert not business_calendar("US", "CA").is_business_day(date(2026, 3, 31))


def test_lower_case_and_alpha3_codes_are_accepted():
    assert business_calendar("gb", "sct").subdivision == "SCT"
    assert business_calendar("USA").country == "USA"


def test_country_weekend_is_used():
    saudi = business_calendar("SA")
    thursday = date(2026, 3, 5)
    assert saudi.add_business_days(thursday, 1) == date(2026, 3, 8)  # Friday and Saturday are the weekend


@pytest.mark.parametrize(
    ("country", "subdivision", "message"),
    [
        ("XX", None, "unknown country code 'XX'"),
        ("US", "ZZ", "unknown subdivision 'ZZ' for US"),
        (None, "CA", "a subdivision needs a country"),
    ],
)
def test_unknown_codes_are_refused(country, subdivision, message):
    with pytest.raises(PlanningError, match=message):
        business_calendar(country, subdivision)


@given(start=st.dates(date(2020, 1, 1), date(2035, 12, 31)), count=st.integers(1, 40))
def test_adding_business_days_counts_exactly_that_many_business_days(start, count):
    calendar = BusinessCalendar()
    result = calendar.add_business_days(start, count)
    days = [start + timedelta(days=offset) for offset in range(1, (result - start).days + 1)]
    assert sum(calendar.is_business_day(day) for day in days) == count
    assert calendar.is_business_day(result)
    assert calendar.add_business_days(result, -count) <= start
