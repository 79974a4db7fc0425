"""The tables of the story bank (SQLAlchemy Core).

`stories` holds each story's latest state for fast listing and search; `story_versions` keeps
every version with its analysis, so history and charts never need recomputing. Migrations in
`migrations/versions/` create exactly these tables; a test compares the two.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Stores UTC as a naive timestamp and gives it back timezone-aware, on every engine."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def _story_content_columns() -> list[Column]:
    """Columns a story and each of its versions both carry."""
    return [
        Column("title", String(200), nullable=False),
        Column("kind", String(16), nullable=False),
        Column("profile", String(100), nullable=False),
        Column("company", String(200), nullable=True),
        Column("principles", JSON, nullable=False),
        Column("tags", JSON, nullable=False),
        Column("text", Text, nullable=False),
        Column("parts", JSON, nullable=False),
        Column("score", Float, nullable=False),
        Column("verdict", String(16), nullable=False),
    ]


stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    *_story_content_columns(),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime, nullable=True),
    Index(None, "updated_at"),
    Index(None, "deleted_at", "updated_at", "id"),  # the story list: live stories, newest first
    sqlite_autoincrement=True,  # never reuse the id of a purged story
)

story_versions = Table(
    "story_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    *_story_content_columns(),
    Column("analysis", JSON, nullable=False),
    Column("change", String(16), nullable=False),
    Column("restored_from", Integer, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("story_id", "version"),
)

# Principles and tags of each story's latest version, one row each, for portable filtering.
story_labels = Table(
    "story_labels",
    metadata,
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("label_type", String(16), primary_key=True),
    Column("label_key", String(200), primary_key=True),
    Index(None, "label_type", "label_key"),
)

question_links = Table(
    "question_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("question_ref", String(300), nullable=False),
    Column("question", Text, nullable=False),
    Column("fit", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("story_id", "question_ref"),
)
