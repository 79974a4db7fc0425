"""Matching stories to questions: principles, kind and shared words, and overuse warnings."""

from __future__ import annotations

import pytest

from storybank.errors import NotFound
from storybank.practice.matching import content_words, rank_stories, stem
from storybank.practice_service import Practice
from storybank.rubric import load_profile
from storybank.service import StoryBank

pytestmark = pytest.mark.storage


def test_stems_let_word_forms_meet() -> None:
    assert stem("launched") == stem("launch") == "launch"
    assert stem("users") == "user" and stem("policies") == "policy"
    assert content_words("Tell me about the churn you reduced", {"tell", "me", "about", "the", "you"}) == {"churn", "reduc"}


def test_churn_question_ranks_the_churn_story_first(bank: StoryBank, stories: dict[str, int]) -> None:
    result = Practice(bank).match("bn-reduced-churn")
    assert result.best is not None and result.best.story_id == stories["churn"]
    assert "churn" in result.best.shared_words
    assert result.best.kind_match and result.best.principles >= 0.5
    assert [fit.fit for fit in result.stories] == sorted((fit.fit for fit in result.stories), reverse=True)


def test_kyc_question_ranks_the_kyc_story_first(bank: StoryBank, stories: dict[str, int]) -> None:
    result = Practice(bank).match("bn-aml-kyc-friction")
    assert result.best.story_id == stories["kyc"]


def test_failure_question_ranks_the_failure_story_first(bank: StoryBank, stories: dict[str, int]) -> None:
    result = Practice(bank).match("bn-launch-hurt-metric")
    assert result.best.story_id == stories["outage"]
    assert result.best.kind == "failure"


def test_an_overused_best_story_gets_a_warning_naming_an_alternative(bank: StoryBank, stories: dict[str, int]) -> None:
    for number in range(3):
        bank.link_question(stories["churn"], f"Planned question {number}", question_id=f"bn-other-{number}")
    result = Practice(bank).match("bn-reduced-churn")
    assert result.best.story_id == stories["churn"] and result.best.overused
    assert result.best.other_questions == 3
    assert len(result.warnings) == 1 and "3 other questions" in result.warnings[0]
    assert "Consider #" in result.warnings[0]


def test_planning_the_same_question_again_is_not_overuse(bank: StoryBank, stories: dict[str, int]) -> None:
    for number in range(2):
        bank.link_question(stories["churn"], f"Planned question {number}", question_id=f"bn-other-{number}")
    bank.link_question(stories["churn"], "Churn", question_id="bn-reduced-churn")
    result = Practice(bank).match("bn-reduced-churn")
    assert not result.best.overused and result.warnings == ()


def test_empty_bank_has_no_best_story(bank: StoryBank) -> None:
    result = Practice(bank).match("bn-reduced-churn")
    assert result.best is None and result.to_dict()["stories"] == []


def test_unknown_question_suggests_close_ids(bank: StoryBank) -> None:
    with pytest.raises(NotFound, match="did you mean bn-reduced-churn"):
        Practice(bank).match("bn-reduce-churn")


def test_an_id_alone_finds_a_question_of_another_profile(bank: StoryBank, stories: dict[str, int]) -> None:
    result = Practice(bank).match("az-worked-backwards")
    assert result.profile == "amazon" and result.question.id == "az-worked-backwards"


def test_match_weights_come_from_the_profile(bank: StoryBank, stories: dict[str, int]) -> None:
    profile = load_profile("binance")
    question = next(q for q in profile.questions if q.id == "bn-reduced-churn")
    only_words = profile.practice.model_copy(
        update={"match_weights": profile.practice.match_weights.model_copy(update={"principles": 0, "kind": 0, "quality": 0})}
    )
    stored = bank._stories_for_profile(profile, "binance")
    result = rank_stories(question, stored, only_words, profile="binance")
    assert all(fit.fit == fit.overlap for fit in result.stories)
