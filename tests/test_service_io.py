"""Export and import: the JSON backup and Markdown files round-trip exactly; a malformed file
aborts the whole import with a message naming the file and line, and nothing is written."""

from __future__ import annotations

import json
import string
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storybank.analysis.builder import PART_KEYS
from storybank.errors import Conflict, InvalidInput
from storybank.service import StoryBank
from storybank.settings import Settings

STRONG = (
    "I decided to split the KYC queue by risk score. Review time fell 44 %, worth $270k a year. "
    "I aligned compliance, data and ops and shipped it in 6 weeks."
)
WEAK = "We helped the compliance team with their queue and it went well."
PRINCIPLES = ["Relentless Execution", "Customer-First Innovation", "Risk-Aware Decision-Making"]


class StepClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 4, 1, 8, 30, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7, microseconds=1234)
        return self.now


def open_bank(url: str) -> StoryBank:
    return StoryBank(Settings(home=Path(tempfile.gettempdir()), database_url=url), clock=StepClock())


def snapshot(bank: StoryBank) -> dict:
    """Everything an export must carry: each story (trash too), its versions and its links."""
    ids = [s.id for s in bank.list_stories()] + [s.id for s in bank.list_trash()]
    return {
        story_id: {
            "story": bank.get_story(story_id, include_trashed=True),
            "versions": bank.history(story_id),
            "links": [(l.question_ref, l.question, l.fit, l.created_at) for l in bank.question_links(story_id)],
        }
        for story_id in sorted(ids)
    }


def populate(bank: StoryBank) -> None:
    first = bank.add_story(title="KYC queue", text=WEAK, principles=["Risk-Aware Decision-Making"], tags=["kyc"])
    bank.edit_story(first.id, base_version=1, text=STRONG, company="Exchange Co")
    bank.restore_version(first.id, 1)
    bank.link_question(first.id, "Tell me about a risk trade-off.", fit="partial", question_id="bn-risk-01")
    second = bank.add_story(title="Trashed one", text=STRONG, kind="risk", parts={"decision": "split the queue"})
    bank.delete_story(second.id)


@pytest.mark.storage
def test_json_backup_round_trips_into_an_empty_store(database_url: str, tmp_path: Path) -> None:
    source = open_bank(database_url)
    populate(source)
    backup = source.export_json(tmp_path / "backup.json")
    before = snapshot(source)
    for story_id in before:
        source.purge_story(story_id)
    result = source.import_path(backup)
    assert sorted(result.created) == sorted(before) and result.versions == 4
    assert snapshot(source) == before
    again = source.import_path(backup)
    assert again.created == () and len(again.skipped) == 2
    source.close()


@pytest.mark.storage
def test_a_backup_moves_between_engines(database_url: str, tmp_path: Path) -> None:
    laptop = open_bank(f"sqlite:///{tmp_path / 'laptop.db'}")
    populate(laptop)
    backup = laptop.export_json(tmp_path / "backup.json")
    server = open_bank(database_url)
    server.import_path(backup)
    assert snapshot(server) == snapshot(laptop)
    newer = server.add_story(title="Written on the server", text=STRONG)
    assert newer.id > max(snapshot(laptop))  # id sequences moved past the imported ids
    laptop.close()
    server.close()


@pytest.mark.storage
def test_markdown_export_round_trips_the_latest_versions(database_url: str, tmp_path: Path) -> None:
    bank = open_bank(database_url)
    populate(bank)
    files = bank.export_markdown(tmp_path / "md")
    assert len(files) == 1  # stories in the trash stay out of the Markdown export
    text = files[0].read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: KYC queue\n") and text.endswith(WEAK)
    live = bank.get_story(bank.list_stories()[0].id)
    bank.purge_story(live.id)
    result = bank.import_path(tmp_path / "md")
    assert result.created == (live.id,)
    assert bank.get_story(live.id) == live
    assert [v.version for v in bank.history(live.id)] == [live.version]
    bank.close()


