"""Reviewer mode: the anchored form, saving scores beside the analyzer's, the review file round
trip, calibration, bad input and double submissions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from storybank.cli.main import app
from storybank.errors import Conflict, InvalidInput, NotFound
from storybank.practice.review import ReviewError, analyzer_on_scale, check_scores, parse_review_file
from storybank.practice_service import Practice
from storybank.rubric import load_profile
from storybank.service import StoryBank

pytestmark = pytest.mark.storage

WEAK = "We had a compliance issue and the team fixed it quickly.\nEveryone was happy with the result."
REVIEW = load_profile("binance").practice.review


@pytest.fixture
def practice(bank: StoryBank) -> Practice:
    return Practice(bank)


@pytest.fixture
def attempt(practice: Practice):
    return practice.run_drill("bn-compliance-blocked-launch", WEAK, probe_reply="We balanced risk and speed.")


def fill(text: str, reviewer: str = "Dana", **scores: int) -> str:
    text = text.replace('reviewer: ""', f'reviewer: "{reviewer}"')
    for name, value in scores.items():
        text = text.replace(f"  {name}:\n", f"  {name}: {value}\n", 1)
    return text


def test_the_form_has_five_anchored_dimensions_and_suggested_probes(practice: Practice, attempt) -> None:
    form = practice.review_form(attempt.id)
    assert [d.id for d in form.dimensions] == ["ownership", "metric_clarity", "alignment", "risk_awareness", "brevity"]
    assert all(sorted(d.anchors) == [1, 2, 3, 4, 5] for d in form.dimensions)
    assert form.suggested_probes[0] == attempt.probe and len(form.suggested_probes) == 4
    assert len({probe["id"] for probe in form.suggested_probes}) == 4
    data = form.to_dict()
    assert data["analyzer"]["ownership"] == analyzer_on_scale(attempt.analysis, form.dimensions[0])
    assert len(data["review_uid"]) == 32


def test_a_review_is_stored_beside_the_analyzer(practice: Practice, attempt, bank: StoryBank) -> None:
    saved = practice.add_review(attempt.id, reviewer="  Dana  Lee ", scores={"ownership": 4, "brevity": "5"},
                                comments={"ownership": "Good: one clear I-decision.", "alignment": " "}, note="Lead with the number.")
    review = saved.review
    assert review.reviewer == "Dana Lee" and review.scores == {"ownership": 4, "brevity": 5}
    assert review.comments == {"ownership": "Good: one clear I-decision."} and review.source == "form"
    form = practice.review_form(attempt.id)
    assert form.reviews == (review,)
    ownership = next(pair for pair in form.pairs if pair.dimension == "ownership")
    assert ownership.human == 4 and ownership.analyzer == analyzer_on_scale(attempt.analysis, REVIEW.dimensions[0])
    assert ownership.disagree == (abs(4 - ownership.analyzer) >= REVIEW.disagreement)
    assert bank.practice_summary().reviewed_mock_interviews == 1
    items = {item.id: item for item in bank.readiness().items}
    assert items["mock-interview"].ok
    assert practice.history().to_dict()["attempts"][0]["reviews"][0]["id"] == review.id


def test_the_same_form_submitted_twice_is_recorded_once(practice: Practice, attempt) -> None:
    uid = practice.review_form(attempt.id).review_uid
    first = practice.add_review(attempt.id, reviewer="Dana", scores={"ownership": 2}, review_uid=uid)
    again = practice.add_review(attempt.id, reviewer="Dana", scores={"ownership": 2}, review_uid=uid)
    assert not first.duplicate and again.duplicate and again.review == first.review
    with pytest.raises(Conflict, match="already saved"):
        practice.add_review(attempt.id, reviewer="Dana", scores={"ownership": 5}, review_uid=uid)
    assert len(practice.reviews(attempt.id)) == 1


@pytest.mark.parametrize(
    "scores, message",
    [
        ({}, "at least one score"),
        ({"ownership": 0}, "outside the scale"),
        ({"ownership": 6}, "outside the scale"),
        ({"ownership": 3.5}, "outside the scale"),
        ({"ownership": "four"}, "not a whole number"),
        ({"ownership": True}, "whole number"),
        ({"charisma": 4}, "not a review dimension"),
    ],
)
def test_bad_scores_are_refused(practice: Practice, attempt, scores, message) -> None:
    with pytest.raises(InvalidInput, match=message):
        practice.add_review(attempt.id, reviewer="Dana", scores=scores)
    assert practice.reviews(attempt.id) == []


def test_reviews_need_a_reviewer_and_an_answered_attempt(practice: Practice, attempt) -> None:
    with pytest.raises(InvalidInput, match="reviewer"):
        practice.add_review(attempt.id, reviewer="  ", scores={"ownership": 3})
    with pytest.raises(NotFound, match="no attempt 99"):
        practice.add_review(99, reviewer="Dana", scores={"ownership": 3})
    unanswered = practice.start_drill("bn-reduced-churn")
    with pytest.raises(Conflict, match="no analysed answer"):
        practice.add_review(unanswered.id, reviewer="Dana", scores={"ownership": 3})


def test_review_file_round_trip(practice: Practice, attempt) -> None:
    name, text = practice.export_review_file(attempt.id)
    assert name.startswith(f"review-{attempt.id}-") and name.endswith(".yaml")
    assert attempt.uid in text and "Everyone was happy" in text and "1 = " in text
    saved = practice.import_review_file(fill(text, ownership=2, risk_awareness=1).encode(), name)
    assert saved.review.scores == {"ownership": 2, "risk_awareness": 1} and saved.review.source == "file"
    again = practice.import_review_file(fill(text, ownership=2, risk_awareness=1).encode(), name)
    assert again.duplicate and len(practice.reviews()) == 1
    with pytest.raises(Conflict):
        practice.import_review_file(fill(text, ownership=5).encode(), name)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: t.replace('reviewer: "Dana"', 'reviewer: ""'), "line 2[0-9]: reviewer"),
        (lambda t: t.replace("  ownership: 2\n", "  ownership: 9\n"), r"line \d+: scores.ownership: 9 is outside"),
        (lambda t: t.replace("format: storybank-review", "format: something-else"), "line 5: format"),
        (lambda t: t + "colour: blue\n", "colour: unknown field"),
        (lambda t: t.replace("scores:\n", "scores: [\n", 1), "malformed YAML"),
        (lambda t: "just text", "expected a storybank review file"),
    ],
)
def test_broken_review_files_name_the_line(practice: Practice, attempt, change, message) -> None:
    _, text = practice.export_review_file(attempt.id)
    with pytest.raises(InvalidInput, match=message):
        practice.import_review_file(change(fill(text, ownership=2)).encode(), "back.yaml")
    assert practice.reviews() == []


def test_a_review_file_from_another_bank_is_not_found(practice: Practice, attempt) -> None:
    _, text = practice.export_review_file(attempt.id)
    foreign = fill(text, ownership=2).replace(attempt.uid, "f" * 32)
    with pytest.raises(NotFound, match="not in this story bank"):
        practice.import_review_file(foreign.encode(), "foreign.yaml")
    with pytest.raises(InvalidInput, match="UTF-8"):
        practice.import_review_file(b"\xff\xfe", "binary.yaml")


def test_calibration_shows_where_humans_and_the_analyzer_disagree(practice: Practice, attempt) -> None:
    practice.add_review(attempt.id, reviewer="Dana", scores={"ownership": 5, "brevity": 5})
    practice.add_review(attempt.id, reviewer="Sam", scores={"ownership": 4})
    result = practice.calibration()
    ownership = next(row for row in result.dimensions if row.dimension == "ownership")
    machine = analyzer_on_scale(attempt.analysis, REVIEW.dimensions[0])
    assert ownership.reviews == 2 and ownership.human_mean == 4.5
    assert ownership.mean_gap == round(4.5 - machine, 2) and "reviewers score higher" in ownership.reading
    assert all(pair.disagree for pair in result.disagreements)
    assert {pair.reviewer for pair in result.disagreements if pair.dimension == "ownership"} == {"Dana", "Sam"}
    assert set(result.to_dict()) == {"disagreement", "dimensions", "disagreements", "pairs"}


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([d.id for d in REVIEW.dimensions]), st.integers(1, 5), min_size=1))
def test_any_valid_scores_survive_the_review_file(scores: dict[str, int]) -> None:
    lines = ["format: storybank-review", "format_version: 1", f"attempt: {'a' * 32}", f"review: {'b' * 32}",
             "reviewer: Kim", "scores:"] + [f"  {name}: {value}" for name, value in scores.items()]
    parsed = parse_review_file("\n".join(lines) + "\n", "f.yaml", REVIEW)
    assert parsed.scores == check_scores(scores, REVIEW) and parsed.reviewer == "Kim"


def test_check_scores_keeps_the_profile_order() -> None:
    assert list(check_scores({"brevity": 3, "ownership": 1}, REVIEW)) == ["ownership", "brevity"]
    with pytest.raises(ReviewError):
        check_scores({"brevity": None}, REVIEW)


def test_review_cli(database_url: str, tmp_path: Path, monkeypatch) -> None:
    runner = CliRunner()
    answer = tmp_path / "answer.txt"
    answer.write_text(WEAK, encoding="utf-8")
    assert runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer", str(answer)]).exit_code == 0
    added = runner.invoke(app, ["review", "add", "1", "-r", "Dana", "-s", "ownership=3", "-c", "ownership=Say I.", "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["scores"] == {"ownership": 3}
    prompted = runner.invoke(app, ["review", "add", "1", "-r", "Sam"], input="2\n\n\n1\n5\n")
    assert prompted.exit_code == 0, prompted.output
    assert "1 = Only" in prompted.stdout
    monkeypatch.chdir(tmp_path)
    exported = runner.invoke(app, ["review", "export", "1"])
    assert exported.exit_code == 0 and "review import" in exported.stdout
    file = next(tmp_path.glob("review-1-*.yaml"))
    file.write_text(fill(file.read_text(encoding="utf-8"), ownership=4), encoding="utf-8")
    imported = runner.invoke(app, ["review", "import", str(file)])
    assert imported.exit_code == 0 and "saved for attempt 1" in imported.stdout
    assert "nothing recorded twice" in runner.invoke(app, ["review", "import", str(file)]).stdout
    listed = json.loads(runner.invoke(app, ["review", "list", "1", "--json"]).stdout)
    assert [review["reviewer"] for review in listed] == ["Dana", "Sam", "Dana"]
    calibration = runner.invoke(app, ["review", "calibration", "--json"])
    assert json.loads(calibration.stdout)["dimensions"][0]["reviews"] == 3
    assert runner.invoke(app, ["review", "calibration"]).exit_code == 0
    bad = runner.invoke(app, ["review", "add", "1", "-r", "Dana", "-s", "ownership"])
    assert bad.exit_code == 2 and "DIMENSION=VALUE" in bad.stderr
    missing = runner.invoke(app, ["review", "import", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
