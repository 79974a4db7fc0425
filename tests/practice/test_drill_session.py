"""The drill state machine with a hand-moved clock: phases, timings, over-time, abandonment,
double submissions; and the weighted choice of a question."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from storybank.practice.drill import (
    Abandoned,
    DrillLimits,
    DrillSession,
    EmptyText,
    WrongStep,
    choose_question,
    question_weight,
)
from storybank.rubric import load_profile

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
LIMITS = DrillLimits(opening_seconds=45, answer_seconds=90, abandon_after_seconds=30 * 60)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def test_a_drill_runs_opening_answer_probe_with_clock_timings() -> None:
    session = DrillSession.start(LIMITS, START)
    assert session.phase == "opening" and session.deadline(at(10))["remaining"] == 35
    session = session.submit_opening("I decided to cut fees 4 %.", at(30))
    assert session.phase == "answer" and session.opening_seconds == 30
    session = session.submit_answer("I decided to cut fees 4 %. Churn fell.", at(30 + 100))
    assert session.phase == "probe"
    timings = session.timings()
    assert timings["opening"] == {"seconds": 30, "limit": 45, "over": False, "over_by": 0.0, "source": "clock"}
    assert timings["answer"]["seconds"] == 100 and timings["answer"]["over"] and timings["answer"]["over_by"] == 10
    assert timings["over_time"] is True
    session = session.submit_probe_reply("I chose it myself.", at(140))
    assert session.phase == "done" and session.probe_seconds == 10 and session.finished_at == at(140)


def test_running_over_is_recorded_not_blocked() -> None:
    session = DrillSession.start(LIMITS, START).submit_opening("Opening.", at(200))
    assert session.phase == "answer" and session.timings()["opening"]["over_by"] == 155
    assert session.deadline(at(300))["remaining"] == -10


def test_the_opening_can_be_skipped_by_answering() -> None:
    session = DrillSession.start(LIMITS, START).submit_answer("The whole answer.", at(60))
    assert session.phase == "probe" and session.opening is None and session.answer_seconds == 60
    assert "the opening step was skipped" in session.timings()["notes"]


def test_given_or_estimated_seconds_override_the_clock() -> None:
    session = DrillSession.start(LIMITS, START, with_opening=False)
    assert session.phase == "answer"
    given = session.submit_answer("Answer.", at(1), seconds=95)
    assert given.timings()["answer"]["source"] == "given" and given.timings()["answer"]["over"]
    estimated = session.submit_answer("Answer.", at(1), estimate=12.34)
    assert estimated.timings()["answer"] == {"seconds": 12.3, "limit": 90, "over": False, "over_by": 0.0, "source": "estimated"}


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(EmptyText, match="answer: empty"):
        DrillSession.start(LIMITS, START).submit_answer(text, at(5))


def test_the_same_answer_twice_is_a_duplicate_not_a_second_record() -> None:
    session = DrillSession.start(LIMITS, START).submit_answer("Answer.", at(5))
    with pytest.raises(WrongStep) as same:
        session.submit_answer("Answer.", at(6))
    assert same.value.duplicate and "nothing was recorded twice" in str(same.value)
    with pytest.raises(WrongStep) as different:
        session.submit_answer("Another answer.", at(7))
    assert not different.value.duplicate and "start a new drill" in str(different.value)


def test_steps_out_of_order_are_refused() -> None:
    session = DrillSession.start(LIMITS, START)
    with pytest.raises(WrongStep, match="at its opening step, not at the probe"):
        session.submit_probe_reply("Reply.", at(1))
    with pytest.raises(WrongStep, match="submit the answer first"):
        session.finish(at(1))
    done = session.submit_answer("Answer.", at(2), probe_follows=False)
    with pytest.raises(WrongStep, match="finished"):
        done.submit_probe_reply("Reply.", at(3))


def test_thirty_minutes_without_activity_abandons_the_drill() -> None:
    session = DrillSession.start(LIMITS, START).submit_opening("Opening.", at(10))
    still_fine = session.submit_answer("Answer.", at(10 + 29 * 60))
    assert still_fine.phase == "probe"
    with pytest.raises(Abandoned, match="abandoned after 30 minutes"):
        session.submit_answer("Answer.", at(10 + 30 * 60 + 1))
    assert session.is_idle(at(10 + 31 * 60)) and session.abandoned(at(2000)).phase == "abandoned"


def test_finishing_without_the_probe() -> None:
    session = DrillSession.start(LIMITS, START).submit_answer("Answer.", at(5)).finish(at(9))
    assert session.phase == "done" and "the probe was skipped" in session.timings()["notes"]
    assert session.finish(at(10)) is session


def test_question_weight_leans_to_gaps_and_unpractised_stories() -> None:
    profile = load_profile("binance")
    weights = profile.practice.choice_weights
    question = profile.questions[0]
    covered = {name: 0.0 for name in profile.principle_names()}
    gap = {name: 1.0 for name in profile.principle_names()}
    assert question_weight(question, weights, gap, None, 0) > question_weight(question, weights, covered, None, 0)
    assert question_weight(question, weights, covered, 0, 0) > question_weight(question, weights, covered, 5, 0)
    assert question_weight(question, weights, covered, 0, 0) > question_weight(question, weights, covered, 0, 3)


def test_choice_draws_more_from_the_weakest_principle() -> None:
    profile = load_profile("binance")
    gaps = {name: 0.0 for name in profile.principle_names()}
    gaps["Risk-Aware Decision-Making"] = 1.0
    rng = random.Random(7)
    draws = [
        choose_question(profile.questions, profile.practice.choice_weights, gaps, {}, {}, {}, rng)
        for _ in range(600)
    ]
    risk = sum("Risk-Aware Decision-Making" in q.principles for q in draws) / len(draws)
    share_in_bank = sum("Risk-Aware Decision-Making" in q.principles for q in profile.questions) / len(profile.questions)
    assert risk > share_in_bank + 0.08
