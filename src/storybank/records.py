"""Plain records the service layer hands to the web UI, the CLI and the pure core.

They carry data only: no database handles, nothing lazy. `to_dict()` gives the stable JSON
shapes documented in the README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

QUESTION_FITS = ("strong", "partial", "stretch")


def iso(moment: datetime | None) -> str | None:
    """A timestamp as ISO 8601 text (UTC, with offset), or None."""
    return moment.isoformat() if moment is not None else None


@dataclass(frozen=True)
class Story:
    """A story's latest version, with the analysis stored for that version."""

    id: int
    uid: str
    version: int
    title: str
    kind: str
    profile: str
    company: str | None
    principles: tuple[str, ...]
    tags: tuple[str, ...]
    text: str
    parts: dict[str, str]
    score: float
    verdict: str
    analysis: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    @property
    def in_trash(self) -> bool:
        """True when the story has been deleted to the trash."""
        return self.deleted_at is not None

    def to_dict(self) -> dict[str, Any]:
        """The story as printed by `story show --json` and returned by the API."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "kind": self.kind,
            "principles": list(self.principles),
            "tags": list(self.tags),
            "text": self.text,
            "score": self.score,
            "verdict": self.verdict,
            "analysis": self.analysis,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "profile": self.profile,
            "company": self.company,
            "parts": dict(self.parts),
            "deleted_at": iso(self.deleted_at),
            "uid": self.uid,
        }


@dataclass(frozen=True)
class StorySummary:
    """One line of the story list (no text, no analysis)."""

    id: int
    title: str
    kind: str
    version: int
    score: float
    verdict: str
    updated_at: datetime
    profile: str = ""
    principles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    deleted_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        """The shape printed by `story list --json`."""
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind,
            "version": self.version,
            "score": self.score,
            "verdict": self.verdict,
            "updated_at": iso(self.updated_at),
        }


@dataclass(frozen=True)
class StoryVersion:
    """One saved version of a story, exactly as it was saved, with its analysis."""

    story_id: int
    version: int
    title: str
    kind: str
    profile: str
    company: str | None
    principles: tuple[str, ...]
    tags: tuple[str, ...]
    text: str
    parts: dict[str, str]
    score: float
    verdict: str
    analysis: dict[str, Any]
    change: str
    restored_from: int | None
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The shape of one entry of `story history --json`."""
        return {
            "story_id": self.story_id,
            "version": self.version,
            "change": self.change,
            "restored_from": self.restored_from,
            "created_at": iso(self.created_at),
            "title": self.title,
            "kind": self.kind,
            "profile": self.profile,
            "company": self.company,
            "principles": list(self.principles),
            "tags": list(self.tags),
            "text": self.text,
            "parts": dict(self.parts),
            "score": self.score,
            "verdict": self.verdict,
            "analysis": self.analysis,
        }


@dataclass(frozen=True)
class QuestionLink:
    """A story planned as the answer to a question, with how well it fits."""

    id: int
    story_id: int
    question_ref: str
    question: str
    fit: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The link as JSON."""
        return {
            "id": self.id,
            "story_id": self.story_id,
            "question_ref": self.question_ref,
            "question": self.question,
            "fit": self.fit,
            "created_at": iso(self.created_at),
        }


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class StoryDiff:
    """What changed between two versions: the fields, and the text as a unified diff."""

    story_id: int
    from_version: int
    to_version: int
    fields: tuple[FieldChange, ...]
    text_diff: tuple[str, ...]
    score_change: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The diff as JSON."""
        return {
            "story_id": self.story_id,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "fields": [{"field": c.field, "before": c.before, "after": c.after} for c in self.fields],
            "text_diff": list(self.text_diff),
            "score_change": self.score_change,
        }


@dataclass(frozen=True)
class ImportResult:
    """What an import did: stories created, stories updated with a new version, and skipped ones."""

    created: tuple[int, ...] = ()
    updated: tuple[int, ...] = ()
    skipped: tuple[str, ...] = ()
    versions: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON."""
        return {
            "created": list(self.created),
            "updated": list(self.updated),
            "skipped": list(self.skipped),
            "versions": self.versions,
            "notes": list(self.notes),
        }
