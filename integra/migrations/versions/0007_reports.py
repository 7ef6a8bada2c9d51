"""Reports: what visitors report (Mitmachen), waiting for an editor's decision.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("region_ags", sa.String(length=8), nullable=True),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("proposed", sa.Text(), nullable=False),
        sa.Column("current", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("reporter", sa.String(length=120), nullable=True),
        sa.Column("show_reporter", sa.Boolean(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("batch", sa.String(length=36), nullable=True),
        sa.CheckConstraint("kind IN ('konzept', 'partner', 'sonstiges')", name=op.f("ck_reports_kind")),
        sa.CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name=op.f("ck_reports_status")),
        sa.ForeignKeyConstraint(["region_ags"], ["regions.ags"], name=op.f("fk_reports_region_ags_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_region_ags"), ["region_ags"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_reports_status"), ["status"], unique=False)


def downgrade() -> None:
    op.drop_table("reports")