def test_markdown_keeps_unusual_line_breaks_in_the_fields(tmp_path: Path, storybank_home: Path) -> None:
    bank = open_bank(f"sqlite:///{tmp_path / 'bank.db'}")
    parts = {"decision": "cut fees\x85for new traders", "kpi": "churn\u2028fell\u2029 4 %"}
    story = bank.add_story(title="Line\x85breaks", text="I cut fees.\x85Churn fell 4 %.", parts=parts)
    (file,) = bank.export_markdown(tmp_path / "md")
    bank.purge_story(story.id)
    bank.import_path(file)
    assert bank.get_story(story.id) == story
    bank.close()


@pytest.mark.storage
def test_markdown_re_import_adds_a_version_or_reports_a_conflict(tmp_path: Path, database_url: str) -> None:
    bank = open_bank(database_url)
    story = bank.add_story(title="KYC queue", text=WEAK)
    [path] = bank.export_markdown(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(WEAK, STRONG), encoding="utf-8")
    assert bank.import_path(path).updated == (story.id,)
    assert bank.get_story(story.id).version == 2 and bank.get_story(story.id).text == STRONG
    assert bank.import_path(path).skipped  # unchanged now
    path.write_text(path.read_text(encoding="utf-8").replace(STRONG, STRONG + " More."), encoding="utf-8")
    with pytest.raises(Conflict, match=r"line \d+: based on version 1"):
        bank.import_path(path)
    assert bank.get_story(story.id).version == 2
    bank.close()


@pytest.mark.parametrize(
    ("name", "content", "line", "words"),
    [
        ("kind.md", "---\ntitle: A\nprincipals: []\n---\nI decided.", 3, "unknown field"),
        ("unknown-kind.md", "---\ntitle: A\n\nkind: heroic\n---\nI decided.", 4, "heroic"),
        ("yaml.md", "---\ntitle: A\ntags: [one, two\n---\nI decided.", 4, "malformed front matter"),
        ("unclosed.md", "---\ntitle: A\nI decided.", 1, "never closed"),
        ("no-title.md", "---\nkind: impact\n---\nI decided.", 2, "title"),
        ("list.md", "---\n- just\n- a list\n---\nI decided.", 2, "mapping"),
        ("empty-text.md", "---\ntitle: A\n---\n   \n", 4, "empty"),
        ("principle.md", "---\ntitle: A\nprinciples: [Moving fast]\n---\nI decided.", 3, "Moving fast"),
    ],
)
def test_a_malformed_file_aborts_the_import_naming_file_and_line(
    tmp_path: Path, storybank_home: Path, name: str, content: str, line: int, words: str
) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "0-fine.md").write_text("---\ntitle: Fine\n---\n" + STRONG, encoding="utf-8")
    (folder / name).write_text(content, encoding="utf-8")
    with StoryBank(Settings.from_env()) as bank:
        with pytest.raises(InvalidInput) as caught:
            bank.import_path(folder)
        message = str(caught.value)
        assert message.startswith(f"{folder / name}: line {line}:"), message
        assert words in message
        assert caught.value.line == line
        assert bank.list_stories() == []


def test_invalid_utf8_names_file_and_line(tmp_path: Path, storybank_home: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(b"---\ntitle: A\n---\nfirst line\nsecond line caf\xe9\n")
    with StoryBank(Settings.from_env()) as bank:
        with pytest.raises(InvalidInput, match=r"latin1\.md: line 5: invalid UTF-8"):
            bank.import_path(path)


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ("{not json", "line 1: malformed JSON"),
        ('{"format": "other", "format_version": 1, "stories": []}', "not a storybank backup"),
        ('{"format": "storybank-backup", "format_version": 99, "stories": []}', "newer than this storybank"),
        ('{"format": "storybank-backup", "format_version": 1, "stories": [{"id": 1}]}', "stories[0].uid"),
        ('[1, 2]', "expected a storybank backup object"),
    ],
)
def test_a_malformed_backup_is_refused(tmp_path: Path, storybank_home: Path, document: str, words: str) -> None:
    path = tmp_path / "backup.json"
    path.write_text(document, encoding="utf-8")
    with StoryBank(Settings.from_env()) as bank:
        with pytest.raises(InvalidInput) as caught:
            bank.import_path(path)
        assert words in str(caught.value) and str(path) in str(caught.value)


