"""Every query of the story bank. Functions take an open connection (inside a transaction the
caller owns) and return plain records; nothing here validates input or analyzes text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Connection, Text, and_, delete, exists, func, insert, or_, select, type_coerce, update

from storybank.records import QuestionLink, Story, StorySummary, StoryVersion
from storybank.store.tables import question_links, stories, story_labels, story_versions

CONTENT_FIELDS = ("title", "kind", "profile", "company", "principles", "tags", "text", "parts", "score", "verdict")
PRINCIPLE_LABEL = "principle"
TAG_LABEL = "tag"


def label_key(label: str) -> str:
    """The case-insensitive key a principle or tag is filtered by."""
    return " ".join(label.casefold().split())


def _content(values: dict[str, Any]) -> dict[str, Any]:
    return {name: values[name] for name in CONTENT_FIELDS}


# --- writing ---------------------------------------------------------------------------------


def insert_story(
    conn: Connection,
    *,
    uid: str,
    version: int,
    content: dict[str, Any],
    created_at: datetime,
    updated_at: datetime,
    deleted_at: datetime | None = None,
    story_id: int | None = None,
) -> int:
    """Insert a story row (its latest state) and its labels; return its id."""
    values = {"uid": uid, "version": version, **_content(content)}
    values.update(created_at=created_at, updated_at=updated_at, deleted_at=deleted_at)
    if story_id is not None:
        values["id"] = story_id
    new_id = conn.execute(insert(stories).values(values).returning(stories.c.id)).scalar_one()
    replace_labels(conn, new_id, content["principles"], content["tags"])
    return new_id


def insert_version(
    conn: Connection,
    *,
    story_id: int,
    version: int,
    content: dict[str, Any],
    analysis: dict[str, Any],
    change: str,
    created_at: datetime,
    restored_from: int | None = None,
) -> None:
    """Append one version to a story's history."""
    values = {"story_id": story_id, "version": version, **_content(content)}
    values.update(analysis=analysis, change=change, restored_from=restored_from, created_at=created_at)
    conn.execute(insert(story_versions).values(values))


def advance_story(
    conn: Connection, story_id: int, *, base_version: int, content: dict[str, Any], updated_at: datetime
) -> bool:
    """Move a story from `base_version` to the next version; False if it is no longer at it.

    The version check and the update are one statement, so two concurrent edits based on the
    same version cannot both succeed.
    """
    result = conn.execute(
        update(stories)
        .where(stories.c.id == story_id, stories.c.version == base_version, stories.c.deleted_at.is_(None))
        .values(version=base_version + 1, updated_at=updated_at, **_content(content))
    )
    if result.rowcount != 1:
        return False
    replace_labels(conn, story_id, content["principles"], content["tags"])
    return True


def replace_labels(conn: Connection, story_id: int, principles: Iterable[str], tags: Iterable[str]) -> None:
    """Replace the filter labels of a story with its current principles and tags."""
    conn.execute(delete(story_labels).where(story_labels.c.story_id == story_id))
    rows = {(PRINCIPLE_LABEL, label_key(p)) for p in principles} | {(TAG_LABEL, label_key(t)) for t in tags}
    if rows:
        conn.execute(
            insert(story_labels),
            [{"story_id": story_id, "label_type": kind, "label_key": key} for kind, key in sorted(rows)],
        )


def set_deleted(conn: Connection, story_id: int, deleted_at: datetime | None) -> bool:
    """Move a story to the trash (a timestamp) or back out of it (None)."""
    result = conn.execute(update(stories).where(stories.c.id == story_id).values(deleted_at=deleted_at))
    return result.rowcount == 1


def purge_story(conn: Connection, story_id: int) -> None:
    """Delete a story, its versions, labels and question links for good."""
    for table in (question_links, story_labels, story_versions):
        conn.execute(delete(table).where(table.c.story_id == story_id))
    conn.execute(delete(stories).where(stories.c.id == story_id))


def sync_id_sequence(conn: Connection) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in (stories, question_links, story_versions):
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
        )


# --- reading stories -------------------------------------------------------------------------


def _content_from_row(row: Any) -> dict[str, Any]:
    """The fields a story and each of its versions share."""
    return {
        "version": row.version,
        "title": row.title,
        "kind": row.kind,
        "profile": row.profile,
        "company": row.company,
        "principles": tuple(row.principles),
        "tags": tuple(row.tags),
        "text": row.text,
        "parts": dict(row.parts),
        "score": row.score,
        "verdict": row.verdict,
    }


def _story_from_row(row: Any, analysis: dict[str, Any]) -> Story:
    return Story(
        id=row.id,
        uid=row.uid,
        **_content_from_row(row),
        analysis=analysis,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
    )


