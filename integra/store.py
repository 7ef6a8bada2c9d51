"""Engine, sessions and schema migrations for the store.

SQLite is the embedded default; any SQLAlchemy URL (e.g. PostgreSQL) works through
`INTEGRA_DATABASE_URL`. The schema is only ever changed by Alembic migrations, so an
existing database is upgraded in place and keeps its data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from integra.config import database_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _tune_sqlite(dbapi_connection, _record) -> None:
    """WAL lets the app read while an import writes; SQLite ignores foreign keys unless asked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for `url` (default: `INTEGRA_DATABASE_URL`), creating the SQLite folder if needed."""
    parsed = make_url(url or database_url())
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
    return engine


@contextmanager
def connected(url: str | None = None) -> Iterator[Engine]:
    """An engine for one command-line run, closed afterwards (SQLite checkpoints its WAL then)."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One all-or-nothing unit of work: commit on success, roll back on any error."""
    with session_factory(engine).begin() as session:
        yield session


def alembic_config(engine: Engine | None) -> Config:
    """Alembic configured in code, so no alembic.ini path has to match the working directory."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; existing rows are kept."""
    command.upgrade(alembic_config(engine), "head")


def head_revision() -> str:
    """The newest migration in integra/migrations (what `init` brings a database to)."""
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(alembic_config(None)).get_current_head())


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None before the first migration)."""
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def mark_changed(session: Session, facts: bool = True) -> None:
    """Give the data a new token inside the caller's write transaction (see models.DataState).

    `facts=False` for writes that change no fact on the map (a visitor's report waiting for review,
    a rejection): caches must still refresh (the public count), but the data's "last change" stays.
    """
    from integra.models import DataState

    state = session.get(DataState, 1)
    if state is None:
        session.add(DataState(id=1, token=uuid.uuid4().hex))
    else:
        state.token = uuid.uuid4().hex
        if facts:
            state.changed_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    session.flush()


_TOKEN = text("SELECT token FROM data_state WHERE id = 1")


def data_token(source: Engine | Connection | Session) -> str:
    """The current token; one primary-key lookup, cheap enough for every Streamlit rerun."""
    if isinstance(source, Engine):
        with source.connect() as conn:
            return conn.execute(_TOKEN).scalar() or ""
    return source.execute(_TOKEN).scalar() or ""


def db_failure(exc: SQLAlchemyError) -> str:
    """A German one-liner for a database error: SQLAlchemy's own text carries the SQL and the row values."""
    detail = str(getattr(exc, "orig", "")).lower()
    if "full" in detail or "no space" in detail:
        return "Die Datenbank ist voll (kein Speicherplatz mehr)."
    if isinstance(exc, DataError):
        return "Die Datenbank kann einen Wert nicht speichern (z. B. ein NUL-Zeichen im Text)."
    if isinstance(exc, OperationalError):
        return "Die Datenbank ist nicht erreichbar oder hat den Vorgang abgebrochen."
    return "Die Datenbank hat den Vorgang abgelehnt."
