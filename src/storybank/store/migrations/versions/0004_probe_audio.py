"""Practice: the delivery metrics and transcript of a probe reply given out loud.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practice_attempts") as batch:
        batch.add_column(sa.Column("probe_audio", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("practice_attempts") as batch:
        batch.drop_column("probe_audio")