def fetch_story(conn: Connection, story_id: int) -> Story | None:
    """A story (trashed or not) with the analysis of its latest version, or None."""
    query = (
        select(stories, story_versions.c.analysis)
        .join(
            story_versions,
            and_(story_versions.c.story_id == stories.c.id, story_versions.c.version == stories.c.version),
        )
        .where(stories.c.id == story_id)
    )
    row = conn.execute(query).one_or_none()
    return None if row is None else _story_from_row(row, row.analysis)


def story_version_number(conn: Connection, story_id: int) -> tuple[int, datetime | None] | None:
    """(latest version, deleted_at) of a story, or None when there is no such story."""
    row = conn.execute(
        select(stories.c.version, stories.c.deleted_at).where(stories.c.id == story_id)
    ).one_or_none()
    return None if row is None else (row.version, row.deleted_at)


def find_story_id_by_uid(conn: Connection, uid: str) -> int | None:
    """The id of the story with this uid, or None."""
    return conn.execute(select(stories.c.id).where(stories.c.uid == uid)).scalar_one_or_none()


def story_id_taken(conn: Connection, story_id: int) -> bool:
    """True when a story already uses this id."""
    return conn.execute(select(exists().where(stories.c.id == story_id))).scalar_one()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _has_label(kind: str, label: str):
    return exists().where(
        story_labels.c.story_id == stories.c.id,
        story_labels.c.label_type == kind,
        story_labels.c.label_key == label_key(label),
    )


def _contains(column: Any, pattern: str, dialect: str) -> Any:
    # SQLite's LIKE ignores ASCII case already (and its lower() folds nothing more), so the
    # plain operator there saves a lower() per row; PostgreSQL needs ILIKE.
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _filters(
    *,
    trashed: bool,
    kind: str | None,
    principle: str | None,
    tag: str | None,
    search: str | None,
    dialect: str = "sqlite",
) -> list[Any]:
    conditions = [stories.c.deleted_at.is_not(None) if trashed else stories.c.deleted_at.is_(None)]
    if kind:
        conditions.append(stories.c.kind == kind)
    if principle:
        conditions.append(_has_label(PRINCIPLE_LABEL, principle))
    if tag:
        conditions.append(_has_label(TAG_LABEL, tag))
    for word in (search or "").split():
        pattern = f"%{_escape_like(word)}%"
        conditions.append(
            or_(
                _contains(stories.c.title, pattern, dialect),
                _contains(stories.c.text, pattern, dialect),
                _contains(stories.c.company, pattern, dialect),
            )
        )
    return conditions


# The list reads thousands of rows: timestamps and labels come back raw and are decoded here,
# which is several times faster than the generic type processors.
SUMMARY_COLUMNS = (
    stories.c.id,
    stories.c.title,
    stories.c.kind,
    stories.c.version,
    stories.c.score,
    stories.c.verdict,
    type_coerce(stories.c.updated_at, Text).label("updated_at"),
    stories.c.profile,
    type_coerce(stories.c.principles, Text).label("principles"),
    type_coerce(stories.c.tags, Text).label("tags"),
    type_coerce(stories.c.deleted_at, Text).label("deleted_at"),
)


