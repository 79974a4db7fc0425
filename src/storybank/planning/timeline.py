"""Project the hiring process: rounds, the decision and paperwork windows, preparation tasks.

Every date is a window of earliest / expected / latest, built from the profile's ranges:
round 1 is the first screen; each later round follows the previous one by
`round_gap_business_days`; the decision follows the final round by `decision_business_days`;
the paperwork follows the decision by `paperwork_business_days`; the offer arrives when the
paperwork ends. Rounds that really took place replace their projection, and everything after
them is projected again from the real dates. Today's date is passed in, never read here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from storybank.planning.business_days import BusinessCalendar
from storybank.planning.errors import PlanningError
from storybank.planning.models import DayRange, ProcessDefaults, TaskTemplate

REQUIRED_FIGURES = ("rounds", "round_gap_business_days", "decision_business_days", "paperwork_business_days")


@dataclass(frozen=True)
class Window:
    """Earliest, expected and latest date of one step."""

    earliest: date
    expected: date
    latest: date

    @classmethod
    def on(cls, day: date) -> "Window":
        """A window that is a single known day."""
        return cls(day, day, day)

    def after(self, days: DayRange, calendar: BusinessCalendar) -> "Window":
        """The window `days` business days later: ranges compose end to end."""
        return Window(
            calendar.add_business_days(self.earliest, days.low),
            calendar.add_business_days(self.expected, days.expected),
            calendar.add_business_days(self.latest, days.high),
        )

    def capped_at(self, day: date) -> "Window":
        """The window with no date later than `day`."""
        return Window(min(self.earliest, day), min(self.expected, day), min(self.latest, day))

    def to_dict(self) -> dict[str, str]:
        """ISO dates under `earliest`, `expected`, `latest`."""
        return {
            "earliest": self.earliest.isoformat(),
            "expected": self.expected.isoformat(),
            "latest": self.latest.isoformat(),
        }


@dataclass(frozen=True)
class RoundPlan:
    """One interview round: its projected window and, once it happened, its real date."""

    n: int
    name: str
    window: Window
    actual: date | None = None

    @property
    def anchor(self) -> date:
        """The date tasks are counted back from: the real date, else the expected one."""
        return self.actual or self.window.expected

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "name": self.name,
            **self.window.to_dict(),
            "actual": self.actual.isoformat() if self.actual else None,
        }


@dataclass(frozen=True)
class PrepTask:
    """A preparation task due before a round."""

    round: int
    kind: str
    title: str
    due: date
    status: str  # "upcoming" or "past"

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round, "kind": self.kind, "title": self.title, "due": self.due.isoformat(), "status": self.status}


@dataclass(frozen=True)
class GuideCheck:
    """The profile's reported first-screen-to-offer span beside the projection."""

    days: DayRange
    window: Window
    projected_days: int
    agrees: bool
    note: str | None
    source: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "days": {"low": self.days.low, "expected": self.days.expected, "high": self.days.high},
            **self.window.to_dict(),
            "projected_days": self.projected_days,
            "agrees": self.agrees,
            "note": self.note,
            "source": self.source,
        }


@dataclass(frozen=True)
class Timeline:
    """The projected process; `to_dict()` is the JSON of `storybank plan --json`."""

    first_screen: date
    today: date
    rounds: list[RoundPlan]
    decision: Window
    paperwork: Window
    tasks: list[PrepTask]
    guide: GuideCheck | None
    alerts: list[dict[str, Any]]
    calendar: BusinessCalendar
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def offer_by(self) -> Window:
        """The offer arrives when the paperwork ends."""
        return self.paperwork

    def holidays(self) -> list[tuple[date, str]]:
        """Public holidays skipped between the first screen and the latest offer date."""
        return self.calendar.holidays_between(self.first_screen, self.offer_by.latest)

    def to_dict(self) -> dict[str, Any]:
        return {
            "first_screen": self.first_screen.isoformat(),
            "today": self.today.isoformat(),
            "rounds": [round_plan.to_dict() for round_plan in self.rounds],
            "decision": self.decision.to_dict(),
            "paperwork": self.paperwork.to_dict(),
            "offer_by": self.offer_by.to_dict(),
            "tasks": [task.to_dict() for task in self.tasks],
            "guide": self.guide.to_dict() if self.guide else None,
            "alerts": list(self.alerts),
            "business_days": {
                "country": self.calendar.country,
                "subdivision": self.calendar.subdivision,
                "description": self.calendar.describe(),
                "holidays": [{"date": day.isoformat(), "name": name} for day, name in self.holidays()],
            },
            "sources": dict(self.sources),
        }


