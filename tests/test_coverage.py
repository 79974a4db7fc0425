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


def overlay(tmp_path, text: str):
    from storybank.rubric.loader import load_profile_file

    path = tmp_path / "mine.yaml"
    path.write_text("extends: binance\n" + text, encoding="utf-8")
    return load_profile_file(path)


def test_thresholds_and_words_come_from_the_profile(tmp_path) -> None:
    profile = overlay(
        tmp_path,
        "limits: {opening_seconds: 30}\n"
        "readiness:\n"
        "  coverage: {strong: 0.8, max_questions_per_story: 1, expected_kinds: [impact]}\n"
        "  min_complete_stories: 1\n"
        "  items:\n"
        "    complete_stories: {label: '{needed} complete story at least', why_done: 'Done: {stories}.'}\n",
    )
    rules = profile.readiness
    stories = [story(1, scores={"Relentless Execution": 0.7})]
    links = [QuestionLink(i, 1, f"q{i}", f"Question {i}", "strong", NOW) for i in range(2)]
    coverage = compute_coverage(stories, PRINCIPLES, profile="mine", links=links, thresholds=rules.coverage)
    assert coverage.rows[0].cells["Relentless Execution"].level == "partial"  # 0.7 is below this profile's 0.8
    assert coverage.kinds_without_story == () and coverage.overused_stories[0]["questions"] == 2
    items = {item.id: item for item in compute_readiness(stories, coverage, rules=rules, opening_seconds=30).items}
    assert items["complete-stories"].ok and items["complete-stories"].label == "1 complete story at least"
    assert items["complete-stories"].reason == "Done: 1 story."
    assert items["openings"].label.startswith("A 30-second opening")


def test_next_actions_name_no_command() -> None:
    _, items = readiness_items([])
    _, more = readiness_items([story(1), story(2, signals={**COMPLETE, "alignment": 0.0}, quantities=())])
    for item in [*items.values(), *more.values()]:
        assert "storybank" not in item.next_action and "`" not in item.next_action and "--" not in item.next_action


def test_a_readiness_text_with_an_unknown_placeholder_is_refused(tmp_path) -> None:
    import pytest

    from storybank.rubric.loader import ProfileError

    with pytest.raises(ProfileError, match=r"readiness\.items\.stories_mapped.*unknown placeholder \{principle\}"):
        overlay(tmp_path, "readiness:\n  items:\n    stories_mapped: {tag: 'Tag {principle}'}\n")


def test_why_an_item_is_not_done_is_worded_by_the_profile(tmp_path) -> None:
    profile = overlay(tmp_path, "readiness:\n  items:\n    impact_quantified: {why_missing: 'Sin cifra: {list}.'}\n")
    vague = story(4, quantities=())
    coverage = compute_coverage([vague], PRINCIPLES, profile="mine", thresholds=profile.readiness.coverage)
    items = {item.id: item for item in compute_readiness([vague], coverage, rules=profile.readiness, opening_seconds=45).items}
    assert items["impact-quantified"].reason == "Sin cifra: #4 \u201cStory 4\u201d."


def test_gaps_and_warnings_are_worded_by_the_profile(tmp_path) -> None:
    profile = overlay(
        tmp_path,
        "readiness:\n  gaps:\n    no_story_of_kind: 'Falta una historia de tipo {kind}.'\n"
        "    overused: '#{story_id} sirve para {questions} preguntas.'\n",
    )
    stories = [story(1)]
    links = [QuestionLink(i, 1, f"q{i}", f"Question {i}", "strong", NOW) for i in range(5)]
    coverage = compute_coverage(stories, PRINCIPLES, profile="mine", links=links,
                                thresholds=profile.readiness.coverage, texts=profile.readiness.gaps)
    assert "Falta una historia de tipo failure." in coverage.gaps
    assert coverage.warnings == ["#1 sirve para 5 preguntas."]
    assert coverage.to_dict()["gaps"]["messages"] == coverage.gaps
