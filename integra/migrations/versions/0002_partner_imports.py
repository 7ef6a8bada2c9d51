"""Partner imports: import history with per-row changes; partner e-mail, phone, external id.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:58:03.282415
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=True),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.CheckConstraint("action IN ('insert', 'update', 'delete')", name=op.f("ck_import_changes_action")),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_runs.id"], name=op.f("fk_import_changes_import_id_import_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_changes")),
    )
    with op.batch_alter_table("import_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_changes_import_id"), ["import_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_changes_partner_id"), ["partner_id"], unique=False)

    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("external_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_partners_external_id"), ["external_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_partners_import_id"), ["import_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_partners_import_id_import_runs"), "import_runs", ["import_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_partners_import_id_import_runs"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_partners_import_id"))
        batch_op.drop_index(batch_op.f("ix_partners_external_id"))
        batch_op.drop_column("import_id")
        batch_op.drop_column("external_id")
        batch_op.drop_column("phone")
        batch_op.drop_column("email")

    with op.batch_alter_table("import_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_changes_partner_id"))
        batch_op.drop_index(batch_op.f("ix_import_changes_import_id"))

    op.drop_table("import_changes")
    op.drop_table("import_runs")
