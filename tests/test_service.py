"""The service layer: stories, versions, conflicts, trash, search and question links."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from storybank.errors import Conflict, InvalidInput, NotFound
from storybank.service import StoryBank
from storybank.settings import Settings

pytestmark = pytest.mark.storage

DECISIVE = (
    "I decided to move card disputes into a self-serve flow. Dispute handling time fell 38 %, "
    "saving $420k a year in support cost. I aligned legal, engineering and support and shipped it in 5 weeks."
)
VAGUE = "We worked on the payments page and the team improved things a lot. Everyone was happy with it."


class StepClock:
    """A clock that moves one second per call, so timestamps are distinct and predictable."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def bank(database_url: str):
    with StoryBank(Settings.from_env(), clock=StepClock()) as opened:
        yield opened


def test_new_story_is_version_one_with_its_analysis(bank: StoryBank) -> None:
    story = bank.add_story(title="Self-serve disputes", text=DECISIVE, principles=["relentless execution"], tags=["payments"])
    assert story.id >= 1 and story.version == 1
    assert story.kind == "impact"  # "auto" takes the detected kind
    assert story.principles == ("Relentless Execution",)  # spelled as the profile spells it
    assert story.verdict == "decisive" and story.score == story.analysis["score"]
    assert story.profile == "binance"
    assert bank.get_story(story.id) == story
    shape = story.to_dict()
    for key in ("id", "version", "title", "kind", "principles", "tags", "text", "score", "verdict", "analysis", "created_at", "updated_at"):
        assert key in shape


def test_text_is_stored_verbatim(bank: StoryBank) -> None:
    text = "  <b>I decided</b> to cut fees 3 %.\n\n\tSecond line — with “quotes” & emoji 🚀\n"
    story = bank.add_story(title="Markup", text=text)
    assert bank.get_story(story.id).text == text


def test_each_edit_adds_a_version_and_keeps_the_old_one(bank: StoryBank) -> None:
    story = bank.add_story(title="Disputes", text=VAGUE)
    edited = bank.edit_story(story.id, base_version=1, text=DECISIVE)
    assert edited.version == 2 and edited.verdict == "decisive"
    retitled = bank.edit_story(story.id, base_version=2, title="Self-serve disputes", tags=["support"])
    assert retitled.version == 3 and retitled.text == DECISIVE and retitled.tags == ("support",)
    history = bank.history(story.id)
    assert [v.version for v in history] == [1, 2, 3]
    assert history[0].text == VAGUE and history[0].verdict == "nice-talk"
    assert [v.change for v in history] == ["created", "edited", "edited"]
    assert history[2].analysis == history[1].analysis  # stored with each version


def test_a_stale_edit_is_a_conflict_and_writes_nothing(bank: StoryBank) -> None:
    story = bank.add_story(title="Disputes", text=VAGUE)
    bank.edit_story(story.id, base_version=1, text=DECISIVE)
    with pytest.raises(Conflict) as caught:
        bank.edit_story(story.id, base_version=1, title="Overwritten?")
    assert caught.value.current_version == 2
    assert "version 2" in str(caught.value)
    assert bank.get_story(story.id).title == "Disputes"
    assert len(bank.history(story.id)) == 2


def test_an_edit_that_changes_nothing_saves_no_version(bank: StoryBank) -> None:
    story = bank.add_story(title="Disputes", text=DECISIVE)
    assert bank.edit_story(story.id, base_version=1, text=DECISIVE).version == 1
    assert len(bank.history(story.id)) == 1


