"""Data state: a token that changes with every write, so every app replica knows when its caches are stale.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:51:39.214973
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_state")),
    )


def downgrade() -> None:
    op.drop_table("data_state")
