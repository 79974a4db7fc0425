"""The process timeline: a pinned worked example, re-projection from real dates, alerts, tasks."""

from datetime import date

import pytest

from storybank.planning.business_days import business_calendar
from storybank.planning.errors import PlanningError
from storybank.planning.models import ProcessDefaults
from storybank.planning.timeline import project_timeline
from storybank.rubric.loader import load_profile

MONDAY = date(2026, 3, 2)


@pytest.fixture(scope="module")
def binance():
    return load_profile("binance")


def plan(profile, **kwargs):
    kwargs.setdefault("today", date(2026, 2, 20))
    kwargs.setdefault("calendar", business_calendar("US"))
    return project_timeline(profile.process, principles=profile.principle_names(), **kwargs)


def test_worked_example_first_screen_on_a_monday(binance):
    # Gap 1 / 1 / 2 business days, decision 5 / 7 / 9, paperwork 4 / 4 / 4; no US holiday in March.
    data = plan(binance, first_screen=MONDAY).to_dict()
    assert [(r["n"], r["earliest"], r["expected"], r["latest"]) for r in data["rounds"]] == [
        (1, "2026-03-02", "2026-03-02", "2026-03-02"),
        (2, "2026-03-03", "2026-03-03", "2026-03-04"),
        (3, "2026-03-04", "2026-03-04", "2026-03-06"),
        (4, "2026-03-05", "2026-03-05", "2026-03-10"),
        (5, "2026-03-06", "2026-03-06", "2026-03-12"),
    ]
    assert data["rounds"][0]["actual"] == "2026-03-02"
    assert all(r["actual"] is None for r in data["rounds"][1:])
    assert data["decision"] == {"earliest": "2026-03-13", "expected": "2026-03-17", "latest": "2026-03-25"}
    assert data["paperwork"] == {"earliest": "2026-03-19", "expected": "2026-03-23", "latest": "2026-03-31"}
    assert data["offer_by"] == data["paperwork"]
    guide = data["guide"]
    assert (guide["earliest"], guide["expected"], guide["latest"]) == ("2026-03-20", "2026-03-23", "2026-03-26")
    assert guide["projected_days"] == 21 and guide["agrees"] and guide["note"] is None
    assert guide["source"] == "reported by the guide — confirm with your recruiter"
    assert "derived" in data["sources"]["round_gap_business_days"]
    assert data["alerts"] == []


def test_holidays_push_the_dates_out(binance):
    # Thanksgiving (26 Nov 2026) falls inside the decision window.
    with_holidays = plan(binance, first_screen=date(2026, 11, 16), today=date(2026, 11, 1))
    without = plan(binance, first_screen=date(2026, 11, 16), today=date(2026, 11, 1), calendar=business_calendar())
    assert with_holidays.decision.expected == date(2026, 12, 2)
    assert without.decision.expected == date(2026, 12, 1)
    assert [name for _, name in with_holidays.holidays()] == ["Thanksgiving Day"]


def test_real_dates_replace_the_projection_and_the_rest_follows(binance):
    timeline = plan(binance, first_screen=MONDAY, actual_rounds={3: date(2026, 3, 11)}, today=date(2026, 3, 11))
    rounds = {r.n: r for r in timeline.rounds}
    assert rounds[3].actual == date(2026, 3, 11) and rounds[3].window.expected == date(2026, 3, 11)
    assert rounds[4].window.expected == date(2026, 3, 12)
    assert rounds[5].window.expected == date(2026, 3, 13)
    # Round 2 has no date, but it happened no later than round 3.
    assert rounds[2].window.latest <= date(2026, 3, 11)
    assert timeline.decision.expected == date(2026, 3, 24)


def test_slow_real_dates_are_not_squeezed_and_the_guide_note_says_so(binance):
    timeline = plan(binance, first_screen=MONDAY, actual_rounds={5: date(2026, 3, 20)}, today=date(2026, 3, 20))
    assert timeline.offer_by.expected == date(2026, 4, 6)
    guide = timeline.guide
    assert not guide.agrees
    assert guide.projected_days == 35
    assert "outside the reported 21 ± 3 days" in guide.note


