"""The service layer: every use case of the story bank, called by the web UI and the CLI.

`StoryBank(settings)` opens the store (applying pending migrations) and offers explicit
methods that take plain values and return plain records (see `storybank.records`). Errors
are typed (`storybank.errors`): `NotFound`, `Conflict`, `InvalidInput`.

    with StoryBank(Settings.from_env()) as bank:
        story = bank.add_story(title="Quote latency", text="I decided ...")
        story = bank.edit_story(story.id, base_version=story.version, text="I decided ...")
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storybank.errors import Conflict, InvalidInput, NotFound
from storybank.records import (
    QUESTION_FITS,
    FieldChange,
    ImportResult,
    QuestionLink,
    Story,
    StoryDiff,
    StorySummary,
    StoryVersion,
)
from storybank.rubric.vocabulary import STORY_KINDS
from storybank.settings import Settings

if TYPE_CHECKING:
    from storybank.analysis.builder import BuiltStory, PartSpec
    from storybank.coverage import Coverage
    from storybank.interchange import MarkdownStory
    from storybank.readiness import PracticeSummary, Readiness
    from storybank.rubric.models import Profile
    from storybank.store.database import Database

MAX_TEXT_CHARS = 100_000
MAX_TITLE_CHARS = 200
MAX_LABEL_CHARS = 100
MAX_LABELS = 30
MAX_PART_CHARS = 2_000
KIND_CHOICES = (*STORY_KINDS, "auto")
ANALYZED_FIELDS = ("text", "kind", "profile")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)


# --- input checks (pure) ---------------------------------------------------------------------


def _no_nul(value: str, field: str) -> str:
    if "\x00" in value:
        raise InvalidInput(f"{field}: contains a NUL character", field=field)
    return value


def clean_title(title: str | None) -> str:
    """A title on one line, trimmed; refuses empty or over-long titles."""
    cleaned = " ".join(_no_nul(title or "", "title").split())
    if not cleaned:
        raise InvalidInput("title: a story needs a title", field="title")
    if len(cleaned) > MAX_TITLE_CHARS:
        raise InvalidInput(f"title: {len(cleaned)} characters; the limit is {MAX_TITLE_CHARS}", field="title")
    return cleaned


def clean_text(text: str | None) -> str:
    """The story text verbatim; refuses empty, binary or over-long texts."""
    value = _no_nul(text or "", "text")
    if not value.strip():
        raise InvalidInput("text: empty; a story needs its text", field="text")
    if len(value) > MAX_TEXT_CHARS:
        raise InvalidInput(f"text: {len(value):,} characters; the limit is {MAX_TEXT_CHARS:,}", field="text")
    return value


def clean_kind(kind: str | None) -> str:
    """A story kind or `auto`."""
    value = (kind or "auto").strip().lower()
    if value not in KIND_CHOICES:
        raise InvalidInput(f"kind: unknown kind {kind!r}; expected one of {', '.join(KIND_CHOICES)}", field="kind")
    return value


def clean_labels(labels: Iterable[str] | None, field: str) -> list[str]:
    """Tags or principles trimmed, on one line, without case-insensitive duplicates."""
    if isinstance(labels, str):
        labels = [labels]
    seen: set[str] = set()
    cleaned: list[str] = []
    for label in labels or ():
        if not isinstance(label, str):
            raise InvalidInput(f"{field}: expected text, got {type(label).__name__}", field=field)
        value = " ".join(_no_nul(label, field).split())
        if not value:
            continue
        if len(value) > MAX_LABEL_CHARS:
            raise InvalidInput(f"{field}: {value[:30]!r}… is over {MAX_LABEL_CHARS} characters", field=field)
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            cleaned.append(value)
    if len(cleaned) > MAX_LABELS:
        raise InvalidInput(f"{field}: {len(cleaned)} given; the limit is {MAX_LABELS}", field=field)
    return cleaned


def clean_company(company: str | None) -> str | None:
    """An optional company name on one line."""
    value = " ".join(_no_nul(company or "", "company").split())
    if len(value) > MAX_TITLE_CHARS:
        raise InvalidInput(f"company: over {MAX_TITLE_CHARS} characters", field="company")
    return value or None


def clean_parts(parts: dict[str, Any] | None) -> dict[str, str]:
    """The builder's structured parts: known keys only, text values, blanks dropped."""
    from storybank.analysis.builder import PART_KEYS

    cleaned: dict[str, str] = {}
    for key, value in (parts or {}).items():
        if key not in PART_KEYS:
            raise InvalidInput(f"parts: unknown part {key!r}; expected {', '.join(PART_KEYS)}", field="parts")
        if value is None:
            continue
        if not isinstance(value, str):
            raise InvalidInput(f"parts.{key}: expected text", field="parts")
        text = _no_nul(value, "parts").strip()
        if len(text) > MAX_PART_CHARS:
            raise InvalidInput(f"parts.{key}: over {MAX_PART_CHARS} characters", field="parts")
        if text:
            cleaned[key] = text
    return cleaned