def _raw_utc(value: Any) -> datetime | None:
    """A timestamp as the driver returned it (text on SQLite, naive datetime elsewhere), made aware."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc)


def _raw_labels(value: Any, cache: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """A JSON list as the driver returned it (text, or already decoded), as a tuple."""
    if isinstance(value, str):
        if value not in cache:
            cache[value] = tuple(json.loads(value))
        return cache[value]
    return tuple(value or ())


def list_summaries(
    conn: Connection,
    *,
    trashed: bool = False,
    kind: str | None = None,
    principle: str | None = None,
    tag: str | None = None,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[StorySummary]:
    """Stories matching every filter, most recently updated first."""
    query = (
        select(*SUMMARY_COLUMNS)
        .where(*_filters(trashed=trashed, kind=kind, principle=principle, tag=tag, search=search, dialect=conn.dialect.name))
        .order_by(stories.c.updated_at.desc(), stories.c.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    labels: dict[str, tuple[str, ...]] = {}
    return [
        StorySummary(
            story_id, title, kind, version, score, verdict, _raw_utc(updated_at), profile,
            _raw_labels(principles, labels), _raw_labels(tags, labels), _raw_utc(deleted_at),
        )
        for story_id, title, kind, version, score, verdict, updated_at, profile, principles, tags, deleted_at
        in conn.execute(query).all()
    ]


def count_stories(
    conn: Connection,
    *,
    trashed: bool = False,
    kind: str | None = None,
    principle: str | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> int:
    """How many stories match the filters."""
    query = select(func.count()).select_from(stories).where(
        *_filters(trashed=trashed, kind=kind, principle=principle, tag=tag, search=search, dialect=conn.dialect.name)
    )
    return conn.execute(query).scalar_one()


def fetch_active_stories(conn: Connection) -> list[Story]:
    """Every story not in the trash, with its latest analysis (for coverage and readiness)."""
    return fetch_stories(conn, include_trashed=False)


def fetch_stories(conn: Connection, *, include_trashed: bool = True) -> list[Story]:
    """Stories with their latest analysis, in id order."""
    query = select(stories, story_versions.c.analysis).join(
        story_versions,
        and_(story_versions.c.story_id == stories.c.id, story_versions.c.version == stories.c.version),
    )
    if not include_trashed:
        query = query.where(stories.c.deleted_at.is_(None))
    return [_story_from_row(row, row.analysis) for row in conn.execute(query.order_by(stories.c.id))]


def trashed_story_ids(conn: Connection) -> list[int]:
    """Ids of every story in the trash."""
    return list(conn.execute(select(stories.c.id).where(stories.c.deleted_at.is_not(None))).scalars())


# --- versions --------------------------------------------------------------------------------


def _version_from_row(row: Any) -> StoryVersion:
    return StoryVersion(
        story_id=row.story_id,
        **_content_from_row(row),
        analysis=row.analysis,
        change=row.change,
        restored_from=row.restored_from,
        created_at=row.created_at,
    )


def fetch_version(conn: Connection, story_id: int, version: int) -> StoryVersion | None:
    """One version of a story, or None."""
    row = conn.execute(
        select(story_versions).where(story_versions.c.story_id == story_id, story_versions.c.version == version)
    ).one_or_none()
    return None if row is None else _version_from_row(row)


def fetch_versions(conn: Connection, story_id: int) -> list[StoryVersion]:
    """Every version of a story, oldest first."""
    query = select(story_versions).where(story_versions.c.story_id == story_id).order_by(story_versions.c.version)
    return [_version_from_row(row) for row in conn.execute(query)]


def fetch_versions_for(conn: Connection, story_ids: Sequence[int]) -> dict[int, list[StoryVersion]]:
    """Versions of several stories, oldest first, keyed by story id."""
    grouped: dict[int, list[StoryVersion]] = {story_id: [] for story_id in story_ids}
    if not story_ids:
        return grouped
    query = (
        select(story_versions)
        .where(story_versions.c.story_id.in_(list(story_ids)))
        .order_by(story_versions.c.story_id, story_versions.c.version)
    )
    for row in conn.execute(query):
        grouped[row.story_id].append(_version_from_row(row))
    return grouped


# --- question links --------------------------------------------------------------------------


def _link_from_row(row: Any) -> QuestionLink:
    return QuestionLink(
        id=row.id,
        story_id=row.story_id,
        question_ref=row.question_ref,
        question=row.question,
        fit=row.fit,
        created_at=row.created_at,
    )


def upsert_question_link(
    conn: Connection,
    *,
    story_id: int,
    question_ref: str,
    question: str,
    fit: str,
    created_at: datetime,
    link_id: int | None = None,
) -> QuestionLink:
    """Link a story to a question, or change the fit of an existing link."""
    condition = and_(question_links.c.story_id == story_id, question_links.c.question_ref == question_ref)
    existing = conn.execute(select(question_links.c.id).where(condition)).scalar_one_or_none()
    if existing is not None:
        conn.execute(update(question_links).where(question_links.c.id == existing).values(fit=fit, question=question))
    else:
        values = {
            "story_id": story_id,
            "question_ref": question_ref,
            "question": question,
            "fit": fit,
            "created_at": created_at,
        }
        if link_id is not None:
            values["id"] = link_id
        conn.execute(insert(question_links).values(values))
    return _link_from_row(conn.execute(select(question_links).where(condition)).one())


def delete_question_link(conn: Connection, link_id: int) -> bool:
    """Remove one link; False when there was none."""
    return conn.execute(delete(question_links).where(question_links.c.id == link_id)).rowcount == 1


def fetch_question_links(
    conn: Connection, story_id: int | None = None, *, include_trashed: bool = False
) -> list[QuestionLink]:
    """Links of one story, or of every story (not in the trash unless `include_trashed`)."""
    query = select(question_links).join(stories, stories.c.id == question_links.c.story_id)
    if story_id is not None:
        query = query.where(question_links.c.story_id == story_id)
    elif not include_trashed:
        query = query.where(stories.c.deleted_at.is_(None))
    return [_link_from_row(row) for row in conn.execute(query.order_by(question_links.c.id))]


def question_link_taken(conn: Connection, link_id: int) -> bool:
    """True when a question link already uses this id."""
    return conn.execute(select(exists().where(question_links.c.id == link_id))).scalar_one()