def project_timeline(
    defaults: ProcessDefaults,
    *,
    today: date,
    first_screen: date | None = None,
    actual_rounds: Mapping[int, date] | None = None,
    calendar: BusinessCalendar | None = None,
    principles: Sequence[str] = (),
) -> Timeline:
    """Project every round, the decision, the paperwork and the tasks from the profile's process.

    `first_screen` defaults to `today`; `actual_rounds` maps a round number to the date it took
    place (round 1 is the first screen). `principles` are the profile's principle names, used
    in task titles. Raises PlanningError for missing profile figures, unknown round numbers and
    dates out of order.
    """
    _require_figures(defaults)
    calendar = calendar or BusinessCalendar()
    given = dict(actual_rounds or {})
    actual = _checked_actual_dates(defaults.rounds, first_screen, today, given)
    first = actual[1]
    if first_screen is None and 1 not in given:
        del actual[1]  # today stands in for a first screen nobody has dated yet
    rounds = _project_rounds(defaults, first, actual, calendar)
    decision = rounds[-1].window.after(defaults.decision_business_days, calendar)
    paperwork = decision.after(defaults.paperwork_business_days, calendar)
    tasks = _tasks(defaults, rounds, today, calendar, principles)
    guide = _guide_check(defaults, first, paperwork)
    alerts = _alerts(rounds, decision, today)
    return Timeline(first, today, rounds, decision, paperwork, tasks, guide, alerts, calendar, defaults.source_labels())


def _require_figures(defaults: ProcessDefaults) -> None:
    for name in REQUIRED_FIGURES:
        if getattr(defaults, name) is None:
            raise PlanningError(
                f"the profile gives no process.{name}; add it to your profile's process section "
                "with the figure your recruiter gave you"
            )


def _checked_actual_dates(
    rounds: int, first_screen: date | None, today: date, actual: dict[int, date]
) -> dict[int, date]:
    """Check round numbers and order; return the real dates with round 1 (the first screen) set."""
    for number in actual:
        if not 1 <= number <= rounds:
            raise PlanningError(f"round {number}: no such round; the process has rounds 1 to {rounds}", field=f"round_{number}")
    if first_screen is not None and 1 in actual and actual[1] != first_screen:
        raise PlanningError(
            f"the first screen is round 1: --first-screen {first_screen} and round 1={actual[1]} disagree",
            field="first_screen",
        )
    first_given = first_screen is not None or 1 in actual
    actual = {1: actual.get(1) or first_screen or today, **actual}
    known = sorted(actual.items())
    for (earlier_n, earlier), (later_n, later) in zip(known, known[1:]):
        if later < earlier:
            if earlier_n == 1 and not first_given:
                raise PlanningError(
                    f"round {later_n} ({later}) is before the first screen, which defaults to today "
                    f"({earlier}); give the first-screen date",
                    field="first_screen",
                )
            raise PlanningError(
                f"dates out of order: round {later_n} ({later}) is before round {earlier_n} ({earlier})",
                field=f"round_{later_n}",
            )
    return actual


def _round_name(defaults: ProcessDefaults, number: int) -> str:
    if number <= len(defaults.round_names) and defaults.round_names[number - 1]:
        return defaults.round_names[number - 1]
    return f"round {number}"


def _the_round(defaults: ProcessDefaults, plan: RoundPlan) -> str:
    is_named = plan.n <= len(defaults.round_names) and bool(defaults.round_names[plan.n - 1])
    return f"the {plan.name}" if is_named else plan.name


