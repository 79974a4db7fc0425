"""Drills and reviews travel in the JSON backup: exported with their stories, imported into
another bank with story links kept by uid, imported twice without duplicates, and validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storybank.errors import InvalidInput
from storybank.practice_service import Practice
from storybank.service import StoryBank
from storybank.settings import Settings

pytestmark = pytest.mark.storage

ANSWER = "I decided to rebuild the fee page; churn fell 4.3 %, worth $1.1M a year."


def test_attempts_and_reviews_round_trip_through_the_backup(bank: StoryBank, stories: dict[str, int], tmp_path: Path) -> None:
    practice = Practice(bank)
    attempt = practice.run_drill("bn-reduced-churn", ANSWER, story_id=stories["churn"], probe_reply="I chose it myself.")
    practice.add_review(attempt.id, reviewer="Dana", scores={"ownership": 4}, comments={"ownership": "Clear."})
    document = bank.export_backup()
    section = document["practice"]
    assert [item["uid"] for item in section["attempts"]] == [attempt.uid]
    assert section["attempts"][0]["story_uid"] == bank.get_story(stories["churn"]).uid
    assert section["reviews"][0]["attempt_uid"] == attempt.uid and "attempt_id" not in section["reviews"][0]
    raw = json.dumps(document).encode()

    other_home = tmp_path / "other"
    other = StoryBank(Settings(home=other_home, database_url=f"sqlite:///{other_home / 'bank.db'}"))
    try:
        other.add_story(title="Taken id", text="I decided to do something else; costs fell 3 %.")
        result = other.import_backup(raw, "backup.json")
        assert "practice: 1 attempts and 1 reviews imported" in result.notes[0]
        moved = Practice(other).attempts()[0]
        assert moved.uid == attempt.uid and moved.answer == ANSWER and moved.analysis == attempt.analysis
        assert other.get_story(moved.story_id).uid == bank.get_story(stories["churn"]).uid
        assert Practice(other).reviews(moved.id)[0].scores == {"ownership": 4}
        again = other.import_backup(raw, "backup.json")
        assert "1 attempts and 1 reviews" not in again.notes[0] and "already present" in again.notes[0]
        assert len(Practice(other).attempts()) == 1 and len(Practice(other).reviews()) == 1
    finally:
        other.close()


def test_a_backup_without_a_practice_section_still_imports(bank: StoryBank) -> None:
    document = {"format": "storybank-backup", "format_version": 1, "stories": []}
    assert bank.import_backup(json.dumps(document).encode()).notes == ()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p["attempts"][0].update(mode="marathon"), r"practice.attempts\[0\].mode"),
        (lambda p: p["attempts"][0].update(colour="blue"), r"practice.attempts\[0\].colour: unknown field"),
        (lambda p: p["reviews"][0].update(attempt_uid="f" * 32), r"practice.reviews\[0\].attempt_uid"),
    ],
)
def test_a_broken_practice_section_names_the_field_and_writes_nothing(
    bank: StoryBank, stories: dict[str, int], tmp_path: Path, change, message
) -> None:
    practice = Practice(bank)
    attempt = practice.run_drill("bn-reduced-churn", ANSWER)
    practice.add_review(attempt.id, reviewer="Dana", scores={"ownership": 4})
    document = bank.export_backup()
    change(document["practice"])
    other_home = tmp_path / "other"
    other = StoryBank(Settings(home=other_home, database_url=f"sqlite:///{other_home / 'bank.db'}"))
    try:
        with pytest.raises(InvalidInput, match=message):
            other.import_backup(json.dumps(document).encode(), "backup.json")
        assert other.list_stories() == [] and Practice(other).attempts() == []
    finally:
        other.close()