def test_concurrent_edits_from_the_same_version_one_wins(database_url: str) -> None:
    first = StoryBank(Settings.from_env())
    second = StoryBank(Settings.from_env())
    try:
        story = first.add_story(title="Race", text=VAGUE)
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def edit(bank: StoryBank, title: str) -> None:
            barrier.wait()
            try:
                bank.edit_story(story.id, base_version=1, title=title)
                outcomes.append("saved")
            except Conflict:
                outcomes.append("conflict")

        threads = [threading.Thread(target=edit, args=(b, t)) for b, t in ((first, "A"), (second, "B"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["conflict", "saved"]
        assert [v.version for v in first.history(story.id)] == [1, 2]
        assert first.get_story(story.id).title in ("A", "B")
    finally:
        first.close()
        second.close()


def test_diff_and_restore(bank: StoryBank) -> None:
    story = bank.add_story(title="Disputes", text=VAGUE)
    bank.edit_story(story.id, base_version=1, text=DECISIVE, title="Self-serve disputes")
    diff = bank.diff(story.id, 1, 2)
    assert {change.field for change in diff.fields} >= {"title", "verdict"}
    assert any(line.startswith("-We worked") for line in diff.text_diff)
    assert any(line.startswith("+I decided") for line in diff.text_diff)
    restored = bank.restore_version(story.id, 1)
    assert restored.version == 3 and restored.text == VAGUE and restored.title == "Disputes"
    assert restored.verdict == "nice-talk"
    last = bank.history(story.id)[-1]
    assert last.change == "restored" and last.restored_from == 1
    with pytest.raises(Conflict):
        bank.restore_version(story.id, 2, base_version=2)
    with pytest.raises(NotFound):
        bank.restore_version(story.id, 9)


def test_trash_undelete_and_purge(bank: StoryBank) -> None:
    kept = bank.add_story(title="Kept", text=DECISIVE)
    gone = bank.add_story(title="Confidential", text=VAGUE)
    bank.delete_story(gone.id)
    assert [s.id for s in bank.list_stories()] == [kept.id]
    assert [s.id for s in bank.list_trash()] == [gone.id]
    with pytest.raises(NotFound, match="trash"):
        bank.get_story(gone.id)
    with pytest.raises(NotFound):
        bank.edit_story(gone.id, base_version=1, title="x")
    assert bank.undelete_story(gone.id).deleted_at is None
    assert {s.id for s in bank.list_stories()} == {kept.id, gone.id}
    bank.delete_story(gone.id)
    assert bank.empty_trash() == 1
    with pytest.raises(NotFound):
        bank.history(gone.id)
    bank.purge_story(kept.id)
    assert bank.list_stories() == []
    newer = bank.add_story(title="After purge", text=VAGUE)
    assert newer.id > gone.id  # ids of purged stories are never reused


def test_list_filters_and_search(bank: StoryBank) -> None:
    a = bank.add_story(title="Self-serve disputes", text=DECISIVE, principles=["Relentless Execution"], tags=["Payments"])
    b = bank.add_story(title="Travel rule checks", text="I chose to add travel rule checks; we kept 95 % of transfers fast.", kind="risk", principles=["Risk-Aware Decision-Making"])
    bank.add_story(title="Page polish", text=VAGUE, kind="other")
    assert [s.id for s in bank.list_stories(kind="risk")] == [b.id]
    assert [s.id for s in bank.list_stories(principle="relentless execution")] == [a.id]
    assert [s.id for s in bank.list_stories(tag="payments")] == [a.id]
    assert [s.id for s in bank.list_stories(search="TRAVEL rule")] == [b.id]
    assert [s.id for s in bank.list_stories(search="self-serve 38")] == [a.id]
    assert bank.list_stories(search="100%_") == []  # LIKE wildcards are literal
    assert len(bank.list_stories(limit=2)) == 2 and bank.count_stories() == 3
    listed = bank.list_stories()[0].to_dict()
    assert set(listed) == {"id", "title", "kind", "version", "score", "verdict", "updated_at"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  ", "text": DECISIVE}, "title"),
        ({"title": "x" * 201, "text": DECISIVE}, "title"),
        ({"title": "T", "text": "   \n"}, "text"),
        ({"title": "T", "text": "a" * 100_001}, "text"),
        ({"title": "T", "text": "bad\x00byte"}, "text"),
        ({"title": "T", "text": DECISIVE, "kind": "heroic"}, "kind"),
        ({"title": "T", "text": DECISIVE, "principles": ["Moving fast"]}, "principles"),
        ({"title": "T", "text": DECISIVE, "profile": "no-such-profile"}, "profile"),
        ({"title": "T", "text": DECISIVE, "parts": {"mood": "great"}}, "parts"),
    ],
)
def test_bad_input_is_refused_with_the_field(bank: StoryBank, fields: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        bank.add_story(**fields)
    assert caught.value.field == field
    assert bank.list_stories() == []


def test_unknown_ids_are_not_found(bank: StoryBank) -> None:
    for call in (
        lambda: bank.get_story(404),
        lambda: bank.edit_story(404, base_version=1, title="x"),
        lambda: bank.history(404),
        lambda: bank.get_version(404, 1),
        lambda: bank.delete_story(404),
        lambda: bank.purge_story(404),
        lambda: bank.undelete_story(404),
    ):
        with pytest.raises(NotFound):
            call()


def test_question_links_and_overuse_warning(bank: StoryBank) -> None:
    story = bank.add_story(title="Disputes", text=DECISIVE)
    for number, fit in enumerate(["strong", "partial", "stretch", "strong"]):
        bank.link_question(story.id, f"Tell me about decision number {number}", fit=fit)
    again = bank.link_question(story.id, "Tell me about decision number 0", fit="stretch")
    assert again.fit == "stretch"
    assert len(bank.question_links(story.id)) == 4
    coverage = bank.coverage()
    assert coverage.overused_stories[0]["story_id"] == story.id
    assert "4 questions" in coverage.warnings[0]
    with pytest.raises(InvalidInput):
        bank.link_question(story.id, "Another question", fit="perfect")
    bank.unlink_question(again.id)
    assert len(bank.question_links(story.id)) == 3


def test_opening_the_store_twice_is_a_no_op(database_url: str) -> None:
    from storybank.store.database import current_revision, head_revision

    with StoryBank(Settings.from_env()) as first:
        first.add_story(title="Kept", text=DECISIVE)
    with StoryBank(Settings.from_env()) as second:
        assert current_revision(second.db.engine) == head_revision()
        assert len(second.list_stories()) == 1