def canonical_principles(requested: Sequence[str], profile: "Profile") -> list[str]:
    """Principle names as the profile spells them; unknown names are refused with the choices."""
    known = {name.casefold(): name for name in profile.principle_names()}
    result = []
    for name in requested:
        match = known.get(name.casefold())
        if match is None:
            choices = ", ".join(profile.principle_names()) or "(this profile names none)"
            raise InvalidInput(
                f"principles: {name!r} is not a principle of profile {profile.name!r}; choose from: {choices}",
                field="principles",
            )
        if match not in result:
            result.append(match)
    return result


def activate_profile(settings: Settings, name: str) -> str:
    """Validate a profile and write it as the active one (see `StoryBank.use_profile`).

    Needs no open store, so `storybank profile use` works even before the bank exists.
    """
    from storybank.rubric.loader import ProfileError, load_profile

    chosen = _no_nul(name or "", "profile").strip()
    if not chosen:
        raise InvalidInput("profile: name a profile to use", field="profile")
    try:
        load_profile(chosen)
    except ProfileError as error:
        raise InvalidInput(str(error), field="profile") from error
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        settings.active_profile_file.write_text(f"{chosen}\n", encoding="utf-8")
    except OSError as error:
        raise InvalidInput(
            f"{settings.active_profile_file}: cannot be written ({error.strerror or error})", field="profile"
        ) from error
    return chosen


def diff_versions(older: StoryVersion, newer: StoryVersion) -> StoryDiff:
    """What changed from one version to another: fields, and the text as a unified diff."""
    fields = []
    for name in ("title", "kind", "profile", "company", "principles", "tags", "parts", "verdict"):
        before, after = getattr(older, name), getattr(newer, name)
        if before != after:
            fields.append(FieldChange(name, _plain(before), _plain(after)))
    text_diff = tuple(
        line.rstrip("\n")
        for line in difflib.unified_diff(
            older.text.splitlines(keepends=True),
            newer.text.splitlines(keepends=True),
            fromfile=f"version {older.version}",
            tofile=f"version {newer.version}",
        )
    )
    return StoryDiff(
        story_id=newer.story_id,
        from_version=older.version,
        to_version=newer.version,
        fields=tuple(fields),
        text_diff=text_diff,
        score_change=round(newer.score - older.score, 1),
    )


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


# --- the service -----------------------------------------------------------------------------


