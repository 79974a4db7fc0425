"""The practice tables: drill attempts (one row per drill, from start to finish) and reviews.

They share the story bank's metadata, so migrations and the schema comparison cover them. A
drill's row is created when it starts and updated as the opening, the answer and the probe reply
come in; the analysis, the probe and its check, timings, and the audio metrics of a spoken answer
(and of a spoken probe reply) are stored with it. Reviews (a person's 1–5 scores and comments) sit beside the analyzer's.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text, false

from storybank.store.tables import UTCDateTime, metadata

practice_attempts = Table(
    "practice_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("mode", String(16), nullable=False),  # "drill" | "retrieval"
    Column("phase", String(16), nullable=False),  # opening | answer | probe | done | abandoned
    Column("profile", String(100), nullable=False),
    Column("question_id", String(80), nullable=False),
    Column("question", JSON, nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL"), nullable=True),
    Column("opening", Text, nullable=True),
    Column("opening_analysis", JSON, nullable=True),
    Column("answer", Text, nullable=True),
    Column("analysis", JSON, nullable=True),
    Column("score", Float, nullable=True),
    Column("verdict", String(16), nullable=True),
    Column("kind", String(16), nullable=True),
    Column("limits", JSON, nullable=False),
    Column("timings", JSON, nullable=False),
    Column("probe", JSON, nullable=True),
    Column("probe_reply", Text, nullable=True),
    Column("probe_analysis", JSON, nullable=True),
    Column("probe_check", JSON, nullable=True),
    Column("risk_aware", Boolean, nullable=False, server_default=false()),
    Column("result", JSON, nullable=True),  # the summary of a drill, the outcome of a retrieval drill
    Column("audio", JSON, nullable=True),  # delivery metrics and transcript of a spoken answer
    Column("probe_audio", JSON, nullable=True),  # ... and of a probe reply given out loud
    Column("started_at", UTCDateTime, nullable=False),
    Column("phase_started_at", UTCDateTime, nullable=False),
    Column("last_activity_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Index(None, "started_at"),
    Index(None, "question_id"),
    Index(None, "story_id"),
    sqlite_autoincrement=True,
)

practice_reviews = Table(
    "practice_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("attempt_id", Integer, ForeignKey("practice_attempts.id", ondelete="CASCADE"), nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("scores", JSON, nullable=False),
    Column("comments", JSON, nullable=False),
    Column("note", Text, nullable=False),
    Column("source", String(16), nullable=False),  # "form" | "cli" | "file"
    Column("created_at", UTCDateTime, nullable=False),
    Index(None, "attempt_id"),
    sqlite_autoincrement=True,
)
