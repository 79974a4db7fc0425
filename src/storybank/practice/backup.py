"""The `practice` section of the JSON backup: every attempt and review, validated on the way in.

Attempts name their story by uid (story ids can change when a backup is imported into another
bank) and reviews name their attempt by uid. Pure: records in, plain data out, and back.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from storybank.practice.attempts import MODES, Attempt, Review
from storybank.records import iso

UID = r"^[0-9a-f]{32}$"
PHASES = ("opening", "answer", "probe", "done", "abandoned")


class PracticeBackupError(ValueError):
    """A practice section that cannot be imported; the message names the field."""


def _aware(value: Any) -> Any:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BackupAttempt(_Strict):
    """One attempt inside a backup."""

    id: int = Field(ge=1)
    uid: str = Field(pattern=UID)
    mode: str
    phase: str
    profile: str = Field(min_length=1, max_length=100)
    question_id: str = Field(min_length=1, max_length=80)
    question: dict[str, Any]
    story_uid: str | None = Field(default=None, pattern=UID)
    opening: str | None = None
    opening_analysis: dict[str, Any] | None = None
    answer: str | None = None
    analysis: dict[str, Any] | None = None
    score: float | None = None
    verdict: str | None = Field(default=None, max_length=16)
    kind: str | None = Field(default=None, max_length=16)
    limits: dict[str, Any]
    timings: dict[str, Any]
    probe: dict[str, Any] | None = None
    probe_reply: str | None = None
    probe_analysis: dict[str, Any] | None = None
    probe_check: dict[str, Any] | None = None
    risk_aware: bool = False
    result: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None
    probe_audio: dict[str, Any] | None = None
    started_at: datetime
    phase_started_at: datetime
    last_activity_at: datetime
    finished_at: datetime | None = None

    @field_validator("mode")
    @classmethod
    def _known_mode(cls, value: str) -> str:
        if value not in MODES:
            raise ValueError(f"unknown mode {value!r}; expected one of {', '.join(MODES)}")
        return value

    @field_validator("phase")
    @classmethod
    def _known_phase(cls, value: str) -> str:
        if value not in PHASES:
            raise ValueError(f"unknown phase {value!r}; expected one of {', '.join(PHASES)}")
        return value

    @field_validator("started_at", "phase_started_at", "last_activity_at", "finished_at", mode="before")
    @classmethod
    def _timestamps(cls, value: Any) -> Any:
        return _aware(value)


class BackupReview(_Strict):
    """One review inside a backup."""

    id: int = Field(ge=1)
    uid: str = Field(pattern=UID)
    attempt_uid: str = Field(pattern=UID)
    reviewer: str = Field(min_length=1, max_length=200)
    scores: dict[str, int]
    comments: dict[str, str]
    note: str
    source: str = Field(min_length=1, max_length=16)
    created_at: datetime

    @field_validator("created_at", mode="before")
    @classmethod
    def _timestamp(cls, value: Any) -> Any:
        return _aware(value)


class PracticeBackup(_Strict):
    """The whole `practice` section."""

    attempts: list[BackupAttempt] = Field(default_factory=list)
    reviews: list[BackupReview] = Field(default_factory=list)


def attempt_to_backup(attempt: Attempt, story_uid: str | None) -> dict[str, Any]:
    """An attempt as stored in a backup (its story named by uid)."""
    return {
        "id": attempt.id, "uid": attempt.uid, "mode": attempt.mode, "phase": attempt.phase, "profile": attempt.profile,
        "question_id": attempt.question_id, "question": attempt.question, "story_uid": story_uid,
        "opening": attempt.opening, "opening_analysis": attempt.opening_analysis, "answer": attempt.answer,
        "analysis": attempt.analysis, "score": attempt.score, "verdict": attempt.verdict, "kind": attempt.kind,
        "limits": attempt.limits, "timings": attempt.timings, "probe": attempt.probe, "probe_reply": attempt.probe_reply,
        "probe_analysis": attempt.probe_analysis, "probe_check": attempt.probe_check, "risk_aware": attempt.risk_aware,
        "result": attempt.result, "audio": attempt.audio, "probe_audio": attempt.probe_audio,
        "started_at": iso(attempt.started_at),
        "phase_started_at": iso(attempt.phase_started_at), "last_activity_at": iso(attempt.last_activity_at),
        "finished_at": iso(attempt.finished_at),
    }


def review_to_backup(review: Review, attempt_uid: str) -> dict[str, Any]:
    """A review as stored in a backup (its attempt named by uid)."""
    data = review.to_dict()
    data.pop("attempt_id")
    data["attempt_uid"] = attempt_uid
    return data


def parse_practice_section(data: Any, source: str) -> PracticeBackup:
    """Validate a backup's `practice` section; errors name the field as `practice.attempts[2].uid`."""
    import re

    if data is None:
        return PracticeBackup()
    try:
        section = PracticeBackup.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        field = re.sub(r"\.(\d+)", r"[\1]", ".".join(str(part) for part in problem["loc"]))
        message = "unknown field (check the spelling)" if problem["type"] == "extra_forbidden" else problem["msg"].removeprefix("Value error, ")
        raise PracticeBackupError(f"{source}: practice.{field}: {message}") from error
    known = {attempt.uid for attempt in section.attempts}
    for position, review in enumerate(section.reviews):
        if review.attempt_uid not in known:
            raise PracticeBackupError(f"{source}: practice.reviews[{position}].attempt_uid: no attempt with that uid in this backup")
    return section
