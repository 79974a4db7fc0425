"""Drills through the service with an injected clock: timings, probes, storage, bad input."""

from __future__ import annotations

import random

import pytest

import storybank
from storybank.errors import Conflict, InvalidInput, NotFound
from storybank.practice_service import DrillAbandoned, Practice
from storybank.service import StoryBank
from practice_helpers import CHURN_STORY, FakeClock

pytestmark = pytest.mark.storage

VAGUE = "We had a compliance issue and the team fixed it quickly. Everyone was happy with the result."
RISK_AWARE_REPLY = "I kept the AML travel rule check, which kept 92 % of volume and avoided $1.1M in fines."
DRILL_KEYS = {"question", "answer", "timings", "analysis", "probe", "probe_reply", "probe_analysis"}


@pytest.fixture
def practice(bank: StoryBank) -> Practice:
    return Practice(bank, rng=random.Random(3))


def test_a_timed_drill_from_start_to_summary(practice: Practice, clock: FakeClock) -> None:
    attempt = practice.start_drill("bn-compliance-blocked-launch")
    assert attempt.phase == "opening" and attempt.question["id"] == "bn-compliance-blocked-launch"
    clock.advance(40)
    attempt = practice.submit_opening(attempt.uid, "I decided to keep the AML check.").attempt
    assert attempt.phase == "answer" and attempt.timings["opening"]["seconds"] == 40
    clock.advance(95)
    attempt = practice.submit_answer(attempt.uid, VAGUE).attempt
    assert attempt.timings["answer"] == {"seconds": 95, "limit": 90, "over": True, "over_by": 5, "source": "clock"}
    report = storybank.analyze(VAGUE)
    assert attempt.probe["signal"] == report.weakest_signal()
    assert attempt.analysis == report.to_dict() and attempt.phase == "probe"
    clock.advance(12)
    attempt = practice.submit_probe_reply(attempt.uid, RISK_AWARE_REPLY).attempt
    assert attempt.phase == "done" and attempt.timings["probe"]["seconds"] == 12
    assert attempt.probe_analysis["profile"] == "binance" and attempt.risk_aware
    summary = attempt.to_dict()["summary"]
    assert summary["one_change"]["signal"] and summary["opening_line"] == report.to_dict()["dma"]["opening_line"]
    assert summary["over_time"] is True
    assert practice.get_attempt(attempt.id) == attempt


def test_the_stored_attempt_keeps_everything(practice: Practice) -> None:
    attempt = practice.run_drill("bn-compliance-blocked-launch", VAGUE, opening="I decided.", probe_reply=RISK_AWARE_REPLY, seconds=80)
    data = attempt.to_dict()
    assert DRILL_KEYS <= set(data)
    assert data["answer"] == VAGUE and data["opening"] == "I decided." and data["probe_reply"] == RISK_AWARE_REPLY
    assert data["analysis"]["findings"] and data["probe_check"]["probe"] == data["probe"]["id"]
    assert set(data["probe"]) == {"id", "text", "signal"}
    assert data["timings"]["answer"]["source"] == "given" and data["timings"]["opening"]["source"] == "estimated"
    assert practice.attempts()[0] == attempt


def test_a_drill_without_a_probe_reply_ends_with_the_probe_skipped(practice: Practice) -> None:
    attempt = practice.run_drill("bn-compliance-blocked-launch", VAGUE)
    assert attempt.phase == "done" and attempt.probe is not None and attempt.probe_reply is None
    assert "the probe was skipped" in attempt.timings["notes"]
    assert attempt.timings["answer"]["source"] == "estimated"


def test_thirty_idle_minutes_abandon_the_drill_and_keep_the_text(practice: Practice, clock: FakeClock) -> None:
    attempt = practice.start_drill("bn-reduced-churn", with_opening=False)
    clock.advance(31 * 60)
    with pytest.raises(DrillAbandoned, match="abandoned after 30 minutes"):
        practice.submit_answer(attempt.uid, VAGUE)
    stored = practice.get_drill(attempt.uid)
    assert stored.phase == "abandoned" and stored.answer == VAGUE and stored.analysis is None
    with pytest.raises(DrillAbandoned):
        practice.submit_answer(attempt.uid, VAGUE)
    assert practice.attempts() == []


def test_a_slow_but_active_drill_is_over_time_not_abandoned(practice: Practice, clock: FakeClock) -> None:
    attempt = practice.start_drill("bn-reduced-churn")
    clock.advance(20 * 60)
    attempt = practice.submit_opening(attempt.uid, "I decided to cut fees.").attempt
    clock.advance(20 * 60)
    attempt = practice.submit_answer(attempt.uid, VAGUE).attempt
    assert attempt.phase == "probe" and attempt.timings["answer"]["over_by"] == 20 * 60 - 90


def test_an_idle_drill_is_shown_abandoned(practice: Practice, clock: FakeClock) -> None:
    attempt = practice.start_drill("bn-reduced-churn")
    clock.advance(45 * 60)
    assert practice.get_drill(attempt.uid).phase == "abandoned"