class StoryBank:
    """The story bank's use cases over one open store."""

    def __init__(self, settings: Settings | None = None, *, clock: Clock = utc_now) -> None:
        from storybank.store.database import Database

        self.settings = settings or Settings.from_env()
        self.clock = clock
        self.db: Database = Database(self.settings.database_url)

    @classmethod
    def open(cls, settings: Settings | None = None) -> "StoryBank":
        """Open the store named by `settings` (default: from the environment)."""
        return cls(settings)

    def close(self) -> None:
        """Release the database connections."""
        self.db.close()

    def __enter__(self) -> "StoryBank":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- profiles and analysis ----------------------------------------------------------------

    def default_profile(self) -> str:
        """The active profile's name (`binance` unless the user chose another)."""
        return self.settings.active_profile()

    def load_profile(self, name: str | None = None) -> "Profile":
        """A profile by name or path (default: the active one); `InvalidInput` when unusable."""
        from storybank.rubric.loader import ProfileError, load_profile

        try:
            return load_profile(name or self.default_profile())
        except ProfileError as error:
            raise InvalidInput(str(error), field="profile") from error

    def use_profile(self, name: str) -> str:
        """Make a profile (a name or a file path) the default for later commands and pages.

        The profile is loaded first: one that cannot load is refused (`InvalidInput`) and the
        active profile stays as it was. Returns the name written.
        """
        return activate_profile(self.settings, name)

    def _profile_reference(self, name: str | None) -> tuple[str, "Profile"]:
        """The string to store for a profile (its name, or an absolute path) and the profile."""
        requested = (name or self.default_profile()).strip()
        profile = self.load_profile(requested)
        if requested.endswith((".yaml", ".yml")) or "/" in requested or "\\" in requested:
            return str(Path(requested).expanduser().resolve()), profile
        return requested, profile

    def analyze(self, text: str, profile: "str | Profile | None" = None, kind: str = "auto") -> dict[str, Any]:
        """The analyzer's JSON object for a text (the same as `storybank analyze --json`)."""
        import storybank

        resolved = profile if profile is not None and not isinstance(profile, str) else self.load_profile(profile)
        return storybank.analyze(clean_text(text), profile=resolved, kind=clean_kind(kind)).to_dict()

    def builder_parts(self, kind: str = "impact", profile: str | None = None) -> "tuple[PartSpec, ...]":
        """The parts the guided builder asks for a story of `kind`, in order, worded by the
        profile (default: the active one)."""
        from storybank.analysis.builder import parts_for

        kind = clean_kind(kind)
        return parts_for("impact" if kind == "auto" else kind, self.load_profile(profile))

    def build(self, parts: dict[str, str | None], kind: str = "impact", profile: str | None = None) -> "BuiltStory":
        """Assemble a DMA answer and an opening line from the guided builder's parts; skipped
        parts become the profile's placeholders (default: the active profile)."""
        from storybank.analysis.builder import assemble

        cleaned = clean_parts(parts)
        kind = clean_kind(kind)
        return assemble(cleaned, "impact" if kind == "auto" else kind, self.load_profile(profile))

    def _content(
        self,
        *,
        title: str,
        text: str,
        kind: str,
        principles: Sequence[str],
        tags: Sequence[str],
        profile: str | None,
        company: str | None,
        parts: dict[str, str] | None,
        previous: Story | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Validated content of a version and its analysis (reused when nothing analyzed changed)."""
        profile_ref, profile_model = self._profile_reference(profile)
        content = {
            "title": clean_title(title),
            "text": clean_text(text),
            "profile": profile_ref,
            "company": clean_company(company),
            "principles": canonical_principles(clean_labels(principles, "principles"), profile_model),
            "tags": clean_labels(tags, "tags"),
            "parts": clean_parts(parts),
        }
        requested_kind = clean_kind(kind)
        if previous is not None and (previous.text, previous.profile, previous.kind) == (
            content["text"], profile_ref, requested_kind
        ):  # nothing the analyzer reads has changed: keep the stored analysis
            content.update(kind=previous.kind, score=previous.score, verdict=previous.verdict)
            return content, previous.analysis
        import storybank

        report = storybank.analyze(content["text"], profile=profile_model, kind=requested_kind)
        analysis = report.to_dict()
        content.update(kind=analysis["kind"], score=float(analysis["score"]), verdict=analysis["verdict"])
        return content, analysis

    # --- stories ------------------------------------------------------------------------------

    def add_story(
        self,
        *,
        title: str,
        text: str,
        kind: str = "auto",
        principles: Sequence[str] = (),
        tags: Sequence[str] = (),
        profile: str | None = None,
        company: str | None = None,
        parts: dict[str, str] | None = None,
    ) -> Story:
        """Save a new story as version 1, with its analysis. `kind="auto"` takes the detected kind."""
        from storybank.store import repository

        content, analysis = self._content(
            title=title, text=text, kind=kind, principles=principles, tags=tags,
            profile=profile, company=company, parts=parts,
        )
        now = self.clock()
        with self.db.write() as conn:
            story_id = repository.insert_story(
                conn, uid=uuid.uuid4().hex, version=1, content=content, created_at=now, updated_at=now
            )
            repository.insert_version(
                conn, story_id=story_id, version=1, content=content, analysis=analysis, change="created", created_at=now
            )
            return self._fetch(conn, story_id)

    def _fetch(self, conn: Any, story_id: int, *, include_trashed: bool = True) -> Story:
        from storybank.store import repository

        story = repository.fetch_story(conn, story_id)
        if story is None or (story.in_trash and not include_trashed):
            where = " (it is in the trash; `story undelete` brings it back)" if story is not None else ""
            raise NotFound(f"no story {story_id}{where}")
        return story

    def get_story(self, story_id: int, *, include_trashed: bool = False) -> Story:
        """A story's latest version; `NotFound` when there is none (or it is in the trash)."""
        with self.db.read() as conn:
            return self._fetch(conn, story_id, include_trashed=include_trashed)

    def list_stories(
        self,
        *,
        kind: str | None = None,
        principle: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StorySummary]:
        """Stories not in the trash, most recently updated first, filtered by every given criterion.

        `search` matches every word (case-insensitive) in the title, the text or the company.
        """
        from storybank.store import repository

        if kind is not None and kind not in STORY_KINDS:
            raise InvalidInput(f"kind: unknown kind {kind!r}; expected one of {', '.join(STORY_KINDS)}", field="kind")
        if (limit is not None and limit < 0) or offset < 0:
            raise InvalidInput("limit and offset must not be negative", field="limit")
        with self.db.read() as conn:
            return repository.list_summaries(
                conn, kind=kind, principle=principle, tag=tag, search=search, limit=limit, offset=offset
            )

    def count_stories(
        self, *, kind: str | None = None, principle: str | None = None, tag: str | None = None, search: str | None = None
    ) -> int:
        """How many stories (not in the trash) match the filters."""
        from storybank.store import repository

        with self.db.read() as conn:
            return repository.count_stories(conn, kind=kind, principle=principle, tag=tag, search=search)

    def edit_story(
        self,
        story_id: int,
        *,
        base_version: int,
        title: str | None = None,
        text: str | None = None,
        kind: str | None = None,
        principles: Sequence[str] | None = None,
        tags: Sequence[str] | None = None,
        profile: str | None = None,
        company: str | None = None,
        parts: dict[str, str] | None = None,
    ) -> Story:
        """Save an edit as a new version. Omitted fields (None) keep their values.

        `base_version` is the version the edit was made from; when the story has moved on,
        `Conflict` is raised and nothing is written. An edit that changes nothing saves no version.
        """
        current = self.get_story(story_id)
        content, analysis = self._content(
            title=current.title if title is None else title,
            text=current.text if text is None else text,
            kind=current.kind if kind is None else kind,
            principles=current.principles if principles is None else principles,
            tags=current.tags if tags is None else tags,
            profile=current.profile if profile is None else profile,
            company=current.company if company is None else company,
            parts=current.parts if parts is None else parts,
            previous=current,
        )
        return self._save_version(current, base_version, content, analysis, change="edited")

    def _save_version(
        self,
        current: Story,
        base_version: int,
        content: dict[str, Any],
        analysis: dict[str, Any],
        *,
        change: str,
        restored_from: int | None = None,
    ) -> Story:
        from storybank.store import repository

        if _same_content(current, content):
            return current  # nothing changed, or a repeated submission of what is already saved
        if base_version != current.version:
            raise _conflict(current.id, base_version, current.version)
        now = self.clock()
        with self.db.write() as conn:
            if not repository.advance_story(conn, current.id, base_version=base_version, content=content, updated_at=now):
                state = repository.story_version_number(conn, current.id)
                if state is None:
                    raise NotFound(f"no story {current.id}")
                if state[1] is not None:
                    raise NotFound(f"no story {current.id} (it is in the trash; `story undelete` brings it back)")
                raise _conflict(current.id, base_version, state[0])
            repository.insert_version(
                conn, story_id=current.id, version=base_version + 1, content=content, analysis=analysis,
                change=change, restored_from=restored_from, created_at=now,
            )
            return self._fetch(conn, current.id)

    # --- versions -----------------------------------------------------------------------------

    def history(self, story_id: int) -> list[StoryVersion]:
        """Every version of a story (trashed ones too), oldest first."""
        from storybank.store import repository

        with self.db.read() as conn:
            versions = repository.fetch_versions(conn, story_id)
        if not versions:
            raise NotFound(f"no story {story_id}")
        return versions

    def get_version(self, story_id: int, version: int) -> StoryVersion:
        """One version of a story."""
        from storybank.store import repository

        with self.db.read() as conn:
            found = repository.fetch_version(conn, story_id, version)
            if found is None:
                if repository.story_version_number(conn, story_id) is None:
                    raise NotFound(f"no story {story_id}")
                raise NotFound(f"story {story_id} has no version {version}")
            return found

    def diff(self, story_id: int, from_version: int, to_version: int) -> StoryDiff:
        """The changes from one version of a story to another."""
        return diff_versions(self.get_version(story_id, from_version), self.get_version(story_id, to_version))

    def restore_version(self, story_id: int, version: int, *, base_version: int | None = None) -> Story:
        """Save an old version's content as the newest version (history keeps everything).

        With `base_version`, a story that has moved on raises `Conflict`.
        """
        current = self.get_story(story_id)
        old = self.get_version(story_id, version)
        content = {
            "title": old.title, "kind": old.kind, "profile": old.profile, "company": old.company,
            "principles": list(old.principles), "tags": list(old.tags), "text": old.text,
            "parts": dict(old.parts), "score": old.score, "verdict": old.verdict,
        }
        base = current.version if base_version is None else base_version
        if base != current.version:
            raise _conflict(story_id, base, current.version)
        if _same_content(current, content):
            return current
        return self._save_version(current, base, content, old.analysis, change="restored", restored_from=version)

    # --- trash --------------------------------------------------------------------------------

    def delete_story(self, story_id: int) -> Story:
        """Move a story to the trash; `undelete_story` brings it back."""
        from storybank.store import repository

        with self.db.write() as conn:
            story = self._fetch(conn, story_id, include_trashed=False)
            repository.set_deleted(conn, story_id, self.clock())
            return self._fetch(conn, story.id)

    def list_trash(self) -> list[StorySummary]:
        """Stories in the trash, most recently updated first."""
        from storybank.store import repository

        with self.db.read() as conn:
            return repository.list_summaries(conn, trashed=True)

    def undelete_story(self, story_id: int) -> Story:
        """Bring a story back from the trash."""
        from storybank.store import repository

        with self.db.write() as conn:
            story = self._fetch(conn, story_id)
            if not story.in_trash:
                raise InvalidInput(f"story {story_id} is not in the trash", field="id")
            repository.set_deleted(conn, story_id, None)
            return self._fetch(conn, story_id)

    def purge_story(self, story_id: int) -> None:
        """Delete a story and every version for good (for confidential stories)."""
        from storybank.store import repository

        with self.db.write() as conn:
            self._fetch(conn, story_id)
            repository.purge_story(conn, story_id)

    def empty_trash(self) -> int:
        """Delete every story in the trash for good; returns how many."""
        from storybank.store import repository

        with self.db.write() as conn:
            ids = repository.trashed_story_ids(conn)
            for story_id in ids:
                repository.purge_story(conn, story_id)
            return len(ids)

    # --- question fit -------------------------------------------------------------------------

    def link_question(
        self, story_id: int, question: str, *, fit: str = "strong", question_id: str | None = None
    ) -> QuestionLink:
        """Plan a story as the answer to a question with a fit (strong / partial / stretch).

        Linking the same question again changes the fit.
        """
        from storybank.store import repository

        if fit not in QUESTION_FITS:
            raise InvalidInput(f"fit: expected one of {', '.join(QUESTION_FITS)}", field="fit")
        text = " ".join(_no_nul(question or "", "question").split())
        if not text:
            raise InvalidInput("question: empty", field="question")
        reference = (question_id or "").strip() or text.casefold()[:300]
        with self.db.write() as conn:
            self._fetch(conn, story_id, include_trashed=False)
            return repository.upsert_question_link(
                conn, story_id=story_id, question_ref=reference, question=text, fit=fit, created_at=self.clock()
            )

    def unlink_question(self, link_id: int) -> None:
        """Remove a question link."""
        from storybank.store import repository

        with self.db.write() as conn:
            if not repository.delete_question_link(conn, link_id):
                raise NotFound(f"no question link {link_id}")

    def question_links(self, story_id: int | None = None) -> list[QuestionLink]:
        """Question links of one story, or of every story not in the trash."""
        from storybank.store import repository

        with self.db.read() as conn:
            if story_id is not None:
                self._fetch(conn, story_id)
            return repository.fetch_question_links(conn, story_id)

    # --- coverage and readiness ---------------------------------------------------------------

    def _stories_for_profile(self, profile: "Profile", profile_name: str) -> list[Story]:
        """Active stories, re-analysed (in memory only) where they were saved under another profile."""
        import storybank
        from storybank.store import repository

        with self.db.read() as conn:
            stories = repository.fetch_active_stories(conn)
        result = []
        for story in stories:
            if story.profile != profile_name:
                analysis = storybank.analyze(story.text, profile=profile, kind=story.kind).to_dict()
                principles = [name for name in story.principles if name in profile.principle_names()]
                story = replace(story, analysis=analysis, score=float(analysis["score"]), verdict=analysis["verdict"], principles=tuple(principles))
            result.append(story)
        return result

    def coverage(self, profile: str | None = None) -> "Coverage":
        """The principles × stories matrix for a profile (default: the active one) and its gaps."""
        from storybank.coverage import compute_coverage

        profile_name, profile_model = self._profile_reference(profile)
        stories = self._stories_for_profile(profile_model, profile_name)
        return compute_coverage(
            stories, profile_model.principle_names(), profile=profile_name, links=self.question_links(),
            thresholds=profile_model.readiness.coverage, texts=profile_model.readiness.gaps,
        )

    def practice_summary(self) -> "PracticeSummary | None":
        """What the practice records (drills, probe replies, reviews) say for readiness."""
        from storybank.practice_service import Practice

        return Practice(self).summary()

    def readiness(self, profile: str | None = None) -> "Readiness":
        """The interview-ready checklist for a profile (default: the active one)."""
        from storybank.coverage import compute_coverage
        from storybank.readiness import compute_readiness

        profile_name, profile_model = self._profile_reference(profile)
        stories = self._stories_for_profile(profile_model, profile_name)
        coverage = compute_coverage(
            stories, profile_model.principle_names(), profile=profile_name, thresholds=profile_model.readiness.coverage
        )
        return compute_readiness(
            stories, coverage, practice=self.practice_summary(),
            rules=profile_model.readiness, opening_seconds=profile_model.limits.opening_seconds,
        )

    # --- export and import --------------------------------------------------------------------

    def export_backup(self) -> dict[str, Any]:
        """A full backup (every story, trashed ones too, with every version and question link,
        and every drill and review)."""
        from storybank.interchange import backup_document, story_to_backup
        from storybank.practice_service import export_practice_section
        from storybank.store import repository

        with self.db.read() as conn:
            stories = repository.fetch_stories(conn, include_trashed=True)
            versions = repository.fetch_versions_for(conn, [story.id for story in stories])
            links: dict[int, list[QuestionLink]] = {}
            for link in repository.fetch_question_links(conn, include_trashed=True):
                links.setdefault(link.story_id, []).append(link)
            practice = export_practice_section(conn)
        items = [story_to_backup(story, versions[story.id], links.get(story.id, [])) for story in stories]
        return {**backup_document(items, self.clock()), "practice": practice}

    def export_json(self, path: Path | str) -> Path:
        """Write the full backup as JSON to `path` (a file)."""
        import json

        target = Path(path).expanduser()
        if target.is_dir():
            target = target / "storybank-backup.json"
        _write_text(target, json.dumps(self.export_backup(), ensure_ascii=False, indent=2) + "\n")
        return target

    def markdown_files(self) -> list[tuple[str, str]]:
        """One Markdown file per story (not in the trash), as (file name, text) pairs."""
        from storybank.interchange import markdown_file_name, story_to_markdown
        from storybank.store import repository

        with self.db.read() as conn:
            stories = repository.fetch_active_stories(conn)
        return [(markdown_file_name(story), story_to_markdown(story)) for story in stories]

    def export_markdown(self, folder: Path | str) -> list[Path]:
        """Write one Markdown file per story (not in the trash) into `folder`."""
        directory = Path(folder).expanduser()
        if directory.exists() and not directory.is_dir():
            raise InvalidInput(f"{directory}: exists and is not a folder", field="out")
        written = []
        for name, text in self.markdown_files():
            target = directory / name
            _write_text(target, text)
            written.append(target)
        return written

    def import_path(self, path: Path | str) -> ImportResult:
        """Import a JSON backup, one Markdown file, or a folder of Markdown files.

        All or nothing: a malformed file aborts the import with a message naming the file and
        line, and nothing is written.
        """
        source = Path(path).expanduser()
        if source.is_dir():
            files = sorted(p for p in source.iterdir() if p.suffix.lower() in (".md", ".markdown") and p.is_file())
            if not files:
                raise InvalidInput(f"{source}: no .md files in this folder", file=str(source))
            return self._import_markdown(files)
        if not source.is_file():
            raise InvalidInput(f"{source}: no such file or folder", file=str(source))
        if source.suffix.lower() == ".json":
            return self.import_backup(_read_bytes(source), str(source))
        if source.suffix.lower() in (".md", ".markdown"):
            return self._import_markdown([source])
        raise InvalidInput(f"{source}: expected a .json backup, a .md file or a folder of .md files", file=str(source))

    def import_backup(self, raw: bytes, source: str = "backup") -> ImportResult:
        """Import a JSON backup (as bytes). Stories already in the bank (same uid) are skipped."""
        from storybank.interchange import parse_backup
        from storybank.practice_service import import_practice_section, parse_practice_backup
        from storybank.store import repository

        backup = parse_backup(raw, source)
        practice = parse_practice_backup(backup.practice, source)
        created: list[int] = []
        skipped: list[str] = []
        versions = 0
        with self.db.write() as conn:
            for position, item in enumerate(backup.stories):
                existing = repository.find_story_id_by_uid(conn, item.uid)
                if existing is not None:
                    skipped.append(f"{source}: stories[{position}] ({item.versions[-1].title}) is already story {existing}")
                    continue
                created.append(self._insert_backup_story(conn, item))
                versions += len(item.versions)
            repository.sync_id_sequence(conn)
            notes = import_practice_section(conn, practice)
        return ImportResult(created=tuple(created), skipped=tuple(skipped), versions=versions, notes=tuple(notes))

    def _insert_backup_story(self, conn: Any, item: Any) -> int:
        from storybank.store import repository

        latest = item.versions[-1]
        content = latest.model_dump(include=set(repository.CONTENT_FIELDS))
        story_id = repository.insert_story(
            conn, uid=item.uid, version=latest.version, content=content, created_at=item.created_at,
            updated_at=item.updated_at, deleted_at=item.deleted_at,
            story_id=None if repository.story_id_taken(conn, item.id) else item.id,
        )
        for version in item.versions:
            repository.insert_version(
                conn, story_id=story_id, version=version.version,
                content=version.model_dump(include=set(repository.CONTENT_FIELDS)), analysis=version.analysis,
                change=version.change, restored_from=version.restored_from, created_at=version.created_at,
            )
        for link in item.question_links:
            repository.upsert_question_link(
                conn, story_id=story_id, question_ref=link.question_ref, question=link.question, fit=link.fit,
                created_at=link.created_at,
                link_id=None if link.id is None or repository.question_link_taken(conn, link.id) else link.id,
            )
        return story_id

    def _import_markdown(self, files: Sequence[Path]) -> ImportResult:
        from storybank.interchange import parse_markdown

        parsed = [parse_markdown(_read_bytes(file), str(file)) for file in files]
        prepared = [self._prepare_markdown(item) for item in parsed]
        return self._write_markdown(prepared)

    def _prepare_markdown(self, item: "MarkdownStory") -> tuple["MarkdownStory", dict[str, Any], dict[str, Any]]:
        """Validate and analyse one parsed file; errors name the file and the field's line."""
        fields = item.fields
        try:
            content, analysis = self._content(
                title=fields.title, text=item.text, kind=fields.kind, principles=fields.principles,
                tags=fields.tags, profile=fields.profile, company=fields.company, parts=fields.parts,
            )
        except InvalidInput as error:
            field = (error.field or "title").split(".")[0]
            line = item.line_of(field)
            raise InvalidInput(f"{item.source}: line {line}: {error.message}", file=item.source, line=line, field=error.field) from error
        return item, content, analysis

    def _write_markdown(self, prepared: Sequence[tuple["MarkdownStory", dict[str, Any], dict[str, Any]]]) -> ImportResult:
        from storybank.store import repository

        created: list[int] = []
        updated: list[int] = []
        skipped: list[str] = []
        now = self.clock()
        with self.db.write() as conn:
            for item, content, analysis in prepared:
                fields = item.fields
                existing = repository.find_story_id_by_uid(conn, fields.uid) if fields.uid else None
                if existing is None:
                    created.append(self._insert_markdown_story(conn, item, content, analysis, now))
                    continue
                current = self._fetch(conn, existing)
                if _same_content(current, content):
                    skipped.append(f"{item.source}: unchanged (story {existing})")
                    continue
                if current.in_trash or fields.version != current.version:
                    line = item.line_of("version")
                    raise Conflict(
                        f"{item.source}: line {line}: based on version {fields.version} of story {existing}, "
                        f"which is now at version {current.version}{' and in the trash' if current.in_trash else ''}; "
                        "remove `uid` to import it as a new story",
                        current_version=current.version,
                    )
                repository.advance_story(conn, existing, base_version=current.version, content=content, updated_at=now)
                repository.insert_version(
                    conn, story_id=existing, version=current.version + 1, content=content, analysis=analysis,
                    change="imported", created_at=now,
                )
                updated.append(existing)
            repository.sync_id_sequence(conn)
        return ImportResult(created=tuple(created), updated=tuple(updated), skipped=tuple(skipped), versions=len(created) + len(updated))

    def _insert_markdown_story(self, conn: Any, item: "MarkdownStory", content: dict[str, Any], analysis: dict[str, Any], now: datetime) -> int:
        from storybank.store import repository

        fields = item.fields
        created_at = fields.created_at or now
        updated_at = fields.updated_at or created_at
        wanted_id = fields.id if fields.id is not None and not repository.story_id_taken(conn, fields.id) else None
        story_id = repository.insert_story(
            conn, uid=fields.uid or uuid.uuid4().hex, version=fields.version, content=content,
            created_at=created_at, updated_at=updated_at, story_id=wanted_id,
        )
        repository.insert_version(
            conn, story_id=story_id, version=fields.version, content=content, analysis=analysis,
            change="imported", created_at=updated_at,
        )
        return story_id


def _same_content(story: Story, content: dict[str, Any]) -> bool:
    return all(_plain(getattr(story, name)) == content[name] for name in ("title", "kind", "profile", "company", "principles", "tags", "text", "parts"))


def _conflict(story_id: int, base_version: int, current_version: int) -> Conflict:
    return Conflict(
        f"story {story_id} is at version {current_version}, but this edit is based on version {base_version}; "
        f"nothing was saved. Reload the story, reapply the change, and save with base version {current_version}.",
        current_version=current_version,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror or error})", file=str(path)) from error


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be written ({error.strerror or error})", file=str(path)) from error
