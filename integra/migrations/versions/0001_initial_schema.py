"""Initial schema: regions, concepts, KIZ, partners, structures, NRW references.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 13:33:11.508992
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kiz_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=200), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("year", sa.String(length=60), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("confidence", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiz_references")),
    )
    op.create_table(
        "regions",
        sa.Column("ags", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("parent_ags", sa.String(length=8), nullable=True),
        sa.Column("is_gemeinde", sa.Boolean(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("population_date", sa.Date(), nullable=True),
        sa.CheckConstraint("level IN ('regbez', 'kreis', 'gemeinde')", name=op.f("ck_regions_level")),
        sa.ForeignKeyConstraint(["parent_ags"], ["regions.ags"], name=op.f("fk_regions_parent_ags_regions")),
        sa.PrimaryKeyConstraint("ags", name=op.f("pk_regions")),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regions_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_regions_parent_ags"), ["parent_ags"], unique=False)

    op.create_table(
        "concepts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_ags", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("confidence", sa.String(length=60), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "status IN ('vorhanden', 'in Erarbeitung', 'keines', 'unbekannt')", name=op.f("ck_concepts_status")
        ),
        sa.ForeignKeyConstraint(["region_ags"], ["regions.ags"], name=op.f("fk_concepts_region_ags_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concepts")),
        sa.UniqueConstraint("region_ags", name=op.f("uq_concepts_region_ags")),
    )
    op.create_table(
        "integration_centres",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kreis_ags", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "status IN ('vorgeschlagen', 'geplant', 'eingerichtet')", name=op.f("ck_integration_centres_status")
        ),
        sa.ForeignKeyConstraint(["kreis_ags"], ["regions.ags"], name=op.f("fk_integration_centres_kreis_ags_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_centres")),
    )
    with op.batch_alter_table("integration_centres", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_integration_centres_kreis_ags"), ["kreis_ags"], unique=False)

    op.create_table(
        "integration_structures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kreis_ags", sa.String(length=8), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["kreis_ags"], ["regions.ags"], name=op.f("fk_integration_structures_kreis_ags_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_structures")),
    )
    with op.batch_alter_table("integration_structures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_integration_structures_kreis_ags"), ["kreis_ags"], unique=False)

    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("kind_detail", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("plz", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("gemeinde_ags", sa.String(length=8), nullable=False),
        sa.Column("kreis_ags", sa.String(length=8), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("precision", sa.String(length=10), nullable=False),
        sa.Column("website", sa.Text(), nullable=True),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("confidence", sa.String(length=60), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("precision IN ('Adresse', 'PLZ', 'Gemeinde')", name=op.f("ck_partners_precision")),
        sa.CheckConstraint(
            "type IN ('Caritas', 'Diakonie', 'AWO', 'Flüchtlingsrat', 'Helferkreis', 'Sonstige')",
            name=op.f("ck_partners_type"),
        ),
        sa.ForeignKeyConstraint(["gemeinde_ags"], ["regions.ags"], name=op.f("fk_partners_gemeinde_ags_regions")),
        sa.ForeignKeyConstraint(["kreis_ags"], ["regions.ags"], name=op.f("fk_partners_kreis_ags_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
    )
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partners_gemeinde_ags"), ["gemeinde_ags"], unique=False)
        batch_op.create_index(batch_op.f("ix_partners_kreis_ags"), ["kreis_ags"], unique=False)
        batch_op.create_index(batch_op.f("ix_partners_type"), ["type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partners_type"))
        batch_op.drop_index(batch_op.f("ix_partners_kreis_ags"))
        batch_op.drop_index(batch_op.f("ix_partners_gemeinde_ags"))

    op.drop_table("partners")
    with op.batch_alter_table("integration_structures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_integration_structures_kreis_ags"))

    op.drop_table("integration_structures")
    with op.batch_alter_table("integration_centres", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_integration_centres_kreis_ags"))

    op.drop_table("integration_centres")
    op.drop_table("concepts")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regions_parent_ags"))
        batch_op.drop_index(batch_op.f("ix_regions_level"))

    op.drop_table("regions")
    op.drop_table("kiz_references")
