"""The ICS export parses back with icalendar: all-day windows, 09:00 local task reminders."""

from datetime import date, datetime, time, timedelta, timezone

import pytest
from icalendar import Calendar

from storybank.planning.business_days import business_calendar
from storybank.planning.ics import timeline_to_ics
from storybank.planning.models import ProcessDefaults
from storybank.planning.timeline import project_timeline
from storybank.rubric.loader import load_profile

MONDAY = date(2026, 3, 2)
STAMP = datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def timeline():
    profile = load_profile("binance")
    return project_timeline(
        profile.process,
        today=date(2026, 2, 20),
        first_screen=MONDAY,
        calendar=business_calendar("US"),
        principles=profile.principle_names(),
    )


def events(data: bytes):
    return [component for component in Calendar.from_ical(data).walk("VEVENT")]


def test_calendar_header_and_line_endings(timeline):
    data = timeline_to_ics(timeline, stamp=STAMP)
    calendar = Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and "storybank" in str(calendar["PRODID"])
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_one_event_per_window_and_per_task(timeline):
    parsed = events(timeline_to_ics(timeline, stamp=STAMP))
    assert len(parsed) == len(timeline.rounds) + 2 + len(timeline.tasks)
    uids = [str(event["UID"]) for event in parsed]
    assert len(set(uids)) == len(uids)
    assert all(event.decoded("DTSTAMP") == STAMP for event in parsed)


def test_windows_are_all_day_events_spanning_earliest_to_latest(timeline):
    parsed = {str(event["UID"]): event for event in events(timeline_to_ics(timeline, stamp=STAMP))}
    round_4 = next(event for uid, event in parsed.items() if "-round-4@" in uid)
    start, end = round_4.decoded("DTSTART"), round_4.decoded("DTEND")
    assert type(start) is date and type(end) is date
    assert start == date(2026, 3, 5) and end == date(2026, 3, 11)  # DTEND is the day after the latest date
    decision = next(event for uid, event in parsed.items() if uid.endswith("-decision@storybank"))
    assert (decision.decoded("DTSTART"), decision.decoded("DTEND")) == (date(2026, 3, 13), date(2026, 3, 26))
    assert "expected 2026-03-17" in str(decision["DESCRIPTION"])
    assert str(decision["TRANSP"]) == "TRANSPARENT"
    alarm = decision.subcomponents[0]
    assert alarm.name == "VALARM" and alarm.decoded("TRIGGER") == timedelta(hours=-15)


def test_tasks_remind_at_nine_local_time(timeline):
    parsed = [event for event in events(timeline_to_ics(timeline, stamp=STAMP)) if "-task-" in str(event["UID"])]
    assert parsed
    for event, task in zip(parsed, timeline.tasks):
        start = event.decoded("DTSTART")
        assert start == datetime.combine(task.due, time(9, 0)) and start.tzinfo is None  # floating: local time
        alarm = event.subcomponents[0]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert start + alarm.decoded("TRIGGER") == datetime.combine(task.due, time(9, 0))
        assert str(event["SUMMARY"]) == task.title


def test_text_with_commas_semicolons_and_newlines_round_trips():
    defaults = ProcessDefaults(
        rounds=1,
        round_names=["panel; product, risk\nand data"],
        round_gap_business_days={"low": 1, "expected": 1, "high": 1},
        decision_business_days={"low": 1, "expected": 1, "high": 1},
        paperwork_business_days={"low": 1, "expected": 1, "high": 1},
        tasks=[{"kind": "drill", "title": "Drill {principles} <b>now</b>", "days_before": 1}],
    )
    timeline = project_timeline(defaults, today=MONDAY, first_screen=MONDAY, principles=["Risk, \"aware\"; first"])
    parsed = events(timeline_to_ics(timeline))
    assert str(parsed[0]["SUMMARY"]) == "Interview 1 of 1: panel; product, risk\nand data"
    assert str(parsed[-1]["SUMMARY"]) == 'Drill Risk, "aware"; first <b>now</b>'


def test_output_is_deterministic_without_a_stamp(timeline):
    assert timeline_to_ics(timeline) == timeline_to_ics(timeline)
