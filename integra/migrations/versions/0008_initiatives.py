"""Initiativen: motions on their way in the councils, entered by editors or reported by visitors.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 23:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_ags", sa.String(length=8), nullable=False),
        sa.Column("body", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("asks", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("document_url", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "status IN ('geplant', 'eingereicht', 'beschlossen', 'abgelehnt', 'vertagt', 'zurückgezogen')",
            name=op.f("ck_initiatives_status"),
        ),
        sa.CheckConstraint("asks IN ('konzept', 'kiz', 'sonstiges')", name=op.f("ck_initiatives_asks")),
        sa.ForeignKeyConstraint(["region_ags"], ["regions.ags"], name=op.f("fk_initiatives_region_ags_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiatives")),
    )
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_initiatives_region_ags"), ["region_ags"], unique=False)
        batch_op.create_index(batch_op.f("ix_initiatives_status"), ["status"], unique=False)
    _report_kinds("'konzept', 'partner', 'sonstiges', 'initiative'")


def _report_kinds(kinds: str) -> None:
    """A visitor may report a motion too: the closed list of report kinds grows by one."""
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_reports_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_reports_kind"), f"kind IN ({kinds})")


def downgrade() -> None:
    op.execute("DELETE FROM reports WHERE kind = 'initiative'")
    _report_kinds("'konzept', 'partner', 'sonstiges'")
    op.drop_table("initiatives")
