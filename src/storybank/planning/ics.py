"""The process timeline as an iCalendar file that common calendar apps import.

Windows (rounds, decision, paperwork) are all-day events spanning earliest to latest, marked
free so they do not block the calendar, with a reminder at 09:00 the day before they open.
Preparation tasks are half-hour events at 09:00 in floating (local) time with a reminder at
their start. UIDs are derived from the first-screen date, so importing a re-projected plan
updates the events instead of duplicating them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from storybank.planning.timeline import Timeline, Window

PRODUCT_ID = "-//storybank//process planner//EN"
TASK_START = time(9, 0)
TASK_LENGTH = timedelta(minutes=30)
# Relative to an all-day event's midnight start: 09:00 on the day before.
WINDOW_REMINDER = timedelta(hours=-15)


def timeline_to_ics(timeline: Timeline, *, stamp: datetime | None = None) -> bytes:
    """Serialize a timeline as iCalendar bytes (CRLF lines, folded, escaped by `icalendar`).

    `stamp` is the DTSTAMP (the moment the file was made, UTC); it defaults to midnight UTC
    of the timeline's `today`, so the output is deterministic.
    """
    from icalendar import Calendar

    stamp = stamp or datetime.combine(timeline.today, time(0), tzinfo=timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Hiring process")
    uid_prefix = f"storybank-plan-{timeline.first_screen.isoformat()}"
    total = len(timeline.rounds)
    for plan in timeline.rounds:
        window = Window.on(plan.actual) if plan.actual else plan.window
        summary = f"Interview {plan.n} of {total}: {plan.name}"
        if plan.actual is None and window.earliest != window.latest:
            summary += f" (expected {_short(window.expected)})"
        description = _window_description(window, plan.actual is not None, timeline.sources.get("round_gap_business_days"))
        calendar.add_component(_window_event(f"{uid_prefix}-round-{plan.n}", summary, description, window, stamp))
    calendar.add_component(
        _window_event(
            f"{uid_prefix}-decision",
            f"Hiring decision expected (around {_short(timeline.decision.expected)})",
            _window_description(timeline.decision, False, timeline.sources.get("decision_business_days")),
            timeline.decision,
            stamp,
        )
    )
    calendar.add_component(
        _window_event(
            f"{uid_prefix}-paperwork",
            f"Offer paperwork done; offer by {_short(timeline.offer_by.expected)}",
            _window_description(timeline.paperwork, False, timeline.sources.get("paperwork_business_days")),
            timeline.paperwork,
            stamp,
        )
    )
    for index, task in enumerate(timeline.tasks, start=1):
        calendar.add_component(_task_event(f"{uid_prefix}-task-{index}-{task.kind}-{task.round}", task.title, task.due, stamp))
    return calendar.to_ical()


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _window_description(window: Window, happened: bool, source: str | None) -> str:
    if happened:
        return f"Date recorded: {window.expected.isoformat()}."
    lines = [
        f"Earliest {window.earliest.isoformat()}, expected {window.expected.isoformat()}, "
        f"latest {window.latest.isoformat()}."
    ]
    if source:
        lines.append(f"Figures: {source}.")
    return "\n".join(lines)


def _alarm(description: str, trigger: timedelta):
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", trigger)
    return alarm


def _window_event(uid: str, summary: str, description: str, window: Window, stamp: datetime):
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@storybank")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("description", description)
    event.add("dtstart", window.earliest)
    event.add("dtend", window.latest + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("transp", "TRANSPARENT")
    event.add_component(_alarm(summary, WINDOW_REMINDER))
    return event


def _task_event(uid: str, title: str, due: date, stamp: datetime):
    from icalendar import Event

    start = datetime.combine(due, TASK_START)  # naive: floating local time
    event = Event()
    event.add("uid", f"{uid}@storybank")
    event.add("dtstamp", stamp)
    event.add("summary", title)
    event.add("dtstart", start)
    event.add("dtend", start + TASK_LENGTH)
    event.add_component(_alarm(title, timedelta(0)))
    return event