def test_double_submission_records_once(practice: Practice, clock: FakeClock) -> None:
    attempt = practice.start_drill("bn-reduced-churn", with_opening=False)
    first = practice.submit_answer(attempt.uid, VAGUE)
    clock.advance(3)
    again = practice.submit_answer(attempt.uid, VAGUE)
    assert not first.duplicate and again.duplicate and again.attempt == first.attempt
    assert again.to_dict()["duplicate"] is True
    with pytest.raises(Conflict, match="already submitted"):
        practice.submit_answer(attempt.uid, "A different answer about fees.")
    reply = practice.submit_probe_reply(attempt.uid, RISK_AWARE_REPLY)
    assert practice.submit_probe_reply(attempt.uid, RISK_AWARE_REPLY).duplicate
    assert len(practice.attempts()) == 1 and reply.attempt.phase == "done"


def test_empty_answers_are_refused_and_the_drill_waits(practice: Practice) -> None:
    attempt = practice.start_drill("bn-reduced-churn", with_opening=False)
    with pytest.raises(InvalidInput, match="answer: empty"):
        practice.submit_answer(attempt.uid, "  \n ")
    assert practice.get_drill(attempt.uid).phase == "answer"
    with pytest.raises(InvalidInput, match="answer: empty"):
        practice.run_drill("bn-reduced-churn", "   ")
    assert practice.submit_answer(attempt.uid, VAGUE).attempt.phase == "probe"


def test_unknown_ids_are_not_found(practice: Practice) -> None:
    with pytest.raises(NotFound, match="no question"):
        practice.start_drill("bn-no-such-question")
    with pytest.raises(NotFound, match="no story 999"):
        practice.start_drill("bn-reduced-churn", story_id=999)
    with pytest.raises(NotFound, match="no drill"):
        practice.submit_answer("f" * 32, VAGUE)
    with pytest.raises(NotFound, match="no drill"):
        practice.submit_answer("../../etc", VAGUE)
    with pytest.raises(NotFound, match="no attempt 7"):
        practice.get_attempt(7)
    assert practice.attempts() == []


def test_the_story_told_is_recognised(practice: Practice, stories: dict[str, int]) -> None:
    attempt = practice.run_drill("bn-reduced-churn", CHURN_STORY)
    assert attempt.story_id == stories["churn"]
    unrelated = practice.run_drill("bn-reduced-churn", "I decided to move the office kitchen; coffee queues fell 40 %.")
    assert unrelated.story_id is None


def test_drilled_questions_count_towards_a_storys_use(practice: Practice, stories: dict[str, int]) -> None:
    for question in ("bn-funnel", "bn-simplified-flow", "bn-watched-users"):
        practice.run_drill(question, CHURN_STORY, story_id=stories["churn"])
    result = practice.match("bn-reduced-churn")
    assert result.best.story_id == stories["churn"] and result.best.overused and result.warnings


def test_a_picked_question_comes_from_the_profile(practice: Practice) -> None:
    attempt = practice.start_drill(profile="amazon")
    assert attempt.question_id.startswith("az-") and attempt.profile == "amazon"


def test_retrieval_drill_names_the_story_within_ten_seconds(practice: Practice, clock: FakeClock, stories: dict[str, int]) -> None:
    attempt = practice.start_drill("bn-reduced-churn", mode="retrieval")
    assert attempt.phase == "answer" and attempt.limits["answer_seconds"] == 10
    clock.advance(8)
    done = practice.submit_retrieval(attempt.uid, "I decided to rebuild the fee page; churn fell 4.3 %.", "fee page").attempt
    assert done.phase == "done" and done.story_id == stories["churn"] and done.probe is None
    result = done.to_dict()["retrieval"]
    assert result["good_choice"] and result["within_time"] and result["seconds"] == 8
    slow = practice.start_drill("bn-reduced-churn", mode="retrieval")
    clock.advance(14)
    late = practice.submit_retrieval(slow.uid, "Churn fell 4 %.", str(stories["kyc"])).attempt
    assert late.result["within_time"] is False and late.timings["answer"]["over_by"] == 4
    with pytest.raises(NotFound, match="no story matches"):
        practice.submit_retrieval(practice.start_drill("bn-reduced-churn", mode="retrieval").uid, "Line.", "no such title")


def test_readiness_counts_probes_and_risk_aware_replies(bank: StoryBank, practice: Practice) -> None:
    items = {item.id: item for item in bank.readiness().items}
    assert not items["probes-practised"].ok and "No probe practised yet" in items["probes-practised"].reason
    practice.run_drill("bn-reduced-churn", VAGUE, probe_reply="We thought about it carefully.")
    items = {item.id: item for item in bank.readiness().items}
    assert not items["probes-practised"].ok and "Probes practised: 1," in items["probes-practised"].reason
    practice.run_drill("bn-compliance-blocked-launch", VAGUE, probe_reply=RISK_AWARE_REPLY)
    summary = bank.practice_summary()
    assert summary.probes_practised == 2 and summary.risk_aware_probe_answers == 1
    assert {item.id: item for item in bank.readiness().items}["probes-practised"].ok
