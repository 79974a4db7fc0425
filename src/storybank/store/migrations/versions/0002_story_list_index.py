"""An index that serves the story list: not in the trash, most recently updated first.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_stories_deleted_at_updated_at_id", "stories", ["deleted_at", "updated_at", "id"])
    op.drop_index("ix_stories_deleted_at", table_name="stories")


def downgrade() -> None:
    op.create_index("ix_stories_deleted_at", "stories", ["deleted_at"])
    op.drop_index("ix_stories_deleted_at_updated_at_id", table_name="stories")
