"""Coverage and readiness are pure functions of story records: tested without a database."""

from __future__ import annotations

from datetime import datetime, timezone

from storybank.coverage import compute_coverage
from storybank.readiness import PracticeSummary, compute_readiness
from storybank.records import QuestionLink, Story

PRINCIPLES = ["Relentless Execution", "Customer-First Innovation", "Risk-Aware Decision-Making"]
NOW = datetime(2026, 5, 1, tzinfo=timezone.utc)
COMPLETE = {"ownership": 1.0, "quantified_impact": 1.0, "alignment": 1.0, "metric_first": 1.0, "brevity": 1.0}


def story(story_id: int, *, kind: str = "impact", verdict: str = "decisive", principles=(), scores=None, signals=None, quantities=("percent",)) -> Story:
    analysis = {
        "score": 70.0,
        "verdict": verdict,
        "signals": {name: {"score": value} for name, value in (signals or COMPLETE).items()},
        "principles": dict(scores or {}),
        "quantities": [{"kind": kind_} for kind_ in quantities],
        "dma": {"opening_line": f"Opening {story_id}."},
    }
    return Story(
        id=story_id, uid=f"{story_id:032x}", version=1, title=f"Story {story_id}", kind=kind, profile="binance",
        company=None, principles=tuple(principles), tags=(), text="text", parts={}, score=70.0, verdict=verdict,
        analysis=analysis, created_at=NOW, updated_at=NOW,
    )


def test_cells_combine_the_analyzer_and_the_users_tags() -> None:
    stories = [
        story(1, principles=["Relentless Execution"], scores={"Relentless Execution": 0.2, "Customer-First Innovation": 0.7}),
        story(2, verdict="developing", scores={"Risk-Aware Decision-Making": 0.9}),
    ]
    coverage = compute_coverage(stories, PRINCIPLES, profile="binance")
    first = coverage.rows[0].cells
    assert first["Relentless Execution"].tagged and first["Relentless Execution"].strength == 0.5
    assert first["Relentless Execution"].decisive  # tagged by the user, decisive story
    assert first["Customer-First Innovation"].level == "strong" and first["Customer-First Innovation"].decisive
    assert first["Risk-Aware Decision-Making"].level == "none"
    risk = coverage.rows[1].cells["Risk-Aware Decision-Making"]
    assert risk.level == "strong" and not risk.decisive  # only developing
    assert coverage.principles_without_decisive_story == ("Risk-Aware Decision-Making",)
    assert coverage.principles_without_any_story == ()
    assert coverage.kinds_without_story == ("failure", "risk", "conflict", "customer")
    assert "No failure story." in coverage.gaps


def test_overused_stories_are_warned_about() -> None:
    links = [QuestionLink(i, 1, f"q{i}", f"Question {i}", "strong", NOW) for i in range(5)]
    coverage = compute_coverage([story(1), story(2)], PRINCIPLES, profile="binance", links=links)
    assert coverage.overused_stories == ({"story_id": 1, "title": "Story 1", "questions": 5},)
    assert "planned for 5 questions" in coverage.warnings[0]


def readiness_items(stories, practice=None) -> dict:
    coverage = compute_coverage(stories, PRINCIPLES, profile="binance")
    readiness = compute_readiness(stories, coverage, practice=practice)
    return readiness, {item.id: item for item in readiness.items}


def test_an_empty_bank_is_not_ready_and_says_what_to_do() -> None:
    readiness, items = readiness_items([])
    assert not readiness.ready
    for item in items.values():
        assert not item.ok and item.reason and item.next_action
    assert set(readiness.to_dict()) == {"ready", "profile", "items"}


def test_a_full_bank_with_practice_is_ready() -> None:
    stories = [story(i, principles=[name]) for i, name in enumerate(PRINCIPLES, start=1)]
    practice = PracticeSummary(probes_practised=4, risk_aware_probe_answers=2, reviewed_mock_interviews=1)
    readiness, items = readiness_items(stories, practice)
    assert readiness.ready, [i for i in items.values() if not i.ok]


def test_practice_items_wait_for_the_practice_records() -> None:
    stories = [story(i, principles=[name]) for i, name in enumerate(PRINCIPLES, start=1)]
    readiness, items = readiness_items(stories)
    assert not readiness.ready
    assert [i.id for i in readiness.items if not i.ok] == ["probes-practised", "mock-interview"]
    assert "not recorded yet" in items["probes-practised"].reason


def test_each_item_names_the_stories_to_fix() -> None:
    stories = [
        story(1, principles=["Relentless Execution"]),
        story(2, signals={**COMPLETE, "alignment": 0.0}, quantities=()),
        story(3, signals={**COMPLETE, "metric_first": 0.0}),
    ]
    _, items = readiness_items(stories)
    assert not items["complete-stories"].ok and "an alignment step" in items["complete-stories"].next_action
    assert "#2" in items["impact-quantified"].reason
    assert "#3" in items["openings"].reason and "Opening 3." in items["openings"].next_action
    assert not items["stories-mapped"].ok and "#2" in items["stories-mapped"].reason
