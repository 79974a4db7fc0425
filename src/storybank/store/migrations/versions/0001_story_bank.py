"""The story bank: stories, their versions, labels for filtering, and question links.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _content_columns() -> list[sa.Column]:
    return [
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("company", sa.String(200), nullable=True),
        sa.Column("principles", sa.JSON(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_content_columns(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_stories"),
        sa.UniqueConstraint("uid", name="uq_stories_uid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_stories_updated_at", "stories", ["updated_at"])
    op.create_index("ix_stories_deleted_at", "stories", ["deleted_at"])

    op.create_table(
        "story_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_content_columns(),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_story_versions"),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name="fk_story_versions_story_id_stories", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("story_id", "version", name="uq_story_versions_story_id_version"),
    )

    op.create_table(
        "story_labels",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("label_type", sa.String(16), nullable=False),
        sa.Column("label_key", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("story_id", "label_type", "label_key", name="pk_story_labels"),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name="fk_story_labels_story_id_stories", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_story_labels_label_type_label_key", "story_labels", ["label_type", "label_key"])

    op.create_table(
        "question_links",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("question_ref", sa.String(300), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("fit", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_question_links"),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name="fk_question_links_story_id_stories", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("story_id", "question_ref", name="uq_question_links_story_id_question_ref"),
    )


def downgrade() -> None:
    op.drop_table("question_links")
    op.drop_index("ix_story_labels_label_type_label_key", table_name="story_labels")
    op.drop_table("story_labels")
    op.drop_table("story_versions")
    op.drop_index("ix_stories_deleted_at", table_name="stories")
    op.drop_index("ix_stories_updated_at", table_name="stories")
    op.drop_table("stories")