def test_a_bad_story_deep_in_a_backup_writes_nothing(tmp_path: Path, storybank_home: Path) -> None:
    with StoryBank(Settings.from_env()) as bank:
        bank.add_story(title="One", text=STRONG)
        bank.add_story(title="Two", text=WEAK)
        document = bank.export_backup()
        for story_id in [s.id for s in bank.list_stories()]:
            bank.purge_story(story_id)
        document["stories"][1]["versions"][0]["kind"] = "heroic"
        path = tmp_path / "backup.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        with pytest.raises(InvalidInput, match=r"stories\[1\]\.versions\[0\]\.kind: unknown kind 'heroic'"):
            bank.import_path(path)
        assert bank.list_stories() == [] and bank.list_trash() == []


def test_import_refuses_other_paths(tmp_path: Path, storybank_home: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    with StoryBank(Settings.from_env()) as bank:
        for path, words in ((tmp_path / "notes.txt", "expected a .json backup"), (tmp_path / "empty", "no .md files"), (tmp_path / "missing", "no such file")):
            with pytest.raises(InvalidInput, match=words):
                bank.import_path(path)


# --- property: export then import into an empty store gives identical stories and versions ----

TEXT_ALPHABET = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
texts = st.text(TEXT_ALPHABET, min_size=1, max_size=300).filter(lambda t: t.strip())
labels = st.text(string.ascii_letters + string.digits + " -éü", min_size=1, max_size=20).filter(lambda t: t.strip())
edits = st.fixed_dictionaries(
    {},
    optional={
        "title": labels,
        "text": texts,
        "tags": st.lists(labels, max_size=3),
        "kind": st.sampled_from(["impact", "failure", "risk", "conflict", "customer", "other", "auto"]),
    },
)
stories = st.fixed_dictionaries(
    {
        "title": st.text(TEXT_ALPHABET, min_size=1, max_size=60).filter(lambda t: t.strip()),
        "text": texts,
        "kind": st.sampled_from(["impact", "failure", "risk", "conflict", "customer", "other", "auto"]),
        "principles": st.lists(st.sampled_from(PRINCIPLES), max_size=3, unique=True),
        "tags": st.lists(labels, max_size=4),
        "company": st.none() | labels,
        "parts": st.dictionaries(st.sampled_from(PART_KEYS), texts, max_size=3),
        "edits": st.lists(edits, max_size=3),
        "restore": st.booleans(),
        "trash": st.booleans(),
        "links": st.lists(st.tuples(texts, st.sampled_from(["strong", "partial", "stretch"])), max_size=2),
    }
)


def build_bank(bank: StoryBank, drafts: list[dict]) -> None:
    for draft in drafts:
        story = bank.add_story(**{k: draft[k] for k in ("title", "text", "kind", "principles", "tags", "company", "parts")})
        for change in draft["edits"]:
            story = bank.edit_story(story.id, base_version=story.version, **change)
        if draft["restore"] and story.version > 1:
            story = bank.restore_version(story.id, 1)
        for question, fit in draft["links"]:
            bank.link_question(story.id, question, fit=fit)
        if draft["trash"]:
            bank.delete_story(story.id)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(drafts=st.lists(stories, min_size=1, max_size=4))
def test_export_then_import_gives_identical_stories_and_versions(drafts: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = open_bank(f"sqlite:///{Path(folder) / 'source.db'}")
        target = open_bank(f"sqlite:///{Path(folder) / 'target.db'}")
        try:
            build_bank(source, drafts)
            backup = source.export_json(Path(folder) / "backup.json")
            target.import_path(backup)
            assert snapshot(target) == snapshot(source)
            markdown = source.export_markdown(Path(folder) / "md")
            fresh = open_bank(f"sqlite:///{Path(folder) / 'fresh.db'}")
            try:
                if markdown:
                    fresh.import_path(Path(folder) / "md")
                assert {s.id: s for s in map(fresh.get_story, [x.id for x in fresh.list_stories()])} == {
                    s.id: source.get_story(s.id) for s in source.list_stories()
                }
            finally:
                fresh.close()
        finally:
            source.close()
            target.close()
