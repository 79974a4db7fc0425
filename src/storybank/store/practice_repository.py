"""Every query of the practice tables. Functions take an open connection (inside a transaction
the caller owns) and return plain records; nothing here validates input or analyzes text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, distinct, func, insert, select, update

from storybank.practice.attempts import Attempt, Review
from storybank.store.practice_tables import practice_attempts, practice_reviews

ATTEMPT_FIELDS = tuple(column.name for column in practice_attempts.columns if column.name != "id")
REVIEW_FIELDS = tuple(column.name for column in practice_reviews.columns if column.name != "id")


def _attempt(row: Any) -> Attempt:
    values = dict(row._mapping)
    values["risk_aware"] = bool(values["risk_aware"])
    return Attempt(**values)


def _review(row: Any) -> Review:
    return Review(**dict(row._mapping))


# --- attempts --------------------------------------------------------------------------------


def insert_attempt(conn: Connection, values: dict[str, Any], attempt_id: int | None = None) -> int:
    """Insert a drill's row; return its id."""
    row = {name: values.get(name) for name in ATTEMPT_FIELDS}
    row["risk_aware"] = bool(values.get("risk_aware", False))
    if attempt_id is not None:
        row["id"] = attempt_id
    return conn.execute(insert(practice_attempts).values(row).returning(practice_attempts.c.id)).scalar_one()


def update_attempt(conn: Connection, attempt_id: int, *, expected_phase: str, values: dict[str, Any]) -> bool:
    """Update a drill only if it is still at `expected_phase`; False when another request moved it.

    The phase check and the update are one statement, so a double submission cannot record twice.
    """
    unknown = set(values) - set(ATTEMPT_FIELDS)
    if unknown:
        raise ValueError(f"unknown attempt fields: {', '.join(sorted(unknown))}")
    result = conn.execute(
        update(practice_attempts)
        .where(practice_attempts.c.id == attempt_id, practice_attempts.c.phase == expected_phase)
        .values(values)
    )
    return result.rowcount == 1


def fetch_attempt(conn: Connection, attempt_id: int) -> Attempt | None:
    """One attempt by id."""
    row = conn.execute(select(practice_attempts).where(practice_attempts.c.id == attempt_id)).first()
    return _attempt(row) if row is not None else None


def fetch_attempt_by_uid(conn: Connection, uid: str) -> Attempt | None:
    """One attempt by its uid (the drill's handle in URLs and review files)."""
    row = conn.execute(select(practice_attempts).where(practice_attempts.c.uid == uid)).first()
    return _attempt(row) if row is not None else None


def attempt_id_taken(conn: Connection, attempt_id: int) -> bool:
    """Whether an attempt already has this id."""
    return conn.execute(select(practice_attempts.c.id).where(practice_attempts.c.id == attempt_id)).first() is not None


def list_attempts(
    conn: Connection,
    *,
    mode: str | None = None,
    answered_only: bool = True,
    question_id: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    oldest_first: bool = False,
) -> list[Attempt]:
    """Attempts, newest first (or oldest first), filtered by mode and question."""
    query = select(practice_attempts)
    if mode:
        query = query.where(practice_attempts.c.mode == mode)
    if answered_only:
        query = query.where(practice_attempts.c.score.is_not(None))
    if question_id:
        query = query.where(practice_attempts.c.question_id == question_id)
    order = (practice_attempts.c.started_at.asc(), practice_attempts.c.id.asc()) if oldest_first else (
        practice_attempts.c.started_at.desc(), practice_attempts.c.id.desc()
    )
    query = query.order_by(*order).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_attempt(row) for row in conn.execute(query)]


def count_attempts(conn: Connection, *, mode: str | None = None, question_id: str | None = None) -> int:
    """How many answered attempts match."""
    query = select(func.count()).select_from(practice_attempts).where(practice_attempts.c.score.is_not(None))
    if mode:
        query = query.where(practice_attempts.c.mode == mode)
    if question_id:
        query = query.where(practice_attempts.c.question_id == question_id)
    return conn.execute(query).scalar_one()


def practice_counts(conn: Connection) -> tuple[Counter[str], Counter[int], dict[int, set[str]]]:
    """Answered drills per question, per story, and the questions each story was drilled on."""
    rows = conn.execute(
        select(practice_attempts.c.question_id, practice_attempts.c.story_id).where(
            practice_attempts.c.mode == "drill", practice_attempts.c.score.is_not(None)
        )
    ).all()
    per_question: Counter[str] = Counter(question for question, _ in rows)
    per_story: Counter[int] = Counter(story for _, story in rows if story is not None)
    questions_of: dict[int, set[str]] = {}
    for question, story in rows:
        if story is not None:
            questions_of.setdefault(story, set()).add(question)
    return per_question, per_story, questions_of


def probes_asked(conn: Connection) -> Counter[str]:
    """How often each probe has been asked."""
    counts: Counter[str] = Counter()
    for (probe,) in conn.execute(select(practice_attempts.c.probe).where(practice_attempts.c.probe.is_not(None))):
        if isinstance(probe, dict) and probe.get("id"):
            counts[probe["id"]] += 1
    return counts


def probe_counts(conn: Connection) -> tuple[int, int]:
    """(probe replies recorded, of which risk-aware)."""
    replied = practice_attempts.c.probe_reply.is_not(None) & practice_attempts.c.probe_analysis.is_not(None)
    total = conn.execute(select(func.count()).select_from(practice_attempts).where(replied)).scalar_one()
    risk_aware = conn.execute(
        select(func.count()).select_from(practice_attempts).where(replied, practice_attempts.c.risk_aware.is_(True))
    ).scalar_one()
    return total, risk_aware


# --- reviews ---------------------------------------------------------------------------------


def insert_review(conn: Connection, values: dict[str, Any], review_id: int | None = None) -> int:
    """Insert a review; return its id."""
    row = {name: values[name] for name in REVIEW_FIELDS}
    if review_id is not None:
        row["id"] = review_id
    return conn.execute(insert(practice_reviews).values(row).returning(practice_reviews.c.id)).scalar_one()


def fetch_review_by_uid(conn: Connection, uid: str) -> Review | None:
    """A review by its uid (a review file or a form submission carries one)."""
    row = conn.execute(select(practice_reviews).where(practice_reviews.c.uid == uid)).first()
    return _review(row) if row is not None else None


def review_id_taken(conn: Connection, review_id: int) -> bool:
    """Whether a review already has this id."""
    return conn.execute(select(practice_reviews.c.id).where(practice_reviews.c.id == review_id)).first() is not None


def fetch_reviews(conn: Connection, attempt_ids: Iterable[int] | None = None) -> list[Review]:
    """Reviews of the given attempts (all reviews when None), oldest first."""
    query = select(practice_reviews).order_by(practice_reviews.c.created_at, practice_reviews.c.id)
    if attempt_ids is not None:
        query = query.where(practice_reviews.c.attempt_id.in_(list(attempt_ids)))
    return [_review(row) for row in conn.execute(query)]


def reviewed_attempt_count(conn: Connection) -> int:
    """How many attempts have at least one review."""
    return conn.execute(select(func.count(distinct(practice_reviews.c.attempt_id)))).scalar_one()



def story_uids(conn: Connection, story_ids: Iterable[int]) -> dict[int, str]:
    """The uid of each story id given (stories that no longer exist are left out)."""
    from storybank.store.tables import stories

    wanted = sorted(set(story_ids))
    if not wanted:
        return {}
    rows = conn.execute(select(stories.c.id, stories.c.uid).where(stories.c.id.in_(wanted)))
    return {story_id: uid for story_id, uid in rows}