def test_overdue_decision_is_flagged(binance):
    timeline = plan(binance, first_screen=MONDAY, actual_rounds={5: date(2026, 3, 6)}, today=date(2026, 3, 26))
    kinds = [alert["kind"] for alert in timeline.alerts]
    assert kinds == ["decision-overdue"]
    assert "past the latest expected decision date (2026-03-19): follow up" in timeline.alerts[0]["message"]
    assert (timeline.alerts[0]["round"], timeline.alerts[0]["date"]) == (None, "2026-03-19")


def test_rounds_past_their_window_ask_for_their_dates(binance):
    timeline = plan(binance, first_screen=MONDAY, today=date(2026, 3, 9))
    assert [alert["message"][:7] for alert in timeline.alerts] == ["round 2", "round 3"]
    assert [alert["round"] for alert in timeline.alerts] == [2, 3]


def test_tasks_attach_to_rounds(binance):
    timeline = plan(binance, first_screen=MONDAY, today=MONDAY)
    by_kind = {}
    for task in timeline.tasks:
        by_kind.setdefault(task.kind, []).append(task)
    assert len(by_kind["rehearse"]) == len(by_kind["drill"]) == 5
    assert [task.round for task in by_kind["mock"]] == [5]
    drill_before_round_3 = next(task for task in by_kind["drill"] if task.round == 3)
    assert drill_before_round_3.due == date(2026, 3, 2)  # two days before 4 March
    assert "Relentless Execution" in by_kind["rehearse"][0].title
    assert by_kind["mock"][0].due < timeline.rounds[-1].window.expected
    assert [task.due for task in timeline.tasks] == sorted(task.due for task in timeline.tasks)
    assert {task.status for task in timeline.tasks if task.due < MONDAY} == {"past"}


def test_round_principles_from_the_profile_narrow_the_rehearsal():
    defaults = ProcessDefaults(
        rounds=2,
        round_gap_business_days={"low": 2, "expected": 3, "high": 4},
        decision_business_days={"low": 1, "expected": 2, "high": 3},
        paperwork_business_days={"low": 1, "expected": 1, "high": 2},
        round_principles={2: ["Ownership"]},
        tasks=[{"kind": "rehearse", "title": "Rehearse {principles} for round {round} of {rounds}", "days_before": 1}],
    )
    timeline = project_timeline(defaults, today=MONDAY, first_screen=MONDAY, principles=["Ownership", "Delivering Results"])
    titles = [task.title for task in timeline.tasks]
    assert titles == ["Rehearse Ownership and Delivering Results for round 1 of 2", "Rehearse Ownership for round 2 of 2"]
    assert timeline.guide is None


def test_first_screen_defaults_to_today_without_being_recorded(binance):
    timeline = plan(binance, today=MONDAY)
    assert timeline.first_screen == MONDAY and timeline.rounds[0].actual is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"first_screen": MONDAY, "actual_rounds": {3: date(2026, 3, 10), 2: date(2026, 3, 12)}}, "dates out of order: round 3"),
        ({"first_screen": MONDAY, "actual_rounds": {2: date(2026, 2, 27)}}, "round 2 .* is before round 1"),
        ({"first_screen": MONDAY, "actual_rounds": {6: date(2026, 3, 12)}}, "round 6: no such round"),
        ({"first_screen": MONDAY, "actual_rounds": {1: date(2026, 3, 3)}}, "disagree"),
        ({"actual_rounds": {2: date(2026, 2, 1)}}, "give the first-screen date"),
    ],
)
def test_bad_dates_are_refused(binance, kwargs, message):
    with pytest.raises(PlanningError, match=message):
        plan(binance, **kwargs)


def test_a_profile_without_the_figures_asks_for_them():
    with pytest.raises(PlanningError, match="process.decision_business_days"):
        project_timeline(
            ProcessDefaults(rounds=3, round_gap_business_days={"low": 1, "expected": 1, "high": 1}),
            today=MONDAY,
        )