def _project_rounds(
    defaults: ProcessDefaults, first: date, actual: dict[int, date], calendar: BusinessCalendar
) -> list[RoundPlan]:
    rounds: list[RoundPlan] = []
    for number in range(1, defaults.rounds + 1):
        if number in actual or number == 1:
            window = Window.on(actual.get(number, first))
        else:
            window = rounds[-1].window.after(defaults.round_gap_business_days, calendar)
        rounds.append(RoundPlan(number, _round_name(defaults, number), window, actual.get(number)))
    # A round with no date that comes before a real one happened no later than that one.
    ceiling: date | None = None
    for index in range(len(rounds) - 1, -1, -1):
        plan = rounds[index]
        if plan.actual is not None:
            ceiling = plan.actual
        elif ceiling is not None:
            rounds[index] = RoundPlan(plan.n, plan.name, plan.window.capped_at(ceiling))
    return rounds


def _selected_rounds(template: TaskTemplate, rounds: list[RoundPlan]) -> list[RoundPlan]:
    if template.rounds == "first":
        return rounds[:1]
    if template.rounds == "final":
        return rounds[-1:]
    return rounds


def _join_names(names: Sequence[str]) -> str:
    if not names:
        return "every principle"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _tasks(
    defaults: ProcessDefaults,
    rounds: list[RoundPlan],
    today: date,
    calendar: BusinessCalendar,
    principles: Sequence[str],
) -> list[PrepTask]:
    tasks = []
    for template in defaults.tasks:
        for plan in _selected_rounds(template, rounds):
            if template.day_kind == "business":
                due = calendar.add_business_days(plan.anchor, -template.days_before)
            else:
                due = plan.anchor - timedelta(days=template.days_before)
            title = template.title.format(
                round=plan.n,
                rounds=len(rounds),
                round_name=plan.name,
                the_round=_the_round(defaults, plan),
                principles=_join_names(defaults.round_principles.get(plan.n) or list(principles)),
            )
            status = "past" if due < today else "upcoming"
            tasks.append(PrepTask(plan.n, template.kind, title, due, status))
    return sorted(tasks, key=lambda task: (task.due, task.round, task.kind))


def describe_days(days: DayRange) -> str:
    """"21 ± 3 days" for a symmetric range, else "18–24 days (about 21)"."""
    if days.expected - days.low == days.high - days.expected:
        spread = days.high - days.expected
        return f"{days.expected} ± {spread} days" if spread else f"{days.expected} days"
    return f"{days.low}–{days.high} days (about {days.expected})"


def _guide_check(defaults: ProcessDefaults, first: date, paperwork: Window) -> GuideCheck | None:
    days = defaults.first_screen_to_offer_days
    if days is None:
        return None
    window = Window(*(first + timedelta(days=count) for count in (days.low, days.expected, days.high)))
    projected = (paperwork.expected - first).days
    agrees = window.earliest <= paperwork.expected <= window.latest
    note = None
    if not agrees:
        note = (
            f"the projection puts the offer {projected} days after the first screen, outside the "
            f"reported {describe_days(days)} ({window.earliest} to {window.latest}); the rounds are "
            "not squeezed to fit — trust the dates your recruiter gives you"
        )
    return GuideCheck(days, window, projected, agrees, note, defaults.source_of("first_screen_to_offer_days"))


def _alerts(rounds: list[RoundPlan], decision: Window, today: date) -> list[dict[str, Any]]:
    """Overdue rounds and decision: `kind`, `message`, and the `round` (or None) and `date` passed."""
    alerts = []
    last_recorded = max((plan.n for plan in rounds if plan.actual is not None), default=0)
    for plan in rounds[last_recorded:]:  # earlier rounds without a date did take place
        if plan.actual is None and plan.window.latest < today:
            alerts.append(
                {
                    "kind": "round-overdue",
                    "message": (
                        f"round {plan.n}: past its latest projected date ({plan.window.latest}); "
                        f"record the date round {plan.n} took place to re-project the rest"
                    ),
                    "round": plan.n,
                    "date": plan.window.latest.isoformat(),
                }
            )
    if decision.latest < today:
        alerts.append(
            {
                "kind": "decision-overdue",
                "message": f"past the latest expected decision date ({decision.latest}): follow up with your recruiter",
                "round": None,
                "date": decision.latest.isoformat(),
            }
        )
    return alerts
