"""Practice: drill attempts (text, timings, analysis, probe and reply, audio metrics) and reviews.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "practice_attempts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("phase", sa.String(16), nullable=False),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("question", sa.JSON(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("opening", sa.Text(), nullable=True),
        sa.Column("opening_analysis", sa.JSON(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("analysis", sa.JSON(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("verdict", sa.String(16), nullable=True),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("limits", sa.JSON(), nullable=False),
        sa.Column("timings", sa.JSON(), nullable=False),
        sa.Column("probe", sa.JSON(), nullable=True),
        sa.Column("probe_reply", sa.Text(), nullable=True),
        sa.Column("probe_analysis", sa.JSON(), nullable=True),
        sa.Column("probe_check", sa.JSON(), nullable=True),
        sa.Column("risk_aware", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("audio", sa.JSON(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("phase_started_at", sa.DateTime(), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_practice_attempts"),
        sa.UniqueConstraint("uid", name="uq_practice_attempts_uid"),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name="fk_practice_attempts_story_id_stories", ondelete="SET NULL"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_practice_attempts_started_at", "practice_attempts", ["started_at"])
    op.create_index("ix_practice_attempts_question_id", "practice_attempts", ["question_id"])
    op.create_index("ix_practice_attempts_story_id", "practice_attempts", ["story_id"])

    op.create_table(
        "practice_reviews",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("comments", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_practice_reviews"),
        sa.UniqueConstraint("uid", name="uq_practice_reviews_uid"),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["practice_attempts.id"], name="fk_practice_reviews_attempt_id_practice_attempts",
            ondelete="CASCADE",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_practice_reviews_attempt_id", "practice_reviews", ["attempt_id"])


def downgrade() -> None:
    op.drop_index("ix_practice_reviews_attempt_id", table_name="practice_reviews")
    op.drop_table("practice_reviews")
    op.drop_index("ix_practice_attempts_story_id", table_name="practice_attempts")
    op.drop_index("ix_practice_attempts_question_id", table_name="practice_attempts")
    op.drop_index("ix_practice_attempts_started_at", table_name="practice_attempts")
    op.drop_table("practice_attempts")
