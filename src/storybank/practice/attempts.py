"""Plain records of practice: a drill attempt (from its start to its summary) and a review.

They carry data only; `to_dict()` gives the JSON shapes of `storybank drill --json`,
`storybank history --json` and the practice API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storybank.records import iso

MODES = ("drill", "retrieval")


@dataclass(frozen=True)
class Attempt:
    """One drill (or retrieval drill) with everything it recorded."""

    id: int
    uid: str
    mode: str
    phase: str
    profile: str
    question_id: str
    question: dict[str, Any]
    story_id: int | None
    opening: str | None
    opening_analysis: dict[str, Any] | None
    answer: str | None
    analysis: dict[str, Any] | None
    score: float | None
    verdict: str | None
    kind: str | None
    limits: dict[str, Any]
    timings: dict[str, Any]
    probe: dict[str, Any] | None
    probe_reply: str | None
    probe_analysis: dict[str, Any] | None
    probe_check: dict[str, Any] | None
    risk_aware: bool
    result: dict[str, Any] | None
    audio: dict[str, Any] | None
    started_at: datetime
    phase_started_at: datetime
    last_activity_at: datetime
    finished_at: datetime | None
    probe_audio: dict[str, Any] | None = None

    @property
    def answered(self) -> bool:
        """True once the answer has been analysed."""
        return self.analysis is not None

    def to_dict(self) -> dict[str, Any]:
        """The attempt as JSON: the drill contract's keys first, then the rest."""
        return {
            "id": self.id,
            "uid": self.uid,
            "mode": self.mode,
            "phase": self.phase,
            "profile": self.profile,
            "question": dict(self.question),
            "story_id": self.story_id,
            "opening": self.opening,
            "answer": self.answer,
            "timings": self.timings,
            "analysis": self.analysis,
            "probe": self.probe,
            "probe_reply": self.probe_reply,
            "probe_analysis": self.probe_analysis,
            "probe_check": self.probe_check,
            "summary": self.result if self.mode == "drill" else None,
            "retrieval": self.result if self.mode == "retrieval" else None,
            "opening_analysis": self.opening_analysis,
            "limits": dict(self.limits),
            "audio": self.audio,
            "probe_audio": self.probe_audio,
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
        }


@dataclass(frozen=True)
class Review:
    """A person's 1–5 scores and comments on one attempt."""

    id: int
    uid: str
    attempt_id: int
    reviewer: str
    scores: dict[str, int]
    comments: dict[str, str]
    note: str
    source: str
    created_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The review as JSON."""
        return {
            "id": self.id,
            "uid": self.uid,
            "attempt_id": self.attempt_id,
            "reviewer": self.reviewer,
            "scores": dict(self.scores),
            "comments": dict(self.comments),
            "note": self.note,
            "source": self.source,
            "created_at": iso(self.created_at),
        }
