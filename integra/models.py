"""The facts the map shows, as SQLAlchemy 2.x ORM models.

Geometry stays in the GeoJSON files under `data/geo/` and is joined by AGS; the database
holds only facts with their sources, so the store stays small and portable between SQLite
and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from integra.vocab import (
    CONCEPT_STATUSES,
    INITIATIVE_ASKS,
    INITIATIVE_STATUSES,
    KIZ_STATUSES,
    LEVELS,
    PARTNER_TYPES,
    PRECISIONS,
    REPORT_KINDS,
    REPORT_STATUSES,
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    """SQL CHECK text that keeps a status column inside its closed vocabulary."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    # Named constraints so Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, typed as one (`__table__` is declared as a FromClause)."""
    return cast(Table, model.__table__)


def utc_now() -> dt.datetime:
    """Now in UTC to the second: what every updated_at and import time records."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class Region(Base):
    """A Regierungsbezirk, Kreis or Gemeinde (incl. gemeindefreie Gebiete, flagged)."""

    __tablename__ = "regions"
    __table_args__ = (CheckConstraint(_one_of("level", LEVELS), name="level"),)

    ags: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_ags: Mapped[str | None] = mapped_column(ForeignKey("regions.ags"), index=True)
    is_gemeinde: Mapped[bool] = mapped_column(default=True)
    population: Mapped[int | None] = mapped_column(Integer)
    population_date: Mapped[dt.date | None] = mapped_column(Date)


class Concept(Base):
    """The known state of one region's municipal integration concept, with its source."""

    __tablename__ = "concepts"
    __table_args__ = (CheckConstraint(_one_of("status", CONCEPT_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_ags: Mapped[str] = mapped_column(ForeignKey("regions.ags"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    source_url: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, server_default=func.now())


class IntegrationCentre(Base):
    """A Kommunales Integrationszentrum (KIZ), proposed, planned or set up, in one Kreis."""

    __tablename__ = "integration_centres"
    __table_args__ = (CheckConstraint(_one_of("status", KIZ_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kreis_ags: Mapped[str] = mapped_column(ForeignKey("regions.ags"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    source_url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, server_default=func.now())


class Partner(Base):
    """A civil-society partner organisation at one place, with how precisely it is located."""

    __tablename__ = "partners"
    __table_args__ = (
        CheckConstraint(_one_of("type", PARTNER_TYPES), name="type"),
        CheckConstraint(_one_of("precision", PRECISIONS), name="precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str] = mapped_column(String(20), index=True)
    kind_detail: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    plz: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(200))
    gemeinde_ags: Mapped[str] = mapped_column(ForeignKey("regions.ags"), index=True)
    kreis_ags: Mapped[str] = mapped_column(ForeignKey("regions.ags"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    precision: Mapped[str] = mapped_column(String(10))
    website: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    # The year the source states or was published ("Stand der Quelle"); None where it gives none.
    source_year: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[str | None] = mapped_column(String(60))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, server_default=func.now())
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(100), index=True)
    # The import that last inserted or changed this partner (None for seed data).
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id"), index=True)


class ImportRun(Base):
    """One applied partner-list import: who, when, which file, what it changed."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    user_name: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str | None] = mapped_column(String(200))
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(200))


class ImportChange(Base):
    """One partner row an import inserted, updated or removed, with its values before and after (JSON)."""

    __tablename__ = "import_changes"
    __table_args__ = (CheckConstraint("action IN ('insert', 'update', 'delete')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("import_runs.id"), index=True)
    partner_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class Edit(Base):
    """One change an editor made to a concept or KIZ record: who, when, the values before and after (JSON).

    Edits saved together (one form, one concept list) share a `batch`, which is undone as a whole.
    """

    __tablename__ = "edits"
    __table_args__ = (CheckConstraint("action IN ('insert', 'update', 'delete')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch: Mapped[str] = mapped_column(String(36), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    user_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    summary: Mapped[str] = mapped_column(Text)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(200))


class DataState(Base):
    """One row whose token changes with every write.

    Each app process keys its caches on the token, so an import applied in one replica is seen
    by all others on their next rerun, without restart and without a home-made sync.
    """

    __tablename__ = "data_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class LoginAttempt(Base):
    """Failed editor logins of one client address (or of the shared account, key `konto:redaktion`).

    Kept in the store rather than in the Streamlit session, so a reload, a new websocket or another
    replica does not start again at zero (see integra.auth). Times are Unix seconds (floats): the
    backoff arithmetic needs no time zones, and SQLite and PostgreSQL store them alike.
    """

    __tablename__ = "login_attempts"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float] = mapped_column(Float, default=0.0)
    last_failure: Mapped[float] = mapped_column(Float, default=0.0)
    last_success: Mapped[float] = mapped_column(Float, default=0.0)


class IntegrationStructure(Base):
    """An Integrationsbeirat, -beauftragte or -lotse noted for a Kreis (not a complete list)."""

    __tablename__ = "integration_structures"

    id: Mapped[int] = mapped_column(primary_key=True)
    kreis_ags: Mapped[str] = mapped_column(ForeignKey("regions.ags"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    source_url: Mapped[str | None] = mapped_column(Text)
    checked_on: Mapped[dt.date | None] = mapped_column(Date)


class KizReference(Base):
    """A reference to the NRW model of Kommunale Integrationszentren (background, not a place in Bavaria)."""

    __tablename__ = "kiz_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[str | None] = mapped_column(String(60))
    source_url: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str | None] = mapped_column(String(60))


class Report(Base):
    """What a visitor reports (Mitmachen): a concept status, a partner or something else about an area.

    Nothing in it reaches the map until an editor accepts it; accepting writes through `integra.editing`
    (change log, undo) and keeps the edit's batch here. `proposed` and `current` are JSON: the fields the
    visitor proposes, and the record as it stood when the report was filed (to show what changed since).
    The e-mail address is only for the editors' questions and is cleared when the report is decided.
    """

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(_one_of("kind", REPORT_KINDS), name="kind"),
        CheckConstraint(_one_of("status", REPORT_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    region_ags: Mapped[str | None] = mapped_column(ForeignKey("regions.ags"), index=True)
    partner_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: the partner may be gone later
    proposed: Mapped[str] = mapped_column(Text)
    current: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(Text)
    reporter: Mapped[str | None] = mapped_column(String(120))
    show_reporter: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True, default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    batch: Mapped[str | None] = mapped_column(String(36))


class Initiative(Base):
    """A motion on its way in a Kreistag, Stadtrat or Gemeinderat (Initiativen), entered by editors.

    `body` is the council (from the area's kind when entered); `document_url` the council's own document,
    if public; `source_url` where the editors learnt of it. Written through `integra.editing` (change log,
    undo per batch) like concepts and KIZ.
    """

    __tablename__ = "initiatives"
    __table_args__ = (
        CheckConstraint(_one_of("status", INITIATIVE_STATUSES), name="status"),
        CheckConstraint(_one_of("asks", tuple(INITIATIVE_ASKS)), name="asks"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_ags: Mapped[str] = mapped_column(ForeignKey("regions.ags"), index=True)
    body: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    asks: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    document_url: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now, server_default=func.now())
